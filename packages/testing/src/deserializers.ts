import type { Buffer } from 'node:buffer'

// Deserializers for reading what a producer wrote, in tests: the shape `MockCluster.decodedRecords`
// and `waitForRecords` take, which the Avro and Protobuf packages' deserializers (`avroDeserializer`,
// `protobufDeserializer`) already have, plus the two that need no package: string and JSON.

/** What a deserializer is told about the bytes it reads. */
export interface DeserializerContext {
  readonly topic: string
  /** Which part of the record the bytes are. */
  readonly part: 'key' | 'value' | 'headerValue'
  readonly partition: number
  readonly offset: bigint
  /** The record's headers as stored (undecoded), in order, duplicates kept. */
  readonly headers: ReadonlyArray<{ readonly key: string; readonly value: Buffer | null }>
  /** For `part: 'headerValue'`: the header's key. */
  readonly headerKey?: string | undefined
}

/**
 * Reads one key, value or header value back: bytes (or `null` for a null key or value, a tombstone)
 * in, a value or a promise of one out. `avroDeserializer(...)` and `protobufDeserializer(...)` from
 * `@tributary/serializer-avro` and `@tributary/serializer-protobuf` are deserializers of this shape.
 */
export type Deserializer<T> = (data: Buffer | null, context: DeserializerContext) => T | Promise<T>

/**
 * Reads UTF-8 text, as Kafka's `StringDeserializer` does (the inverse of core's `stringSerializer`);
 * `null` stays `null`.
 */
export function stringDeserializer(): Deserializer<string | null> {
  return (data) => (data === null ? null : data.toString('utf8'))
}

/** Options of `jsonDeserializer`. */
export interface JsonDeserializerOptions {
  /** Passed to `JSON.parse`. */
  reviver?: ((this: unknown, key: string, value: unknown) => unknown) | undefined
}

/**
 * Reads UTF-8 JSON (the inverse of core's `jsonSerializer`); `null` stays `null`. Bytes that are not
 * JSON throw, and `decodedRecords` reports which record they came from. `T` is what the test
 * expects, not checked.
 */
export function jsonDeserializer<T = unknown>(options: JsonDeserializerOptions = {}): Deserializer<T | null> {
  const reviver = options.reviver
  return (data) => (data === null ? null : (JSON.parse(data.toString('utf8'), reviver) as T))
}
