// Transactions beyond kafkajs's own tests: a failed record, fencing, reconnecting, offsets with metadata.
import { describe, expect, it } from 'vitest'
import { secureRandom, setup } from './helpers.js'

describe('transactions', () => {
  const t = setup()

  it('after a record of the transaction failed, refuses to commit, aborts, and runs the next transaction', async () => {
    const topic = `tx-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
    const producer = t.producer(cluster, { transactionalId: `tx-${secureRandom()}` })
    await producer.connect()
    const txn = await producer.transaction()
    await txn.send({ topic, messages: [{ value: 'kept back' }] })
    cluster.failNext('Produce', { errorCode: 29, topic }) // TOPIC_AUTHORIZATION_FAILED, not retriable
    await expect(txn.send({ topic, messages: [{ value: 'refused' }] })).rejects.toMatchObject({
      name: 'KafkaJSProtocolError',
      type: 'TOPIC_AUTHORIZATION_FAILED',
    })
    await expect(txn.commit()).rejects.toMatchObject({ name: 'KafkaJSNonRetriableError' })
    // Unlike kafkajs, whose transaction is unusable after a failed commit, it can still be aborted.
    expect(txn.isActive()).toBe(true)
    await txn.abort()
    expect(txn.isActive()).toBe(false)
    const next = await producer.transaction()
    await next.send({ topic, messages: [{ value: 'committed' }] })
    await next.commit()
    expect(cluster.records(topic, { isolation: 'read_committed' }).map((r) => String(r.value))).toEqual(['committed'])
  })

  it('is fenced by a newer producer with the same transactional id', async () => {
    const topic = `tx-${secureRandom()}`
    const transactionalId = `tx-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
    const older = t.producer(cluster, { transactionalId })
    await older.connect()
    const stale = await older.transaction()
    await stale.send({ topic, messages: [{ value: 'old' }] })
    const newer = t.producer(cluster, { transactionalId })
    await newer.connect()
    const current = await newer.transaction()
    await current.send({ topic, messages: [{ value: 'new' }] })
    await current.commit()
    const fenced = stale.send({ topic, messages: [{ value: 'too late' }] }).then(() => stale.commit())
    await expect(fenced).rejects.toMatchObject({ name: 'KafkaJSProtocolError', retriable: false })
    await expect(fenced).rejects.toHaveProperty(
      'type',
      expect.stringMatching(/^(PRODUCER_FENCED|INVALID_PRODUCER_EPOCH)$/),
    )
    expect(cluster.records(topic, { isolation: 'read_committed' }).map((r) => String(r.value))).toEqual(['new'])
  })

  it('begins again after the producer disconnected and connected', async () => {
    const topic = `tx-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
    const producer = t.producer(cluster, { transactionalId: `tx-${secureRandom()}` })
    await producer.connect()
    const first = await producer.transaction()
    await first.send({ topic, messages: [{ value: 'never committed' }] })
    await producer.disconnect()
    expect(first.isActive()).toBe(false)
    await expect(first.commit()).rejects.toThrow('Cannot continue to use transaction once ended')
    await expect(producer.transaction()).rejects.toThrow('The producer is disconnected')
    await producer.connect()
    const second = await producer.transaction()
    await second.send({ topic, messages: [{ value: 'committed' }] })
    await second.commit()
    expect(cluster.records(topic, { isolation: 'read_committed' }).map((r) => String(r.value))).toEqual(['committed'])
  })

  it('commits offsets with their metadata, and refuses offsets that are not numbers', async () => {
    const topic = `tx-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
    const producer = t.producer(cluster, { transactionalId: `tx-${secureRandom()}` })
    await producer.connect()
    const txn = await producer.transaction()
    await expect(
      txn.sendOffsets({ consumerGroupId: 'g', topics: [{ topic, partitions: [{ partition: 0, offset: 'seven' }] }] }),
    ).rejects.toThrow('Invalid offset "seven"')
    await expect(txn.sendOffsets({ consumerGroupId: '', topics: [] })).rejects.toThrow('Missing consumerGroupId')
    await txn.sendOffsets({
      consumerGroupId: 'g',
      topics: [{ topic, partitions: [{ partition: 0, offset: '7', metadata: 'checkpoint' } as never] }],
    })
    await txn.commit()
    expect(cluster.groupOffsets('g')).toEqual([
      expect.objectContaining({ topic, partition: 0, offset: 7n, metadata: 'checkpoint' }),
    ])
  })
})
