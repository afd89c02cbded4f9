// Data that several test suites share.

/** An order, as the schema serializer tests send it. */
export interface Order {
  id: string
  total: number
  items: Array<{ sku: string; quantity: number }>
}

/** The Avro schema of `Order`: record com.acme.Order with an array of Item records. */
export const orderAvroSchema = {
  type: 'record',
  name: 'Order',
  namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
    {
      name: 'items',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Item',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'quantity', type: 'int' },
          ],
        },
      },
    },
  ],
}
