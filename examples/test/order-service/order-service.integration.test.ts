import { Producer, stringSerializer } from '@tributary/core'
import { SchemaRegistryClient } from '@tributary/schema-registry'
import { avroDeserializer, avroSerializer } from '@tributary/serializer-avro'
import { jsonDeserializer, stringDeserializer } from '@tributary/testing'
import { mockClusterTest, useMockCluster } from '@tributary/testing/vitest'
import { describe, expect, it } from 'vitest'
import { startInvoicer } from '../../src/order-service/invoicer.js'
import { INVOICES_TOPIC, type Invoice, ORDER_SCHEMA, ORDERS_TOPIC, type Order } from '../../src/order-service/order.js'
import { OrderService, orderProducer } from '../../src/order-service/order-service.js'

// The order service and the invoicer together on a mock cluster and a mock schema registry: the
// service's Tributary producer writes Avro through the registry, the invoicer's kafkajs consumer
// group reads it and writes JSON invoices. Tests wait for records (no polling, no sleeps) and
// assert on decoded objects; a failing test prints the cluster's requests and last records.

const topics = [
  { name: ORDERS_TOPIC, partitions: 3 },
  { name: INVOICES_TOPIC, partitions: 3 },
]
const tea = { sku: 'tea', quantity: 2, unitPriceCents: 450 }
/** Generous: a hang detector, not a speed check (the consumer group's first join takes a moment). */
const timeoutMs = 20_000
const invoiceDeserializers = { key: stringDeserializer(), value: jsonDeserializer<Invoice>() }

describe('order service and invoicer (one cluster for the file, cleared after each test)', () => {
  const kafka = useMockCluster({ scope: 'file', registry: true, cluster: { brokers: 3, topics, logger: false } })

  async function startServices() {
    const registry = new SchemaRegistryClient({ url: kafka.registry.url })
    const invoicer = await startInvoicer({ bootstrapBrokers: kafka.bootstrapBrokers, registry })
    kafka.defer(() => invoicer.stop())
    const producer = orderProducer(kafka.bootstrapBrokers, registry)
    kafka.defer(() => producer.close())
    return { service: new OrderService(producer), registry, invoicer }
  }

  it('publishes orders as Avro through the registry, and the invoicer invoices each one', async () => {
    const { service, registry } = await startServices()
    const ada = await service.placeOrder({ customer: 'ada', lines: [tea] })
    const grace = await service.placeOrder({ customer: 'grace', lines: [tea, { ...tea, sku: 'cake', quantity: 1 }] })

    // The orders as the producer wrote them (Confluent wire format), read back as objects.
    const orders = await kafka.cluster.decodedRecords(ORDERS_TOPIC, {
      deserializers: { key: stringDeserializer(), value: avroDeserializer<Order>({ registry }) },
    })
    expect(orders.map((r) => [r.key, r.value, r.partition, r.offset])).toEqual(
      expect.arrayContaining([
        [ada.order.id, ada.order, ada.partition, ada.offset],
        [grace.order.id, grace.order, grace.partition, grace.offset],
      ]),
    )
    expect(kafka.registry.subjects()).toEqual(['orders-value'])

    const invoices = await kafka.cluster.waitForRecords(INVOICES_TOPIC, {
      count: 2,
      timeoutMs,
      deserializers: invoiceDeserializers,
    })
    const byCustomer = Object.fromEntries(invoices.map((r) => [r.value?.customer, r]))
    expect(byCustomer.ada?.key).toBe(ada.order.id)
    expect(byCustomer.ada?.value).toEqual({
      orderId: ada.order.id,
      customer: 'ada',
      totalCents: 900,
      vatCents: 180,
      source: `${ada.partition}@${ada.offset}`,
    })
    expect(byCustomer.grace?.value).toMatchObject({ totalCents: 1350, vatCents: 270 })
  })

  it('commits what it processed: a restarted invoicer does not invoice an order twice', async () => {
    // The records of the test before are gone (cleared); the group's committed offsets moved with them.
    expect(kafka.cluster.records(ORDERS_TOPIC)).toEqual([])
    const first = await startServices()
    const ada = await first.service.placeOrder({ customer: 'ada', lines: [tea] })
    await kafka.cluster.waitForRecords(INVOICES_TOPIC, { count: 1, timeoutMs })
    await first.invoicer.stop() // leaves the group, committing
    const lag = [...kafka.cluster.lag('invoicing').values()]
    expect(lag.every((l) => l === 0n)).toBe(true)

    const second = await startServices()
    const grace = await second.service.placeOrder({ customer: 'grace', lines: [tea] })
    const invoices = await kafka.cluster.waitForRecords(INVOICES_TOPIC, {
      count: 2,
      timeoutMs,
      deserializers: invoiceDeserializers,
    })
    await second.invoicer.stop() // finishes what it fetched: a duplicate would be there by now
    const all = await kafka.cluster.decodedRecords(INVOICES_TOPIC, { deserializers: invoiceDeserializers })
    expect(all.map((r) => r.key).sort()).toEqual([ada.order.id, grace.order.id].sort())
    expect(invoices).toHaveLength(2)
  })
})

describe('invoicer (a cluster per test, from the mockClusterTest fixture)', () => {
  const test = mockClusterTest({ registry: true, cluster: { topics, logger: false } })

  test('skips a tombstone (a null order) and invoices the next order', async ({ kafka, cluster, registry }) => {
    const client = new SchemaRegistryClient({ url: registry.url })
    const invoicer = await startInvoicer({ bootstrapBrokers: cluster.bootstrapBrokers, registry: client })
    kafka.defer(() => invoicer.stop())
    // A raw producer with the service's serializers: null is a tombstone for order o-0.
    const producer = new Producer<string, Order | null>({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: {
        key: stringSerializer(),
        value: avroSerializer<Order | null>({ schema: ORDER_SCHEMA, registry: client }),
      },
    })
    kafka.defer(() => producer.close())
    await producer.send({ topic: ORDERS_TOPIC, key: 'o-0', value: null, partition: 0 })
    const placed = await new OrderService(producer, { newId: () => 'o-1' }).placeOrder({
      customer: 'ada',
      lines: [tea],
    })
    expect(placed.partition).toBeGreaterThanOrEqual(0)

    const [invoice, ...more] = await cluster.waitForRecords(INVOICES_TOPIC, {
      count: 1,
      timeoutMs,
      deserializers: invoiceDeserializers,
    })
    expect(more).toEqual([])
    expect(invoice?.value?.orderId).toBe('o-1')
    // The tombstone is in orders, read back as null.
    const orders = await cluster.decodedRecords(ORDERS_TOPIC, {
      partition: 0,
      deserializers: { key: stringDeserializer() },
    })
    expect(orders.find((r) => r.key === 'o-0')?.value).toBeNull()
  })
})
