import {
  ConfigError,
  jsonSerializer,
  murmur2,
  type Partitioner,
  PartitionerError,
  type Producer,
  ProducerClosedError,
  ProducerFencedError,
  type ProducerLike,
  type RecordMetadata,
  SerializationError,
  stringSerializer,
  TransactionStateError,
} from '@tributary/core'
import { outcome } from '@tributary/test-support/async'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { MockProducer } from '../src/index.js'

interface Order {
  id: string
  total: number
}

/** Application code under test: it takes any ProducerLike. */
async function publishOrder(producer: ProducerLike<string, Order>, order: Order): Promise<RecordMetadata> {
  return producer.send({ topic: 'orders', key: order.id, value: order, headers: { source: 'web' } })
}

const serializers = { key: stringSerializer(), value: jsonSerializer<Order>() }

describe('MockProducer', () => {
  const h = useHarness()

  it('runs the application code that takes a ProducerLike, and keeps what was sent with its bytes and partition', async () => {
    const mock = new MockProducer({ serializers, topics: { orders: 6 } })
    const meta = await publishOrder(mock, { id: 'o-1', total: 12 })
    const [sent] = mock.history()
    expect(sent?.record.value).toEqual({ id: 'o-1', total: 12 })
    expect(sent?.key?.toString()).toBe('o-1')
    expect(JSON.parse(sent?.value?.toString() ?? '')).toEqual({ id: 'o-1', total: 12 })
    expect(sent?.headers).toEqual([{ key: 'source', value: Buffer.from('web') }])
    // The default partitioner, as in production: Java's murmur2 of the key.
    expect(sent?.partition).toBe((murmur2(Buffer.from('o-1')) & 0x7fffffff) % 6)
    expect(meta).toEqual({ topic: 'orders', partition: sent?.partition, offset: 0n, timestamp: sent?.timestamp })
  })

  it('chooses the same partitions as a real Producer against a mock cluster with the same partition count', async () => {
    const cluster = await h.start({ topics: [{ name: 'orders', partitions: 6 }] })
    const producer = h.producer({ bootstrapBrokers: cluster.bootstrapBrokers, serializers })
    const mock = new MockProducer({ serializers, topics: { orders: 6 } })
    for (let i = 0; i < 30; i++) {
      const order = { id: `o-${i}`, total: i }
      const [real, fake] = await Promise.all([publishOrder(producer, order), publishOrder(mock, order)])
      expect(fake.partition).toBe(real.partition)
    }
  })

  it('gives offsets that grow per partition from 0, like a broker', async () => {
    const mock = new MockProducer({ topics: { t: 2 } })
    const metas = await Promise.all(
      [0, 1, 0, 0, 1].map((partition) => mock.send({ topic: 't', value: 'v', partition })),
    )
    expect(metas.map((m) => [m.partition, m.offset])).toEqual([
      [0, 0n],
      [1, 0n],
      [0, 1n],
      [0, 2n],
      [1, 1n],
    ])
  })

  it('fails a record whose serializer throws with the same SerializationError as Producer, and sends the rest', async () => {
    const mock = new MockProducer({
      serializers: {
        value: (v: number) => {
          if (v < 0) throw new Error('negative')
          return Buffer.from(String(v))
        },
      },
    })
    const results = await mock.sendBatch([
      { topic: 't', value: 1 },
      { topic: 't', value: -1 },
      { topic: 't', value: 2 },
    ])
    expect(results.map((r) => r.ok)).toEqual([true, false, true])
    const error = results[1]?.ok === false ? results[1].error : undefined
    expect(SerializationError.isInstance(error)).toBe(true)
    expect(error?.message).toMatch(/value of a record for topic 't': negative/)
    expect(mock.history().map((s) => s.value?.toString())).toEqual(['1', '2'])
  })

  it('fails a record whose partitioner throws with PartitionerError, and one naming a partition out of range with ConfigError', async () => {
    const partitioner: Partitioner = {
      partition: () => {
        throw new Error('no partition')
      },
    }
    const mock = new MockProducer({ partitioner, topics: { t: 3 } })
    expect(PartitionerError.isInstance(await outcome(mock.send({ topic: 't', value: 'a' })))).toBe(true)
    expect(ConfigError.isInstance(await outcome(mock.send({ topic: 't', value: 'a', partition: 3 })))).toBe(true)
  })

  it('holds sends with autoComplete off until completeNext or errorNext settles the oldest, in send order', async () => {
    const mock = new MockProducer({ autoComplete: false })
    const order: string[] = []
    const a = mock.send({ topic: 't', value: 'a' }).then(() => order.push('a'))
    const b = outcome(mock.send({ topic: 't', value: 'b' })).then((r) =>
      order.push(r instanceof Error ? 'b failed' : 'b'),
    )
    mock.send({ topic: 't', value: 'c' }, (error) => order.push(error === null ? 'c' : 'c failed'))
    await new Promise((resolve) => setImmediate(resolve))
    expect(order).toEqual([])
    expect(mock.flushed()).toBe(false)
    expect(mock.completeNext()).toBe(true)
    expect(mock.errorNext(new Error('broker down'))).toBe(true)
    await Promise.all([a, b])
    expect(order).toEqual(['a', 'b failed'])
    await mock.flush()
    expect(order).toEqual(['a', 'b failed', 'c'])
    expect(mock.flushed()).toBe(true)
    expect(mock.completeNext()).toBe(false)
    // The failed record is not in the history: a broker would not have it.
    expect(mock.history().map((s) => s.value?.toString())).toEqual(['a', 'c'])
  })

  it('keeps records of a transaction out of the history until it commits, and drops them on abort', async () => {
    const mock = new MockProducer({ transactionalId: 'tx' })
    expect(TransactionStateError.isInstance(await outcome(mock.send({ topic: 't', value: 'outside' })))).toBe(true)
    await mock.connect()
    expect(mock.transactionInitialized).toBe(true)
    mock.beginTransaction()
    await mock.send({ topic: 't', value: 'aborted' })
    expect(mock.uncommitted()).toHaveLength(1)
    await mock.abortTransaction()
    expect(mock.transactionAborted).toBe(true)
    await mock.transaction(async (tx) => {
      await tx.send({ topic: 't', value: 'kept' })
      await tx.sendOffsets([{ topic: 'in', partition: 0, offset: 5n }], {
        groupId: 'g',
        generationId: 1,
        memberId: 'm',
      })
      expect(mock.transactionInFlight).toBe(true)
      expect(mock.sentOffsets()).toBe(true)
    })
    expect(mock.transactionCommitted).toBe(true)
    expect(mock.history().map((s) => s.value?.toString())).toEqual(['kept'])
    expect(mock.consumerGroupOffsetsHistory()).toEqual([
      { groupId: 'g', offsets: [{ topic: 'in', partition: 0, offset: 5n }] },
    ])
    expect(mock.transactionCounts).toEqual({ committed: 1, aborted: 1 })
  })

  it('aborts and rethrows when the transaction body throws, as Producer.transaction does', async () => {
    const mock = new MockProducer({ transactionalId: 'tx' })
    const result = await outcome(
      mock.transaction(async (tx) => {
        await tx.send({ topic: 't', value: 'lost' })
        throw new Error('body failed')
      }),
    )
    expect((result as Error).message).toBe('body failed')
    expect(mock.transactionAborted).toBe(true)
    expect(mock.history()).toEqual([])
  })

  it('fails everything with ProducerFencedError once fenced', async () => {
    const mock = new MockProducer({ transactionalId: 'tx' })
    await mock.connect()
    mock.fenceProducer()
    expect(() => mock.beginTransaction()).toThrow(ProducerFencedError)
    expect(ProducerFencedError.isInstance(await outcome(mock.send({ topic: 't', value: 'v' })))).toBe(true)
  })

  it('refuses sends after close with ProducerClosedError, and reports closed()', async () => {
    const mock = new MockProducer()
    await mock.close()
    expect(mock.closed()).toBe(true)
    expect(ProducerClosedError.isInstance(await outcome(mock.send({ topic: 't', value: 'v' })))).toBe(true)
  })

  it('answers partitionsFor from its configured topics, and clear() forgets the history', async () => {
    const mock = new MockProducer({ topics: { orders: 3 }, defaultPartitions: 0 })
    const partitions = await mock.partitionsFor('orders')
    expect(partitions.map((p) => [p.topic, p.partition, p.leader?.nodeId])).toEqual([
      ['orders', 0, 0],
      ['orders', 1, 0],
      ['orders', 2, 0],
    ])
    await expect(mock.partitionsFor('missing')).rejects.toThrow(/topic 'missing' not present/)
    await mock.send({ topic: 'orders', value: 'v' })
    mock.clear()
    expect(mock.history()).toEqual([])
  })

  it('keeps going when a send callback throws, and shows what it threw', async () => {
    const mock = new MockProducer()
    mock.send({ topic: 't', value: 'a' }, () => {
      throw new Error('callback bug')
    })
    await mock.send({ topic: 't', value: 'b' })
    await mock.flush()
    expect(mock.thrownByCallbacks().map((e) => (e as Error).message)).toEqual(['callback bug'])
  })

  it('has the types Producer has: it infers them from the serializers and refuses what Producer refuses', () => {
    const mock = new MockProducer({ serializers })
    expectTypeOf(mock).toMatchTypeOf<ProducerLike<string | null | undefined, Order>>()
    type MockSent = Parameters<typeof mock.send>[0]
    type RealSent = Parameters<Producer<string | null | undefined, Order>['send']>[0]
    expectTypeOf<MockSent>().toEqualTypeOf<RealSent>()
    const typeOnly = (_body: () => unknown): void => {}
    typeOnly(() => {
      // @ts-expect-error a number is not an Order
      void mock.send({ topic: 'orders', value: 42 })
      // @ts-expect-error the key serializer takes strings
      void mock.send({ topic: 'orders', key: 1, value: { id: 'o', total: 1 } })
    })
  })
})
