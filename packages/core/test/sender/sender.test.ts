import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CompressionError } from '../../src/errors/compression-error.js'
import { ConnectionError } from '../../src/errors/connection-error.js'
import { LeaderNotAvailableError } from '../../src/errors/leader-not-available-error.js'
import { RecordTooLargeError } from '../../src/errors/record-too-large-error.js'
import { TimeoutError } from '../../src/errors/timeout-error.js'
import { ErrorCodes } from '../../src/protocol/error-codes.js'
import { fakeSender, scriptedCodec } from './fake-cluster.js'

// The sender on a fake connection pool and fake time: which batch goes when, what each answer
// does to it, and that every record settles by its deadline whatever the broker does.

/** Lets the sender run: a few real event-loop turns (its wakeups are setImmediate; time stays still). */
async function turn(): Promise<void> {
  for (let i = 0; i < 4; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** Moves fake time on by `ms`, letting the sender run after each timer. */
async function later(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
  await turn()
}

describe('Sender', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sends a ready batch in one Produce request and settles its records with the offsets answered', async () => {
    const { connection, send, outcomes } = fakeSender()
    send('t', 0, 'a')
    send('t', 1, 'b')
    await turn()
    expect(connection.requests).toHaveLength(1)
    expect(connection.requests[0]?.batches.map((b) => [b.partition, b.baseSequence, b.epoch])).toEqual([
      [0, 0, 0],
      [1, 0, 0],
    ])
    connection.requests[0]?.answer()
    await turn()
    expect(outcomes.offset('a')).toBe(0n)
    expect(outcomes.offset('b')).toBe(0n)
  })

  it('retries a retriable error after the backoff, with the same sequence, and keeps later batches behind it', async () => {
    const { connection, send, outcomes } = fakeSender()
    send('t', 0, 'a')
    await turn()
    send('t', 0, 'b')
    await turn()
    expect(connection.pending.map((r) => r.batches[0]?.baseSequence)).toEqual([0, 1])
    connection.requests[0]?.answer({ 't-0': ErrorCodes.REQUEST_TIMED_OUT })
    connection.requests[1]?.answer({ 't-0': ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER })
    await turn()
    expect(connection.pending).toHaveLength(0)
    await later(150)
    // The retry goes alone first; the batch after it follows once it is acknowledged.
    expect(connection.pending.map((r) => r.batches[0]?.baseSequence)).toEqual([0])
    connection.pending[0]?.answer()
    await turn()
    expect(connection.pending.map((r) => r.batches[0]?.baseSequence)).toEqual([1])
    connection.pending[0]?.answer()
    await turn()
    expect([outcomes.offset('a'), outcomes.offset('b')]).toEqual([0n, 1n])
  })

  it('bumps the epoch once a batch that was sent expired and nothing is in flight, and sends the next batch at sequence 0', async () => {
    const { connection, send, outcomes, identity } = fakeSender()
    send('t', 0, 'a', 1_000)
    await turn()
    connection.requests[0]?.answer({ 't-0': ErrorCodes.REQUEST_TIMED_OUT })
    await later(1_000)
    for (const r of connection.pending) r.answer({ 't-0': ErrorCodes.REQUEST_TIMED_OUT })
    await later(1_000)
    expect(TimeoutError.isInstance(outcomes.error('a'))).toBe(true)
    send('t', 0, 'b')
    await turn()
    const last = connection.pending.at(-1)
    expect(last?.batches[0]).toMatchObject({ baseSequence: 0, epoch: 1 })
    expect(identity.producerEpoch).toBe(1)
    last?.answer()
    await turn()
    expect(outcomes.error('b')).toBeNull()
  })

  it('fails a batch in flight at its delivery deadline, and needs no bump when the late answer acknowledges it', async () => {
    const { connection, send, outcomes, identity } = fakeSender()
    send('t', 0, 'a', 500)
    await turn()
    await later(500)
    const error = outcomes.error('a')
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect(error?.message).toMatch(/no answer to its Produce request.*may or may not have been written/)
    connection.requests[0]?.answer()
    await turn()
    send('t', 0, 'b')
    await turn()
    expect(connection.pending[0]?.batches[0]).toMatchObject({ baseSequence: 1, epoch: 0 })
    expect(identity.producerEpoch).toBe(0)
  })

  it('holds new batches of a partition whose expired batch is unanswered, then bumps when the answer is an error', async () => {
    const { connection, send, identity, sender } = fakeSender()
    send('t', 0, 'a', 500)
    await turn()
    await later(500)
    send('t', 0, 'b')
    await turn()
    expect(connection.pending).toHaveLength(1)
    expect(sender.waitingFor('t', 0)).toBe('the outcome of an expired batch')
    connection.requests[0]?.fail(new ConnectionError('connection to broker lost'))
    await turn()
    await turn()
    expect(identity.producerEpoch).toBe(1)
    expect(connection.pending[0]?.batches[0]).toMatchObject({ baseSequence: 0, epoch: 1 })
  })

  it('splits a batch the broker refuses as too large into halves that keep its sequence range', async () => {
    const { connection, send, outcomes } = fakeSender()
    for (const name of ['a', 'b', 'c', 'd']) send('t', 0, name, 10_000, false)
    await turn()
    expect(connection.requests[0]?.batches[0]?.records).toBe(4)
    connection.requests[0]?.answer({ 't-0': ErrorCodes.MESSAGE_TOO_LARGE })
    await turn()
    expect(connection.pending[0]?.batches[0]).toMatchObject({ baseSequence: 0, records: 2 })
    connection.pending[0]?.answer()
    await turn()
    expect(connection.pending[0]?.batches[0]).toMatchObject({ baseSequence: 2, records: 2 })
    connection.pending[0]?.answer()
    await turn()
    expect(['a', 'b', 'c', 'd'].map((n) => outcomes.offset(n))).toEqual([0n, 1n, 2n, 3n])
  })

  it('fails a single record refused as too large with RecordTooLargeError, and bumps the epoch for the gap', async () => {
    const { connection, send, outcomes, identity } = fakeSender()
    send('t', 0, 'a')
    await turn()
    connection.requests[0]?.answer({ 't-0': ErrorCodes.MESSAGE_TOO_LARGE })
    await turn()
    expect(RecordTooLargeError.isInstance(outcomes.error('a'))).toBe(true)
    send('t', 0, 'b')
    await turn()
    expect(identity.producerEpoch).toBe(1)
    expect(connection.pending[0]?.batches[0]).toMatchObject({ baseSequence: 0, epoch: 1 })
  })

  it('fails the batch whose codec throws with a CompressionError, without using a sequence, and sends the next', async () => {
    let calls = 0
    const codec = scriptedCodec((data) => {
      if (calls++ === 0) throw new Error('broken codec')
      return data
    })
    const { connection, send, outcomes } = fakeSender({ codec })
    send('t', 0, 'a')
    await turn()
    expect(CompressionError.isInstance(outcomes.error('a'))).toBe(true)
    send('t', 0, 'b')
    await turn()
    expect(connection.pending[0]?.batches[0]).toMatchObject({ baseSequence: 0, epoch: 0 })
  })

  it('fails a batch whose codec returns something that is not a Buffer', async () => {
    const codec = scriptedCodec(() => 'oops' as unknown as Buffer)
    const { send, outcomes } = fakeSender({ codec })
    send('t', 0, 'a')
    await turn()
    expect(outcomes.error('a')?.message).toMatch(/not a Buffer/)
  })

  it('keeps at most five batches of a partition in flight', async () => {
    const { connection, send, sender } = fakeSender({ maxInFlight: 5 })
    for (let i = 0; i < 7; i++) {
      send('t', 0, `r${i}`)
      await turn()
    }
    expect(connection.pending).toHaveLength(5)
    expect(sender.waitingFor('t', 0)).toBe('earlier batches of the partition in flight')
    connection.pending[0]?.answer()
    await turn()
    expect(connection.pending).toHaveLength(5)
  })

  it('says what a batch waits for: a leader, then a connection to it', async () => {
    const leaders = new Map([['t-0', -1]])
    const { send, sender, outcomes, ready, connects } = fakeSender({ leaders })
    send('t', 0, 'a', 1_000)
    await turn()
    expect(sender.waitingFor('t', 0)).toBe('a leader')
    leaders.set('t-0', 1)
    ready.value = false
    await later(200)
    expect(sender.waitingFor('t', 0)).toBe('a connection to the leader')
    expect(connects).toContain(1)
    await later(1_000)
    const error = outcomes.error('a')
    expect(error?.message).toMatch(/never sent, waiting for a connection to the leader/)
    // The partition had no leader for a while: that is the last error the timeout reports.
    expect(LeaderNotAvailableError.isInstance(error?.cause)).toBe(true)
  })

  it('fails queued batches at their deadline even when nothing else wakes the sender', async () => {
    const { send, outcomes, ready } = fakeSender()
    ready.value = false
    send('t', 0, 'a', 300)
    send('t', 1, 'b', 600)
    await later(300)
    expect(TimeoutError.isInstance(outcomes.error('a'))).toBe(true)
    expect(outcomes.settled.has('b')).toBe(false)
    await later(300)
    expect(TimeoutError.isInstance(outcomes.error('b'))).toBe(true)
  })

  it('sends the next sequenced batch alone to learn whether the broker has an expired batch, and needs no bump when it has', async () => {
    const { connection, send, identity, outcomes } = fakeSender()
    send('t', 0, 'a', 500)
    await turn()
    send('t', 0, 'b', 10_000)
    await turn()
    expect(connection.pending.map((r) => r.batches[0]?.baseSequence)).toEqual([0, 1])
    await later(500)
    expect(TimeoutError.isInstance(outcomes.error('a'))).toBe(true)
    connection.requests[1]?.answer({ 't-0': ErrorCodes.REQUEST_TIMED_OUT })
    connection.requests[0]?.fail(new ConnectionError('connection to broker lost'))
    await later(150)
    // The retry of b (sequence 1) goes first, alone, in the old epoch: accepted, so a was written.
    expect(connection.pending.map((r) => r.batches[0])).toMatchObject([{ baseSequence: 1, epoch: 0 }])
    connection.pending[0]?.answer()
    await turn()
    send('t', 0, 'c')
    await turn()
    expect(connection.pending[0]?.batches[0]).toMatchObject({ baseSequence: 2, epoch: 0 })
    expect(identity.producerEpoch).toBe(0)
  })

  it('restarts only the partition whose sequences broke: another partition keeps its epoch for the batches it has outstanding', async () => {
    const { connection, send, identity, outcomes } = fakeSender()
    send('t', 0, 'a')
    send('t', 1, 'x')
    await turn()
    expect(connection.pending).toHaveLength(1)
    connection.requests[0]?.answer({ 't-0': ErrorCodes.UNKNOWN_PRODUCER_ID, 't-1': ErrorCodes.REQUEST_TIMED_OUT })
    await later(150)
    expect(identity.producerEpoch).toBe(1)
    const batches = connection.pending.flatMap((r) => r.batches).sort((l, r) => l.partition - r.partition)
    // t-0 starts again at 0 in epoch 1; t-1 resends its batch as it was, in epoch 0.
    expect(batches).toMatchObject([
      { partition: 0, baseSequence: 0, epoch: 1 },
      { partition: 1, baseSequence: 0, epoch: 0 },
    ])
    for (const r of connection.pending) r.answer()
    await turn()
    expect([outcomes.error('a'), outcomes.error('x')]).toEqual([null, null])
    // With nothing outstanding, t-1 moves to the newest epoch from sequence 0.
    send('t', 1, 'y')
    await turn()
    expect(connection.pending[0]?.batches[0]).toMatchObject({ partition: 1, baseSequence: 0, epoch: 1 })
  })

  it('lingers adaptively by default: a batch goes at once to an idle broker, later records wait for its answer and go together', async () => {
    const { connection, send, sender, outcomes } = fakeSender({ lingerMs: undefined })
    send('t', 0, 'a', 10_000, false)
    await turn()
    expect(connection.pending).toHaveLength(1)
    send('t', 0, 'b', 10_000, false)
    send('t', 1, 'c', 10_000, false)
    await later(1_000)
    // Nothing more goes while the first request is unanswered, however long that takes.
    expect(connection.pending).toHaveLength(1)
    expect(sender.waitingFor('t', 1)).toBe('the answer to the request in flight to its broker')
    connection.pending[0]?.answer()
    await turn()
    expect(connection.pending).toHaveLength(1)
    expect(connection.pending[0]?.batches.map((b) => [b.partition, b.records])).toEqual([
      [0, 1],
      [1, 1],
    ])
    connection.pending[0]?.answer()
    await turn()
    expect(['a', 'b', 'c'].map((n) => outcomes.error(n))).toEqual([null, null, null])
  })
})
