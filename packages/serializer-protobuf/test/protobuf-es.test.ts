// protobuf-es (@bufbuild/protobuf v2) message schemas, as protoc-gen-es generates them, next to the
// protobufjs types of the same .proto files: the same registered schemas, references, message indexes
// and bytes; and interoperability with @confluentinc/schemaregistry (which uses protobuf-es) both ways.
//
// fixtures/gen/*_pb.ts are generated from fixtures/orders.proto and fixtures/common.proto by
// `buf generate` with protoc-gen-es 2.17.0 (`target=ts,import_extension=js`); regenerate them with
// `npm exec --package=@bufbuild/buf --package=@bufbuild/protoc-gen-es -- buf generate` in a folder
// holding the two files under proto/ and a buf.gen.yaml naming the `protoc-gen-es` local plugin.
import { fileURLToPath } from 'node:url'
import { create, createMutableRegistry, type MessageInitShape, toBinary } from '@bufbuild/protobuf'
import { TimestampSchema, timestampFromDate } from '@bufbuild/protobuf/wkt'
import {
  SchemaRegistryClient as ConfluentClient,
  ProtobufDeserializer as ConfluentProtobufDeserializer,
  ProtobufSerializer as ConfluentProtobufSerializer,
  SerdeType,
} from '@confluentinc/schemaregistry'
import { SerializationError } from '@tributary/core'
import {
  DeserializationError,
  decodeProtobufWireFormat,
  SchemaNotRegisteredError,
  SchemaRegistryClient,
} from '@tributary/schema-registry'
import { protobufDeserializer, protobufSerializer } from '@tributary/serializer-protobuf'
import { MockSchemaRegistry } from '@tributary/testing'
import protobuf from 'protobufjs'
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest'
import {
  type Order,
  Order_Status,
  OrderSchema,
  Shipment_ParcelSchema,
  ShipmentSchema,
} from './fixtures/gen/orders_pb.js'

const root = new protobuf.Root().loadSync(fileURLToPath(new URL('./fixtures/orders.proto', import.meta.url)), {
  keepCase: true,
})
const OrderType = root.lookupType('acme.orders.Order')

const value = { topic: 'orders', part: 'value' } as const

const init = {
  id: 'o-1',
  total: 42.5,
  items: [{ sku: 'A-1', quantity: 2 }],
  price: { currency: 'EUR', cents: 4250 },
  status: Order_Status.PAID,
  labels: { channel: 'web' },
  note: 'leave at the door',
  placed: timestampFromDate(new Date('2024-05-01T10:00:00Z')),
  payment: { case: 'card', value: '**** 4242' },
} satisfies MessageInitShape<typeof OrderSchema>

/** The same order as protobufjs takes it. */
const jsOrder = {
  id: 'o-1',
  total: 42.5,
  items: [{ sku: 'A-1', quantity: 2 }],
  price: { currency: 'EUR', cents: 4250 },
  status: 1,
  labels: { channel: 'web' },
  note: 'leave at the door',
  placed: { seconds: 1714557600, nanos: 0 },
  card: '**** 4242',
}

describe('protobuf-es message schemas', () => {
  it('types: the serializer takes the message (or its init shape), the deserializer returns the message', () => {
    const serialize = protobufSerializer({ type: OrderSchema })
    expectTypeOf(serialize).parameter(0).toEqualTypeOf<MessageInitShape<typeof OrderSchema> | null>()
    const read = protobufDeserializer({ type: OrderSchema })
    expectTypeOf<Awaited<ReturnType<typeof read>>>().toEqualTypeOf<Order | null>()
    serialize(null, value) // a tombstone
    serialize(create(OrderSchema, init), value)
    // Values are checked by the compiler, as protobuf-es checks them (it has no run-time verify).
    const compiledOnly = (): void => {
      // @ts-expect-error: total is a number
      serialize({ ...init, total: 'much' }, value)
      // @ts-expect-error: not a field of Order
      serialize({ ...init, wrong: true }, value)
    }
    expectTypeOf(compiledOnly).toBeFunction()
    // protobufjs types keep the explicit <T>
    expectTypeOf(protobufSerializer<{ id: string }>({ type: OrderType }))
      .parameter(0)
      .toEqualTypeOf<{ id: string } | null>()
  })

  it('plain Protobuf: the same bytes as protobufjs, read back as the typed message', async () => {
    const bytes = protobufSerializer({ type: OrderSchema })(init, value) as Buffer
    expect(bytes).toEqual(Buffer.from(OrderType.encode(OrderType.fromObject(jsOrder)).finish()))
    const read = await protobufDeserializer({ type: OrderSchema })(bytes)
    expect(read).toEqual(create(OrderSchema, init))
    expect(read?.payment).toEqual({ case: 'card', value: '**** 4242' })
  })
})

describe('protobuf-es with a schema registry', () => {
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

  it('registers the same schema, with the import as a reference, and writes the same bytes as protobufjs', async () => {
    const es = (await protobufSerializer({ type: OrderSchema, registry })(init, value)) as Buffer
    expect(mock.subjects()).toEqual(['common.proto', 'orders-value'])
    expect((await registry.getLatest('orders-value')).references).toEqual([
      { name: 'common.proto', subject: 'common.proto', version: 1 },
    ])
    const js = (await protobufSerializer({ type: OrderType, registry })(OrderType.fromObject(jsOrder), value)) as Buffer
    expect(mock.subjects()).toEqual(['common.proto', 'orders-value'])
    expect(es).toEqual(js)
    expect(await registry.getVersions('orders-value')).toEqual([1])
  })

  it('message indexes of later and nested messages are the same as for protobufjs types', async () => {
    const shipment = (await protobufSerializer({ type: ShipmentSchema, registry })(
      { order: 'o-1', parcel: { tracking: 'T-9' } },
      { topic: 'shipments', part: 'value' },
    )) as Buffer
    expect(decodeProtobufWireFormat(shipment).messageIndexes).toEqual([1])
    const parcel = (await protobufSerializer({ type: Shipment_ParcelSchema, registry })(
      { tracking: 'T-9' },
      { topic: 'parcels', part: 'value' },
    )) as Buffer
    expect([...parcel.subarray(5, 8)]).toEqual([4, 2, 0])
    expect(protobufSerializer({ type: Shipment_ParcelSchema }).messageIndexes).toEqual(
      protobufSerializer({ type: root.lookupType('acme.orders.Shipment.Parcel') }).messageIndexes,
    )
    // read back by the writer schema (protobufjs) and into the protobuf-es schema
    expect(await protobufDeserializer({ registry, plain: true })(parcel)).toEqual({ tracking: 'T-9' })
    expect(await protobufDeserializer({ registry, type: Shipment_ParcelSchema })(parcel)).toMatchObject({
      $typeName: 'acme.orders.Shipment.Parcel',
      tracking: 'T-9',
    })
  })

  it('autoRegisterSchemas: false fails clearly when an imported file is not registered', async () => {
    const serialize = protobufSerializer({ type: OrderSchema, registry, autoRegisterSchemas: false })
    const error = await Promise.resolve(serialize(init, value)).catch((e: unknown) => e)
    expect(SerializationError.isInstance(error)).toBe(true)
    expect(SchemaNotRegisteredError.isInstance((error as Error).cause)).toBe(true)
    expect((error as Error).message).toContain(
      "the imported file 'common.proto' is not registered under subject 'common.proto', and autoRegisterSchemas is false",
    )
  })

  it('useLatestVersion and useSchemaId take the registered schema and its id', async () => {
    await protobufSerializer({ type: OrderSchema, registry })(init, value)
    const latest = (await protobufSerializer({ type: ShipmentSchema, registry, useLatestVersion: true })(
      { order: 'o' },
      value,
    )) as Buffer
    expect(decodeProtobufWireFormat(latest)).toMatchObject({ schemaId: 2, messageIndexes: [1] })
    const byId = (await protobufSerializer({ type: OrderSchema, registry, useSchemaId: 2 })(init, value)) as Buffer
    expect(decodeProtobufWireFormat(byId)).toMatchObject({ schemaId: 2, messageIndexes: [0] })
  })

  it('a value that is itself a well-known type (google.protobuf.Timestamp) registers that file', async () => {
    const serialize = protobufSerializer({ type: TimestampSchema, registry })
    expect(serialize.messageIndexes).toEqual([0])
    const bytes = (await serialize({ seconds: 5n, nanos: 1 }, value)) as Buffer
    expect(decodeProtobufWireFormat(bytes)).toMatchObject({ schemaId: 1, messageIndexes: [0] })
    expect((await registry.getLatest('orders-value')).schema).toContain('message Timestamp')
    const read = await protobufDeserializer({ registry, type: TimestampSchema })(bytes)
    expect(read).toMatchObject({ seconds: 5n, nanos: 1 })
    expect(await protobufDeserializer<unknown>({ registry, toObject: { longs: String } })(bytes)).toEqual({
      seconds: '5',
      nanos: 1,
    })
  })

  it('decoding failures are DeserializationErrors with the schema id, subject and cause', async () => {
    const bytes = (await protobufSerializer({ type: OrderSchema, registry })(init, value)) as Buffer
    const broken = Buffer.concat([bytes.subarray(0, 6), Buffer.from([0x0a, 0x10, 0x61])])
    const error = await protobufDeserializer({ registry, type: OrderSchema })(broken, value).catch((e: unknown) => e)
    expect(DeserializationError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ format: 'PROTOBUF', schemaId: 2, subject: 'orders-value', topic: 'orders' })
    const byWriter = await protobufDeserializer({ registry })(broken).catch((e: unknown) => e)
    expect(byWriter).toMatchObject({ name: 'DeserializationError', schemaId: 2 })
    expect((byWriter as Error).message).toContain('could not read Protobuf message acme.orders.Order')
  })
})

describe('protobuf-es interoperability with @confluentinc/schemaregistry', () => {
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

  it('Confluent reads what protobufSerializer wrote for a protobuf-es schema', async () => {
    const bytes = (await protobufSerializer({ type: OrderSchema, registry })(init, value)) as Buffer
    const deserializer = new ConfluentProtobufDeserializer(confluent, SerdeType.VALUE, {})
    const decoded = await deserializer.deserialize('orders', bytes)
    expect(decoded).toMatchObject({ $typeName: 'acme.orders.Order', id: 'o-1', payment: { case: 'card' } })
    expect(toBinary(OrderSchema, decoded as Order)).toEqual(toBinary(OrderSchema, create(OrderSchema, init)))
  })

  it('protobufDeserializer reads what the Confluent ProtobufSerializer wrote (descriptors and references)', async () => {
    const serializer = new ConfluentProtobufSerializer(confluent, SerdeType.VALUE, {
      autoRegisterSchemas: true,
      registry: createMutableRegistry(OrderSchema, ShipmentSchema),
    })
    const bytes = await serializer.serialize('confluent-orders', create(OrderSchema, init))
    const shipment = await serializer.serialize(
      'confluent-shipments',
      create(ShipmentSchema, { order: 'o-2', parcel: { tracking: 'T-1' } }),
    )
    const registered = await registry.getLatest('confluent-orders-value')
    // Confluent registers the files as descriptors: common.proto gets a version of its own (the registry's
    // canonical text of a descriptor differs from the text form registered by the test above)
    expect(registered.references).toEqual([{ name: 'common.proto', subject: 'common.proto', version: 2 }])
    expect(await protobufDeserializer({ registry, type: OrderSchema })(bytes)).toEqual(create(OrderSchema, init))
    expect(await protobufDeserializer({ registry, type: ShipmentSchema })(shipment)).toEqual(
      create(ShipmentSchema, { order: 'o-2', parcel: { tracking: 'T-1' } }),
    )
    // and by the writer schema alone, as plain objects
    expect(await protobufDeserializer({ registry, toObject: { enums: String } })(bytes)).toMatchObject({
      id: 'o-1',
      status: 'PAID',
      card: '**** 4242',
    })
  })
})
