import type { SchemaRegistryClient } from './client.js'
import { DeserializationError } from './errors/deserialization-error.js'
import { SchemaNotRegisteredError } from './errors/schema-not-registered-error.js'
import { SchemaRegistryError } from './errors/schema-registry-error.js'
import { type SubjectNameStrategy, TopicNameStrategy } from './subject-name-strategy.js'
import type { RegisteredSchema, Schema } from './types.js'

// What the Avro, Protobuf and JSON Schema serializers share: the registry options Confluent's
// serializers have (`auto.register.schemas`, `use.latest.version`, `use.schema.id`,
// `normalize.schemas`, the subject name strategy), how they choose the schema and id a record is
// written with, and a per-subject cache of that choice. Exported for serializer packages.

/** The schema registry options of a Tributary serializer, named as in Confluent's serializers. */
export interface SchemaRegistrySerializerOptions {
  /**
   * A schema registry client: values are written in the Confluent wire format (magic byte 0, the schema
   * id, then the payload). Without it, the plain format.
   */
  registry?: SchemaRegistryClient | undefined
  /** A fixed subject; default from `strategy`. */
  subject?: string | undefined
  /**
   * How the subject is named: `TopicNameStrategy` (the default, `<topic>-key` / `<topic>-value`),
   * `RecordNameStrategy`, `TopicRecordNameStrategy`, or a function.
   */
  strategy?: SubjectNameStrategy | undefined
  /**
   * Register the schema when the subject lacks it (`auto.register.schemas`); default true. False only
   * looks it up, and fails with a `SchemaNotRegisteredError` when it is not registered.
   */
  autoRegisterSchemas?: boolean | undefined
  /** @deprecated The same as `autoRegisterSchemas`. */
  autoRegister?: boolean | undefined
  /**
   * Write with the subject's latest registered schema and its id (`use.latest.version`); default false.
   * Registers nothing.
   */
  useLatestVersion?: boolean | undefined
  /** @deprecated The same as `useLatestVersion`. */
  useLatest?: boolean | undefined
  /**
   * Write with this schema id (`use.schema.id`), which must be registered under the subject. Registers
   * nothing; values are written (and checked) with that schema.
   */
  useSchemaId?: number | undefined
  /**
   * Ask the registry to normalize the schema when registering or looking it up (`normalize.schemas`),
   * so that schemas differing only in form (property order, full names, ...) get one id; default false.
   */
  normalizeSchemas?: boolean | undefined
}

/** How a serializer finds the schema id it writes with. */
export type WriterSchemaMode =
  | { readonly kind: 'register'; readonly normalize: boolean }
  | { readonly kind: 'lookup'; readonly normalize: boolean }
  | { readonly kind: 'latest' }
  | { readonly kind: 'id'; readonly id: number; readonly normalize: boolean }

/**
 * Reads the registry options into a mode, refusing contradictions: `useSchemaId` and
 * `useLatestVersion` register nothing, so either with `autoRegisterSchemas: true` (or both together)
 * is a TypeError naming the serializer.
 */
export function writerSchemaMode(options: SchemaRegistrySerializerOptions, serializer: string): WriterSchemaMode {
  const autoRegister = options.autoRegisterSchemas ?? options.autoRegister
  const useLatest = (options.useLatestVersion ?? options.useLatest) === true
  const normalize = options.normalizeSchemas === true
  const id = options.useSchemaId
  if (id !== undefined) {
    if (!Number.isInteger(id) || id < 0)
      throw new TypeError(`${serializer}: useSchemaId must be a schema id, got ${id}`)
    if (useLatest) throw new TypeError(`${serializer}: useSchemaId and useLatestVersion exclude each other`)
    if (autoRegister === true) {
      throw new TypeError(`${serializer}: useSchemaId registers nothing; it excludes autoRegisterSchemas: true`)
    }
    return { kind: 'id', id, normalize }
  }
  if (useLatest) {
    if (autoRegister === true) {
      throw new TypeError(`${serializer}: useLatestVersion registers nothing; it excludes autoRegisterSchemas: true`)
    }
    return { kind: 'latest' }
  }
  return autoRegister === false ? { kind: 'lookup', normalize } : { kind: 'register', normalize }
}

/** The schema id a record is written with, and the registry's schema when it is not the local one. */
export interface WriterSchema {
  readonly id: number
  /** The registered schema to write with (`useLatestVersion`, `useSchemaId`); undefined: the local schema. */
  readonly registered: RegisteredSchema | (Schema & { readonly id: number }) | undefined
}

/**
 * Finds (or registers) the schema a serializer writes a subject's records with, as Confluent's
 * serializers do: register the local schema, look it up, take the subject's latest version, or take
 * a given id after checking the subject has it. A schema that is not there fails with a
 * `SchemaNotRegisteredError` saying so; other registry errors pass through.
 */
export async function resolveWriterSchema(
  registry: SchemaRegistryClient,
  subject: string,
  mode: WriterSchemaMode,
  local: Schema | undefined,
): Promise<WriterSchema> {
  switch (mode.kind) {
    case 'register':
      return {
        id: await registry.register(subject, requireLocal(local), { normalize: mode.normalize }),
        registered: undefined,
      }
    case 'lookup':
      try {
        return {
          id: await registry.getId(subject, requireLocal(local), { normalize: mode.normalize }),
          registered: undefined,
        }
      } catch (error) {
        throw notRegistered(
          error,
          subject,
          `the schema is not registered under subject '${subject}', and autoRegisterSchemas is false: register it first (or let the serializer register it)`,
        )
      }
    case 'latest':
      try {
        const latest = await registry.getLatest(subject)
        return { id: latest.id, registered: latest }
      } catch (error) {
        throw notRegistered(
          error,
          subject,
          `subject '${subject}' has no registered schema for useLatestVersion to write with: register one first`,
        )
      }
    case 'id': {
      let schema: Schema
      try {
        schema = await registry.getSchemaById(mode.id, { subject })
      } catch (error) {
        throw notRegistered(error, subject, `schema id ${mode.id} (useSchemaId) is not registered`)
      }
      try {
        await registry.lookup(subject, schema, { normalize: mode.normalize })
      } catch (error) {
        throw notRegistered(
          error,
          subject,
          `schema id ${mode.id} (useSchemaId) is not registered under subject '${subject}': register it there first`,
        )
      }
      return { id: mode.id, registered: { ...schema, id: mode.id } }
    }
  }
}

function requireLocal(local: Schema | undefined): Schema {
  if (local === undefined) throw new TypeError('no local schema to register or look up')
  return local
}

function notRegistered(error: unknown, subject: string, message: string): unknown {
  if (SchemaRegistryError.isInstance(error) && (error.code === 40401 || error.code === 40403)) {
    return new SchemaNotRegisteredError(`${message} (${error.registryMessage})`, subject, error)
  }
  return error
}

/**
 * The subject of a record: the fixed `subject`, else the strategy's (default `TopicNameStrategy`) for
 * the topic, key or value, and the record name.
 */
export function subjectNameOf(
  options: Pick<SchemaRegistrySerializerOptions, 'subject' | 'strategy'>,
  topic: string,
  part: string | undefined,
  recordName: string | undefined,
): string {
  if (options.subject !== undefined) return options.subject
  const strategy = options.strategy ?? TopicNameStrategy
  return strategy({ topic, isKey: part === 'key' || part === 'headerKey', recordName })
}

/**
 * Per-subject state resolved once: the first caller of a subject starts `resolve`, callers meanwhile
 * share its promise, and callers after it get the value synchronously (no promise per record). A
 * failure is not kept: the next caller tries again.
 */
export class SubjectCache<T> {
  private readonly done = new Map<string, T>()
  private readonly pending = new Map<string, Promise<T>>()

  constructor(private readonly resolve: (subject: string) => Promise<T>) {}

  /** The subject's value if resolved, else the promise of it. */
  get(subject: string): T | Promise<T> {
    if (this.done.has(subject)) return this.done.get(subject) as T
    let promise = this.pending.get(subject)
    if (promise === undefined) {
      promise = this.resolve(subject).then(
        (value) => {
          this.done.set(subject, value)
          this.pending.delete(subject)
          return value
        },
        (error: unknown) => {
          this.pending.delete(subject)
          throw error
        },
      )
      this.pending.set(subject, promise)
    }
    return promise
  }

  /** The subject's value when already resolved. */
  peek(subject: string): T | undefined {
    return this.done.get(subject)
  }
}

/** Which part of a record a deserializer reads, when its caller says. */
export interface DeserializerContext {
  readonly topic?: string | undefined
  readonly part?: 'key' | 'value' | 'headerKey' | 'headerValue' | undefined
}

/**
 * The DeserializationError of a record a deserializer could not read, naming the subject when it can
 * (the fixed `subject`, else the strategy's for the context's topic); naming it never throws.
 */
export function deserializationError(
  format: DeserializationError['format'],
  options: Pick<SchemaRegistrySerializerOptions, 'subject' | 'strategy'>,
  cause: unknown,
  context: DeserializerContext | undefined,
  schemaId: number | undefined,
  recordName?: string,
): DeserializationError {
  let subject = options.subject
  if (subject === undefined && context?.topic !== undefined) {
    try {
      subject = subjectNameOf(options, context.topic, context.part ?? 'value', recordName)
    } catch {}
  }
  return new DeserializationError({ format, schemaId, subject, topic: context?.topic, part: context?.part, cause })
}
