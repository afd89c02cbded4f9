import { Buffer } from 'node:buffer'
import type { Partitioner, PartitionerInput } from '@tributary/core'
import { prng } from '@tributary/test-support/random'

/**
 * `count` random keys: printable ASCII and arbitrary bytes, lengths 0 to 64 (every tail length of
 * the 4-byte hash loops), some UTF-8 text.
 */
export function randomKeys(count: number, seed = 42): Buffer[] {
  const next = prng(seed)
  const keys: Buffer[] = []
  for (let i = 0; i < count; i++) {
    const length = Math.floor(next() * 65)
    const kind = i % 3
    if (kind === 0) keys.push(Buffer.from(Array.from({ length }, () => 32 + Math.floor(next() * 95))))
    else if (kind === 1) keys.push(Buffer.from(Array.from({ length }, () => Math.floor(next() * 256))))
    else keys.push(Buffer.from(`user-${Math.floor(next() * 1e9)}-ü€-${i}`, 'utf8'))
  }
  return keys
}

/** Asks a partitioner for one keyed record. */
export function partitionOf(
  partitioner: Partitioner,
  key: Buffer | null,
  partitionCount: number,
  extra: Partial<PartitionerInput> = {},
): number {
  return partitioner.partition({ topic: 't', key, value: null, partitionCount, ...extra })
}
