// Side by side: the same scenarios with kafkajs 2.2.4 itself and with this package, on the same mock
// cluster, and the same outcome from both (results, error classes, types, messages, the number of
// attempts). Where they differ on purpose, the test says so.
import * as kafkajs from 'kafkajs'
import { describe, expect, it } from 'vitest'
import type * as ours from '../src/index.js'
import { secureRandom, setup } from './helpers.js'

type AnyProducer = {
  connect(): Promise<void>
  disconnect(): Promise<void>
  send(record: unknown): Promise<unknown[]>
  sendBatch(batch: unknown): Promise<unknown[]>
  transaction(): Promise<{ send(r: unknown): Promise<unknown>; commit(): Promise<void>; abort(): Promise<void> }>
}

/** What an outcome looks like once what must differ is left out: logStartOffset (see the README). */
function normalize(outcome: unknown): unknown {
  if (Array.isArray(outcome)) {
    return outcome
      .map((entry) => {
        const { logStartOffset: _ignored, ...rest } = entry as Record<string, unknown>
        return rest
      })
      .sort((a, b) => `${a.topicName}/${a.partition}`.localeCompare(`${b.topicName}/${b.partition}`))
  }
  if (outcome instanceof Error) {
    const e = outcome as Error & Record<string, unknown>
    const cause = e.cause instanceof Error ? (e.cause as Error & Record<string, unknown>) : undefined
    return {
      error: e.name,
      // The topics are named after the client that used them.
      message: e.message.replace(/(kafkajs|ours)-[0-9a-f]{16}/g, '<topic>'),
      type: e.type,
      code: e.code,
      retriable: e.retriable,
      // kafkajs's causes are kafkajs errors; this package's are Tributary's, except where kafkajs wraps its own.
      causeType: cause?.type,
    }
  }
  return outcome
}

const settle = (promise: Promise<unknown>) => promise.then(normalize, normalize)

describe('parity with kafkajs 2.2.4', () => {
  const t = setup()

  const clients = (cluster: Awaited<ReturnType<typeof t.cluster>>) => ({
    kafkajs: (config: kafkajs.ProducerConfig = {}) =>
      t.track(
        t.kafkajs(cluster).producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner, ...config }),
      ) as unknown as AnyProducer,
    ours: (config: ours.ProducerConfig = {}) => t.producer(cluster, config) as unknown as AnyProducer,
  })

  /** Runs `scenario` with each client on its own topic(s); resolves with both outcomes. */
  async function both(
    scenario: (
      producer: AnyProducer,
      topic: string,
      cluster: Awaited<ReturnType<typeof t.cluster>>,
    ) => Promise<unknown>,
    options: { config?: ours.ProducerConfig; partitions?: number; create?: boolean } = {},
  ): Promise<{ kafkajs: unknown; ours: unknown; cluster: Awaited<ReturnType<typeof t.cluster>> }> {
    const cluster = await t.cluster()
    const make = clients(cluster)
    const outcomes: Record<'kafkajs' | 'ours', unknown> = { kafkajs: undefined, ours: undefined }
    for (const which of ['kafkajs', 'ours'] as const) {
      const topic = `${which}-${secureRandom()}`
      if (options.create !== false) cluster.createTopic(topic, options.partitions ?? 3)
      const producer = make[which](options.config as never)
      outcomes[which] = await scenario(producer, topic, cluster)
    }
    return { ...outcomes, cluster }
  }

  const keyed = Array.from({ length: 30 }, (_, i) => ({ key: `key-${i}`, value: `value-${i}`, headers: { h: 'v' } }))

  it('answers a send with the same partitions and offsets', async () => {
    const run = await both(async (p, topic) => {
      await p.connect()
      await p.send({ topic, messages: keyed })
      return settle(p.send({ topic, messages: keyed }))
    })
    expect(run.ours).toEqual(
      (run.kafkajs as Array<Record<string, unknown>>).map((e) => ({
        ...e,
        topicName: expect.stringMatching(/^ours-/),
      })),
    )
  })

  it('answers a sendBatch to several topics, and acks=0, the same way', async () => {
    const run = await both(async (p, topic, cluster) => {
      const other = `${topic}-b`
      cluster.createTopic(other, 2)
      await p.connect()
      const batch = await settle(
        p.sendBatch({
          topicMessages: [
            { topic, messages: keyed.slice(0, 10) },
            { topic: other, messages: keyed.slice(10, 20) },
            { topic, messages: keyed.slice(20) },
          ],
        }),
      )
      const none = await settle(p.send({ topic, acks: 0, messages: keyed }))
      return { batch: (batch as Array<Record<string, unknown>>).map(({ topicName: _t, ...rest }) => rest), none }
    })
    expect(run.ours).toEqual(run.kafkajs)
  })

  it('refuses the same invalid sends with the same errors', async () => {
    const scenario = async (p: AnyProducer, topic: string) => {
      const before = await settle(p.send({ topic, messages: [{ value: 'x' }] }))
      await p.connect()
      return {
        before,
        noTopic: await settle(p.send({ topic: '', messages: [] })),
        noMessages: await settle(p.send({ topic, messages: null })),
        noValue: await settle(p.send({ topic, messages: [{ key: 'k' }] })),
        invalidName: await settle(p.send({ topic: `${topic}-abc)(*&^%`, messages: [{ value: 'x' }] })),
        noTransactionalId: await settle(p.transaction()),
      }
    }
    const run = await both(scenario)
    expect(run.ours).toEqual(run.kafkajs)
    const idempotent = await both(
      async (p, topic) => {
        await p.connect()
        return settle(p.send({ topic, acks: 1, messages: [{ value: 'x' }] }))
      },
      { config: { idempotent: true } },
    )
    expect(idempotent.ours).toEqual(idempotent.kafkajs)
  })

  it('gives up after the same number of attempts, with the same error', async () => {
    const run = await both(
      async (p, topic, cluster) => {
        await p.connect()
        await p.send({ topic, messages: [{ value: 'metadata', partition: 0 }] })
        const before = cluster.requests().filter((r) => r.apiName === 'Produce').length
        cluster.failNext('Produce', { errorCode: 7, topic, count: 100 }) // REQUEST_TIMED_OUT, retriable
        const outcome = await settle(p.send({ topic, messages: [{ value: 'x', partition: 0 }] }))
        cluster.clearFailures()
        return { outcome, attempts: cluster.requests().filter((r) => r.apiName === 'Produce').length - before }
      },
      { config: { retry: { retries: 3, initialRetryTime: 5, maxRetryTime: 20 } } },
    )
    expect(run.ours).toEqual(run.kafkajs)
    expect(run.ours).toMatchObject({ attempts: 4, outcome: { error: 'KafkaJSNumberOfRetriesExceeded' } })
  })

  // kafkajs documents that an idempotent producer retries MAX_SAFE_INTEGER times, but
  // `kafka.producer()` always passes a retry object, so it retries as many times as any other:
  // kafkajs's default (5; under NODE_ENV=test, as here, its test default of 15). This package keeps
  // the production default, 5, for both.
  it('retries an idempotent producer made with kafka.producer() as many times as any other', async () => {
    const attempts = async (p: AnyProducer, topic: string, cluster: Awaited<ReturnType<typeof t.cluster>>) => {
      await p.connect()
      await p.send({ topic, messages: [{ value: 'metadata', partition: 0 }] })
      const before = cluster.requests().filter((r) => r.apiName === 'Produce').length
      cluster.failNext('Produce', { errorCode: 7, topic, count: 100 })
      const outcome = await settle(p.send({ topic, messages: [{ value: 'x', partition: 0 }] }))
      cluster.clearFailures()
      const count = cluster.requests().filter((r) => r.apiName === 'Produce').length - before
      return { name: (outcome as { error: string }).error, count }
    }
    const retry = { initialRetryTime: 1, maxRetryTime: 5 }
    const idempotent = await both(attempts, { config: { idempotent: true, retry } })
    const plain = await both(attempts, { config: { retry } })
    expect(idempotent.kafkajs).toEqual(plain.kafkajs)
    expect(idempotent.kafkajs).toEqual({ name: 'KafkaJSNumberOfRetriesExceeded', count: 16 }) // kafkajs's test defaults
    expect(idempotent.ours).toEqual(plain.ours)
    expect(idempotent.ours).toEqual({ name: 'KafkaJSNumberOfRetriesExceeded', count: 6 }) // kafkajs's defaults
  })

  it('fails a non-retriable broker error at once, with the same error', async () => {
    const run = await both(async (p, topic, cluster) => {
      await p.connect()
      await p.send({ topic, messages: [{ value: 'metadata', partition: 0 }] })
      cluster.failNext('Produce', { errorCode: 29, topic }) // TOPIC_AUTHORIZATION_FAILED
      return settle(p.send({ topic, messages: [{ value: 'x', partition: 0 }] }))
    })
    expect(run.ours).toEqual(run.kafkajs)
    expect(run.ours).toMatchObject({ error: 'KafkaJSProtocolError', type: 'TOPIC_AUTHORIZATION_FAILED', code: 29 })
  })

  it('with allowAutoTopicCreation false, fails a send to a missing topic the same way', async () => {
    const run = await both(
      async (p, topic, cluster) => {
        await p.connect()
        const outcome = await settle(p.send({ topic, messages: [{ value: 'x' }] }))
        return { outcome, created: cluster.topics().includes(topic) }
      },
      { create: false, config: { allowAutoTopicCreation: false, retry: { retries: 2, initialRetryTime: 5 } } },
    )
    expect(run.ours).toEqual(run.kafkajs)
    expect(run.ours).toMatchObject({ created: false, outcome: { error: 'KafkaJSNumberOfRetriesExceeded' } })
  })

  it('runs a transaction the same way, and refuses an ended one the same way', async () => {
    const run = await both(
      async (p, topic, cluster) => {
        await p.connect()
        const txn = await p.transaction()
        await txn.send({ topic, messages: [{ value: 'a', partition: 0 }] })
        await txn.commit()
        const again = await settle(txn.send({ topic, messages: [] }))
        const aborted = await p.transaction()
        await aborted.send({ topic, messages: [{ value: 'b', partition: 0 }] })
        await aborted.abort()
        return { again, committed: cluster.records(topic, { isolation: 'read_committed' }).map((r) => String(r.value)) }
      },
      { config: { transactionalId: `tx-${secureRandom()}` } },
    )
    expect(run.ours).toEqual(run.kafkajs)
    expect(run.ours).toMatchObject({ committed: ['a'] })
  })
})
