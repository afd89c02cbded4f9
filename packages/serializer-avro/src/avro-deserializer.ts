import {
  type DeserializerContext,
  decodeWireFormat,
  deserializationError,
  type SchemaRegistryClient,
  type SubjectNameStrategy,
} from '@tributary/schema-registry'
import type * as avro from 'avsc'
import type { AvroLogicalTypeMap, AvroValue, NoLogicalTypes } from './avro-infer.js'
import { plainConverter } from './avro-plain.js'
import { type AvroParseOptions, type AvroSchemaInput, toType } from './avro-type.js'
import { parseRegisteredSchema } from './registered-schema.js'

/** Options of `avroDeserializer`. */
export interface AvroDeserializerOptions<
  S extends AvroSchemaInput = AvroSchemaInput,
  L extends AvroLogicalTypeMap = AvroLogicalTypeMap,
> extends Omit<AvroParseOptions, 'logicalTypes'> {
  /**
   * The reader schema: values are resolved into it from whatever schema wrote them (Avro schema
   * evolution: added fields take their defaults, removed ones are skipped, ints promote to longs, ...),
   * and, written inline or `as const`, it gives the value type. Without one, values are read with the
   * writer's schema. Required without a registry.
   */
  schema?: S | undefined
  /** The reader schema as an avsc Type. */
  type?: avro.Type | undefined
  /** Read the Confluent wire format, fetching each writer schema by its id (cached). */
  registry?: SchemaRegistryClient | undefined
  /** Without a registry: the schema the plain Avro was written with, when it is not the reader's. */
  writerSchema?: AvroSchemaInput | undefined
  /** Implementations of logical types by name, as for the serializer. */
  logicalTypes?: L | undefined
  /**
   * Return records as plain objects (default true), which `toStrictEqual` and `structuredClone` treat as
   * object literals; false returns avsc's record instances (a little cheaper, with avsc's methods).
   */
  plain?: boolean | undefined
  /** The subject named in errors; default from `strategy` and the context's topic. */
  subject?: string | undefined
  /** How the subject named in errors is found; default `TopicNameStrategy`. */
  strategy?: SubjectNameStrategy | undefined
}

/** Reads one record's bytes (a key or a value) back into a value; `null` stays `null`. */
export type AvroDeserializer<T> = (
  data: Uint8Array | null | undefined,
  context?: DeserializerContext,
) => Promise<T | null>

type Decode = (payload: Buffer) => unknown

/**
 * Reads Avro written by `avroSerializer` or any Confluent-compatible serializer: with a `registry`, the
 * Confluent wire format (the writer schema fetched by id, once); without, plain Avro binary. Given a
 * reader `schema`, values written with an older or newer compatible schema are resolved into it (avsc
 * resolvers, cached per writer schema). Records come back as plain objects unless `plain: false`. What
 * cannot be read fails with a `DeserializationError` carrying the schema id, the subject when known, and
 * the cause.
 */
export function avroDeserializer<
  T = never,
  const S extends AvroSchemaInput = AvroSchemaInput,
  const L extends AvroLogicalTypeMap = NoLogicalTypes,
>(options: AvroDeserializerOptions<S, L>): AvroDeserializer<[T] extends [never] ? AvroValue<S, L, 'read'> : T> {
  type V = [T] extends [never] ? AvroValue<S, L, 'read'> : T
  const readerGiven = options.type ?? options.schema
  const reader = readerGiven === undefined ? undefined : toType(readerGiven, options)
  const registry = options.registry
  const plain = options.plain !== false

  const fail = (cause: unknown, context: DeserializerContext | undefined, schemaId: number | undefined): never => {
    throw deserializationError('AVRO', options, cause, context, schemaId, reader?.name)
  }

  if (registry === undefined) {
    if (reader === undefined) throw new TypeError('avroDeserializer needs a schema without a registry')
    const writer = options.writerSchema === undefined ? undefined : toType(options.writerSchema, options)
    const decode = decoderFor(reader, writer, plain)
    return async (data, context) => {
      if (data === null || data === undefined) return null
      try {
        return decode(asBuffer(data)) as V
      } catch (error) {
        return fail(error, context, undefined)
      }
    }
  }

  const decoders = new Map<number, Promise<Decode>>()
  const decoderById = (id: number): Promise<Decode> => {
    let decoder = decoders.get(id)
    if (decoder === undefined) {
      decoder = registry
        .getSchemaById(id)
        .then((schema) => parseRegisteredSchema(registry, schema, options))
        .then((writer) =>
          reader === undefined ? decoderFor(writer, undefined, plain) : decoderFor(reader, writer, plain),
        )
      decoder.catch(() => decoders.delete(id))
      decoders.set(id, decoder)
    }
    return decoder
  }

  return async (data, context) => {
    if (data === null || data === undefined) return null
    let schemaId: number | undefined
    try {
      const record = decodeWireFormat(data)
      schemaId = record.schemaId
      const decode = await decoderById(schemaId)
      return decode(record.payload) as V
    } catch (error) {
      return fail(error, context, schemaId)
    }
  }
}

function decoderFor(reader: avro.Type, writer: avro.Type | undefined, plain: boolean): Decode {
  const convert = plain ? plainConverter(reader) : undefined
  const resolver = writer === undefined || writer === reader ? undefined : reader.createResolver(writer)
  const decode: Decode =
    resolver === undefined ? (payload) => reader.fromBuffer(payload) : (payload) => reader.fromBuffer(payload, resolver)
  return convert === undefined ? decode : (payload) => convert(decode(payload))
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
}
