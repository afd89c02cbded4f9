import { Buffer } from 'node:buffer'
import { SerializationError, type Serializer, type SerializerContext } from '@tributary/core'
import {
  type SchemaReference,
  type SchemaRegistryClient,
  type SubjectNameStrategy,
  TopicNameStrategy,
  WIRE_HEADER_SIZE,
  writeWireHeader,
} from '@tributary/schema-registry'
import type * as avro from 'avsc'
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
export interface AvroSerializerOptions extends AvroParseOptions {
  /** The writer schema: an avsc Type, a schema object, or its JSON text. Optional only with `useLatest`. */
  schema?: AvroSchemaInput | undefined
  /** The writer schema as an avsc Type (the same as passing a Type as `schema`). */
  type?: avro.Type | undefined
  /**
   * A schema registry client: values are written in the Confluent wire format (magic byte 0, the schema
   * id, the Avro binary). Without it, plain Avro binary.
   */
  registry?: SchemaRegistryClient | undefined
  /** A fixed subject; default from `strategy`. */
  subject?: string | undefined
  /** How the subject is named; default `TopicNameStrategy` (`<topic>-key` / `<topic>-value`). */
  strategy?: SubjectNameStrategy | undefined
  /** Register the schema when the subject lacks it (default true, as `auto.register.schemas`); false only looks it up. */
  autoRegister?: boolean | undefined
  /** Write with the subject's latest registered schema instead (as `use.latest.version`); default false. */
  useLatest?: boolean | undefined
  /** Registered schemas this one refers to by name (sent when registering). */
  references?: readonly SchemaReference[] | undefined
}

/** A core `Serializer<T>` that writes Avro, with the writer type at hand. */
export interface AvroSerializer<T> extends Serializer<T> {
  /** The local writer type; undefined when only `useLatest` names the schema. */
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
export function avroSerializer<T>(options: AvroSerializerOptions): AvroSerializer<T> {
  const given = options.type ?? options.schema
  const registry = options.registry
  const useLatest = options.useLatest === true
  if (given === undefined && !(useLatest && registry !== undefined)) {
    throw new TypeError('avroSerializer needs a schema (or type), or useLatest with a registry')
  }
  const localType = given === undefined ? undefined : toType(given, options)
  const localText = given === undefined || localType === undefined ? undefined : schemaText(given, localType)
  const encoder = new Encoder()

  if (registry === undefined) {
    const type = localType as avro.Type
    const plain = (value: T, context: SerializerContext): Buffer | null => {
      if (value === null || value === undefined) return null
      validate(type, value, context)
      return encoder.encode(type, value, 0)
    }
    return Object.assign(plain, { type })
  }

  const autoRegister = options.autoRegister !== false
  const strategy = options.strategy ?? TopicNameStrategy
  const fixedSubject = options.subject
  const references = options.references ?? []
  const states = new Map<string, SubjectState | Promise<SubjectState>>()

  const resolve = async (subject: string): Promise<SubjectState> => {
    if (useLatest) {
      const latest = await registry.getLatest(subject)
      return { id: latest.id, type: await parseRegisteredSchema(registry, latest, options) }
    }
    const schema = { schema: localText as string, references }
    const id = autoRegister ? await registry.register(subject, schema) : await registry.getId(subject, schema)
    return { id, type: localType as avro.Type }
  }

  const framed = (state: SubjectState, value: T, context: SerializerContext): Buffer => {
    validate(state.type, value, context)
    const out = encoder.encode(state.type, value, WIRE_HEADER_SIZE)
    writeWireHeader(out, state.id)
    return out
  }

  const serialize = (value: T, context: SerializerContext): Buffer | null | Promise<Buffer | null> => {
    if (value === null || value === undefined) return null
    const subject =
      fixedSubject ??
      subjectFor(strategy, context, localType?.name, (error) => {
        throw new SerializationError(context.part, context.topic, error)
      })
    const state = states.get(subject)
    if (state !== undefined && !(state instanceof Promise)) return framed(state, value, context)
    // First record of this subject: fail an invalid value at once, before waiting for the registry.
    if (localType !== undefined && !useLatest) validate(localType, value, context)
    let pending = state
    if (pending === undefined) {
      pending = resolve(subject).then(
        (resolved) => {
          states.set(subject, resolved)
          return resolved
        },
        (error: unknown) => {
          states.delete(subject)
          throw error
        },
      )
      states.set(subject, pending)
    }
    return pending.then(
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

function subjectFor(
  strategy: SubjectNameStrategy,
  context: SerializerContext,
  recordName: string | undefined,
  fail: (error: unknown) => never,
): string {
  try {
    return strategy({
      topic: context.topic,
      isKey: context.part === 'key' || context.part === 'headerKey',
      recordName,
    })
  } catch (error) {
    return fail(error)
  }
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
