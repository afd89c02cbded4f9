import { Buffer } from 'node:buffer'

const EMPTY = Buffer.alloc(0)

/**
 * Writes Kafka protocol types into one growable buffer. Length and CRC fields are reserved and
 * filled afterwards; large payloads (record batches) can be attached by reference with
 * `appendExternal`, so a request is handed to the socket as a list of chunks, never concatenated.
 */
export class Writer {
  /** The writer's own bytes; only `[0, offset)` is meaningful. */
  buffer: Buffer
  /** Next write position in `buffer`. */
  offset = 0
  /** Buffers attached by reference, each with the `offset` of `buffer` it follows. */
  private externals: Buffer[] = []
  private externalAt: number[] = []
  private externalBytes = 0

  constructor(initialSize = 1024) {
    this.buffer = Buffer.allocUnsafe(initialSize)
  }

  /** Forgets everything written, keeping the allocated buffer for reuse. */
  reset(): this {
    this.offset = 0
    if (this.externals.length > 0) {
      this.externals = []
      this.externalAt = []
      this.externalBytes = 0
    }
    return this
  }

  /** Logical position: own bytes plus attached external bytes written so far. */
  get position(): number {
    return this.offset + this.externalBytes
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const needed = this.offset + n
    if (needed <= this.buffer.length) return
    let size = this.buffer.length * 2
    while (size < needed) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buffer.copy(next, 0, 0, this.offset)
    this.buffer = next
  }

  writeInt8(value: number): this {
    this.ensure(1)
    this.buffer.writeInt8(value, this.offset)
    this.offset += 1
    return this
  }

  writeUInt8(value: number): this {
    this.ensure(1)
    this.buffer[this.offset++] = value
    return this
  }

  writeBoolean(value: boolean): this {
    this.ensure(1)
    this.buffer[this.offset++] = value ? 1 : 0
    return this
  }

  writeInt16(value: number): this {
    this.ensure(2)
    this.buffer.writeInt16BE(value, this.offset)
    this.offset += 2
    return this
  }

  writeUInt16(value: number): this {
    this.ensure(2)
    this.buffer.writeUInt16BE(value, this.offset)
    this.offset += 2
    return this
  }

  writeInt32(value: number): this {
    this.ensure(4)
    this.buffer.writeInt32BE(value, this.offset)
    this.offset += 4
    return this
  }

  writeUInt32(value: number): this {
    this.ensure(4)
    this.buffer.writeUInt32BE(value, this.offset)
    this.offset += 4
    return this
  }

  writeInt64(value: bigint): this {
    this.ensure(8)
    this.buffer.writeBigInt64BE(value, this.offset)
    this.offset += 8
    return this
  }

  writeFloat64(value: number): this {
    this.ensure(8)
    this.buffer.writeDoubleBE(value, this.offset)
    this.offset += 8
    return this
  }

  /** Unsigned LEB128 of a non-negative 32-bit value. */
  writeUnsignedVarInt(value: number): this {
    this.ensure(5)
    let v = value >>> 0
    const buf = this.buffer
    let o = this.offset
    while (v > 0x7f) {
      buf[o++] = (v & 0x7f) | 0x80
      v >>>= 7
    }
    buf[o++] = v
    this.offset = o
    return this
  }

  /** Zig-zag varint of a signed 32-bit value. */
  writeVarInt(value: number): this {
    return this.writeUnsignedVarInt((value << 1) ^ (value >> 31))
  }

  /** Zig-zag varlong of a signed 64-bit value. */
  writeVarLong(value: bigint): this {
    this.ensure(10)
    let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n))
    const buf = this.buffer
    let o = this.offset
    while (v > 0x7fn) {
      buf[o++] = Number(v & 0x7fn) | 0x80
      v >>= 7n
    }
    buf[o++] = Number(v)
    this.offset = o
    return this
  }

  /** Copies raw bytes. */
  writeRaw(bytes: Uint8Array): this {
    this.ensure(bytes.length)
    this.buffer.set(bytes, this.offset)
    this.offset += bytes.length
    return this
  }

  /** Writes a UTF-8 string without any length prefix. */
  private writeUtf8(value: string, byteLength: number): void {
    this.ensure(byteLength)
    // Buffer's own utf8Write skips the argument checks of buffer.write, which cost more than the
    // copy for short strings; the length is known to fit.
    const buffer = this.buffer as Buffer & { utf8Write?: (s: string, offset: number, length: number) => number }
    if (buffer.utf8Write !== undefined) buffer.utf8Write(value, this.offset, byteLength)
    else buffer.write(value, this.offset, byteLength, 'utf8')
    this.offset += byteLength
  }

  /** STRING / NULLABLE_STRING: int16 length (-1 for null), then UTF-8. */
  writeString(value: string | null): this {
    if (value === null) return this.writeInt16(-1)
    const len = Buffer.byteLength(value, 'utf8')
    this.writeInt16(len)
    this.writeUtf8(value, len)
    return this
  }

  /** COMPACT_STRING / COMPACT_NULLABLE_STRING: unsigned varint length+1 (0 for null), then UTF-8. */
  writeCompactString(value: string | null): this {
    if (value === null) return this.writeUnsignedVarInt(0)
    const len = Buffer.byteLength(value, 'utf8')
    this.writeUnsignedVarInt(len + 1)
    this.writeUtf8(value, len)
    return this
  }

  /** BYTES / NULLABLE_BYTES: int32 length (-1 for null), then the bytes. */
  writeBytes(value: Uint8Array | null): this {
    if (value === null) return this.writeInt32(-1)
    this.writeInt32(value.length)
    return this.writeRaw(value)
  }

  /** COMPACT_BYTES / COMPACT_NULLABLE_BYTES: unsigned varint length+1 (0 for null), then the bytes. */
  writeCompactBytes(value: Uint8Array | null): this {
    if (value === null) return this.writeUnsignedVarInt(0)
    this.writeUnsignedVarInt(value.length + 1)
    return this.writeRaw(value)
  }

  /** Varint-prefixed bytes as used inside records: zig-zag varint length (-1 for null). */
  writeVarIntBytes(value: Uint8Array | null): this {
    if (value === null) return this.writeVarInt(-1)
    this.writeVarInt(value.length)
    return this.writeRaw(value)
  }

  /**
   * Varint-prefixed UTF-8 string as used for record header keys: zig-zag varint length (-1 for
   * null). When the length's varint takes the same bytes whatever the UTF-8 size (between 1 and 3
   * bytes per UTF-16 unit), the string is written first and its length filled in after, which
   * saves measuring it (a native call that costs as much as the copy for short strings).
   */
  writeVarIntString(value: string | null): this {
    if (value === null) return this.writeVarInt(-1)
    const units = value.length
    const prefix = sizeOfVarInt(units)
    if (prefix !== sizeOfVarInt(units * 3)) {
      const len = Buffer.byteLength(value, 'utf8')
      this.writeVarInt(len)
      this.writeUtf8(value, len)
      return this
    }
    this.ensure(prefix + units * 3)
    const at = this.offset
    const buffer = this.buffer as Buffer & { utf8Write?: (s: string, offset: number, length: number) => number }
    const written =
      buffer.utf8Write !== undefined
        ? buffer.utf8Write(value, at + prefix, units * 3)
        : buffer.write(value, at + prefix, units * 3, 'utf8')
    this.fillVarInt(at, written, prefix)
    this.offset = at + prefix + written
    return this
  }

  /**
   * Writes the zig-zag varint of `value` at `at` in exactly `bytes` bytes, which must be its size
   * (`sizeOfVarInt(value)`): for a length reserved before what it measures was written.
   */
  fillVarInt(at: number, value: number, bytes: number): void {
    let v = ((value << 1) ^ (value >> 31)) >>> 0
    const buf = this.buffer
    for (let i = 0; i < bytes - 1; i++) {
      buf[at + i] = (v & 0x7f) | 0x80
      v >>>= 7
    }
    buf[at + bytes - 1] = v
  }

  /** Moves the write position (after bytes were written into `buffer` directly, or to reserve). */
  skip(n: number): void {
    this.ensure(n)
    this.offset += n
  }

  /** UUID as 16 raw bytes; accepts a 16-byte buffer or the canonical/base64url string form. */
  writeUuid(value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? uuidToBytes(value) : value
    if (bytes.length !== 16) throw new RangeError(`a UUID has 16 bytes, got ${bytes.length}`)
    return this.writeRaw(bytes)
  }

  /** Array length: int32 (-1 for null). */
  writeArrayLength(length: number | null): this {
    return this.writeInt32(length === null ? -1 : length)
  }

  /** Compact array length: unsigned varint length+1 (0 for null). */
  writeCompactArrayLength(length: number | null): this {
    return this.writeUnsignedVarInt(length === null ? 0 : length + 1)
  }

  /** An empty tagged-field section. */
  writeEmptyTaggedFields(): this {
    this.ensure(1)
    this.buffer[this.offset++] = 0
    return this
  }

  /** Reserves `n` bytes to be filled later; returns their offset in `buffer`. */
  reserve(n: number): number {
    this.ensure(n)
    const at = this.offset
    this.offset += n
    return at
  }

  /** Fills a reserved int32 slot. */
  fillInt32(at: number, value: number): void {
    this.buffer.writeInt32BE(value, at)
  }

  /** Fills a reserved uint32 slot. */
  fillUInt32(at: number, value: number): void {
    this.buffer.writeUInt32BE(value, at)
  }

  /**
   * Attaches `bytes` by reference: they are not copied, and `toChunks` yields them in place.
   * The caller must not change them until the chunks have been written out.
   */
  appendExternal(bytes: Buffer): this {
    if (bytes.length === 0) return this
    if (bytes.length < 256) return this.writeRaw(bytes)
    this.externals.push(bytes)
    this.externalAt.push(this.offset)
    this.externalBytes += bytes.length
    return this
  }

  /** The bytes written, as chunks to hand to a socket in order. */
  toChunks(): Buffer[] {
    if (this.externals.length === 0) return [this.buffer.subarray(0, this.offset)]
    const chunks: Buffer[] = []
    let from = 0
    for (let i = 0; i < this.externals.length; i++) {
      const at = this.externalAt[i] as number
      if (at > from) chunks.push(this.buffer.subarray(from, at))
      chunks.push(this.externals[i] as Buffer)
      from = at
    }
    if (this.offset > from) chunks.push(this.buffer.subarray(from, this.offset))
    return chunks
  }

  /**
   * The bytes written as one buffer. Shares memory with the writer when nothing external was
   * attached, so copy it (or stop using the writer) before writing more.
   */
  toBuffer(): Buffer {
    if (this.externals.length === 0) return this.buffer.subarray(0, this.offset)
    return Buffer.concat(this.toChunks(), this.position)
  }

  /** A copy of the bytes written, independent of the writer. */
  toBufferCopy(): Buffer {
    const chunks = this.toChunks()
    const out = Buffer.allocUnsafe(this.position)
    let o = 0
    for (const c of chunks) {
      c.copy(out, o)
      o += c.length
    }
    return out
  }
}

/** Number of bytes `writeUnsignedVarInt(value)` produces. */
export function sizeOfUnsignedVarInt(value: number): number {
  let v = value >>> 0
  let n = 1
  while (v > 0x7f) {
    v >>>= 7
    n++
  }
  return n
}

/** Number of bytes `writeVarInt(value)` produces. */
export function sizeOfVarInt(value: number): number {
  return sizeOfUnsignedVarInt((value << 1) ^ (value >> 31))
}

/** Number of bytes `writeVarLong(value)` produces. */
export function sizeOfVarLong(value: bigint): number {
  let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n))
  let n = 1
  while (v > 0x7fn) {
    v >>= 7n
    n++
  }
  return n
}

/** Parses a UUID in canonical form (8-4-4-4-12 hex) or Kafka's base64url form. */
export function uuidToBytes(value: string): Buffer {
  if (value.length === 36 && value[8] === '-') return Buffer.from(value.replaceAll('-', ''), 'hex')
  return Buffer.from(value, 'base64url')
}

export { EMPTY as EMPTY_BUFFER }
