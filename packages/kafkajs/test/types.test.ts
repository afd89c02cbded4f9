// Type tests, checked by tsc (`npx tsc -p packages/kafkajs/tsconfig.json`; vitest runs them too, where
// they check nothing at run time): code written against kafkajs 2.2.4's declarations compiles
// against this package's, in both directions — this package's producer where kafkajs's `Producer`
// is expected, and values typed with kafkajs's types given to this package.
import type * as kafkajs from 'kafkajs'
import {
  CompressionTypes as KafkajsCompressionTypes,
  Partitioners as KafkajsPartitioners,
  logLevel as kafkajsLogLevel,
} from 'kafkajs'
import { describe, expectTypeOf, it } from 'vitest'
import * as ours from '../src/index.js'

// What a kafkajs application has, typed with kafkajs's declarations.
declare const kafkaConfig: kafkajs.KafkaConfig
declare const producerConfig: kafkajs.ProducerConfig
declare const record: kafkajs.ProducerRecord
declare const batch: kafkajs.ProducerBatch
declare const messages: kafkajs.Message[]
declare const offsets: kafkajs.Offsets & { consumerGroupId: string }
declare const creator: kafkajs.logCreator
declare const partitioner: kafkajs.ICustomPartitioner

/** Application code that takes kafkajs's producer, as services and libraries do. */
async function publish(producer: kafkajs.Producer, topic: string): Promise<kafkajs.RecordMetadata[]> {
  await producer.connect()
  const removeListener = producer.on(producer.events.REQUEST, (event: kafkajs.RequestEvent) => {
    void event.payload.duration
  })
  producer.on(producer.events.CONNECT, (event: kafkajs.ConnectEvent) => void event.timestamp)
  const result = await producer.send({
    topic,
    compression: KafkajsCompressionTypes.GZIP,
    messages: [{ key: 'k', value: 'v', headers: { trace: ['a', Buffer.from('b')] }, timestamp: String(Date.now()) }],
  })
  const transaction: kafkajs.Transaction = await producer.transaction()
  await transaction.sendOffsets({
    consumerGroupId: 'g',
    topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
  })
  if (transaction.isActive()) await transaction.commit()
  producer.logger().info('sent', { count: result.length })
  removeListener()
  return result
}

describe('types', () => {
  it('this package’s producer is a kafkajs Producer, and its transaction a kafkajs Transaction', async () => {
    const kafka = new ours.Kafka({ clientId: 'app', brokers: ['127.0.0.1:9092'] })
    const producer = kafka.producer({ idempotent: true })
    const asKafkajs: kafkajs.Producer = producer
    expectTypeOf(producer).toExtend<kafkajs.Producer>()
    expectTypeOf<ours.Transaction>().toExtend<kafkajs.Transaction>()
    expectTypeOf<ours.RecordMetadata>().toExtend<kafkajs.RecordMetadata>()
    expectTypeOf<ours.Logger>().toExtend<kafkajs.Logger>()
    expectTypeOf<ours.ProducerEvents>().toEqualTypeOf<kafkajs.ProducerEvents>()
    expectTypeOf(publish).toBeCallableWith(producer, 'orders')
    void asKafkajs
  })

  it('takes values typed with kafkajs’s types: configs, records, batches, messages, partitioners, codecs, levels', () => {
    // Compiled, not run: the values are only declared.
    const compileOnly = async () => {
      const kafka = new ours.Kafka(kafkaConfig)
      const producer = kafka.producer(producerConfig)
      expectTypeOf(producer.send(record)).toEqualTypeOf<Promise<ours.RecordMetadata[]>>()
      const fromKafkajs: kafkajs.RecordMetadata[] = await producer.sendBatch(batch)
      await producer.send({
        topic: 't',
        messages,
        acks: -1,
        timeout: 1000,
        compression: KafkajsCompressionTypes.Snappy,
      })
      const transaction = await producer.transaction()
      await transaction.sendOffsets(offsets)
      new ours.Kafka({ brokers: [], logLevel: kafkajsLogLevel.ERROR, logCreator: creator }).producer({
        createPartitioner: partitioner,
      })
      ours.Partitioners.DefaultPartitioner satisfies kafkajs.ICustomPartitioner
      new ours.Kafka({ brokers: [] }).producer({ createPartitioner: KafkajsPartitioners.LegacyPartitioner })
      // kafkajs's enums and this package's constants are the same numbers.
      expectTypeOf(ours.CompressionTypes.GZIP).toEqualTypeOf<1>()
      const level: kafkajs.logLevel = ours.logLevel.WARN
      const type: kafkajs.CompressionTypes = ours.CompressionTypes.ZSTD
      void [fromKafkajs, level, type]
    }
    expectTypeOf(compileOnly).toBeFunction()
  })

  it('registers codecs and partitioners as kafkajs does', () => {
    const codec = () => ({
      compress: async (encoder: { buffer: Buffer }) => encoder.buffer,
      decompress: async (buffer: Buffer) => buffer,
    })
    ours.CompressionCodecs[ours.CompressionTypes.Snappy] = codec
    ours.CompressionCodecs[ours.CompressionTypes.LZ4] = codec
    const custom: ours.ICustomPartitioner =
      () =>
      ({ partitionMetadata, message }) =>
        message.key === undefined ? 0 : partitionMetadata.length - 1
    expectTypeOf(custom).toEqualTypeOf<kafkajs.ICustomPartitioner>()
  })

  it('gives catch code kafkajs’s error classes and fields', () => {
    const handle = (error: unknown): string => {
      if (error instanceof ours.KafkaJSProtocolError) return `${error.type} ${error.code} ${error.retriable}`
      if (error instanceof ours.KafkaJSNumberOfRetriesExceeded) return `${error.retryCount} ${error.retryTime}`
      if (error instanceof ours.KafkaJSConnectionError) return `${error.broker}`
      if (ours.KafkaJSError.isInstance(error)) return `${error.name} ${error.retriable} ${error.helpUrl}`
      return String(error)
    }
    expectTypeOf(handle).returns.toEqualTypeOf<string>()
    expectTypeOf<ours.KafkaJSProtocolError>().toExtend<kafkajs.KafkaJSProtocolError>()
    expectTypeOf<ours.KafkaJSNumberOfRetriesExceeded>().toExtend<kafkajs.KafkaJSNumberOfRetriesExceeded>()
    expectTypeOf<ours.KafkaJSError>().toExtend<kafkajs.KafkaJSError>()
  })

  it('has no consumer or admin client, and refuses kafkajs’s mistakes as kafkajs’s types do', () => {
    const kafka = new ours.Kafka({ brokers: ['127.0.0.1:9092'] })
    const producer = kafka.producer()
    const neverCalled = () => {
      // @ts-expect-error consumers come from kafkajs itself (the message names it)
      kafka.consumer({ groupId: 'billing' })
      // @ts-expect-error admin clients come from kafkajs itself
      kafka.admin()
      // @ts-expect-error a message needs a value (null for a tombstone)
      void producer.send({ topic: 't', messages: [{ key: 'k' }] })
      // @ts-expect-error kafkajs's event names only
      producer.on('producer.crash', () => {})
      // @ts-expect-error kafkajs has no callback form
      void producer.send({ topic: 't', messages: [] }, () => {})
    }
    void neverCalled
  })
})
