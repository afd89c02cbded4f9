/**
 * Microbenchmark of the codecs against the pure-JavaScript implementations kafkajs's plugins use:
 * compress and decompress MB/s and ratio on 1 KiB JSON-like values concatenated into 16 KiB and
 * 1 MiB inputs (a small and a full batch). Best of 5 rounds.
 * Run from packages/compression: `npx tsx bench/codecs.bench.ts`
 */
import { Buffer } from 'node:buffer'
import { decompress as fzstdDecompress } from 'fzstd'
import * as lz4js from 'lz4js'
import * as snappyjs from 'snappyjs'
import { lz4 } from '../src/lz4.js'
import { snappy } from '../src/snappy.js'
import { zstd } from '../src/zstd.js'

const WORDS =
  'order customer invoice shipped pending paid refund warehouse berlin lisbon oslo tokyo express standard gift note priority'.split(
    ' ',
  )

/** The benchmark's value pool (bench/src/workload.ts): distinct JSON-like values of exactly 1 KiB. */
function values(count: number): Buffer[] {
  let seed = 0x2545f491
  const next = (n: number) => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0
    return seed % n
  }
  const out: Buffer[] = []
  for (let i = 0; i < count; i++) {
    let text = `{"id":${i},"customer":"c-${next(100_000)}","amount":${next(100_000) / 100},"items":[`
    let first = true
    while (text.length < 1024 - 40) {
      text += `${first ? '' : ','}{"sku":"${WORDS[next(WORDS.length)]}-${next(1000)}","qty":${next(9) + 1}}`
      first = false
    }
    text += '],"note":"'
    while (text.length < 1024 - 2) text += `${WORDS[next(WORDS.length)]} `
    out.push(Buffer.from(`${text.slice(0, 1022)}"}`))
  }
  return out
}

interface Contender {
  label: string
  compress(data: Buffer): Buffer | Promise<Buffer>
  decompress(data: Buffer): Buffer | Promise<Buffer>
}

const contenders: Contender[] = [
  { label: 'snappy() — snappy (napi-rs), xerial framing', ...snappy() },
  {
    label: 'snappyjs, raw block (kafkajs-snappy)',
    compress: (d) => Buffer.from(snappyjs.compress(d)),
    decompress: (d) => Buffer.from(snappyjs.uncompress(d)),
  },
  { label: 'lz4() — lz4-napi blocks, Kafka frame', ...lz4() },
  {
    label: 'lz4js frame (pure JS)',
    compress: (d) => Buffer.from(lz4js.compress(d)),
    decompress: (d) => Buffer.from(lz4js.decompress(d)),
  },
  { label: 'zstd() — @toondepauw/node-zstd, level 3', ...zstd() },
  {
    label: 'fzstd (pure JS, decompress only)',
    compress: (d) => zstd().compress(d),
    decompress: (d) => Buffer.from(fzstdDecompress(d)),
  },
]

async function mbps(fn: () => Buffer | Promise<Buffer>, bytes: number): Promise<number> {
  for (let i = 0; i < 20; i++) await fn()
  let best = 0
  for (let round = 0; round < 5; round++) {
    let iterations = 0
    const started = performance.now()
    while (performance.now() - started < 300) {
      for (let i = 0; i < 10; i++) await fn()
      iterations += 10
    }
    best = Math.max(best, (bytes * iterations) / ((performance.now() - started) / 1000) / 1e6)
  }
  return best
}

const pool = values(1024)
for (const size of [16 * 1024, 1024 * 1024]) {
  const input = Buffer.concat(pool.slice(0, size / 1024))
  console.log(`\n${size === 16384 ? '16 KiB' : '1 MiB'} of 1 KiB JSON-like values`)
  console.log('| implementation | compress MB/s | decompress MB/s | ratio |')
  console.log('| --- | ---: | ---: | ---: |')
  for (const c of contenders) {
    const compressed = await c.compress(input)
    const back = await c.decompress(compressed)
    if (!back.equals(input)) throw new Error(`${c.label}: round trip differs`)
    const compressOnly = c.label.startsWith('fzstd') ? '—' : (await mbps(() => c.compress(input), size)).toFixed(0)
    const decompress = await mbps(() => c.decompress(compressed), size)
    console.log(
      `| ${c.label} | ${compressOnly} | ${decompress.toFixed(0)} | ${(size / compressed.length).toFixed(2)} |`,
    )
  }
}
