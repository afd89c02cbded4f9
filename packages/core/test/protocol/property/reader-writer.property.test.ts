import { Buffer } from 'node:buffer'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../../src/errors/protocol-error.js'
import { beginTaggedField, endTaggedField } from '../../../src/protocol/apis/support.js'
import { Reader } from '../../../src/protocol/buffer/reader.js'
import { sizeOfUnsignedVarInt, sizeOfVarInt, sizeOfVarLong, Writer } from '../../../src/protocol/buffer/writer.js'

// Properties of the protocol's Reader and Writer: every primitive reads back what was written
// (extremes included), the size functions agree with the bytes written, and reading arbitrary bytes
// either returns or throws a ProtocolError, never another error, never reading past the end.
// Seeded by FC_SEED when set, so a failure (fast-check prints its seed and path) can be replayed.

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
const runs = Math.max(1, Number(process.env.FC_SCALE ?? 1) || 1)
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: numRuns * runs,
  ...(seed === undefined ? {} : { seed }),
})

const INT32_MIN = -0x80000000
const INT32_MAX = 0x7fffffff
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

const int32 = fc.oneof(
  fc.integer({ min: INT32_MIN, max: INT32_MAX }),
  fc.constantFrom(INT32_MIN, INT32_MAX, -1, 0, 1, 63, 64, -64, -65),
)
const int64 = fc.oneof(
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.constantFrom(INT64_MIN, INT64_MAX, -1n, 0n, 2n ** 53n),
)
const uint32 = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 127, 128, 0xffffffff))
/** Unicode text that UTF-8 round-trips (no lone surrogates). */
const text = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength })
const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((a) => Buffer.from(a))

/** One value of each protocol type, with how to write and read it. */
type Field =
  | {
      type: 'int8' | 'int16' | 'int32' | 'uint8' | 'uint16' | 'uint32' | 'varint' | 'unsignedVarint' | 'float64'
      value: number
    }
  | { type: 'int64' | 'varlong'; value: bigint }
  | { type: 'boolean'; value: boolean }
  | { type: 'string' | 'compactString'; value: string }
  | { type: 'nullableString' | 'compactNullableString' | 'varintString'; value: string | null }
  | { type: 'bytes' | 'compactBytes'; value: Buffer }
  | { type: 'nullableBytes' | 'compactNullableBytes' | 'varintBytes'; value: Buffer | null }
  | { type: 'uuid'; value: Buffer }
  | { type: 'arrayLength' | 'compactArrayLength'; value: number | null }

const field: fc.Arbitrary<Field> = fc.oneof(
  fc.integer({ min: -128, max: 127 }).map((value) => ({ type: 'int8' as const, value })),
  fc.integer({ min: -32768, max: 32767 }).map((value) => ({ type: 'int16' as const, value })),
  int32.map((value) => ({ type: 'int32' as const, value })),
  fc.integer({ min: 0, max: 255 }).map((value) => ({ type: 'uint8' as const, value })),
  fc.integer({ min: 0, max: 0xffff }).map((value) => ({ type: 'uint16' as const, value })),
  uint32.map((value) => ({ type: 'uint32' as const, value })),
  int32.map((value) => ({ type: 'varint' as const, value })),
  uint32.map((value) => ({ type: 'unsignedVarint' as const, value })),
  fc.double({ noNaN: true }).map((value) => ({ type: 'float64' as const, value })),
  int64.map((value) => ({ type: 'int64' as const, value })),
  int64.map((value) => ({ type: 'varlong' as const, value })),
  fc.boolean().map((value) => ({ type: 'boolean' as const, value })),
  text(40).map((value) => ({ type: 'string' as const, value })),
  text(40).map((value) => ({ type: 'compactString' as const, value })),
  fc.option(text(40), { nil: null }).map((value) => ({ type: 'nullableString' as const, value })),
  fc.option(text(40), { nil: null }).map((value) => ({ type: 'compactNullableString' as const, value })),
  fc.option(text(40), { nil: null }).map((value) => ({ type: 'varintString' as const, value })),
  bytes(300).map((value) => ({ type: 'bytes' as const, value })),
  bytes(300).map((value) => ({ type: 'compactBytes' as const, value })),
  fc.option(bytes(300), { nil: null }).map((value) => ({ type: 'nullableBytes' as const, value })),
  fc.option(bytes(300), { nil: null }).map((value) => ({ type: 'compactNullableBytes' as const, value })),
  fc.option(bytes(300), { nil: null }).map((value) => ({ type: 'varintBytes' as const, value })),
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => ({ type: 'uuid' as const, value: Buffer.from(a) })),
  fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }).map((value) => ({ type: 'arrayLength' as const, value })),
  fc
    .option(fc.integer({ min: 0, max: 1000 }), { nil: null })
    .map((value) => ({ type: 'compactArrayLength' as const, value })),
)

function write(w: Writer, f: Field): void {
  switch (f.type) {
    case 'int8':
      w.writeInt8(f.value)
      break
    case 'int16':
      w.writeInt16(f.value)
      break
    case 'int32':
      w.writeInt32(f.value)
      break
    case 'uint8':
      w.writeUInt8(f.value)
      break
    case 'uint16':
      w.writeUInt16(f.value)
      break
    case 'uint32':
      w.writeUInt32(f.value)
      break
    case 'varint':
      w.writeVarInt(f.value)
      break
    case 'unsignedVarint':
      w.writeUnsignedVarInt(f.value)
      break
    case 'float64':
      w.writeFloat64(f.value)
      break
    case 'int64':
      w.writeInt64(f.value)
      break
    case 'varlong':
      w.writeVarLong(f.value)
      break
    case 'boolean':
      w.writeBoolean(f.value)
      break
    case 'string':
    case 'nullableString':
      w.writeString(f.value)
      break
    case 'compactString':
    case 'compactNullableString':
      w.writeCompactString(f.value)
      break
    case 'varintString':
      w.writeVarIntString(f.value)
      break
    case 'bytes':
    case 'nullableBytes':
      w.writeBytes(f.value)
      break
    case 'compactBytes':
    case 'compactNullableBytes':
      w.writeCompactBytes(f.value)
      break
    case 'varintBytes':
      w.writeVarIntBytes(f.value)
      break
    case 'uuid':
      w.writeUuid(f.value)
      break
    case 'arrayLength':
      w.writeArrayLength(f.value)
      // Elements of at least one byte each, so that the count passes the reader's bounds check.
      w.writeRaw(Buffer.alloc(f.value ?? 0))
      break
    case 'compactArrayLength':
      w.writeCompactArrayLength(f.value)
      w.writeRaw(Buffer.alloc(f.value ?? 0))
      break
  }
}

function read(r: Reader, f: Field): unknown {
  switch (f.type) {
    case 'int8':
      return r.readInt8()
    case 'int16':
      return r.readInt16()
    case 'int32':
      return r.readInt32()
    case 'uint8':
      return r.readUInt8()
    case 'uint16':
      return r.readUInt16()
    case 'uint32':
      return r.readUInt32()
    case 'varint':
      return r.readVarInt()
    case 'unsignedVarint':
      return r.readUnsignedVarInt()
    case 'float64':
      return r.readFloat64()
    case 'int64':
      return r.readInt64()
    case 'varlong':
      return r.readVarLong()
    case 'boolean':
      return r.readBoolean()
    case 'string':
      return r.readString()
    case 'nullableString':
      return r.readNullableString()
    case 'compactString':
      return r.readCompactString()
    case 'compactNullableString':
      return r.readCompactNullableString()
    case 'varintString': {
      const b = r.readVarIntBytes()
      return b === null ? null : b.toString('utf8')
    }
    case 'bytes':
      return r.readBytes()
    case 'nullableBytes':
      return r.readNullableBytes()
    case 'compactBytes':
      return r.readCompactBytes()
    case 'compactNullableBytes':
      return r.readCompactNullableBytes()
    case 'varintBytes':
      return r.readVarIntBytes()
    case 'uuid':
      return Buffer.from(r.readUuid(), 'base64url')
    case 'arrayLength': {
      const n = r.readArrayLength(1)
      r.readRaw(n ?? 0)
      return n
    }
    case 'compactArrayLength': {
      const n = r.readCompactArrayLength(1)
      r.readRaw(n ?? 0)
      return n
    }
  }
}

describe('Reader and Writer properties', () => {
  it('read back every sequence of values written, of every type, with nothing left over', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 30 }), (fields) => {
        const w = new Writer(16)
        for (const f of fields) write(w, f)
        const r = new Reader(w.toBufferCopy())
        for (const f of fields) expect(read(r, f)).toEqual(f.value)
        expect(r.remaining).toBe(0)
      }),
      params(500),
    )
  })

  it('write varints and varlongs in exactly the bytes the size functions give, within 5 and 10 bytes', () => {
    fc.assert(
      fc.property(int32, uint32, int64, (signed, unsigned, long) => {
        const w = new Writer(1)
        w.writeVarInt(signed)
        expect(w.offset).toBe(sizeOfVarInt(signed))
        const afterVarInt = w.offset
        w.writeUnsignedVarInt(unsigned)
        expect(w.offset - afterVarInt).toBe(sizeOfUnsignedVarInt(unsigned))
        const afterUnsigned = w.offset
        w.writeVarLong(long)
        expect(w.offset - afterUnsigned).toBe(sizeOfVarLong(long))
        expect(sizeOfVarInt(signed)).toBeLessThanOrEqual(5)
        expect(sizeOfVarLong(long)).toBeLessThanOrEqual(10)
      }),
      params(1000),
    )
  })

  it('read tagged fields back by tag, whatever their sizes, skipping the ones not asked for', () => {
    const tagged = fc.uniqueArray(fc.record({ tag: fc.integer({ min: 0, max: 100_000 }), value: bytes(400) }), {
      selector: (t) => t.tag,
      maxLength: 8,
    })
    fc.assert(
      fc.property(tagged, fc.integer({ min: 0, max: 255 }), (fields, after) => {
        const sorted = [...fields].sort((a, b) => a.tag - b.tag)
        const w = new Writer(8)
        w.writeUnsignedVarInt(sorted.length)
        for (const f of sorted) {
          const at = beginTaggedField(w, f.tag)
          w.writeRaw(f.value)
          endTaggedField(w, at)
        }
        w.writeUInt8(after)
        const seen: Array<{ tag: number; value: Buffer }> = []
        const r = new Reader(w.toBufferCopy())
        r.readTaggedFields((tag, sub) => {
          if (tag % 2 === 0) seen.push({ tag, value: Buffer.from(sub.readRaw(sub.remaining)) })
          return tag % 2 === 0
        })
        expect(seen).toEqual(sorted.filter((f) => f.tag % 2 === 0))
        expect(r.readUInt8()).toBe(after)
      }),
      params(300),
    )
  })

  it('read arbitrary bytes as any type, returning a value or throwing a ProtocolError, never past the end', () => {
    const readers: Array<(r: Reader) => unknown> = [
      (r) => r.readInt8(),
      (r) => r.readInt16(),
      (r) => r.readInt32(),
      (r) => r.readInt64(),
      (r) => r.readUInt32(),
      (r) => r.readFloat64(),
      (r) => r.readVarInt(),
      (r) => r.readUnsignedVarInt(),
      (r) => r.readVarLong(),
      (r) => r.readString(),
      (r) => r.readNullableString(),
      (r) => r.readCompactString(),
      (r) => r.readCompactNullableString(),
      (r) => r.readBytes(),
      (r) => r.readNullableBytes(),
      (r) => r.readCompactBytes(),
      (r) => r.readCompactNullableBytes(),
      (r) => r.readVarIntBytes(),
      (r) => r.readUuid(),
      (r) => r.readArrayLength(1),
      (r) => r.readCompactArrayLength(4),
      (r) => r.readTaggedFields(() => true),
    ]
    fc.assert(
      fc.property(
        bytes(64),
        fc.array(fc.integer({ min: 0, max: readers.length - 1 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 8 }),
        (input, program, cut) => {
          const end = Math.max(0, input.length - cut)
          const r = new Reader(input, 0, end)
          for (const step of program) {
            const before = r.offset
            try {
              ;(readers[step] as (r: Reader) => unknown)(r)
            } catch (error) {
              expect(ProtocolError.isInstance(error), String(error)).toBe(true)
              expect(r.offset).toBeLessThanOrEqual(end)
              return
            }
            expect(r.offset).toBeGreaterThanOrEqual(before)
            expect(r.offset).toBeLessThanOrEqual(end)
          }
        },
      ),
      params(3000),
    )
  })

  it('refuse a count that the bytes left cannot hold, for arrays, compact arrays and tagged fields', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), fc.integer({ min: 0, max: 20 }), (count, left) => {
        fc.pre(count > left)
        const tail = Buffer.alloc(left)
        const array = new Writer(8).writeInt32(count).writeRaw(tail).toBufferCopy()
        expect(() => new Reader(array).readArrayLength(1)).toThrow(ProtocolError)
        const compact = new Writer(8).writeCompactArrayLength(count).writeRaw(tail).toBufferCopy()
        expect(() => new Reader(compact).readCompactArrayLength(1)).toThrow(ProtocolError)
        fc.pre(count * 2 > left)
        const tags = new Writer(8).writeUnsignedVarInt(count).writeRaw(tail).toBufferCopy()
        expect(() => new Reader(tags).readTaggedFields()).toThrow(/tagged field count/)
      }),
      params(500),
    )
  })
})
