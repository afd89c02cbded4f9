import { Buffer } from 'node:buffer'
import { descriptor, protobuf } from './format-libraries.js'

/** One Protobuf file of a schema: the registered text (or base64 FileDescriptorProto) and its import name. */
export interface ProtoFile {
  readonly name: string
  readonly text: string
}

/** A `.proto` file is text; the Confluent clients may also register a base64 `FileDescriptorProto`. */
export function isSerializedDescriptor(text: string): boolean {
  const t = text.trim()
  return t.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(t)
}

/**
 * Loads a schema and its references (dependencies first, each under its import name) into one
 * protobufjs Root, resolving every type. Text files import each other by name; well-known
 * `google/protobuf/*.proto` imports come with protobufjs; files registered as serialized descriptors
 * may mix with text ones (as long as text files import only text files).
 */
export async function loadProtoRoot(main: ProtoFile, deps: readonly ProtoFile[]): Promise<protobuf.Root> {
  const all = [...deps, main]
  const texts = all.filter((f) => !isSerializedDescriptor(f.text))
  if (texts.length === all.length) return loadTextRoot(all, [main.name])
  // Some files are serialized descriptors: turn the text ones into descriptors too, then read them all.
  const textRoot =
    texts.length === 0
      ? undefined
      : await loadTextRoot(
          texts,
          texts.map((t) => t.name),
        )
  const files = all.map((f) => {
    const base64 = isSerializedDescriptor(f.text) ? f.text : toSerializedDescriptor(textRoot as protobuf.Root, f)
    const file = descriptor.FileDescriptorProto.decode(
      Buffer.from(base64, 'base64'),
    ) as unknown as descriptor.IFileDescriptorProto
    file.name = f.name
    return file
  })
  const root = protobuf.Root.fromDescriptor({ file: [...wellKnownDescriptors(files), ...files] }, { keepCase: true })
  root.resolveAll()
  return root
}

async function loadTextRoot(files: readonly ProtoFile[], load: string[]): Promise<protobuf.Root> {
  const texts = new Map(files.map((f) => [f.name, f.text]))
  const root = new protobuf.Root()
  root.resolvePath = (_origin: string, target: string) => target
  root.fetch = (filename, callback) => {
    const text = texts.get(filename)
    if (text === undefined) callback(new Error(`import "${filename}" is not among the schema's references`))
    else callback(null as unknown as Error, text)
  }
  await root.load(load, { keepCase: true })
  root.resolveAll()
  return root
}

/** The top-level messages, enums and services a file declares, in declaration order. */
export function topLevelOf(root: protobuf.Root, fileName: string): protobuf.ReflectionObject[] {
  const out: protobuf.ReflectionObject[] = []
  const walk = (ns: protobuf.Namespace): void => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type || nested instanceof protobuf.Enum || nested instanceof protobuf.Service) {
        if (nested.filename === fileName) out.push(nested)
      } else if (nested instanceof protobuf.Namespace) {
        walk(nested)
      }
    }
  }
  walk(root)
  return out
}

/**
 * The file as a base64 `FileDescriptorProto`: what the registry answers for `?format=serialized`, and
 * what the Confluent JavaScript client reads Protobuf schemas from.
 */
export function toSerializedDescriptor(root: protobuf.Root, file: ProtoFile): string {
  if (isSerializedDescriptor(file.text)) return file.text.trim()
  const parsed = protobuf.parse(file.text, { keepCase: true })
  const objects = topLevelOf(root, file.name)
  const edition = (objects[0] as { _edition?: string } | undefined)?._edition ?? 'proto2'
  const proto = descriptor.FileDescriptorProto.create({
    name: file.name,
    dependency: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])],
    messageType: objects
      .filter((o): o is protobuf.Type => o instanceof protobuf.Type)
      .map((t) => qualify(t, t.toDescriptor(edition))),
    enumType: objects.filter((o) => o instanceof protobuf.Enum).map((e) => (e as protobuf.Enum).toDescriptor()),
    service: objects
      .filter((o) => o instanceof protobuf.Service)
      .map((s) => (s as unknown as { toDescriptor(): descriptor.IServiceDescriptorProto }).toDescriptor()),
  })
  if (parsed.package !== undefined) proto.package = parsed.package
  if (edition === 'proto3') proto.syntax = 'proto3'
  return Buffer.from(descriptor.FileDescriptorProto.encode(proto).finish()).toString('base64')
}

/**
 * protobufjs writes type names relative to the message (`common.Money`); protoc writes them fully
 * qualified (`.acme.common.Money`), which readers such as @bufbuild/protobuf expect, so they are
 * qualified here. Synthetic map entry messages are laid out as the registry's `DynamicSchema` lays
 * them out for `format=serialized`: named `ProtobufSchema.toMapEntry(fieldName)` and placed after the
 * message's declared nested messages, so that the declared ones keep their message indexes for readers
 * that count every nested message (protobufjs puts them first).
 */
function qualify(type: protobuf.Type, proto: descriptor.IDescriptorProto): descriptor.IDescriptorProto {
  const fields = proto.field ?? []
  const nestedTypes = proto.nestedType ?? []
  const entries: descriptor.IDescriptorProto[] = []
  type.fieldsArray.forEach((field, i) => {
    const fd = fields[i]
    if (fd === undefined) return
    if (field.map) {
      const entry = nestedTypes.find((n) => n.name === fd.typeName && n.options?.mapEntry)
      const entryName = toMapEntry(field.name)
      fd.typeName = `${type.fullName}.${entryName}`
      if (entry !== undefined) {
        entry.name = entryName
        entries.push(entry)
        const value = entry.field?.[1]
        if (value !== undefined && field.resolvedType !== null) value.typeName = field.resolvedType.fullName
      }
    } else if (field.resolvedType !== null) {
      fd.typeName = field.resolvedType.fullName
    }
  })
  if (entries.length > 0) proto.nestedType = [...nestedTypes.filter((n) => !entries.includes(n)), ...entries]
  for (const nested of type.nestedArray) {
    if (!(nested instanceof protobuf.Type)) continue
    const nd = nestedTypes.find((n) => n.name === nested.name && !entries.includes(n))
    if (nd !== undefined) qualify(nested, nd)
  }
  return proto
}

/** `ProtobufSchema.toMapEntry`: `lower_underscore` names become `UpperCamel`, others stay; then `Entry`. */
function toMapEntry(fieldName: string): string {
  const name = fieldName.includes('_')
    ? fieldName
        .toLowerCase()
        .split('_')
        .map((p) => (p === '' ? '' : `${p[0]?.toUpperCase()}${p.slice(1)}`))
        .join('')
    : fieldName
  return `${name}Entry`
}

/** A message the registry's descriptors declare for a map field (`option map_entry = true`). */
function isMapEntry(type: protobuf.Type | protobuf.Enum | null): boolean {
  return type instanceof protobuf.Type && type.options?.map_entry === true
}

/** Wire type of a field, as far as compatibility goes. */
function wireKind(field: protobuf.Field): string {
  if (field.map)
    return `map<${(field as unknown as protobuf.MapField).keyType},${kindOf(field.resolvedType, field.type)}>`
  // A map field as a descriptor spells it: `repeated .Msg.LabelsEntry labels` with an explicit entry message.
  if (field.repeated && isMapEntry(field.resolvedType)) {
    const entry = field.resolvedType as protobuf.Type
    const key = entry.fieldsById[1]
    const value = entry.fieldsById[2]
    if (key !== undefined && value !== undefined) return `map<${key.type},${kindOf(value.resolvedType, value.type)}>`
  }
  const kind = kindOf(field.resolvedType, field.type)
  return field.repeated ? `repeated ${kind}` : kind
}

const VARINT = new Set(['int32', 'int64', 'uint32', 'uint64', 'bool', 'enum'])
const ZIGZAG = new Set(['sint32', 'sint64'])
const FIXED32 = new Set(['fixed32', 'sfixed32', 'float'])
const FIXED64 = new Set(['fixed64', 'sfixed64', 'double'])

function kindOf(resolved: protobuf.Type | protobuf.Enum | null, type: string): string {
  if (resolved instanceof protobuf.Enum) return 'varint'
  if (resolved instanceof protobuf.Type) return `message ${resolved.fullName}`
  if (VARINT.has(type)) return 'varint'
  if (ZIGZAG.has(type)) return 'zigzag'
  if (FIXED32.has(type)) return 'fixed32'
  if (FIXED64.has(type)) return 'fixed64'
  if (type === 'string' || type === 'bytes') return 'length-delimited'
  return type
}

function messagesOf(ns: protobuf.NamespaceBase, out = new Map<string, protobuf.Type>()): Map<string, protobuf.Type> {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.set(nested.fullName, nested)
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) messagesOf(nested, out)
  }
  return out
}

/**
 * Why data written with `writer` could not be read with `reader` (empty when it can): a message the
 * reader lacks, or a field number whose wire encoding changed. A subset of the registry's Protobuf rules.
 */
export function protobufIncompatibilities(reader: protobuf.Root, writer: protobuf.Root): string[] {
  const problems: string[] = []
  const readerMessages = messagesOf(reader)
  for (const [name, writerType] of messagesOf(writer)) {
    if (name.startsWith('.google.protobuf.') || isMapEntry(writerType)) continue
    const readerType = readerMessages.get(name)
    if (readerType === undefined) {
      problems.push(`MESSAGE_REMOVED: message ${name.slice(1)} is missing`)
      continue
    }
    for (const field of writerType.fieldsArray) {
      const other = readerType.fieldsById[field.id]
      if (other === undefined) continue
      const before = wireKind(field)
      const after = wireKind(other)
      if (before !== after) {
        problems.push(`FIELD_KIND_CHANGED: field ${field.id} of ${name.slice(1)} changed from ${before} to ${after}`)
      }
    }
  }
  return problems
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
