import { Buffer } from 'node:buffer'
import {
  type DeserializerContext,
  decodeWireFormat,
  deserializationError,
  type SchemaRegistryClient,
  type SubjectNameStrategy,
} from '@tributary/schema-registry'
import {
  compileValidator,
  fetchReferences,
  type JsonSchemaInput,
  type JsonSchemaReference,
  type JsonSchemaType,
  type JsonSchemaValidationOptions,
  schemaObject,
  type Validator,
} from './json-schema.js'

/** Options of `jsonSchemaDeserializer`. */
export interface JsonSchemaDeserializerOptions<
  S extends JsonSchemaInput = JsonSchemaInput,
  R extends readonly JsonSchemaReference[] = readonly JsonSchemaReference[],
> extends JsonSchemaValidationOptions {
  /**
   * The reader's schema: values are validated against it (instead of the writer's), and, written
   * `as const`, it gives the value type. Required for validation without a registry.
   */
  schema?: S | undefined
  /** With `schema`: the schemas it references, by name, with their content. */
  references?: R | undefined
  /** Read the Confluent wire format, fetching each writer schema by id (cached) to validate with. */
  registry?: SchemaRegistryClient | undefined
  /** The subject named in errors; default from `strategy` and the context's topic. */
  subject?: string | undefined
  /** How the subject named in errors is found; default `TopicNameStrategy`. */
  strategy?: SubjectNameStrategy | undefined
}

/** Reads one record's bytes (a key or a value) back into a value; `null` stays `null`. */
export type JsonSchemaDeserializer<T> = (
  data: Uint8Array | null | undefined,
  context?: DeserializerContext,
) => Promise<T | null>

/**
 * Reads JSON written by `jsonSchemaSerializer` or any Confluent JSON Schema serializer: with a
 * `registry`, the Confluent wire format; without, plain JSON. Values are validated (unless
 * `validate: false`) against the reader `schema` if given, else the writer's schema from the registry
 * (fetched once per id, with its references). What cannot be read fails with a `DeserializationError`
 * carrying the schema id, the subject when known, and the cause. Values are plain objects, as
 * `JSON.parse` makes them.
 */
export function jsonSchemaDeserializer<
  T = never,
  const S extends JsonSchemaInput = JsonSchemaInput,
  const R extends readonly JsonSchemaReference[] = readonly JsonSchemaReference[],
>(
  options: JsonSchemaDeserializerOptions<S, R>,
): JsonSchemaDeserializer<NoInfer<[T] extends [never] ? JsonSchemaType<S, R> : T>> {
  type V = [T] extends [never] ? JsonSchemaType<S, R> : T
  const registry = options.registry
  const validating = options.validate !== false
  const references = options.references ?? []
  const reader = options.schema === undefined ? undefined : schemaObject(options.schema)
  const readerIsLocal = references.every((r) => r.schema !== undefined)
  const readerValidator =
    reader !== undefined && validating && readerIsLocal
      ? compileValidator(
          reader,
          references.map((r) => ({ name: r.name, schema: schemaObject(r.schema as JsonSchemaInput) })),
          options,
        )
      : undefined
  if (reader !== undefined && validating && !readerIsLocal && registry === undefined) {
    throw new TypeError('jsonSchemaDeserializer without a registry needs the content (`schema`) of every reference')
  }

  const fail = (cause: unknown, context: DeserializerContext | undefined, schemaId: number | undefined): never => {
    throw deserializationError('JSON', options, cause, context, schemaId)
  }

  const parse = (bytes: Uint8Array): unknown =>
    JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))

  if (registry === undefined) {
    return async (data, context) => {
      if (data === null || data === undefined) return null
      try {
        const value = parse(data)
        readerValidator?.(value)
        return value as V
      } catch (error) {
        return fail(error, context, undefined)
      }
    }
  }

  const validators = new Map<number, Promise<Validator | undefined>>()
  const validatorFor = (id: number): Promise<Validator | undefined> => {
    if (!validating) return Promise.resolve(undefined)
    if (readerValidator !== undefined) return Promise.resolve(readerValidator)
    let pending = validators.get(id)
    if (pending === undefined) {
      pending = (async () => {
        if (reader !== undefined) {
          // A reader schema whose references live in the registry.
          const refs = await fetchReferences(registry, { schema: JSON.stringify(reader), references })
          return compileValidator(reader, refs, options)
        }
        const writer = await registry.getSchemaById(id)
        if (writer.schemaType !== 'JSON') {
          throw new TypeError(`expected a JSON Schema, the registry has a ${writer.schemaType ?? 'AVRO'} schema`)
        }
        return compileValidator(schemaObject(writer.schema), await fetchReferences(registry, writer), options)
      })()
      pending.catch(() => validators.delete(id))
      validators.set(id, pending)
    }
    return pending
  }

  return async (data, context) => {
    if (data === null || data === undefined) return null
    let schemaId: number | undefined
    try {
      const record = decodeWireFormat(data)
      schemaId = record.schemaId
      const validate = await validatorFor(schemaId)
      const value = parse(record.payload)
      validate?.(value)
      return value as V
    } catch (error) {
      return fail(error, context, schemaId)
    }
  }
}
