// Proof that our Avro bytes are the Confluent wire format other clients read, and the other way round:
// @kafkajs/confluent-schema-registry and @confluentinc/schemaregistry (Confluent's own JavaScript
// client) against the same MockSchemaRegistry.
import {
  AvroDeserializer as ConfluentAvroDeserializer,
  AvroSerializer as ConfluentAvroSerializer,
  SchemaRegistryClient as ConfluentClient,
  SerdeType,
} from '@confluentinc/schemaregistry'
import { SchemaRegistry as KafkajsRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import { SchemaRegistryClient } from '@tributary/schema-registry'
import { avroDeserializer, avroSerializer } from '@tributary/serializer-avro'
import { type Order as BaseOrder, orderAvroSchema } from '@tributary/test-support/fixtures'
import { MockSchemaRegistry } from '@tributary/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

interface Order extends BaseOrder {
  status: 'NEW' | 'PAID'
  note: string | null
}

const orderSchema = {
  ...orderAvroSchema,
  fields: [
    ...orderAvroSchema.fields,
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
}

const order: Order = {
  id: 'o-1',
  total: 42.5,
  items: [
    { sku: 'A-1', quantity: 2 },
    { sku: 'B-7', quantity: 1 },
  ],
  status: 'PAID',
  note: 'leave at the door',
}

const context = { topic: 'orders', part: 'value' } as const

describe('Avro interoperability with other Confluent clients', () => {
  let mock: MockSchemaRegistry
  let registry: SchemaRegistryClient

  beforeAll(async () => {
    mock = await MockSchemaRegistry.start()
    registry = new SchemaRegistryClient({ url: mock.url })
  })
  afterAll(async () => {
    await mock.stop()
  })

  it('@kafkajs/confluent-schema-registry decodes what avroSerializer wrote', async () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema, registry })
    const bytes = (await serialize(order, context)) as Buffer
    expect(bytes[0]).toBe(0)
    const kafkajs = new KafkajsRegistry({ host: mock.url })
    expect(await kafkajs.decode(bytes)).toEqual(order)
  })

  it('avroDeserializer decodes what @kafkajs/confluent-schema-registry encoded', async () => {
    const kafkajs = new KafkajsRegistry({ host: mock.url })
    const { id } = await kafkajs.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(orderSchema) },
      { subject: 'kafkajs-orders-value' },
    )
    const bytes = await kafkajs.encode(id, order)
    const deserialize = avroDeserializer<Order>({ registry })
    expect(await deserialize(bytes)).toEqual(order)
    // and with our serializer, the same schema gets the same id, so the bytes are identical
    const ours = avroSerializer<Order>({ schema: orderSchema, registry, subject: 'kafkajs-orders-value' })
    expect(await ours(order, context)).toEqual(bytes)
  })

  it('@confluentinc/schemaregistry AvroDeserializer decodes what avroSerializer wrote', async () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema, registry })
    const bytes = (await serialize(order, { topic: 'orders-2', part: 'value' })) as Buffer
    const client = new ConfluentClient({ baseURLs: [mock.url] })
    const deserializer = new ConfluentAvroDeserializer(client, SerdeType.VALUE, {})
    expect(await deserializer.deserialize('orders-2', bytes)).toEqual(order)
  })

  it('avroDeserializer decodes what @confluentinc/schemaregistry AvroSerializer encoded', async () => {
    const client = new ConfluentClient({ baseURLs: [mock.url] })
    await client.register('orders-3-value', { schemaType: 'AVRO', schema: JSON.stringify(orderSchema) })
    const serializer = new ConfluentAvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true })
    const bytes = await serializer.serialize('orders-3', order)
    const deserialize = avroDeserializer<Order>({ registry, schema: orderSchema })
    expect(await deserialize(bytes)).toEqual(order)
  })

  it('keys: TopicNameStrategy registers <topic>-key, which the Confluent key deserializer reads', async () => {
    const serialize = avroSerializer<string>({ schema: 'string', registry })
    const bytes = (await serialize('o-1', { topic: 'orders-4', part: 'key' })) as Buffer
    expect(mock.subjects()).toContain('orders-4-key')
    const client = new ConfluentClient({ baseURLs: [mock.url] })
    const deserializer = new ConfluentAvroDeserializer(client, SerdeType.KEY, {})
    expect(await deserializer.deserialize('orders-4', bytes)).toBe('o-1')
  })
})
