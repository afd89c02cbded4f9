import { Buffer } from 'node:buffer'
import { defaultPartitioner, murmur2 } from '@tributary/core'
import { describe, expect, it } from 'vitest'
import { javaDefault, roundRobin, uniformSticky } from '../src/index.js'
import { partitionOf, randomKeys } from './helpers.js'

describe('javaDefault', () => {
  // Apache Kafka's UtilsTest.testMurmur2 vectors, through the partition formula of the Java client.
  const vectors: ReadonlyArray<readonly [string, number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ]

  it.each(vectors)('puts key %j where Java’s murmur2 (%i) puts it, for 1 to 64 partitions', (key, hash) => {
    const p = javaDefault()
    for (let n = 1; n <= 64; n++) expect(partitionOf(p, Buffer.from(key), n)).toBe((hash & 0x7fffffff) % n)
  })

  it('is core’s default partitioner', () => {
    const ours = javaDefault()
    const core = defaultPartitioner()
    for (const key of randomKeys(500)) expect(partitionOf(ours, key, 17)).toBe(partitionOf(core, key, 17))
  })
})

describe('roundRobin', () => {
  it('walks the partitions in order from 0, one counter per topic, ignoring keys', () => {
    const p = roundRobin()
    const a = Array.from({ length: 7 }, (_, i) =>
      p.partition({ topic: 'a', key: Buffer.from(`k${i}`), value: null, partitionCount: 3 }),
    )
    const b = Array.from({ length: 4 }, () => p.partition({ topic: 'b', key: null, value: null, partitionCount: 5 }))
    expect(a).toEqual([0, 1, 2, 0, 1, 2, 0])
    expect(b).toEqual([0, 1, 2, 3])
  })

  it('follows a change of partition count with the same counter (toPositive(counter) % count)', () => {
    const p = roundRobin()
    for (let i = 0; i < 4; i++) p.partition({ topic: 'a', key: null, value: null, partitionCount: 3 })
    expect(p.partition({ topic: 'a', key: null, value: null, partitionCount: 6 })).toBe(4)
  })
})

describe('uniformSticky', () => {
  it('keeps every record, keyed or not, on one partition until that partition’s batch is closed', () => {
    const p = uniformSticky()
    const first = partitionOf(p, null, 8)
    for (const key of randomKeys(50)) expect(partitionOf(p, key, 8)).toBe(first)
    p.onBatchClosed?.('t', (first + 1) % 8) // another partition's batch: no move
    expect(partitionOf(p, null, 8)).toBe(first)
    p.onBatchClosed?.('t', first)
    const second = partitionOf(p, Buffer.from('k'), 8)
    expect(second).not.toBe(first)
    expect(partitionOf(p, null, 8)).toBe(second)
  })

  it('spreads over every partition as batches close, and stays on the only one there is', () => {
    const p = uniformSticky()
    const seen = new Set<number>()
    for (let i = 0; i < 400; i++) {
      const partition = partitionOf(p, null, 5)
      seen.add(partition)
      p.onBatchClosed?.('t', partition)
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4])
    const single = uniformSticky()
    for (let i = 0; i < 5; i++) {
      expect(partitionOf(single, null, 1)).toBe(0)
      single.onBatchClosed?.('t', 0)
    }
  })

  it('keeps a sticky partition per topic', () => {
    const p = uniformSticky()
    const a = p.partition({ topic: 'a', key: null, value: null, partitionCount: 1000 })
    const b = p.partition({ topic: 'b', key: null, value: null, partitionCount: 1000 })
    p.onBatchClosed?.('b', b)
    expect(p.partition({ topic: 'a', key: null, value: null, partitionCount: 1000 })).toBe(a)
  })
})

describe('murmur2 re-export sanity', () => {
  it('javaDefault hashes with core’s murmur2', () => {
    const key = Buffer.from('foobar')
    expect(partitionOf(javaDefault(), key, 10)).toBe((murmur2(key) & 0x7fffffff) % 10)
  })
})
