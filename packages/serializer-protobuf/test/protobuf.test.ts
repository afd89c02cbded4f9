import { fileURLToPath } from 'node:url'
import { SerializationError } from '@tributary/core'
import { RecordNameStrategy, SchemaRegistryClient, TopicRecordNameStrategy } from '@tributary/schema-registry'
import {
  ProtobufVerificationError,
  protobufDeserializer,
  protobufSerializer,
  protoFileOf,
} from '@tributary/serializer-protobuf'
import { MockSchemaRegistry } from '@tributary/testing'
import protobuf from 'protobufjs'
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest'

const root = new protobuf.Root().loadSync(fileURLToPath(new URL('./fixtures/orders.proto', import.meta.url)), {
  keepCase: true,
})
const Order = root.lookupType('acme.orders.Order')
const Shipment = root.lookupType('acme.orders.Shipment')
const Parcel = root.lookupType('acme.orders.Shipment.Parcel')
const value = { topic: 'orders', part: 'value' } as const

const order = { id: 'o-1', total: 3.5, items: [{ sku: 'A', quantity: 1 }], status: 1, labels: { a: 'b' } }

describe('protobufSerializer without a registry (plain Protobuf)', () => {
  it('writes plain Protobuf, what protobufjs writes, and reads it back', async () => {
    const serialize = protobufSerializer({ type: Order })
    const bytes = serialize(order, value) as Buffer
    expect(bytes).toEqual(Buffer.from(Order.encode(order).finish()))
    const read = protobufDeserializer<Record<string, unknown>>({ type: Order, toObject: { defaults: false } })
    expect(await read(bytes)).toEqual(order)
    expect(serialize(null as unknown as Record<string, unknown>, value)).toBeNull()
  })

  it('verifies before encoding: a SerializationError names the field', () => {
    const serialize = protobufSerializer({ type: Order })
    let error: unknown
    try {
      serialize({ ...order, items: [{ sku: 'A', quantity: 'many' }] }, value)
    } catch (e) {
      error = e
    }
    expect(SerializationError.isInstance(error)).toBe(true)
    const cause = (error as { cause: unknown }).cause
    expect(ProtobufVerificationError.isInstance(cause)).toBe(true)
    expect(cause).toMatchObject({ messageType: 'acme.orders.Order', field: 'items.quantity' })
    expect((error as Error).message).toBe(
      "Could not serialize the value of a record for topic 'orders': invalid value for Protobuf message acme.orders.Order: items.quantity: integer expected",
    )
    expect(() => serialize({ id: 7 }, value)).toThrow('id: string expected')
  })

  it('fromObject converts enum names and similar before verifying', () => {
    const strict = protobufSerializer({ type: Order })
    expect(() => strict({ ...order, status: 'PAID' }, value)).toThrow('status: enum value expected')
    const lenient = protobufSerializer({ type: Order, fromObject: true })
    expect(lenient({ ...order, status: 'PAID' }, value)).toEqual(strict(order, value))
  })

  it('knows the message indexes of first, later and nested messages', () => {
    expect(protobufSerializer({ type: Order }).messageIndexes).toEqual([0])
    expect(protobufSerializer({ type: Shipment }).messageIndexes).toEqual([1])
    expect(protobufSerializer({ type: Parcel }).messageIndexes).toEqual([1, 0])
    expect(protobufSerializer({ type: Order.lookupType('Item') }).messageIndexes).toEqual([0, 0])
  })
})

describe('protoFileOf: the .proto file registered for a type', () => {
  it('rebuilds the file and its imports; the text parses back to the same wire format', () => {
    const file = protoFileOf(Order)
    expect(file.name).toBe('orders.proto')
    expect(file.imports.map((i) => i.name)).toEqual(['common.proto'])
    expect(file.text).toContain('import "google/protobuf/timestamp.proto";')
    expect(file.text).toContain('import "common.proto";')
    expect(file.text).toContain('map<string, string> labels = 6;')
    expect(file.text).toContain('optional string note = 7;')
    expect(file.text).toContain('oneof payment {')
    expect(file.text).toContain('reserved 2, 5 to 7;')

    const reparsed = new protobuf.Root()
    protobuf.parse(file.imports[0]?.text as string, reparsed, { keepCase: true })
    protobuf.parse(file.text, reparsed, { keepCase: true })
    reparsed.addJSON(protobuf.common.get('google/protobuf/timestamp.proto')?.nested ?? {})
    reparsed.resolveAll()
    const full = {
      ...order,
      price: { currency: 'EUR', cents: 350 },
      note: 'n',
      placed: { seconds: 10, nanos: 5 },
      voucher: 'V',
    }
    const bytes = Order.encode(Order.fromObject(full)).finish()
    const again = reparsed.lookupType('acme.orders.Order')
    expect(Buffer.from(again.encode(again.decode(bytes)).finish())).toEqual(Buffer.from(bytes))
  })

  it('prints proto2 labels, defaults and enums, and types built from JSON as one file', () => {
    const proto2 = protobuf.parse(
      `syntax = "proto2";
       package legacy;
       message Thing { required string name = 1; optional int32 size = 2 [default = 7]; repeated int32 ids = 3 [packed = true];
         optional Kind kind = 4 [default = BIG]; enum Kind { SMALL = 0; BIG = 1; } }`,
      { keepCase: true },
    ).root
    const text = protoFileOf(proto2.lookupType('legacy.Thing')).text
    expect(text).toContain('syntax = "proto2";')
    expect(text).toContain('required string name = 1;')
    expect(text).toContain('optional int32 size = 2 [default = 7];')
    expect(text).toContain('repeated int32 ids = 3 [packed = true];')
    expect(text).toContain('optional .legacy.Thing.Kind kind = 4 [default = BIG];')
    expect(() => protobuf.parse(text)).not.toThrow()

    const fromJson = protobuf.Root.fromJSON({
      nested: { demo: { nested: { Ping: { fields: { seq: { type: 'uint32', id: 1 } } } } } },
    })
    const file = protoFileOf(fromJson.lookupType('demo.Ping'))
    expect(file.name).toBe('demo.Ping.proto')
    // protobufjs treats JSON definitions as proto3
    expect(file.text).toBe('syntax = "proto3";\n\npackage demo;\n\nmessage Ping {\n  uint32 seq = 1;\n}\n')
  })
})

describe('protobufSerializer with a schema registry', () => {
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

  it('registers imports first as references, then the file; later records are synchronous', async () => {
    const serialize = protobufSerializer({ type: Parcel, registry })
    const bytes = (await serialize({ tracking: 'T' }, value)) as Buffer
    expect([...bytes.subarray(0, 8)]).toEqual([0, 0, 0, 0, 2, 4, 2, 0])
    expect(Buffer.isBuffer(serialize({ tracking: 'U' }, value))).toBe(true)
    expect(mock.subjects()).toEqual(['common.proto', 'orders-value'])
    expect(mock.schemaById(2)).toMatchObject({
      schemaType: 'PROTOBUF',
      references: [{ name: 'common.proto', subject: 'common.proto', version: 1 }],
    })
    const read = protobufDeserializer<Record<string, unknown>>({ registry, toObject: {} })
    expect(await read(bytes)).toEqual({ tracking: 'T' })
  })

  it('registers a given schema text as is, with its references', async () => {
    const text = 'syntax = "proto3";\npackage p;\nmessage A { string x = 1; }\nmessage B { int32 y = 1; }\n'
    const B = protobuf.parse(text, { keepCase: true }).root.lookupType('p.B')
    const serialize = protobufSerializer({ type: B, registry, schema: text, subject: 'b-subject' })
    expect(serialize.messageIndexes).toEqual([1])
    const bytes = (await serialize({ y: 5 }, value)) as Buffer
    const sent = mock.requests().find((r) => r.method === 'POST' && r.path === '/subjects/b-subject/versions')
    expect(sent?.body).toMatchObject({ schema: text })
    // the registry stores (and serves) its canonical form of the file
    expect(mock.schemaById(1).schema).toBe(
      'syntax = "proto3";\npackage p;\n\nmessage A {\n  string x = 1;\n}\nmessage B {\n  int32 y = 1;\n}\n',
    )
    expect([...bytes.subarray(5, 7)]).toEqual([2, 2])
    expect(await protobufDeserializer({ registry, toObject: {} })(bytes)).toEqual({ y: 5 })
  })

  it('autoRegister: false looks up the file and its imports; useLatest takes the latest id', async () => {
    const lookups = protobufSerializer({ type: Order, registry, autoRegister: false })
    const missing = await Promise.resolve(lookups(order, value)).catch((e: unknown) => e)
    expect((missing as { cause: { code: number } }).cause.code).toBe(40401)

    await protobufSerializer({ type: Order, registry })(order, { topic: 'other', part: 'value' })
    await mock.register('orders-value', {
      schema: protoFileOf(Order).text,
      schemaType: 'PROTOBUF',
      references: [{ name: 'common.proto', subject: 'common.proto', version: 1 }],
    })
    expect(((await lookups(order, value)) as Buffer).readUInt32BE(1)).toBe(2)

    const latest = protobufSerializer({ type: Shipment, registry, useLatest: true })
    const bytes = (await latest({ order: 'o' }, value)) as Buffer
    expect(bytes.readUInt32BE(1)).toBe(2)
    expect([...bytes.subarray(5, 7)]).toEqual([2, 2])
  })

  it('the mock refuses a change of field type under BACKWARD compatibility', async () => {
    const v1 = protobuf.parse('syntax = "proto3"; message M { string a = 1; }').root.lookupType('M')
    const v2 = protobuf.parse('syntax = "proto3"; message M { int64 a = 1; }').root.lookupType('M')
    await protobufSerializer({ type: v1, registry })({ a: 'x' }, value)
    const error = await Promise.resolve(protobufSerializer({ type: v2, registry })({ a: 1 }, value)).catch((e) => e)
    expect((error as { cause: { code: number } }).cause.code).toBe(409)
    expect((error as Error).message).toContain('field 1 of M changed')
  })

  it('subject name strategies: RecordNameStrategy and TopicRecordNameStrategy use the message full name', async () => {
    await protobufSerializer({ type: Parcel, registry, strategy: RecordNameStrategy })({ tracking: 'T' }, value)
    await protobufSerializer({ type: Parcel, registry, strategy: TopicRecordNameStrategy })({ tracking: 'T' }, value)
    await protobufSerializer({ type: Parcel, registry })({ tracking: 'T' }, { topic: 'orders', part: 'key' })
    expect(mock.subjects()).toEqual([
      'acme.orders.Shipment.Parcel',
      'common.proto',
      'orders-acme.orders.Shipment.Parcel',
      'orders-key',
    ])
  })

  it('normalizeSchemas registers the file and its imports normalized; tombstones need no widening', async () => {
    const serialize = protobufSerializer<{ tracking: string }>({ type: Parcel, registry, normalizeSchemas: true })
    expectTypeOf(serialize).parameter(0).toEqualTypeOf<{ tracking: string } | null>()
    expect(serialize(null, value)).toBeNull()
    await serialize({ tracking: 'T' }, value)
    expect(
      mock
        .requests()
        .filter((r) => r.method === 'POST')
        .map((r) => `${r.path} ${r.query.normalize}`),
    ).toEqual([
      '/subjects/common.proto/versions true',
      '/subjects/common.proto true',
      '/subjects/orders-value/versions true',
    ])
  })
})
