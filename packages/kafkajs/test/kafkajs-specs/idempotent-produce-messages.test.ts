// kafkajs's src/producer/__tests__/idempotentProduceMessages.spec.js (kafkajs 2.2.4), rewritten
// against this package and the mock cluster. kafkajs makes its brokers' `produce` throw a retriable
// KafkaJSError with jest spies; here the mock brokers fail requests the same ways: a Produce answered
// with a retriable error code (nothing written), and a Produce written to the log whose answer comes
// too late (the client times out and sends it again). kafkajs reads the partition back with its
// consumer; here the mock cluster lists the partition's records.
import { until } from '@tributary/test-support/async'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Message, Producer } from '../../src/index.js'
import { secureRandom, setup } from '../helpers.js'

const arrayUnique = <T>(a: T[]): T[] => [...new Set(a)]

describe('Producer > Idempotent producer (kafkajs src/producer/__tests__/idempotentProduceMessages.spec.js)', () => {
  const t = setup()
  let topicName: string
  let messages: Message[]

  beforeEach(() => {
    topicName = `test-topic-${secureRandom()}`
    messages = Array.from({ length: 4 }, (_, i) => ({ key: `key-${secureRandom()}`, value: `${i}` }))
  })

  const start = async (): Promise<{ producer: Producer; cluster: Awaited<ReturnType<typeof t.cluster>> }> => {
    const cluster = await t.cluster({ topics: [{ name: topicName, partitions: 1 }] })
    // A short request timeout, so that an answer held back by the brokers times out quickly.
    const producer = t.producer(
      cluster,
      { idempotent: true, retry: { initialRetryTime: 10, maxRetryTime: 100 } },
      { requestTimeout: 300 },
    )
    await producer.connect()
    return { producer, cluster }
  }

  const values = (cluster: Awaited<ReturnType<typeof t.cluster>>) =>
    cluster.records(topicName).map((r) => r.value?.toString())

  /** The next Produce request is written to the log, and its answer comes after the client gave up. */
  const loseNextProduceAnswer = async (cluster: Awaited<ReturnType<typeof t.cluster>>) => {
    const before = cluster.requests().filter((r) => r.apiName === 'Produce').length
    for (const broker of cluster.brokers) cluster.setLatency(broker.nodeId, 1000)
    return async () => {
      await until(
        () => cluster.requests().filter((r) => r.apiName === 'Produce').length > before,
        'the Produce request',
      )
      for (const broker of cluster.brokers) cluster.setLatency(broker.nodeId, 0)
    }
  }

  it('sequential produce() calls > all messages are written to the partition once, in order', async () => {
    const { producer, cluster } = await start()
    for (const m of messages) await producer.send({ acks: -1, topic: topicName, messages: [m] })
    expect(values(cluster)).toEqual(['0', '1', '2', '3'])
  })

  it('sequential produce() calls > where produce() throws a retriable error, all messages are written to the partition once, in order', async () => {
    const { producer, cluster } = await start()
    for (const broker of cluster.brokers) cluster.failNext('Produce', { errorCode: 13, brokerId: broker.nodeId }) // NETWORK_EXCEPTION
    for (const m of messages) await producer.send({ acks: -1, topic: topicName, messages: [m] })
    expect(values(cluster)).toEqual(['0', '1', '2', '3'])
  })

  it('sequential produce() calls > where produce() throws a retriable error after the message is written to the log, all messages are written to the partition once, in order', async () => {
    const { producer, cluster } = await start()
    // kafkajs lets the first two produce calls through and fails the third after writing it.
    await producer.send({ acks: -1, topic: topicName, messages: [messages[0] as Message] })
    await producer.send({ acks: -1, topic: topicName, messages: [messages[1] as Message] })
    const answerLost = await loseNextProduceAnswer(cluster)
    const third = producer.send({ acks: -1, topic: topicName, messages: [messages[2] as Message] })
    await answerLost()
    await third
    await producer.send({ acks: -1, topic: topicName, messages: [messages[3] as Message] })
    expect(values(cluster)).toEqual(['0', '1', '2', '3'])
  })

  it('concurrent produce() calls > all messages are written to the partition once', async () => {
    const { producer, cluster } = await start()
    await Promise.all(messages.map((m) => producer.send({ acks: -1, topic: topicName, messages: [m] })))
    expect(values(cluster)).toHaveLength(messages.length)
    expect(arrayUnique(values(cluster))).toHaveLength(messages.length)
  })

  it('concurrent produce() calls > where produce() throws a retriable error on the first call, all messages are written to the partition once', async () => {
    const { producer, cluster } = await start()
    for (const broker of cluster.brokers) cluster.failNext('Produce', { errorCode: 13, brokerId: broker.nodeId })
    await Promise.allSettled(messages.map((m) => producer.send({ acks: -1, topic: topicName, messages: [m] })))
    expect(arrayUnique(values(cluster))).toHaveLength(messages.length)
    expect(values(cluster)).toHaveLength(messages.length)
  })

  it('concurrent produce() calls > where produce() throws a retriable error on 2nd call, all messages are written to the partition once', async () => {
    const { producer, cluster } = await start()
    await producer.send({ acks: -1, topic: topicName, messages: [{ value: 'first' }] })
    for (const broker of cluster.brokers) cluster.failNext('Produce', { errorCode: 13, brokerId: broker.nodeId })
    await Promise.allSettled(messages.map((m) => producer.send({ acks: -1, topic: topicName, messages: [m] })))
    const written = values(cluster).slice(1)
    expect(arrayUnique(written)).toHaveLength(messages.length)
    expect(written).toHaveLength(messages.length)
  })

  it('concurrent produce() calls > where produce() throws a retriable error after the message is written to the log, all messages are written to the partition once', async () => {
    const { producer, cluster } = await start()
    // A first send loads the topic's metadata (the brokers' late answers below would delay it too).
    await producer.send({ acks: -1, topic: topicName, messages: [{ value: 'first' }] })
    const answerLost = await loseNextProduceAnswer(cluster)
    const sends = Promise.all(messages.map((m) => producer.send({ acks: -1, topic: topicName, messages: [m] })))
    await answerLost()
    await sends
    const written = values(cluster).slice(1)
    expect(arrayUnique(written)).toHaveLength(messages.length)
    expect(written).toHaveLength(messages.length)
  })
})
