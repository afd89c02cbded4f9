// The README's examples, as they are written there (the mock cluster from the harness, so that it
// stops after the test whatever happens).
import { Kafka as KafkaJS, logLevel as kafkajsLogLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { CompressionTypes, Kafka, KafkaJSNumberOfRetriesExceeded, logLevel } from '../src/index.js'
import { setup } from './helpers.js'

describe('README', () => {
  const t = setup()

  it('Example', async () => {
    const cluster = await t.cluster({ brokers: 3, topics: [{ name: 'orders', partitions: 6 }] })
    const kafka = new Kafka({ clientId: 'orders-service', brokers: cluster.bootstrapBrokers, logLevel: logLevel.WARN })
    const producer = kafka.producer({ idempotent: true })
    await producer.connect()

    const written = await producer.send({
      topic: 'orders',
      compression: CompressionTypes.GZIP,
      messages: [
        { key: 'o-1', value: JSON.stringify({ total: 12 }), headers: { source: 'web' } },
        { key: 'o-2', value: JSON.stringify({ total: 30 }) },
      ],
    })
    expect(written).toEqual(
      cluster
        .records('orders')
        .map((r) =>
          expect.objectContaining({ topicName: 'orders', partition: r.partition, errorCode: 0, baseOffset: '0' }),
        ),
    )

    const transactional = kafka.producer({ transactionalId: 'orders-writer-1' })
    await transactional.connect()
    const transaction = await transactional.transaction()
    try {
      await transaction.send({ topic: 'orders', messages: [{ key: 'o-3', value: 'paid' }] })
      await transaction.commit()
    } catch (error) {
      await transaction.abort()
      if (!(error instanceof KafkaJSNumberOfRetriesExceeded)) throw error
    }

    await Promise.all([producer.disconnect(), transactional.disconnect()])
    expect(cluster.records('orders', { isolation: 'read_committed' })).toHaveLength(3)
  })

  it('Keeping kafkajs for consumers and admin', async () => {
    const cluster = await t.cluster({ topics: [{ name: 'invoices', partitions: 2 }] })
    const config = { clientId: 'billing', brokers: cluster.bootstrapBrokers, logLevel: kafkajsLogLevel.NOTHING }
    const producer = t.track(new Kafka(config).producer()) // Tributary
    const consumer = t.track(new KafkaJS(config).consumer({ groupId: 'billing' })) // kafkajs
    const admin = t.track(new KafkaJS(config).admin()) // kafkajs

    await admin.connect()
    expect(await admin.listTopics()).toContain('invoices')
    const seen: string[] = []
    await consumer.connect()
    await consumer.subscribe({ topic: 'invoices', fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) })
    await producer.connect()
    await producer.send({
      topic: 'invoices',
      messages: ['i-1', 'i-2', 'i-3'].map((id) => ({ key: id, value: `invoice ${id}` })),
    })
    await expect.poll(() => seen.sort(), { timeout: 30_000 }).toEqual(['invoice i-1', 'invoice i-2', 'invoice i-3'])
  })
})
