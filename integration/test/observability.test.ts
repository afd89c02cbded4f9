import diagnosticsChannel from 'node:diagnostics_channel'
import net from 'node:net'
import {
  type ConnectEvent,
  type DisconnectEvent,
  gzip,
  type MetadataEvent,
  type ProducerIdEvent,
  type RequestEvent,
  type RetryEvent,
  type SendEvent,
  SerializationError,
  TRIBUTARY_CHANNELS,
  type TransactionEvent,
} from '@tributary/core'
import { ErrorCodes, type ProduceResponse } from '@tributary/core/protocol'
import { outcome } from '@tributary/test-support/async'
import { useHarness } from '@tributary/test-support/harness'
import { KafkaProxy, rewriteResponse } from '@tributary/test-support/kafka-proxy'
import { afterEach, describe, expect, it, vi } from 'vitest'

// Issue 12: the producer's diagnostics_channel channels and metrics, seen by a subscriber.

const silent = { logger: {} }

type Handlers<T> = {
  start?: (m: T) => void
  end?: (m: T) => void
  asyncStart?: (m: T) => void
  asyncEnd?: (m: T) => void
  error?: (m: T) => void
}

/** Subscribes to a tracing channel for the rest of the test; returns what each event saw. */
function listen<T extends object>(name: string) {
  const events: Array<{ event: keyof Handlers<T>; message: T; snapshot: T }> = []
  const channel = diagnosticsChannel.tracingChannel<unknown, T>(name)
  const handler = (event: keyof Handlers<T>) => (message: unknown) =>
    events.push({ event, message: message as T, snapshot: { ...(message as T) } })
  const handlers = {
    start: handler('start'),
    end: handler('end'),
    asyncStart: handler('asyncStart'),
    asyncEnd: handler('asyncEnd'),
    error: handler('error'),
  }
  channel.subscribe(handlers)
  unsubscribers.push(() => channel.unsubscribe(handlers))
  return events
}

/** Subscribes to a plain channel for the rest of the test. */
function listenPlain<T>(name: string): T[] {
  const messages: T[] = []
  const handler = (message: unknown) => messages.push(message as T)
  diagnosticsChannel.subscribe(name, handler)
  unsubscribers.push(() => diagnosticsChannel.unsubscribe(name, handler))
  return messages
}

const unsubscribers: Array<() => void> = []

describe('Producer diagnostics channels', () => {
  const h = useHarness({ producer: silent })
  afterEach(() => {
    for (const u of unsubscribers.splice(0)) u()
    vi.useRealTimers()
  })

  it('traces each record from send to its acknowledgement or failure, on one payload object', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 2 }] })
    const events = listen<SendEvent>(TRIBUTARY_CHANNELS.send)
    const p = h.producer({
      bootstrapBrokers: c.bootstrapBrokers,
      clientId: 'obs',
      serializers: {
        value: (v: string) => {
          if (v === 'bad') throw new Error('cannot serialize bad')
          return Buffer.from(v)
        },
      },
    })
    const meta = await p.send({ topic: 't', value: 'good', partition: 1 })
    const failed = await outcome(p.send({ topic: 't', value: 'bad' }))
    expect(SerializationError.isInstance(failed)).toBe(true)
    const good = events.filter((e) => e.message.record.value === 'good')
    expect(good.map((e) => e.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd'])
    expect(new Set(good.map((e) => e.message)).size).toBe(1)
    expect(good[0]?.snapshot).toMatchObject({ clientId: 'obs', topic: 't' })
    expect(good[3]?.snapshot).toMatchObject({
      partition: 1,
      offset: meta.offset,
      timestamp: meta.timestamp,
      attempts: 1,
    })
    const bad = events.filter((e) => e.message.record.value === 'bad')
    expect(bad.map((e) => e.event)).toEqual(['start', 'error', 'asyncStart', 'asyncEnd', 'end'])
    expect(bad[1]?.snapshot.error).toBe(failed)
    expect(bad[1]?.snapshot.attempts).toBe(0)
  })

  it('lets a subscriber add a header at start (trace context propagation), after the serializers', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const channel = diagnosticsChannel.tracingChannel<unknown, SendEvent>(TRIBUTARY_CHANNELS.send)
    const none = () => {}
    const handlers = {
      start: (m: SendEvent) => m.setHeader('traceparent', '00-abc-def-01'),
      end: none,
      asyncStart: none,
      asyncEnd: none,
      error: none,
    }
    channel.subscribe(handlers)
    unsubscribers.push(() => channel.unsubscribe(handlers))
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers })
    await p.send({ topic: 't', value: 'v', headers: { source: 'web' } })
    const [record] = c.records('t')
    expect(record?.headers.map((x) => [x.key, x.value?.toString()])).toEqual([
      ['source', 'web'],
      ['traceparent', '00-abc-def-01'],
    ])
  })

  it('traces Produce requests with the broker, batches, records, bytes and latency', async () => {
    const c = await h.start({ brokers: 2, topics: [{ name: 't', partitions: 2 }] })
    const events = listen<RequestEvent>(TRIBUTARY_CHANNELS.request)
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 20 })
    await p.sendBatch([
      { topic: 't', value: 'a', partition: 0 },
      { topic: 't', value: 'b', partition: 0 },
      { topic: 't', value: 'c', partition: 1 },
    ])
    const ends = events.filter((e) => e.event === 'asyncEnd').map((e) => e.snapshot)
    expect(ends.reduce((n, e) => n + e.records, 0)).toBe(3)
    for (const e of ends) {
      expect(e.broker.nodeId).toBe(c.leaderOf('t', e.partitions[0]?.partition ?? -1))
      expect(e.bytes).toBeGreaterThan(0)
      expect(e.latencyMs).toBeGreaterThanOrEqual(0)
      expect(e.batches).toBe(e.partitions.length)
    }
  })

  it('publishes connections opened and closed, metadata refreshes, retries and the producer id', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const connects = listen<ConnectEvent>(TRIBUTARY_CHANNELS.connect)
    const refreshes = listen<MetadataEvent>(TRIBUTARY_CHANNELS.metadata)
    const disconnects = listenPlain<DisconnectEvent>(TRIBUTARY_CHANNELS.disconnect)
    const retries = listenPlain<RetryEvent>(TRIBUTARY_CHANNELS.retry)
    const ids = listenPlain<ProducerIdEvent>(TRIBUTARY_CHANNELS.producerId)
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers, clientId: 'obs', retryBackoffMs: 10 })
    await p.send({ topic: 't', value: 'first' })
    c.failNext('Produce', { errorCode: ErrorCodes.REQUEST_TIMED_OUT })
    await p.send({ topic: 't', value: 'retried' })
    c.failNext('Produce', { errorCode: ErrorCodes.UNKNOWN_PRODUCER_ID })
    await p.send({ topic: 't', value: 'bumped' })
    await p.close()
    const [host, port] = (c.bootstrapBrokers[0] as string).split(':')
    expect(connects.find((e) => e.event === 'asyncEnd')?.snapshot).toMatchObject({
      clientId: 'obs',
      host,
      port: Number(port),
      tls: false,
    })
    expect(refreshes.some((e) => e.event === 'asyncEnd' && e.snapshot.topics.includes('t'))).toBe(true)
    expect(retries[0]).toMatchObject({ topic: 't', partition: 0, records: 1, attempt: 1 })
    expect(retries[0]?.error.message).toMatch(/REQUEST_TIMED_OUT/)
    expect(ids.map((e) => [e.kind, e.producerEpoch])).toEqual([
      ['init', 0],
      ['bump', 1],
    ])
    expect(ids[1]).toMatchObject({ topic: 't', partition: 0 })
    expect(disconnects.length).toBeGreaterThan(0)
    expect(disconnects.every((e) => e.clientId === 'obs' && e.error instanceof Error)).toBe(true)
  })

  it('traces transactions: begin, commit and abort', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const events = listen<TransactionEvent>(TRIBUTARY_CHANNELS.transaction)
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers, transactionalId: 'tx-obs' })
    await p.transaction((tx) => tx.send({ topic: 't', value: 'a' }))
    await outcome(
      p.transaction(async () => {
        throw new Error('rolled back')
      }),
    )
    const seen = events.filter((e) => e.event === 'start').map((e) => e.snapshot.operation)
    expect(seen).toEqual(['begin', 'commit', 'begin', 'abort'])
    expect(events.every((e) => e.message.transactionalId === 'tx-obs')).toBe(true)
  })
})

describe('Producer metrics', () => {
  const h = useHarness({ producer: silent })

  it('counts records, requests, errors, retries and bytes with the Java producer names', async () => {
    const c = await h.start({ brokers: 2, topics: [{ name: 't', partitions: 2 }] })
    const p = h.producer({
      bootstrapBrokers: c.bootstrapBrokers,
      compression: gzip(),
      retryBackoffMs: 10,
      bufferBytes: 1 << 20,
      batchBytes: 1 << 16,
    })
    await p.sendBatch(Array.from({ length: 100 }, (_, i) => ({ topic: 't', value: 'x'.repeat(100), partition: i % 2 })))
    c.failNext('Produce', { errorCode: ErrorCodes.REQUEST_TIMED_OUT })
    await p.send({ topic: 't', value: 'retried', partition: 0 })
    c.failNext('Produce', { errorCode: ErrorCodes.INVALID_RECORD })
    await outcome(p.send({ topic: 't', value: 'failed', partition: 0 }))
    const m = p.metrics()
    // 102 records sent, one of them twice (the retry), one failed for good.
    expect(m.producer['record-send-total']).toBe(103)
    expect(m.producer['record-retry-total']).toBe(1)
    expect(m.producer['record-error-total']).toBe(1)
    expect(m.producer['record-send-rate']).toBeGreaterThan(0)
    expect(m.producer['request-total']).toBeGreaterThanOrEqual(4)
    expect(m.producer['request-latency-max']).toBeGreaterThanOrEqual(m.producer['request-latency-avg'])
    expect(m.producer['compression-rate-avg']).toBeLessThan(1)
    expect(m.producer['batch-size-max']).toBeGreaterThan(0)
    expect(m.producer['buffer-available-bytes']).toBe(1 << 20)
    expect(m.producer['requests-in-flight']).toBe(0)
    expect(m.producer['metadata-age']).toBeGreaterThanOrEqual(0)
    expect(m.topics.t?.['record-send-total']).toBe(103)
    expect(m.topics.t?.['record-error-total']).toBe(1)
    expect(Object.keys(m.brokers).sort()).toEqual(
      [...new Set([c.leaderOf('t', 0), c.leaderOf('t', 1)])].map(String).sort(),
    )
    const perBroker = Object.values(m.brokers).reduce((n, b) => n + b['request-total'], 0)
    expect(perBroker).toBe(m.producer['request-total'])
  })

  it('holds back requests to a broker for the throttle time it answered with, and reports it', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const proxy = await KafkaProxy.start(c.bootstrapBrokers[0] as string)
    h.defer(() => proxy.stop())
    const [host, port] = proxy.address.split(':') as [string, string]
    let throttled = false
    const produceAt: number[] = []
    proxy.hooks.request = (request) => {
      if (request.apiName === 'Produce') produceAt.push(Date.now())
      return 'forward'
    }
    proxy.hooks.response = (request, frame) => {
      if (request.apiName === 'Metadata') {
        return {
          bytes: rewriteResponse<{ brokers: Array<{ host: string; port: number }> }>(request, frame, (r) => {
            for (const b of r.brokers) Object.assign(b, { host, port: Number(port) })
          }),
        }
      }
      if (request.apiName === 'Produce' && !throttled) {
        throttled = true
        return {
          bytes: rewriteResponse<ProduceResponse>(request, frame, (r) => Object.assign(r, { throttleTimeMs: 300 })),
        }
      }
      return 'forward'
    }
    const p = h.producer({ bootstrapBrokers: [proxy.address], lingerMs: 0 })
    await p.send({ topic: 't', value: 'a' })
    const answered = Date.now()
    await p.send({ topic: 't', value: 'b' })
    // A lower bound, not a speed claim: the second request waits out the broker's throttle time.
    expect((produceAt[1] ?? 0) - answered).toBeGreaterThanOrEqual(290)
    expect(p.metrics().producer['produce-throttle-time-max']).toBe(300)
  })
})

describe('Producer logging', () => {
  const h = useHarness()

  it('warns when a record has waited 5 s for its topic’s metadata, naming the topic', async () => {
    const deaf = net.createServer((socket) => socket.on('error', () => {}))
    await new Promise<void>((resolve) => deaf.listen({ host: '127.0.0.1', port: 0 }, resolve))
    const sockets = new Set<net.Socket>()
    deaf.on('connection', (s) => sockets.add(s))
    h.defer(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy()
          deaf.close(() => resolve())
        }),
    )
    const asked = new Promise<void>((resolve) => deaf.once('connection', (s) => s.once('data', () => resolve())))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    const warnings: string[] = []
    const p = h.producer({
      bootstrapBrokers: [`127.0.0.1:${(deaf.address() as net.AddressInfo).port}`],
      logger: { warn: (m) => warnings.push(m) },
      requestTimeoutMs: 30_000,
    })
    const sent = outcome(p.send({ topic: 'orders', value: 'v' }, { timeoutMs: 60_000 }))
    await asked
    await vi.advanceTimersByTimeAsync(5_000)
    expect(warnings.some((w) => /record for topic 'orders' has waited 5 s for the topic's metadata/.test(w))).toBe(true)
    await vi.advanceTimersByTimeAsync(60_000)
    await sent
    vi.useRealTimers()
  })

  it('logs nothing at error level when a producer that never reached a broker is closed', async () => {
    const errors: string[] = []
    const p = h.producer({
      bootstrapBrokers: ['127.0.0.1:9'],
      logger: { error: (m) => errors.push(m) },
      connectTimeoutMs: 200,
    })
    await outcome(p.send({ topic: 't', value: 'v' }, { timeoutMs: 300 }))
    await p.close()
    expect(errors).toEqual([])
  })
})
