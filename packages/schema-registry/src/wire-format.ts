import { Buffer } from 'node:buffer'
import { WireFormatError } from './errors/wire-format-error.js'

/** The first byte of every record in the Confluent wire format. */
export const MAGIC_BYTE = 0
/** Magic byte plus the 4-byte big-endian schema id. */
export const WIRE_HEADER_SIZE = 5

/** A record in the Confluent wire format, taken apart. */
export interface WireFormatRecord {
  /** The registry's global schema id. */
  readonly schemaId: number
  /** The serialized value after the header (and after the message indexes, for Protobuf). */
  readonly payload: Buffer
}

/** A Protobuf record in the Confluent wire format, taken apart. */
export interface ProtobufWireFormatRecord extends WireFormatRecord {
  /** Which message of the schema: `[0]` is the first top-level message, `[1, 0]` the first nested in the second. */
  readonly messageIndexes: readonly number[]
}

/** Writes the 5-byte header (magic byte 0, the schema id big-endian) at `offset`; returns the offset after it. */
export function writeWireHeader(target: Uint8Array, schemaId: number, offset = 0): number {
  checkSchemaId(schemaId)
  target[offset] = MAGIC_BYTE
  target[offset + 1] = (schemaId >>> 24) & 0xff
  target[offset + 2] = (schemaId >>> 16) & 0xff
  target[offset + 3] = (schemaId >>> 8) & 0xff
  target[offset + 4] = schemaId & 0xff
  return offset + WIRE_HEADER_SIZE
}

/**
 * Frames a payload: magic byte 0, the 4-byte big-endian schema id, then (for Protobuf, when given) the
 * message indexes, then the payload.
 */
export function encodeWireFormat(schemaId: number, payload: Uint8Array, messageIndexes?: readonly number[]): Buffer {
  const indexes = messageIndexes === undefined ? undefined : encodeMessageIndexes(messageIndexes)
  const headerSize = WIRE_HEADER_SIZE + (indexes?.length ?? 0)
  const out = Buffer.allocUnsafe(headerSize + payload.length)
  writeWireHeader(out, schemaId)
  if (indexes !== undefined) out.set(indexes, WIRE_HEADER_SIZE)
  out.set(payload, headerSize)
  return out
}

/** Reads the header of an Avro or JSON record in the Confluent wire format. */
export function decodeWireFormat(data: Uint8Array): WireFormatRecord {
  const schemaId = readWireHeader(data)
  return { schemaId, payload: asBuffer(data).subarray(WIRE_HEADER_SIZE) }
}

/** Reads the header and the message indexes of a Protobuf record in the Confluent wire format. */
export function decodeProtobufWireFormat(data: Uint8Array): ProtobufWireFormatRecord {
  const schemaId = readWireHeader(data)
  const { indexes, offset } = decodeMessageIndexes(data, WIRE_HEADER_SIZE)
  return { schemaId, messageIndexes: indexes, payload: asBuffer(data).subarray(offset) }
}

/** Reads the schema id of a record in the Confluent wire format, checking the magic byte. */
export function readWireHeader(data: Uint8Array): number {
  if (data.length < WIRE_HEADER_SIZE) {
    throw new WireFormatError(
      `expected at least ${WIRE_HEADER_SIZE} bytes (magic byte and schema id), got ${data.length}`,
    )
  }
  if (data[0] !== MAGIC_BYTE) {
    throw new WireFormatError(`unknown magic byte ${data[0]}: not in the Confluent wire format (magic byte 0)`)
  }
  return (
    (((data[1] as number) << 24) | ((data[2] as number) << 16) | ((data[3] as number) << 8) | (data[4] as number)) >>> 0
  )
}

/**
 * Protobuf message indexes as the Java serializer writes them: the count then each index, all as
 * zig-zag varints; the common `[0]` (the first message of the file) is the single byte 0.
 */
export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 0 || (indexes.length === 1 && indexes[0] === 0)) return Buffer.from([0])
  let size = zigZagVarintSize(indexes.length)
  for (const index of indexes) {
    checkIndex(index)
    size += zigZagVarintSize(index)
  }
  const out = Buffer.allocUnsafe(size)
  let offset = writeZigZagVarint(out, 0, indexes.length)
  for (const index of indexes) offset = writeZigZagVarint(out, offset, index)
  return out
}

/** Reads message indexes at `offset`; a count of 0 means `[0]`. Returns them and the offset after them. */
export function decodeMessageIndexes(data: Uint8Array, offset: number): { indexes: number[]; offset: number } {
  const count = readZigZagVarint(data, offset)
  offset = count.offset
  if (count.value === 0) return { indexes: [0], offset }
  if (count.value < 0 || count.value > data.length - offset) {
    throw new WireFormatError(`malformed Protobuf message indexes: count ${count.value}`)
  }
  const indexes: number[] = new Array(count.value)
  for (let i = 0; i < count.value; i++) {
    const index = readZigZagVarint(data, offset)
    if (index.value < 0) throw new WireFormatError(`malformed Protobuf message indexes: index ${index.value}`)
    indexes[i] = index.value
    offset = index.offset
  }
  return { indexes, offset }
}

function zigZagVarintSize(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0
  let size = 1
  while (v >= 0x80) {
    v >>>= 7
    size++
  }
  return size
}

function writeZigZagVarint(target: Uint8Array, offset: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0
  while (v >= 0x80) {
    target[offset++] = (v & 0x7f) | 0x80
    v >>>= 7
  }
  target[offset++] = v
  return offset
}

function readZigZagVarint(data: Uint8Array, offset: number): { value: number; offset: number } {
  let raw = 0
  for (let shift = 0; shift < 35; shift += 7) {
    if (offset >= data.length)
      throw new WireFormatError('malformed Protobuf message indexes: the record ends inside a varint')
    const byte = data[offset++] as number
    raw |= (byte & 0x7f) << shift
    if ((byte & 0x80) === 0) return { value: (raw >>> 1) ^ -(raw & 1), offset }
  }
  throw new WireFormatError('malformed Protobuf message indexes: varint longer than 5 bytes')
}

function checkSchemaId(schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
    throw new RangeError(`a schema id is an unsigned 32-bit integer, got ${schemaId}`)
  }
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > 0x3fffffff) {
    throw new RangeError(`a message index is a non-negative integer, got ${index}`)
  }
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
}
