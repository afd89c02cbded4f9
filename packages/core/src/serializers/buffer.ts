import { Buffer } from 'node:buffer'
import { SerializationError } from '../errors/serialization-error.js'
import type { Serializer, SerializerContext } from '../plugins.js'

/**
 * Passes bytes through: a Buffer as is, a Uint8Array as a Buffer over the same memory (no copy);
 * `null` and `undefined` become null. Anything else throws a SerializationError. Synchronous.
 */
export function bufferSerializer(): Serializer<Buffer | Uint8Array | null | undefined> {
  return serializeBuffer
}

function serializeBuffer(value: Buffer | Uint8Array | null | undefined, context: SerializerContext): Buffer | null {
  if (value instanceof Uint8Array) return asBuffer(value)
  if (value === null || value === undefined) return null
  throw new SerializationError(
    context.part,
    context.topic,
    new TypeError(`bufferSerializer expects a Buffer, a Uint8Array, null or undefined, got ${typeof value}`),
  )
}

/** A Buffer over the same memory as `bytes`, without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
