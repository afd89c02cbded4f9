import { Buffer } from 'node:buffer'
import type { DescMessage, MessageShape } from '@bufbuild/protobuf'
import {
  type DeserializerContext,
  decodeProtobufWireFormat,
  deserializationError,
  type Schema,
  type SchemaRegistryClient,
  type SubjectNameStrategy,
} from '@tributary/schema-registry'
import protobuf from 'protobufjs'
import descriptor from 'protobufjs/ext/descriptor.js'
import { declarationsOf } from './proto-file.js'
import { bufbuild, type DescMessageLike, isDescMessage } from './protobuf-es.js'

/** Options of `protobufDeserializer`. */
export interface ProtobufDeserializerOptions<M extends protobuf.Type | DescMessageLike = protobuf.Type> {
  /**
   * The message type to read into: a protobufjs Type, or a protobuf-es message schema (then values are
   * its messages, typed). Required without a registry; with one, optional: without it, the writer's
   * schema is fetched by id (with its references) and the message found by its indexes (protobufjs).
   */
  type?: M | undefined
  /** Read the Confluent wire format (schema id, message indexes), fetching writer schemas by id when needed. */
  registry?: SchemaRegistryClient | undefined
  /**
   * protobufjs: return plain objects (`Type.toObject`) instead of messages; default false (messages,
   * the type protobufjs code works with). protobuf-es messages are plain objects already.
   */
  plain?: boolean | undefined
  /** protobufjs: plain objects with these `Type.toObject` options (e.g. `{ enums: String, longs: String }`); implies `plain`. */
  toObject?: protobuf.IConversionOptions | undefined
  /** The subject named in errors; default from `strategy` and the context's topic. */
  subject?: string | undefined
  /** How the subject named in errors is found; default `TopicNameStrategy`. */
  strategy?: SubjectNameStrategy | undefined
}

/** Reads one record's bytes back into a message (or plain object); `null` stays `null`. */
export type ProtobufDeserializer<T> = (
  data: Uint8Array | null | undefined,
  context?: DeserializerContext,
) => Promise<T | null>

const MAIN_FILE = 'schema.proto'

/**
 * Reads Protobuf into the messages of a protobuf-es schema (`@bufbuild/protobuf` v2), typed as its
 * generated message type: with a `registry` from the Confluent wire format, without from plain Protobuf.
 */
export function protobufDeserializer<const D extends DescMessage>(
  options: ProtobufDeserializerOptions<D> & { type: D },
): ProtobufDeserializer<MessageShape<D>>
/**
 * Reads Protobuf written by `protobufSerializer` or any Confluent-compatible serializer: with a
 * `registry`, the Confluent wire format (schema id and message indexes, read as the Java
 * deserializer reads them); without, plain Protobuf into `type`. What cannot be read fails with a
 * `DeserializationError` carrying the schema id, the subject when known, and the cause.
 */
export function protobufDeserializer<T = protobuf.Message>(
  options: ProtobufDeserializerOptions<protobuf.Type>,
): ProtobufDeserializer<T>
export function protobufDeserializer(
  options: ProtobufDeserializerOptions<protobuf.Type | DescMessage>,
): ProtobufDeserializer<unknown> {
  const { registry } = options
  const es = isDescMessage(options.type) ? options.type : undefined
  const type = es === undefined ? (options.type as protobuf.Type | undefined) : undefined
  const toObject = options.toObject ?? (options.plain === true ? {} : undefined)
  const finish = (t: protobuf.Type, message: protobuf.Message): unknown =>
    toObject === undefined ? message : t.toObject(message, toObject)
  const decodeInto = (payload: Uint8Array): unknown => {
    if (es !== undefined) return bufbuild().fromBinary(es, payload)
    return finish(type as protobuf.Type, (type as protobuf.Type).decode(payload))
  }

  const fail = (cause: unknown, context: DeserializerContext | undefined, schemaId: number | undefined): never => {
    throw deserializationError('PROTOBUF', options, cause, context, schemaId)
  }

  if (registry === undefined) {
    if (es === undefined && type === undefined)
      throw new TypeError('protobufDeserializer needs a type without a registry')
    return async (data, context) => {
      if (data === null || data === undefined) return null
      try {
        return decodeInto(asBuffer(data))
      } catch (error) {
        return fail(error, context, undefined)
      }
    }
  }

  const roots = new Map<number, Promise<WriterSchema>>()
  const writerSchema = (id: number): Promise<WriterSchema> => {
    let root = roots.get(id)
    if (root === undefined) {
      root = registry.getSchemaById(id).then((schema) => loadWriterSchema(registry, schema))
      root.catch(() => roots.delete(id))
      roots.set(id, root)
    }
    return root
  }

  return async (data, context) => {
    if (data === null || data === undefined) return null
    let schemaId: number | undefined
    try {
      const record = decodeProtobufWireFormat(data)
      schemaId = record.schemaId
      if (es !== undefined || type !== undefined) return decodeInto(record.payload)
      const target = (await writerSchema(schemaId)).messageAt(record.messageIndexes)
      try {
        return finish(target, target.decode(record.payload))
      } catch (error) {
        throw new Error(
          `could not read Protobuf message ${target.fullName.replace(/^\./, '')}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        )
      }
    } catch (error) {
      return fail(error, context, schemaId)
    }
  }
}

interface WriterSchema {
  messageAt(indexes: readonly number[]): protobuf.Type
}

/** Loads a registered schema (`.proto` text or a base64 FileDescriptorProto) with its references. */
async function loadWriterSchema(registry: SchemaRegistryClient, schema: Schema): Promise<WriterSchema> {
  if (schema.schemaType !== 'PROTOBUF') {
    throw new TypeError(`expected a Protobuf schema, the registry has a ${schema.schemaType ?? 'AVRO'} one`)
  }
  const deps: Array<{ name: string; text: string }> = []
  const seen = new Set<string>()
  const addReferences = async (s: Schema): Promise<void> => {
    for (const ref of s.references ?? []) {
      if (seen.has(ref.name)) continue
      seen.add(ref.name)
      const referenced = await registry.getVersion(ref.subject, ref.version)
      await addReferences(referenced)
      deps.push({ name: ref.name, text: referenced.schema })
    }
  }
  await addReferences(schema)
  const all = [...deps, { name: MAIN_FILE, text: schema.schema }]

  if (isSerializedDescriptor(schema.schema)) {
    const files = all.map((f) => {
      const file = descriptor.FileDescriptorProto.decode(
        Buffer.from(f.text.trim(), 'base64'),
      ) as unknown as descriptor.IFileDescriptorProto
      file.name = f.name
      return file
    })
    const root = protobuf.Root.fromDescriptor({ file: [...wellKnownDescriptors(files), ...files] }, { keepCase: true })
    root.resolveAll()
    const main = files[files.length - 1] as descriptor.IFileDescriptorProto
    const prefix = main.package ? `.${main.package}` : ''
    return {
      // Indexes count every message the descriptor lists, map entry messages too, as the registry
      // (and so the Java deserializer) reads a FileDescriptorProto; protobufjs folds the entries
      // into map fields, so the path is walked on the descriptor and the message found by name.
      messageAt(indexes) {
        let messages = main.messageType ?? []
        let name = prefix
        let what = 'the schema has'
        const path = indexes.length === 0 ? [0] : indexes
        for (const index of path) {
          const message = messages[index]
          if (message === undefined) {
            throw new RangeError(`message index ${index} out of range: ${what} ${messages.length} message(s)`)
          }
          name = `${name}.${message.name}`
          what = `${name.slice(1)} has`
          messages = message.nestedType ?? []
        }
        const found = root.lookup(name)
        if (!(found instanceof protobuf.Type)) throw mapEntryNamed(path, name.slice(1))
        return found
      },
    }
  }

  const texts = new Map(all.map((f) => [f.name, f.text]))
  const root = new protobuf.Root()
  root.resolvePath = (_origin: string, target: string) => target
  // Answered on a later timer: protobufjs counts pending files, and reads its bundled
  // `google/protobuf/*.proto` on a timer; a synchronous answer could finish the load before them.
  root.fetch = (filename, callback) => {
    const text = texts.get(filename)
    setTimeout(() => {
      if (text === undefined) callback(new Error(`import "${filename}" is not among the schema's references`))
      else callback(null as unknown as Error, text)
    })
  }
  await root.load(MAIN_FILE, { keepCase: true })
  root.resolveAll()
  restoreMapFields(root)
  const topLevel = declarationsOf(root, MAIN_FILE).filter((d): d is protobuf.Type => d instanceof protobuf.Type)

  return {
    // Indexes count every nested message the schema declares, as the Java deserializer's
    // `ProtobufSchema.toMessageName` does: explicit `*Entry` map entry messages (which the registry
    // writes for schemas registered from descriptors, as the Java and JavaScript serializers register
    // them) count too.
    messageAt(indexes) {
      const [first, ...rest] = indexes
      let current = topLevel[first ?? 0]
      if (current === undefined) {
        throw new RangeError(
          `message index ${first} out of range: the schema has ${topLevel.length} top-level message(s)`,
        )
      }
      for (const index of rest) {
        const nested: protobuf.Type[] = current.nestedArray.filter(
          (n): n is protobuf.Type => n instanceof protobuf.Type,
        )
        const next: protobuf.Type | undefined = nested[index]
        if (next === undefined) {
          throw new RangeError(
            `message index ${index} out of range: ${current.fullName.replace(/^\./, '')} has ${nested.length} nested message(s)`,
          )
        }
        current = next
      }
      if (current.options?.map_entry === true) throw mapEntryNamed(indexes, current.fullName.slice(1))
      return current
    },
  }
}

/**
 * No serializer writes a map entry message: indexes that name one were counted without the schema's
 * map entry messages (as @confluentinc/schemaregistry counts), against a schema that declares them.
 */
function mapEntryNamed(indexes: readonly number[], name: string): RangeError {
  return new RangeError(
    `message indexes [${indexes.join(', ')}] name ${name}, the synthetic message of a map field: the writer counted nested messages without map entry messages, which the schema declares (the Java deserializer would read the record as ${name} too); registering schemas with normalize avoids this`,
  )
}

/**
 * The registry writes a map field of a schema registered from a descriptor as `repeated
 * .pkg.Msg.LabelsEntry labels = 1;` next to an explicit `LabelsEntry { option map_entry = true; ... }`
 * message. protobufjs reads that as a list of entry messages: turn such fields back into map fields
 * (same wire format) so they decode to objects, keeping the entry messages where they are declared.
 */
function restoreMapFields(ns: protobuf.NamespaceBase): void {
  let changed = false
  const visit = (n: protobuf.NamespaceBase): void => {
    for (const nested of n.nestedArray) {
      if (nested instanceof protobuf.Type) {
        for (const field of [...nested.fieldsArray]) {
          const entry = field.resolvedType
          if (!field.repeated || !(entry instanceof protobuf.Type) || entry.options?.map_entry !== true) continue
          const key = entry.fieldsById[1]
          const value = entry.fieldsById[2]
          if (key === undefined || value === undefined || field.partOf !== null) continue
          const valueType = value.resolvedType === null ? value.type : value.resolvedType.fullName
          nested.remove(field)
          nested.add(new protobuf.MapField(field.name, field.id, key.type, valueType, field.options))
          changed = true
        }
      }
      if (nested instanceof protobuf.Namespace) visit(nested)
    }
  }
  visit(ns)
  if (changed) (ns.root as protobuf.Root).resolveAll()
}

function isSerializedDescriptor(text: string): boolean {
  const t = text.trim()
  return t.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(t)
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
}

/**
 * Serialized descriptors name `google/protobuf/*.proto` imports without carrying them, and protobufjs
 * resolves every type while reading a descriptor set: descriptors of protobufjs's copies go first.
 */
function wellKnownDescriptors(files: readonly descriptor.IFileDescriptorProto[]): descriptor.IFileDescriptorProto[] {
  const root = new protobuf.Root()
  let any = false
  for (const file of files) {
    for (const dep of file.dependency ?? []) {
      const json = dep.startsWith('google/protobuf/') ? protobuf.common.get(dep) : null
      if (json?.nested === undefined) continue
      root.addJSON(json.nested)
      any = true
    }
  }
  return any ? (root.toDescriptor('proto3').file as descriptor.IFileDescriptorProto[]) : []
}
