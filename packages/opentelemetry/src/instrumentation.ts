import diagnosticsChannel from 'node:diagnostics_channel'
import {
  type Attributes,
  type Context,
  type Counter,
  context,
  diag,
  type Histogram,
  isSpanContextValid,
  type MeterProvider,
  metrics,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'
import { type BrokerRef, type RequestEvent, type SendEvent, TRIBUTARY_CHANNELS } from '@tributary/core'
import { version } from '../package.json'
import { errorType, hasAnyHeader, keyString, recordHeadersGetter } from './classify.js'
import {
  ATTR_ERROR_TYPE,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_TRIBUTARY_PRODUCE_BATCHES,
  ATTR_TRIBUTARY_PRODUCE_BYTES,
  ATTR_TRIBUTARY_PRODUCE_THROTTLE_TIME,
  DURATION_BUCKETS,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_SYSTEM_VALUE_KAFKA,
  METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
  METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
  type SemconvVersion,
  type VersionedNames,
  versionedNames,
} from './semconv.js'

/** The instrumentation scope name of the spans and metrics. */
export const INSTRUMENTATION_NAME = '@tributary/opentelemetry'

/** Options of {@link tributaryInstrumentation}. Every one is optional. */
export interface TributaryInstrumentationOptions {
  /**
   * Where the spans go. Default: the global tracer provider (`trace.setGlobalTracerProvider`, or an
   * SDK's `register()`), also when it is registered after `enable()`.
   */
  tracerProvider?: TracerProvider | undefined
  /**
   * Where the metrics go. Default: the global meter provider as it is when `enable()` runs, so
   * register it first (or pass it here, or through `setMeterProvider`).
   */
  meterProvider?: MeterProvider | undefined
  /**
   * Writes the trace context into record headers and reads a context a record already carries.
   * Default: the global propagator (`propagation.setGlobalPropagator`), W3C `traceparent` and
   * `tracestate` (and `baggage`) with the Node SDK.
   */
  propagator?: TextMapPropagator | undefined
  /**
   * Records the record key as `kafka.message.key`. `true` (default): keys that are strings, numbers
   * or bigints, the keys with an unambiguous string form (the conventions leave bytes out); `false`:
   * never (keys that hold personal data); a function: its string for any key, or `undefined` to
   * leave the attribute out (for example `(key) => Buffer.isBuffer(key) ? key.toString('utf8') : undefined`).
   */
  captureKey?: boolean | ((key: unknown, topic: string) => string | undefined) | undefined
  /**
   * A `CLIENT` span for every Produce request (broker, partitions, records, bytes, throttle time,
   * errors). Each is the root of its own trace, because the request channel does not say which
   * records a request carried. Default: `false`.
   */
  requestSpans?: boolean | undefined
  /**
   * Which release of the messaging semantic conventions the attribute names follow: `'1.45'`
   * (default; `messaging.system.name`, `kafka.message.key`, `kafka.offset`,
   * `kafka.message.tombstone`), `'1.44'` (the names before: `messaging.system`,
   * `messaging.kafka.message.key`, `messaging.kafka.offset`, `messaging.kafka.message.tombstone`,
   * what most Kafka instrumentations emitted until v1.45.0) or `'both'`, to move dashboards over.
   */
  semconv?: SemconvVersion | undefined
}

/** What `getConfig()` returns: the options, and whether the instrumentation is enabled. */
export interface TributaryInstrumentationConfig extends TributaryInstrumentationOptions {
  enabled?: boolean
}

/** The state of one record's send, from its `start` event to its `asyncEnd`. */
interface InFlightSend {
  readonly span: Span
  readonly startMs: number
}

/** What the propagator must do for us; the global `propagation` API and any `TextMapPropagator` fit. */
interface Propagation {
  inject(context: Context, carrier: SendEvent, setter: TextMapSetter<SendEvent>): void
  extract<C>(context: Context, carrier: C, getter: TextMapGetter<C>): Context
  fields(): string[]
}

const headerSetter: TextMapSetter<SendEvent> = {
  set(event, key, value) {
    event.setHeader(key, value)
  },
}

/** A setter that leaves out the headers the record has of its own. */
function skippingSetter(present: readonly string[]): TextMapSetter<SendEvent> {
  return {
    set(event, key, value) {
      if (!present.includes(key)) event.setHeader(key, value)
    },
  }
}

/** Milliseconds since the epoch, with sub-millisecond precision (the SDK's own clock). */
function nowMs(): number {
  return performance.timeOrigin + performance.now()
}

function put(attributes: Attributes, names: readonly string[], value: string | number | boolean): void {
  for (const name of names) attributes[name] = value
}

/**
 * OpenTelemetry instrumentation of Tributary producers. Nothing happens until {@link enable};
 * then every record sent by any `Producer` in the process gets a `send {topic}` span (kind
 * `PRODUCER`, the child of the context active when `send` was called), its trace context is written
 * into the record's headers, and the `messaging.client.sent.messages` and
 * `messaging.client.operation.duration` metrics are recorded. {@link disable} unsubscribes from the
 * core's diagnostics channels, so a disabled instrumentation costs nothing.
 *
 * It has the shape of `@opentelemetry/instrumentation`'s `Instrumentation`, so it can be passed to
 * `registerInstrumentations({ instrumentations: [...] })` or to the Node SDK's `instrumentations`.
 */
export class TributaryInstrumentation {
  /** The instrumentation scope name. */
  readonly instrumentationName: string = INSTRUMENTATION_NAME
  /** This package's version, the instrumentation scope version. */
  readonly instrumentationVersion: string = version

  private options: TributaryInstrumentationOptions
  private names: VersionedNames
  private enabled = false
  private tracer: Tracer | undefined
  private sentMessages: Counter | undefined
  private operationDuration: Histogram | undefined
  /** Spans of records not settled yet, by their event (the same object at every event of a record). */
  private readonly sends = new WeakMap<SendEvent, InFlightSend>()
  private readonly requests = new WeakMap<RequestEvent, Span>()
  /** The broker that last got a Produce request for a partition: clientId → topic → partition → broker. */
  private readonly leaders = new Map<string, Map<string, Map<number, BrokerRef>>>()
  private readonly sendChannel = diagnosticsChannel.tracingChannel<unknown, SendEvent>(TRIBUTARY_CHANNELS.send)
  private readonly requestChannel = diagnosticsChannel.tracingChannel<unknown, RequestEvent>(TRIBUTARY_CHANNELS.request)

  constructor(options: TributaryInstrumentationOptions = {}) {
    this.options = { ...options }
    this.names = versionedNames(options.semconv ?? '1.45')
  }

  /**
   * Subscribes to the core's `tributary:producer:send` and `tributary:producer:request` channels:
   * from now on, records sent get spans, headers and metrics. Calling it again does nothing.
   */
  enable(): void {
    if (this.enabled) return
    this.enabled = true
    this.tracer = (this.options.tracerProvider ?? trace.getTracerProvider()).getTracer(
      INSTRUMENTATION_NAME,
      this.instrumentationVersion,
    )
    this.createInstruments()
    this.sendChannel.start.subscribe(this.onSendStart)
    this.sendChannel.asyncEnd.subscribe(this.onSendEnd)
    this.requestChannel.start.subscribe(this.onRequestStart)
    if (this.options.requestSpans === true) this.requestChannel.asyncEnd.subscribe(this.onRequestEnd)
  }

  /**
   * Unsubscribes from every channel: the producers build no events for the instrumentation any
   * more, add no headers, and no spans or metrics are recorded. A record in flight keeps its span,
   * which ends only if the instrumentation is enabled again before the record settles.
   */
  disable(): void {
    if (!this.enabled) return
    this.enabled = false
    this.sendChannel.start.unsubscribe(this.onSendStart)
    this.sendChannel.asyncEnd.unsubscribe(this.onSendEnd)
    this.requestChannel.start.unsubscribe(this.onRequestStart)
    this.requestChannel.asyncEnd.unsubscribe(this.onRequestEnd)
    this.leaders.clear()
  }

  /** Whether {@link enable} was called last (rather than {@link disable}). */
  isEnabled(): boolean {
    return this.enabled
  }

  /** Sends the spans to `tracerProvider` from now on (used by `registerInstrumentations`). */
  setTracerProvider(tracerProvider: TracerProvider): void {
    this.options.tracerProvider = tracerProvider
    if (this.enabled) this.tracer = tracerProvider.getTracer(INSTRUMENTATION_NAME, this.instrumentationVersion)
  }

  /** Records the metrics with `meterProvider` from now on (used by `registerInstrumentations`). */
  setMeterProvider(meterProvider: MeterProvider): void {
    this.options.meterProvider = meterProvider
    if (this.enabled) this.createInstruments()
  }

  /** The options, and `enabled`. */
  getConfig(): TributaryInstrumentationConfig {
    return { ...this.options, enabled: this.enabled }
  }

  /**
   * Replaces the options (providers included; `enabled` is ignored: call {@link enable} or
   * {@link disable}). Applies to records sent from now on.
   */
  setConfig(config: TributaryInstrumentationConfig = {}): void {
    const { enabled: _, ...options } = config
    const wasEnabled = this.enabled
    this.disable()
    this.options = options
    this.names = versionedNames(options.semconv ?? '1.45')
    if (wasEnabled) this.enable()
  }

  private createInstruments(): void {
    const meter = (this.options.meterProvider ?? metrics.getMeterProvider()).getMeter(
      INSTRUMENTATION_NAME,
      this.instrumentationVersion,
    )
    this.sentMessages = meter.createCounter(METRIC_MESSAGING_CLIENT_SENT_MESSAGES, {
      description: 'Number of messages producer attempted to send to the broker.',
      unit: '{message}',
    })
    this.operationDuration = meter.createHistogram(METRIC_MESSAGING_CLIENT_OPERATION_DURATION, {
      description: 'Duration of messaging operation initiated by a producer or consumer client.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    })
  }

  private get propagator(): Propagation {
    return this.options.propagator ?? propagation
  }

  // diagnostics_channel rethrows a subscriber's exception on the next tick, which would crash the
  // application: every handler catches and reports through OpenTelemetry's diag logger instead.

  private readonly onSendStart = (message: unknown): void => {
    try {
      this.startSend(message as SendEvent)
    } catch (error) {
      diag.error('@tributary/opentelemetry: starting a send span failed', error)
    }
  }

  private readonly onSendEnd = (message: unknown): void => {
    try {
      this.endSend(message as SendEvent)
    } catch (error) {
      diag.error('@tributary/opentelemetry: ending a send span failed', error)
    }
  }

  private readonly onRequestStart = (message: unknown): void => {
    try {
      this.startRequest(message as RequestEvent)
    } catch (error) {
      diag.error('@tributary/opentelemetry: handling a Produce request failed', error)
    }
  }

  private readonly onRequestEnd = (message: unknown): void => {
    try {
      this.endRequest(message as RequestEvent)
    } catch (error) {
      diag.error('@tributary/opentelemetry: ending a Produce request span failed', error)
    }
  }

  /** `start` runs synchronously inside `send`, so the active context is the caller's. */
  private startSend(event: SendEvent): void {
    const tracer = this.tracer
    if (tracer === undefined) return
    const startMs = nowMs()
    const parent = context.active()
    const record = event.record
    const attributes = this.baseAttributes()
    attributes[ATTR_MESSAGING_OPERATION_TYPE] = MESSAGING_OPERATION_TYPE_VALUE_SEND
    if (event.topic !== '') attributes[ATTR_MESSAGING_DESTINATION_NAME] = event.topic
    attributes[ATTR_MESSAGING_CLIENT_ID] = event.clientId
    if (typeof record?.partition === 'number') {
      attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(record.partition)
    }
    const key = this.keyAttribute(record?.key, event.topic)
    if (key !== undefined) put(attributes, this.names.key, key)
    if (record?.value === null) put(attributes, this.names.tombstone, true)

    // A record that already carries a trace context (a creation context of the application's own,
    // or one copied from a consumed record) keeps it: the conventions say not to modify it, and the
    // send span is then a CLIENT span that links to it instead of a PRODUCER span injected in its place.
    const propagator = this.propagator
    let carried: SpanContext | undefined
    let present: readonly string[] | undefined
    const headers: unknown = record?.headers
    if (hasAnyHeader(headers, propagator.fields())) {
      present = recordHeadersGetter.keys(headers)
      const spanContext = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, recordHeadersGetter))
      if (spanContext !== undefined && isSpanContextValid(spanContext)) carried = spanContext
    }
    const span = tracer.startSpan(
      event.topic === '' ? 'send' : `send ${event.topic}`,
      {
        kind: carried === undefined ? SpanKind.PRODUCER : SpanKind.CLIENT,
        attributes,
        startTime: startMs,
        ...(carried === undefined ? {} : { links: [{ context: carried }] }),
      },
      parent,
    )
    // Kept before injecting: the span ends with the record even if the propagator throws.
    this.sends.set(event, { span, startMs })
    if (carried === undefined) {
      // Headers the record already has (a `baggage` of its own, say) are left as they are, not doubled.
      const setter = present === undefined ? headerSetter : skippingSetter(present)
      propagator.inject(trace.setSpan(parent, span), event, setter)
    }
  }

  private endSend(event: SendEvent): void {
    const inFlight = this.sends.get(event)
    if (inFlight === undefined) return
    this.sends.delete(event)
    const endMs = nowMs()
    const { span, startMs } = inFlight
    const broker = this.brokerOf(event)
    const partition = event.partition === undefined ? undefined : String(event.partition)
    const failure = event.error === undefined ? undefined : errorType(event.error)

    if (partition !== undefined) span.setAttribute(ATTR_MESSAGING_DESTINATION_PARTITION_ID, partition)
    if (event.offset !== undefined && event.offset >= 0n) {
      const offset = Number(event.offset)
      for (const name of this.names.offset) span.setAttribute(name, offset)
    }
    if (broker !== undefined) {
      span.setAttribute(ATTR_SERVER_ADDRESS, broker.host)
      span.setAttribute(ATTR_SERVER_PORT, broker.port)
    }
    if (failure !== undefined) {
      span.setAttribute(ATTR_ERROR_TYPE, failure)
      span.setStatus({ code: SpanStatusCode.ERROR, message: event.error?.message ?? '' })
    }
    span.end(endMs)

    const attributes = this.baseAttributes()
    if (event.topic !== '') attributes[ATTR_MESSAGING_DESTINATION_NAME] = event.topic
    if (partition !== undefined) attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = partition
    if (broker !== undefined) {
      attributes[ATTR_SERVER_ADDRESS] = broker.host
      attributes[ATTR_SERVER_PORT] = broker.port
    }
    if (failure !== undefined) attributes[ATTR_ERROR_TYPE] = failure
    // Only records that went to a broker count as sent (the conventions: not those created but never
    // sent). The SDK may keep the attributes object it is given: each instrument gets its own.
    if ((event.attempts ?? 0) > 0) this.sentMessages?.add(1, { ...attributes })
    attributes[ATTR_MESSAGING_OPERATION_TYPE] = MESSAGING_OPERATION_TYPE_VALUE_SEND
    this.operationDuration?.record((endMs - startMs) / 1000, attributes)
  }

  private startRequest(event: RequestEvent): void {
    let topics = this.leaders.get(event.clientId)
    if (topics === undefined) {
      topics = new Map()
      this.leaders.set(event.clientId, topics)
    }
    for (const { topic, partition } of event.partitions) {
      let partitions = topics.get(topic)
      if (partitions === undefined) {
        partitions = new Map()
        topics.set(topic, partitions)
      }
      partitions.set(partition, event.broker)
    }
    if (this.options.requestSpans !== true || this.tracer === undefined) return

    const topicNames = new Set(event.partitions.map((p) => p.topic))
    const topic = topicNames.size === 1 ? (topicNames.values().next().value as string) : undefined
    const attributes = this.baseAttributes('produce')
    attributes[ATTR_MESSAGING_OPERATION_TYPE] = MESSAGING_OPERATION_TYPE_VALUE_SEND
    attributes[ATTR_MESSAGING_CLIENT_ID] = event.clientId
    attributes[ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = event.records
    if (topic !== undefined) attributes[ATTR_MESSAGING_DESTINATION_NAME] = topic
    if (event.partitions.length === 1) {
      attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(event.partitions[0]?.partition)
    }
    attributes[ATTR_SERVER_ADDRESS] = event.broker.host
    attributes[ATTR_SERVER_PORT] = event.broker.port
    attributes[ATTR_TRIBUTARY_PRODUCE_BATCHES] = event.batches
    attributes[ATTR_TRIBUTARY_PRODUCE_BYTES] = event.bytes
    const span = this.tracer.startSpan(
      topic === undefined ? 'produce' : `produce ${topic}`,
      { kind: SpanKind.CLIENT, attributes },
      // The sender runs in whatever async context started it: a request span belongs to no record's trace.
      ROOT_CONTEXT,
    )
    this.requests.set(event, span)
  }

  private endRequest(event: RequestEvent): void {
    const span = this.requests.get(event)
    if (span === undefined) return
    this.requests.delete(event)
    if (event.throttleTimeMs !== undefined && event.throttleTimeMs > 0) {
      span.setAttribute(ATTR_TRIBUTARY_PRODUCE_THROTTLE_TIME, event.throttleTimeMs)
    }
    if (event.error !== undefined) {
      span.setAttribute(ATTR_ERROR_TYPE, errorType(event.error))
      span.setStatus({ code: SpanStatusCode.ERROR, message: event.error.message })
    }
    span.end()
  }

  private baseAttributes(operation = 'send'): Attributes {
    const attributes: Attributes = {}
    put(attributes, this.names.system, MESSAGING_SYSTEM_VALUE_KAFKA)
    attributes[ATTR_MESSAGING_OPERATION_NAME] = operation
    return attributes
  }

  private keyAttribute(key: unknown, topic: string): string | undefined {
    const capture = this.options.captureKey ?? true
    if (capture === false || key === undefined || key === null) return undefined
    return capture === true ? keyString(key) : capture(key, topic)
  }

  /**
   * The broker that the last Produce request carrying the record went to: from the payload when the
   * core reports it there, otherwise the broker that last got a request for the record's partition
   * from a producer with the same client id (client ids are meant to be unique per producer).
   */
  private brokerOf(event: SendEvent): BrokerRef | undefined {
    const own = (event as SendEvent & { broker?: BrokerRef }).broker
    if (own !== undefined) return own
    if (event.partition === undefined || (event.attempts ?? 0) === 0) return undefined
    return this.leaders.get(event.clientId)?.get(event.topic)?.get(event.partition)
  }
}

/**
 * Creates the OpenTelemetry instrumentation of Tributary producers; call `enable()` on it.
 *
 * ```ts
 * const instrumentation = tributaryInstrumentation({ tracerProvider, meterProvider })
 * instrumentation.enable()
 * ```
 */
export function tributaryInstrumentation(options: TributaryInstrumentationOptions = {}): TributaryInstrumentation {
  return new TributaryInstrumentation(options)
}
