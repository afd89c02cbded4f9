import { posix } from 'node:path'
import protobuf from 'protobufjs'

/** A `.proto` file rebuilt from protobufjs reflection, with the user files it imports. */
export interface ProtoFile {
  /** The name other files import it by (and its reference name in the registry). */
  readonly name: string
  /** The file's text: syntax, package, imports, messages and enums, in declaration order. */
  readonly text: string
  /** The files of this schema it imports (not `google/protobuf/*`, which registries know). */
  readonly imports: readonly ProtoFile[]
}

/** Options of `protoFileOf`. */
export interface ProtoFileOptions {
  /**
   * The import name of a file from its protobufjs file name; default the path relative to the directory
   * of the message's own file (`common.proto` for `protos/common.proto` imported by `protos/orders.proto`).
   */
  importName?: ((filename: string) => string) | undefined
}

const WELL_KNOWN: Record<string, string> = {
  Any: 'any',
  Api: 'api',
  Duration: 'duration',
  Empty: 'empty',
  FieldMask: 'field_mask',
  SourceContext: 'source_context',
  Struct: 'struct',
  Value: 'struct',
  ListValue: 'struct',
  NullValue: 'struct',
  Timestamp: 'timestamp',
  Type: 'type',
  Field: 'type',
  Enum: 'type',
  EnumValue: 'type',
  Option: 'type',
  Syntax: 'type',
  DoubleValue: 'wrappers',
  FloatValue: 'wrappers',
  Int64Value: 'wrappers',
  UInt64Value: 'wrappers',
  Int32Value: 'wrappers',
  UInt32Value: 'wrappers',
  BoolValue: 'wrappers',
  StringValue: 'wrappers',
  BytesValue: 'wrappers',
}

/** The top-level message, enum or service a reflection object is declared in. */
export function topLevelOf(object: protobuf.ReflectionObject): protobuf.ReflectionObject {
  let current = object
  while (current.parent instanceof protobuf.Type || current.parent instanceof protobuf.Service) current = current.parent
  return current
}

/** The protobufjs file name of an object (undefined for types built in code or from JSON). */
export function fileNameOf(object: protobuf.ReflectionObject): string | undefined {
  return topLevelOf(object).filename ?? undefined
}

/** The top-level messages, enums and services declared in one file (by protobufjs file name), in order. */
export function declarationsOf(root: protobuf.Root, filename: string | undefined): protobuf.ReflectionObject[] {
  const out: protobuf.ReflectionObject[] = []
  const wellKnown: protobuf.ReflectionObject[] = []
  const walk = (ns: protobuf.Namespace): void => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type || nested instanceof protobuf.Enum || nested instanceof protobuf.Service) {
        if ((nested.filename ?? undefined) === filename) (isWellKnown(nested) ? wellKnown : out).push(nested)
      } else if (nested instanceof protobuf.Namespace) {
        walk(nested)
      }
    }
  }
  walk(root)
  // Well-known types are the registry's own files, not part of the user's; but a file that declares
  // nothing else is one of them (a value that is itself a google.protobuf.Timestamp, say).
  return out.length > 0 ? out : wellKnown
}

/**
 * The message indexes of a message within its file, as the Confluent serializers write them: the
 * index among the file's top-level messages, then among each enclosing message's nested messages.
 */
export function messageIndexesOf(
  type: protobuf.Type,
  topLevelMessages: readonly protobuf.ReflectionObject[],
): number[] {
  const path: number[] = []
  let current: protobuf.Type = type
  while (current.parent instanceof protobuf.Type) {
    const siblings = current.parent.nestedArray.filter((n) => n instanceof protobuf.Type)
    path.unshift(siblings.indexOf(current))
    current = current.parent
  }
  const top = topLevelMessages.filter((n) => n instanceof protobuf.Type)
  const index = top.findIndex((n) => n === current || n.fullName === current.fullName)
  if (index < 0) throw new Error(`message ${current.fullName.replace(/^\./, '')} is not declared in the schema`)
  path.unshift(index)
  return path
}

/**
 * Rebuilds the `.proto` file that declares `type` from protobufjs reflection, with the files it
 * imports: what the Java serializer registers from a message's descriptor. Types loaded from `.proto`
 * files keep their files; types built in code or from JSON form one file.
 */
export function protoFileOf(type: protobuf.Type, options: ProtoFileOptions = {}): ProtoFile {
  const root = type.root as protobuf.Root
  root.resolveAll()
  const mainFile = fileNameOf(type)
  const baseDir = mainFile === undefined ? '' : posix.dirname(mainFile.replace(/\\/g, '/'))
  const importName =
    options.importName ??
    ((filename: string) => {
      const normalized = filename.replace(/\\/g, '/')
      return baseDir === '' || baseDir === '.' ? normalized : posix.relative(baseDir, normalized)
    })
  const built = new Map<string | undefined, ProtoFile>()
  const build = (filename: string | undefined, stack: ReadonlySet<string | undefined>): ProtoFile => {
    const done = built.get(filename)
    if (done !== undefined) return done
    if (stack.has(filename)) throw new Error(`import cycle through ${filename}`)
    const declarations = declarationsOf(root, filename)
    const userImports = new Set<string>()
    const wellKnownImports = new Set<string>()
    for (const declaration of declarations) collectImports(declaration, filename, userImports, wellKnownImports)
    const next = new Set(stack).add(filename)
    const imports = [...userImports].map((f) => build(f, next))
    const name = filename === undefined ? defaultFileName(declarations) : importName(filename)
    const text = printFile(declarations, [...wellKnownImports, ...imports.map((i) => i.name)])
    const file: ProtoFile = { name, text, imports }
    built.set(filename, file)
    return file
  }
  return build(mainFile, new Set())
}

function defaultFileName(declarations: readonly protobuf.ReflectionObject[]): string {
  const first = declarations[0]
  return first === undefined ? 'schema.proto' : `${first.fullName.replace(/^\./, '')}.proto`
}

function isWellKnown(object: protobuf.ReflectionObject): boolean {
  return object.fullName.startsWith('.google.protobuf.')
}

function collectImports(
  object: protobuf.ReflectionObject,
  ownFile: string | undefined,
  userImports: Set<string>,
  wellKnownImports: Set<string>,
): void {
  if (!(object instanceof protobuf.Type)) return
  for (const field of object.fieldsArray) {
    const resolved = field.resolvedType
    if (resolved === null) continue
    if (isWellKnown(resolved)) {
      const top = topLevelOf(resolved)
      wellKnownImports.add(`google/protobuf/${WELL_KNOWN[top.name] ?? top.name.toLowerCase()}.proto`)
      continue
    }
    const file = fileNameOf(resolved)
    if (file !== ownFile && file !== undefined) userImports.add(file)
  }
  for (const nested of object.nestedArray) collectImports(nested, ownFile, userImports, wellKnownImports)
}

// --- printing ---

function printFile(declarations: readonly protobuf.ReflectionObject[], imports: readonly string[]): string {
  const first = declarations[0]
  const syntax = editionOf(first)
  if (syntax !== 'proto2' && syntax !== 'proto3') {
    throw new Error(
      `cannot rebuild a .proto file of edition ${syntax}; pass the file's text as the serializer's \`schema\` option`,
    )
  }
  const lines: string[] = [`syntax = "${syntax}";`]
  const pkg =
    first?.parent instanceof protobuf.Root || first?.parent == null ? '' : first.parent.fullName.replace(/^\./, '')
  if (pkg !== '') lines.push('', `package ${pkg};`)
  if (imports.length > 0) lines.push('', ...imports.map((i) => `import "${i}";`))
  for (const declaration of declarations) {
    if (declaration instanceof protobuf.Type) lines.push('', ...printMessage(declaration, syntax, ''))
    else if (declaration instanceof protobuf.Enum) lines.push('', ...printEnum(declaration, ''))
  }
  return `${lines.join('\n')}\n`
}

function editionOf(object: protobuf.ReflectionObject | undefined): string {
  return (object as { _edition?: string | null } | undefined)?._edition ?? 'proto2'
}

function printMessage(type: protobuf.Type, syntax: string, indent: string): string[] {
  const inner = `${indent}  `
  const lines = [`${indent}message ${type.name} {`]
  lines.push(...printOptions(type.options, inner, new Set()))
  const printedOneofs = new Set<protobuf.OneOf>()
  for (const field of type.fieldsArray) {
    const oneof = field.partOf
    if (oneof !== null && !isSyntheticOneof(oneof)) {
      if (printedOneofs.has(oneof)) continue
      printedOneofs.add(oneof)
      lines.push(`${inner}oneof ${oneof.name} {`)
      lines.push(...printOptions(oneof.options, `${inner}  `, new Set()))
      for (const member of oneof.fieldsArray) lines.push(`${inner}  ${printField(member, syntax, true)}`)
      lines.push(`${inner}}`)
      continue
    }
    lines.push(`${inner}${printField(field, syntax, false)}`)
  }
  lines.push(...printReserved(type.reserved, inner))
  for (const nested of type.nestedArray) {
    if (nested instanceof protobuf.Type) lines.push(...printMessage(nested, syntax, inner))
    else if (nested instanceof protobuf.Enum) lines.push(...printEnum(nested, inner))
  }
  lines.push(`${indent}}`)
  return lines
}

function isSyntheticOneof(oneof: protobuf.OneOf): boolean {
  return oneof.fieldsArray.length === 1 && oneof.fieldsArray[0]?.options?.proto3_optional === true
}

function printField(field: protobuf.Field, syntax: string, inOneof: boolean): string {
  const options = printFieldOptions(field)
  if (field.map) {
    const keyType = (field as unknown as protobuf.MapField).keyType
    return `map<${keyType}, ${typeRef(field)}> ${field.name} = ${field.id}${options};`
  }
  let label = ''
  if (field.repeated) label = 'repeated '
  else if (inOneof) label = ''
  else if (syntax === 'proto2') label = field.rule === 'required' ? 'required ' : 'optional '
  else if (field.options?.proto3_optional === true) label = 'optional '
  return `${label}${typeRef(field)} ${field.name} = ${field.id}${options};`
}

function typeRef(field: protobuf.Field): string {
  // Fully qualified, so the name resolves the same wherever the reader declares things.
  return field.resolvedType === null ? field.type : field.resolvedType.fullName
}

function printFieldOptions(field: protobuf.Field): string {
  const entries = Object.entries(field.options ?? {}).filter(([key]) => key !== 'proto3_optional')
  if (entries.length === 0) return ''
  const parts = entries.map(([key, value]) => {
    const bare = key === 'default' && field.resolvedType instanceof protobuf.Enum
    return `${optionName(key)} = ${bare ? String(value) : optionValue(value)}`
  })
  return ` [${parts.join(', ')}]`
}

function printEnum(enm: protobuf.Enum, indent: string): string[] {
  const inner = `${indent}  `
  const lines = [`${indent}enum ${enm.name} {`]
  lines.push(...printOptions(enm.options, inner, new Set()))
  for (const [name, value] of Object.entries(enm.values)) lines.push(`${inner}${name} = ${value};`)
  lines.push(...printReserved(enm.reserved, inner))
  lines.push(`${indent}}`)
  return lines
}

function printOptions(options: Record<string, unknown> | undefined, indent: string, skip: Set<string>): string[] {
  if (options === undefined) return []
  return Object.entries(options)
    .filter(([key, value]) => !skip.has(key) && value !== undefined && typeof value !== 'object')
    .map(([key, value]) => `${indent}option ${optionName(key)} = ${optionValue(value)};`)
}

function optionName(key: string): string {
  // Custom options come back as "(my.option)" or "(my.option).field"; builtin ones are plain identifiers.
  return key
}

function optionValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  return String(value)
}

function printReserved(reserved: Array<number[] | string> | undefined, indent: string): string[] {
  if (reserved === undefined || reserved.length === 0) return []
  const ranges: string[] = []
  const names: string[] = []
  for (const r of reserved) {
    if (typeof r === 'string') names.push(JSON.stringify(r))
    else {
      const [from, to] = r as [number, number]
      ranges.push(from === to ? `${from}` : to >= 0x1fffffff ? `${from} to max` : `${from} to ${to}`)
    }
  }
  const lines: string[] = []
  if (ranges.length > 0) lines.push(`${indent}reserved ${ranges.join(', ')};`)
  if (names.length > 0) lines.push(`${indent}reserved ${names.join(', ')};`)
  return lines
}
