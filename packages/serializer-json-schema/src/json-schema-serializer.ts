import { Buffer } from 'node:buffer'
import { SerializationError, type Serializer, type SerializerContext } from '@tributary/core'
import {
  resolveWriterSchema,
  type Schema,
  type SchemaRegistrySerializerOptions,
  SubjectCache,
  subjectNameOf,
  WIRE_HEADER_SIZE,
  writerSchemaMode,
  writeWireHeader,
} from '@tributary/schema-registry'
import {
  compileValidator,
  type DeepReadonly,
  fetchReferences,
  type JsonSchemaInput,
  type JsonSchemaReference,
  type JsonSchemaType,
  type JsonSchemaValidationOptions,
  schemaObject,
  schemaText,
  schemaTitle,
  type Validator,
} from './json-schema.js'

/** Options of `jsonSchemaSerializer`. */
export interface JsonSchemaSerializerOptions<
  S extends JsonSchemaInput = JsonSchemaInput,
  R extends readonly JsonSchemaReference[] = readonly JsonSchemaReference[],
> extends SchemaRegistrySerializerOptions,
    JsonSchemaValidationOptions {
  /**
   * The schema values are written with: an object (written `as const`, the value type is inferred from
   * it), a boolean, or its JSON text. Optional only with `useLatestVersion` or `useSchemaId`.
   */
  schema?: S | undefined
  /** Registered schemas this one refers to with `$ref` by name (sent when registering). */
  references?: R | undefined
}

/** A core `Serializer` that writes JSON checked against a JSON Schema; `null` is a tombstone. */
export interface JsonSchemaSerializer<T> extends Serializer<T | null> {
  /** The local schema, parsed; undefined when only the registry names it. */
  readonly schema: Readonly<Record<string, unknown>> | boolean | undefined
}

interface SubjectState {
  readonly id: number
  readonly validate: Validator | undefined
}

/**
 * A core `Serializer` that writes values as JSON (UTF-8), validated first against a JSON Schema with
 * ajv, in the draft the schema names (2020-12, 2019-09, draft-07 by default): plain JSON, or with a
 * `registry` the Confluent wire format (magic byte 0, the schema id, the JSON) under a schema of type
 * `JSON`, as Confluent's JSON Schema serializers write it. A schema written `as const` gives the
 * value type (json-schema-to-ts), so `send({ value: { wrong: true } })` is a compile error; an
 * explicit `<T>` wins. `null` and `undefined` are tombstones (a null value), whatever the type.
 */
export function jsonSchemaSerializer<
  T = never,
  const S extends JsonSchemaInput = JsonSchemaInput,
  const R extends readonly JsonSchemaReference[] = readonly JsonSchemaReference[],
>(
  options: JsonSchemaSerializerOptions<S, R>,
): JsonSchemaSerializer<NoInfer<[T] extends [never] ? DeepReadonly<JsonSchemaType<S, R>> : T>> {
  type V = [T] extends [never] ? DeepReadonly<JsonSchemaType<S, R>> : T
  const registry = options.registry
  const mode = registry === undefined ? undefined : writerSchemaMode(options, 'jsonSchemaSerializer')
  const fromRegistry = mode !== undefined && (mode.kind === 'latest' || mode.kind === 'id')
  if (options.schema === undefined && !fromRegistry) {
    throw new TypeError('jsonSchemaSerializer needs a schema, or useLatestVersion or useSchemaId with a registry')
  }
  const local = options.schema === undefined ? undefined : schemaObject(options.schema)
  const references = options.references ?? []
  const validating = options.validate !== false
  // Compiled now when every referenced schema is at hand, so a bad value fails before any HTTP.
  const localValidator =
    local !== undefined && validating && references.every((r) => r.schema !== undefined)
      ? compileValidator(
          local,
          references.map((r) => ({ name: r.name, schema: schemaObject(r.schema as JsonSchemaInput) })),
          options,
        )
      : undefined

  const check = (validate: Validator | undefined, value: unknown, context: SerializerContext): void => {
    if (validate === undefined) return
    try {
      validate(value)
    } catch (error) {
      throw new SerializationError(context.part, context.topic, error)
    }
  }

  if (registry === undefined || mode === undefined) {
    if (validating && localValidator === undefined) {
      throw new TypeError('jsonSchemaSerializer without a registry needs the content (`schema`) of every reference')
    }
    const plain = (value: V | null, context: SerializerContext): Buffer | null => {
      if (value === null || value === undefined) return null
      check(localValidator, value, context)
      return Buffer.from(JSON.stringify(value), 'utf8')
    }
    return Object.assign(plain, { schema: local as JsonSchemaSerializer<V>['schema'] })
  }

  const localSchema: Schema | undefined =
    options.schema === undefined
      ? undefined
      : {
          schema: schemaText(options.schema),
          schemaType: 'JSON',
          references: references.map(({ name, subject, version }) => ({ name, subject, version })),
        }
  const recordName = local === undefined ? undefined : schemaTitle(local)

  const states = new SubjectCache<SubjectState>(async (subject) => {
    const writer = await resolveWriterSchema(registry, subject, mode, localSchema)
    if (!validating) return { id: writer.id, validate: undefined }
    if (writer.registered === undefined && localValidator !== undefined)
      return { id: writer.id, validate: localValidator }
    const schema = writer.registered ?? (localSchema as Schema)
    const refs = await fetchReferences(registry, schema)
    return { id: writer.id, validate: compileValidator(schemaObject(schema.schema), refs, options) }
  })

  const framed = (state: SubjectState, value: unknown, context: SerializerContext): Buffer => {
    check(state.validate, value, context)
    const json = JSON.stringify(value)
    const out = Buffer.allocUnsafe(WIRE_HEADER_SIZE + Buffer.byteLength(json))
    writeWireHeader(out, state.id)
    out.write(json, WIRE_HEADER_SIZE, 'utf8')
    return out
  }

  const serialize = (value: V | null, context: SerializerContext): Buffer | null | Promise<Buffer | null> => {
    if (value === null || value === undefined) return null
    let subject: string
    try {
      subject = subjectNameOf(options, context.topic, context.part, recordName)
    } catch (error) {
      throw new SerializationError(context.part, context.topic, error)
    }
    const known = states.peek(subject)
    if (known !== undefined) return framed(known, value, context)
    // First record of this subject: fail an invalid value at once, before asking the registry.
    if (!fromRegistry) check(localValidator, value, context)
    const state = states.get(subject)
    if (!(state instanceof Promise)) return framed(state, value, context)
    return state.then(
      (resolved) => framed(resolved, value, context),
      (error: unknown) => {
        throw SerializationError.isInstance(error) ? error : new SerializationError(context.part, context.topic, error)
      },
    )
  }
  return Object.assign(serialize, { schema: local as JsonSchemaSerializer<V>['schema'] })
}
