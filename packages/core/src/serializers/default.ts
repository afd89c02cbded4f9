import { Buffer } from 'node:buffer'
import { SerializationError } from '../errors/serialization-error.js'
import type { Serializer, SerializerContext } from '../plugins.js'
import { asBuffer } from './buffer.js'

/**
 * What a producer without serializers uses for keys, values and header values: bytes pass through
 * (a Uint8Array without copying), strings become UTF-8, `null` and `undefined` become null. Anything
 * else throws a SerializationError saying to configure a serializer. Synchronous.
 */
export const defaultSerializer: Serializer<Buffer | Uint8Array | string | null | undefined> = serializeDefault

function serializeDefault(
  value: Buffer | Uint8Array | string | null | undefined,
  context: SerializerContext,
): Buffer | null {
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  if (value instanceof Uint8Array) return asBuffer(value)
  if (value === null || value === undefined) return null
  throw new SerializationError(
    context.part,
    context.topic,
    new TypeError(
      `without a ${context.part} serializer, a Buffer, a Uint8Array, a string or null is expected, got ${typeof value}; ` +
        `configure serializers.${context.part} (e.g. jsonSerializer())`,
    ),
  )
}
