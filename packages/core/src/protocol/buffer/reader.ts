import type { Buffer } from 'node:buffer'
import { ProtocolError } from '../../errors/protocol-error.js'

/**
 * Reads Kafka protocol types from a buffer. Every read is bounds-checked: truncated input,
 * negative lengths and lengths past the end raise a ProtocolError, never a RangeError.
 * Byte fields are returned as views into the source buffer (no copy).
 */
export class Reader {
  buffer: Buffer
  offset: number
  /** Exclusive end of the readable region. */
  end: number

  constructor(buffer: Buffer, offset = 0, end = buffer.length) {
    this.buffer = buffer
    this.offset = offset
    this.end = end
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.offset
  }

  private need(n: number, what: string): void {
    if (this.offset + n > this.end) {
      throw new ProtocolError(
        `truncated input: needed ${n} byte(s) for ${what} at offset ${this.offset}, but only ${this.end - this.offset} remain`,
      )
    }
  }

  readInt8(): number {
    this.need(1, 'int8')
    return this.buffer.readInt8(this.offset++)
  }

  readUInt8(): number {
    this.need(1, 'uint8')
    return this.buffer[this.offset++] as number
  }

  readBoolean(): boolean {
    this.need(1, 'boolean')
    return this.buffer[this.offset++] !== 0
  }

  readInt16(): number {
    this.need(2, 'int16')
    const v = this.buffer.readInt16BE(this.offset)
    this.offset += 2
    return v
  }

  readUInt16(): number {
    this.need(2, 'uint16')
    const v = this.buffer.readUInt16BE(this.offset)
    this.offset += 2
    return v
  }

  readInt32(): number {
    this.need(4, 'int32')
    const v = this.buffer.readInt32BE(this.offset)
    this.offset += 4
    return v
  }

  readUInt32(): number {
    this.need(4, 'uint32')
    const v = this.buffer.readUInt32BE(this.offset)
    this.offset += 4
    return v
  }

  readInt64(): bigint {
    this.need(8, 'int64')
    const v = this.buffer.readBigInt64BE(this.offset)
    this.offset += 8
    return v
  }

  readFloat64(): number {
    this.need(8, 'float64')
    const v = this.buffer.readDoubleBE(this.offset)
    this.offset += 8
    return v
  }

  readUnsignedVarInt(): number {
    const buf = this.buffer
    let o = this.offset
    let result = 0
    let shift = 0
    for (;;) {
      if (o >= this.end) throw new ProtocolError(`truncated input: varint runs past the end at offset ${this.offset}`)
      const b = buf[o++] as number
      if (shift === 28) {
        if (b > 0x0f) throw new ProtocolError(`varint at offset ${this.offset} is longer than 32 bits`)
        result = (result | (b << 28)) >>> 0
        break
      }
      result |= (b & 0x7f) << shift
      if ((b & 0x80) === 0) break
      shift += 7
    }
    this.offset = o
    return result >>> 0
  }

  readVarInt(): number {
    const v = this.readUnsignedVarInt()
    return (v >>> 1) ^ -(v & 1)
  }

  readVarLong(): bigint {
    const buf = this.buffer
    let o = this.offset
    let result = 0n
    let shift = 0n
    for (;;) {
      if (o >= this.end) throw new ProtocolError(`truncated input: varlong runs past the end at offset ${this.offset}`)
      const b = buf[o++] as number
      result |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) break
      shift += 7n
      if (shift > 63n) throw new ProtocolError(`varlong at offset ${this.offset} is longer than 64 bits`)
    }
    this.offset = o
    // Bits past the 64th (a tenth byte above 1) are dropped, as Kafka's ByteUtils.readVarlong does.
    result = BigInt.asUintN(64, result)
    return BigInt.asIntN(64, (result >> 1n) ^ -(result & 1n))
  }

  /** A view of the next `n` bytes. */
  readRaw(n: number, what = 'bytes'): Buffer {
    if (n < 0) throw new ProtocolError(`negative length ${n} for ${what} at offset ${this.offset}`)
    this.need(n, what)
    const v = this.buffer.subarray(this.offset, this.offset + n)
    this.offset += n
    return v
  }

  private utf8(n: number): string {
    this.need(n, 'string')
    const v = this.buffer.toString('utf8', this.offset, this.offset + n)
    this.offset += n
    return v
  }

  /** STRING: int16 length then UTF-8; a negative length is an error. */
  readString(): string {
    const n = this.readInt16()
    if (n < 0) throw new ProtocolError(`negative string length ${n} at offset ${this.offset - 2}`)
    return this.utf8(n)
  }

  /** NULLABLE_STRING: int16 length (-1 null). */
  readNullableString(): string | null {
    const n = this.readInt16()
    if (n === -1) return null
    if (n < 0) throw new ProtocolError(`invalid string length ${n} at offset ${this.offset - 2}`)
    return this.utf8(n)
  }

  /** COMPACT_STRING. */
  readCompactString(): string {
    const n = this.readUnsignedVarInt()
    if (n === 0) throw new ProtocolError(`null compact string where a value is required at offset ${this.offset - 1}`)
    return this.utf8(n - 1)
  }

  /** COMPACT_NULLABLE_STRING. */
  readCompactNullableString(): string | null {
    const n = this.readUnsignedVarInt()
    if (n === 0) return null
    return this.utf8(n - 1)
  }

  /** BYTES. */
  readBytes(): Buffer {
    const n = this.readInt32()
    if (n < 0) throw new ProtocolError(`negative bytes length ${n} at offset ${this.offset - 4}`)
    return this.readRaw(n)
  }

  /** NULLABLE_BYTES. */
  readNullableBytes(): Buffer | null {
    const n = this.readInt32()
    if (n === -1) return null
    return this.readRaw(n)
  }

  /** COMPACT_BYTES. */
  readCompactBytes(): Buffer {
    const n = this.readUnsignedVarInt()
    if (n === 0) throw new ProtocolError(`null compact bytes where a value is required at offset ${this.offset - 1}`)
    return this.readRaw(n - 1)
  }

  /** COMPACT_NULLABLE_BYTES. */
  readCompactNullableBytes(): Buffer | null {
    const n = this.readUnsignedVarInt()
    if (n === 0) return null
    return this.readRaw(n - 1)
  }

  /** Varint-prefixed bytes inside a record (-1 null). */
  readVarIntBytes(): Buffer | null {
    const n = this.readVarInt()
    if (n === -1) return null
    return this.readRaw(n)
  }

  /** UUID, returned in Kafka's base64url form. */
  readUuid(): string {
    return this.readRaw(16, 'uuid').toString('base64url')
  }

  /**
   * Array length (int32, -1 null). Checks the count against the bytes left, assuming each
   * element takes at least `minElementSize` bytes, so a hostile count cannot allocate wildly.
   */
  readArrayLength(minElementSize = 1): number | null {
    const n = this.readInt32()
    if (n === -1) return null
    return this.checkCount(n, minElementSize, 4)
  }

  /** Compact array length (unsigned varint length+1, 0 null). */
  readCompactArrayLength(minElementSize = 1): number | null {
    const n = this.readUnsignedVarInt()
    if (n === 0) return null
    return this.checkCount(n - 1, minElementSize, 1)
  }

  private checkCount(n: number, minElementSize: number, width: number): number {
    if (n < 0) throw new ProtocolError(`negative array length ${n} at offset ${this.offset - width}`)
    if (n * minElementSize > this.end - this.offset) {
      throw new ProtocolError(
        `array length ${n} at offset ${this.offset - width} exceeds the ${this.end - this.offset} byte(s) that remain`,
      )
    }
    return n
  }

  /**
   * Reads a tagged-field section, calling `onTag` for each tag with a reader limited to that
   * field's bytes. Unknown tags (where `onTag` returns false or is absent) are skipped.
   */
  readTaggedFields(onTag?: (tag: number, reader: Reader) => boolean): void {
    const count = this.readUnsignedVarInt()
    // Each tagged field takes at least two bytes: its tag and its size.
    if (count * 2 > this.end - this.offset) {
      throw new ProtocolError(
        `tagged field count ${count} at offset ${this.offset} exceeds the ${this.end - this.offset} byte(s) that remain`,
      )
    }
    for (let i = 0; i < count; i++) {
      const tag = this.readUnsignedVarInt()
      const size = this.readUnsignedVarInt()
      this.need(size, `tagged field ${tag}`)
      const end = this.offset + size
      if (onTag !== undefined) {
        const sub = new Reader(this.buffer, this.offset, end)
        onTag(tag, sub)
      }
      this.offset = end
    }
  }
}
