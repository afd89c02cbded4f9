// An application as a user writes it against the published packages: core + serializer-avro and
// serializer-json-schema (with a schema registry, types inferred from `as const` schemas) + testing. scripts/check-consumer-types.mjs compiles it with strict TypeScript in a
// throwaway project that has only what the packages' READMEs say to install, under several module
// settings (nodenext as ESM and as CommonJS, node16, commonjs/node10, bundler).
import {
  ConfigError,
  jsonSerializer,
  Producer,
  type ProducerLike,
  type ProducerRecord,
  type RecordMetadata,
  type SendResult,
  SerializationError,
  type Serializer,
  stringSerializer,
} from '@tributary/core'
import { SchemaRegistryClient } from '@tributary/schema-registry'
import { avroDeserializer, avroSerializer } from '@tributary/serializer-avro'
import { type JsonSchemaType, jsonSchemaDeserializer, jsonSchemaSerializer } from '@tributary/serializer-json-schema'
import {
  type DecodedRecord,
  jsonDeserializer,
  MockCluster,
  MockProducer,
  type MockRecord,
  MockSchemaRegistry,
  stringDeserializer,
} from '@tributary/testing'
import { type MockKafka, startCluster } from '@tributary/testing/fixtures'

export interface Order {
  id: string
  total: number
}

const orderSchema = {
  type: 'record',
  name: 'Order',
  namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
  ],
}

/** Types from schemas: written `as const`, a schema gives the value type. */
const paymentSchema = {
  title: 'Payment',
  type: 'object',
  properties: { id: { type: 'string' }, amount: { type: 'number' }, currency: { enum: ['EUR', 'USD'] } },
  required: ['id', 'amount', 'currency'],
  additionalProperties: false,
} as const
export type Payment = JsonSchemaType<typeof paymentSchema>

const refundSchema = {
  type: 'record',
  name: 'Refund',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'reason', type: ['null', 'string'], default: null },
  ],
} as const

/** Code under test takes a ProducerLike, so tests can hand it a MockProducer. */
export async function placeOrder(producer: ProducerLike<string, Order>, order: Order): Promise<RecordMetadata> {
  const record: ProducerRecord<string, Order> = { topic: 'orders', key: order.id, value: order }
  return producer.send(record)
}

export async function main(): Promise<void> {
  const cluster = await MockCluster.start({ brokers: 1, topics: [{ name: 'orders', partitions: 3 }] })
  const mock = await MockSchemaRegistry.start()
  const registry = new SchemaRegistryClient({ url: mock.url })
  try {
    const producer = new Producer({
      clientId: 'consumer-types',
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { key: stringSerializer(), value: avroSerializer<Order>({ schema: orderSchema, registry }) },
    })
    const meta = await placeOrder(producer, { id: 'o-1', total: 12.5 })
    const offset: bigint = meta.offset
    const results: SendResult[] = await producer.sendBatch([
      { topic: 'orders', key: 'o-2', value: { id: 'o-2', total: 3 } },
    ])
    for (const result of results) {
      if (!result.ok) throw result.error
    }
    await producer.close()

    const deserialize = avroDeserializer<Order>({ registry, schema: orderSchema })
    const stored: MockRecord[] = cluster.records('orders')
    for (const record of stored) {
      const order: Order | null = await deserialize(record.value)
      if (order === null) continue
      console.log(record.partition, record.offset, order.id, order.total, offset)
    }
    // Decoded views and waiting, typed by the deserializers.
    const decoded: Array<DecodedRecord<string | null, Order | null>> = await cluster.decodedRecords('orders', {
      deserializers: { key: stringDeserializer(), value: deserialize },
    })
    const waited = await cluster.waitForRecords('orders', {
      count: 2,
      timeoutMs: 5000,
      deserializers: { value: jsonDeserializer<{ n: number }>() },
    })
    const n: number | undefined = waited[0]?.value?.n
    console.log(decoded[0]?.value?.total, n)
    cluster.clear('orders')

    // Inferred value types, tombstones (null) included.
    const payments = new Producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: {
        key: stringSerializer(),
        value: jsonSchemaSerializer({ schema: paymentSchema, registry }),
      },
    })
    await payments.send({ topic: 'payments', key: 'p-1', value: { id: 'p-1', amount: 3, currency: 'EUR' } })
    await payments.send({ topic: 'payments', key: 'p-1', value: null })
    await payments.close()
    const readPayment = jsonSchemaDeserializer({ registry, schema: paymentSchema })
    const payment: Payment | null = await readPayment(cluster.records('payments')[0]?.value ?? null)
    const refunds = avroSerializer({ schema: refundSchema, registry })
    const refund = await refunds({ id: 'r-1' }, { topic: 'refunds', part: 'value' })
    const readRefund = avroDeserializer({ schema: refundSchema, registry })
    const back: { id: string; reason: string | null } | null = await readRefund(refund)
    console.log(payment?.currency, back?.reason)

    const json: Serializer<{ n: number }> = jsonSerializer<{ n: number }>()
    const mockProducer = new MockProducer<string, { n: number }>({
      serializers: { key: stringSerializer(), value: json },
    })
    await mockProducer.send({ topic: 'counts', key: 'k', value: { n: 1 } })
    console.log(mockProducer.history().length)
  } catch (error) {
    if (error instanceof SerializationError || error instanceof ConfigError) console.error(error.code, error.retriable)
    throw error
  } finally {
    await mock.stop()
    await cluster.stop()
  }
}

/** A cluster from the runner-neutral fixtures entry, and its report. */
export async function report(): Promise<string> {
  const kafka: MockKafka = await startCluster({ cluster: { topics: [{ name: 'orders' }] } })
  try {
    return kafka.report()
  } finally {
    await kafka.stop()
  }
}
