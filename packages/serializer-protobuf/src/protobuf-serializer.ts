import { Buffer } from 'node:buffer'
import { SerializationError, type Serializer, type SerializerContext } from '@tributary/core'
import {
  encodeMessageIndexes,
  type SchemaReference,
  type SchemaRegistryClient,
  type SubjectNameStrategy,
  TopicNameStrategy,
  WIRE_HEADER_SIZE,
  writeWireHeader,
} from '@tributary/schema-registry'
import protobuf from 'protobufjs'
import { declarationsOf, messageIndexesOf, type ProtoFile, type ProtoFileOptions, protoFileOf } from './proto-file.js'
import { ProtobufVerificationError } from './protobuf-verification-error.js'

/** Options of `protobufSerializer`. */
export interface ProtobufSerializerOptions extends ProtoFileOptions {
  /** The message type values are encoded as (from `protobuf.load`, `parse`, JSON or static code). */
  type: protobuf.Type
  /**
   * A schema registry client: values are written in the Confluent wire format (magic byte 0, the schema
   * id, the message indexes, the Protobuf bytes). Without it, plain Protobuf.
   */
  registry?: SchemaRegistryClient | undefined
  /** A fixed subject; default from `strategy`. */
  subject?: string | undefined
  /** How the subject is named; default `TopicNameStrategy` (`<topic>-key` / `<topic>-value`). */
  strategy?: SubjectNameStrategy | undefined
  /** Register the schema (and its imports) when missing; default true. False only looks them up. */
  autoRegister?: boolean | undefined
  /** Use the subject's latest registered schema's id (as `use.latest.version`); default false. */
  useLatest?: boolean | undefined
  /**
   * The `.proto` text to register, instead of the file rebuilt from the type's reflection; its imports
   * then need `references`.
   */
  schema?: string | undefined
  /** With `schema`: the registered schemas its imports refer to. */
  references?: readonly SchemaReference[] | undefined
  /** The subject an imported file is registered under; default its import name, as the Java serializer. */
  referenceSubject?: ((importName: string) => string) | undefined
  /** Check each value with protobufjs `verify` before encoding (default true). */
  verify?: boolean | undefined
  /** Convert plain objects with `type.fromObject` first (enum names, long strings, base64 bytes); default false. */
  fromObject?: boolean | undefined
}

/** A core `Serializer<T>` that writes Protobuf, with its message type at hand. */
export interface ProtobufSerializer<T> extends Serializer<T> {
  readonly type: protobuf.Type
  /** The message indexes written after the schema id (`[0]` for the file's first message). */
  readonly messageIndexes: readonly number[]
}

interface SubjectState {
  readonly id: number
  readonly indexes: Buffer
}

/**
 * A core `Serializer<T>` that writes values of a protobufjs message type: plain Protobuf, or with a
 * `registry` the Confluent wire format, with the message indexes that say which message of the schema
 * it is (a nested or non-first message too), exactly as the Java serializer writes them. Registering
 * rebuilds the message's `.proto` file from reflection and registers the files it imports first, each
 * under its own subject, as schema references. Values are verified first (protobufjs `verify`), so an
 * invalid one fails with a `SerializationError` naming the field, before anything is written.
 * `null`/`undefined` serialize to a null value (a tombstone).
 */
export function protobufSerializer<T = Record<string, unknown>>(
  options: ProtobufSerializerOptions,
): ProtobufSerializer<T> {
  const type = options.type
  if (!(type instanceof protobuf.Type)) throw new TypeError('protobufSerializer needs a protobufjs Type as `type`')
  // A type built on its own (Type.fromJSON, new Type) belongs to no file: give it one.
  if (type.parent === null) new protobuf.Root().add(type)
  const verify = options.verify !== false
  const fromObject = options.fromObject === true
  const registry = options.registry

  const prepare = (value: T, context: SerializerContext): protobuf.Message | object => {
    const message = fromObject && !(value instanceof protobuf.Message) ? type.fromObject(value as object) : value
    if (verify) {
      const problem = type.verify(message as Record<string, unknown>)
      if (problem !== null) {
        throw new SerializationError(context.part, context.topic, new ProtobufVerificationError(type, problem))
      }
    }
    return message as object
  }

  let localIndexesCache: number[] | undefined
  const ownIndexes = (): number[] => {
    localIndexesCache ??=
      options.schema === undefined
        ? localIndexes(type)
        : indexesIn(protobuf.parse(options.schema, { keepCase: true }).root, type)
    return localIndexesCache
  }

  if (registry === undefined) {
    const plain = (value: T, context: SerializerContext): Buffer | null => {
      if (value === null || value === undefined) return null
      return toBuffer(type.encode(prepare(value, context)).finish())
    }
    return Object.assign(plain, {
      type,
      get messageIndexes(): readonly number[] {
        return ownIndexes()
      },
    })
  }

  const autoRegister = options.autoRegister !== false
  const useLatest = options.useLatest === true
  const strategy = options.strategy ?? TopicNameStrategy
  const referenceSubject = options.referenceSubject ?? ((name: string) => name)
  const recordName = type.fullName.replace(/^\./, '')
  let file: ProtoFile | undefined
  const schemaFile = (): ProtoFile => {
    file ??= protoFileOf(type, options)
    return file
  }

  /** Registers (or looks up) a file's imports, depth first; answers the references to them. */
  const referencesOf = async (f: ProtoFile): Promise<SchemaReference[]> => {
    const refs: SchemaReference[] = []
    for (const imported of f.imports) {
      const subject = referenceSubject(imported.name)
      const schema = {
        schema: imported.text,
        schemaType: 'PROTOBUF' as const,
        references: await referencesOf(imported),
      }
      if (autoRegister) await registry.register(subject, schema)
      const { version } = await registry.lookup(subject, schema)
      refs.push({ name: imported.name, subject, version })
    }
    return refs
  }

  const resolve = async (subject: string): Promise<SubjectState> => {
    if (useLatest) {
      const latest = await registry.getLatest(subject)
      const root = protobuf.parse(latest.schema, { keepCase: true }).root
      return { id: latest.id, indexes: encodeMessageIndexes(indexesIn(root, type)) }
    }
    let schema: { schema: string; schemaType: 'PROTOBUF'; references: readonly SchemaReference[] }
    if (options.schema !== undefined) {
      schema = { schema: options.schema, schemaType: 'PROTOBUF', references: options.references ?? [] }
    } else {
      const f = schemaFile()
      schema = { schema: f.text, schemaType: 'PROTOBUF', references: await referencesOf(f) }
    }
    const id = autoRegister ? await registry.register(subject, schema) : await registry.getId(subject, schema)
    return { id, indexes: encodeMessageIndexes(ownIndexes()) }
  }

  const states = new Map<string, SubjectState | Promise<SubjectState>>()
  const framed = (state: SubjectState, message: protobuf.Message | object): Buffer => {
    const payload = type.encode(message).finish()
    const headerSize = WIRE_HEADER_SIZE + state.indexes.length
    const out = Buffer.allocUnsafe(headerSize + payload.length)
    writeWireHeader(out, state.id)
    out.set(state.indexes, WIRE_HEADER_SIZE)
    out.set(payload, headerSize)
    return out
  }

  const serialize = (value: T, context: SerializerContext): Buffer | null | Promise<Buffer | null> => {
    if (value === null || value === undefined) return null
    const message = prepare(value, context)
    let subject: string
    try {
      subject =
        options.subject ??
        strategy({ topic: context.topic, isKey: context.part === 'key' || context.part === 'headerKey', recordName })
    } catch (error) {
      throw new SerializationError(context.part, context.topic, error)
    }
    const state = states.get(subject)
    if (state !== undefined && !(state instanceof Promise)) return framed(state, message)
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
      (resolved) => framed(resolved, message),
      (error: unknown) => {
        throw SerializationError.isInstance(error) ? error : new SerializationError(context.part, context.topic, error)
      },
    )
  }
  return Object.assign(serialize, {
    type,
    get messageIndexes(): readonly number[] {
      return ownIndexes()
    },
  })
}

/** Message indexes of a type within the file protobufjs loaded it from. */
function localIndexes(type: protobuf.Type): number[] {
  const root = type.root as protobuf.Root
  let top: protobuf.ReflectionObject = type
  while (top.parent instanceof protobuf.Type) top = top.parent
  return messageIndexesOf(type, declarationsOf(root, top.filename ?? undefined))
}

/** Message indexes of a type (by full name) within another parse of its schema. */
function indexesIn(root: protobuf.Root, type: protobuf.Type): number[] {
  const same = root.lookup(type.fullName)
  if (!(same instanceof protobuf.Type)) {
    throw new Error(`the schema does not declare message ${type.fullName.replace(/^\./, '')}`)
  }
  let top: protobuf.ReflectionObject = same
  while (top.parent instanceof protobuf.Type) top = top.parent
  return messageIndexesOf(same, declarationsOf(root, top.filename ?? undefined))
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
