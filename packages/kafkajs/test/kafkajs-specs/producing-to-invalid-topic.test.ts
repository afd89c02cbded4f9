// kafkajs's src/producer/__tests__/producingToInvalidTopic.spec.js (kafkajs 2.2.4), rewritten
// against this package and the mock cluster.
import { describe, expect, it } from 'vitest'
import { KafkaJSNonRetriableError } from '../../src/index.js'
import { secureRandom, setup } from '../helpers.js'

describe('Producer > Producing to invalid topics (kafkajs src/producer/__tests__/producingToInvalidTopic.spec.js)', () => {
  const t = setup()

  it('it rejects when producing to an invalid topic name, but is able to subsequently produce to a valid topic', async () => {
    const topicName = `test-topic-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topicName, partitions: 1 }] })
    const producer = t.producer(cluster)
    await producer.connect()

    const message = { key: `key-${secureRandom()}`, value: `value-${secureRandom()}` }
    const invalidTopicName = `${topicName}-abc)(*&^%`
    const failure = producer.send({ topic: invalidTopicName, messages: [message] })
    await expect(failure).rejects.toThrow('The request attempted to perform an operation on an invalid topic')
    // What kafkajs's catch code can also look at: kafkajs's retrier wraps the broker's answer.
    await expect(failure).rejects.toBeInstanceOf(KafkaJSNonRetriableError)
    await expect(failure).rejects.toMatchObject({
      retriable: false,
      cause: { name: 'KafkaJSProtocolError', type: 'INVALID_TOPIC_EXCEPTION', code: 17 },
    })

    await producer.send({ topic: topicName, messages: [message] })
    expect(cluster.records(topicName)).toHaveLength(1)
  })
})
