import diagnosticsChannel from 'node:diagnostics_channel'
import { EventEmitter } from 'node:events'
import {
  type ConnectEvent,
  ConnectionError,
  type MetadataEvent,
  type RequestEvent,
  TRIBUTARY_CHANNELS,
} from '@tributary/core'
import { ApiKeys } from '@tributary/core/protocol'
import { KafkaJSNonRetriableError } from './errors/kafkajs-errors.js'
import type { InstrumentationEvent, Logger, ProducerEvents } from './types.js'

// The producer's instrumentation events (`producer.on(producer.events.REQUEST, listener)`), as in
// kafkajs. CONNECT and DISCONNECT come from `connect()` and `disconnect()`. REQUEST and
// REQUEST_TIMEOUT come from Tributary's diagnostics_channel channels (TRIBUTARY_CHANNELS), which are
// process-wide: this producer takes the events whose `clientId` is its own, so two producers that
// share a clientId see each other's requests. Channels are subscribed only while a listener for
// them is registered, so a producer without listeners costs nothing.
//
// What the channels report, and so what REQUEST events there are:
// - Produce: one event per Produce request, with the broker, the size of its record batches and
//   its latency as `duration`;
// - Metadata: one event per metadata refresh (`broker` is '' : the channel does not say which
//   broker answered; `size` is 0);
// - ApiVersions: one event per connection opened, as kafkajs's first request on a connection (its
//   `duration` covers the TCP/TLS connect, ApiVersions and SASL).
// `apiVersion` and `correlationId` are -1 and `pendingDuration` 0: the channels do not carry them.
// REQUEST_TIMEOUT: a Produce or Metadata request that got no answer within `requestTimeout`.
// REQUEST_QUEUE_SIZE is accepted but never emitted: Tributary keeps no per-connection request
// queue (records wait in per-partition batches instead, bounded by `maxInFlightRequests`).

/** kafkajs's producer event names. */
export const PRODUCER_EVENTS: ProducerEvents = {
  CONNECT: 'producer.connect',
  DISCONNECT: 'producer.disconnect',
  REQUEST: 'producer.network.request',
  REQUEST_TIMEOUT: 'producer.network.request_timeout',
  REQUEST_QUEUE_SIZE: 'producer.network.request_queue_size',
}

const EVENT_NAMES = new Set<string>(Object.values(PRODUCER_EVENTS))
const EVENT_KEYS = Object.keys(PRODUCER_EVENTS)
  .map((key) => `producer.events.${key}`)
  .join(', ')

let lastId = 0
function nextId(): number {
  if (lastId === Number.MAX_SAFE_INTEGER) lastId = 0
  return lastId++
}

type Handlers = {
  start?: (message: unknown) => void
  end?: (message: unknown) => void
  asyncStart?: (message: unknown) => void
  asyncEnd?: (message: unknown) => void
  error?: (message: unknown) => void
}

/** The events of one producer: listeners, and the channel subscriptions that feed them. */
export class ProducerEventEmitter {
  private readonly emitter = new EventEmitter()
  private subscribed: Array<() => void> | undefined
  private closed = false

  constructor(
    private readonly clientId: string,
    private readonly logger: Logger,
  ) {}

  /** `producer.on`: adds a listener and returns its removal, as kafkajs does. */
  on(eventName: string, listener: (event: InstrumentationEvent<unknown>) => unknown): () => void {
    if (!EVENT_NAMES.has(eventName)) {
      throw new KafkaJSNonRetriableError(`Event name should be one of ${EVENT_KEYS}`)
    }
    const wrapped = (event: InstrumentationEvent<unknown>) => {
      // Listeners never disturb the producer: what they throw or reject with is logged, as in kafkajs.
      const failed = (error: unknown) =>
        this.logger.error(`Failed to execute listener: ${error instanceof Error ? error.message : String(error)}`, {
          eventName,
          stack: error instanceof Error ? error.stack : undefined,
        })
      try {
        Promise.resolve(listener(event)).catch(failed)
      } catch (error) {
        failed(error)
      }
    }
    this.emitter.addListener(eventName, wrapped)
    this.updateSubscriptions()
    return () => {
      this.emitter.removeListener(eventName, wrapped)
      this.updateSubscriptions()
    }
  }

  /** Emits an event to the listeners of `type`, building it only when there are some. */
  emit(type: string, payload: () => unknown): void {
    if (this.emitter.listenerCount(type) === 0) return
    const event: InstrumentationEvent<unknown> = {
      id: nextId() as unknown as string,
      type,
      timestamp: Date.now(),
      payload: payload(),
    }
    this.emitter.emit(type, event)
  }

  /** Listens to the channels again (after `close`) when a listener needs them. */
  open(): void {
    this.closed = false
    this.updateSubscriptions()
  }

  /** Stops listening to the channels until `open` (the listeners stay registered). */
  close(): void {
    this.closed = true
    this.unsubscribe()
  }

  private unsubscribe(): void {
    for (const unsubscribe of this.subscribed ?? []) unsubscribe()
    this.subscribed = undefined
  }

  private get wantsRequests(): boolean {
    return (
      this.emitter.listenerCount(PRODUCER_EVENTS.REQUEST) > 0 ||
      this.emitter.listenerCount(PRODUCER_EVENTS.REQUEST_TIMEOUT) > 0
    )
  }

  private updateSubscriptions(): void {
    const wanted = this.wantsRequests && !this.closed
    if (wanted && this.subscribed === undefined) this.subscribe()
    else if (!wanted && this.subscribed !== undefined) this.unsubscribe()
  }

  private subscribe(): void {
    const subscriptions: Array<() => void> = []
    const trace = (name: string, handlers: Handlers) => {
      const channel = diagnosticsChannel.tracingChannel(name)
      channel.subscribe(handlers as Parameters<typeof channel.subscribe>[0])
      subscriptions.push(() => channel.unsubscribe(handlers as Parameters<typeof channel.unsubscribe>[0]))
    }
    const clientId = this.clientId
    const started = new WeakMap<object, number>()
    const start = (message: unknown) => {
      if ((message as { clientId?: string }).clientId === clientId) started.set(message as object, Date.now())
    }

    trace(TRIBUTARY_CHANNELS.request, {
      start,
      asyncEnd: (message) => {
        const e = message as RequestEvent
        if (e.clientId !== clientId) return
        const broker = `${e.broker.host}:${e.broker.port}`
        const sentAt = started.get(e) ?? Date.now() - (e.latencyMs ?? 0)
        if (e.error !== undefined) {
          if (isRequestTimeout(e.error)) this.requestTimeout('Produce', broker, sentAt)
          return
        }
        this.request('Produce', broker, sentAt, e.latencyMs ?? Date.now() - sentAt, e.bytes)
      },
    })
    trace(TRIBUTARY_CHANNELS.metadata, {
      start,
      asyncEnd: (message) => {
        const e = message as MetadataEvent
        if (e.clientId !== clientId) return
        const sentAt = started.get(e) ?? Date.now()
        if (e.error !== undefined) {
          if (isRequestTimeout(e.error)) this.requestTimeout('Metadata', '', sentAt)
          return
        }
        this.request('Metadata', '', sentAt, Date.now() - sentAt, 0)
      },
    })
    trace(TRIBUTARY_CHANNELS.connect, {
      start,
      asyncEnd: (message) => {
        const e = message as ConnectEvent
        if (e.clientId !== clientId || e.error !== undefined) return
        const sentAt = started.get(e) ?? Date.now()
        this.request('ApiVersions', `${e.host}:${e.port}`, sentAt, Date.now() - sentAt, 0)
      },
    })
    this.subscribed = subscriptions
  }

  private request(apiName: string, broker: string, sentAt: number, duration: number, size: number): void {
    this.emit(PRODUCER_EVENTS.REQUEST, () => ({
      apiKey: (ApiKeys as Record<string, number | undefined>)[apiName] ?? -1,
      apiName,
      apiVersion: -1,
      broker,
      clientId: this.clientId,
      correlationId: -1,
      createdAt: sentAt,
      duration,
      pendingDuration: 0,
      sentAt,
      size,
    }))
  }

  private requestTimeout(apiName: string, broker: string, sentAt: number): void {
    this.emit(PRODUCER_EVENTS.REQUEST_TIMEOUT, () => ({
      apiKey: (ApiKeys as Record<string, number | undefined>)[apiName] ?? -1,
      apiName,
      apiVersion: -1,
      broker,
      clientId: this.clientId,
      correlationId: -1,
      createdAt: sentAt,
      pendingDuration: 0,
      sentAt,
    }))
  }
}

const TIMED_OUT = / timed out after \d+ ms/

/** A request that got no answer in time (a ConnectionError saying so, here or as a cause). */
function isRequestTimeout(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (ConnectionError.isInstance(e) && e.message.startsWith('request ') && TIMED_OUT.test(e.message)) return true
  }
  return false
}
