import { Buffer } from 'node:buffer'
import { ConfigError, murmur2 } from '@tributary/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { crc32 } from '../src/hash/crc32.js'
import { consistent, consistentRandom, fnv1a, fnv1aRandom, murmur2Random } from '../src/index.js'
import { partitionOf, randomKeys } from './helpers.js'

const KEYS = randomKeys(2000, 99)

afterEach(() => {
  vi.useRealTimers()
})

describe('consistent', () => {
  it('puts a key on crc32(key) % partitions', () => {
    const p = consistent()
    for (const key of KEYS) for (const n of [1, 2, 7, 64]) expect(partitionOf(p, key, n)).toBe(crc32(key) % n)
  })

  it('hashes a null or empty key as empty, so such records all go to partition 0, as librdkafka', () => {
    const p = consistent()
    for (let i = 0; i < 20; i++) {
      expect(partitionOf(p, null, 9)).toBe(0)
      expect(partitionOf(p, Buffer.alloc(0), 9)).toBe(0)
    }
  })
})

describe('consistentRandom', () => {
  it('hashes non-empty keys like consistent', () => {
    const p = consistentRandom()
    const c = consistent()
    for (const key of KEYS.filter((k) => k.length > 0)) expect(partitionOf(p, key, 13)).toBe(partitionOf(c, key, 13))
  })

  it('keeps null and empty keys on one random partition for stickyLingerMs, then moves', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_000_000)
    const p = consistentRandom()
    const first = partitionOf(p, null, 1000)
    for (let i = 0; i < 20; i++) expect(partitionOf(p, i % 2 === 0 ? null : Buffer.alloc(0), 1000)).toBe(first)
    vi.setSystemTime(1_000_009)
    expect(partitionOf(p, null, 1000)).toBe(first)
    const seen = new Set<number>()
    for (let t = 1; t <= 30; t++) {
      vi.setSystemTime(1_000_000 + t * 10)
      seen.add(partitionOf(p, null, 1000))
    }
    expect(seen.size).toBeGreaterThan(20) // 30 draws out of 1000: repeats are rare
  })

  it('chooses a random partition per record with stickyLingerMs: 0', () => {
    const p = consistentRandom({ stickyLingerMs: 0 })
    const seen = new Set(Array.from({ length: 200 }, () => partitionOf(p, null, 8)))
    expect(seen.size).toBe(8)
  })

  it('rejects a negative or non-numeric stickyLingerMs', () => {
    expect(() => consistentRandom({ stickyLingerMs: -1 })).toThrow(ConfigError)
    expect(() => murmur2Random({ stickyLingerMs: Number.NaN })).toThrow(/stickyLingerMs/)
  })
})

describe('murmur2Random', () => {
  it('puts keys (the empty one included) where the Java client does', () => {
    const p = murmur2Random()
    for (const key of KEYS)
      for (const n of [1, 3, 64]) expect(partitionOf(p, key, n)).toBe((murmur2(key) & 0x7fffffff) % n)
  })

  it('sends null keys to a sticky random partition', () => {
    const p = murmur2Random({ stickyLingerMs: 60_000 })
    const first = partitionOf(p, null, 100)
    for (let i = 0; i < 50; i++) expect(partitionOf(p, null, 100)).toBe(first)
  })
})

describe('fnv1aRandom', () => {
  it('puts keys (the empty one included) where Sarama’s hash partitioner does', () => {
    const p = fnv1aRandom()
    const sarama = fnv1a()
    for (const key of KEYS) for (const n of [1, 5, 64]) expect(partitionOf(p, key, n)).toBe(partitionOf(sarama, key, n))
  })

  it('sends null keys to a sticky random partition', () => {
    const p = fnv1aRandom({ stickyLingerMs: 60_000 })
    const first = partitionOf(p, null, 100)
    for (let i = 0; i < 50; i++) expect(partitionOf(p, null, 100)).toBe(first)
  })
})
