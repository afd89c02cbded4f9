// kafkajs's src/producer/compression.spec.js (kafkajs 2.2.4), rewritten against this package and the
// mock cluster: without a registered codec, snappy, lz4 and zstd fail with KafkaJSNotImplemented.
// (Registering codecs is tested in test/compression.test.ts; the registry is per module, and this
// file registers none.)
import { beforeEach, describe, expect, it } from 'vitest'
import { CompressionTypes, KafkaJSNotImplemented, type Producer } from '../../src/index.js'
import { createModPartitioner, secureRandom, setup } from '../helpers.js'

describe('Producer (kafkajs src/producer/compression.spec.js)', () => {
  const t = setup()
  let topicName: string
  let producer: Producer

  beforeEach(async () => {
    topicName = `test-topic-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topicName, partitions: 1 }] })
    producer = t.producer(cluster, { createPartitioner: createModPartitioner })
    await producer.connect()
  })

  const codecsUsingExternalLibraries = [
    { name: 'snappy', codec: CompressionTypes.Snappy },
    { name: 'lz4', codec: CompressionTypes.LZ4 },
    { name: 'zstd', codec: CompressionTypes.ZSTD },
  ]

  for (const entry of codecsUsingExternalLibraries) {
    describe(`${entry.name} compression not configured`, () => {
      it('throws an error', async () => {
        await expect(
          producer.send({
            topic: topicName,
            compression: entry.codec,
            messages: [{ key: secureRandom(), value: secureRandom() }],
          }),
        ).rejects.toThrow(KafkaJSNotImplemented)
      })
    })
  }
})
