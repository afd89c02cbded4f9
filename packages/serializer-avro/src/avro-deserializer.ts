import type { SerializerContext } from '@tributary/core'
import { decodeWireFormat, type SchemaRegistryClient } from '@tributary/schema-registry'
import type * as avro from 'avsc'
import { type AvroParseOptions, type AvroSchemaInput, toType } from './avro-type.js'
import { parseRegisteredSchema } from './registered-schema.js'

/** Options of `avroDeserializer`. */
export interface AvroDeserializerOptions extends AvroParseOptions {
  /**
   * The reader schema: values are resolved into it from whatever schema wrote them (Avro schema
   * evolution: added fields take their defaults, removed ones are skipped, ints promote to longs, ...).
   * Without one, values are read with the writer's schema. Required without a registry.
   */
  schema?: AvroSchemaInput | undefined
  /** The reader schema as an avsc Type. */
  type?: avro.Type | undefined
  /** Read the Confluent wire format, fetching each writer schema by its id (cached). */
  registry?: SchemaRegistryClient | undefined
  /** Without a registry: the schema the plain Avro was written with, when it is not the reader's. */
  writerSchema?: AvroSchemaInput | undefined
}

/** Reads one record's bytes (a key or a value) back into a value; `null` stays `null`. */
export type AvroDeserializer<T> = (
  data: Uint8Array | null | undefined,
  context?: Partial<SerializerContext>,
) => Promise<T | null>

type Decode = (payload: Buffer) => unknown

/**
 * Reads Avro written by `avroSerializer` or any Confluent-compatible serializer: with a `registry`, the
 * Confluent wire format (the writer schema fetched by id, once); without, plain Avro binary. Given a
 * reader `schema`, values written with an older or newer compatible schema are resolved into it (avsc
 * resolvers, cached per writer schema).
 */
export function avroDeserializer<T>(options: AvroDeserializerOptions): AvroDeserializer<T> {
  const readerGiven = options.type ?? options.schema
  const reader = readerGiven === undefined ? undefined : toType(readerGiven, options)
  const registry = options.registry

  if (registry === undefined) {
    if (reader === undefined) throw new TypeError('avroDeserializer needs a schema without a registry')
    const writer = options.writerSchema === undefined ? undefined : toType(options.writerSchema, options)
    const decode = decoderFor(reader, writer)
    return async (data) => (data === null || data === undefined ? null : (decode(asBuffer(data)) as T))
  }

  const decoders = new Map<number, Promise<Decode>>()
  const decoderById = (id: number): Promise<Decode> => {
    let decoder = decoders.get(id)
    if (decoder === undefined) {
      decoder = registry
        .getSchemaById(id)
        .then((schema) => parseRegisteredSchema(registry, schema, options))
        .then((writer) => (reader === undefined ? decoderFor(writer, undefined) : decoderFor(reader, writer)))
      decoder.catch(() => decoders.delete(id))
      decoders.set(id, decoder)
    }
    return decoder
  }

  return async (data) => {
    if (data === null || data === undefined) return null
    const { schemaId, payload } = decodeWireFormat(data)
    const decode = await decoderById(schemaId)
    try {
      return decode(payload) as T
    } catch (error) {
      throw new Error(
        `Could not read Avro written with schema id ${schemaId}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      )
    }
  }
}

function decoderFor(reader: avro.Type, writer: avro.Type | undefined): Decode {
  if (writer === undefined || writer === reader) return (payload) => reader.fromBuffer(payload)
  const resolver = reader.createResolver(writer)
  return (payload) => reader.fromBuffer(payload, resolver)
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
}
