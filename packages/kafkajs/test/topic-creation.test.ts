// allowAutoTopicCreation: kafkajs's metadata requests create missing topics (on brokers that allow
// it) unless the producer says false; then a send to a missing topic fails after its retries.
import { until } from '@tributary/test-support/async'
import { describe, expect, it } from 'vitest'
import { KafkaJSNumberOfRetriesExceeded } from '../src/index.js'
import { secureRandom, setup } from './helpers.js'

describe('allowAutoTopicCreation', () => {
  const t = setup()

  it('creates a missing topic on first use by default', async () => {
    const cluster = await t.cluster()
    const topic = `auto-${secureRandom()}`
    const producer = t.producer(cluster)
    await producer.connect()
    await producer.send({ topic, messages: [{ value: 'x' }] })
    expect(cluster.topics()).toContain(topic)
  })

  it('with false, fails a send to a missing topic after the retries, without creating it', async () => {
    const cluster = await t.cluster()
    const topic = `missing-${secureRandom()}`
    const producer = t.producer(cluster, { allowAutoTopicCreation: false, retry: { retries: 2, initialRetryTime: 5 } })
    await producer.connect()
    const failure = producer.send({ topic, messages: [{ value: 'x' }] })
    await expect(failure).rejects.toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    await expect(failure).rejects.toMatchObject({
      message: 'This server does not host this topic-partition',
      retryCount: 2,
      cause: { name: 'KafkaJSProtocolError', type: 'UNKNOWN_TOPIC_OR_PARTITION' },
    })
    expect(cluster.topics()).not.toContain(topic)
  })

  it('with false, sends once the topic exists, also when it is created during the retries', async () => {
    const cluster = await t.cluster({ topics: [{ name: 'exists', partitions: 1 }] })
    const producer = t.producer(cluster, { allowAutoTopicCreation: false, retry: { initialRetryTime: 50 } })
    await producer.connect()
    await producer.send({ topic: 'exists', messages: [{ value: 'x' }] })
    const topic = `later-${secureRandom()}`
    const metadataRequests = () => cluster.requests().filter((r) => r.apiName === 'Metadata').length
    const before = metadataRequests()
    const sent = producer.send({ topic, messages: [{ value: 'y' }] })
    await until(() => metadataRequests() > before, 'the first metadata request')
    cluster.createTopic(topic, 1)
    await sent
    expect(cluster.records(topic).map((r) => r.value?.toString())).toEqual(['y'])
  })
})
