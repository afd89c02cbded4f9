// Proof that our Protobuf bytes are the Confluent wire format, message indexes included, as
// @confluentinc/schemaregistry (Confluent's JavaScript client, which reads indexes as the Java one
// does) reads and writes it, against the same MockSchemaRegistry.
import { fileURLToPath } from 'node:url'
import { create, createFileRegistry, createMutableRegistry, fromBinary } from '@bufbuild/protobuf'
import {
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  file_google_protobuf_timestamp,
} from '@bufbuild/protobuf/wkt'
import {
  SchemaRegistryClient as ConfluentClient,
  ProtobufDeserializer as ConfluentProtobufDeserializer,
  ProtobufSerializer as ConfluentProtobufSerializer,
  SchemaId,
  SerdeType,
} from '@confluentinc/schemaregistry'
import { decodeMessageIndexes, encodeMessageIndexes, SchemaRegistryClient } from '@tributary/schema-registry'
import { protobufDeserializer, protobufSerializer } from '@tributary/serializer-protobuf'
import { MockSchemaRegistry } from '@tributary/testing'
import protobuf from 'protobufjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = new protobuf.Root().loadSync(fileURLToPath(new URL('./fixtures/orders.proto', import.meta.url)), {
  keepCase: true,
})
const Order = root.lookupType('acme.orders.Order')
const Shipment = root.lookupType('acme.orders.Shipment')
const Parcel = root.lookupType('acme.orders.Shipment.Parcel')
const Item = root.lookupType('acme.orders.Order.Item')

const order = {
  id: 'o-1',
  total: 42.5,
  items: [
    { sku: 'A-1', quantity: 2 },
    { sku: 'B-7', quantity: 1 },
  ],
  price: { currency: 'EUR', cents: 4250 },
  status: 1,
  labels: { channel: 'web', region: 'eu' },
  note: 'leave at the door',
  card: '**** 4242',
}

describe('Protobuf interoperability with @confluentinc/schemaregistry', () => {
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

  it('writes message indexes byte for byte as the Confluent client does, and reads its encoding', () => {
    const id = new SchemaId('PROTOBUF')
    for (const indexes of [[0], [1], [0, 0], [1, 0], [3, 2, 1], [63], [64], [300, 5], [0, 0, 0, 0]]) {
      const ours = encodeMessageIndexes(indexes)
      expect(ours, JSON.stringify(indexes)).toEqual(Buffer.from(id.writeMessageIndexes(indexes)))
      expect(decodeMessageIndexes(ours, 0).indexes).toEqual(indexes)
      expect(id.readMessageIndexes(ours)[1]).toEqual(indexes)
    }
    expect(encodeMessageIndexes([0])).toEqual(Buffer.from([0]))
    expect(encodeMessageIndexes([1, 0])).toEqual(Buffer.from([4, 2, 0]))
  })

  it('Confluent decodes the first message; the import is registered as a reference under its own subject', async () => {
    const serialize = protobufSerializer({ type: Order, registry })
    const bytes = (await serialize(Order.fromObject(order), { topic: 'orders', part: 'value' })) as Buffer
    expect([...bytes.subarray(0, 6)]).toEqual([0, 0, 0, 0, bytes.readUInt32BE(1), 0])
    expect(mock.subjects()).toEqual(['common.proto', 'orders-value'])
    const registered = await registry.getLatest('orders-value')
    expect(registered.references).toEqual([{ name: 'common.proto', subject: 'common.proto', version: 1 }])

    const deserializer = new ConfluentProtobufDeserializer(confluent, SerdeType.VALUE, {})
    const decoded = await deserializer.deserialize('orders', bytes)
    expect(decoded).toMatchObject({
      $typeName: 'acme.orders.Order',
      id: 'o-1',
      total: 42.5,
      items: [
        { sku: 'A-1', quantity: 2 },
        { sku: 'B-7', quantity: 1 },
      ],
      price: { currency: 'EUR', cents: 4250 },
      status: 1,
      labels: { channel: 'web', region: 'eu' },
      note: 'leave at the door',
      payment: { case: 'card', value: '**** 4242' },
    })
  })

  it('Confluent decodes a second top-level message ([1]) and a nested one ([1, 0]) by their indexes', async () => {
    const shipmentBytes = (await protobufSerializer({ type: Shipment, registry })(
      Shipment.fromObject({ order: 'o-1', parcel: { tracking: 'T-9' } }),
      { topic: 'shipments', part: 'value' },
    )) as Buffer
    expect([...shipmentBytes.subarray(5, 7)]).toEqual([2, 2]) // count 1, index 1 (zig-zag)
    const parcelBytes = (await protobufSerializer({ type: Parcel, registry })(Parcel.fromObject({ tracking: 'T-9' }), {
      topic: 'parcels',
      part: 'value',
    })) as Buffer
    expect([...parcelBytes.subarray(5, 8)]).toEqual([4, 2, 0]) // count 2, indexes 1 and 0
    // A message nested in a message that has a map field (whose entry type descriptors also list).
    const itemBytes = (await protobufSerializer({ type: Item, registry })(
      Item.fromObject({ sku: 'A-1', quantity: 3 }),
      {
        topic: 'items',
        part: 'value',
      },
    )) as Buffer
    expect([...itemBytes.subarray(5, 8)]).toEqual([4, 0, 0])

    const deserializer = new ConfluentProtobufDeserializer(confluent, SerdeType.VALUE, {})
    expect(await deserializer.deserialize('shipments', shipmentBytes)).toMatchObject({
      $typeName: 'acme.orders.Shipment',
      order: 'o-1',
      parcel: { tracking: 'T-9' },
    })
    expect(await deserializer.deserialize('parcels', parcelBytes)).toMatchObject({
      $typeName: 'acme.orders.Shipment.Parcel',
      tracking: 'T-9',
    })
    expect(await deserializer.deserialize('items', itemBytes)).toMatchObject({
      $typeName: 'acme.orders.Order.Item',
      sku: 'A-1',
      quantity: 3,
    })
  })

  it('protobufDeserializer reads what the Confluent ProtobufSerializer wrote (serialized descriptors, references)', async () => {
    // The Confluent serializer needs @bufbuild descriptors: take them from the registry, which serves
    // our registered .proto files as FileDescriptorProtos (`format=serialized`).
    await protobufSerializer({ type: Order, registry })(Order.fromObject(order), { topic: 'desc', part: 'value' })
    const main = await confluent.getLatestSchemaMetadata('desc-value', 'serialized')
    const common = await confluent.getLatestSchemaMetadata('common.proto', 'serialized')
    const files = createFileRegistry(
      create(FileDescriptorSetSchema, {
        file: [
          file_google_protobuf_timestamp.proto,
          { ...fromBinary(FileDescriptorProtoSchema, Buffer.from(common.schema, 'base64')), name: 'common.proto' },
          fromBinary(FileDescriptorProtoSchema, Buffer.from(main.schema, 'base64')),
        ],
      }),
    )
    const OrderDesc = files.getMessage('acme.orders.Order')
    const ShipmentDesc = files.getMessage('acme.orders.Shipment')
    if (OrderDesc === undefined || ShipmentDesc === undefined) throw new Error('descriptors not built')
    const serializer = new ConfluentProtobufSerializer(confluent, SerdeType.VALUE, {
      autoRegisterSchemas: true,
      registry: createMutableRegistry(OrderDesc, ShipmentDesc),
    })
    const message = create(OrderDesc, {
      id: 'o-2',
      total: 10,
      items: [{ sku: 'C-3', quantity: 5 }],
      price: { currency: 'USD', cents: 1000 },
      status: 1,
      labels: { channel: 'app' },
      payment: { case: 'voucher', value: 'V-1' },
    })
    const bytes = await serializer.serialize('confluent-orders', message)
    const shipmentBytes = await serializer.serialize(
      'confluent-shipments',
      create(ShipmentDesc, { order: 'o-2', parcel: { tracking: 'T-1' } }),
    )

    // Without a type: the writer schema (a base64 FileDescriptorProto and its reference) comes from the registry.
    const byWriterSchema = protobufDeserializer<Record<string, unknown>>({
      registry,
      toObject: { defaults: false, enums: String },
    })
    expect(await byWriterSchema(bytes)).toEqual({
      id: 'o-2',
      total: 10,
      items: [{ sku: 'C-3', quantity: 5 }],
      price: { currency: 'USD', cents: 1000 },
      status: 'PAID',
      labels: { channel: 'app' },
      voucher: 'V-1',
    })
    expect(await byWriterSchema(shipmentBytes)).toEqual({ order: 'o-2', parcel: { tracking: 'T-1' } })
    // With a type: decoded straight into it.
    const intoOrder = protobufDeserializer<protobuf.Message>({ registry, type: Order })
    expect(Order.toObject((await intoOrder(bytes)) as protobuf.Message, { enums: String })).toMatchObject({
      id: 'o-2',
      status: 'PAID',
      voucher: 'V-1',
    })
  })
})
