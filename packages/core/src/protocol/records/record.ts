import { Buffer } from 'node:buffer'
import { ProtocolError } from '../../errors/protocol-error.js'
import type { Reader } from '../buffer/reader.js'
import { sizeOfVarInt, sizeOfVarLong, type Writer } from '../buffer/writer.js'

/**
 * Record (inside a magic 2 record batch):
 *
 *   length: varint            bytes that follow, up to the end of the headers
 *   attributes: int8          unused, 0
 *   timestampDelta: varlong   relative to the batch's baseTimestamp
 *   offsetDelta: varint       relative to the batch's baseOffset
 *   keyLength: varint         -1 for a null key
 *   key: byte[]
 *   valueLength: varint       -1 for a null value
 *   value: byte[]
 *   headersCount: varint
 *   headers: [headerKeyLength: varint, headerKey: UTF-8, headerValueLength: varint (-1 null), value: byte[]]
 */

/** One record header. Keys may repeat; their order is kept. */
export interface RecordHeader {
  key: string
  value: Buffer | null
}

/**
 * A header as the encoder takes it: the value as bytes, or as a string written as UTF-8 (so that a
 * producer need not allocate a Buffer for it first).
 */
export interface EncodableHeader {
  readonly key: string
  readonly value: Uint8Array | string | null
}

/** A key or value as the encoder takes it: bytes, a string written as UTF-8, or null. */
export type EncodableBytes = Uint8Array | string | null

/** A decoded record. `key`, `value` and header values are views into the decoded bytes. */
export interface KafkaRecord {
  attributes: number
  timestampDelta: bigint
  offsetDelta: number
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeader[]
}

const NO_HEADERS: readonly EncodableHeader[] = []

const INT32_MIN = -0x80000000
const INT32_MAX = 0x7fffffff

/** The smallest possible record: a length byte and six one-byte fields. */
export const MIN_RECORD_SIZE = 7

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX
}

function sizeOfTimestampDelta(delta: bigint | number): number {
  if (typeof delta === 'number') {
    // Within int32, the zig-zag varlong has exactly the bytes of the zig-zag varint.
    if (isInt32(delta)) return sizeOfVarInt(delta)
    return sizeOfVarLong(toBigIntDelta(delta))
  }
  return sizeOfVarLong(delta)
}

function toBigIntDelta(delta: number): bigint {
  if (!Number.isSafeInteger(delta)) throw new RangeError(`timestamp delta must be an integer, got ${delta}`)
  return BigInt(delta)
}

function sizeOfVarIntBytes(bytes: EncodableBytes): number {
  if (bytes === null) return 1
  const n = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.length
  return sizeOfVarInt(n) + n
}

/** Size of a record's body: everything after its varint length prefix. */
export function sizeOfRecordBody(
  offsetDelta: number,
  timestampDelta: bigint | number,
  key: EncodableBytes,
  value: EncodableBytes,
  headers: readonly EncodableHeader[] = NO_HEADERS,
): number {
  let size = 1 + sizeOfTimestampDelta(timestampDelta) + sizeOfVarInt(offsetDelta)
  size += sizeOfVarIntBytes(key) + sizeOfVarIntBytes(value) + sizeOfVarInt(headers.length)
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i] as EncodableHeader
    const keyLength = Buffer.byteLength(header.key, 'utf8')
    size += sizeOfVarInt(keyLength) + keyLength + sizeOfVarIntBytes(header.value)
  }
  return size
}

/** Total encoded size of a record, length prefix included. */
export function recordSize(
  offsetDelta: number,
  timestampDelta: bigint | number,
  key: EncodableBytes,
  value: EncodableBytes,
  headers: readonly EncodableHeader[] = NO_HEADERS,
): number {
  const body = sizeOfRecordBody(offsetDelta, timestampDelta, key, value, headers)
  return sizeOfVarInt(body) + body
}

/**
 * Writes one record. The body size is computed first, so the varint length prefix is exact and
 * nothing is encoded twice. `timestampDelta` may be a number (fast path while it fits in 32 bits)
 * or a bigint. Returns the number of bytes written.
 */
export function writeRecord(
  w: Writer,
  offsetDelta: number,
  timestampDelta: bigint | number,
  key: EncodableBytes,
  value: EncodableBytes,
  headers: readonly EncodableHeader[] = NO_HEADERS,
  attributes = 0,
): number {
  const start = w.offset
  // The body's size is known within bounds without measuring strings (1 to 3 UTF-8 bytes per UTF-16
  // unit). When both bounds need the same varint, the length is reserved and filled in after the
  // body is written; otherwise it is computed first.
  const fixed = 1 + sizeOfTimestampDelta(timestampDelta) + sizeOfVarInt(offsetDelta) + sizeOfVarInt(headers.length)
  let min = fixed + boundOfVarIntBytes(key, 1) + boundOfVarIntBytes(value, 1)
  let max = fixed + boundOfVarIntBytes(key, 3) + boundOfVarIntBytes(value, 3)
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i] as EncodableHeader
    min += boundOfVarIntBytes(header.key, 1) + boundOfVarIntBytes(header.value, 1)
    max += boundOfVarIntBytes(header.key, 3) + boundOfVarIntBytes(header.value, 3)
  }
  const prefix = sizeOfVarInt(max)
  const reserved = prefix === sizeOfVarInt(min)
  // Room for the record, once: everything after writes straight into the buffer. Its largest size
  // when that fits; its exact size otherwise, so that a writer sized for its records does not grow.
  if (start + prefix + max > w.buffer.length) {
    const body = sizeOfRecordBody(offsetDelta, timestampDelta, key, value, headers)
    w.ensure(sizeOfVarInt(body) + body)
  }
  const buf = w.buffer
  let o = reserved
    ? start + prefix
    : putVarInt(buf, start, sizeOfRecordBody(offsetDelta, timestampDelta, key, value, headers))
  const bodyStart = o
  buf[o++] = attributes & 0xff
  if (typeof timestampDelta === 'number' && isInt32(timestampDelta)) o = putVarInt(buf, o, timestampDelta)
  else o = putVarLong(buf, o, typeof timestampDelta === 'number' ? toBigIntDelta(timestampDelta) : timestampDelta)
  o = putVarInt(buf, o, offsetDelta)
  o = putField(buf, o, key)
  o = putField(buf, o, value)
  o = putVarInt(buf, o, headers.length)
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i] as EncodableHeader
    const v = header.value
    if (i < REPEATED_HEADERS) {
      o = putRepeatable(buf, o, header.key, 2 * i)
      o = typeof v === 'string' ? putRepeatable(buf, o, v, 2 * i + 1) : putField(buf, o, v)
    } else {
      o = putString(buf, o, header.key)
      o = putField(buf, o, v)
    }
  }
  if (reserved) fillVarInt(buf, start, o - bodyStart, prefix)
  w.offset = o
  return o - start
}

// Writers into a buffer known to have room (see `writeRecord`): each returns the offset after
// what it wrote.

function putVarInt(buf: Buffer, at: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0
  let o = at
  while (v > 0x7f) {
    buf[o++] = (v & 0x7f) | 0x80
    v >>>= 7
  }
  buf[o++] = v
  return o
}

function putVarLong(buf: Buffer, at: number, value: bigint): number {
  let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n))
  let o = at
  while (v > 0x7fn) {
    buf[o++] = Number(v & 0x7fn) | 0x80
    v >>= 7n
  }
  buf[o++] = Number(v)
  return o
}

/** The zig-zag varint of `value` at `at` in exactly `bytes` bytes (its size), for a length reserved earlier. */
function fillVarInt(buf: Buffer, at: number, value: number, bytes: number): void {
  let v = ((value << 1) ^ (value >> 31)) >>> 0
  for (let i = 0; i < bytes - 1; i++) {
    buf[at + i] = (v & 0x7f) | 0x80
    v >>>= 7
  }
  buf[at + bytes - 1] = v
}

type Utf8Writable = Buffer & { utf8Write?: (s: string, offset: number, length: number) => number }

/**
 * UTF-8 of `text` at `at`, at most `room` bytes (room enough). Buffer's own utf8Write skips the
 * argument checks of buffer.write, which cost more than the copy for short strings.
 */
function putUtf8(buf: Buffer, at: number, text: string, room: number): number {
  const b = buf as Utf8Writable
  return b.utf8Write !== undefined ? b.utf8Write(text, at, room) : b.write(text, at, room, 'utf8')
}

/** Strings up to this many UTF-16 units are written by `putString` itself when they are ASCII. */
const SHORT_STRING_UNITS = 32

/**
 * A varint-prefixed UTF-8 string. When the length's varint takes the same bytes whatever the UTF-8
 * size (1 to 3 bytes per UTF-16 unit), the string is written first and its length filled in after,
 * which saves measuring it (a native call that costs as much as the copy for short strings).
 */
function putString(buf: Buffer, at: number, text: string): number {
  const units = text.length
  const prefix = sizeOfVarInt(units)
  if (units <= SHORT_STRING_UNITS) {
    // Copied here while it is ASCII (one byte a unit): a native call costs more than a short copy.
    const from = at + prefix
    let i = 0
    for (; i < units; i++) {
      const c = text.charCodeAt(i)
      if (c >= 0x80) break
      buf[from + i] = c
    }
    if (i === units) {
      fillVarInt(buf, at, units, prefix)
      return from + units
    }
  }
  if (prefix === sizeOfVarInt(units * 3)) {
    // The record's room may be its exact size: the string's bytes fit, three per unit may not.
    const n = putUtf8(buf, at + prefix, text, Math.min(units * 3, buf.length - at - prefix))
    fillVarInt(buf, at, n, prefix)
    return at + prefix + n
  }
  const n = Buffer.byteLength(text, 'utf8')
  const o = putVarInt(buf, at, n)
  putUtf8(buf, o, text, n)
  return o + n
}

/** A key, value or header value: varint length (-1 for null), then the bytes or the string's UTF-8. */
function putField(buf: Buffer, at: number, field: EncodableBytes): number {
  if (field === null) return putVarInt(buf, at, -1)
  if (typeof field === 'string') return putString(buf, at, field)
  const o = putVarInt(buf, at, field.length)
  buf.set(field, o)
  return o + field.length
}

/**
 * Header keys and values repeat from record to record ('content-type', a service name): the UTF-8
 * bytes of the string last seen in each of the first headers' places are kept, and a string seen
 * twice in a row is copied from them rather than encoded again (a native call per string).
 */
const REPEATED_HEADERS = 2
const MAX_REPEATED_UNITS = 64
const repeatedText: string[] = new Array<string>(2 * REPEATED_HEADERS).fill('')
const repeatedBytes: Array<Buffer | null> = new Array<Buffer | null>(2 * REPEATED_HEADERS).fill(null)

function putRepeatable(buf: Buffer, at: number, text: string, slot: number): number {
  if (text.length > MAX_REPEATED_UNITS) return putString(buf, at, text)
  if (text !== repeatedText[slot]) {
    repeatedText[slot] = text
    repeatedBytes[slot] = null
    return putString(buf, at, text)
  }
  let bytes = repeatedBytes[slot] as Buffer | null
  if (bytes === null) {
    bytes = Buffer.from(text, 'utf8')
    repeatedBytes[slot] = bytes
  }
  const n = bytes.length
  const o = putVarInt(buf, at, n)
  for (let i = 0; i < n; i++) buf[o + i] = bytes[i] as number
  return o + n
}

/**
 * Bytes a varint-prefixed field takes, with a string counted at `perUnit` UTF-8 bytes per UTF-16
 * unit (1 for the lower bound, 3 for the upper), or exactly for bytes.
 */
function boundOfVarIntBytes(bytes: EncodableBytes, perUnit: number): number {
  if (bytes === null) return 1
  if (typeof bytes !== 'string') return sizeOfVarInt(bytes.length) + bytes.length
  const n = bytes.length * perUnit
  return sizeOfVarInt(n) + n
}

/** Bytes of the largest offset delta (an int32 varint) and timestamp delta (an int64 varlong). */
const MAX_DELTAS_BYTES = 5 + 10

/**
 * The size of a record as `writeRecord` will write it in any batch, or more (never less): strings
 * at 3 bytes per UTF-16 unit, and the largest offset and timestamp deltas.
 */
export function recordSizeUpperBound(
  key: EncodableBytes,
  value: EncodableBytes,
  headers: readonly EncodableHeader[] = NO_HEADERS,
): number {
  let body =
    1 + MAX_DELTAS_BYTES + sizeOfVarInt(headers.length) + boundOfVarIntBytes(key, 3) + boundOfVarIntBytes(value, 3)
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i] as EncodableHeader
    body += boundOfVarIntBytes(header.key, 3) + boundOfVarIntBytes(header.value, 3)
  }
  return sizeOfVarInt(body) + body
}

/**
 * Reads one record. Its declared length bounds every field: a field running past it, or fields
 * ending before it, raise a ProtocolError.
 */
export function readRecord(r: Reader): KafkaRecord {
  const recordStart = r.offset
  const length = r.readVarInt()
  if (length < 0) throw new ProtocolError(`negative record length ${length} at offset ${recordStart}`)
  const bodyStart = r.offset
  if (length > r.end - bodyStart) {
    throw new ProtocolError(
      `record at offset ${recordStart} declares ${length} byte(s) but only ${r.end - bodyStart} remain`,
    )
  }
  const bodyEnd = bodyStart + length
  const outerEnd = r.end
  r.end = bodyEnd
  try {
    const attributes = r.readInt8()
    const timestampDelta = r.readVarLong()
    const offsetDelta = r.readVarInt()
    const key = readNullableBytes(r, 'record key')
    const value = readNullableBytes(r, 'record value')
    const count = r.readVarInt()
    if (count < 0) throw new ProtocolError(`negative record header count ${count}`)
    // Each header takes at least two bytes (two one-byte lengths).
    if (count * 2 > r.end - r.offset) {
      throw new ProtocolError(`record header count ${count} exceeds the ${r.end - r.offset} byte(s) left in the record`)
    }
    const headers: RecordHeader[] = new Array(count)
    for (let i = 0; i < count; i++) {
      const keyLength = r.readVarInt()
      if (keyLength < 0) throw new ProtocolError(`record header ${i} has a null or negative key length ${keyLength}`)
      const keyBytes = r.readRaw(keyLength, 'record header key')
      headers[i] = { key: keyBytes.toString('utf8'), value: readNullableBytes(r, 'record header value') }
    }
    if (r.offset !== bodyEnd) {
      throw new ProtocolError(`record declares ${length} byte(s) but its fields take ${r.offset - bodyStart}`)
    }
    return { attributes, timestampDelta, offsetDelta, key, value, headers }
  } catch (error) {
    if (ProtocolError.isInstance(error)) {
      throw new ProtocolError(`invalid record at offset ${recordStart}: ${error.message}`, { cause: error })
    }
    throw error
  } finally {
    r.end = outerEnd
  }
}

function readNullableBytes(r: Reader, what: string): Buffer | null {
  const at = r.offset
  const n = r.readVarInt()
  if (n === -1) return null
  if (n < 0) throw new ProtocolError(`negative length ${n} for ${what} at offset ${at}`)
  return r.readRaw(n, what)
}
