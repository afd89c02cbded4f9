import { SerializationError } from '@tributary/core'
import {
  DeserializationError,
  RecordNameStrategy,
  SchemaNotRegisteredError,
  SchemaRegistryClient,
  TopicRecordNameStrategy,
  WireFormatError,
} from '@tributary/schema-registry'
import { AvroValidationError, avroDeserializer, avroSerializer } from '@tributary/serializer-avro'
import { MockSchemaRegistry } from '@tributary/testing'
import avro from 'avsc'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

interface Order {
  id: string
  total: number
  items: Array<{ sku: string; price: number }>
  tags: Record<string, string>
  coupon: string | null
}

const orderSchema = {
  type: 'record',
  name: 'Order',
  namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
    {
      name: 'items',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Item',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'price', type: 'double' },
          ],
        },
      },
    },
    { name: 'tags', type: { type: 'map', values: 'string' } },
    { name: 'coupon', type: ['null', 'string'], default: null },
  ],
}

const order: Order = {
  id: 'o-1',
  total: 12.5,
  items: [{ sku: 'A', price: 12.5 }],
  tags: { channel: 'web' },
  coupon: null,
}

const value = { topic: 'orders', part: 'value' } as const

describe('avroSerializer without a registry (plain Avro)', () => {
  it('writes plain Avro binary, byte for byte what avsc writes, and reads it back', async () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema })
    const bytes = serialize(order, value) as Buffer
    expect(bytes).toEqual(avro.Type.forSchema(orderSchema as avro.Schema).toBuffer(order))
    expect(await avroDeserializer<Order>({ schema: orderSchema })(bytes)).toEqual(order)
  })

  it('takes the schema as JSON text, as an avsc Type, or a bare primitive name', async () => {
    const type = avro.Type.forSchema(orderSchema as avro.Schema)
    expect(avroSerializer<Order>({ schema: JSON.stringify(orderSchema) })(order, value)).toEqual(type.toBuffer(order))
    expect(avroSerializer<Order>({ type })(order, value)).toEqual(type.toBuffer(order))
    expect(avroSerializer<Order>({ schema: type }).type).toBe(type)
    expect(avroSerializer<string>({ schema: 'string' })('hé', value)).toEqual(Buffer.from([6, 0x68, 0xc3, 0xa9]))
  })

  it('serializes null and undefined to a null value (a tombstone)', () => {
    const serialize = avroSerializer<Order | null>({ schema: orderSchema })
    expect(serialize(null, value)).toBeNull()
    expect(serialize(undefined as unknown as null, value)).toBeNull()
  })

  it('grows its scratch buffer for large values', async () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema })
    const large = { ...order, id: 'x'.repeat(100_000) }
    const bytes = serialize(large, value) as Buffer
    expect(await avroDeserializer<Order>({ schema: orderSchema })(bytes)).toEqual(large)
    expect((serialize(order, value) as Buffer).length).toBeLessThan(40)
  })

  it('fails an invalid value with a SerializationError naming each field path and expected type', () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema })
    const bad = {
      id: 'o-1',
      total: '12.5',
      items: [{ sku: 'A', price: 1 }, { sku: 7 }],
      tags: { channel: 3 },
      coupon: 5,
    } as unknown as Order
    let error: unknown
    try {
      serialize(bad, value)
    } catch (e) {
      error = e
    }
    expect(SerializationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ part: 'value', topic: 'orders', retriable: false })
    const cause = (error as { cause: unknown }).cause
    expect(AvroValidationError.isInstance(cause)).toBe(true)
    expect((cause as AvroValidationError).problems.map((p) => [p.path, p.expected])).toEqual([
      ['total', 'double'],
      ['items[1].sku', 'string'],
      ['items[1].price', 'double'],
      ['tags["channel"]', 'string'],
      ['coupon', 'union [null, string]'],
    ])
    expect((error as Error).message).toBe(
      "Could not serialize the value of a record for topic 'orders': invalid value for Avro record com.acme.Order: " +
        "field 'total' expected double, got \"12.5\" (string); field 'items[1].sku' expected string, got 7 (number); " +
        "field 'items[1].price' expected double, got undefined (missing); field 'tags[\"channel\"]' expected string, " +
        "got 3 (number); field 'coupon' expected union [null, string], got 5 (number)",
    )
  })

  it('names the expected type of enums, records and a wrong value itself', () => {
    const serialize = avroSerializer<unknown>({
      schema: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] },
    })
    expect(() => serialize('BLUE', { topic: 't', part: 'key' })).toThrow(
      'Could not serialize the key of a record for topic \'t\': invalid value for Avro enum Color: the value expected enum Color [RED, GREEN], got "BLUE" (string)',
    )
    expect(() => avroSerializer<unknown>({ schema: orderSchema })('nope', value)).toThrow(
      'the value expected record com.acme.Order, got "nope" (string)',
    )
  })

  it('logical types: as their underlying type, or with a custom implementation passed by name', async () => {
    const schema = {
      type: 'record',
      name: 'Event',
      fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }],
    }
    // Without an implementation, avsc reads and writes the underlying long.
    const plain = avroSerializer<{ at: number }>({ schema })
    expect(
      await avroDeserializer<{ at: number }>({ schema })(plain({ at: 1_700_000_000_000 }, value) as Buffer),
    ).toEqual({
      at: 1_700_000_000_000,
    })

    class DateType extends avro.types.LogicalType {
      override _fromValue(val: number): Date {
        return new Date(val)
      }
      override _toValue(date: unknown): number | undefined {
        return date instanceof Date ? +date : undefined
      }
      override _resolve(type: avro.Type) {
        if (avro.Type.isType(type, 'long', 'string', 'logical:timestamp-millis')) return this._fromValue.bind(this)
        return undefined
      }
    }
    const at = new Date('2024-05-01T10:00:00Z')
    const serialize = avroSerializer<{ at: Date }>({ schema, logicalTypes: { 'timestamp-millis': DateType } })
    const bytes = serialize({ at }, value) as Buffer
    expect(bytes).toEqual(plain({ at: +at }, value))
    const read = avroDeserializer<{ at: Date }>({ schema, logicalTypes: { 'timestamp-millis': DateType } })
    expect(await read(bytes)).toEqual({ at })
    expect(() => serialize({ at: 'yesterday' as unknown as Date }, value)).toThrow(
      'field \'at\' expected long (logicalType timestamp-millis), got "yesterday" (string)',
    )
  })

  it('plain mode schema evolution: reads with a reader schema given the writer schema', async () => {
    const v2 = { ...orderSchema, fields: [...orderSchema.fields, { name: 'currency', type: 'string', default: 'EUR' }] }
    const bytes = avroSerializer<Order>({ schema: orderSchema })(order, value) as Buffer
    const read = avroDeserializer<Order & { currency: string }>({ schema: v2, writerSchema: orderSchema })
    expect(await read(bytes)).toEqual({ ...order, currency: 'EUR' })
  })

  it('needs a schema', () => {
    expect(() => avroSerializer({})).toThrow('needs a schema')
    expect(() => avroDeserializer({})).toThrow('needs a schema')
  })
})

describe('avroSerializer with a schema registry (Confluent wire format)', () => {
  let mock: MockSchemaRegistry
  let registry: SchemaRegistryClient

  beforeAll(async () => {
    mock = await MockSchemaRegistry.start()
  })
  beforeEach(() => {
    mock.reset()
    registry = new SchemaRegistryClient({ url: mock.url })
  })
  afterAll(async () => {
    await mock.stop()
  })

  it('registers the schema under <topic>-value at the first record, then serializes synchronously', async () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema, registry })
    const first = serialize(order, value)
    expect(first).toBeInstanceOf(Promise)
    const bytes = (await first) as Buffer
    expect([...bytes.subarray(0, 5)]).toEqual([0, 0, 0, 0, 1])
    expect(bytes.subarray(5)).toEqual(avro.Type.forSchema(orderSchema as avro.Schema).toBuffer(order))
    const second = serialize(order, value)
    expect(Buffer.isBuffer(second)).toBe(true)
    expect(second).toEqual(bytes)
    expect(mock.schemaById(1).schema).toBe(JSON.stringify(orderSchema))
    expect(mock.subjects()).toEqual(['orders-value'])
    expect(mock.requests()).toHaveLength(1)
  })

  it('concurrent first records of a subject share one registration', async () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema, registry })
    mock.setLatency(20)
    const all = await Promise.all(Array.from({ length: 25 }, () => serialize(order, value)))
    expect(new Set(all.map((b) => (b as Buffer).toString('hex'))).size).toBe(1)
    expect(mock.requests()).toHaveLength(1)
  })

  it('fails an invalid value at once, before asking the registry', () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema, registry })
    expect(() => serialize({ ...order, total: 'x' } as unknown as Order, value)).toThrow(
      "field 'total' expected double",
    )
    expect(mock.requests()).toHaveLength(0)
  })

  it('keys go to <topic>-key; other strategies and a fixed subject', async () => {
    await avroSerializer<string>({ schema: 'string', registry })('k', { topic: 'orders', part: 'key' })
    await avroSerializer<Order>({ schema: orderSchema, registry, strategy: RecordNameStrategy })(order, value)
    await avroSerializer<Order>({ schema: orderSchema, registry, strategy: TopicRecordNameStrategy })(order, value)
    await avroSerializer<Order>({ schema: orderSchema, registry, subject: 'fixed' })(order, value)
    await avroSerializer<Order>({ schema: orderSchema, registry, strategy: ({ topic }) => `custom.${topic}` })(
      order,
      value,
    )
    expect(mock.subjects()).toEqual(['com.acme.Order', 'custom.orders', 'fixed', 'orders-com.acme.Order', 'orders-key'])
    expect(() =>
      avroSerializer<string>({ schema: 'string', registry, strategy: RecordNameStrategy })('k', value),
    ).toThrow('RecordNameStrategy needs a named record type')
  })

  it('autoRegister: false only looks the schema up, and fails while the subject lacks it', async () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema, registry, autoRegisterSchemas: false })
    const error = await Promise.resolve(serialize(order, value)).catch((e: unknown) => e)
    expect(SerializationError.isInstance(error)).toBe(true)
    expect((error as { cause: { code: number } }).cause.code).toBe(40401)
    expect(SchemaNotRegisteredError.isInstance((error as Error).cause)).toBe(true)
    expect((error as Error).message).toBe(
      "Could not serialize the value of a record for topic 'orders': the schema is not registered under subject " +
        "'orders-value', and autoRegisterSchemas is false: register it first (or let the serializer register it) " +
        "(Subject 'orders-value' not found.)",
    )
    await mock.register('orders-value', JSON.stringify(orderSchema))
    const bytes = (await serialize(order, value)) as Buffer
    expect(bytes.readUInt32BE(1)).toBe(1)
    expect(mock.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /subjects/orders-value',
      'POST /subjects/orders-value',
    ])
  })

  it('useLatest: writes with the subject latest schema and its id (a newer one, filling defaults)', async () => {
    const v2 = { ...orderSchema, fields: [...orderSchema.fields, { name: 'currency', type: 'string', default: 'EUR' }] }
    await mock.register('orders-value', JSON.stringify(orderSchema))
    await mock.register('orders-value', JSON.stringify(v2))
    const serialize = avroSerializer<Order>({ schema: orderSchema, registry, useLatest: true })
    const bytes = (await serialize(order, value)) as Buffer
    expect(bytes.readUInt32BE(1)).toBe(2)
    expect(await avroDeserializer<unknown>({ registry })(bytes)).toEqual({ ...order, currency: 'EUR' })
    // without a local schema at all
    const latestOnly = avroSerializer<Order>({ registry, useLatest: true })
    expect(await latestOnly(order, value)).toEqual(bytes)
  })

  it('deserializes by writer id into a reader schema; caches each writer schema once', async () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema, registry })
    const bytes = (await serialize(order, value)) as Buffer
    const read = avroDeserializer<Order>({ registry, schema: orderSchema })
    expect(await read(bytes)).toEqual(order)
    expect(await read(bytes)).toEqual(order)
    expect(await read(null)).toBeNull()
    expect(mock.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /subjects/orders-value/versions',
      'GET /schemas/ids/1',
    ])
    const badMagic = await read(Buffer.from([1, 2, 3, 4, 5, 6]), value).catch((e: unknown) => e)
    expect(DeserializationError.isInstance(badMagic)).toBe(true)
    expect(badMagic).toMatchObject({ format: 'AVRO', topic: 'orders', part: 'value', subject: 'orders-value' })
    expect(WireFormatError.isInstance((badMagic as Error).cause)).toBe(true)
    const unknownId = await read(Buffer.from([0, 0, 0, 0, 99, 6])).catch((e: unknown) => e)
    expect(unknownId).toMatchObject({ name: 'DeserializationError', schemaId: 99, cause: { code: 40403 } })
    expect((unknownId as Error).message).toBe(
      'Could not deserialize a record (Avro, schema id 99): The schema registry answered GET /schemas/ids/99 with HTTP 404: Schema 99 not found (error code 40403)',
    )
    // bytes that do not decode with the writer's schema
    const truncated = await read(bytes.subarray(0, 8), value).catch((e: unknown) => e)
    expect(truncated).toMatchObject({ name: 'DeserializationError', schemaId: 1, subject: 'orders-value' })
    expect((truncated as Error).message).toMatch(
      /^Could not deserialize the value of a record from topic 'orders' \(Avro, schema id 1, subject 'orders-value'\): /,
    )
  })

  it('resolves schema references (named types registered under other subjects)', async () => {
    const item = { type: 'record', name: 'Item', namespace: 'com.acme', fields: [{ name: 'sku', type: 'string' }] }
    const basket = {
      type: 'record',
      name: 'Basket',
      namespace: 'com.acme',
      fields: [{ name: 'items', type: { type: 'array', items: 'com.acme.Item' } }],
    }
    await mock.register('com.acme.Item', JSON.stringify(item))
    const references = [{ name: 'com.acme.Item', subject: 'com.acme.Item', version: 1 }]
    // locally, the referenced type is known through avsc's registry option
    const names: Record<string, avro.Type> = {}
    avro.Type.forSchema(item as avro.Schema, { registry: names })
    const serialize = avroSerializer<{ items: Array<{ sku: string }> }>({
      schema: basket,
      registry,
      references,
      parseOptions: { registry: names },
    })
    const bytes = (await serialize({ items: [{ sku: 'a' }] }, value)) as Buffer
    expect(mock.schemaById(bytes.readUInt32BE(1)).references).toEqual(references)
    expect(await avroDeserializer({ registry })(bytes)).toEqual({ items: [{ sku: 'a' }] })
  })

  it('the deprecated autoRegister: false still only looks up', async () => {
    const serialize = avroSerializer<Order>({ schema: orderSchema, registry, autoRegister: false })
    const error = await Promise.resolve(serialize(order, value)).catch((e: unknown) => e)
    expect(SchemaNotRegisteredError.isInstance((error as Error).cause)).toBe(true)
  })

  it('useLatestVersion fails clearly on a subject without schemas', async () => {
    const serialize = avroSerializer<Order>({ registry, useLatestVersion: true })
    const error = await Promise.resolve(serialize(order, value)).catch((e: unknown) => e)
    expect((error as Error).message).toContain(
      "subject 'orders-value' has no registered schema for useLatestVersion to write with: register one first",
    )
    expect(() => avroSerializer<Order>({ registry, useLatestVersion: true, autoRegisterSchemas: true })).toThrow(
      'useLatestVersion registers nothing',
    )
  })

  it('useSchemaId writes with that schema and id, after checking the subject has it', async () => {
    const v2 = { ...orderSchema, fields: [...orderSchema.fields, { name: 'currency', type: 'string', default: 'EUR' }] }
    await mock.register('orders-value', JSON.stringify(orderSchema))
    await mock.register('orders-value', JSON.stringify(v2))
    const byId = avroSerializer<Order>({ schema: orderSchema, registry, useSchemaId: 2 })
    const bytes = (await byId(order, value)) as Buffer
    expect(bytes.readUInt32BE(1)).toBe(2)
    expect(await avroDeserializer({ registry })(bytes)).toEqual({ ...order, currency: 'EUR' })
    expect(mock.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /schemas/ids/2',
      'POST /subjects/orders-value',
    ])
    expect(mock.requests()[0]?.query).toMatchObject({ subject: 'orders-value' })
    const elsewhere = avroSerializer<Order>({ schema: orderSchema, registry, useSchemaId: 2, subject: 'other' })
    const error = await Promise.resolve(elsewhere(order, value)).catch((e: unknown) => e)
    expect((error as Error).message).toContain(
      "schema id 2 (useSchemaId) is not registered under subject 'other': register it there first",
    )
    const missing = await Promise.resolve(avroSerializer<Order>({ registry, useSchemaId: 77 })(order, value)).catch(
      (e: unknown) => e,
    )
    expect((missing as Error).message).toContain('schema id 77 (useSchemaId) is not registered')
    expect(() => avroSerializer<Order>({ registry, useSchemaId: -1 })).toThrow('useSchemaId must be a schema id')
  })

  it('normalizeSchemas registers and looks up the normalized schema', async () => {
    const reordered = { fields: orderSchema.fields, name: 'Order', type: 'record', namespace: 'com.acme' }
    const first = (await avroSerializer<Order>({ schema: orderSchema, registry, normalizeSchemas: true })(
      order,
      value,
    )) as Buffer
    const second = (await avroSerializer<Order>({
      schema: reordered,
      registry,
      normalizeSchemas: true,
      autoRegisterSchemas: false,
    })(order, value)) as Buffer
    expect(second.readUInt32BE(1)).toBe(first.readUInt32BE(1))
    expect(mock.requests().map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`)).toEqual([
      'POST /subjects/orders-value/versions {"normalize":"true"}',
      'POST /subjects/orders-value {"normalize":"true"}',
    ])
  })

  it('deserializes records as plain objects by default (toStrictEqual holds); plain: false keeps avsc records', async () => {
    const bytes = (await avroSerializer<Order>({ schema: orderSchema, registry })(order, value)) as Buffer
    const read = await avroDeserializer<Order>({ registry, schema: orderSchema })(bytes)
    expect(read).toStrictEqual(order)
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype)
    expect(Object.getPrototypeOf(read?.items[0])).toBe(Object.prototype)
    const instances = await avroDeserializer<Order>({ registry, schema: orderSchema, plain: false })(bytes)
    expect(instances).toEqual(order)
    expect(instances).not.toStrictEqual(order)
    expect(Object.getPrototypeOf(instances)).not.toBe(Object.prototype)
  })
})
