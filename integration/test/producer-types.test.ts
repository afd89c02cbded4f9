import {
  jsonSerializer,
  Producer,
  type ProducerRecord,
  type RecordMetadata,
  type SendCallback,
  type SendResult,
  stringSerializer,
} from '@tributary/core'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expectTypeOf, it } from 'vitest'

// Type-level tests: `npm run typecheck` (tsc over integration/) checks every expectTypeOf below and
// that each line after a `@ts-expect-error` really is an error; at run time they only construct
// producers, which connect lazily and so never touch the network. Calls that would send are inside
// `typeOnly` callbacks, which are type-checked but never run.

interface Order {
  id: string
  total: number
}

const bootstrapBrokers = ['127.0.0.1:9']

/** Type-checks `body` without running it. */
function typeOnly(_body: () => unknown): void {}

describe('Producer types', () => {
  const { track } = useHarness({ closeTimeoutMs: 1000 })

  it('infers the key and value types from the serializers, so send requires a string key and an Order value', () => {
    const producer = track(
      new Producer({ bootstrapBrokers, serializers: { key: stringSerializer(), value: jsonSerializer<Order>() } }),
    )
    type Sent = Parameters<typeof producer.send>[0]
    expectTypeOf<Sent['value']>().toEqualTypeOf<Order>()
    expectTypeOf<Sent['key']>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf<Sent>().toEqualTypeOf<
      ProducerRecord<string | null | undefined, Order, string, Buffer | string | null>
    >()

    typeOnly(() => {
      void producer.send({ topic: 'orders', key: 'o-1', value: { id: 'o-1', total: 12 } })
      void producer.send({ topic: 'orders', value: { id: 'o-2', total: 30 }, headers: { source: 'web' } })
      // @ts-expect-error the value must be an Order, not a string
      void producer.send({ topic: 'orders', key: 'o-1', value: 'not an order' })
      // @ts-expect-error the value must be a whole Order
      void producer.send({ topic: 'orders', key: 'o-1', value: { id: 'o-1' } })
      // @ts-expect-error the value is required
      void producer.send({ topic: 'orders', key: 'o-1' })
      // @ts-expect-error the key must be a string
      void producer.send({ topic: 'orders', key: 42, value: { id: 'o-1', total: 12 } })
      // @ts-expect-error a Buffer key needs a Buffer key serializer
      void producer.send({ topic: 'orders', key: Buffer.from('o-1'), value: { id: 'o-1', total: 12 } })
      // @ts-expect-error the topic is required
      void producer.send({ key: 'o-1', value: { id: 'o-1', total: 12 } })
      void producer.sendBatch([
        { topic: 'orders', value: { id: 'o-1', total: 1 } },
        // @ts-expect-error every record of a batch must have an Order value
        { topic: 'orders', value: 7 },
      ])
    })
  })

  it('takes explicit type parameters as in the design, new Producer<string, Order>(...)', () => {
    const producer = track(
      new Producer<string, Order>({
        bootstrapBrokers,
        serializers: { key: stringSerializer(), value: jsonSerializer<Order>() },
      }),
    )
    expectTypeOf(producer).toEqualTypeOf<Producer<string, Order, string, Buffer | string | null>>()
    typeOnly(() => {
      // @ts-expect-error the value must be an Order
      void producer.send({ topic: 'orders', key: 'o-1', value: { total: 'twelve' } })
    })
  })

  it('infers the value type from an async serializer', () => {
    const producer = track(
      new Producer({
        bootstrapBrokers,
        serializers: { value: async (n: number) => Buffer.from(String(n)) },
      }),
    )
    expectTypeOf<Parameters<typeof producer.send>[0]['value']>().toEqualTypeOf<number>()
    typeOnly(() => {
      void producer.send({ topic: 't', value: 1 })
      // @ts-expect-error the value must be a number
      void producer.send({ topic: 't', value: '1' })
    })
  })

  it('accepts Buffer, string or null keys and values without serializers', () => {
    const producer = track(new Producer({ bootstrapBrokers }))
    expectTypeOf(producer).toEqualTypeOf<Producer<Buffer | string | null, Buffer | string | null>>()
    type Sent = Parameters<typeof producer.send>[0]
    expectTypeOf<Sent['key']>().toEqualTypeOf<Buffer | string | null | undefined>()
    expectTypeOf<Sent['value']>().toEqualTypeOf<Buffer | string | null>()

    typeOnly(() => {
      void producer.send({ topic: 't', key: 'k', value: 'v' })
      void producer.send({ topic: 't', key: Buffer.from('k'), value: Buffer.from([0, 1]) })
      void producer.send({ topic: 't', key: null, value: null })
      void producer.send({ topic: 't', value: 'no key', partition: 2, timestamp: 1_700_000_000_000 })
      void producer.send({ topic: 't', value: 'v', timestamp: 1_700_000_000_000n })
      void producer.send({ topic: 't', value: 'v', timestamp: new Date() })
      // Headers as an object, a Map, or pairs with repeated keys and null values.
      void producer.send({ topic: 't', value: 'v', headers: { a: 'x', b: Buffer.from('y'), c: null } })
      void producer.send({ topic: 't', value: 'v', headers: new Map([['a', 'x']]) })
      void producer.send({
        topic: 't',
        value: 'v',
        headers: [
          ['dup', '1'],
          ['dup', null],
        ],
      })
      // @ts-expect-error a number is not a value without a serializer
      void producer.send({ topic: 't', value: 42 })
      // @ts-expect-error an object is not a value without a serializer
      void producer.send({ topic: 't', value: { id: 1 } })
      // @ts-expect-error a number is not a key without a serializer
      void producer.send({ topic: 't', key: 1, value: 'v' })
      // @ts-expect-error header values are Buffer, string or null
      void producer.send({ topic: 't', value: 'v', headers: { n: 1 } })
      // @ts-expect-error the partition is a number
      void producer.send({ topic: 't', value: 'v', partition: '1' })
    })
  })

  it('returns a promise of RecordMetadata from send, and nothing when given a callback', () => {
    const producer = track(new Producer({ bootstrapBrokers }))
    typeOnly(() => {
      expectTypeOf(producer.send({ topic: 't', value: 'v' })).toEqualTypeOf<Promise<RecordMetadata>>()
      expectTypeOf(producer.send({ topic: 't', value: 'v' }, { timeoutMs: 500 })).toEqualTypeOf<
        Promise<RecordMetadata>
      >()
      const callback: SendCallback = (error, meta) => {
        expectTypeOf(error).toEqualTypeOf<Error | null>()
        expectTypeOf(meta).toEqualTypeOf<RecordMetadata | undefined>()
      }
      expectTypeOf(producer.send({ topic: 't', value: 'v' }, callback)).toEqualTypeOf<void>()
      expectTypeOf(producer.send({ topic: 't', value: 'v' }, { timeoutMs: 500 }, callback)).toEqualTypeOf<void>()
      // @ts-expect-error timeoutMs is a number
      void producer.send({ topic: 't', value: 'v' }, { timeoutMs: '500' })
    })
  })

  it('resolves sendBatch with SendResult[]: meta when ok, error when not', () => {
    const producer = track(new Producer({ bootstrapBrokers }))
    expectTypeOf(producer.sendBatch).returns.toEqualTypeOf<Promise<SendResult[]>>()
    typeOnly(async () => {
      const results = await producer.sendBatch([{ topic: 't', value: 'a' }], { timeoutMs: 1000 })
      expectTypeOf(results).toEqualTypeOf<SendResult[]>()
      for (const result of results) {
        if (result.ok) {
          expectTypeOf(result.meta).toEqualTypeOf<RecordMetadata>()
          // @ts-expect-error a successful result has no error
          void result.error
        } else {
          expectTypeOf(result.error).toEqualTypeOf<Error>()
          // @ts-expect-error a failed result has no meta
          void result.meta
        }
      }
    })
  })

  it('types offsets and timestamps of RecordMetadata as bigint', () => {
    expectTypeOf<RecordMetadata>().toEqualTypeOf<{
      topic: string
      partition: number
      offset: bigint
      timestamp: bigint
    }>()
    expectTypeOf<RecordMetadata['offset']>().toEqualTypeOf<bigint>()
    expectTypeOf<RecordMetadata['timestamp']>().toEqualTypeOf<bigint>()
    expectTypeOf<RecordMetadata['offset']>().not.toEqualTypeOf<number>()
  })

  it('types connect, flush and close, and the producer identity', () => {
    const producer = track(new Producer({ bootstrapBrokers }))
    expectTypeOf(producer.connect).returns.toEqualTypeOf<Promise<{ producerId: bigint; producerEpoch: number }>>()
    expectTypeOf(producer.flush).returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf(producer.close).parameter(0).toEqualTypeOf<{ timeoutMs?: number } | undefined>()
    expectTypeOf(producer.producerId).toEqualTypeOf<bigint>()
    expectTypeOf(producer.producerEpoch).toEqualTypeOf<number>()
  })

  it('rejects unknown or mistyped options at compile time', () => {
    typeOnly(() => {
      // @ts-expect-error bootstrapBrokers is required
      new Producer({})
      // @ts-expect-error acks is 'all', -1, 0 or 1
      new Producer({ bootstrapBrokers, acks: 2 })
      // @ts-expect-error compression is 'none', 'gzip' or a Codec object
      new Producer({ bootstrapBrokers, compression: 'brotli' })
      // @ts-expect-error lingerMs is a number
      new Producer({ bootstrapBrokers, lingerMs: '5' })
      // @ts-expect-error an unknown option
      new Producer({ bootstrapBrokers, lingerMS: 5 })
    })
  })
})
