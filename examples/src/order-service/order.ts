// The order-service example's data: an order (Avro, through the schema registry) and the invoice the
// invoicer makes of it (JSON).

/** One line of an order. */
export interface OrderLine {
  sku: string
  quantity: number
  /** Price of one unit, in cents. */
  unitPriceCents: number
}

/** An order as the service publishes it to the `orders` topic (key: its id). */
export interface Order {
  id: string
  customer: string
  lines: OrderLine[]
  totalCents: number
  /** Milliseconds since the epoch. */
  placedAt: number
}

/** The Avro schema of `Order`, registered under `orders-value` by the producer's serializer. */
export const ORDER_SCHEMA = {
  type: 'record',
  name: 'Order',
  namespace: 'com.example.shop',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'customer', type: 'string' },
    {
      name: 'lines',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'OrderLine',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'quantity', type: 'int' },
            { name: 'unitPriceCents', type: 'int' },
          ],
        },
      },
    },
    { name: 'totalCents', type: 'int' },
    { name: 'placedAt', type: 'long' },
  ],
}

/** An invoice as the invoicer publishes it to the `invoices` topic (key: the order id), as JSON. */
export interface Invoice {
  orderId: string
  customer: string
  totalCents: number
  /** VAT at 20%, in cents, rounded half up. */
  vatCents: number
  /** Which record of `orders` it was made from, `partition@offset`. */
  source: string
}

export const ORDERS_TOPIC = 'orders'
export const INVOICES_TOPIC = 'invoices'
