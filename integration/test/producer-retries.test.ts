import {
  KafkaProtocolError,
  ProducerClosedError,
  RetriesExhaustedError,
  TimeoutError,
  TributaryError,
} from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'
import { outcome } from '@tributary/test-support/async'
import { useHarness } from '@tributary/test-support/harness'
import type { MockCluster } from '@tributary/testing'
import { Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'

// Issue 16: `retries` bounds how often a failed batch is sent again, and `partitionsFor` reports a
// topic's partitions as the Java client's does.

const silent = { logger: {} }

function produceRequests(cluster: MockCluster): number {
  return cluster.requests().filter((r) => r.apiName === 'Produce').length
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

describe('Producer retries', () => {
  const h = useHarness({ producer: silent })

  it('retries: 0 fails a record after one attempt, with RetriesExhaustedError carrying the broker error', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers, retries: 0, lingerMs: 0 })
    await p.send({ topic: 't', value: 'warm-up' })
    const before = produceRequests(c)
    c.failNext('Produce', { errorCode: ErrorCodes.NOT_ENOUGH_REPLICAS })
    const result = await outcome(p.send({ topic: 't', value: 'once' }))
    expect(RetriesExhaustedError.isInstance(result)).toBe(true)
    const error = result as RetriesExhaustedError
    expect(error.attempts).toBe(1)
    expect(error.code).toBe(ErrorCodes.NOT_ENOUGH_REPLICAS)
    expect(KafkaProtocolError.isInstance(error.cause)).toBe(true)
    expect(error.message).toMatch(/after 1 attempt\(s\) \(retries: 0\); last error: .*NOT_ENOUGH_REPLICAS/)
    expect(produceRequests(c) - before).toBe(1)
    await p.send({ topic: 't', value: 'next' })
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['warm-up', 'next'])
  })

  it('retries: 2 sends a failing batch three times before it fails, and delivers one that succeeds on the third', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers, retries: 2, lingerMs: 0, retryBackoffMs: 10 })
    await p.send({ topic: 't', value: 'warm-up' })
    let before = produceRequests(c)
    c.failNext('Produce', { errorCode: ErrorCodes.REQUEST_TIMED_OUT, count: 3 })
    const failed = await outcome(p.send({ topic: 't', value: 'fails' }))
    expect(RetriesExhaustedError.isInstance(failed)).toBe(true)
    expect((failed as RetriesExhaustedError).attempts).toBe(3)
    expect(produceRequests(c) - before).toBe(3)
    before = produceRequests(c)
    c.failNext('Produce', { errorCode: ErrorCodes.REQUEST_TIMED_OUT, count: 2 })
    await p.send({ topic: 't', value: 'third time' })
    expect(produceRequests(c) - before).toBe(3)
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['warm-up', 'third time'])
  })

  it('ends a record with a TimeoutError when deliveryTimeoutMs runs out before the retries do', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const p = h.producer({
      bootstrapBrokers: c.bootstrapBrokers,
      retries: 1_000,
      lingerMs: 0,
      requestTimeoutMs: 200,
      deliveryTimeoutMs: 400,
      retryBackoffMs: 10,
      retryBackoffMaxMs: 20,
    })
    await p.connect()
    c.failNext('Produce', { errorCode: ErrorCodes.REQUEST_TIMED_OUT, count: 100_000 })
    const result = await outcome(p.send({ topic: 't', value: 'v' }))
    expect(TimeoutError.isInstance(result)).toBe(true)
    c.clearFailures()
  })

  it('keeps an idempotent partition in order without gaps when a batch exhausts its retries while later batches are in flight', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const p = h.producer({
      bootstrapBrokers: c.bootstrapBrokers,
      idempotent: true,
      retries: 1,
      lingerMs: 0,
      retryBackoffMs: 50,
      retryBackoffMaxMs: 50,
    })
    await p.send({ topic: 't', value: 'warm-up' })
    // The broker answers each request 50 ms after the one before, so all five batches are in flight
    // before the first answer. The first six Produce requests fail: every batch's first attempt, and
    // the first batch's retry, which exhausts its retries while the others wait behind it.
    c.setLatency(1, 50)
    c.failNext('Produce', { errorCode: ErrorCodes.REQUEST_TIMED_OUT, count: 6 })
    const sends: Array<ReturnType<typeof outcome>> = []
    for (const value of ['a', 'b', 'c', 'd', 'e']) {
      sends.push(outcome(p.send({ topic: 't', value })))
      await nextTurn()
    }
    const results = await Promise.all(sends)
    for (const r of results) if (r instanceof Error) expect(TributaryError.isInstance(r)).toBe(true)
    expect(RetriesExhaustedError.isInstance(results[0])).toBe(true)
    const stored = c.records('t').map((r) => r.value?.toString())
    const acked = ['a', 'b', 'c', 'd', 'e'].filter((_, i) => !(results[i] instanceof Error))
    // Every acknowledged record is stored once, in send order, and nothing else is.
    expect(stored).toEqual(['warm-up', ...acked])
    expect(acked).toEqual(['b', 'c', 'd', 'e'])
  })
})

describe('Producer.partitionsFor', () => {
  const h = useHarness({ producer: silent })

  it('lists every partition with its leader, replicas and in-sync replicas, as kafkajs sees them', async () => {
    const c = await h.start({ brokers: 3, topics: [{ name: 'orders', partitions: 6, replicationFactor: 3 }] })
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers })
    const partitions = await p.partitionsFor('orders')
    expect(partitions.map((x) => x.partition)).toEqual([0, 1, 2, 3, 4, 5])
    const address = new Map(c.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]))
    for (const info of partitions) {
      expect(info.topic).toBe('orders')
      expect(info.leader?.nodeId).toBe(c.leaderOf('orders', info.partition))
      expect(info.leader).toEqual({ nodeId: info.leader?.nodeId, ...address.get(info.leader?.nodeId ?? -1) })
      expect(info.replicas).toHaveLength(3)
      expect(info.offlineReplicas).toEqual([])
    }
    const admin = new Kafka({ clientId: 'peer', brokers: c.bootstrapBrokers, logLevel: logLevel.NOTHING }).admin()
    h.defer(() => admin.disconnect())
    await admin.connect()
    const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] })
    const theirs = [...(topics[0]?.partitions ?? [])].sort((a, b) => a.partitionId - b.partitionId)
    expect(
      partitions.map((x) => ({
        partition: x.partition,
        leader: x.leader?.nodeId,
        replicas: x.replicas.map((n) => n.nodeId),
        isr: x.isr.map((n) => n.nodeId),
      })),
    ).toEqual(theirs.map((t) => ({ partition: t.partitionId, leader: t.leader, replicas: t.replicas, isr: t.isr })))
  })

  it('fails within maxBlockMs with a TimeoutError naming a topic that does not exist when auto-creation is off', async () => {
    const c = await h.start({ autoCreateTopics: false })
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers, maxBlockMs: 300, retryBackoffMs: 20 })
    const result = await outcome(p.partitionsFor('missing'))
    expect(TimeoutError.isInstance(result)).toBe(true)
    expect((result as Error).message).toMatch(
      /topic 'missing' not present in metadata after 300 ms \(UNKNOWN_TOPIC_OR_PARTITION/,
    )
  })

  it('refuses after close with ProducerClosedError naming partitionsFor', async () => {
    const c = await h.start()
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers })
    await p.close()
    const result = await outcome(p.partitionsFor('t'))
    expect(ProducerClosedError.isInstance(result)).toBe(true)
    expect((result as Error).message).toMatch(/partitionsFor\(\)/)
  })
})
