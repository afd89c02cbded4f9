import { propagation } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { useHarness } from '@tributary/test-support/harness'
import { consumeWithKcat, kcatHeaders } from '@tributary/test-support/kcat'
import { type EachMessagePayload, Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import { extractFromHeaders, spansNamed, useTelemetry } from './otel.js'

// W3C trace context in the record headers, read back by independent clients: the context a consumer
// extracts has the producer's send span as its parent.

const harness = useHarness()
const otel = useTelemetry()

const TOPIC = 'orders'

/** Sends `count` records inside an application span; returns the send spans by record key. */
async function sendTraced(bootstrapBrokers: string[], count: number) {
  otel.instrument()
  const producer = harness.producer({ clientId: 'orders-service', bootstrapBrokers })
  await producer.sendBatch(
    Array.from({ length: count }, (_, i) => ({
      topic: TOPIC,
      key: `k-${i}`,
      value: `v-${i}`,
      headers: { source: 'web' },
    })),
  )
  const spans = spansNamed(otel.spans, 'send orders')
  expect(spans).toHaveLength(count)
  return new Map(spans.map((s) => [String(s.attributes['kafka.message.key']), s.spanContext()]))
}

describe('trace context in record headers', () => {
  afterEach(() => {
    propagation.disable()
  })

  it("is stored by the cluster as one traceparent header per record, after the record's own headers", async () => {
    const cluster = await harness.start({ brokers: 3, topics: [{ name: TOPIC, partitions: 6 }] })
    const sent = await sendTraced(cluster.bootstrapBrokers, 12)

    const records = cluster.records(TOPIC)
    expect(records).toHaveLength(12)
    for (const record of records) {
      expect(record.headers.map((h) => h.key)).toEqual(['source', 'traceparent'])
      const headers = Object.fromEntries(record.headers.map((h) => [h.key, h.value?.toString('utf8')]))
      const extracted = extractFromHeaders(otel.propagator, headers)
      const span = sent.get(record.key?.toString() ?? '')
      expect(extracted?.isRemote).toBe(true)
      expect(extracted?.traceId).toBe(span?.traceId)
      expect(extracted?.spanId).toBe(span?.spanId)
    }
  })

  it('reaches a kafkajs consumer (consumer group), whose extracted context has the send span as parent', async () => {
    const cluster = await harness.start({ brokers: 3, topics: [{ name: TOPIC, partitions: 6 }] })
    const sent = await sendTraced(cluster.bootstrapBrokers, 12)

    const kafka = new Kafka({ clientId: 'peer', brokers: cluster.bootstrapBrokers, logLevel: logLevel.NOTHING })
    const consumer = kafka.consumer({ groupId: 'trace-readers', heartbeatInterval: 300, maxWaitTimeInMs: 100 })
    harness.defer(() => consumer.disconnect())
    await consumer.connect()
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true })
    const received: EachMessagePayload[] = []
    const all = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async (payload) => {
          received.push(payload)
          if (received.length === 12) resolve()
        },
      })
    })
    await all

    // A kafkajs consumer's span would be started in the context extracted from message.headers.
    const consumerPropagator = new W3CTraceContextPropagator()
    for (const { message } of received) {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? undefined : v?.toString()]),
      )
      const parent = extractFromHeaders(consumerPropagator, headers)
      const span = sent.get(message.key?.toString() ?? '')
      expect(parent?.traceId).toBe(span?.traceId)
      expect(parent?.spanId).toBe(span?.spanId)
    }
  })

  it('reaches kcat (librdkafka), with the producer span as parent', async () => {
    const cluster = await harness.start({ brokers: 1, topics: [{ name: TOPIC, partitions: 2 }] })
    const sent = await sendTraced(cluster.bootstrapBrokers, 4)

    const messages = await consumeWithKcat(cluster.bootstrapBrokers, TOPIC)
    expect(messages).toHaveLength(4)
    for (const message of messages) {
      const headers = Object.fromEntries(kcatHeaders(message).map(([k, v]) => [k, v ?? undefined]))
      const parent = extractFromHeaders(new W3CTraceContextPropagator(), headers)
      const span = sent.get(message.key ?? '')
      expect(parent?.spanId).toBe(span?.spanId)
      expect(parent?.traceId).toBe(span?.traceId)
    }
  })

  it('is written by the global propagator when none is given, and not at all when there is none', async () => {
    const cluster = await harness.start({ topics: [{ name: TOPIC, partitions: 1 }] })
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })

    // No global propagator registered: the API's no-op one writes nothing.
    const noGlobal = otel.instrument({ propagator: undefined })
    await producer.send({ topic: TOPIC, value: 'a' })
    noGlobal.disable()

    propagation.setGlobalPropagator(new W3CTraceContextPropagator())
    otel.instrument({ propagator: undefined })
    await producer.send({ topic: TOPIC, value: 'b' })

    const [a, b] = cluster.records(TOPIC, 0)
    expect(a?.headers).toEqual([])
    expect(b?.headers.map((h) => h.key)).toEqual(['traceparent'])
    const [, second] = spansNamed(otel.spans, 'send orders')
    expect(b?.headers[0]?.value?.toString()).toContain(second?.spanContext().spanId)
  })
})
