import diagnosticsChannel from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import {
  BufferFullError,
  ConfigError,
  Producer,
  ProducerClosedError,
  type ProducerOptions,
  type RecordMetadata,
  TimeoutError,
} from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'
import { outcome, sleep } from '@tributary/test-support/async'
import { FrameReader } from '@tributary/test-support/frames'
import { useHarness } from '@tributary/test-support/harness'
import type { MockCluster } from '@tributary/testing'
import { describe, expect, it } from 'vitest'

// Behaviours of the producer (issue 3) proved against the mock cluster, beyond producer.test.ts:
// idempotent recovery from OUT_OF_ORDER_SEQUENCE_NUMBER, pipelining, request sharing, linger and
// batch size, backpressure, metadata timeouts, per-call timeouts, sticky partitioning, validation,
// acks=1, close with a timeout, and a broker restart. Counts, never durations, are asserted.

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const PRODUCE_API_KEY = 0

/**
 * Watches the client sockets this process opens (node:diagnostics_channel 'net.client.socket') and
 * counts, from the bytes written and read, how many Produce requests each connection has in flight:
 * a request is in flight from the moment it is written until its response (same correlation id) is read.
 */
class InFlightProbe {
  /** Most Produce requests in flight at once on one connection. */
  maxInFlight = 0
  /** Produce requests written, over all connections. */
  produceRequests = 0
  /** Connections that carried at least one Produce request. */
  readonly produceConnections = new Set<Socket>()
  private readonly onSocket = (message: unknown): void => this.watch((message as { socket: Socket }).socket)

  constructor() {
    diagnosticsChannel.subscribe('net.client.socket', this.onSocket)
  }

  stop(): void {
    diagnosticsChannel.unsubscribe('net.client.socket', this.onSocket)
  }

  private watch(socket: Socket): void {
    const outstanding = new Set<number>()
    const requests = new FrameReader((body) => {
      if (body.readInt16BE(0) !== PRODUCE_API_KEY) return
      outstanding.add(body.readInt32BE(4))
      this.produceRequests++
      this.produceConnections.add(socket)
      this.maxInFlight = Math.max(this.maxInFlight, outstanding.size)
    })
    const responses = new FrameReader((body) => outstanding.delete(body.readInt32BE(0)))
    // Socket#connect resets an own `write` to the prototype's, so the wrapper goes on at 'connect'
    // (this listener runs before the producer's, which was added after the socket was published).
    socket.once('connect', () => {
      const write = socket.write
      socket.write = function (this: Socket, chunk: unknown, ...rest: unknown[]): boolean {
        requests.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array))
        return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
      } as typeof socket.write
    })
    socket.on('data', (chunk: Buffer) => responses.push(chunk))
  }
}

describe('Producer behaviour against the mock cluster', () => {
  const { start, producer, defer } = useHarness()

  function probe(): InFlightProbe {
    const p = new InFlightProbe()
    defer(() => p.stop())
    return p
  }

  /**
   * A cluster with topic 't' and a producer with a small buffer (`options`, batches sent at once),
   * warmed up; then the broker answers only after `latencyMs`.
   */
  async function slowBroker(options: Omit<ProducerOptions, 'bootstrapBrokers'>, latencyMs: number) {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 0, ...options })
    await p.send({ topic: 't', value: 'warm-up' })
    c.setLatency(1, latencyMs)
    return { c, p }
  }

  const produceRequests = (c: MockCluster) => c.requests().filter((r) => r.apiName === 'Produce')
  const values = (c: MockCluster, topic: string, partition?: number) =>
    c.records(topic, partition).map((r) => r.value?.toString())

  it('recovers from OUT_OF_ORDER_SEQUENCE_NUMBER on one partition with batches in flight: every record once, in order', async () => {
    const c = await start({ brokers: 1, topics: [{ name: 't', partitions: 3 }] })
    const watch = probe()
    const logged: string[] = []
    const logger = { debug: (m: string) => logged.push(m), warn: (m: string) => logged.push(m) }
    const p = producer({
      bootstrapBrokers: c.bootstrapBrokers,
      lingerMs: 0,
      batchBytes: 400,
      retryBackoffMs: 10,
      logger,
    })
    await p.send({ topic: 't', value: 'warm-up', partition: 0 })
    c.setLatency(1, 50)
    const sends: Array<Promise<RecordMetadata>> = []
    const order: number[] = []
    for (let i = 0; i < 600; i++) {
      sends.push(
        p.send({ topic: 't', value: `v${i}`, partition: i % 3 }).then((meta) => {
          order.push(i)
          return meta
        }),
      )
      // Waves of records in separate event-loop turns, so several requests are in flight when
      // the broker starts answering OUT_OF_ORDER_SEQUENCE_NUMBER for partition 0.
      if (i % 60 === 59) await sleep(5)
      if (i === 180)
        c.failNext('Produce', { errorCode: ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER, topic: 't', partition: 0 })
    }
    await Promise.all(sends)
    c.setLatency(1, 0)
    // The broker's error reached the producer while other requests were in flight.
    expect(logged.some((m) => m.includes('OUT_OF_ORDER_SEQUENCE_NUMBER'))).toBe(true)
    expect(watch.maxInFlight).toBeGreaterThan(1)
    for (const partition of [0, 1, 2]) {
      const expected = Array.from({ length: 200 }, (_, n) => `v${n * 3 + partition}`)
      expect(values(c, 't', partition)).toEqual(partition === 0 ? ['warm-up', ...expected] : expected)
      const resolvedHere = order.filter((i) => i % 3 === partition)
      expect(resolvedHere).toEqual([...resolvedHere].sort((a, b) => a - b))
    }
  })

  it.each([1, 3, 5])(
    'keeps up to maxInFlight (%i) Produce requests in flight on one connection, never more',
    async (maxInFlight) => {
      const c = await start({ brokers: 1, topics: [{ name: 't', partitions: 6 }] })
      const watch = probe()
      const p = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 0, maxInFlight })
      await p.send({ topic: 't', value: 'warm-up' })
      // Every response is held back, so requests pile up unless the producer waits for answers.
      c.setLatency(1, 400)
      const sends: Array<Promise<RecordMetadata>> = []
      for (let wave = 0; watch.produceRequests < maxInFlight + 3 && wave < 500; wave++) {
        sends.push(p.send({ topic: 't', value: `w${wave}`, partition: wave % 6 }))
        await sleep(2)
      }
      await Promise.all(sends)
      c.setLatency(1, 0)
      expect(watch.maxInFlight).toBe(maxInFlight)
      expect(watch.produceConnections.size).toBe(1)
      expect(c.records('t')).toHaveLength(sends.length + 1)
    },
  )

  it('puts the batches of every partition a broker leads into one Produce request', async () => {
    const c = await start({ brokers: 3, topics: [{ name: 't', partitions: 12 }] })
    for (let partition = 0; partition < 12; partition++) c.moveLeader('t', partition, 2)
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 60_000 })
    const warmUp = p.send({ topic: 't', value: 'warm-up', partition: 0 })
    await p.flush()
    await warmUp
    const before = produceRequests(c).length
    const sends = Array.from({ length: 12 }, (_, partition) =>
      p.send({ topic: 't', value: `p${partition}`, partition }),
    )
    await p.flush()
    await Promise.all(sends)
    const produced = produceRequests(c).slice(before)
    expect(produced).toHaveLength(1)
    expect(produced[0]?.brokerId).toBe(2)
    for (let partition = 0; partition < 12; partition++) {
      expect(values(c, 't', partition).at(-1)).toBe(`p${partition}`)
    }
  })

  it('sends one Produce request per leader broker when partitions are spread over three brokers', async () => {
    const c = await start({ brokers: 3, topics: [{ name: 't', partitions: 12 }] })
    const leaders = new Set(Array.from({ length: 12 }, (_, partition) => c.leaderOf('t', partition)))
    expect(leaders.size).toBe(3)
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 60_000 })
    const warmUp = p.send({ topic: 't', value: 'warm-up', partition: 0 })
    await p.flush()
    await warmUp
    const before = produceRequests(c).length
    const sends = Array.from({ length: 12 }, (_, partition) =>
      p.send({ topic: 't', value: `p${partition}`, partition }),
    )
    await p.flush()
    await Promise.all(sends)
    const produced = produceRequests(c).slice(before)
    expect(produced.map((r) => r.brokerId).sort()).toEqual([1, 2, 3])
  })

  it('holds records for lingerMs, so sends spread over many event-loop turns become one batch', async () => {
    const c = await start({ topics: [{ name: 't' }, { name: 'u' }] })
    const lingering = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 1_000 })
    const eager = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 0 })
    await Promise.all([lingering.send({ topic: 't', value: 'warm-up' }), eager.send({ topic: 'u', value: 'warm-up' })])
    const slow: Array<Promise<RecordMetadata>> = []
    const fast: Array<Promise<RecordMetadata>> = []
    for (let i = 0; i < 50; i++) {
      slow.push(lingering.send({ topic: 't', value: `v${i}` }))
      fast.push(eager.send({ topic: 'u', value: `v${i}` }))
      await tick()
      await tick()
    }
    await Promise.all([...slow, ...fast])
    // The warm-up batch, then all 50 records in one batch sent when the linger expired.
    expect(c.batches('t', 0)).toHaveLength(2)
    expect(values(c, 't')).toEqual(['warm-up', ...Array.from({ length: 50 }, (_, i) => `v${i}`)])
    // Without linger, the same pattern is sent as it comes, in many batches.
    expect(c.batches('u', 0).length).toBeGreaterThan(2)
  })

  it('closes a batch when the next record would pass batchBytes, and sends full batches without waiting for the linger', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, batchBytes: 1_024, lingerMs: 60_000 })
    await p.connect()
    const warmUp = p.send({ topic: 't', value: 'warm-up' })
    await p.flush()
    await warmUp
    const value = 'x'.repeat(100)
    const sends = Array.from({ length: 100 }, (_, i) =>
      p.send({ topic: 't', value: `${String(i).padStart(3, '0')}${value}` }),
    )
    // The first 80 records sit in full batches, sent at once although lingerMs is a minute.
    await Promise.all(sends.slice(0, 80))
    await p.flush()
    await Promise.all(sends)
    const batches = c.batches('t', 0).slice(1)
    expect(batches.length).toBeGreaterThanOrEqual(10)
    const recordBytes = 100 + 3 + 10
    batches.forEach((batch, i) => {
      expect(batch.bytes.length).toBeLessThanOrEqual(1_024)
      if (i < batches.length - 1) expect(batch.bytes.length + recordBytes).toBeGreaterThan(1_024)
    })
    expect(c.records('t')).toHaveLength(101)
  })

  it('rejects with BufferFullError after maxBlockMs when a slow broker keeps the tiny buffer full, then keeps working', async () => {
    const { c, p } = await slowBroker({ bufferBytes: 2_000, batchBytes: 1_000, maxBlockMs: 100 }, 1_500)
    const value = 'y'.repeat(100)
    const results = await p.sendBatch(Array.from({ length: 60 }, (_, i) => ({ topic: 't', value: `${i}:${value}` })))
    c.setLatency(1, 0)
    const failed = results.flatMap((r, i) => (r.ok ? [] : [{ i, error: r.error }]))
    expect(failed.length).toBeGreaterThan(0)
    for (const { error } of failed) {
      expect(BufferFullError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ name: 'BufferFullError', retriable: true, bufferBytes: 2_000, maxBlockMs: 100 })
    }
    // What was accepted is stored once, in order; what was refused never reached the broker.
    const accepted = results.flatMap((r, i) => (r.ok ? [`${i}:${value}`] : []))
    expect(values(c, 't')).toEqual(['warm-up', ...accepted])
    const after = await p.send({ topic: 't', value: 'after' })
    expect(after.offset).toBe(BigInt(accepted.length + 1))
  })

  it('refuses sends at once with BufferFullError while the records waiting for room hold maxWaitingBytes, then sends again', async () => {
    const { c, p } = await slowBroker({ bufferBytes: 2_000, batchBytes: 1_000, maxWaitingBytes: 3_000 }, 400)
    const value = 'y'.repeat(100)
    const settled: boolean[] = []
    const sends = Array.from({ length: 60 }, (_, i) => {
      settled[i] = false
      return outcome(p.send({ topic: 't', value: `${i}:${value}` })).finally(() => {
        settled[i] = true
      })
    })
    await tick()
    await tick()
    // Refused before the broker answered anything: the sends past the bound, a tail, never the first ones.
    const refusedAtOnce = settled.filter(Boolean).length
    expect(refusedAtOnce).toBeGreaterThan(0)
    expect(settled).toEqual([...Array(60 - refusedAtOnce).fill(false), ...Array(refusedAtOnce).fill(true)])
    // The buffer holds under 20 of these records and the waiting ones count 256 bytes more each: at most 30 accepted.
    expect(60 - refusedAtOnce).toBeLessThanOrEqual(30)
    const outcomes = await Promise.all(sends)
    c.setLatency(1, 0)
    outcomes.forEach((o, i) => {
      if (i < 60 - refusedAtOnce) expect(o).toMatchObject({ offset: BigInt(i + 1) })
      else {
        expect(BufferFullError.isInstance(o)).toBe(true)
        expect(o).toMatchObject({ retriable: true, refusedAtOnce: true, maxWaitingBytes: 3_000, bufferBytes: 2_000 })
        expect((o as Error).message).toContain('maxWaitingBytes (3000)')
      }
    })
    const accepted = Array.from({ length: 60 - refusedAtOnce }, (_, i) => `${i}:${value}`)
    expect(values(c, 't')).toEqual(['warm-up', ...accepted])
    expect((await p.send({ topic: 't', value: 'after' })).offset).toBe(BigInt(accepted.length + 1))
  })

  it('counts a waiting record that timed out after maxBlockMs no more, so the next send may wait again', async () => {
    const options = { bufferBytes: 1_000, batchBytes: 1_000, maxWaitingBytes: 1_000, maxBlockMs: 150 }
    const { c, p } = await slowBroker(options, 1_500)
    const value = 'x'.repeat(100)
    const sends = Array.from({ length: 20 }, (_, i) => outcome(p.send({ topic: 't', value: `${i}:${value}` })))
    while (p.metrics().producer['waiting-records'] > 0) await sleep(10)
    // The buffered records are still unanswered; the waiting ones have failed after maxBlockMs. Nothing waits
    // any more, so this send waits for room (and times out) instead of being refused.
    const again = await outcome(p.send({ topic: 't', value: `again:${value}` }))
    expect(BufferFullError.isInstance(again) && !again.refusedAtOnce).toBe(true)
    const first = await Promise.all(sends)
    c.setLatency(1, 0)
    expect(first.filter((o) => BufferFullError.isInstance(o) && !o.refusedAtOnce).length).toBeGreaterThan(0)
    expect(first.filter((o) => BufferFullError.isInstance(o) && o.refusedAtOnce).length).toBeGreaterThan(0)
    const acknowledged = first.filter((o) => !(o instanceof Error)).length
    expect(acknowledged).toBeGreaterThan(0)
    expect((await p.send({ topic: 't', value: 'after' })).offset).toBe(BigInt(acknowledged + 1))
  })

  it('admits a whole sendBatch that finds room among the waiting records, however large, and refuses the next one whole', async () => {
    const { c, p } = await slowBroker({ bufferBytes: 2_000, batchBytes: 1_000, maxWaitingBytes: 1_000 }, 300)
    const value = 'z'.repeat(100)
    const first = p.sendBatch(Array.from({ length: 50 }, (_, i) => ({ topic: 't', value: `a${i}:${value}` })))
    const second = await p.sendBatch(Array.from({ length: 5 }, (_, i) => ({ topic: 't', value: `b${i}:${value}` })))
    for (const r of second) {
      expect(r.ok === false && BufferFullError.isInstance(r.error) && r.error.refusedAtOnce).toBe(true)
    }
    const results = await first
    c.setLatency(1, 0)
    expect(results.every((r) => r.ok)).toBe(true)
    expect(values(c, 't')).toEqual(['warm-up', ...Array.from({ length: 50 }, (_, i) => `a${i}:${value}`)])
  })

  it('refuses no record sent before the metadata arrives while the buffer has room, however many wait', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, maxWaitingBytes: 1_000 })
    const value = 'v'.repeat(100)
    // Not connected yet: every record waits for the topic's metadata, 200 of them far past maxWaitingBytes.
    const metas = await Promise.all(
      Array.from({ length: 200 }, (_, i) => p.send({ topic: 't', value: `${i}:${value}` })),
    )
    expect(metas.map((m) => m.offset)).toEqual(Array.from({ length: 200 }, (_, i) => BigInt(i)))
  })

  it('lets one record at a time wait with maxWaitingBytes 0, and every send queued behind it is refused', async () => {
    const { c, p } = await slowBroker({ bufferBytes: 600, batchBytes: 300, maxWaitingBytes: 0 }, 200)
    const value = 'w'.repeat(100)
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => outcome(p.send({ topic: 't', value: `${i}:${value}` }))),
    )
    c.setLatency(1, 0)
    const ok = outcomes.filter((o) => !(o instanceof Error)).length
    // What fit the buffer, plus exactly one record that waited for room; the rest were refused.
    const stored = values(c, 't').slice(1)
    expect(stored).toEqual(Array.from({ length: ok }, (_, i) => `${i}:${value}`))
    for (const o of outcomes.slice(ok)) expect(BufferFullError.isInstance(o) && o.refusedAtOnce).toBe(true)
    expect(ok).toBeGreaterThan(1)
    expect(ok).toBeLessThan(12)
  })

  it('rejects a send to a topic that does not exist (no auto-creation) with a TimeoutError naming it after maxBlockMs', async () => {
    const c = await start({ autoCreateTopics: false, topics: [{ name: 'exists' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, maxBlockMs: 300 })
    const error = await outcome(p.send({ topic: 'no-such-topic', value: 'x' }))
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain("'no-such-topic'")
    expect((error as Error).message).toContain('UNKNOWN_TOPIC_OR_PARTITION')
    expect(c.topics()).not.toContain('no-such-topic')
    expect(produceRequests(c)).toHaveLength(0)
    expect((await p.send({ topic: 'exists', value: 'ok' })).offset).toBe(0n)
  })

  it('lets send(record, { timeoutMs }) fail its record early while records under deliveryTimeoutMs wait for the broker', async () => {
    const c = await start({ brokers: 1, topics: [{ name: 't', partitions: 2 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, retryBackoffMs: 20, retryBackoffMaxMs: 100 })
    await p.send({ topic: 't', value: 'warm-up', partition: 0 })
    await c.stopBroker(1)
    let longSettled = false
    const long = outcome(p.send({ topic: 't', value: 'long', partition: 1 })).finally(() => {
      longSettled = true
    })
    const short = await outcome(p.send({ topic: 't', value: 'short', partition: 0 }, { timeoutMs: 500 }))
    const shortBatch = await p.sendBatch([{ topic: 't', value: 'short-batch', partition: 0 }], { timeoutMs: 500 })
    expect(TimeoutError.isInstance(short)).toBe(true)
    expect(shortBatch[0]?.ok === false && TimeoutError.isInstance(shortBatch[0].error)).toBe(true)
    expect(longSettled).toBe(false)
    await c.startBroker(1)
    const meta = await long
    expect(meta).toMatchObject({ partition: 1, offset: 0n })
    expect(values(c, 't')).toEqual(['warm-up', 'long'])
  })

  it('keeps records without a key on one sticky partition until its batch is sent, then moves on, covering every partition over time', async () => {
    const c = await start({ brokers: 3, topics: [{ name: 't', partitions: 6 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers })
    await p.connect()
    await p.send({ topic: 't', value: 'warm-up', partition: 0 })
    const burstPartitions: number[] = []
    for (let burst = 0; burst < 100; burst++) {
      // Ten records appended in one event-loop turn share one batch, so one partition.
      const metas = await Promise.all(
        Array.from({ length: 10 }, (_, i) => p.send({ topic: 't', key: null, value: `${burst}-${i}` })),
      )
      expect(new Set(metas.map((m) => m.partition)).size).toBe(1)
      burstPartitions.push(metas[0]?.partition as number)
    }
    // Once a batch was sent, the next records go elsewhere (the previous partition is avoided).
    for (let burst = 1; burst < burstPartitions.length; burst++) {
      expect(burstPartitions[burst]).not.toBe(burstPartitions[burst - 1])
    }
    expect(new Set(burstPartitions)).toEqual(new Set([0, 1, 2, 3, 4, 5]))
  })

  it('moves null-key records to another partition when the sticky batch fills (batchBytes)', async () => {
    const c = await start({ brokers: 1, topics: [{ name: 't', partitions: 6 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, batchBytes: 1_000, lingerMs: 60_000 })
    const warmUp = p.send({ topic: 't', value: 'warm-up', partition: 0 })
    await p.flush()
    await warmUp
    const sends = Array.from({ length: 40 }, (_, i) => p.send({ topic: 't', value: `${i}:${'z'.repeat(100)}` }))
    await p.flush()
    const metas = await Promise.all(sends)
    // Runs of consecutive records on one partition, each run one batch of at most 1,000 bytes.
    const runs: Array<{ partition: number; count: number }> = []
    for (const meta of metas) {
      const last = runs.at(-1)
      if (last?.partition === meta.partition) last.count++
      else runs.push({ partition: meta.partition, count: 1 })
    }
    expect(runs.length).toBeGreaterThanOrEqual(4)
    for (const run of runs.slice(0, -1)) expect(run.count).toBeGreaterThanOrEqual(7)
  })

  it('keeps the partition and timestamp a record had when it was sent, though it waited and the object changed', async () => {
    // Before connect the topic's metadata is unknown, so these records wait in the producer; the
    // application reusing its record object meanwhile must not move them.
    const c = await start({ topics: [{ name: 't', partitions: 6 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers })
    const record: { topic: string; value: string; partition: number; timestamp: number } = {
      topic: 't',
      value: 'first',
      partition: 4,
      timestamp: 1_700_000_000_000,
    }
    const first = p.send(record)
    record.value = 'second'
    record.partition = 1
    record.timestamp = 1_700_000_000_999
    const second = p.send(record)
    expect((await first).partition).toBe(4)
    expect((await second).partition).toBe(1)
    const [stored] = c.records('t', 4)
    expect(stored?.value?.toString()).toBe('first')
    expect(stored?.timestamp).toBe(1_700_000_000_000n)
    expect(c.records('t', 1).map((r) => r.timestamp)).toEqual([1_700_000_000_999n])
  })

  it('stores records whose timestamps lie further apart than 2^53 ms in one batch, each with its own timestamp', async () => {
    // Both timestamps are valid int64 milliseconds; their delta is no longer a safe JavaScript number.
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 50 })
    await p.connect()
    const results = await p.sendBatch([
      { topic: 't', value: 'early', timestamp: -8_000_000_000_000_000 },
      { topic: 't', value: 'late', timestamp: 8_000_000_000_000_000 },
      { topic: 't', value: 'now' },
    ])
    expect(results.map((r) => (r.ok ? 'ok' : String(r.error)))).toEqual(['ok', 'ok', 'ok'])
    const stored = c.records('t').map((r) => r.timestamp)
    expect(stored.slice(0, 2)).toEqual([-8_000_000_000_000_000n, 8_000_000_000_000_000n])
    // The producer goes on sending.
    expect((await p.send({ topic: 't', value: 'after' })).partition).toBe(0)
  })

  it('rejects an explicit partition out of range before sending anything', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 6 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers })
    for (const partition of [6, -1, 2.5, 1_000]) {
      const error = await outcome(p.send({ topic: 't', value: 'x', partition }))
      expect(ConfigError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ option: 'record.partition', retriable: false })
      expect((error as Error).message).toContain('[0, 6)')
    }
    expect(produceRequests(c)).toHaveLength(0)
    expect(c.records('t')).toHaveLength(0)
    expect((await p.send({ topic: 't', value: 'ok', partition: 5 })).partition).toBe(5)
  })

  it('produces with acks=1 (idempotence then off) and resolves with the offsets the broker gave', async () => {
    const c = await start({ brokers: 3, topics: [{ name: 't', partitions: 3 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, acks: 1 })
    const results = await p.sendBatch(
      Array.from({ length: 90 }, (_, i) => ({ topic: 't', key: `k${i}`, value: `v${i}` })),
    )
    expect(results.every((r) => r.ok)).toBe(true)
    for (const result of results) {
      if (!result.ok) continue
      const stored = c.records('t', result.meta.partition).find((r) => r.offset === result.meta.offset)
      expect(stored?.producerId).toBe(-1n)
    }
    const stored = c.records('t')
    expect(stored.map((r) => r.value?.toString()).sort()).toEqual(results.map((_, i) => `v${i}`).sort())
    expect(p.producerId).toBe(-1n)
    expect(c.requests().some((r) => r.apiName === 'InitProducerId')).toBe(false)
  })

  it('refuses idempotent: true with acks 1 or 0, naming both options', () => {
    for (const acks of [1, 0] as const) {
      const error = (() => {
        try {
          new Producer({ bootstrapBrokers: ['127.0.0.1:9'], idempotent: true, acks })
        } catch (e) {
          return e
        }
        return undefined
      })()
      expect(ConfigError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({ options: ['idempotent', 'acks'] })
      expect((error as Error).message).toMatch(/idempotent.*acks/)
    }
  })

  it('close({ timeoutMs }) fails records still waiting for a broker that never answers with ProducerClosedError, and resolves', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 0 })
    await p.connect()
    // The broker holds every answer, so the records wait for the topic's metadata until close gives up.
    c.setLatency(1, 20_000)
    const waiting = [outcome(p.send({ topic: 't', value: 'a' })), outcome(p.send({ topic: 't', value: 'b' }))]
    const batch = p.sendBatch([{ topic: 't', value: 'c' }])
    await p.close({ timeoutMs: 200 })
    const errors = [...(await Promise.all(waiting)), ...(await batch).map((r) => (r.ok ? r.meta : r.error))]
    for (const error of errors) {
      expect(ProducerClosedError.isInstance(error)).toBe(true)
      expect((error as Error).message).toContain('timeoutMs: 200')
    }
    expect(ProducerClosedError.isInstance(await outcome(p.send({ topic: 't', value: 'after' })))).toBe(true)
    expect(produceRequests(c)).toHaveLength(0)
  })

  it('reconnects to a broker that was stopped and restarted, and delivers what was sent meanwhile once, in order', async () => {
    const c = await start({ brokers: 1, topics: [{ name: 't', partitions: 2 }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, retryBackoffMs: 20, retryBackoffMaxMs: 200 })
    const first = await p.sendBatch(
      Array.from({ length: 100 }, (_, i) => ({ topic: 't', value: `a${i}`, partition: i % 2 })),
    )
    expect(first.every((r) => r.ok)).toBe(true)
    await c.stopBroker(1)
    const during = Array.from({ length: 100 }, (_, i) => p.send({ topic: 't', value: `b${i}`, partition: i % 2 }))
    await sleep(300)
    await c.startBroker(1)
    const metas = await Promise.all(during)
    for (const partition of [0, 1]) {
      const expected = [
        ...Array.from({ length: 50 }, (_, n) => `a${n * 2 + partition}`),
        ...Array.from({ length: 50 }, (_, n) => `b${n * 2 + partition}`),
      ]
      expect(values(c, 't', partition)).toEqual(expected)
    }
    expect(metas.map((m) => m.offset)).toEqual(metas.map((_, i) => BigInt(50 + Math.floor(i / 2))))
  })
})
