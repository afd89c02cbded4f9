import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { fnv1a } from '../src/index.js'
import { partitionOf, randomKeys } from './helpers.js'

/** Sarama's hashPartitioner.Partition written with BigInt, independently of the implementation. */
function saramaReference(key: Uint8Array, n: number, referenceAbs: boolean): number {
  let h = 0x811c9dc5n
  for (const byte of key) h = ((h ^ BigInt(byte)) * 0x01000193n) & 0xffffffffn
  const int32 = h >= 0x80000000n ? h - 0x100000000n : h // int32(hasher.Sum32())
  if (referenceAbs) return Number((int32 & 0x7fffffffn) % BigInt(n))
  let partition = int32 % BigInt(n) // Go: truncated, sign of the dividend, as BigInt %
  if (partition < 0n) partition = -partition
  return Number(partition)
}

describe('fnv1a (Sarama’s hash partitioner)', () => {
  const keys = randomKeys(3000, 3)

  it('matches NewHashPartitioner for 3,000 random keys and 1 to 64 partitions, negative hashes included', () => {
    const p = fnv1a()
    const mismatches: string[] = []
    let negative = 0
    for (const key of keys) {
      for (let n = 1; n <= 64; n++) {
        if (partitionOf(p, key, n) !== saramaReference(key, n, false))
          mismatches.push(`${key.toString('hex')} over ${n}`)
      }
      let h = 0x811c9dc5
      for (const byte of key) h = Math.imul(h ^ byte, 0x01000193)
      if ((h | 0) < 0) negative++
    }
    expect(mismatches).toEqual([])
    expect(negative).toBeGreaterThan(keys.length / 3)
  })

  it('matches NewReferenceHashPartitioner with referenceAbs: true', () => {
    const p = fnv1a({ referenceAbs: true })
    for (const key of keys)
      for (const n of [1, 6, 64]) expect(partitionOf(p, key, n)).toBe(saramaReference(key, n, true))
  })

  it('the two mappings differ for negative hashes', () => {
    const plain = fnv1a()
    const reference = fnv1a({ referenceAbs: true })
    // fnv1a('') = 0x811c9dc5, negative as an int32
    expect(partitionOf(plain, Buffer.alloc(0), 10)).toBe(Math.abs((0x811c9dc5 | 0) % 10))
    expect(partitionOf(reference, Buffer.alloc(0), 10)).toBe((0x811c9dc5 & 0x7fffffff) % 10)
    expect(partitionOf(plain, Buffer.alloc(0), 10)).not.toBe(partitionOf(reference, Buffer.alloc(0), 10))
  })

  it('sends records without a key to a random partition each, as Sarama', () => {
    const p = fnv1a()
    const seen = new Set(Array.from({ length: 300 }, () => partitionOf(p, null, 6)))
    expect(seen.size).toBe(6)
  })
})
