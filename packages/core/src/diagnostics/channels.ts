import diagnosticsChannel from 'node:diagnostics_channel'
import type { ProducerRecord } from '../producer/types.js'

// The producer's diagnostics_channel channels: stable names and payloads, documented in
// packages/core/docs/observability.md. Nothing is built for a channel nobody subscribes to.

/** Channel names, stable across versions. */
export const CHANNELS = {
  /** Tracing channel: one record, from `send` until it is acknowledged or fails. */
  send: 'tributary:producer:send',
  /** Tracing channel: one Produce request to one broker. */
  request: 'tributary:producer:request',
  /** Tracing channel: opening a connection (TCP or TLS, ApiVersions, SASL). */
  connect: 'tributary:connection:connect',
  /** Tracing channel: the SASL exchange of a connection (first authentication or re-authentication). */
  authenticate: 'tributary:connection:authenticate',
  /** Channel: a connection closed (by either side, or after an error). */
  disconnect: 'tributary:connection:disconnect',
  /** Tracing channel: one Metadata refresh. */
  metadata: 'tributary:metadata:refresh',
  /** Channel: a batch is sent again after a retriable error. */
  retry: 'tributary:producer:retry',
  /** Channel: a producer id or epoch was obtained or bumped. */
  producerId: 'tributary:producer:id',
  /** Tracing channel: a transaction's begin, commit or abort. */
  transaction: 'tributary:producer:transaction',
} as const

/** The payload of `tributary:producer:send` (the same object at every event of one record). */
export interface SendEvent {
  readonly clientId: string
  readonly topic: string
  /** The record as given to `send`; do not modify it. */
  readonly record: ProducerRecord<unknown, unknown, unknown, unknown>
  /**
   * Adds a header to the record, after the serializers (as bytes, or a string written as UTF-8).
   * Only at `start`: this is how trace context propagates to consumers.
   */
  setHeader(key: string, value: string | Buffer): void
  /** Set when the record settles. */
  partition?: number
  offset?: bigint
  timestamp?: bigint
  /** Produce requests that carried the record (0 when it never left the producer). */
  attempts?: number
  /** The broker of the last Produce request that carried it, when it was sent. */
  broker?: BrokerRef
  error?: Error
}

/** A broker as a payload names it. */
export interface BrokerRef {
  nodeId: number
  host: string
  port: number
}

/** The payload of `tributary:producer:request`. */
export interface RequestEvent {
  readonly clientId: string
  readonly broker: BrokerRef
  /** Batches (one per partition) in the request. */
  readonly batches: number
  readonly records: number
  /** Bytes of the record batches. */
  readonly bytes: number
  readonly partitions: ReadonlyArray<{ topic: string; partition: number }>
  /** Set when the request ends. */
  latencyMs?: number
  throttleTimeMs?: number
  error?: Error
}

/** The payload of `tributary:connection:connect`. */
export interface ConnectEvent {
  readonly clientId: string
  readonly host: string
  readonly port: number
  readonly tls: boolean
  /** The SASL mechanism, when the connection authenticates. */
  readonly sasl: string | undefined
  error?: Error
}

/** The payload of `tributary:connection:authenticate`. */
export interface AuthenticateEvent {
  readonly clientId: string
  readonly broker: string
  readonly mechanism: string
  /** True for a KIP-368 re-authentication of an open connection. */
  readonly reauthentication: boolean
  error?: Error
}

/** The payload of `tributary:connection:disconnect`. */
export interface DisconnectEvent {
  readonly clientId: string
  readonly host: string
  readonly port: number
  /** Why it closed; a ConnectionError for a close by the broker or the network. */
  readonly error: Error
}

/** The payload of `tributary:metadata:refresh`. */
export interface MetadataEvent {
  readonly clientId: string
  readonly topics: readonly string[]
  /** Set when it ends. */
  brokers?: number
  error?: Error
}

/** The payload of `tributary:producer:retry`. */
export interface RetryEvent {
  readonly clientId: string
  readonly topic: string
  readonly partition: number
  readonly records: number
  /** The attempt that failed (1 for the first send). */
  readonly attempt: number
  readonly backoffMs: number
  readonly error: Error
}

/** The payload of `tributary:producer:id`. */
export interface ProducerIdEvent {
  readonly clientId: string
  readonly producerId: bigint
  readonly producerEpoch: number
  /** `init`: a new id; `bump`: a newer epoch of the same id. */
  readonly kind: 'init' | 'bump'
  readonly reason: string
  /** The partition whose sequences led to a bump, when one did. */
  readonly topic?: string
  readonly partition?: number
}

/** The payload of `tributary:producer:transaction`. */
export interface TransactionEvent {
  readonly clientId: string
  readonly transactionalId: string
  readonly operation: 'begin' | 'commit' | 'abort'
  error?: Error
}

export const sendChannel = diagnosticsChannel.tracingChannel<unknown, SendEvent>(CHANNELS.send)
export const requestChannel = diagnosticsChannel.tracingChannel<unknown, RequestEvent>(CHANNELS.request)
export const connectChannel = diagnosticsChannel.tracingChannel<unknown, ConnectEvent>(CHANNELS.connect)
export const authenticateChannel = diagnosticsChannel.tracingChannel<unknown, AuthenticateEvent>(CHANNELS.authenticate)
export const disconnectChannel = diagnosticsChannel.channel(CHANNELS.disconnect)
export const metadataChannel = diagnosticsChannel.tracingChannel<unknown, MetadataEvent>(CHANNELS.metadata)
export const retryChannel = diagnosticsChannel.channel(CHANNELS.retry)
export const producerIdChannel = diagnosticsChannel.channel(CHANNELS.producerId)
export const transactionChannel = diagnosticsChannel.tracingChannel<unknown, TransactionEvent>(CHANNELS.transaction)

/** A tracing channel's parts, for `traced` below. */
interface Traced<T extends object> {
  /** Node 20.13 and later: any event of the channel has a subscriber. */
  readonly hasSubscribers?: boolean
  readonly start: { readonly hasSubscribers: boolean; publish(message: unknown): void }
  readonly end: { publish(message: unknown): void }
  readonly asyncStart: { publish(message: unknown): void }
  readonly asyncEnd: { readonly hasSubscribers: boolean; publish(message: unknown): void }
  readonly error: { readonly hasSubscribers: boolean; publish(message: unknown): void }
  tracePromise<R>(fn: () => Promise<R>, context?: T): Promise<R>
}

/** True when anybody listens to any event of a tracing channel. */
export function listened<T extends object>(channel: Traced<T>): boolean {
  // The channel's own flag costs well under a nanosecond; older Node versions lack it.
  return (
    channel.hasSubscribers ??
    (channel.start.hasSubscribers || channel.asyncEnd.hasSubscribers || channel.error.hasSubscribers)
  )
}

/**
 * Runs `operation` inside a tracing channel's events (start, end, error, asyncStart, asyncEnd) when
 * anybody listens, with `context()` built only then; otherwise just runs it. `onEnd` fills the
 * context with what the result says before the end events.
 */
export function traced<T extends object, R>(
  channel: Traced<T>,
  context: () => T,
  operation: () => Promise<R>,
  onEnd?: (context: T, result: R) => void,
): Promise<R> {
  if (!listened(channel)) return operation()
  const ctx = context()
  channel.start.publish(ctx)
  let promise: Promise<R>
  try {
    promise = operation()
  } catch (error) {
    ;(ctx as { error?: unknown }).error = error
    channel.error.publish(ctx)
    channel.end.publish(ctx)
    throw error
  }
  channel.end.publish(ctx)
  return promise.then(
    (result) => {
      onEnd?.(ctx, result)
      channel.asyncStart.publish(ctx)
      channel.asyncEnd.publish(ctx)
      return result
    },
    (error: unknown) => {
      ;(ctx as { error?: unknown }).error = error
      channel.error.publish(ctx)
      channel.asyncStart.publish(ctx)
      channel.asyncEnd.publish(ctx)
      throw error
    },
  )
}
