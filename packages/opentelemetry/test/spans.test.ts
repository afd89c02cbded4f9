import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { jsonSerializer, type Serializer, stringSerializer } from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import type { MockCluster } from '@tributary/testing'
import { describe, expect, it } from 'vitest'
import { spansNamed, useTelemetry } from './otel.js'

// Spans of records sent through a real Producer to a MockCluster, as an in-memory exporter gets them.

const harness = useHarness()
const otel = useTelemetry()

const TOPIC = 'orders'

async function start(): Promise<MockCluster> {
  return harness.start({ brokers: 3, topics: [{ name: TOPIC, partitions: 6 }] })
}

function leaderAddress(cluster: MockCluster, partition: number): { host: string; port: number } {
  const leader = cluster.leaderOf(TOPIC, partition)
  const broker = cluster.brokers.find((b) => b.nodeId === leader)
  if (broker === undefined) throw new Error(`no broker ${leader}`)
  return { host: broker.host, port: broker.port }
}

function only(spans: ReadableSpan[]): ReadableSpan {
  expect(spans).toHaveLength(1)
  return spans[0] as ReadableSpan
}

describe('send spans', () => {
  it('are PRODUCER spans "send {topic}", children of the caller\'s active span, with the conventions\' attributes', async () => {
    const cluster = await start()
    otel.instrument()
    const producer = harness.producer({ clientId: 'orders-service', bootstrapBrokers: cluster.bootstrapBrokers })
    await producer.connect()

    const tracer = otel.tracerProvider.getTracer('app')
    const { meta, parent } = await tracer.startActiveSpan('checkout', async (checkout) => {
      const meta = await producer.send({ topic: TOPIC, key: 'customer-42', value: 'hello' })
      checkout.end()
      return { meta, parent: checkout.spanContext() }
    })

    const span = only(spansNamed(otel.spans, 'send orders'))
    expect(span.kind).toBe(SpanKind.PRODUCER)
    expect(span.parentSpanContext?.spanId).toBe(parent.spanId)
    expect(span.spanContext().traceId).toBe(parent.traceId)
    expect(span.status.code).toBe(SpanStatusCode.UNSET)
    expect(span.instrumentationScope.name).toBe('@tributary/opentelemetry')
    expect(span.instrumentationScope.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(span.attributes).toEqual({
      'messaging.system.name': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders',
      'messaging.destination.partition.id': String(meta.partition),
      'messaging.client.id': 'orders-service',
      'kafka.message.key': 'customer-42',
      'kafka.offset': Number(meta.offset),
      'server.address': leaderAddress(cluster, meta.partition).host,
      'server.port': leaderAddress(cluster, meta.partition).port,
    })
  })

  it('give every record of a sendBatch its own span, each with its partition and offset', async () => {
    const cluster = await start()
    otel.instrument()
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    const results = await producer.sendBatch(
      Array.from({ length: 20 }, (_, i) => ({ topic: TOPIC, key: `k-${i}`, value: `v-${i}` })),
    )
    const spans = spansNamed(otel.spans, 'send orders')
    expect(spans).toHaveLength(20)
    const byKey = new Map(spans.map((s) => [s.attributes['kafka.message.key'], s]))
    results.forEach((r, i) => {
      if (!r.ok) throw r.error
      const span = byKey.get(`k-${i}`)
      expect(span?.attributes['messaging.destination.partition.id']).toBe(String(r.meta.partition))
      expect(span?.attributes['kafka.offset']).toBe(Number(r.meta.offset))
      expect(span?.attributes['server.address']).toBe(leaderAddress(cluster, r.meta.partition).host)
    })
    // Twenty traces: no record's span is the parent of another's.
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(20)
  })

  it('end with status ERROR and the Kafka error name as error.type when the broker refuses the record', async () => {
    const cluster = await start()
    otel.instrument()
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    await producer.connect()
    cluster.failNext('Produce', { errorCode: ErrorCodes.TOPIC_AUTHORIZATION_FAILED, topic: TOPIC, partition: 2 })

    const error = await producer.send({ topic: TOPIC, partition: 2, key: 'k', value: 'v' }).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)

    const span = only(spansNamed(otel.spans, 'send orders'))
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: (error as Error).message })
    expect(span.attributes['error.type']).toBe('TOPIC_AUTHORIZATION_FAILED')
    // A partition named in the record is known when the span starts (sampling decisions can use it).
    expect(span.attributes['messaging.destination.partition.id']).toBe('2')
    expect(span.attributes['server.address']).toBe(leaderAddress(cluster, 2).host)
    expect(span.attributes['kafka.offset']).toBeUndefined()
  })

  it('classify a retriable broker error the producer gave up on by the broker error, not the wrapper', async () => {
    const cluster = await start()
    otel.instrument()
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers, retries: 1, retryBackoffMs: 1 })
    await producer.connect()
    cluster.failNext('Produce', { errorCode: ErrorCodes.NOT_ENOUGH_REPLICAS, topic: TOPIC, partition: 0, count: 5 })

    const error = await producer.send({ topic: TOPIC, partition: 0, value: 'v' }).catch((e: Error) => e)
    expect((error as Error).name).toBe('RetriesExhaustedError')
    const span = only(spansNamed(otel.spans, 'send orders'))
    expect(span.attributes['error.type']).toBe('NOT_ENOUGH_REPLICAS')
  })

  it('end with the error class as error.type, and no partition or broker, for a record refused before sending', async () => {
    const cluster = await start()
    otel.instrument()
    const failing: Serializer<string> = () => {
      throw new Error('cannot serialize')
    }
    const producer = harness.producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { key: stringSerializer(), value: failing },
    })
    await expect(producer.send({ topic: TOPIC, key: 'k', value: 'v' })).rejects.toThrow('cannot serialize')

    const span = only(spansNamed(otel.spans, 'send orders'))
    expect(span.status.code).toBe(SpanStatusCode.ERROR)
    expect(span.attributes['error.type']).toBe('SerializationError')
    expect(span.attributes['messaging.destination.partition.id']).toBeUndefined()
    expect(span.attributes['server.address']).toBeUndefined()
  })

  it('record keys with an unambiguous string form, tombstones, and leave keys out when told', async () => {
    const cluster = await start()
    otel.instrument()
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    await producer.send({ topic: TOPIC, key: Buffer.from([0xff, 0x00]), value: 'bytes key' })
    await producer.send({ topic: TOPIC, key: 'gone', value: null })
    const attributes = otel.spans.getFinishedSpans().map((s) => s.attributes)
    expect(attributes[0]?.['kafka.message.key']).toBeUndefined()
    expect(attributes[0]?.['kafka.message.tombstone']).toBeUndefined()
    expect(attributes[1]?.['kafka.message.key']).toBe('gone')
    expect(attributes[1]?.['kafka.message.tombstone']).toBe(true)
  })

  it('take the key through captureKey: false leaves it out, a function chooses its string', async () => {
    const cluster = await start()
    const producer = harness.producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { key: jsonSerializer<{ id: number }>(), value: stringSerializer() },
    })
    const off = otel.instrument({ captureKey: false })
    await producer.send({ topic: TOPIC, key: { id: 1 }, value: 'a' })
    off.disable()
    otel.instrument({ captureKey: (key, topic) => `${topic}/${(key as { id: number }).id}` })
    await producer.send({ topic: TOPIC, key: { id: 2 }, value: 'b' })
    const keys = otel.spans.getFinishedSpans().map((s) => s.attributes['kafka.message.key'])
    expect(keys).toEqual([undefined, 'orders/2'])
  })

  it('keep a trace context the record already carries: no second traceparent, a CLIENT span linked to it', async () => {
    const cluster = await start()
    otel.instrument()
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    const upstream = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    await producer.send({ topic: TOPIC, partition: 0, value: 'forwarded', headers: { traceparent: upstream } })

    const stored = cluster.records(TOPIC, 0)
    const traceparents = stored[0]?.headers.filter((h) => h.key === 'traceparent').map((h) => h.value?.toString())
    expect(traceparents).toEqual([upstream])
    const span = only(spansNamed(otel.spans, 'send orders'))
    expect(span.kind).toBe(SpanKind.CLIENT)
    expect(span.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([
      ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'],
    ])
  })

  it('add only the headers the record lacks: its own baggage stays the only one, the traceparent is added', async () => {
    const cluster = await start()
    const propagator = new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    })
    otel.instrument({ propagator })
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    const withBaggage = propagation.setBaggage(context.active(), propagation.createBaggage({ user: { value: 'u-1' } }))
    await context.with(withBaggage, () =>
      producer.send({ topic: TOPIC, partition: 0, value: 'v', headers: [['baggage', 'tenant=acme']] }),
    )

    const headers = cluster.records(TOPIC, 0)[0]?.headers.map((h) => [h.key, h.value?.toString()])
    const span = only(spansNamed(otel.spans, 'send orders'))
    expect(span.kind).toBe(SpanKind.PRODUCER)
    expect(headers).toEqual([
      ['baggage', 'tenant=acme'],
      ['traceparent', `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`],
    ])
  })

  it("emit the names from before v1.45.0 with semconv: '1.44', and both with 'both'", async () => {
    const cluster = await start()
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    const legacy = otel.instrument({ semconv: '1.44' })
    await producer.send({ topic: TOPIC, key: 'k', value: null })
    legacy.disable()
    otel.instrument({ semconv: 'both' })
    await producer.send({ topic: TOPIC, key: 'k', value: null })
    const [old, both] = otel.spans.getFinishedSpans().map((s) => s.attributes)
    const names = ['system', 'key', 'offset', 'tombstone'] as const
    const pre = {
      system: 'messaging.system',
      key: 'messaging.kafka.message.key',
      offset: 'messaging.kafka.offset',
      tombstone: 'messaging.kafka.message.tombstone',
    }
    const post = {
      system: 'messaging.system.name',
      key: 'kafka.message.key',
      offset: 'kafka.offset',
      tombstone: 'kafka.message.tombstone',
    }
    for (const n of names) {
      expect(old?.[pre[n]], pre[n]).toBeDefined()
      expect(old?.[post[n]], post[n]).toBeUndefined()
      expect(both?.[pre[n]], pre[n]).toBeDefined()
      expect(both?.[post[n]], post[n]).toEqual(both?.[pre[n]])
    }
    expect(old?.['messaging.system']).toBe('kafka')
  })

  it('are parented by the context active at send, also for a record that waits for metadata', async () => {
    const cluster = await start()
    otel.instrument()
    // Not connected: the record waits for metadata and leaves from a later tick.
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    const job = otel.tracerProvider.getTracer('app').startSpan('job')
    const sent = context.with(trace.setSpan(context.active(), job), () => producer.send({ topic: TOPIC, value: 'v' }))
    // Whatever is active after send returns does not matter.
    await sent
    job.end()
    const span = only(spansNamed(otel.spans, 'send orders'))
    expect(span.parentSpanContext?.spanId).toBe(job.spanContext().spanId)
    expect(span.attributes['server.address']).toBeDefined()
  })
})
