import diagnosticsChannel from 'node:diagnostics_channel'
import { diag, SpanKind, SpanStatusCode, type TextMapPropagator } from '@opentelemetry/api'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { TRIBUTARY_CHANNELS } from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it, vi } from 'vitest'
import { tributaryInstrumentation } from '../src/index.js'
import { points, spansNamed, useTelemetry } from './otel.js'

// enable() and disable(): what is subscribed when, and what a disabled instrumentation leaves alone.

const harness = useHarness()
const otel = useTelemetry()

const TOPIC = 'orders'
const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const

/** Subscribers of each event of the core's tracing channels, by channel and event. */
function subscribers(): Record<string, boolean> {
  const out: Record<string, boolean> = {}
  for (const name of [TRIBUTARY_CHANNELS.send, TRIBUTARY_CHANNELS.request]) {
    for (const event of EVENTS) out[`${name}:${event}`] = diagnosticsChannel.hasSubscribers(`tracing:${name}:${event}`)
  }
  return out
}

function none(): Record<string, boolean> {
  return Object.fromEntries(Object.keys(subscribers()).map((k) => [k, false]))
}

describe('enable and disable', () => {
  it('subscribe to the send and request channels only while enabled', () => {
    const instrumentation = tributaryInstrumentation()
    expect(subscribers()).toEqual(none())
    expect(instrumentation.isEnabled()).toBe(false)

    instrumentation.enable()
    instrumentation.enable() // a second enable subscribes nothing more
    expect(subscribers()).toMatchObject({
      'tributary:producer:send:start': true,
      'tributary:producer:send:asyncEnd': true,
      'tributary:producer:request:start': true,
    })
    expect(diagnosticsChannel.tracingChannel(TRIBUTARY_CHANNELS.send).start).toMatchObject({ hasSubscribers: true })
    expect(instrumentation.getConfig().enabled).toBe(true)

    instrumentation.disable()
    expect(subscribers()).toEqual(none())
    // The core's own check (TracingChannel.hasSubscribers): with it false, `send` builds no event at all.
    const channel = diagnosticsChannel.tracingChannel(TRIBUTARY_CHANNELS.send) as { hasSubscribers?: boolean }
    if (channel.hasSubscribers !== undefined) expect(channel.hasSubscribers).toBe(false)
    expect(instrumentation.getConfig().enabled).toBe(false)
  })

  it('leave records, spans and metrics alone once disabled, and pick up again when enabled', async () => {
    const cluster = await harness.start({ topics: [{ name: TOPIC, partitions: 1 }] })
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    const instrumentation = otel.instrument()
    instrumentation.enable()
    await producer.send({ topic: TOPIC, value: 'traced' })
    instrumentation.disable()
    await producer.send({ topic: TOPIC, value: 'not traced' })
    instrumentation.enable()
    await producer.send({ topic: TOPIC, value: 'traced again' })

    const headers = cluster.records(TOPIC, 0).map((r) => r.headers.map((h) => h.key))
    expect(headers).toEqual([['traceparent'], [], ['traceparent']])
    expect(spansNamed(otel.spans, 'send orders')).toHaveLength(2)
    const [sent] = points((await otel.reader.metrics()).get('messaging.client.sent.messages'))
    expect(sent?.value).toBe(2)
  })

  it('work with registerInstrumentations from @opentelemetry/instrumentation (as the Node SDK uses it)', async () => {
    const cluster = await harness.start({ topics: [{ name: TOPIC, partitions: 1 }] })
    const instrumentation = tributaryInstrumentation({ propagator: otel.propagator })
    const unregister = registerInstrumentations({
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
      instrumentations: [instrumentation],
    })
    harness.defer(unregister)
    expect(instrumentation.isEnabled()).toBe(true)

    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    await producer.send({ topic: TOPIC, value: 'v' })
    expect(spansNamed(otel.spans, 'send orders')).toHaveLength(1)
    expect(points((await otel.reader.metrics()).get('messaging.client.sent.messages'))[0]?.value).toBe(1)

    unregister()
    expect(instrumentation.isEnabled()).toBe(false)
    expect(subscribers()).toEqual(none())
  })

  it('never break a send: a failing propagator is reported to the diag logger', async () => {
    const cluster = await harness.start({ topics: [{ name: TOPIC, partitions: 1 }] })
    const broken: TextMapPropagator = {
      inject() {
        throw new Error('broken propagator')
      },
      extract: (ctx) => ctx,
      fields: () => [],
    }
    const logged = vi.fn()
    diag.setLogger({ error: logged, warn() {}, info() {}, debug() {}, verbose() {} })
    harness.defer(() => diag.disable())
    otel.instrument({ propagator: broken })

    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    const meta = await producer.send({ topic: TOPIC, value: 'v' })
    expect(meta.offset).toBe(0n)
    expect(logged).toHaveBeenCalledWith('@tributary/opentelemetry: starting a send span failed', expect.any(Error))
    // The span still ends with the record; only the header is missing.
    expect(spansNamed(otel.spans, 'send orders')[0]?.attributes['kafka.offset']).toBe(0)
    expect(cluster.records(TOPIC, 0)[0]?.headers).toEqual([])
  })
})

describe('Produce request spans', () => {
  it('are off by default', async () => {
    const cluster = await harness.start({ topics: [{ name: TOPIC, partitions: 1 }] })
    otel.instrument()
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    await producer.send({ topic: TOPIC, value: 'v' })
    expect(otel.spans.getFinishedSpans().map((s) => s.name)).toEqual(['send orders'])
  })

  it('with requestSpans: one CLIENT root span per request, with broker, records, bytes and errors', async () => {
    const cluster = await harness.start({ brokers: 1, topics: [{ name: TOPIC, partitions: 2 }] })
    otel.instrument({ requestSpans: true })
    const producer = harness.producer({ clientId: 'svc', bootstrapBrokers: cluster.bootstrapBrokers, lingerMs: 20 })
    await producer.connect()
    await producer.sendBatch([0, 1, 0].map((partition) => ({ topic: TOPIC, partition, value: 'v' })))
    cluster.failNext('Produce', { errorCode: ErrorCodes.NOT_ENOUGH_REPLICAS, topic: TOPIC, partition: 0 })
    await producer.send({ topic: TOPIC, partition: 0, value: 'retried' })

    const requests = spansNamed(otel.spans, 'produce orders')
    expect(requests).toHaveLength(3)
    const [first, failed, retried] = requests
    const broker = cluster.brokers[0]
    expect(first?.kind).toBe(SpanKind.CLIENT)
    expect(first?.parentSpanContext).toBeUndefined()
    expect(first?.attributes).toMatchObject({
      'messaging.system.name': 'kafka',
      'messaging.operation.name': 'produce',
      'messaging.operation.type': 'send',
      'messaging.client.id': 'svc',
      'messaging.destination.name': 'orders',
      'messaging.batch.message_count': 3,
      'server.address': broker?.host,
      'server.port': broker?.port,
      'tributary.produce.batches': 2,
    })
    expect(first?.attributes['tributary.produce.bytes']).toBeGreaterThan(0)
    expect(first?.attributes['messaging.destination.partition.id']).toBeUndefined()
    // A partition-level error answered in the response fails its batch, not the request.
    expect(failed?.status.code).toBe(SpanStatusCode.UNSET)
    expect(failed?.attributes['messaging.destination.partition.id']).toBe('0')
    expect(retried?.attributes['messaging.batch.message_count']).toBe(1)
    // The record's own span shows one send, which succeeded.
    const record = spansNamed(otel.spans, 'send orders').at(-1)
    expect(record?.status.code).toBe(SpanStatusCode.UNSET)
  })
})
