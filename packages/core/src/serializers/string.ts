import { Buffer } from 'node:buffer'
import { SerializationError } from '../errors/serialization-error.js'
import type { Serializer, SerializerContext } from '../plugins.js'

/**
 * Serializes strings as UTF-8, like Kafka's `StringSerializer`; `null` and `undefined` become a
 * null key or value (a tombstone). Synchronous, so it costs no promise per record.
 */
export function stringSerializer(): Serializer<string | null | undefined> {
  return serializeString
}

/** The function `stringSerializer()` returns: the producer writes its strings straight into batches. */
export function serializeString(value: string | null | undefined, context: SerializerContext): Buffer | null {
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  if (value === null || value === undefined) return null
  throw new SerializationError(
    context.part,
    context.topic,
    new TypeError(`stringSerializer expects a string, null or undefined, got ${typeof value}`),
  )
}
