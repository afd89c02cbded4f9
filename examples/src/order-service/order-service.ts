import { randomUUID } from 'node:crypto'
import { Producer, type ProducerLike, stringSerializer } from '@tributary/core'
import type { SchemaRegistryClient } from '@tributary/schema-registry'
import { avroSerializer } from '@tributary/serializer-avro'
import { ORDER_SCHEMA, ORDERS_TOPIC, type Order, type OrderLine } from './order.js'

/** What a caller asks for: the service prices it, gives it an id and publishes it. */
export interface PlaceOrder {
  customer: string
  lines: OrderLine[]
}

/** Where an order was published. */
export interface PlacedOrder {
  order: Order
  partition: number
  offset: bigint
}

/** Refused before anything is sent: the order makes no sense. */
export class InvalidOrderError extends Error {
  override readonly name = 'InvalidOrderError'
}

/**
 * The order service: validates an order, prices it and publishes it to `orders`, keyed by its id
 * (so every event of one order lands on one partition). It takes any `ProducerLike`: Tributary's
 * `Producer` in production, `MockProducer` in unit tests.
 */
export class OrderService {
  constructor(
    private readonly producer: ProducerLike<string, Order>,
    private readonly options: { newId?: () => string; now?: () => number } = {},
  ) {}

  async placeOrder(request: PlaceOrder): Promise<PlacedOrder> {
    if (request.customer.trim() === '') throw new InvalidOrderError('an order needs a customer')
    if (request.lines.length === 0) throw new InvalidOrderError('an order needs at least one line')
    for (const line of request.lines) {
      if (!Number.isInteger(line.quantity) || line.quantity < 1) {
        throw new InvalidOrderError(`line ${line.sku}: quantity must be a positive integer, got ${line.quantity}`)
      }
    }
    const order: Order = {
      id: (this.options.newId ?? randomUUID)(),
      customer: request.customer,
      lines: request.lines,
      totalCents: request.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
      placedAt: (this.options.now ?? Date.now)(),
    }
    const meta = await this.producer.send({ topic: ORDERS_TOPIC, key: order.id, value: order })
    return { order, partition: meta.partition, offset: meta.offset }
  }
}

/** The serializers the service's producer uses: string keys, Avro values in the Confluent wire format. */
export function orderSerializers(registry: SchemaRegistryClient) {
  return { key: stringSerializer(), value: avroSerializer<Order>({ schema: ORDER_SCHEMA, registry }) }
}

/** The production producer: idempotent (the default), values registered and written as Avro. */
export function orderProducer(bootstrapBrokers: string[], registry: SchemaRegistryClient): Producer<string, Order> {
  return new Producer<string, Order>({
    clientId: 'order-service',
    bootstrapBrokers,
    serializers: orderSerializers(registry),
  })
}
