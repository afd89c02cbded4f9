import { Buffer } from 'node:buffer'
import { SerializationError, type Serializer, type SerializerContext } from '@tributary/core'
import {
  resolveWriterSchema,
  type SchemaReference,
  type SchemaRegistrySerializerOptions,
  SubjectCache,
  subjectNameOf,
  WIRE_HEADER_SIZE,
  writerSchemaMode,
  writeWireHeader,
} from '@tributary/schema-registry'
import type * as avro from 'avsc'
import type { AvroLogicalTypeMap, AvroValue, NoLogicalTypes } from './avro-infer.js'
import {
  type AvroParseOptions,
  type AvroSchemaInput,
  schemaText,
  toType,
  typeLabel,
  validationProblems,
} from './avro-type.js'
import { AvroValidationError } from './avro-validation-error.js'
import { parseRegisteredSchema } from './registered-schema.js'

/** Options of `avroSerializer`. */
export interface AvroSerializerOptions<
  S extends AvroSchemaInput = AvroSchemaInput,
  L extends AvroLogicalTypeMap = AvroLogicalTypeMap,
> extends Omit<AvroParseOptions, 'logicalTypes'>,
    SchemaRegistrySerializerOptions {
  /**
   * The writer schema: a schema object (written inline or `as const`, the value type is inferred from
   * it), its JSON text, a bare type name (`'string'`), or an avsc Type. Optional only with
   * `useLatestVersion` or `useSchemaId`.
   */
  schema?: S | undefined
  /** The writer schema as an avsc Type (the same as passing a Type as `schema`). */
  type?: avro.Type | undefined
  /** Registered schemas this one refers to by name (sent when registering). */
  references?: readonly SchemaReference[] | undefined
  /**
   * Implementations of logical types by name, e.g. `{ 'timestamp-millis': DateType }` (avsc's
   * `logicalTypes`); a logical type without one reads and writes as its underlying type.
   */
  logicalTypes?: L | undefined
}

/** A core `Serializer` that writes Avro, with the writer type at hand. `null` is a tombstone, whatever `T`. */
export interface AvroSerializer<T> extends Serializer<T | null> {
  /** The local writer type; undefined when only `useLatestVersion` or `useSchemaId` names the schema. */
  readonly type: avro.Type | undefined
}

interface SubjectState {
  readonly id: number
  readonly type: avro.Type
}

/**
 * A core `Serializer<T>` that writes values as Avro with avsc: plain Avro binary, or with a `registry`
 * the Confluent wire format under the subject's schema id. The value is validated against the schema
 * first, so an invalid one fails with a `SerializationError` naming every bad field path and the type
 * it expected, and nothing is written. `null`/`undefined` serialize to a null value (a tombstone), as
 * in the Java serializer.
 *
 * With a registry, the first record of a subject registers (or looks up) the schema, and the ones after
 * it are serialized synchronously, with no HTTP; a failed look-up fails those records and is tried again
 * for the next one.
 */
export function avroSerializer<
  T = never,
  const S extends AvroSchemaInput = AvroSchemaInput,
  const L extends AvroLogicalTypeMap = NoLogicalTypes,
>(options: AvroSerializerOptions<S, L>): AvroSerializer<[T] extends [never] ? AvroValue<S, L, 'write'> : T> {
  type V = [T] extends [never] ? AvroValue<S, L, 'write'> : T
  const given = options.type ?? options.schema
  const registry = options.registry
  const mode = registry === undefined ? undefined : writerSchemaMode(options, 'avroSerializer')
  const fromRegistry = mode !== undefined && (mode.kind === 'latest' || mode.kind === 'id')
  if (given === undefined && !fromRegistry) {
    throw new TypeError('avroSerializer needs a schema (or type), or useLatestVersion or useSchemaId with a registry')
  }
  const localType = given === undefined ? undefined : toType(given, options)
  const localText = given === undefined || localType === undefined ? undefined : schemaText(given, localType)
  const encoder = new Encoder()

  if (registry === undefined || mode === undefined) {
    const type = localType as avro.Type
    const plain = (value: V | null, context: SerializerContext): Buffer | null => {
      if (value === null || value === undefined) return null
      validate(type, value, context)
      return encoder.encode(type, value, 0)
    }
    return Object.assign(plain, { type })
  }

  const references = options.references ?? []
  const states = new SubjectCache<SubjectState>(async (subject) => {
    const local = localText === undefined ? undefined : { schema: localText, references }
    const writer = await resolveWriterSchema(registry, subject, mode, local)
    if (writer.registered === undefined) return { id: writer.id, type: localType as avro.Type }
    return { id: writer.id, type: await parseRegisteredSchema(registry, writer.registered, options) }
  })

  const framed = (state: SubjectState, value: unknown, context: SerializerContext): Buffer => {
    validate(state.type, value, context)
    const out = encoder.encode(state.type, value, WIRE_HEADER_SIZE)
    writeWireHeader(out, state.id)
    return out
  }

  const serialize = (value: V | null, context: SerializerContext): Buffer | null | Promise<Buffer | null> => {
    if (value === null || value === undefined) return null
    let subject: string
    try {
      subject = subjectNameOf(options, context.topic, context.part, localType?.name)
    } catch (error) {
      throw new SerializationError(context.part, context.topic, error)
    }
    const known = states.peek(subject)
    if (known !== undefined) return framed(known, value, context)
    // First record of this subject: fail an invalid value at once, before asking the registry.
    if (localType !== undefined && !fromRegistry) validate(localType, value, context)
    const state = states.get(subject)
    if (!(state instanceof Promise)) return framed(state, value, context)
    return state.then(
      (resolved) => framed(resolved, value, context),
      (error: unknown) => {
        throw SerializationError.isInstance(error) ? error : new SerializationError(context.part, context.topic, error)
      },
    )
  }
  return Object.assign(serialize, { type: localType })
}

function validate(type: avro.Type, value: unknown, context: SerializerContext): void {
  if (type.isValid(value)) return
  const problems = validationProblems(type, value)
  throw new SerializationError(context.part, context.topic, new AvroValidationError(typeLabel(type), problems))
}

/**
 * Writes Avro into a reusable scratch buffer after room for a header, then copies out exactly the
 * bytes written: one allocation per record, and a value that fails half way leaves nothing behind.
 */
class Encoder {
  private scratch = Buffer.allocUnsafe(8192)

  encode(type: avro.Type, value: unknown, offset: number): Buffer {
    for (;;) {
      const end = type.encode(value, this.scratch, offset)
      if (end >= 0) {
        const out = Buffer.allocUnsafe(end)
        this.scratch.copy(out, 0, 0, end)
        return out
      }
      // avsc answers how many bytes were missing, as a negative number.
      this.scratch = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.scratch.length - end + 1024))
    }
  }
}
