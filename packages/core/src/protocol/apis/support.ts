import { Buffer } from 'node:buffer'
import { ProtocolError } from '../../errors/protocol-error.js'
import type { Reader } from '../buffer/reader.js'
import type { Writer } from '../buffer/writer.js'

// Small helpers shared by the generated API definitions (apis/<api>/<api>.ts).

/** Kafka's zero UUID in the base64url form `Reader.readUuid` returns. */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/** The default of a bytes field. Zero-length, so sharing it is safe. */
export const EMPTY_BUFFER: Buffer = Buffer.alloc(0)

/** Written in place of an array field left undefined. */
export const EMPTY_ARRAY: readonly never[] = Object.freeze([])

/** The error for a version outside an API's supported range. */
export function unsupportedVersion(api: string, version: number, min: number, max: number): ProtocolError {
  return new ProtocolError(`${api} version ${version} is not supported (supported: ${min}-${max})`)
}

/** The error for a null in a field that is not nullable in this version (encoding or decoding). */
export function nullNotAllowed(field: string, version: number): ProtocolError {
  return new ProtocolError(`${field} cannot be null in version ${version}`)
}

/**
 * Starts a tagged field: writes the tag and reserves one byte for the size, which `endTaggedField`
 * fills in (moving the field's bytes when the size needs more than one byte). Returns the offset
 * of the reserved byte. The field must not attach external buffers.
 */
export function beginTaggedField(w: Writer, tag: number): number {
  w.writeUnsignedVarInt(tag)
  return w.reserve(1)
}

/** Completes a tagged field started with `beginTaggedField`. */
export function endTaggedField(w: Writer, at: number): void {
  const size = w.offset - at - 1
  if (size < 0x80) {
    w.buffer[at] = size
    return
  }
  let extra = 0
  for (let v = size >>> 7; v > 0; v >>>= 7) extra++
  w.ensure(extra)
  w.buffer.copyWithin(at + 1 + extra, at + 1, w.offset)
  const end = w.offset + extra
  w.offset = at
  w.writeUnsignedVarInt(size)
  w.offset = end
}

/** Checks that a tagged field of `size` bytes fits in what remains and returns where it ends. */
export function taggedFieldEnd(r: Reader, size: number): number {
  if (size > r.end - r.offset) {
    throw new ProtocolError(
      `truncated input: tagged field of ${size} byte(s) at offset ${r.offset}, but only ${r.end - r.offset} remain`,
    )
  }
  return r.offset + size
}
