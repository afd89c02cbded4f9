import { Buffer } from 'node:buffer'
import { Partitioners, type PartitionMetadata } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { javaDefault, kafkajsLegacy, murmur2Random, roundRobin, toKafkajs } from '../src/index.js'
import { partitionOf, randomKeys } from './helpers.js'

const KEYS = randomKeys(3000, 7)

/** kafkajs's partitionMetadata for n partitions, every one with a leader. */
function metadata(n: number): PartitionMetadata[] {
  return Array.from({ length: n }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }))
}

describe('against kafkajs 2.2.4 (npm), for 3,000 random keys and every partition count 1 to 64', () => {
  it('kafkajsLegacy() matches kafkajs’s LegacyPartitioner', () => {
    const theirs = Partitioners.LegacyPartitioner()
    const ours = kafkajsLegacy()
    const mismatches: string[] = []
    for (let n = 1; n <= 64; n++) {
      const partitionMetadata = metadata(n)
      for (const key of KEYS) {
        const expected = theirs({ topic: 't', partitionMetadata, message: { key, value: null } })
        if (partitionOf(ours, key, n) !== expected) mismatches.push(`${key.toString('hex')} over ${n}`)
      }
    }
    expect(mismatches).toEqual([])
  })

  it('javaDefault() matches kafkajs’s DefaultPartitioner for every keyed record', () => {
    const theirs = Partitioners.DefaultPartitioner()
    const ours = javaDefault()
    const mismatches: string[] = []
    for (let n = 1; n <= 64; n++) {
      const partitionMetadata = metadata(n)
      for (const key of KEYS) {
        const expected = theirs({ topic: 't', partitionMetadata, message: { key, value: null } })
        if (partitionOf(ours, key, n) !== expected) mismatches.push(`${key.toString('hex')} over ${n}`)
      }
    }
    expect(mismatches).toEqual([])
  })

  it('the legacy and default partitioners really differ (so the legacy port is not the Java hash)', () => {
    const legacy = kafkajsLegacy()
    const java = javaDefault()
    const differing = KEYS.filter((key) => partitionOf(legacy, key, 64) !== partitionOf(java, key, 64))
    expect(differing.length).toBeGreaterThan(KEYS.length / 2)
  })

  it('kafkajsLegacy() sends keyless records round-robin from a random start, per topic, as kafkajs', () => {
    const ours = kafkajsLegacy()
    const first = ours.partition({ topic: 'a', key: null, value: null, partitionCount: 5 })
    const next = Array.from({ length: 9 }, () =>
      ours.partition({ topic: 'a', key: null, value: null, partitionCount: 5 }),
    )
    expect(next).toEqual(Array.from({ length: 9 }, (_, i) => (first + i + 1) % 5))
    // kafkajs itself does the same: consecutive partitions from a random start.
    const theirs = Partitioners.LegacyPartitioner()
    const start = theirs({ topic: 'a', partitionMetadata: metadata(5), message: { value: null } })
    expect(theirs({ topic: 'a', partitionMetadata: metadata(5), message: { value: null } })).toBe((start + 1) % 5)
  })
})

describe('toKafkajs', () => {
  it('gives kafkajs a createPartitioner that returns what the Tributary partitioner returns', () => {
    const partition = toKafkajs(murmur2Random)()
    const reference = murmur2Random()
    for (const key of KEYS.slice(0, 200)) {
      expect(partition({ topic: 't', partitionMetadata: metadata(12), message: { key, value: 'v' } })).toBe(
        partitionOf(reference, key, 12),
      )
    }
  })

  it('encodes string keys as UTF-8, as kafkajs sends them', () => {
    const partition = toKafkajs(javaDefault)()
    const theirs = Partitioners.DefaultPartitioner()
    for (const key of ['o-1', 'zürich', '注文-42', '']) {
      const message = { key, value: null }
      expect(partition({ topic: 't', partitionMetadata: metadata(7), message })).toBe(
        theirs({ topic: 't', partitionMetadata: metadata(7), message }),
      )
    }
  })

  it('keeps a message’s explicit partition', () => {
    const partition = toKafkajs(roundRobin())()
    expect(partition({ topic: 't', partitionMetadata: metadata(3), message: { value: 'v', partition: 2 } })).toBe(2)
  })

  it('passes headers on, string or Buffer, arrays as repeated headers', () => {
    const seen: unknown[] = []
    const partition = toKafkajs({
      partition(input) {
        seen.push(input.headers)
        return 0
      },
    })()
    partition({
      topic: 't',
      partitionMetadata: metadata(1),
      message: { value: 'v', headers: { a: 'x', b: Buffer.from('y'), c: ['1', '2'], d: undefined } },
    })
    expect(seen[0]).toEqual([
      { key: 'a', value: Buffer.from('x') },
      { key: 'b', value: Buffer.from('y') },
      { key: 'c', value: Buffer.from('1') },
      { key: 'c', value: Buffer.from('2') },
    ])
  })

  it('makes one partitioner per kafkajs producer from a factory, and shares an instance', () => {
    const fromFactory = toKafkajs(roundRobin)
    const a = fromFactory()
    const b = fromFactory()
    const args = { topic: 't', partitionMetadata: metadata(4), message: { value: 'v' } }
    expect([a(args), a(args), b(args)]).toEqual([0, 1, 0])
    const shared = toKafkajs(roundRobin())
    const c = shared()
    const d = shared()
    expect([c(args), d(args), c(args)]).toEqual([0, 1, 2])
  })
})
