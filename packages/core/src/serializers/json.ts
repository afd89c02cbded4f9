import { Buffer } from 'node:buffer'
import { SerializationError } from '../errors/serialization-error.js'
import type { Serializer, SerializerContext } from '../plugins.js'

/**
 * Serializes values as UTF-8 JSON. `undefined` and `null` become a null value (a tombstone), as with
 * Confluent's JSON serializer; a value JSON cannot represent (a BigInt, a cycle, a bare function)
 * throws a SerializationError naming the part. Synchronous.
 */
export function jsonSerializer<T>(): Serializer<T> {
  return serializeJson
}

function serializeJson(value: unknown, context: SerializerContext): Buffer | null {
  if (value === undefined || value === null) return null
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch (error) {
    throw new SerializationError(context.part, context.topic, error)
  }
  if (json === undefined) {
    throw new SerializationError(
      context.part,
      context.topic,
      new TypeError(`jsonSerializer cannot represent a ${typeof value} as JSON`),
    )
  }
  return Buffer.from(json, 'utf8')
}
