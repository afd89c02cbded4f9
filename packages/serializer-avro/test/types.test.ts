// Types inferred from Avro schema literals: proved by the compiler (expectTypeOf, @ts-expect-error;
// `npx tsc -p packages/serializer-avro/tsconfig.json` fails on a wrong one) and checked at run time.
import { Buffer } from 'node:buffer'
import { Producer } from '@tributary/core'
import { type AvroValue, avroDeserializer, avroSerializer } from '@tributary/serializer-avro'
import avro from 'avsc'
import { describe, expect, expectTypeOf, it } from 'vitest'

const value = { topic: 'orders', part: 'value' } as const

const orderSchema = {
  type: 'record',
  name: 'Order',
  namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
    { name: 'quantity', type: { type: 'int' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
    {
      name: 'items',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Item',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'price', type: 'double' },
          ],
        },
      },
    },
    { name: 'gift', type: ['null', 'com.acme.Item'], default: null },
    { name: 'tags', type: { type: 'map', values: 'string' } },
    { name: 'coupon', type: ['null', 'string'], default: null },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    { name: 'blob', type: 'bytes' },
    { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
    { name: 'ref', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'currency', type: 'string', default: 'EUR' },
  ],
} as const

interface Item {
  sku: string
  price: number
}
/** What a deserializer returns: every field. */
interface OrderRead {
  id: string
  total: number
  quantity: number
  status: 'NEW' | 'PAID'
  items: Item[]
  gift: Item | null
  tags: Record<string, string>
  coupon: string | null
  hash: Buffer
  blob: Buffer
  placedAt: number
  amount: Buffer
  ref: string
  currency: string
}

const order: OrderRead = {
  id: 'o-1',
  total: 12.5,
  quantity: 2,
  status: 'PAID',
  items: [{ sku: 'A', price: 12.5 }],
  gift: null,
  tags: { channel: 'web' },
  coupon: null,
  hash: Buffer.from([1, 2, 3, 4]),
  blob: Buffer.from('x'),
  placedAt: 1_700_000_000_000,
  amount: Buffer.from([4, 0xd2]),
  ref: '2f1d5c1e-0000-4000-8000-000000000000',
  currency: 'EUR',
}

class DateType extends avro.types.LogicalType {
  override _fromValue(millis: number): Date {
    return new Date(millis)
  }
  override _toValue(date: unknown): number | undefined {
    return date instanceof Date ? +date : undefined
  }
  override _resolve(type: avro.Type) {
    return avro.Type.isType(type, 'long', 'logical:timestamp-millis') ? this._fromValue.bind(this) : undefined
  }
}

describe('types inferred from Avro schema literals', () => {
  it('records, nested and named records, enums, arrays, maps, unions with null, fixed, bytes, logical types', async () => {
    const serialize = avroSerializer({ schema: orderSchema })
    const read = avroDeserializer({ schema: orderSchema })
    expectTypeOf<Awaited<ReturnType<typeof read>>>().toEqualTypeOf<OrderRead | null>()
    // Reading returns every field; writing may leave out fields with a default, and take readonly arrays.
    expectTypeOf<OrderRead | null>().toExtend<Parameters<typeof serialize>[0]>()
    const { coupon: _c, currency: _cu, gift: _g, ...withoutDefaults } = order
    expectTypeOf(withoutDefaults).toExtend<Parameters<typeof serialize>[0]>()
    const bytes = serialize(withoutDefaults, value) as Buffer
    expect(await read(bytes)).toStrictEqual(order)

    // @ts-expect-error: status is an enum
    expect(() => serialize({ ...order, status: 'LOST' }, value)).toThrow("field 'status' expected enum com.acme.Status")
    // @ts-expect-error: a field without a default is missing
    expect(() => serialize({ ...withoutDefaults, id: undefined }, value)).toThrow("field 'id' expected string")
    // @ts-expect-error: wrong type in a nested record
    expect(() => serialize({ ...order, items: [{ sku: 'A', price: '1' }] }, value)).toThrow(
      "field 'items[0].price' expected double",
    )
    // @ts-expect-error: not a record
    expect(() => serialize({ wrong: true }, value)).toThrow()
  })

  it('a null value (a tombstone) without widening the type', () => {
    const serialize = avroSerializer({ schema: orderSchema })
    expect(serialize(null, value)).toBeNull()
    const explicit = avroSerializer<OrderRead>({ schema: orderSchema })
    expectTypeOf(explicit).parameter(0).toEqualTypeOf<OrderRead | null>()
    expect(explicit(null, value)).toBeNull()
    // the producer's value type takes the tombstone too
    const producer = new Producer({ bootstrapBrokers: ['127.0.0.1:1'], serializers: { value: explicit } })
    const typed = async (): Promise<void> => {
      await producer.send({ topic: 'orders', value: null })
      await producer.send({ topic: 'orders', value: order })
      // @ts-expect-error: not an order
      await producer.send({ topic: 'orders', value: { wrong: true } })
    }
    expectTypeOf(typed).toBeFunction()
    void producer.close()
  })

  it('logical types read as Date only when an implementation is configured', async () => {
    const schema = {
      type: 'record',
      name: 'Event',
      fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }],
    } as const
    expectTypeOf<AvroValue<typeof schema>>().toEqualTypeOf<{ at: number }>()
    const serialize = avroSerializer({ schema, logicalTypes: { 'timestamp-millis': DateType } })
    const read = avroDeserializer({ schema, logicalTypes: { 'timestamp-millis': DateType } })
    expectTypeOf(serialize).parameter(0).toEqualTypeOf<{ at: Date } | null>()
    expectTypeOf<Awaited<ReturnType<typeof read>>>().toEqualTypeOf<{ at: Date } | null>()
    const at = new Date('2024-05-01T10:00:00Z')
    expect(await read(serialize({ at }, value) as Buffer)).toStrictEqual({ at })
    // @ts-expect-error: a Date, not a number, once the logical type is implemented
    expect(() => serialize({ at: 1 }, value)).toThrow()
  })

  it('ambiguous unions are wrapped, as avsc wraps them; primitives and inline schemas', () => {
    const schema = {
      type: 'record',
      name: 'Shape',
      namespace: 'geo',
      fields: [
        {
          name: 'kind',
          type: [
            'null',
            { type: 'record', name: 'Circle', fields: [{ name: 'r', type: 'double' }] },
            { type: 'record', name: 'Square', fields: [{ name: 'side', type: 'double' }] },
          ],
        },
        { name: 'size', type: ['int', 'double'] },
        { name: 'label', type: ['string', 'int'] },
      ],
    } as const
    expectTypeOf<AvroValue<typeof schema>>().toEqualTypeOf<{
      kind: null | { readonly 'geo.Circle': { r: number } } | { readonly 'geo.Square': { side: number } }
      size: { readonly int: number } | { readonly double: number }
      label: string | number
    }>()
    const serialize = avroSerializer({ schema })
    const type = avro.Type.forSchema(schema as unknown as avro.Schema)
    const shape = { kind: { 'geo.Circle': { r: 1 } }, size: { double: 1.5 }, label: 'x' } as const
    expect(type.isValid(shape)).toBe(true)
    expect(serialize(shape, value)).toEqual(type.toBuffer(shape))

    expectTypeOf(avroSerializer({ schema: 'string' }))
      .parameter(0)
      .toEqualTypeOf<string | null>()
    expectTypeOf(avroSerializer({ schema: { type: 'array', items: 'long' } }))
      .parameter(0)
      .toEqualTypeOf<readonly number[] | null>()
  })

  it('schemas as text or an avsc Type, or typed loosely, keep the explicit <T> (unknown without)', () => {
    const text = avroSerializer({ schema: JSON.stringify(orderSchema) })
    expectTypeOf(text).parameter(0).toEqualTypeOf<unknown>()
    const type = avroSerializer({ type: avro.Type.forSchema('string') })
    expectTypeOf(type).parameter(0).toEqualTypeOf<unknown>()
    const loose: { type: string; name: string; fields: Array<{ name: string; type: string }> } = {
      type: 'record',
      name: 'R',
      fields: [{ name: 'a', type: 'string' }],
    }
    expectTypeOf(avroSerializer({ schema: loose }))
      .parameter(0)
      .toEqualTypeOf<unknown>()
    expectTypeOf(avroSerializer<{ a: string }>({ schema: loose }))
      .parameter(0)
      .toEqualTypeOf<{ a: string } | null>()
    expectTypeOf(avroDeserializer<{ a: string }>({ schema: loose })).returns.resolves.toEqualTypeOf<{
      a: string
    } | null>()
  })
})
