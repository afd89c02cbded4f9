import { Producer, SerializationError, stringSerializer } from '@tributary/core'
import { SchemaRegistryClient, SchemaRegistryConnectionError } from '@tributary/schema-registry'
import { avroDeserializer, avroSerializer } from '@tributary/serializer-avro'
import { protobufDeserializer, protobufSerializer } from '@tributary/serializer-protobuf'
import { type Order, orderAvroSchema } from '@tributary/test-support/fixtures'
import { useHarness } from '@tributary/test-support/harness'
import protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'

const orderV1 = orderAvroSchema

/** v2 adds a field with a default: BACKWARD compatible. */
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'currency', type: 'string', default: 'EUR' }] }

interface OrderV2 extends Order {
  currency: string
}

const orders: Order[] = Array.from({ length: 50 }, (_, i) => ({
  id: `o-${i}`,
  total: i * 1.5,
  items: [{ sku: `sku-${i}`, quantity: i % 4 }],
}))

describe('Schema serializers through the Producer and the mock cluster', () => {
  const { start, startRegistry, track } = useHarness()

  it('a Producer typed by avroSerializer<Order> sends; records read back decode to the same objects', async () => {
    const cluster = await start({ topics: [{ name: 'orders', partitions: 3 }] })
    const registry = await startRegistry()
    const client = new SchemaRegistryClient({ url: registry.url })
    const producer = new Producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { key: stringSerializer(), value: avroSerializer<Order>({ schema: orderV1, registry: client }) },
    })
    track(producer)

    const results = await producer.sendBatch(orders.map((value) => ({ topic: 'orders', key: value.id, value })))
    expect(results.every((r) => r.ok)).toBe(true)
    await producer.send({ topic: 'orders', key: 'last', value: { id: 'last', total: 1, items: [] } })

    // One registration, then no HTTP for the 50 records after the first.
    expect(registry.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /subjects/orders-value/versions'])

    const deserialize = avroDeserializer<Order>({ registry: client })
    const records = cluster.records('orders')
    expect(records).toHaveLength(51)
    const byKey = new Map<string, Order | null>()
    for (const r of records) byKey.set(r.key?.toString() ?? '', await deserialize(r.value))
    for (const order of orders) expect(byKey.get(order.id)).toEqual(order)
    expect(byKey.get('last')).toEqual({ id: 'last', total: 1, items: [] })
  })

  it('schema evolution: records written with v1 and v2 read with v2, v1 ones taking the default', async () => {
    const cluster = await start({ topics: [{ name: 'orders', partitions: 1 }] })
    const registry = await startRegistry()
    const client = new SchemaRegistryClient({ url: registry.url })
    const v1 = new Producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { value: avroSerializer<Order>({ schema: orderV1, registry: client }) },
    })
    const v2 = new Producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { value: avroSerializer<OrderV2>({ schema: orderV2, registry: client }) },
    })
    track(v1)
    track(v2)
    await v1.send({ topic: 'orders', value: orders[1] as Order })
    await v2.send({ topic: 'orders', value: { ...(orders[2] as Order), currency: 'USD' } })
    expect(await client.getVersions('orders-value')).toEqual([1, 2])

    const [first, second] = cluster.records('orders')
    const readV2 = avroDeserializer<OrderV2>({ registry: client, schema: orderV2 })
    expect(await readV2(first?.value)).toEqual({ ...orders[1], currency: 'EUR' })
    expect(await readV2(second?.value)).toEqual({ ...orders[2], currency: 'USD' })
    // and an old reader still reads new records (the added field is skipped)
    const readV1 = avroDeserializer<Order>({ registry: client, schema: orderV1 })
    expect(await readV1(second?.value)).toEqual(orders[2])

    // An incompatible v3 (a new field without a default) is refused by the registry: those records fail.
    const v3Schema = { ...orderV1, fields: [...orderV1.fields, { name: 'channel', type: 'string' }] }
    const v3 = new Producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { value: avroSerializer<Order & { channel: string }>({ schema: v3Schema, registry: client }) },
    })
    track(v3)
    const error = await v3.send({ topic: 'orders', value: { ...(orders[3] as Order), channel: 'web' } }).catch((e) => e)
    expect(SerializationError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('incompatible')
    expect((error as { cause: { code: number } }).cause.code).toBe(409)
  })

  it('an invalid value fails its send with a SerializationError naming the field; nothing is sent', async () => {
    const cluster = await start({ topics: [{ name: 'orders', partitions: 1 }] })
    const registry = await startRegistry()
    const client = new SchemaRegistryClient({ url: registry.url })
    const producer = new Producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { value: avroSerializer<Order>({ schema: orderV1, registry: client }) },
    })
    track(producer)
    const bad = { id: 'o-1', total: 3, items: [{ sku: 'a', quantity: 1 }, { sku: 'b' }] } as unknown as Order
    const error = await producer.send({ topic: 'orders', value: bad }).catch((e) => e)
    expect(SerializationError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain("field 'items[1].quantity' expected int, got undefined")
    await producer.send({ topic: 'orders', value: orders[0] as Order })
    expect(cluster.records('orders')).toHaveLength(1)
  })

  it('registry unavailable: a typed error after retries fails those records; the producer keeps working for other topics', async () => {
    const cluster = await start({ topics: [{ name: 'orders' }, { name: 'payments' }] })
    const registry = await startRegistry()
    const port = Number(new URL(registry.url).port)
    const client = new SchemaRegistryClient({ url: registry.url, retries: 2, retryBackoffMs: 20 })
    const producer = new Producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { key: stringSerializer(), value: avroSerializer<Order>({ schema: orderV1, registry: client }) },
    })
    track(producer)
    await producer.send({ topic: 'orders', key: 'o-0', value: orders[0] as Order }) // orders-value is now cached

    await registry.stop() // connection refused from now on
    const started = Date.now()
    const results = await producer.sendBatch([
      { topic: 'payments', key: 'p-1', value: orders[1] as Order },
      { topic: 'orders', key: 'o-2', value: orders[2] as Order },
      { topic: 'payments', key: 'p-3', value: orders[3] as Order },
      { topic: 'orders', key: 'o-4', value: orders[4] as Order },
    ])
    expect(results.map((r) => r.ok)).toEqual([false, true, false, true])
    const failure = results[0] as { ok: false; error: Error }
    expect(SerializationError.isInstance(failure.error)).toBe(true)
    const cause = (failure.error as Error & { cause: unknown }).cause
    expect(SchemaRegistryConnectionError.isInstance(cause)).toBe(true)
    expect((cause as SchemaRegistryConnectionError).attempts).toBe(3)
    expect((cause as SchemaRegistryConnectionError).retriable).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(40) // two backoffs of about 20 and 40 ms
    expect(cluster.records('orders').map((r) => r.key?.toString())).toEqual(['o-0', 'o-2', 'o-4'])
    expect(cluster.records('payments')).toHaveLength(0)

    // The failure was not cached: once the registry is back, the next record registers and goes.
    await startRegistry({ port })
    await producer.send({ topic: 'payments', key: 'p-5', value: orders[5] as Order })
    expect(cluster.records('payments').map((r) => r.key?.toString())).toEqual(['p-5'])
  })

  it('Protobuf: a Producer typed by protobufSerializer sends; records decode by the registered schema', async () => {
    const cluster = await start({ topics: [{ name: 'orders', partitions: 2 }] })
    const registry = await startRegistry()
    const client = new SchemaRegistryClient({ url: registry.url })
    const root = protobuf.parse(
      `syntax = "proto3";
       package acme;
       message Order { string id = 1; double total = 2; repeated Item items = 3; }
       message Item { string sku = 1; int32 quantity = 2; }`,
      { keepCase: true },
    ).root
    const OrderType = root.lookupType('acme.Order')
    const producer = new Producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { key: stringSerializer(), value: protobufSerializer<Order>({ type: OrderType, registry: client }) },
    })
    track(producer)
    const results = await producer.sendBatch(
      orders.slice(0, 10).map((value) => ({ topic: 'orders', key: value.id, value })),
    )
    expect(results.every((r) => r.ok)).toBe(true)

    const deserialize = protobufDeserializer<Order>({ registry: client, toObject: { defaults: true } })
    const decoded = await Promise.all(cluster.records('orders').map((r) => deserialize(r.value)))
    expect(decoded.sort((a, b) => (a?.total ?? 0) - (b?.total ?? 0))).toEqual(orders.slice(0, 10))
  })
})
