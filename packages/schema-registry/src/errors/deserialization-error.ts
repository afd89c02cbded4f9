import { SchemaRegistryError } from './schema-registry-error.js'

const BRAND = Symbol.for('tributary.schema-registry.error.deserialization')

/** Which part of a record was being read. */
export type DeserializationPart = 'key' | 'value' | 'headerKey' | 'headerValue'

/** What a DeserializationError knows about the record it could not read. */
export interface DeserializationErrorOptions {
  /** The schema format: `AVRO`, `PROTOBUF` or `JSON`. */
  format: 'AVRO' | 'PROTOBUF' | 'JSON'
  /** The schema id read from the record's header; undefined when the header itself is bad (or plain mode). */
  schemaId?: number | undefined
  /** The subject the record's schema belongs to, when known (given, or named from the topic). */
  subject?: string | undefined
  /** The topic, when the deserializer was told (its `context`). */
  topic?: string | undefined
  /** Which part of the record, when the deserializer was told. */
  part?: DeserializationPart | undefined
  /** What went wrong: a `WireFormatError`, a `SchemaRegistryError`, the decoder's or validator's error. */
  cause: unknown
}

/**
 * A deserializer could not read a record's bytes: not in the Confluent wire format, a schema id the
 * registry does not know (or could not be reached for), bytes that do not decode with the writer's
 * schema, or (JSON Schema) a value the schema rejects. Carries the schema id and subject where known and
 * the underlying error as `cause`. `retriable` only when the cause is (the registry could not be
 * reached); the same bytes fail the same way otherwise. `isInstance` works across duplicate ESM/CJS copies.
 */
export class DeserializationError extends Error {
  readonly code = -1
  /** True when retrying may succeed: the cause is a retriable registry error (e.g. no connection). */
  readonly retriable: boolean
  readonly format: 'AVRO' | 'PROTOBUF' | 'JSON'
  readonly schemaId: number | undefined
  readonly subject: string | undefined
  readonly topic: string | undefined
  readonly part: DeserializationPart | undefined
  private readonly [BRAND] = true

  constructor(options: DeserializationErrorOptions) {
    const { format, schemaId, subject, topic, part, cause } = options
    const what = part === undefined ? 'a record' : `the ${part} of a record`
    const where = topic === undefined ? '' : ` from topic '${topic}'`
    const ids: string[] = []
    if (schemaId !== undefined) ids.push(`schema id ${schemaId}`)
    if (subject !== undefined) ids.push(`subject '${subject}'`)
    const detail = cause instanceof Error ? cause.message : String(cause)
    super(`Could not deserialize ${what}${where} (${[formatLabel(format), ...ids].join(', ')}): ${detail}`, { cause })
    this.name = 'DeserializationError'
    this.format = format
    this.schemaId = schemaId
    this.subject = subject
    this.topic = topic
    this.part = part
    this.retriable = SchemaRegistryError.isInstance(cause) && cause.retriable
  }

  static isInstance(value: unknown): value is DeserializationError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}

function formatLabel(format: 'AVRO' | 'PROTOBUF' | 'JSON'): string {
  return format === 'AVRO' ? 'Avro' : format === 'PROTOBUF' ? 'Protobuf' : 'JSON Schema'
}
