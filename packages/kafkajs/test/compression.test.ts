// kafkajs's codec registry: codecs registered the kafkajs way (a factory per CompressionTypes entry,
// returning { compress(encoder), decompress(buffer) }) compress what this package sends, and the mock
// brokers decode it. The registry is module state: this file registers codecs, and
// kafkajs-specs/compression.test.ts (another module graph) checks what happens without them.
import { zstd } from '@tributary/compression/zstd'
import { registerKafkajsCodecs } from '@tributary/test-support/kafkajs-codecs'
import { CompressionCodecs as KafkajsCompressionCodecs } from 'kafkajs'
import SnappyCodec from 'kafkajs-snappy'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { CompressionCodecs, CompressionTypes, type KafkajsCodec } from '../src/index.js'
import { secureRandom, setup } from './helpers.js'

describe('compression', () => {
  const t = setup()

  beforeAll(async () => {
    // The kafkajs documentation's way, word for word, with this package's registry.
    CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec
    // lz4 the way an application that also consumes with kafkajs has it: registered in kafkajs's
    // registry (test-support's lz4js codec), and the same factory given to this package's.
    await registerKafkajsCodecs()
    CompressionCodecs[CompressionTypes.LZ4] = KafkajsCompressionCodecs[CompressionTypes.LZ4]
    // A Tributary codec (from @tributary/compression) registered directly.
    CompressionCodecs[CompressionTypes.ZSTD] = () => zstd()
  })

  const messages = Array.from({ length: 20 }, (_, i) => ({ key: `key-${i}`, value: `value ${i} `.repeat(20) }))

  for (const [name, type] of [
    ['gzip (built in)', CompressionTypes.GZIP],
    ['snappy (kafkajs-snappy)', CompressionTypes.Snappy],
    ['lz4 (a kafkajs codec from kafkajs’s registry)', CompressionTypes.LZ4],
    ['zstd (a Tributary codec)', CompressionTypes.ZSTD],
  ] as const) {
    it(`sends ${name} batches that the brokers decode`, async () => {
      const topic = `compressed-${secureRandom()}`
      const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
      const producer = t.producer(cluster)
      await producer.connect()
      const result = await producer.send({ topic, compression: type, messages })
      expect(result).toEqual([expect.objectContaining({ topicName: topic, partition: 0, baseOffset: '0' })])
      const records = cluster.records(topic)
      expect(records.map((r) => r.value?.toString())).toEqual(messages.map((m) => m.value))
      expect(new Set(records.map((r) => r.compression))).toEqual(new Set([type]))
    })
  }

  it('uses a codec registered after the producer was created, and calls its factory once', async () => {
    const topic = `compressed-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
    const producer = t.producer(cluster)
    await producer.connect()
    const compress = vi.fn(async (encoder: { buffer: Buffer }) => SnappyCodec().compress(encoder))
    const factory = vi.fn((): KafkajsCodec => ({ compress, decompress: async (buffer) => buffer }))
    const previous = CompressionCodecs[CompressionTypes.Snappy]
    CompressionCodecs[CompressionTypes.Snappy] = factory
    try {
      await producer.send({ topic, compression: CompressionTypes.Snappy, messages: [{ value: 'one' }] })
      await producer.send({ topic, compression: CompressionTypes.Snappy, messages: [{ value: 'two' }] })
    } finally {
      CompressionCodecs[CompressionTypes.Snappy] = previous
    }
    expect(factory).toHaveBeenCalledTimes(1)
    expect(compress).toHaveBeenCalledTimes(2)
    expect(cluster.records(topic).map((r) => r.value?.toString())).toEqual(['one', 'two'])
  })

  it('fails the send with what a codec throws, and goes on sending', async () => {
    const topic = `compressed-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
    const producer = t.producer(cluster)
    await producer.connect()
    const previous = CompressionCodecs[CompressionTypes.Snappy]
    CompressionCodecs[CompressionTypes.Snappy] = () => ({
      compress: async () => {
        throw new Error('codec broke')
      },
      decompress: async (buffer: Buffer) => buffer,
    })
    try {
      const failure = producer.send({ topic, compression: CompressionTypes.Snappy, messages: [{ value: 'lost' }] })
      await expect(failure).rejects.toMatchObject({ name: 'KafkaJSNonRetriableError', retriable: false })
      await expect(failure).rejects.toThrow(/codec broke/)
    } finally {
      CompressionCodecs[CompressionTypes.Snappy] = previous
    }
    await producer.send({ topic, messages: [{ value: 'kept' }] })
    expect(cluster.records(topic).map((r) => r.value?.toString())).toEqual(['kept'])
  })

  describe('in transactions', () => {
    it('compresses a transaction with its sends’ compression, without a new producer id per transaction', async () => {
      const topic = `compressed-${secureRandom()}`
      const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
      const producer = t.producer(cluster, { transactionalId: `tx-${secureRandom()}` })
      await producer.connect()
      const initProducerIds = () => cluster.requests().filter((r) => r.apiName === 'InitProducerId').length

      for (let i = 0; i < 3; i++) {
        const txn = await producer.transaction()
        await txn.send({ topic, compression: CompressionTypes.GZIP, messages: [{ value: `gzip ${i}` }] })
        await txn.commit()
      }
      const committed = cluster.records(topic, { isolation: 'read_committed' })
      expect(committed.map((r) => r.value?.toString())).toEqual(['gzip 0', 'gzip 1', 'gzip 2'])
      expect(new Set(committed.map((r) => r.compression))).toEqual(new Set([CompressionTypes.GZIP]))
      // One for the first transaction (uncompressed), one when its first send asked for gzip.
      expect(initProducerIds()).toBe(2)
    })

    it('writes a later send asking for another compression with the transaction’s, and warns once', async () => {
      const topic = `compressed-${secureRandom()}`
      const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
      const entries: Array<{ level: number; message: string }> = []
      const producer = t.producer(
        cluster,
        { transactionalId: `tx-${secureRandom()}` },
        { logLevel: 2, logCreator: () => (entry) => entries.push({ level: entry.level, message: entry.log.message }) },
      )
      await producer.connect()
      const txn = await producer.transaction()
      await txn.send({ topic, compression: CompressionTypes.GZIP, messages: [{ value: 'a' }] })
      await txn.send({ topic, compression: CompressionTypes.None, messages: [{ value: 'b' }] })
      await txn.send({ topic, compression: CompressionTypes.Snappy, messages: [{ value: 'c' }] })
      await txn.commit()
      const committed = cluster.records(topic, { isolation: 'read_committed' })
      expect(committed.map((r) => [r.value?.toString(), r.compression])).toEqual([
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ])
      expect(entries.filter((e) => /A transaction sends with one compression/.test(e.message))).toHaveLength(1)
    })
  })
})
