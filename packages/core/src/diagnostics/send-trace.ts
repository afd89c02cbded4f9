import { Buffer } from 'node:buffer'
import type { CompletionTarget, SettledFrom } from '../producer/completion.js'
import type { ProducerRecord, RecordMetadata } from '../producer/types.js'
import type { EncodableHeader } from '../protocol/records/record.js'
import { type BrokerRef, type SendEvent, sendChannel } from './channels.js'

/**
 * One record's `tributary:producer:send` events: built only when somebody listens. It stands
 * between the record and its completion target, to publish the end events when the record settles.
 */
export class SendTrace implements SendEvent, CompletionTarget {
  readonly clientId: string
  readonly topic: string
  readonly record: ProducerRecord<unknown, unknown, unknown, unknown>
  partition?: number
  offset?: bigint
  timestamp?: bigint
  attempts?: number
  broker?: BrokerRef
  error?: Error
  /** Headers added by subscribers at `start`, appended after the record's own. */
  added: EncodableHeader[] | undefined
  private started = false
  private readonly target: CompletionTarget
  private readonly index: number

  constructor(
    clientId: string,
    topic: string,
    record: ProducerRecord<unknown, unknown, unknown, unknown>,
    target: CompletionTarget,
    index: number,
  ) {
    this.clientId = clientId
    this.topic = topic
    this.record = record
    this.target = target
    this.index = index
  }

  setHeader(key: string, value: string | Buffer): void {
    if (this.started) return
    this.added ??= []
    this.added.push({ key: String(key), value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value })
  }

  /** Publishes `start`; after it, headers can no longer be added. */
  start(): void {
    sendChannel.start.publish(this)
    this.started = true
  }

  /** Publishes `end`: `send` returned. */
  end(): void {
    sendChannel.end.publish(this)
  }

  settle(_index: number, error: Error | null, meta: RecordMetadata | null, from?: SettledFrom): void {
    const partition = meta?.partition ?? from?.partition
    if (partition !== undefined) this.partition = partition
    this.attempts = from?.attempts ?? 0
    if (from?.broker !== undefined) this.broker = from.broker
    if (meta !== null) {
      this.offset = meta.offset
      this.timestamp = meta.timestamp
    }
    this.target.settle(this.index, error, meta, from)
    if (error !== null) {
      this.error = error
      sendChannel.error.publish(this)
    }
    sendChannel.asyncStart.publish(this)
    sendChannel.asyncEnd.publish(this)
  }
}

/** The record's serialized headers with those subscribers added at `start`. */
export function withAddedHeaders(
  headers: EncodableHeader[] | undefined | Promise<EncodableHeader[] | undefined>,
  added: EncodableHeader[],
): EncodableHeader[] | Promise<EncodableHeader[]> {
  if (headers instanceof Promise) return headers.then((h) => [...(h ?? []), ...added])
  return [...(headers ?? []), ...added]
}
