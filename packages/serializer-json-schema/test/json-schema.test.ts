import { Producer, SerializationError, stringSerializer } from '@tributary/core'
import {
  DeserializationError,
  RecordNameStrategy,
  SchemaNotRegisteredError,
  SchemaRegistryClient,
  TopicRecordNameStrategy,
  WireFormatError,
} from '@tributary/schema-registry'
import {
  JsonSchemaValidationError,
  jsonSchemaDeserializer,
  jsonSchemaSerializer,
} from '@tributary/serializer-json-schema'
import { MockSchemaRegistry } from '@tributary/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest'

const orderSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Order',
  type: 'object',
  properties: {
    id: { type: 'string' },
    total: { type: 'number', minimum: 0 },
    status: { enum: ['NEW', 'PAID'] },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { sku: { type: 'string' }, quantity: { type: 'integer' } },
        required: ['sku', 'quantity'],
        additionalProperties: false,
      },
    },
    note: { type: ['string', 'null'] },
    placedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'total', 'status', 'items'],
  additionalProperties: false,
} as const

const order = {
  id: 'o-1',
  total: 12.5,
  status: 'PAID',
  items: [{ sku: 'A', quantity: 2 }],
  note: null,
  placedAt: '2024-05-01T10:00:00Z',
} as const

const value = { topic: 'orders', part: 'value' } as const

describe('jsonSchemaSerializer types', () => {
  it('infers the value type from an `as const` schema; an explicit type wins; text is unknown', () => {
    const serialize = jsonSchemaSerializer({ schema: orderSchema })
    type Order = {
      id: string
      total: number
      status: 'NEW' | 'PAID'
      items: { sku: string; quantity: number }[]
      note?: string | null
      placedAt?: string
    }
    expectTypeOf<Order | null>().toExtend<Parameters<typeof serialize>[0]>()
    expectTypeOf<{ wrong: true }>().not.toExtend<Parameters<typeof serialize>[0]>()
    serialize(order, value)
    serialize(null, value) // a tombstone, without widening the type
    // @ts-expect-error: status is an enum
    expect(() => serialize({ ...order, status: 'LOST' }, value)).toThrow(
      '/status must be equal to one of the allowed values',
    )
    // @ts-expect-error: a required property is missing
    expect(() => serialize({ id: 'o-2', total: 1, status: 'NEW' }, value)).toThrow(
      "must have required property 'items'",
    )
    // @ts-expect-error: wrong property type
    expect(() => serialize({ ...order, total: '12' }, value)).toThrow('/total must be number')

    const explicit = jsonSchemaSerializer<{ n: number }>({ schema: JSON.stringify(orderSchema) })
    expectTypeOf(explicit).parameter(0).toEqualTypeOf<{ n: number } | null>()
    const text = jsonSchemaSerializer({ schema: JSON.stringify(orderSchema) })
    expectTypeOf(text).parameter(0).toEqualTypeOf<unknown>()

    const read = jsonSchemaDeserializer({ schema: orderSchema })
    expectTypeOf<Awaited<ReturnType<typeof read>>>().toEqualTypeOf<Order | null>()
  })

  it('a Producer gets its value type from the serializer, tombstones included', () => {
    const serializer = jsonSchemaSerializer({ schema: orderSchema })
    const producer = new Producer({ bootstrapBrokers: ['127.0.0.1:1'], serializers: { value: serializer } })
    // compiled, not run: the producer would need a cluster
    const typed = async (): Promise<void> => {
      await producer.send({ topic: 'orders', value: order })
      await producer.send({ topic: 'orders', value: null })
      // @ts-expect-error: not an Order
      await producer.send({ topic: 'orders', value: { wrong: true } })
    }
    expectTypeOf(typed).toBeFunction()
    void producer.close()
    // Inline in the producer's options, where the producer's own inference gives a contextual type
    // (this once hit "type instantiation is excessively deep").
    const inline = new Producer({
      bootstrapBrokers: ['127.0.0.1:1'],
      serializers: { key: stringSerializer(), value: jsonSchemaSerializer({ schema: orderSchema }) },
    })
    expectTypeOf<Parameters<typeof inline.send>[0]['value']>().toEqualTypeOf<Parameters<typeof serializer>[0]>()
    void inline.close()
  })

  it('types $ref to a referenced schema given with its content and an $id equal to its name', () => {
    const address = {
      $id: 'address.json',
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    } as const
    const serialize = jsonSchemaSerializer({
      schema: { type: 'object', properties: { ship: { $ref: 'address.json' } }, required: ['ship'] },
      references: [{ name: 'address.json', subject: 'address', version: 1, schema: address }],
    })
    serialize({ ship: { city: 'Oslo' } }, value)
    // @ts-expect-error: city is a string
    expect(() => serialize({ ship: { city: 7 } }, value)).toThrow('/ship/city must be string')
  })
})

describe('jsonSchemaSerializer without a registry (plain JSON)', () => {
  it('writes the JSON, validated; reads it back', async () => {
    const serialize = jsonSchemaSerializer({ schema: orderSchema })
    const bytes = serialize(order, value) as Buffer
    expect(bytes.toString()).toBe(JSON.stringify(order))
    expect(await jsonSchemaDeserializer({ schema: orderSchema })(bytes)).toEqual(order)
    expect(serialize(null, value)).toBeNull()
    expect(serialize(undefined as never, value)).toBeNull()
  })

  it('fails an invalid value with a SerializationError naming every path (formats too)', () => {
    const serialize = jsonSchemaSerializer<unknown>({ schema: orderSchema })
    let error: unknown
    try {
      serialize({ ...order, total: -1, items: [{ sku: 7, quantity: 1 }], placedAt: 'yesterday', extra: 1 }, value)
    } catch (e) {
      error = e
    }
    expect(SerializationError.isInstance(error)).toBe(true)
    const cause = (error as { cause: unknown }).cause
    expect(JsonSchemaValidationError.isInstance(cause)).toBe(true)
    expect((cause as JsonSchemaValidationError).problems.map((p) => `${p.path} ${p.keyword}`).sort()).toEqual([
      ' additionalProperties',
      '/items/0/sku type',
      '/placedAt format',
      '/total minimum',
    ])
    expect((error as Error).message).toContain(
      "Could not serialize the value of a record for topic 'orders': invalid value for JSON Schema Order:",
    )
    expect((error as Error).message).toContain('/items/0/sku must be string')
  })

  it('validates with the draft the schema names: 2020-12 (prefixItems) and draft-07 (items arrays)', () => {
    const tuple2020 = jsonSchemaSerializer<unknown>({
      schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'array',
        prefixItems: [{ type: 'string' }, { type: 'integer' }],
        items: false,
      },
    })
    expect(() => tuple2020(['a', 1], value)).not.toThrow()
    expect(() => tuple2020(['a', 1, 2], value)).toThrow('must NOT have more than 2 items')
    const tuple07 = jsonSchemaSerializer<unknown>({
      schema: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
    })
    expect(() => tuple07(['a', 1], value)).not.toThrow()
    expect(() => tuple07(['a', 'b'], value)).toThrow('/1 must be integer')
    // 2020-12's $defs and draft-07's definitions
    const defs = jsonSchemaSerializer<unknown>({
      schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $defs: { id: { type: 'string', minLength: 2 } },
        $ref: '#/$defs/id',
      },
    })
    expect(() => defs('x', value)).toThrow('must NOT have fewer than 2 characters')
  })

  it('validate: false writes anything JSON', () => {
    const serialize = jsonSchemaSerializer<unknown>({ schema: orderSchema, validate: false })
    expect((serialize({ any: 1 }, value) as Buffer).toString()).toBe('{"any":1}')
  })

  it('the deserializer fails bad JSON and invalid values with a DeserializationError', async () => {
    const read = jsonSchemaDeserializer({ schema: orderSchema })
    const bad = await read(Buffer.from('{"id":'), { topic: 'orders', part: 'value' }).catch((e: unknown) => e)
    expect(DeserializationError.isInstance(bad)).toBe(true)
    expect(bad).toMatchObject({ format: 'JSON', topic: 'orders', part: 'value', subject: 'orders-value' })
    expect((bad as Error).cause).toBeInstanceOf(SyntaxError)
    const invalid = await read(Buffer.from('{"id":1}')).catch((e: unknown) => e)
    expect(JsonSchemaValidationError.isInstance((invalid as Error).cause)).toBe(true)
  })
})

describe('jsonSchemaSerializer with a schema registry', () => {
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

  it('registers a JSON schema at the first record, frames the JSON, then serializes synchronously', async () => {
    const serialize = jsonSchemaSerializer({ schema: orderSchema, registry })
    const first = serialize(order, value)
    expect(first).toBeInstanceOf(Promise)
    const bytes = (await first) as Buffer
    expect([...bytes.subarray(0, 5)]).toEqual([0, 0, 0, 0, 1])
    expect(bytes.subarray(5).toString()).toBe(JSON.stringify(order))
    expect(mock.schemaById(1)).toMatchObject({ schemaType: 'JSON', schema: JSON.stringify(orderSchema) })
    expect(Buffer.isBuffer(serialize(order, value))).toBe(true)
    expect(mock.subjects()).toEqual(['orders-value'])
    expect(await jsonSchemaDeserializer({ registry })(bytes)).toEqual(order)
  })

  it('fails an invalid value at once, before asking the registry', async () => {
    const serialize = jsonSchemaSerializer<unknown>({ schema: orderSchema, registry })
    expect(() => serialize({ id: 1 }, value)).toThrow('/id must be string')
    await registry.getSubjects()
    expect(mock.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /subjects'])
  })

  it('subject name strategies: RecordNameStrategy and TopicRecordNameStrategy use the title', async () => {
    await jsonSchemaSerializer({ schema: orderSchema, registry, strategy: RecordNameStrategy })(order, value)
    await jsonSchemaSerializer({ schema: orderSchema, registry, strategy: TopicRecordNameStrategy })(order, value)
    await jsonSchemaSerializer({ schema: { type: 'string' }, registry })('k', { topic: 'orders', part: 'key' })
    expect(mock.subjects()).toEqual(['Order', 'orders-Order', 'orders-key'])
  })

  it('autoRegisterSchemas: false fails clearly while the schema is not registered', async () => {
    const serialize = jsonSchemaSerializer({ schema: orderSchema, registry, autoRegisterSchemas: false })
    const error = await Promise.resolve(serialize(order, value)).catch((e: unknown) => e)
    expect(SerializationError.isInstance(error)).toBe(true)
    const cause = (error as { cause: unknown }).cause
    expect(SchemaNotRegisteredError.isInstance(cause)).toBe(true)
    expect(cause).toMatchObject({ code: 40401, subject: 'orders-value' })
    expect((error as Error).message).toContain(
      "the schema is not registered under subject 'orders-value', and autoRegisterSchemas is false",
    )
    await mock.register('orders-value', { schema: JSON.stringify(orderSchema), schemaType: 'JSON' })
    expect(((await serialize(order, value)) as Buffer).readUInt32BE(1)).toBe(1)
  })

  it('useLatestVersion validates against the latest schema; useSchemaId writes with that id', async () => {
    const v1 = { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: false } as const
    const v2 = {
      type: 'object',
      properties: { id: { type: 'string' }, n: { type: 'integer' } },
      additionalProperties: false,
    } as const
    await mock.register('orders-value', { schema: JSON.stringify(v1), schemaType: 'JSON' })
    await mock.register('orders-value', { schema: JSON.stringify(v2), schemaType: 'JSON' })
    const latest = jsonSchemaSerializer<{ id: string; n?: number }>({ registry, useLatestVersion: true })
    expect(((await latest({ id: 'a', n: 1 }, value)) as Buffer).readUInt32BE(1)).toBe(2)
    const byId = jsonSchemaSerializer<{ id: string; n?: number }>({ registry, useSchemaId: 1 })
    expect(((await byId({ id: 'a' }, value)) as Buffer).readUInt32BE(1)).toBe(1)
    // values are checked against the schema of that id: v1 is closed and has no `n`
    expect(() => byId({ id: 'a', n: 1 }, value)).toThrow('must NOT have additional properties')
    const missing = await Promise.resolve(
      jsonSchemaSerializer({ registry, useSchemaId: 1, subject: 'other' })({}, value),
    ).catch((e: unknown) => e)
    expect((missing as Error).message).toContain("schema id 1 (useSchemaId) is not registered under subject 'other'")
    expect(() => {
      jsonSchemaSerializer({ registry, useSchemaId: 1, autoRegisterSchemas: true })
    }).toThrow('useSchemaId registers nothing')
  })

  it('normalizeSchemas registers the normalized schema: key order makes no difference', async () => {
    const a = { type: 'object', properties: { x: { type: 'string' } } } as const
    const b = { properties: { x: { type: 'string' } }, type: 'object' } as const
    const ida = await jsonSchemaSerializer({ schema: a, registry, normalizeSchemas: true })({ x: '1' }, value)
    const idb = await jsonSchemaSerializer({ schema: b, registry, normalizeSchemas: true })({ x: '1' }, value)
    expect((ida as Buffer).readUInt32BE(1)).toBe((idb as Buffer).readUInt32BE(1))
    expect(mock.schemaById(1).schema).toBe('{"properties":{"x":{"type":"string"}},"type":"object"}')
    // without normalize, the registry keeps each form as its own schema
    await jsonSchemaSerializer({ schema: b, registry, subject: 'plain' })({ x: '1' }, value)
    await jsonSchemaSerializer({ schema: a, registry, subject: 'plain' })({ x: '1' }, value)
    expect(await registry.getVersions('plain')).toEqual([1, 2])
  })

  it('$ref to a registered reference: registered with references, validated locally and when read', async () => {
    const address = {
      $id: 'address.json',
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    } as const
    await mock.register('address', { schema: JSON.stringify(address), schemaType: 'JSON' })
    const customer = {
      title: 'Customer',
      type: 'object',
      properties: { name: { type: 'string' }, address: { $ref: 'address.json' } },
      required: ['name', 'address'],
    } as const
    const references = [{ name: 'address.json', subject: 'address', version: 1 }] as const
    // the referenced schema's content is fetched from the registry
    const serialize = jsonSchemaSerializer<unknown>({ schema: customer, registry, references })
    const bytes = (await serialize({ name: 'Ada', address: { city: 'London' } }, value)) as Buffer
    expect(mock.schemaById(bytes.readUInt32BE(1)).references).toEqual(references)
    expect(() => serialize({ name: 'Ada', address: {} }, value)).toThrow("/address must have required property 'city'")
    const read = jsonSchemaDeserializer({ registry })
    expect(await read(bytes)).toEqual({ name: 'Ada', address: { city: 'London' } })
    // a record whose value breaks the writer's schema (written by hand) is refused when read
    const forged = Buffer.concat([bytes.subarray(0, 5), Buffer.from('{"name":"Ada","address":{"city":1}}')])
    const error = await read(forged, { topic: 'orders', part: 'value' }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: 'DeserializationError',
      schemaId: bytes.readUInt32BE(1),
      subject: 'orders-value',
    })
    expect((error as Error).message).toContain('/address/city must be string')
  })

  it('deserializer errors carry the schema id and the cause; tombstones read as null', async () => {
    const read = jsonSchemaDeserializer({ registry })
    expect(await read(null)).toBeNull()
    const wire = await read(Buffer.from([1, 0, 0, 0, 1, 0x7b, 0x7d])).catch((e: unknown) => e)
    expect(DeserializationError.isInstance(wire)).toBe(true)
    expect(WireFormatError.isInstance((wire as Error).cause)).toBe(true)
    const unknownId = await read(Buffer.from([0, 0, 0, 0, 42, 0x7b, 0x7d])).catch((e: unknown) => e)
    expect(unknownId).toMatchObject({ schemaId: 42, retriable: false, cause: { code: 40403 } })
  })

  it('the mock refuses an incompatible JSON schema (BACKWARD): a property added to an open content model', async () => {
    const open = { type: 'object', properties: { a: { type: 'string' } } } as const
    await jsonSchemaSerializer({ schema: open, registry })({ a: 'x' }, value)
    const grown = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } } as const
    const error = await Promise.resolve(jsonSchemaSerializer({ schema: grown, registry })({ a: 'x' }, value)).catch(
      (e: unknown) => e,
    )
    expect((error as { cause: { code: number } }).cause.code).toBe(409)
    expect((error as Error).message).toContain('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL')
  })
})
