import {
  BrokerNotAvailableError,
  ConfigError,
  jsonSerializer,
  KafkaProtocolError,
  murmur2,
  Producer,
  ProducerClosedError,
  RecordTooLargeError,
  SerializationError,
  stringSerializer,
  TimeoutError,
} from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it } from 'vitest'

describe('Producer against the mock cluster', () => {
  const { start, producer, track } = useHarness()

  it('sends a record and resolves with the topic, partition, offset and timestamp the broker gave it', async () => {
    const c = await start({ topics: [{ name: 'orders', partitions: 3 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers })
    const meta = await p.send({ topic: 'orders', key: 'o-1', value: 'first', timestamp: 1_700_000_000_123 })
    expect(meta).toEqual({ topic: 'orders', partition: meta.partition, offset: 0n, timestamp: 1_700_000_000_123n })
    const [record] = c.records('orders', meta.partition)
    expect(record?.value?.toString()).toBe('first')
    expect(record?.key?.toString()).toBe('o-1')
    expect(record?.producerId).toBe(p.producerId)
  })

  it('connects up front and reports its producer id and epoch', async () => {
    const c = await start()
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers.join(',') })
    const identity = await p.connect()
    expect(identity.producerId).toBeGreaterThanOrEqual(0n)
    expect(identity.producerEpoch).toBe(0)
    expect(p.producerId).toBe(identity.producerId)
  })

  it('fails fast in connect when no broker is reachable, naming the addresses tried', async () => {
    const c = await start()
    const addresses = c.bootstrapBrokers
    await c.stop()
    const p = producer({ bootstrapBrokers: addresses, connectTimeoutMs: 1000 })
    const error = await p.connect().catch((e: unknown) => e)
    expect(BrokerNotAvailableError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain(addresses[0])
  })

  it('puts keyed records on the partition the Java client would choose', async () => {
    const c = await start({ brokers: 3, topics: [{ name: 't', partitions: 7 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers })
    const keys = Array.from({ length: 200 }, (_, i) => `key-${i}`)
    const metas = await Promise.all(keys.map((key) => p.send({ topic: 't', key, value: 'v' })))
    for (let i = 0; i < keys.length; i++) {
      const expected = (murmur2(Buffer.from(keys[i] as string)) & 0x7fffffff) % 7
      expect(metas[i]?.partition).toBe(expected)
    }
  })

  it('resolves promises for one partition in send order', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 2 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 1, batchBytes: 300 })
    const order: number[] = []
    const done = Array.from({ length: 500 }, (_, i) =>
      p.send({ topic: 't', value: String(i), partition: 0 }).then(() => order.push(i)),
    )
    await Promise.all(done)
    expect(order).toEqual(Array.from({ length: 500 }, (_, i) => i))
    expect(c.records('t', 0).map((r) => Number(r.value?.toString()))).toEqual(order)
  })

  it('calls callbacks for one partition in send order', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 2 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 1, batchBytes: 300 })
    const order: number[] = []
    await new Promise<void>((resolve, reject) => {
      for (let i = 0; i < 500; i++) {
        p.send({ topic: 't', value: String(i), partition: 1 }, (error) => {
          if (error !== null) reject(error)
          order.push(i)
          if (order.length === 500) resolve()
        })
      }
    })
    expect(order).toEqual(Array.from({ length: 500 }, (_, i) => i))
  })

  it('reports per record which failed in sendBatch and sends the rest', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 2 }] })
    type Order = { id: number; total: bigint | number }
    const p = producer({
      bootstrapBrokers: c.bootstrapBrokers,
      serializers: { key: stringSerializer(), value: jsonSerializer<Order>() },
    })
    const results = await p.sendBatch([
      { topic: 't', key: 'a', value: { id: 1, total: 10 } },
      { topic: 't', key: 'b', value: { id: 2, total: 10n } },
      { topic: 't', key: 'c', value: { id: 3, total: 30 }, partition: 9 },
      { topic: 't', key: 'd', value: { id: 4, total: 40 } },
    ])
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true])
    expect(SerializationError.isInstance(results[1]?.ok === false ? results[1].error : null)).toBe(true)
    expect(ConfigError.isInstance(results[2]?.ok === false ? results[2].error : null)).toBe(true)
    expect(
      c
        .records('t')
        .map((r) => JSON.parse(r.value?.toString() ?? 'null').id)
        .sort(),
    ).toEqual([1, 4])
  })

  it('accepts headers as an object, a Map or pairs with duplicates, in order', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers })
    await p.send({ topic: 't', value: 'a', headers: { source: 'web', trace: Buffer.from([1, 2]) } })
    await p.send({ topic: 't', value: 'b', headers: new Map([['m', 'x']]) })
    await p.send({
      topic: 't',
      value: 'c',
      headers: [
        ['dup', '1'],
        ['dup', '2'],
        ['nil', null],
      ],
    })
    const [a, b, cc] = c.records('t')
    expect(a?.headers).toEqual([
      { key: 'source', value: Buffer.from('web') },
      { key: 'trace', value: Buffer.from([1, 2]) },
    ])
    expect(b?.headers).toEqual([{ key: 'm', value: Buffer.from('x') }])
    expect(cc?.headers).toEqual([
      { key: 'dup', value: Buffer.from('1') },
      { key: 'dup', value: Buffer.from('2') },
      { key: 'nil', value: null },
    ])
  })

  it('awaits async serializers without reordering records', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({
      bootstrapBrokers: c.bootstrapBrokers,
      serializers: {
        value: async (v: number) => {
          await new Promise((r) => setTimeout(r, v % 3))
          return Buffer.from(String(v))
        },
      },
    })
    const metas = await Promise.all(Array.from({ length: 50 }, (_, i) => p.send({ topic: 't', value: i })))
    expect(metas.map((m) => m.offset)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i)))
  })

  it('retries a retriable error and delivers each record exactly once', async () => {
    const c = await start({ brokers: 3, topics: [{ name: 't', partitions: 3 }] })
    c.failNext('Produce', { errorCode: ErrorCodes.NOT_ENOUGH_REPLICAS, count: 3 })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, retryBackoffMs: 10 })
    const results = await p.sendBatch(
      Array.from({ length: 300 }, (_, i) => ({ topic: 't', key: `k${i}`, value: `v${i}` })),
    )
    expect(results.every((r) => r.ok)).toBe(true)
    const values = c.records('t').map((r) => r.value?.toString())
    expect(values).toHaveLength(300)
    expect(new Set(values).size).toBe(300)
  })

  it('follows a leader that moved and refreshes metadata', async () => {
    const c = await start({ brokers: 3, topics: [{ name: 't', partitions: 1 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, retryBackoffMs: 10 })
    await p.send({ topic: 't', value: 'before' })
    const from = c.leaderOf('t', 0)
    c.moveLeader('t', 0, from === 3 ? 1 : from + 1)
    const meta = await p.send({ topic: 't', value: 'after' })
    expect(meta.offset).toBe(1n)
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['before', 'after'])
  })

  it('survives dropped connections without duplicating or reordering records', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 2 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, retryBackoffMs: 10, lingerMs: 0, batchBytes: 2000 })
    await p.connect()
    const sends: Array<Promise<unknown>> = []
    for (let i = 0; i < 2000; i++) {
      sends.push(p.send({ topic: 't', value: `v${i}`, partition: i % 2 }))
      if (i % 400 === 399) c.dropConnections()
    }
    await Promise.all(sends)
    for (const partition of [0, 1]) {
      const values = c.records('t', partition).map((r) => Number(r.value?.toString().slice(1)))
      expect(values).toEqual(Array.from({ length: 1000 }, (_, i) => i * 2 + partition))
    }
  })

  it('bumps its epoch when the broker forgets it and resends without duplicates', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, retryBackoffMs: 10 })
    await p.send({ topic: 't', value: 'a' })
    c.failNext('Produce', { errorCode: ErrorCodes.UNKNOWN_PRODUCER_ID })
    await p.send({ topic: 't', value: 'b' })
    await p.send({ topic: 't', value: 'c' })
    expect(p.producerEpoch).toBe(1)
    expect(c.records('t').map((r) => [r.value?.toString(), r.producerEpoch])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 1],
    ])
  })

  it('fails records with a typed error carrying the Kafka code for a non-retriable error', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    c.failNext('Produce', { errorCode: ErrorCodes.TOPIC_AUTHORIZATION_FAILED })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers })
    const error = await p.send({ topic: 't', value: 'x' }).catch((e: unknown) => e)
    expect(KafkaProtocolError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ code: ErrorCodes.TOPIC_AUTHORIZATION_FAILED, retriable: false })
    expect((await p.send({ topic: 't', value: 'y' })).offset).toBe(0n)
  })

  it('resolves acks=0 sends with offset -1 and still delivers', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, acks: 0 })
    const meta = await p.send({ topic: 't', value: 'fire' })
    expect(meta.offset).toBe(-1n)
    await p.flush()
    await expect.poll(() => c.records('t').length).toBe(1)
  })

  it('compresses batches with gzip', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, compression: 'gzip' })
    await p.sendBatch(Array.from({ length: 100 }, (_, i) => ({ topic: 't', value: `value ${i} `.repeat(20) })))
    expect(c.batches('t', 0).every((b) => b.compression === 1)).toBe(true)
    expect(c.records('t')).toHaveLength(100)
  })

  it('rejects a record larger than maxRequestBytes at once, alone', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, maxRequestBytes: 10_000 })
    const results = await p.sendBatch([
      { topic: 't', value: 'small' },
      { topic: 't', value: 'x'.repeat(20_000) },
    ])
    expect(results[0]?.ok).toBe(true)
    expect(RecordTooLargeError.isInstance(results[1]?.ok === false ? results[1].error : null)).toBe(true)
  })

  it('times out delivery when no broker answers, with a TimeoutError', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({
      bootstrapBrokers: c.bootstrapBrokers,
      deliveryTimeoutMs: 600,
      requestTimeoutMs: 300,
      lingerMs: 0,
      retryBackoffMs: 20,
    })
    await p.connect()
    await c.stopBroker(1)
    const error = await p.send({ topic: 't', value: 'x' }).catch((e: unknown) => e)
    expect(TimeoutError.isInstance(error)).toBe(true)
  })

  it('rejects sends after close with ProducerClosedError', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers })
    await p.send({ topic: 't', value: 'x' })
    await p.close()
    const error = await p.send({ topic: 't', value: 'y' }).catch((e: unknown) => e)
    expect(ProducerClosedError.isInstance(error)).toBe(true)
  })

  it('flushes lingering records on flush and close', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 60_000 })
    await p.connect()
    const sent = p.send({ topic: 't', value: 'lingering' })
    await p.flush()
    expect((await sent).offset).toBe(0n)
    const later = p.send({ topic: 't', value: 'at close' })
    await p.close()
    expect((await later).offset).toBe(1n)
  })

  it('builds from standard Kafka producer properties', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = Producer.fromProperties({
      'bootstrap.servers': c.bootstrapBrokers.join(','),
      acks: 'all',
      'linger.ms': 1,
      'compression.type': 'gzip',
      'enable.idempotence': true,
    })
    track(p)
    expect((await p.send({ topic: 't', value: 'props' })).offset).toBe(0n)
    expect(c.batches('t', 0)[0]?.compression).toBe(1)
    expect(() => Producer.fromProperties({ 'bootstrap.servers': 'x:1', 'lingr.ms': 5 })).toThrow(/lingr\.ms/)
  })
})
