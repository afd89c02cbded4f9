import { context, type SpanContext, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import {
  type CollectionResult,
  type DataPoint,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { afterAll, afterEach, beforeAll } from 'vitest'
import {
  type TributaryInstrumentation,
  type TributaryInstrumentationOptions,
  tributaryInstrumentation,
} from '../src/index.js'

// The OpenTelemetry SDK as an application would set it up, with in-memory exporters to look at.

/** A metric reader that hands over what it collects (the SDK's pull model, as Prometheus uses). */
export class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}

  /** Every metric collected now, by name. */
  async metrics(): Promise<Map<string, MetricData>> {
    const { resourceMetrics, errors }: CollectionResult = await this.collect()
    if (errors.length > 0) throw errors[0]
    const out = new Map<string, MetricData>()
    for (const scope of resourceMetrics.scopeMetrics) for (const m of scope.metrics) out.set(m.descriptor.name, m)
    return out
  }
}

export interface Telemetry {
  readonly spans: InMemorySpanExporter
  readonly tracerProvider: BasicTracerProvider
  readonly meterProvider: MeterProvider
  readonly reader: CollectingReader
  readonly propagator: W3CTraceContextPropagator
  /** An instrumentation on these providers (W3C propagator unless told), disabled after the test. */
  instrument(options?: TributaryInstrumentationOptions): TributaryInstrumentation
}

/**
 * Registers an AsyncLocalStorage context manager for the file (so `context.active()` follows async
 * calls, as with the Node SDK) and gives each test fresh providers and exporters.
 */
export function useTelemetry(): Telemetry {
  const instrumentations: TributaryInstrumentation[] = []
  let current: Omit<Telemetry, 'instrument'> | undefined

  const fresh = () => {
    const spans = new InMemorySpanExporter()
    const reader = new CollectingReader()
    current = {
      spans,
      tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
      meterProvider: new MeterProvider({ readers: [reader] }),
      reader,
      propagator: new W3CTraceContextPropagator(),
    }
    return current
  }
  fresh()

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  })
  afterAll(() => {
    context.disable()
  })
  afterEach(async () => {
    for (const i of instrumentations.splice(0)) i.disable()
    fresh()
  })

  const now = () => current as Omit<Telemetry, 'instrument'>
  return {
    get spans() {
      return now().spans
    },
    get tracerProvider() {
      return now().tracerProvider
    },
    get meterProvider() {
      return now().meterProvider
    },
    get reader() {
      return now().reader
    },
    get propagator() {
      return now().propagator
    },
    instrument(options: TributaryInstrumentationOptions = {}) {
      const t = now()
      const instrumentation = tributaryInstrumentation({
        tracerProvider: t.tracerProvider,
        meterProvider: t.meterProvider,
        propagator: t.propagator,
        ...options,
      })
      instrumentation.enable()
      instrumentations.push(instrumentation)
      return instrumentation
    },
  }
}

/** The finished spans named `name`. */
export function spansNamed(exporter: InMemorySpanExporter, name: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((s) => s.name === name)
}

/** The span context a consumer extracts from record headers (the W3C `traceparent` and `tracestate`). */
export function extractFromHeaders(
  propagator: W3CTraceContextPropagator,
  headers: Record<string, string | undefined>,
): SpanContext | undefined {
  const extracted = propagator.extract(context.active(), headers, {
    keys: (h) => Object.keys(h),
    get: (h, key) => h[key],
  })
  return trace.getSpanContext(extracted)
}

/** The data points of a metric, with their attributes. */
export function points<T = number>(metric: MetricData | undefined): Array<DataPoint<T>> {
  if (metric === undefined) return []
  return metric.dataPoints as Array<DataPoint<T>>
}

export type HistogramPoint = DataPoint<Histogram>
