import { SerializationError, stringSerializer } from '@tributary/core'
import { avroDeserializer, avroSerializer } from '@tributary/serializer-avro'
import { MockProducer } from '@tributary/testing'
import { describe, expect, it } from 'vitest'
import { ORDER_SCHEMA, type Order } from '../../src/order-service/order.js'
import { InvalidOrderError, OrderService } from '../../src/order-service/order-service.js'

// Unit tests of the order service: a MockProducer (no sockets) with the same kind of serializers as
// production (Avro; plain here, as no registry is needed to see what the service sends), so a value
// the schema refuses fails here as it would in production.

function setup(options: { autoComplete?: boolean } = {}) {
  const producer = new MockProducer<string, Order>({
    serializers: { key: stringSerializer(), value: avroSerializer<Order>({ schema: ORDER_SCHEMA }) },
    topics: { orders: 3 },
    ...options,
  })
  let n = 0
  const service = new OrderService(producer, { newId: () => `o-${++n}`, now: () => 1_700_000_000_000 })
  return { producer, service }
}

const tea = { sku: 'tea', quantity: 2, unitPriceCents: 450 }

describe('OrderService (with a MockProducer)', () => {
  it('publishes the priced order to orders, keyed by its id, as Avro', async () => {
    const { producer, service } = setup()
    const placed = await service.placeOrder({
      customer: 'ada',
      lines: [tea, { sku: 'scone', quantity: 1, unitPriceCents: 325 }],
    })
    expect(placed.order).toEqual({
      id: 'o-1',
      customer: 'ada',
      lines: [tea, { sku: 'scone', quantity: 1, unitPriceCents: 325 }],
      totalCents: 1225,
      placedAt: 1_700_000_000_000,
    })
    const [sent] = producer.history()
    expect(sent?.topic).toBe('orders')
    expect(sent?.key?.toString()).toBe('o-1')
    // The partition the default (Java-compatible) partitioner chose for the key, and the offset.
    expect([sent?.partition, sent?.offset]).toEqual([placed.partition, placed.offset])
    const readOrder = avroDeserializer<Order>({ schema: ORDER_SCHEMA })
    expect(await readOrder(sent?.value)).toEqual(placed.order)
  })

  it('keeps every order of one id on one partition', async () => {
    const { producer } = setup()
    for (const id of ['a', 'b', 'a', 'c', 'a']) {
      await new OrderService(producer, { newId: () => id }).placeOrder({ customer: 'ada', lines: [tea] })
    }
    const byId = new Map<string, Set<number>>()
    for (const sent of producer.history()) {
      const key = sent.key?.toString() as string
      byId.set(key, (byId.get(key) ?? new Set()).add(sent.partition))
    }
    expect([...byId.values()].map((partitions) => partitions.size)).toEqual([1, 1, 1])
  })

  it('refuses a nonsensical order before sending anything', async () => {
    const { producer, service } = setup()
    await expect(service.placeOrder({ customer: ' ', lines: [tea] })).rejects.toThrow(InvalidOrderError)
    await expect(service.placeOrder({ customer: 'ada', lines: [] })).rejects.toThrow('at least one line')
    await expect(service.placeOrder({ customer: 'ada', lines: [{ ...tea, quantity: 0 }] })).rejects.toThrow(
      'quantity must be a positive integer',
    )
    expect(producer.history()).toEqual([])
  })

  it('fails as production would when the schema refuses the value (a price that is not an int)', async () => {
    const { producer, service } = setup()
    const error = await service
      .placeOrder({ customer: 'ada', lines: [{ ...tea, unitPriceCents: 4.5 }] })
      .catch((e) => e)
    expect(error).toBeInstanceOf(SerializationError)
    expect(String(error.cause?.message ?? error.message)).toContain('unitPriceCents')
    expect(producer.history()).toEqual([])
  })

  it('resolves only when the broker acknowledges, and surfaces a failed send', async () => {
    const { producer, service } = setup({ autoComplete: false })
    let settled = false
    const first = service.placeOrder({ customer: 'ada', lines: [tea] }).finally(() => {
      settled = true
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(settled).toBe(false)
    expect(producer.completeNext()).toBe(true)
    expect((await first).order.id).toBe('o-1')

    const second = service.placeOrder({ customer: 'grace', lines: [tea] })
    await new Promise((resolve) => setImmediate(resolve))
    expect(producer.errorNext(new Error('broker down'))).toBe(true)
    await expect(second).rejects.toThrow('broker down')
  })
})
