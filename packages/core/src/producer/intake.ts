import type { ClusterMetadata, TopicInfo } from '../cluster/metadata.js'
import { BufferFullError } from '../errors/buffer-full-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { toError } from '../errors/to-error.js'
import type { EncodableBytes, EncodableHeader } from '../protocol/records/record.js'
import { sleep } from '../retry.js'
import type { CompletionTarget } from './completion.js'
import type { AnyRecord, MaybePromise } from './prepare.js'

/** How long a record may wait at the head of the queue before the logger hears about it. */
const SLOW_WAIT_MS = 5_000

/** A record that could not be appended at once: its serializer is async, its topic unknown, or no room. */
export interface Waiting {
  readonly topic: string
  /** The partition and timestamp the record asked for (the record itself is not kept). */
  readonly partition: AnyRecord['partition']
  readonly timestamp: AnyRecord['timestamp']
  readonly target: CompletionTarget
  readonly index: number
  /** The record's delivery deadline (ms since the epoch) and timeout. */
  readonly deadline: number
  readonly timeoutMs: number
  /** When waiting for a serializer, metadata or buffer room must end: min(send + maxBlockMs, deadline). */
  readonly blockUntil: number
  readonly blockMs: number
  key: MaybePromise<EncodableBytes>
  value: MaybePromise<EncodableBytes>
  headers: MaybePromise<EncodableHeader[] | undefined>
  /** False while a serializer's promise is pending. */
  serialized: boolean
  /** Set once the record's target was settled or the record was appended. */
  settled: boolean
  /** Set once a slow wait was reported. */
  warned?: boolean
  /** What the record counts against `maxWaitingBytes` while it waits (its encoded size plus WAITING_RECORD_OVERHEAD). */
  readonly bytes: number
}

/** What a waiting record holds besides its bytes: its queue entry, header copy, promise or callback. */
export const WAITING_RECORD_OVERHEAD = 256

/** What the intake needs of the producer. */
export interface IntakeHost {
  readonly metadata: ClusterMetadata
  readonly bufferBytes: number
  readonly maxBlockMs: number
  readonly maxWaitingBytes: number
  /** Appends the record (or fails it alone); false only when the buffer has no room for it. */
  place(
    w: Waiting,
    key: EncodableBytes,
    value: EncodableBytes,
    headers: EncodableHeader[] | undefined,
    topic: TopicInfo,
  ): boolean
  waitForRoom(): Promise<void>
  /** Where a record that waits long is reported (once per record at the head of the queue). */
  warn(message: string): void
  /** Told how long a record waited for buffer room. */
  waitedForRoom(ms: number): void
  wakeSender(): void
}

/**
 * Records that wait before they can join a batch, strictly in send order (as a blocking send
 * would in the Java client): for their serializers, for their topic's metadata, or for buffer room.
 * Each one leaves by its own deadline, whatever the head of the queue waits for: one timer, at the
 * earliest deadline, fails every record whose time is up.
 */
export class Intake {
  private readonly queue: Waiting[] = []
  private readonly host: IntakeHost
  /** The sum of the queued records' `bytes`. */
  private queuedBytes = 0
  private running = false
  private timer: NodeJS.Timeout | undefined
  private timerAt = Number.POSITIVE_INFINITY
  /** Wakes the loop when the sweep removed records (maybe the one it was working on). */
  private interrupt: (() => void) | undefined
  /** The record the loop works on, and the work. */
  private advancing: { w: Waiting; done: Promise<void> } | undefined

  constructor(host: IntakeHost) {
    this.host = host
  }

  /** Records waiting. */
  get size(): number {
    return this.queue.length
  }

  /** What the waiting records count against `maxWaitingBytes`. */
  get bytes(): number {
    return this.queuedBytes
  }

  /** Adds a record at the end of the queue and makes sure the queue is worked through. */
  push(w: Waiting): void {
    if (!w.serialized) {
      const mark = () => {
        w.serialized = true
      }
      Promise.all([w.key, w.value, w.headers]).then(mark, mark)
    }
    this.queue.push(w)
    this.queuedBytes += w.bytes
    this.schedule(w.blockUntil)
    if (!this.running) void this.run()
  }

  /** Fails every waiting record with `error` (abort, close). */
  failAll(error: Error): void {
    const failed = this.queue.splice(0)
    this.queuedBytes = 0
    for (const w of failed) this.settle(w, error)
    this.stopTimer()
    this.interrupt?.()
  }

  private async run(): Promise<void> {
    this.running = true
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0] as Waiting
        const interrupted = new Promise<void>((resolve) => {
          this.interrupt = resolve
        })
        // The same head keeps its one advance: a sweep that removed other records must not start a second.
        if (this.advancing?.w !== head) this.advancing = { w: head, done: this.advance(head) }
        const slow = setTimeout(() => this.reportSlow(head), SLOW_WAIT_MS)
        await Promise.race([this.advancing.done, interrupted])
        clearTimeout(slow)
        this.interrupt = undefined
        if (this.queue[0] === head && head.settled) this.removeAt(0)
      }
    } finally {
      this.running = false
      this.advancing = undefined
      this.stopTimer()
    }
  }

  /** Takes the head record as far as it can go: serialized, its topic known, appended. */
  private async advance(w: Waiting): Promise<void> {
    try {
      const [key, value, headers] = await Promise.all([w.key, w.value, w.headers])
      if (w.settled) return
      const metadata = this.host.metadata
      const topic = metadata.topic(w.topic) ?? (await metadata.waitForTopic(w.topic, w.blockUntil, w.blockMs))
      if (w.settled) return
      while (!this.host.place(w, key, value, headers, topic)) {
        const started = Date.now()
        const remaining = w.blockUntil - started
        if (remaining <= 0)
          throw new BufferFullError(this.host.bufferBytes, this.host.maxBlockMs, this.host.maxWaitingBytes)
        this.host.wakeSender()
        await Promise.race([this.host.waitForRoom(), sleep(remaining)])
        this.host.waitedForRoom(Date.now() - started)
        if (w.settled) return
      }
      w.settled = true
    } catch (error) {
      this.settle(w, toError(error))
    }
  }

  /** Says what a record that has waited SLOW_WAIT_MS at the head of the queue is waiting for. */
  private reportSlow(w: Waiting): void {
    if (w.settled || w.warned) return
    w.warned = true
    const metadata = this.host.metadata
    const waited = `a record for topic '${w.topic}' has waited ${SLOW_WAIT_MS / 1000} s`
    if (!w.serialized) this.host.warn(`${waited} for its serializer`)
    else if (metadata.topic(w.topic) === undefined) {
      this.host.warn(`${waited} for the topic's metadata (${metadata.reason(w.topic)}); it fails after ${w.blockMs} ms`)
    } else {
      this.host.warn(
        `${waited} for room in the producer's buffer (bufferBytes ${this.host.bufferBytes}): records are sent faster than the brokers acknowledge them`,
      )
    }
  }

  private removeAt(i: number): void {
    const w = i === 0 ? this.queue.shift() : this.queue.splice(i, 1)[0]
    if (w !== undefined) this.queuedBytes -= w.bytes
  }

  private settle(w: Waiting, error: Error): void {
    if (w.settled) return
    w.settled = true
    w.target.settle(w.index, error, null)
  }

  private schedule(at: number): void {
    if (at >= this.timerAt) return
    this.stopTimer()
    this.timerAt = at
    this.timer = setTimeout(() => this.sweep(), Math.max(0, at - Date.now()))
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Number.POSITIVE_INFINITY
  }

  /** Fails every record whose waiting time is up, wherever it is in the queue. */
  private sweep(): void {
    this.timer = undefined
    this.timerAt = Number.POSITIVE_INFINITY
    const now = Date.now()
    let next = Number.POSITIVE_INFINITY
    let removed = false
    for (let i = 0; i < this.queue.length; ) {
      const w = this.queue[i] as Waiting
      if (w.settled && i > 0) {
        this.removeAt(i)
        continue
      }
      if (w.blockUntil > now) {
        if (w.blockUntil < next) next = w.blockUntil
        i++
        continue
      }
      this.removeAt(i)
      removed = true
      this.settle(w, this.expired(w, i === 0))
    }
    if (next !== Number.POSITIVE_INFINITY) this.schedule(next)
    if (removed) this.interrupt?.()
  }

  /** Why a record that waited too long did: its serializer, its topic, the buffer, or the records ahead. */
  private expired(w: Waiting, atHead: boolean): Error {
    const metadata = this.host.metadata
    if (!w.serialized) {
      return new TimeoutError(
        `serializing a record for topic '${w.topic}' did not finish within ${w.blockMs} ms (the serializer's promise is still pending)`,
        { timeoutMs: w.blockMs },
      )
    }
    if (metadata.topic(w.topic) === undefined) return metadata.notPresent(w.topic, w.blockMs)
    if (atHead) return new BufferFullError(this.host.bufferBytes, this.host.maxBlockMs, this.host.maxWaitingBytes)
    const head = this.queue[0]
    const ahead = head === undefined ? 'earlier records' : `earlier records for topic '${head.topic}'`
    return new TimeoutError(
      `a record for topic '${w.topic}' waited ${w.blockMs} ms behind ${ahead}, which wait for their topic's metadata, a serializer or buffer room`,
      { timeoutMs: w.blockMs },
    )
  }
}
