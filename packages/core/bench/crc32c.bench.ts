/**
 * Microbenchmark of the CRC-32C used for record batches.
 * Run from packages/core: `npx tsx bench/crc32c.bench.ts`
 */
import { Buffer } from 'node:buffer'
import { randomFillSync } from 'node:crypto'
import { createRequire } from 'node:module'
import { crc32c, crc32cImplementation, crc32cUpdateJs, NATIVE_FROM_BYTES } from '../src/protocol/buffer/crc32c.js'

// kafkajs's table-driven (byte-at-a-time) CRC-32C, for comparison.
const kafkajsCrc32c = createRequire(import.meta.url)('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (
  buf: Buffer,
) => number

function bench(label: string, fn: (buf: Buffer) => number, size: number, totalBytes: number): void {
  const buf = randomFillSync(Buffer.allocUnsafe(size))
  const iterations = Math.max(1, Math.floor(totalBytes / size))
  let sink = 0
  // Warm up so the measurement sees optimised code.
  for (let i = 0; i < Math.min(iterations, 2000); i++) sink ^= fn(buf)
  const rounds: number[] = []
  for (let r = 0; r < 5; r++) {
    const started = process.hrtime.bigint()
    for (let i = 0; i < iterations; i++) sink ^= fn(buf)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    rounds.push((size * iterations) / seconds / 1e6)
  }
  rounds.sort((a, b) => a - b)
  const median = rounds[2] as number
  const best = rounds[4] as number
  console.log(
    `${label.padEnd(34)} ${median.toFixed(0).padStart(6)} MB/s median, ${best.toFixed(0).padStart(6)} MB/s best  (${iterations} x ${size} B per round; sink ${sink & 1})`,
  )
}

const js = (buf: Buffer) => crc32cUpdateJs(0, buf)
for (const [size, name] of [
  [100, '100 B'],
  [1024, '1 KiB'],
  [16 * 1024, '16 KiB'],
  [1024 * 1024, '1 MiB'],
] as const) {
  console.log(`${name}:`)
  bench('  JS', js, size, 128 * 1024 * 1024)
  bench(
    `  crc32c(): ${size >= NATIVE_FROM_BYTES ? crc32cImplementation() : 'js'} at this size`,
    crc32c,
    size,
    256 * 1024 * 1024,
  )
}
console.log('kafkajs 2.2.4 for comparison:')
bench('1 KiB', kafkajsCrc32c, 1024, 64 * 1024 * 1024)
bench('1 MiB', kafkajsCrc32c, 1024 * 1024, 64 * 1024 * 1024)
