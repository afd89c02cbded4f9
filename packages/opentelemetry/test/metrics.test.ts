import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hrTimeToMilliseconds } from '@opentelemetry/core'
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus'
import { DataPointType, MeterProvider } from '@opentelemetry/sdk-metrics'
import { type Serializer, stringSerializer } from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import type { MockCluster } from '@tributary/testing'
import { describe, expect, it } from 'vitest'
import { tributaryInstrumentation } from '../src/index.js'
import { type HistogramPoint, points, spansNamed, useTelemetry } from './otel.js'

// The conventions' producer metrics, from the same channels, as a metric reader collects them.

const harness = useHarness()
const otel = useTelemetry()

const TOPIC = 'orders'

async function start(): Promise<MockCluster> {
  return harness.start({ brokers: 2, topics: [{ name: TOPIC, partitions: 2 }] })
}

function broker(cluster: MockCluster, partition: number): { host: string; port: number } {
  const leader = cluster.leaderOf(TOPIC, partition)
  const info = cluster.brokers.find((b) => b.nodeId === leader)
  if (info === undefined) throw new Error(`no broker ${leader}`)
  return { host: info.host, port: info.port }
}

describe('metrics', () => {
  it("count sent messages and record send durations with the conventions' attributes, error.type on failures", async () => {
    const cluster = await start()
    otel.instrument()
    const failing: Serializer<string> = (value) => {
      if (value === 'poison') throw new Error('cannot serialize')
      return Buffer.from(value)
    }
    const producer = harness.producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { key: stringSerializer(), value: failing },
    })
    await producer.send({ topic: TOPIC, partition: 0, value: 'a' })
    await producer.send({ topic: TOPIC, partition: 0, value: 'b' })
    cluster.failNext('Produce', { errorCode: ErrorCodes.TOPIC_AUTHORIZATION_FAILED, topic: TOPIC, partition: 1 })
    await expect(producer.send({ topic: TOPIC, partition: 1, value: 'c' })).rejects.toThrow(/TOPIC_AUTHORIZATION/)
    await expect(producer.send({ topic: TOPIC, partition: 1, value: 'poison' })).rejects.toThrow(/serialize/)

    const metrics = await otel.reader.metrics()
    const base = {
      'messaging.system.name': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.destination.name': TOPIC,
    }
    const at = (partition: number) => ({
      'messaging.destination.partition.id': String(partition),
      'server.address': broker(cluster, partition).host,
      'server.port': broker(cluster, partition).port,
    })

    const sent = metrics.get('messaging.client.sent.messages')
    expect(sent?.descriptor.unit).toBe('{message}')
    expect(sent?.dataPointType).toBe(DataPointType.SUM)
    // The record refused by its serializer never went to a broker: not counted.
    expect(points(sent).map((p) => [p.attributes, p.value])).toEqual([
      [{ ...base, ...at(0) }, 2],
      [{ ...base, ...at(1), 'error.type': 'TOPIC_AUTHORIZATION_FAILED' }, 1],
    ])

    const duration = metrics.get('messaging.client.operation.duration')
    expect(duration?.descriptor.unit).toBe('s')
    expect(duration?.dataPointType).toBe(DataPointType.HISTOGRAM)
    const histograms = points(duration) as HistogramPoint[]
    const op = { ...base, 'messaging.operation.type': 'send' }
    expect(histograms.map((p) => [p.attributes, p.value.count])).toEqual([
      [{ ...op, ...at(0) }, 2],
      [{ ...op, ...at(1), 'error.type': 'TOPIC_AUTHORIZATION_FAILED' }, 1],
      [{ ...op, 'error.type': 'SerializationError' }, 1],
    ])
    expect(histograms[0]?.value.buckets.boundaries).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    ])
    // The metric and the span describe the same operation: the same duration.
    const spans = spansNamed(otel.spans, 'send orders')
    const failedSpan = spans.find((s) => s.attributes['error.type'] === 'TOPIC_AUTHORIZATION_FAILED')
    expect((histograms[1]?.value.sum ?? 0) * 1000).toBeCloseTo(hrTimeToMilliseconds(failedSpan?.duration ?? [0, 0]), 3)
  })

  it("use messaging.system with semconv: '1.44'", async () => {
    const cluster = await start()
    otel.instrument({ semconv: '1.44' })
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    await producer.send({ topic: TOPIC, partition: 0, value: 'a' })
    const [point] = points((await otel.reader.metrics()).get('messaging.client.sent.messages'))
    expect(point?.attributes['messaging.system']).toBe('kafka')
    expect(point?.attributes['messaging.system.name']).toBeUndefined()
  })

  it('can be scraped by Prometheus through @opentelemetry/exporter-prometheus', async () => {
    const cluster = await start()
    // The README's recipe, on an HTTP server of the test's own (port 0) instead of the exporter's.
    const exporter = new PrometheusExporter({ preventServerStart: true })
    const meterProvider = new MeterProvider({ readers: [exporter] })
    const instrumentation = tributaryInstrumentation({ meterProvider })
    instrumentation.enable()
    harness.defer(() => instrumentation.disable())
    const server = createServer((req, res) => exporter.getMetricsRequestHandler(req, res)).listen(0, '127.0.0.1')
    harness.defer(() => server.close())
    await once(server, 'listening')

    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    await producer.sendBatch([0, 1, 2].map((i) => ({ topic: TOPIC, partition: 0, value: `v${i}` })))

    const { port } = server.address() as AddressInfo
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
    const { host, port: brokerPort } = broker(cluster, 0)
    const labels = `messaging_system_name="kafka",messaging_operation_name="send",messaging_destination_name="orders",messaging_destination_partition_id="0",server_address="${host}",server_port="${brokerPort}"`
    const scope = `otel_scope_name="@tributary/opentelemetry",otel_scope_version="${instrumentation.instrumentationVersion}"`
    expect(text).toContain('# TYPE messaging_client_sent_messages_total counter')
    expect(text).toContain(`messaging_client_sent_messages_total{${labels},${scope}} 3`)
    expect(text).toContain('# TYPE messaging_client_operation_duration histogram')
    expect(text).toContain(
      `messaging_client_operation_duration_count{${labels},messaging_operation_type="send",${scope}} 3`,
    )
    expect(text).toContain(
      `messaging_client_operation_duration_bucket{${labels},messaging_operation_type="send",${scope},le="10"} 3`,
    )
  })
})
