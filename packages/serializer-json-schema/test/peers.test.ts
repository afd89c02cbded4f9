// Proof that our JSON Schema records are the Confluent wire format that Confluent's own JavaScript
// client (@confluentinc/schemaregistry's JsonSerializer / JsonDeserializer) reads and writes, against
// the same MockSchemaRegistry, both ways.
import {
  SchemaRegistryClient as ConfluentClient,
  JsonDeserializer as ConfluentJsonDeserializer,
  JsonSerializer as ConfluentJsonSerializer,
  SerdeType,
} from '@confluentinc/schemaregistry'
import { SchemaRegistryClient } from '@tributary/schema-registry'
import { jsonSchemaDeserializer, jsonSchemaSerializer } from '@tributary/serializer-json-schema'
import { MockSchemaRegistry } from '@tributary/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const orderSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Order',
  type: 'object',
  properties: {
    id: { type: 'string' },
    total: { type: 'number' },
    items: {
      type: 'array',
      items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer' } } },
    },
    note: { type: ['string', 'null'] },
  },
  required: ['id', 'total'],
} as const

const order = { id: 'o-1', total: 42.5, items: [{ sku: 'A-1', quantity: 2 }], note: 'é ✓' }

describe('JSON Schema interoperability with @confluentinc/schemaregistry', () => {
  let mock: MockSchemaRegistry
  let registry: SchemaRegistryClient
  let confluent: InstanceType<typeof ConfluentClient>

  beforeAll(async () => {
    mock = await MockSchemaRegistry.start()
    registry = new SchemaRegistryClient({ url: mock.url })
    confluent = new ConfluentClient({ baseURLs: [mock.url] })
  })
  afterAll(async () => {
    await mock.stop()
  })

  it('Confluent JsonDeserializer reads (and validates) what jsonSchemaSerializer wrote', async () => {
    const bytes = (await jsonSchemaSerializer({ schema: orderSchema, registry })(order, {
      topic: 'orders',
      part: 'value',
    })) as Buffer
    expect(mock.schemaById(bytes.readUInt32BE(1)).schemaType).toBe('JSON')
    const deserializer = new ConfluentJsonDeserializer(confluent, SerdeType.VALUE, { validate: true })
    expect(await deserializer.deserialize('orders', bytes)).toEqual(order)
  })

  it('jsonSchemaDeserializer reads what the Confluent JsonSerializer wrote, with the same id and bytes as ours', async () => {
    await confluent.register('c-orders-value', { schemaType: 'JSON', schema: JSON.stringify(orderSchema) })
    const serializer = new ConfluentJsonSerializer(confluent, SerdeType.VALUE, {
      useLatestVersion: true,
      validate: true,
    })
    const bytes = await serializer.serialize('c-orders', order)
    const read = jsonSchemaDeserializer({ registry })
    expect(await read(bytes)).toEqual(order)
    const typed = jsonSchemaDeserializer({ registry, schema: orderSchema })
    const value = await typed(bytes)
    expect(value?.items?.[0]?.sku).toBe('A-1')
    // our serializer finds the schema Confluent's registered: the same id, the same bytes
    const ours = jsonSchemaSerializer({ schema: orderSchema, registry, autoRegisterSchemas: false })
    expect(await ours(order, { topic: 'c-orders', part: 'value' })).toEqual(bytes)
  })

  it('keys go to <topic>-key, which the Confluent key deserializer reads', async () => {
    const bytes = (await jsonSchemaSerializer({ schema: { type: 'string' }, registry })('o-1', {
      topic: 'orders-k',
      part: 'key',
    })) as Buffer
    expect(mock.subjects()).toContain('orders-k-key')
    const deserializer = new ConfluentJsonDeserializer(confluent, SerdeType.KEY, {})
    expect(await deserializer.deserialize('orders-k', bytes)).toBe('o-1')
  })

  it('$ref to a registered reference, written by Confluent and read by us, and the other way', async () => {
    const address = {
      $id: 'https://acme.example/address.json',
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    } as const
    await mock.register('address', { schema: JSON.stringify(address), schemaType: 'JSON' })
    const references = [{ name: 'https://acme.example/address.json', subject: 'address', version: 1 }]
    const customer = {
      title: 'Customer',
      type: 'object',
      properties: { name: { type: 'string' }, address: { $ref: 'https://acme.example/address.json' } },
      required: ['name', 'address'],
    } as const
    const ours = (await jsonSchemaSerializer<unknown>({ schema: customer, registry, references })(
      { name: 'Ada', address: { city: 'London' } },
      { topic: 'customers', part: 'value' },
    )) as Buffer
    const deserializer = new ConfluentJsonDeserializer(confluent, SerdeType.VALUE, { validate: true })
    expect(await deserializer.deserialize('customers', ours)).toEqual({ name: 'Ada', address: { city: 'London' } })

    const serializer = new ConfluentJsonSerializer(confluent, SerdeType.VALUE, {
      useLatestVersion: true,
      validate: true,
    })
    const theirs = await serializer.serialize('customers', { name: 'Bo', address: { city: 'Oslo' } })
    expect(theirs.readUInt32BE(1)).toBe(ours.readUInt32BE(1))
    expect(await jsonSchemaDeserializer({ registry })(theirs)).toEqual({ name: 'Bo', address: { city: 'Oslo' } })
  })
})
