import net from 'node:net'
import {
  AuthenticationError,
  type Codec,
  CompressionError,
  gzip,
  KafkaProtocolError,
  PartitionerError,
  Producer,
  ProducerClosedError,
  type ProducerOptions,
  RecordTooLargeError,
  TimeoutError,
  TransactionStateError,
  TributaryError,
} from '@tributary/core'
import { ErrorCodes, type MetadataResponse as WireMetadata } from '@tributary/core/protocol'
import { outcome } from '@tributary/test-support/async'
import { KafkaProxy, type ProxiedRequest, rewriteResponse } from '@tributary/test-support/kafka-proxy'
import { MockCluster } from '@tributary/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'

// Issue 9: every record handed to the producer settles — acknowledged or a typed error — by its
// delivery deadline, whatever the broker answers (or does not) and whatever user code throws; and
// after a fault the producer sends again. One regression test per way it used to wedge.

const quiet = { logger: false as const }
/** A producer logger that keeps quiet. */
const silent = { logger: {} }
/** Timers faked while the sockets stay real: time moves only when a test says so. */
const FAKE_TIME: Parameters<typeof vi.useFakeTimers>[0] = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
}

type AnyProducer = Producer<unknown, unknown, unknown, unknown>

/** Resolves at the first request of `apiName` the cluster receives. */
function nextRequest(cluster: MockCluster, apiName: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (entry: { apiName: string }) => {
      if (entry.apiName !== apiName) return
      cluster.off('request', listener)
      resolve()
    }
    cluster.on('request', listener)
  })
}

describe('Producer: every record settles by its deadline, and the producer sends again after a fault', () => {
  const producers: AnyProducer[] = []
  const servers: Array<{ stop(): Promise<void> }> = []

  afterEach(async () => {
    vi.useRealTimers()
    await Promise.all(producers.splice(0).map((p) => p.close({ timeoutMs: 2000 }).catch(() => {})))
    await Promise.all(servers.splice(0).map((s) => s.stop()))
  })

  async function cluster(options: Parameters<typeof MockCluster.start>[0] = {}): Promise<MockCluster> {
    const c = await MockCluster.start({ ...quiet, ...options })
    servers.push(c)
    return c
  }

  function producer<K = Buffer | string | null, V = Buffer | string | null>(
    options: ProducerOptions<K, V, string, Buffer | string | null>,
  ): Producer<K, V, string, Buffer | string | null> {
    const p = new Producer(options)
    producers.push(p as unknown as AnyProducer)
    return p
  }

  /**
   * A proxy in front of a one-broker cluster that also advertises itself as the broker, so that
   * every request of the producer goes through its hooks.
   */
  async function proxied(c: MockCluster): Promise<KafkaProxy> {
    const proxy = await KafkaProxy.start(c.bootstrapBrokers[0] as string)
    servers.push(proxy)
    const [host, port] = proxy.address.split(':') as [string, string]
    proxy.hooks.response = (request, frame) =>
      request.apiName === 'Metadata' ? { bytes: advertise(request, frame, host, Number(port)) } : 'forward'
    return proxy
  }

  function advertise(request: ProxiedRequest, frame: Buffer, host: string, port: number): Buffer {
    return rewriteResponse<WireMetadata>(request, frame, (response) => {
      for (const b of response.brokers) {
        b.host = host
        b.port = port
      }
    })
  }

  it('sends again after a batch that was already sent expired, with nothing left in flight', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }] })
    const p = producer({
      ...silent,
      bootstrapBrokers: c.bootstrapBrokers,
      deliveryTimeoutMs: 600,
      requestTimeoutMs: 200,
      lingerMs: 0,
      retryBackoffMs: 20,
      retryBackoffMaxMs: 50,
    })
    await p.connect()
    c.failNext('Produce', { errorCode: ErrorCodes.REQUEST_TIMED_OUT, count: 1000 })
    const a = await outcome(p.send({ topic: 't', value: 'a' }))
    expect(a).toBeInstanceOf(Error)
    expect(TimeoutError.isInstance(a)).toBe(true)
    expect((a as Error).message).toMatch(/may or may not have been written/)
    c.clearFailures()
    const b = await p.send({ topic: 't', value: 'b' })
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['b'])
    expect(b.offset).toBe(0n)
  }, 20_000)

  it.each(['Metadata', 'ApiVersions', 'InitProducerId', 'Produce'])(
    'recovers when a %s response cannot be decoded: the request fails, is retried, and the record is stored once',
    async (api) => {
      const c = await cluster({ topics: [{ name: 't', partitions: 1 }] })
      const proxy = await proxied(c)
      const advertiseAll = proxy.hooks.response
      let corrupted = 0
      proxy.hooks.response = (request, frame) => {
        if (request.apiName === api && corrupted === 0) {
          corrupted++
          // A valid correlation id, then bytes that decode as nothing sensible.
          const bad = Buffer.alloc(Math.max(frame.length, 16), 0xff)
          frame.copy(bad, 0, 0, 4)
          return { bytes: bad }
        }
        return advertiseAll?.(request, frame) ?? 'forward'
      }
      const p = producer({
        ...silent,
        bootstrapBrokers: [proxy.address],
        requestTimeoutMs: 1000,
        deliveryTimeoutMs: 5000,
        retryBackoffMs: 20,
      })
      const meta = await p.send({ topic: 't', value: 'v' })
      expect(corrupted).toBe(1)
      expect(c.records('t').map((r) => r.value?.toString())).toEqual(['v'])
      expect(meta.offset).toBe(0n)
    },
    20_000,
  )

  it('recovers from a truncated Metadata response that runs into the next response', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }] })
    const proxy = await proxied(c)
    const advertiseAll = proxy.hooks.response
    let cut = false
    proxy.hooks.response = (request, frame) => {
      if (request.apiName === 'Metadata' && !cut) {
        cut = true
        // Claims 4 bytes fewer than it has: the rest is read as the start of the next frame.
        const out = Buffer.alloc(frame.length)
        out.writeInt32BE(frame.length - 4, 0)
        frame.copy(out, 4, 0, frame.length - 4)
        return { bytes: out.subarray(4) }
      }
      return advertiseAll?.(request, frame) ?? 'forward'
    }
    const p = producer({ ...silent, bootstrapBrokers: [proxy.address], requestTimeoutMs: 1000, retryBackoffMs: 20 })
    await p.send({ topic: 't', value: 'v' })
    expect(cut).toBe(true)
    expect(c.records('t')).toHaveLength(1)
  }, 20_000)

  it('fails 30 records waiting for metadata from a broker that never answers by their own deadline, not one request timeout each', async () => {
    const deaf = net.createServer((socket) => socket.on('error', () => {}))
    await new Promise<void>((resolve) => deaf.listen({ host: '127.0.0.1', port: 0 }, resolve))
    const sockets = new Set<net.Socket>()
    deaf.on('connection', (s) => sockets.add(s))
    servers.push({
      stop: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy()
          deaf.close(() => resolve())
        }),
    })
    const asked = new Promise<void>((resolve) => deaf.once('connection', (s) => s.once('data', () => resolve())))
    vi.useFakeTimers(FAKE_TIME)
    const port = (deaf.address() as net.AddressInfo).port
    const p = producer({
      ...silent,
      bootstrapBrokers: [`127.0.0.1:${port}`],
      requestTimeoutMs: 900,
      deliveryTimeoutMs: 1000,
      lingerMs: 0,
    })
    const settled: Array<Error | undefined> = []
    const sends = Array.from({ length: 30 }, (_, i) =>
      p.send({ topic: 'orders', value: `${i}` }).then(
        () => settled.push(undefined),
        (error: Error) => settled.push(error),
      ),
    )
    await asked
    await vi.advanceTimersByTimeAsync(1000)
    expect(settled).toHaveLength(30)
    for (const error of settled) {
      expect(TimeoutError.isInstance(error)).toBe(true)
      expect(error?.message).toMatch(/topic 'orders' not present in metadata after 1000 ms/)
    }
    await Promise.all(sends)
  }, 20_000)

  it('fails a record in flight at its delivery deadline when the broker never answers, and says its outcome is unknown', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }] })
    const p = producer({ ...silent, bootstrapBrokers: c.bootstrapBrokers, requestTimeoutMs: 30_000, lingerMs: 0 })
    await p.send({ topic: 't', value: 'first' })
    c.setLatency(1, 60_000)
    vi.useFakeTimers(FAKE_TIME)
    const produced = nextRequest(c, 'Produce')
    const sent = outcome(p.send({ topic: 't', value: 'v' }, { timeoutMs: 500 }))
    await produced
    await vi.advanceTimersByTimeAsync(500)
    const result = await sent
    expect(result).toBeInstanceOf(Error)
    const error = result instanceof Error ? result : undefined
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect(error?.message).toMatch(/no answer to its Produce request.*may or may not have been written/)
    vi.useRealTimers()
    c.setLatency(1, 0)
  }, 20_000)

  it('ignores a Metadata partition index of 50,000,000 (no allocation for it), fails the record by its deadline, then sends again', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }] })
    const proxy = await proxied(c)
    const advertiseAll = proxy.hooks.response
    let absurd = true
    proxy.hooks.response = (request, frame) => {
      const out = advertiseAll?.(request, frame) ?? 'forward'
      if (request.apiName !== 'Metadata' || !absurd || typeof out !== 'object' || !('bytes' in out)) return out
      return {
        bytes: rewriteResponse<WireMetadata>(request, out.bytes, (response) => {
          for (const t of response.topics) for (const p of t.partitions) p.partitionIndex = 50_000_000
        }),
      }
    }
    const warnings: string[] = []
    const p = producer({
      bootstrapBrokers: [proxy.address],
      requestTimeoutMs: 500,
      deliveryTimeoutMs: 1000,
      retryBackoffMs: 20,
      logger: { warn: (message) => warnings.push(message) },
    })
    const heapBefore = process.memoryUsage().heapUsed
    const first = await outcome(p.send({ topic: 't', value: 'a' }))
    // 50M partition entries would take hundreds of MB; the check runs before anything is allocated.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024)
    expect(first).toBeInstanceOf(Error)
    expect(TimeoutError.isInstance(first)).toBe(true)
    expect((first as Error).message).toMatch(/partition 50000000/)
    expect(warnings.some((w) => /partition 50000000/.test(w))).toBe(true)
    absurd = false
    await p.send({ topic: 't', value: 'b' })
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['b'])
  }, 20_000)

  it('rejects (never throws) a send to a topic the broker reports with 0 partitions, with a TimeoutError saying so, then sends again', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }] })
    const proxy = await proxied(c)
    const advertiseAll = proxy.hooks.response
    let empty = true
    proxy.hooks.response = (request, frame) => {
      const out = advertiseAll?.(request, frame) ?? 'forward'
      if (request.apiName !== 'Metadata' || !empty || typeof out !== 'object' || !('bytes' in out)) return out
      return {
        bytes: rewriteResponse<WireMetadata>(request, out.bytes, (response) => {
          for (const t of response.topics) t.partitions = []
        }),
      }
    }
    const p = producer({ ...silent, bootstrapBrokers: [proxy.address], requestTimeoutMs: 500, deliveryTimeoutMs: 800 })
    let sent: ReturnType<typeof outcome> | undefined
    expect(() => {
      sent = outcome(p.send({ topic: 't', value: 'a' }))
    }).not.toThrow()
    const first = await (sent as ReturnType<typeof outcome>)
    expect(first).toBeInstanceOf(Error)
    expect(TimeoutError.isInstance(first)).toBe(true)
    expect((first as Error).message).toMatch(/0 partitions/)
    empty = false
    await p.send({ topic: 't', value: 'b' })
    expect(c.records('t')).toHaveLength(1)
  }, 20_000)

  it('turns a throwing partitioner into that record’s PartitionerError: send never throws, the rest are sent, flush resolves', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 2 }] })
    const p = producer({
      ...silent,
      bootstrapBrokers: c.bootstrapBrokers,
      partitioner: {
        partition: ({ value }) => {
          if (value?.toString() === 'boom') throw new Error('no partition for boom')
          return 1
        },
      },
    })
    let bad: ReturnType<typeof outcome> | undefined
    expect(() => {
      bad = outcome(p.send({ topic: 't', value: 'boom' }))
    }).not.toThrow()
    const good = p.send({ topic: 't', value: 'fine' })
    const results = await p.sendBatch([
      { topic: 't', value: 'boom' },
      { topic: 't', value: 'ok' },
    ])
    await p.flush()
    const failed = await (bad as ReturnType<typeof outcome>)
    expect(PartitionerError.isInstance(failed)).toBe(true)
    expect((failed as Error).message).toMatch(/no partition for boom/)
    expect((await good).partition).toBe(1)
    expect(results[0]?.ok).toBe(false)
    expect(results[1]?.ok).toBe(true)
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['fine', 'ok'])
  })

  it('fails the records of a batch whose codec rejects with a CompressionError, and sends the next batches', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }] })
    const real = gzip()
    let calls = 0
    const flaky: Codec = {
      name: 'gzip',
      type: 1,
      compress: async (data) => {
        if (calls++ === 0) throw new Error('codec out of memory')
        return real.compress(data)
      },
      decompress: (data) => real.decompress(data),
    }
    const p = producer({ ...silent, bootstrapBrokers: c.bootstrapBrokers, compression: flaky, lingerMs: 0 })
    await p.connect()
    const first = await outcome(p.send({ topic: 't', value: 'a' }))
    expect(CompressionError.isInstance(first)).toBe(true)
    expect((first as Error).message).toMatch(/codec out of memory/)
    await p.send({ topic: 't', value: 'b' })
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['b'])
    expect(c.records('t')[0]?.compression).toBe(1)
  })

  it('fails a batch whose codec never finishes by its deadline, and sends the next batches', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }] })
    const real = gzip()
    let calls = 0
    const stuck: Codec = {
      name: 'gzip',
      type: 1,
      compress: (data) => (calls++ === 0 ? new Promise<Buffer>(() => {}) : real.compress(data)),
      decompress: (data) => real.decompress(data),
    }
    const p = producer({ ...silent, bootstrapBrokers: c.bootstrapBrokers, compression: stuck, lingerMs: 0 })
    await p.connect()
    const first = await outcome(p.send({ topic: 't', value: 'a' }, { timeoutMs: 300 }))
    expect(TimeoutError.isInstance(first)).toBe(true)
    expect((first as Error).message).toMatch(/did not finish compressing/)
    await p.send({ topic: 't', value: 'b' })
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['b'])
  }, 20_000)

  it('settles every record of a batch when a send callback throws, and logs the callback’s error', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }] })
    const errors: string[] = []
    const p = producer({
      bootstrapBrokers: c.bootstrapBrokers,
      logger: { error: (message) => errors.push(message) },
    })
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    process.on('uncaughtException', onUnhandled)
    try {
      const calls: string[] = []
      for (const value of ['a', 'b', 'c']) {
        p.send({ topic: 't', value }, (error) => {
          calls.push(`${value}:${error === null ? 'ok' : 'error'}`)
          if (value === 'a') throw new Error('callback bug')
        })
      }
      await p.flush()
      await new Promise((resolve) => setImmediate(resolve))
      expect(calls).toEqual(['a:ok', 'b:ok', 'c:ok'])
      expect(errors.some((m) => /callback bug/.test(m))).toBe(true)
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
      process.off('uncaughtException', onUnhandled)
    }
  })

  it('says the credentials were probably rejected when the broker closes the connection during SCRAM authentication', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }], sasl: { users: { alice: 'alice-secret' } } })
    const proxy = await KafkaProxy.start(c.bootstrapBrokers[0] as string)
    servers.push(proxy)
    proxy.hooks.request = (request) => (request.apiName === 'SaslAuthenticate' ? 'close' : 'forward')
    const p = producer({
      ...silent,
      bootstrapBrokers: [proxy.address],
      sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'wrong' },
    })
    const connected = await outcome(p.connect())
    expect(connected).toBeInstanceOf(Error)
    const error = connected instanceof Error ? connected : undefined
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(error?.message).toMatch(
      /closed during SCRAM-SHA-512 authentication — the credentials were probably rejected/,
    )
    // A send fails with the same error, not after its delivery timeout.
    const sent = await outcome(p.send({ topic: 't', value: 'v' }))
    expect(AuthenticationError.isInstance(sent)).toBe(true)
  })

  it('fails a send to a topic with an invalid name at once with INVALID_TOPIC_EXCEPTION, as the Java client does', async () => {
    const c = await cluster()
    const p = producer({ ...silent, bootstrapBrokers: c.bootstrapBrokers, maxBlockMs: 60_000 })
    const sent = await outcome(p.send({ topic: 'bad topic!', value: 'v' }))
    expect(KafkaProtocolError.isInstance(sent)).toBe(true)
    expect((sent as KafkaProtocolError).code).toBe(ErrorCodes.INVALID_TOPIC_EXCEPTION)
    expect((sent as Error).message).toMatch(/INVALID_TOPIC_EXCEPTION.*'bad topic!'/)
  })

  it('names connect() in the error of a connect after close', async () => {
    const c = await cluster()
    const p = producer({ ...silent, bootstrapBrokers: c.bootstrapBrokers })
    await p.close()
    const connected = await outcome(p.connect())
    expect(ProducerClosedError.isInstance(connected)).toBe(true)
    expect((connected as Error).message).toMatch(/Cannot call connect\(\)/)
  })

  it('splits a batch the broker refuses as too large (MESSAGE_TOO_LARGE) and delivers every record once, in order', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }], maxMessageBytes: 2_000 })
    const p = producer({ ...silent, bootstrapBrokers: c.bootstrapBrokers, lingerMs: 50 })
    const values = Array.from({ length: 40 }, (_, i) => `${i}`.padStart(200, '.'))
    const results = await p.sendBatch(values.map((value) => ({ topic: 't', value })))
    expect(results.every((r) => r.ok)).toBe(true)
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(values)
    expect(results.map((r) => (r.ok ? r.meta.offset : -1n))).toEqual(values.map((_, i) => BigInt(i)))
  })

  it('fails a single record the broker refuses as too large with RecordTooLargeError, without a made-up limit', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }], maxMessageBytes: 1_000 })
    const p = producer({ ...silent, bootstrapBrokers: c.bootstrapBrokers })
    const result = await outcome(p.send({ topic: 't', value: 'x'.repeat(2_000) }))
    expect(RecordTooLargeError.isInstance(result)).toBe(true)
    expect((result as Error).message).not.toMatch(/-1 bytes/)
    expect((result as Error).message).toMatch(/max\.message\.bytes/)
    await p.send({ topic: 't', value: 'small' })
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['small'])
  })

  it('makes a transaction abortable on OUT_OF_ORDER_SEQUENCE_NUMBER; the abort bumps the epoch and the next transaction commits', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 1 }] })
    const p = producer({ ...silent, bootstrapBrokers: c.bootstrapBrokers, transactionalId: 'tx-1' })
    await p.connect()
    const epoch = p.producerEpoch
    c.failNext('Produce', { errorCode: ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER })
    const failed = await outcome(p.transaction((tx) => tx.send({ topic: 't', value: 'lost' })))
    expect(failed).toBeInstanceOf(Error)
    expect(TributaryError.isInstance(failed)).toBe(true)
    expect(p.producerEpoch).toBeGreaterThan(epoch)
    await p.transaction(async (tx) => {
      await tx.send({ topic: 't', value: 'kept' })
    })
    expect(c.records('t', { isolation: 'read_committed' }).map((r) => r.value?.toString())).toEqual(['kept'])
  })

  it('fails the queued records of a transaction that can only be aborted, with a TransactionStateError', async () => {
    const c = await cluster({ topics: [{ name: 't', partitions: 2 }] })
    const p = producer({ ...silent, bootstrapBrokers: c.bootstrapBrokers, transactionalId: 'tx-2', lingerMs: 0 })
    await p.connect()
    p.beginTransaction()
    c.failNext('Produce', { errorCode: ErrorCodes.INVALID_RECORD, partition: 0 })
    const first = await outcome(p.send({ topic: 't', value: 'a', partition: 0 }))
    expect(first).toBeInstanceOf(Error)
    const later = await outcome(p.send({ topic: 't', value: 'b', partition: 1 }))
    expect(TransactionStateError.isInstance(later)).toBe(true)
    await p.abortTransaction()
    await p.transaction((tx) => tx.send({ topic: 't', value: 'c', partition: 1 }))
    expect(c.records('t', { isolation: 'read_committed' }).map((r) => r.value?.toString())).toEqual(['c'])
  })
})
