// Tributary with OpenTelemetry: spans and metrics of an embedded mock cluster's producer, exported
// to the console, and the trace context that travels in the record headers.
// Run with `npm run opentelemetry -w @tributary/examples` from the repository root.
import { context, metrics, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { jsonSerializer, KafkaProtocolError, Producer, stringSerializer } from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'
import { tributaryInstrumentation } from '@tributary/opentelemetry'
import { MockCluster } from '@tributary/testing'

// The OpenTelemetry SDK, set up as an application would (the Node SDK does the same in one call):
// an async context manager, the W3C propagator, a tracer provider and a meter provider, all global.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
propagation.setGlobalPropagator(new W3CTraceContextPropagator())
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] })
trace.setGlobalTracerProvider(tracerProvider)
const meterProvider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: 60_000 })],
})
metrics.setGlobalMeterProvider(meterProvider)

// The instrumentation uses the global providers and propagator when given none.
const instrumentation = tributaryInstrumentation()
instrumentation.enable()

interface Order {
  id: string
  total: number
}

const cluster = await MockCluster.start({ brokers: 3, topics: [{ name: 'orders', partitions: 6 }] })
const producer = new Producer({
  clientId: 'checkout-service',
  bootstrapBrokers: cluster.bootstrapBrokers,
  serializers: { key: stringSerializer(), value: jsonSerializer<Order>() },
})

try {
  await producer.connect()
  const tracer = trace.getTracer('checkout')
  // The application's own span: the records' send spans are its children.
  await tracer.startActiveSpan('checkout', async (span) => {
    await producer.send({ topic: 'orders', key: 'customer-42', value: { id: 'o-1', total: 99.5 } })
    await producer.send({ topic: 'orders', key: 'customer-7', value: { id: 'o-2', total: 12 } })
    // The broker refuses the next record for good: its span ends with status ERROR and error.type.
    cluster.failNext('Produce', { errorCode: ErrorCodes.TOPIC_AUTHORIZATION_FAILED })
    await producer.send({ topic: 'orders', key: 'customer-9', value: { id: 'o-3', total: 5 } }).catch((error) => {
      console.log(`send of o-3 failed as expected: ${KafkaProtocolError.isInstance(error) ? error.kafkaName : error}`)
    })
    span.end()
  })

  console.log('\nrecords in the cluster, with the traceparent header a consumer extracts its parent from:')
  for (const record of cluster.records('orders')) {
    const traceparent = record.headers.find((h) => h.key === 'traceparent')?.value?.toString()
    console.log(
      `  ${record.key?.toString()} -> partition ${record.partition} @${record.offset}: traceparent ${traceparent}`,
    )
  }
  console.log('\nmetrics:')
  await meterProvider.shutdown() // exports what was recorded, once
} finally {
  instrumentation.disable()
  await producer.close()
  await cluster.stop()
  await tracerProvider.shutdown()
}
