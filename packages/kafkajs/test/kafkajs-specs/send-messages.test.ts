// kafkajs's src/producer/sendMessages.spec.js (kafkajs 2.2.4): its tests of what reaches the
// brokers, rewritten against this package's public API and the mock cluster. kafkajs replaces its
// brokers, cluster and transaction manager with jest mocks and counts their calls; here the mock
// cluster's brokers fail requests and its request log and stored batches show what was sent.
// kafkajs's 'refreshes metadata if partition metadata is empty' tests an internal cache and is not
// ported.
import { beforeEach, describe, expect, test } from 'vitest'
import type { Message } from '../../src/index.js'
import { secureRandom, setup } from '../helpers.js'

describe('Producer > sendMessages (kafkajs src/producer/sendMessages.spec.js)', () => {
  const t = setup()
  let topic: string

  beforeEach(() => {
    topic = `topic-name-${secureRandom()}`
  })

  // kafkajs's messagesPerPartition: keys 3, 6, 9 on partition 0; 1, 4, 7 on 1; 2, 5, 8 on 2.
  const messages: Message[] = [3, 6, 9, 1, 4, 7, 2, 5, 8].map((key) => ({
    key: String(key),
    value: `value-${key}`,
    partition: key % 3,
  }))

  const cluster3 = () => t.cluster({ brokers: 3, topics: [{ name: topic, partitions: 3 }] })
  const produceRequests = (cluster: Awaited<ReturnType<typeof cluster3>>, brokerId: number) =>
    cluster.requests().filter((r) => r.apiName === 'Produce' && r.brokerId === brokerId).length

  test('only retry failed brokers', async () => {
    const cluster = await cluster3()
    const leaders = [0, 1, 2].map((p) => cluster.leaderOf(topic, p))
    expect(new Set(leaders).size).toBe(3) // one partition per broker, as kafkajs's mock has it
    const producer = t.producer(cluster, { retry: { initialRetryTime: 5 } })
    await producer.connect()
    cluster.failNext('Produce', { errorCode: 5, topic, partition: 0, count: 1 }) // LEADER_NOT_AVAILABLE
    cluster.failNext('Produce', { errorCode: 5, topic, partition: 2, count: 2 })

    const response = await producer.send({ topic, messages })

    expect(produceRequests(cluster, leaders[0] as number)).toBe(2)
    expect(produceRequests(cluster, leaders[1] as number)).toBe(1)
    expect(produceRequests(cluster, leaders[2] as number)).toBe(3)
    expect(response).toEqual(
      [0, 1, 2].map((partition) =>
        expect.objectContaining({ errorCode: 0, baseOffset: '0', partition, topicName: topic }),
      ),
    )
    expect(cluster.records(topic)).toHaveLength(9)
  })

  const PRODUCE_ERRORS = [
    ['UNKNOWN_TOPIC_OR_PARTITION', 3],
    ['LEADER_NOT_AVAILABLE', 5],
    ['NOT_LEADER_FOR_PARTITION', 6],
  ] as const

  for (const [errorType, errorCode] of PRODUCE_ERRORS) {
    test(`refresh stale metadata on ${errorType}`, async () => {
      const cluster = await cluster3()
      const producer = t.producer(cluster, { retry: { initialRetryTime: 5 } })
      await producer.connect()
      await producer.send({ topic, messages: [{ value: 'metadata loaded', partition: 0 }] })
      const metadataRequests = () => cluster.requests().filter((r) => r.apiName === 'Metadata').length
      const before = metadataRequests()
      cluster.failNext('Produce', { errorCode, topic })
      await producer.send({ topic, messages })
      expect(metadataRequests()).toBeGreaterThan(before)
      expect(cluster.records(topic)).toHaveLength(10)
    })
  }

  test('does not re-produce messages to brokers that are no longer leaders after metadata refresh', async () => {
    const cluster = await cluster3()
    const producer = t.producer(cluster, { retry: { initialRetryTime: 5 } })
    await producer.connect()
    await producer.send({ topic, messages: [{ value: 'metadata loaded', partition: 0 }] })
    const oldLeader = cluster.leaderOf(topic, 0)
    const newLeader = cluster.brokers.map((b) => b.nodeId).find((id) => id !== oldLeader) as number
    cluster.moveLeader(topic, 0, newLeader)
    const before = produceRequests(cluster, newLeader)

    await producer.send({ topic, messages: [{ value: 'after the move', partition: 0 }] })

    expect(produceRequests(cluster, newLeader)).toBe(before + 1)
    expect(cluster.records(topic, 0).map((r) => r.value?.toString())).toEqual(['metadata loaded', 'after the move'])
  })

  test('retrieves sequence information from the transaction manager and updates', async () => {
    const cluster = await cluster3()
    const producer = t.producer(cluster, { idempotent: true })
    await producer.connect()
    await producer.send({ topic, messages })
    await producer.send({ topic, messages })
    for (const partition of [0, 1, 2]) {
      expect(cluster.records(topic, partition).map((r) => r.sequence)).toEqual([0, 1, 2, 3, 4, 5])
    }
  })

  test('adds partitions to the transaction if transactional', async () => {
    const cluster = await cluster3()
    const producer = t.producer(cluster, { transactionalId: `transactional-id-${secureRandom()}` })
    await producer.connect()
    const txn = await producer.transaction()
    await txn.send({ topic, messages })
    expect(cluster.requests().filter((r) => r.apiName === 'AddPartitionsToTxn').length).toBeGreaterThan(0)
    await txn.commit()
    expect(cluster.records(topic, { isolation: 'read_committed' })).toHaveLength(9)
  })

  test('if transactional produces with the transactional id and producer id & epoch', async () => {
    const cluster = await cluster3()
    const transactionalId = `transactional-id-${secureRandom()}`
    const producer = t.producer(cluster, { transactionalId })
    await producer.connect()
    const txn = await producer.transaction()
    await txn.send({ topic, messages })
    const state = cluster.transaction(transactionalId)
    expect(state?.status).toBe('ongoing')
    for (const record of cluster.records(topic)) {
      expect(record.producerId).toBe(state?.producerId)
      expect(record.producerEpoch).toBe(state?.epoch)
    }
    await txn.commit()
  })

  test('if idempotent produces with the producer id & epoch without the transactional id', async () => {
    const cluster = await cluster3()
    const producer = t.producer(cluster, { idempotent: true })
    await producer.connect()
    await producer.send({ topic, messages })
    const ids = new Set(cluster.records(topic).map((r) => `${r.producerId}/${r.producerEpoch}`))
    expect(ids.size).toBe(1)
    expect(cluster.records(topic)[0]?.producerId).toBeGreaterThanOrEqual(0n)
    expect(cluster.records(topic, { isolation: 'read_committed' })).toHaveLength(9) // not transactional
  })
})
