import { Producer, type ProducerRecord, stringSerializer } from '@tributary/core'
import { SchemaRegistryClient } from '@tributary/schema-registry'
import { type AvroSerializer, avroDeserializer, avroSerializer } from '@tributary/serializer-avro'
import { protobufSerializer } from '@tributary/serializer-protobuf'
import { useHarness } from '@tributary/test-support/harness'
import protobuf from 'protobufjs'
import { describe, expectTypeOf, it } from 'vitest'

// Type-level tests: `npm run typecheck` (tsc over integration/) checks every expectTypeOf below and
// that each line after a `@ts-expect-error` really is an error. At run time they only construct
// producers and serializers, which touch no network; calls that would send are inside `typeOnly`.

interface Order {
  id: string
  total: number
}

const orderSchema = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
  ],
}

const bootstrapBrokers = ['127.0.0.1:9']
const registry = new SchemaRegistryClient({ url: 'http://127.0.0.1:9' })

/** Type-checks `body` without running it. */
function typeOnly(_body: () => unknown): void {}

describe('Producer types with schema serializers', () => {
  const { track } = useHarness({ closeTimeoutMs: 1000 })

  it('new Producer({ serializers: { value: avroSerializer<Order>(...) } }) makes send require an Order value (or a tombstone)', () => {
    const producer = new Producer({
      bootstrapBrokers,
      serializers: { value: avroSerializer<Order>({ schema: orderSchema, registry }) },
    })
    track(producer)
    type Sent = Parameters<typeof producer.send>[0]
    // A schema serializer takes null as a tombstone (a delete), as stringSerializer does, so the value
    // type the producer infers is `Order | null` without the user writing `avroSerializer<Order | null>`.
    expectTypeOf<Sent['value']>().toEqualTypeOf<Order | null>()
    expectTypeOf(avroSerializer<Order>({ schema: orderSchema })).toEqualTypeOf<AvroSerializer<Order>>()
    // The producer's own type parameters stay what the user wrote: a tombstone-accepting serializer
    // fits a Producer<string, Order>, which then refuses null.
    const strict = new Producer<string, Order>({
      bootstrapBrokers,
      serializers: { key: stringSerializer(), value: avroSerializer<Order>({ schema: orderSchema, registry }) },
    })
    track(strict)
    expectTypeOf<Parameters<typeof strict.send>[0]['value']>().toEqualTypeOf<Order>()

    typeOnly(() => {
      void producer.send({ topic: 'orders', value: { id: 'o-1', total: 12 } })
      // a tombstone
      void producer.send({ topic: 'orders', key: undefined, value: null })
      // @ts-expect-error Producer<string, Order> was asked for without tombstones
      void strict.send({ topic: 'orders', value: null })
      // @ts-expect-error the value must be an Order, not a string
      void producer.send({ topic: 'orders', value: 'not an order' })
      // @ts-expect-error the value must be a whole Order (total is missing)
      void producer.send({ topic: 'orders', value: { id: 'o-1' } })
      // @ts-expect-error total must be a number
      void producer.send({ topic: 'orders', value: { id: 'o-1', total: '12' } })
      // @ts-expect-error the value is required
      void producer.send({ topic: 'orders' })
      void producer.sendBatch([
        { topic: 'orders', value: { id: 'o-1', total: 1 } },
        // @ts-expect-error every record of a batch must have an Order value
        { topic: 'orders', value: { total: 1 } },
      ])
    })
  })

  it('an Avro key serializer types the key the same way', () => {
    const producer = new Producer({
      bootstrapBrokers,
      serializers: {
        key: avroSerializer<string>({ schema: 'string', registry }),
        value: avroSerializer<Order>({ schema: orderSchema, registry }),
      },
    })
    track(producer)
    expectTypeOf<Parameters<typeof producer.send>[0]>().toEqualTypeOf<
      ProducerRecord<string | null, Order | null, string, Buffer | string | null>
    >()
    typeOnly(() => {
      void producer.send({ topic: 'orders', key: 'o-1', value: { id: 'o-1', total: 12 } })
      // @ts-expect-error the key must be a string
      void producer.send({ topic: 'orders', key: 1, value: { id: 'o-1', total: 12 } })
    })
  })

  it('protobufSerializer<T> types the value, stringSerializer the key', () => {
    const Order = protobuf.Type.fromJSON('Order', {
      fields: { id: { type: 'string', id: 1 }, total: { type: 'double', id: 2 } },
    })
    const producer = new Producer({
      bootstrapBrokers,
      serializers: { key: stringSerializer(), value: protobufSerializer<Order>({ type: Order }) },
    })
    track(producer)
    expectTypeOf<Parameters<typeof producer.send>[0]['value']>().toEqualTypeOf<Order | null>()
    typeOnly(() => {
      void producer.send({ topic: 'orders', key: 'o-1', value: { id: 'o-1', total: 1 } })
      void producer.send({ topic: 'orders', key: 'o-1', value: null })
      // @ts-expect-error the value must be an Order
      void producer.send({ topic: 'orders', key: 'o-1', value: { id: 1 } })
    })
  })

  it('avroDeserializer<T> resolves to T or null', () => {
    const deserialize = avroDeserializer<Order>({ schema: orderSchema })
    expectTypeOf(deserialize).returns.resolves.toEqualTypeOf<Order | null>()
  })
})
