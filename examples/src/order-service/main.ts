import { SchemaRegistryClient } from '@tributary/schema-registry'
import { jsonDeserializer, MockCluster, MockSchemaRegistry, stringDeserializer } from '@tributary/testing'
import { startInvoicer } from './invoicer.js'
import { INVOICES_TOPIC, type Invoice, ORDERS_TOPIC } from './order.js'
import { OrderService, orderProducer } from './order-service.js'

// The order service end to end, on an embedded mock cluster and schema registry: three orders placed
// with the service's Tributary producer (Avro through the registry), invoiced by the kafkajs
// consumer group, and the invoices read back as objects.
//
//   npm run order-service -w @tributary/examples

const cluster = await MockCluster.start({
  brokers: 3,
  topics: [
    { name: ORDERS_TOPIC, partitions: 3 },
    { name: INVOICES_TOPIC, partitions: 3 },
  ],
})
const registry = await MockSchemaRegistry.start()
try {
  const client = new SchemaRegistryClient({ url: registry.url })
  const invoicer = await startInvoicer({ bootstrapBrokers: cluster.bootstrapBrokers, registry: client })
  const producer = orderProducer(cluster.bootstrapBrokers, client)
  const service = new OrderService(producer)
  for (const customer of ['ada', 'grace', 'edsger']) {
    const placed = await service.placeOrder({
      customer,
      lines: [
        { sku: 'tea', quantity: 2, unitPriceCents: 450 },
        { sku: 'scone', quantity: 1, unitPriceCents: 325 },
      ],
    })
    console.log(`placed ${placed.order.id} for ${customer}: orders-${placed.partition}@${placed.offset}`)
  }
  const invoices = await cluster.waitForRecords(INVOICES_TOPIC, {
    count: 3,
    timeoutMs: 30_000,
    deserializers: { key: stringDeserializer(), value: jsonDeserializer<Invoice>() },
  })
  for (const { value } of invoices) {
    console.log(
      `invoice for ${value?.customer}: ${value?.totalCents} + VAT ${value?.vatCents} (from orders-${value?.source})`,
    )
  }
  await producer.close()
  await invoicer.stop() // leaving the group commits what it processed
  console.log('committed by the invoicing group:', cluster.committedOffsets('invoicing'))
} finally {
  await registry.stop()
  await cluster.stop()
}
