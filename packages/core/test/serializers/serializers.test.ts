import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { SerializationError } from '../../src/errors/serialization-error.js'
import type { SerializerContext } from '../../src/plugins.js'
import { bufferSerializer, defaultSerializer, jsonSerializer, stringSerializer } from '../../src/serializers/index.js'

const valueContext: SerializerContext = { topic: 'orders', part: 'value' }
const keyContext: SerializerContext = { topic: 'orders', part: 'key' }

/** Runs `fn` and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('stringSerializer', () => {
  const serialize = stringSerializer()

  it('writes strings as UTF-8, synchronously', () => {
    const bytes = serialize('héllo ✓ 🚀', valueContext)
    expect(Buffer.isBuffer(bytes)).toBe(true)
    expect(bytes).toEqual(
      Buffer.from([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f, 0x20, 0xe2, 0x9c, 0x93, 0x20, 0xf0, 0x9f, 0x9a, 0x80]),
    )
    expect(serialize('', valueContext)).toEqual(Buffer.alloc(0))
  })

  it('turns null and undefined into null', () => {
    expect(serialize(null, keyContext)).toBeNull()
    expect(serialize(undefined, keyContext)).toBeNull()
  })

  it('rejects a non-string with a SerializationError naming the part', () => {
    const error = thrown(() => serialize(42 as unknown as string, keyContext))
    expect(SerializationError.isInstance(error)).toBe(true)
    expect((error as SerializationError).part).toBe('key')
    expect((error as SerializationError).topic).toBe('orders')
    expect((error as Error).message).toMatch(
      /the key .* stringSerializer expects a string, null or undefined, got number/,
    )
  })
})

describe('jsonSerializer', () => {
  interface Order {
    id: string
    items: { sku: string; qty: number }[]
    note?: string
  }
  const serialize = jsonSerializer<Order>()

  it('writes JSON.stringify as UTF-8, synchronously', () => {
    const order: Order = { id: 'o-1', items: [{ sku: 'café', qty: 2 }] }
    const bytes = serialize(order, valueContext)
    expect(bytes).toBeInstanceOf(Buffer)
    expect((bytes as Buffer).toString('utf8')).toBe('{"id":"o-1","items":[{"sku":"café","qty":2}]}')
    expect(JSON.parse((bytes as Buffer).toString('utf8'))).toEqual(order)
  })

  it('writes primitives as JSON', () => {
    const any = jsonSerializer<unknown>()
    expect(any('text', valueContext)?.toString()).toBe('"text"')
    expect(any(12.5, valueContext)?.toString()).toBe('12.5')
    expect(any(false, valueContext)?.toString()).toBe('false')
    expect(any([], valueContext)?.toString()).toBe('[]')
  })

  it('turns undefined and null into a null value (a tombstone)', () => {
    const any = jsonSerializer<unknown>()
    expect(any(undefined, valueContext)).toBeNull()
    expect(any(null, valueContext)).toBeNull()
  })

  it('rejects a BigInt with a SerializationError naming the part', () => {
    const any = jsonSerializer<unknown>()
    const error = thrown(() => any({ amount: 10n }, valueContext))
    expect(SerializationError.isInstance(error)).toBe(true)
    expect((error as SerializationError).part).toBe('value')
    expect((error as SerializationError).cause).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(/^Could not serialize the value of a record for topic 'orders': .*BigInt/)
  })

  it('rejects a cyclic value with a SerializationError', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    const error = thrown(() => jsonSerializer<unknown>()(cyclic, { topic: 't', part: 'headerValue' }))
    expect(SerializationError.isInstance(error)).toBe(true)
    expect((error as SerializationError).part).toBe('headerValue')
    expect((error as Error).message).toMatch(/circular/i)
  })

  it('rejects a value JSON turns into nothing (a bare function or symbol)', () => {
    const any = jsonSerializer<unknown>()
    expect(SerializationError.isInstance(thrown(() => any(() => 1, keyContext)))).toBe(true)
    expect((thrown(() => any(Symbol('s'), keyContext)) as Error).message).toMatch(/cannot represent a symbol as JSON/)
  })

  it('passes the error of a throwing toJSON on as the cause', () => {
    const boom = new Error('toJSON failed')
    const error = thrown(() =>
      jsonSerializer<unknown>()(
        {
          toJSON() {
            throw boom
          },
        },
        valueContext,
      ),
    )
    expect((error as SerializationError).cause).toBe(boom)
  })
})

describe('bufferSerializer', () => {
  const serialize = bufferSerializer()

  it('passes a Buffer through as the same object', () => {
    const buffer = Buffer.from('abc')
    expect(serialize(buffer, valueContext)).toBe(buffer)
  })

  it('wraps a Uint8Array in a Buffer over the same memory, without copying', () => {
    const backing = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7])
    const view = backing.subarray(2, 6)
    const bytes = serialize(view, valueContext) as Buffer
    expect(Buffer.isBuffer(bytes)).toBe(true)
    expect([...bytes]).toEqual([2, 3, 4, 5])
    backing[3] = 99
    expect(bytes[1]).toBe(99)
    expect(bytes.buffer).toBe(backing.buffer)
  })

  it('turns null and undefined into null', () => {
    expect(serialize(null, valueContext)).toBeNull()
    expect(serialize(undefined, valueContext)).toBeNull()
  })

  it('rejects anything else with a SerializationError', () => {
    for (const value of ['text', 42, {}, [1, 2], new ArrayBuffer(4)]) {
      const error = thrown(() => serialize(value as unknown as Buffer, keyContext))
      expect(SerializationError.isInstance(error)).toBe(true)
      expect((error as Error).message).toMatch(/bufferSerializer expects a Buffer, a Uint8Array, null or undefined/)
    }
  })
})

describe('defaultSerializer', () => {
  it('passes bytes through without copying and writes strings as UTF-8', () => {
    const buffer = Buffer.from('abc')
    expect(defaultSerializer(buffer, valueContext)).toBe(buffer)
    const array = new Uint8Array([1, 2, 3])
    const wrapped = defaultSerializer(array, valueContext) as Buffer
    expect(Buffer.isBuffer(wrapped)).toBe(true)
    expect(wrapped.buffer).toBe(array.buffer)
    expect(defaultSerializer('zoë', valueContext)).toEqual(Buffer.from('zoë', 'utf8'))
  })

  it('turns null and undefined into null', () => {
    expect(defaultSerializer(null, keyContext)).toBeNull()
    expect(defaultSerializer(undefined, keyContext)).toBeNull()
  })

  it('rejects other values with a SerializationError that says to configure a serializer', () => {
    const error = thrown(() => defaultSerializer({ id: 1 } as unknown as string, valueContext))
    expect(SerializationError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/without a value serializer.*got object; configure serializers\.value/)
  })
})

describe('every built-in serializer', () => {
  it('is synchronous: it returns bytes, never a promise', () => {
    for (const result of [
      stringSerializer()('a', valueContext),
      jsonSerializer<number>()(1, valueContext),
      bufferSerializer()(Buffer.from('a'), valueContext),
      defaultSerializer('a', valueContext),
    ]) {
      expect(result).toBeInstanceOf(Buffer)
    }
  })
})
