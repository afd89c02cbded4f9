import { Buffer } from 'node:buffer'
import { prng } from '@tributary/test-support/random'
import { Partitioners, type PartitionMetadata } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { defaultPartitioner, murmur2, toPositive } from '../../src/partitioners/index.js'

/** 5,000 keys: half random bytes of 0 to 64 bytes, half random strings mixing ASCII, accents, CJK and emoji. */
function randomKeys(): Array<Buffer | string> {
  const random = prng(0x7472_6962)
  const int = (below: number): number => Math.floor(random() * below)
  const keys: Array<Buffer | string> = []
  for (let i = 0; i < 2_500; i++) {
    const bytes = Buffer.alloc(int(65))
    for (let j = 0; j < bytes.length; j++) bytes[j] = int(256)
    keys.push(bytes)
  }
  const ranges: ReadonlyArray<readonly [number, number]> = [
    [0x20, 0x7f],
    [0xa0, 0x250],
    [0x4e00, 0x9fff],
    [0x1f300, 0x1f64f],
  ]
  for (let i = 0; i < 2_500; i++) {
    let text = ''
    const length = int(40)
    for (let j = 0; j < length; j++) {
      const [low, high] = ranges[int(ranges.length)] as readonly [number, number]
      text += String.fromCodePoint(low + int(high - low))
    }
    keys.push(text)
  }
  return keys
}

function partitionMetadata(count: number): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: partitionId % 3,
    replicas: [partitionId % 3],
    isr: [partitionId % 3],
  }))
}

describe('defaultPartitioner with keys', () => {
  it('puts the Java vectors where Java’s formula does', () => {
    const partitioner = defaultPartitioner()
    const cases: ReadonlyArray<readonly [string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ]
    for (const [key, hash] of cases) {
      for (const partitionCount of [1, 3, 6, 12, 50, 64]) {
        const partition = partitioner.partition({ topic: 't', key: Buffer.from(key), value: null, partitionCount })
        expect(partition).toBe((hash & 0x7fffffff) % partitionCount)
      }
    }
    expect(partitioner.partition({ topic: 't', key: Buffer.from('foobar'), value: null, partitionCount: 50 })).toBe(16)
  })

  it('chooses the same partition as kafkajs’s DefaultPartitioner for 5,000 random keys and 1 to 64 partitions', () => {
    const ours = defaultPartitioner()
    const kafkajs = Partitioners.DefaultPartitioner()
    const metadata = Array.from({ length: 65 }, (_, count) => partitionMetadata(count))
    let compared = 0
    for (const key of randomKeys()) {
      const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key
      for (let partitionCount = 1; partitionCount <= 64; partitionCount++) {
        const expected = kafkajs({
          topic: 'orders',
          partitionMetadata: metadata[partitionCount] as PartitionMetadata[],
          message: { key, value: null },
        })
        const actual = ours.partition({ topic: 'orders', key: bytes, value: null, partitionCount })
        if (actual !== expected) {
          throw new Error(
            `key ${JSON.stringify(key)} with ${partitionCount} partitions: ours ${actual}, kafkajs ${expected}`,
          )
        }
        compared++
      }
    }
    expect(compared).toBe(5_000 * 64)
  })

  it('ignores the value and the sticky state for keyed records', () => {
    const partitioner = defaultPartitioner()
    const key = Buffer.from('customer-42')
    const expected = toPositive(murmur2(key)) % 6
    for (let i = 0; i < 10; i++) {
      partitioner.onBatchClosed?.('t', expected)
      expect(partitioner.partition({ topic: 't', key, value: Buffer.from(String(i)), partitionCount: 6 })).toBe(
        expected,
      )
    }
  })

  it('hashes an empty key, which is not a null key', () => {
    const partitioner = defaultPartitioner()
    const expected = toPositive(murmur2(Buffer.alloc(0))) % 7
    for (let i = 0; i < 5; i++) {
      expect(partitioner.partition({ topic: 't', key: Buffer.alloc(0), value: null, partitionCount: 7 })).toBe(expected)
    }
  })
})

describe('defaultPartitioner without keys (uniform sticky)', () => {
  const keyless = (topic: string, partitionCount: number) => ({ topic, key: null, value: null, partitionCount })

  it('keeps sending to the same partition until its batch is closed', () => {
    const partitioner = defaultPartitioner()
    const first = partitioner.partition(keyless('t', 12))
    expect(first).toBeGreaterThanOrEqual(0)
    expect(first).toBeLessThan(12)
    for (let i = 0; i < 1_000; i++) expect(partitioner.partition(keyless('t', 12))).toBe(first)
  })

  it('switches to a different partition once the sticky partition’s batch is closed', () => {
    const partitioner = defaultPartitioner()
    let current = partitioner.partition(keyless('t', 6))
    for (let i = 0; i < 200; i++) {
      partitioner.onBatchClosed?.('t', current)
      const next = partitioner.partition(keyless('t', 6))
      expect(next).not.toBe(current)
      expect(partitioner.partition(keyless('t', 6))).toBe(next)
      current = next
    }
  })

  it('stays put when a batch of another partition or topic is closed', () => {
    const partitioner = defaultPartitioner()
    const sticky = partitioner.partition(keyless('t', 8))
    partitioner.onBatchClosed?.('t', (sticky + 1) % 8)
    partitioner.onBatchClosed?.('other', sticky)
    partitioner.onBatchClosed?.('never-seen', 0)
    expect(partitioner.partition(keyless('t', 8))).toBe(sticky)
  })

  it('keeps one sticky partition per topic', () => {
    const partitioner = defaultPartitioner()
    const a = partitioner.partition(keyless('a', 1_000))
    const b = partitioner.partition(keyless('b', 1_000))
    partitioner.onBatchClosed?.('a', a)
    expect(partitioner.partition(keyless('b', 1_000))).toBe(b)
    expect(partitioner.partition(keyless('a', 1_000))).not.toBe(a)
  })

  it('spreads over every partition, about evenly, over many switches', () => {
    const partitioner = defaultPartitioner()
    const counts = new Array<number>(8).fill(0)
    const switches = 8_000
    for (let i = 0; i < switches; i++) {
      const partition = partitioner.partition(keyless('t', 8))
      counts[partition] = (counts[partition] ?? 0) + 1
      partitioner.onBatchClosed?.('t', partition)
    }
    for (const count of counts) {
      // Expected 1,000 each; 700 is more than 10 standard deviations away.
      expect(count).toBeGreaterThan(700)
      expect(count).toBeLessThan(1_300)
    }
  })

  it('uses partition 0 of a single-partition topic, also after a batch is closed', () => {
    const partitioner = defaultPartitioner()
    expect(partitioner.partition(keyless('t', 1))).toBe(0)
    partitioner.onBatchClosed?.('t', 0)
    expect(partitioner.partition(keyless('t', 1))).toBe(0)
  })

  it('chooses again when the topic now has fewer partitions than the sticky one', () => {
    const partitioner = defaultPartitioner()
    let sticky = partitioner.partition(keyless('t', 1_000))
    while (sticky < 10) {
      partitioner.onBatchClosed?.('t', sticky)
      sticky = partitioner.partition(keyless('t', 1_000))
    }
    const now = partitioner.partition(keyless('t', 4))
    expect(now).toBeLessThan(4)
    expect(partitioner.partition(keyless('t', 4))).toBe(now)
  })

  it('rejects a topic without partitions instead of returning NaN', () => {
    const partitioner = defaultPartitioner()
    expect(() => partitioner.partition(keyless('t', 0))).toThrow(RangeError)
    expect(() => partitioner.partition({ topic: 't', key: Buffer.from('k'), value: null, partitionCount: 0 })).toThrow(
      /no partitions/,
    )
  })

  it('gives every producer its own sticky state', () => {
    const one = defaultPartitioner()
    const two = defaultPartitioner()
    const sticky = one.partition(keyless('t', 1_000))
    two.onBatchClosed?.('t', sticky)
    expect(one.partition(keyless('t', 1_000))).toBe(sticky)
  })
})
