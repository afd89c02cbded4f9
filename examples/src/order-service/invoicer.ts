import { jsonSerializer, Producer, stringSerializer } from '@tributary/core'
import type { SchemaRegistryClient } from '@tributary/schema-registry'
import { avroDeserializer } from '@tributary/serializer-avro'
import { type Consumer, Kafka, logLevel } from 'kafkajs'
import { INVOICES_TOPIC, type Invoice, ORDERS_TOPIC, type Order } from './order.js'

/** Options of `startInvoicer`. */
export interface InvoicerOptions {
  bootstrapBrokers: string[]
  registry: SchemaRegistryClient
  /** The consumer group; default 'invoicing'. */
  groupId?: string
}

/** A running invoicer. */
export interface Invoicer {
  /** Leaves the group (committing what it processed) and closes the producer. */
  stop(): Promise<void>
}

/** The invoice of an order: VAT at 20%, rounded half up. */
export function invoiceFor(order: Order, source: string): Invoice {
  return {
    orderId: order.id,
    customer: order.customer,
    totalCents: order.totalCents,
    vatCents: Math.round(order.totalCents * 0.2),
    source,
  }
}

/**
 * The invoicer: a kafkajs consumer in the group `invoicing` reads `orders` (Avro, writer schemas
 * fetched from the registry by id), and a Tributary producer publishes each order's invoice to
 * `invoices` as JSON, keyed by the order id. kafkajs commits the offsets of what `eachMessage`
 * finished, so a restarted invoicer goes on where it stopped.
 */
export async function startInvoicer(options: InvoicerOptions): Promise<Invoicer> {
  const readOrder = avroDeserializer<Order>({ registry: options.registry })
  const producer = new Producer<string, Invoice>({
    clientId: 'invoicer',
    bootstrapBrokers: options.bootstrapBrokers,
    serializers: { key: stringSerializer(), value: jsonSerializer<Invoice>() },
  })
  const kafka = new Kafka({ clientId: 'invoicer', brokers: options.bootstrapBrokers, logLevel: logLevel.NOTHING })
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId ?? 'invoicing',
    heartbeatInterval: 500,
    maxWaitTimeInMs: 200,
  })
  try {
    await consumer.connect()
    await consumer.subscribe({ topic: ORDERS_TOPIC, fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const order = await readOrder(message.value)
        if (order === null) return // a tombstone: nothing to invoice
        const invoice = invoiceFor(order, `${partition}@${message.offset}`)
        await producer.send({ topic: INVOICES_TOPIC, key: invoice.orderId, value: invoice })
      },
    })
  } catch (error) {
    await Promise.allSettled([consumer.disconnect(), producer.close()])
    throw error
  }
  return {
    async stop() {
      await consumer.disconnect()
      await producer.close()
    },
  }
}
