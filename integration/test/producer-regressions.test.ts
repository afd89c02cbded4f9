import diagnosticsChannel from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import { ProducerClosedError, type RecordMetadata } from '@tributary/core'
import { decodeRequestFrame, type ProduceRequest } from '@tributary/core/protocol'
import { outcome } from '@tributary/test-support/async'
import { FrameReader } from '@tributary/test-support/frames'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it } from 'vitest'

// Regression tests for producer bugs found while writing the proof and behaviour tests: each
// comment says what went wrong and how it was reproduced.

/** Decodes every Produce request the brokers of this process receive ('net.server.socket'). */
class ProduceRequestTap {
  readonly requests: ProduceRequest[] = []
  private readonly onSocket = (message: unknown): void => {
    const socket = (message as { socket: Socket }).socket
    const frames = new FrameReader((body) => {
      const { header, request } = decodeRequestFrame(body)
      if (header.apiKey === 0) this.requests.push(request as ProduceRequest)
    })
    socket.on('data', (chunk: Buffer) => frames.push(chunk))
  }
  constructor() {
    diagnosticsChannel.subscribe('net.server.socket', this.onSocket)
  }
  stop(): void {
    diagnosticsChannel.unsubscribe('net.server.socket', this.onSocket)
  }
}

describe('Producer regressions', () => {
  const { start, producer, defer } = useHarness()

  // Regression 1 — several batches of one partition in one Produce request.
  // Sender.drainOnce (packages/core/src/producer/sender.ts, the `while (q.batches.length > 0)` loop)
  // moves every ready batch of a partition (up to 5 when idempotent) into the same request, and
  // sendRequest adds one partitionData entry per batch, so a partition index repeats within a topic.
  // (a) Sender.onResponse matches answers with `partitionResponses.find((p) => p.index === batch.partition)`,
  //     so every batch of the partition gets the FIRST batch's base offset: send() resolves with wrong
  //     offsets (160 of the 200 records below).
  // (b) Kafka itself keeps one entry per partition (KafkaApis collects partitionData into a map keyed
  //     by TopicPartition, the last one wins) and since Produce v3 accepts exactly one record batch per
  //     partition. Against a real broker the earlier batches are dropped: without idempotence they are
  //     reported as written (data loss); with it the survivor fails OUT_OF_ORDER_SEQUENCE_NUMBER.
  //     The mock cluster accepts the repeats (it appends every entry), which hid this.
  // Repro: batchBytes 300, lingerMs 0, 200 sends to one partition in one tick.
  // Fix: take at most one batch per partition per request, as the Java client's
  // RecordAccumulator.drain does (break out of the while loop after the first batch; the remaining
  // batches go in the next drain, pipelined up to maxInFlight). The mock should also reject a
  // repeated partition or a records field with more than one batch (INVALID_RECORD), as Kafka does.
  it('resolves every record with the offset the broker stored it at when a partition has many ready batches', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, batchBytes: 300, lingerMs: 0 })
    await p.connect()
    const value = (i: number) => `value-${i}`.padEnd(40, '.')
    const metas = await Promise.all(Array.from({ length: 200 }, (_, i) => p.send({ topic: 't', value: value(i) })))
    const offsetOf = new Map(c.records('t').map((r) => [r.value?.toString(), r.offset]))
    const wrong = metas.flatMap((meta, i) =>
      meta.offset === offsetOf.get(value(i))
        ? []
        : [{ record: i, returned: meta.offset, stored: offsetOf.get(value(i)) }],
    )
    expect(wrong.slice(0, 3)).toEqual([])
  })

  it('puts at most one batch per partition in a Produce request, as Kafka requires since Produce v3', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const tap = new ProduceRequestTap()
    defer(() => tap.stop())
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, batchBytes: 300, lingerMs: 0 })
    await p.connect()
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => p.send({ topic: 't', value: `value-${i}`.padEnd(40, '.') })),
    )
    expect(tap.requests.length).toBeGreaterThan(0)
    const repeated = tap.requests.flatMap((request) =>
      request.topicData.flatMap((topic) => {
        const indexes = topic.partitionData.map((d) => d.index)
        return indexes.length === new Set(indexes).size ? [] : [{ topic: topic.name, partitions: indexes }]
      }),
    )
    expect(repeated.slice(0, 3)).toEqual([])
  })

  // Regression 2 — close({ timeoutMs }) leaves records in flight unsettled forever.
  // Producer.doClose (packages/core/src/producer/producer.ts) calls abortAll when the timeout passes,
  // but Sender.abortAll (sender.ts) fails only batches still queued (`q.batches`), not batches in
  // flight. pool.close() then rejects the in-flight request with a ConnectionError, which
  // onRequestError -> retryOrFail treats as retriable: the batch is requeued and a retry timer set,
  // but the producer is closed, so it is never sent and never failed. close() resolves; the send()
  // promise never settles (the broker did store the record). Java's close(timeout) force-closes and
  // fails every incomplete batch, in flight or not.
  // Repro: 1 broker, send + await a warm-up, setLatency(1, 20_000), send 'x', close({ timeoutMs: 200 }).
  // Fix: keep the in-flight batches in the Sender (a Set added to in sendRequest, removed in
  // succeed/retryOrFail/finish); a `closed` flag set by abortAll/stop makes abortAll fail those too
  // with the ProducerClosedError, and makes later responses or request errors for them no-ops
  // (no requeue, no timers) so nothing runs after close.
  it('close({ timeoutMs }) fails records already in flight to a broker that never answers with ProducerClosedError', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, lingerMs: 0 })
    await p.send({ topic: 't', value: 'warm-up' })
    c.setLatency(1, 20_000)
    const inFlight = outcome(p.send({ topic: 't', value: 'in flight' }))
    await expect.poll(() => c.requests().filter((r) => r.apiName === 'Produce').length).toBe(2)
    await p.close({ timeoutMs: 200 })
    // Settled by the time close() resolved: raced against a macrotask queued once close() returned
    // (setImmediate runs after every promise reaction already due), not against wall-clock time.
    const afterClose = new Promise<string>((resolve) => setImmediate(resolve, 'still pending after close resolved'))
    const settled = await Promise.race([inFlight, afterClose])
    expect(ProducerClosedError.isInstance(settled) ? 'ProducerClosedError' : settled).toBe('ProducerClosedError')
  })

  // Regression 3 — a per-call timeoutMs cuts the delivery timeout of every record in the same batch.
  // ProducerBatch.append (packages/core/src/producer/batch.ts) lowers the batch's deadline to the
  // earliest record's (`if (deadline < this.deadline) this.deadline = deadline`), and Sender.expire
  // fails the whole batch at that deadline. A record sent with the default deliveryTimeoutMs
  // (120 s) that shares a batch with one sent with `{ timeoutMs: 500 }` fails with TimeoutError
  // after 500 ms, although the issue says the option overrides the timeout "for those records".
  // Repro: 1 broker, warm-up send, stopBroker(1), send 'long' (default), send 'short' with
  // { timeoutMs: 500 } to the same partition: both fail after ~500 ms ("delivery of 2 record(s)").
  // Fix: give each batch the delivery timeout of its records: in RecordAccumulator.append, close the
  // open batch when the record's timeout differs from the batch's (store the timeoutMs used on the
  // batch), so records with another timeout start a new batch; each batch then expires on its own
  // deadline (expire() already checks every queued batch separately).
  it('send(record, { timeoutMs }) does not shorten the delivery timeout of other records in the same batch', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, retryBackoffMs: 20, retryBackoffMaxMs: 100 })
    await p.send({ topic: 't', value: 'warm-up' })
    await c.stopBroker(1)
    const long = outcome(p.send({ topic: 't', value: 'long' }))
    const short = await outcome(p.send({ topic: 't', value: 'short' }, { timeoutMs: 500 }))
    expect(short).toBeInstanceOf(Error)
    await c.startBroker(1)
    const meta = await long
    expect(meta instanceof Error ? meta.message : (meta as RecordMetadata).offset).toBe(1n)
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['warm-up', 'long'])
  })
})
