import { type descriptor, protobuf } from './format-libraries.js'
import {
  type EnumElement,
  type ExtendElement,
  type ExtensionsElement,
  type FieldElement,
  type GroupElement,
  isOptionElement,
  isOptionPrimitive,
  type Label,
  MAX_TAG_VALUE,
  type MessageElement,
  type OneOfElement,
  type OptionElement,
  type OptionKind,
  type OptionMap,
  type OptionValue,
  type ProtoFileElement,
  type ReservedElement,
  type ReservedValue,
  type RpcElement,
  type ServiceElement,
  type TypeElement,
} from './proto-elements.js'

// The registry's canonical string of a Protobuf schema: Confluent's `ProtobufSchemaUtils.toString`
// of the parsed file (comments and whitespace gone, every declaration in a fixed layout: fields, then
// oneofs, then nested messages, then nested enums; `default` and `json_name` after the other field
// options), and `toNormalizedString` for `normalize=true` (type names fully qualified, fields sorted
// by number, options sorted by name, synthetic map entry messages folded back into `map<K, V>`
// fields, imports sorted). The registry stores this string and finds schemas by it.

const SCALARS = new Set([
  'bool',
  'bytes',
  'double',
  'float',
  'fixed32',
  'fixed64',
  'int32',
  'int64',
  'sfixed32',
  'sfixed64',
  'sint32',
  'sint64',
  'string',
  'uint32',
  'uint64',
])

interface TypeInfo {
  readonly type: TypeElement
  readonly isMap: boolean
  readonly key: FieldElement | undefined
  readonly value: FieldElement | undefined
}

/** What normalization resolves names against: the types of the schema, its references and the well-known files. */
class FormatContext {
  readonly types = new Map<string, TypeInfo>()
  readonly extendFields = new Map<string, FieldElement>()
  private packageName = ''
  private readonly scope: string[] = []

  constructor(readonly normalize: boolean) {}

  collect(file: ProtoFileElement): void {
    this.packageName = file.packageName ?? ''
    this.collectExtends(file.extendDeclarations)
    this.collectTypes(file.types)
  }

  private collectTypes(types: readonly TypeElement[]): void {
    for (const type of types) {
      this.scope.push(type.name)
      let isMap = false
      let key: FieldElement | undefined
      let value: FieldElement | undefined
      if (type.kind === 'message') {
        this.collectExtends(type.extendDeclarations)
        isMap = type.options.some((o) => o.name === 'map_entry' && String(o.value) === 'true')
        if (isMap) {
          key = type.fields.find((f) => f.name === 'key')
          value = type.fields.find((f) => f.name === 'value')
        }
      }
      this.types.set(this.qualify(), { type, isMap, key, value })
      if (type.kind === 'message') this.collectTypes(type.nestedTypes)
      this.scope.pop()
    }
  }

  private collectExtends(extendDeclarations: readonly ExtendElement[]): void {
    for (const e of extendDeclarations) {
      for (const field of e.fields) {
        this.scope.push(field.name)
        this.extendFields.set(this.qualify(), field)
        this.scope.pop()
      }
    }
  }

  private qualify(): string {
    const name = this.scope.join('.')
    return this.packageName === '' ? name : `${this.packageName}.${name}`
  }

  enter(name: string): void {
    this.scope.push(name)
  }

  leave(): void {
    this.scope.pop()
  }

  /** Confluent's `Context.resolve`: the full name (no leading dot) a name means where it is used. */
  resolve(name: string, known: ReadonlyMap<string, unknown> = this.types): string | undefined {
    if (known.size === 0 && this.types.size === 0) return undefined
    if (name.startsWith('.')) return known.has(name.slice(1)) ? name.slice(1) : undefined
    const prefix = [...(this.packageName === '' ? [] : this.packageName.split('.')), ...this.scope]
    while (prefix.length > 0) {
      const candidate = `${prefix.join('.')}.${name}`
      if (known.has(candidate)) return candidate
      prefix.pop()
    }
    return known.has(name) ? name : undefined
  }

  /** `"." + resolve(name)`, or an error as the registry gives for a type it cannot resolve. */
  resolveOrThrow(name: string): string {
    const resolved = this.resolve(name)
    if (resolved === undefined) throw new Error(`Could not resolve type: ${name}`)
    return `.${resolved}`
  }

  filterOptions(options: readonly OptionElement[]): readonly OptionElement[] {
    if (!this.normalize || options.length === 0) return options
    const resolved = options.map((o) => {
      if (!o.parenthesized) return o
      const name = this.resolve(o.name, this.extendFields)
      return name === undefined ? o : transform({ ...o, name })
    })
    return resolved
      .map((o, i) => [o, i] as const)
      .sort(([a, i], [b, j]) => (a.name < b.name ? -1 : a.name > b.name ? 1 : i - j))
      .map(([o]) => o)
  }
}

/** Confluent's `ProtobufSchema.transform`: a chained option `(a).b.c = v` becomes a map `{ b: { c: v } }`. */
function transform(option: OptionElement): OptionElement {
  if (option.kind !== 'OPTION') return option
  return { ...option, kind: 'MAP', value: transformMap(option) }
}

function transformMap(option: OptionElement): OptionMap {
  const value = option.value as OptionElement
  let mapValue: OptionValue = value.value
  if (value.kind === 'BOOLEAN' || value.kind === 'ENUM' || value.kind === 'NUMBER') {
    mapValue = { primitive: true, kind: value.kind, value: String(value.value) }
  } else if (value.kind === 'OPTION') {
    mapValue = transformMap(value)
  }
  return new Map([[value.name, mapValue]])
}

/** The well-known `google/protobuf/*.proto` types (the registry always knows them). */
let wellKnown: ProtoFileElement[] | undefined
function wellKnownFiles(): ProtoFileElement[] {
  if (wellKnown !== undefined) return wellKnown
  const files: ProtoFileElement[] = []
  const toTypes = (nested: Record<string, protobuf.AnyNestedObject> | undefined): TypeElement[] =>
    Object.entries(nested ?? {}).map(([name, n]) =>
      'values' in n
        ? { kind: 'enum', name, options: [], constants: [], reserveds: [] }
        : {
            kind: 'message',
            name,
            nestedTypes: toTypes((n as protobuf.INamespace).nested as Record<string, protobuf.AnyNestedObject>),
            options: [],
            reserveds: [],
            fields: [],
            oneOfs: [],
            extensions: [],
            groups: [],
            extendDeclarations: [],
          },
    )
  for (const name of [
    'any',
    'api',
    'duration',
    'empty',
    'field_mask',
    'source_context',
    'struct',
    'timestamp',
    'type',
    'wrappers',
    'descriptor',
  ]) {
    const json = protobuf.common.get(`google/protobuf/${name}.proto`) as protobuf.INamespace | null
    const pkg = (json?.nested?.google as protobuf.INamespace | undefined)?.nested?.protobuf as
      | protobuf.INamespace
      | undefined
    if (pkg?.nested === undefined) continue
    files.push({
      packageName: 'google.protobuf',
      syntax: 'proto3',
      imports: [],
      publicImports: [],
      weakImports: [],
      types: toTypes(pkg.nested as Record<string, protobuf.AnyNestedObject>),
      services: [],
      extendDeclarations: [],
      options: [],
    })
  }
  wellKnown = files
  return files
}

/**
 * The registry's canonical string of a parsed file: `ProtobufSchema.canonicalString()`, or with
 * `normalize` the string `ProtobufSchema.normalize()` stores (`dependencies` are the referenced
 * files, needed to resolve type names).
 */
export function protoCanonicalString(
  file: ProtoFileElement,
  options: { normalize?: boolean; dependencies?: readonly ProtoFileElement[] } = {},
): string {
  const ctx = new FormatContext(options.normalize === true)
  if (ctx.normalize) {
    for (const dep of [...wellKnownFiles(), ...(options.dependencies ?? [])]) ctx.collect(dep)
    ctx.collect(file)
  }
  return fileToString(ctx, file)
}

function fileToString(ctx: FormatContext, file: ProtoFileElement): string {
  let sb = ''
  if (file.syntax !== undefined && (!ctx.normalize || file.syntax === 'proto3')) sb += `syntax = "${file.syntax}";\n`
  if (file.packageName !== undefined) sb += `package ${file.packageName};\n`
  if (file.imports.length > 0 || file.publicImports.length > 0) {
    sb += '\n'
    const sortDistinct = (l: readonly string[]): readonly string[] => (ctx.normalize ? [...new Set(l)].sort() : l)
    for (const i of sortDistinct(file.imports)) sb += `import "${i}";\n`
    for (const i of sortDistinct(file.publicImports)) sb += `import public "${i}";\n`
  }
  const options = ctx.filterOptions(file.options)
  if (options.length > 0) {
    sb += '\n'
    for (const o of options) sb += optionStatement(ctx, o)
  }
  const types = filterTypes(ctx, file.types)
  if (types.length > 0) {
    sb += '\n'
    for (const t of types) if (t.kind === 'message') sb += scoped(ctx, t.name, () => messageToString(ctx, t))
    for (const t of types) if (t.kind === 'enum') sb += scoped(ctx, t.name, () => enumToString(ctx, t))
  }
  if (file.extendDeclarations.length > 0) {
    sb += '\n'
    for (const e of extendsOf(ctx, file.extendDeclarations)) sb += extendToString(ctx, e)
  }
  if (file.services.length > 0) {
    sb += '\n'
    for (const s of file.services) sb += serviceToString(ctx, s)
  }
  return sb
}

function scoped(ctx: FormatContext, name: string, f: () => string): string {
  ctx.enter(name)
  try {
    return f()
  } finally {
    ctx.leave()
  }
}

/** Normalizing drops the synthetic map entry messages (their fields print as `map<K, V>`). */
function filterTypes(ctx: FormatContext, types: readonly TypeElement[]): readonly TypeElement[] {
  if (!ctx.normalize) return types
  return types.filter((t) => {
    if (t.kind !== 'message') return true
    const name = ctx.resolve(t.name)
    return name === undefined || ctx.types.get(name)?.isMap !== true
  })
}

function extendsOf(ctx: FormatContext, extendDeclarations: readonly ExtendElement[]): readonly ExtendElement[] {
  if (!ctx.normalize) return extendDeclarations
  const grouped = new Map<string, FieldElement[]>()
  for (const e of extendDeclarations) {
    const name = ctx.resolveOrThrow(e.name)
    const list = grouped.get(name) ?? []
    list.push(...e.fields)
    grouped.set(name, list)
  }
  return [...grouped].map(([name, fields]) => ({ name, fields }))
}

function serviceToString(ctx: FormatContext, service: ServiceElement): string {
  let sb = `service ${service.name} {`
  const options = ctx.filterOptions(service.options)
  if (options.length > 0) {
    sb += '\n'
    for (const o of options) sb += indented(optionStatement(ctx, o))
  }
  if (service.rpcs.length > 0) {
    sb += '\n'
    for (const rpc of service.rpcs) sb += indented(rpcToString(ctx, rpc))
  }
  return `${sb}}\n`
}

function rpcToString(ctx: FormatContext, rpc: RpcElement): string {
  const request = ctx.normalize ? ctx.resolveOrThrow(rpc.requestType) : rpc.requestType
  const response = ctx.normalize ? ctx.resolveOrThrow(rpc.responseType) : rpc.responseType
  let sb = `rpc ${rpc.name} (${rpc.requestStreaming ? 'stream ' : ''}${request}) returns (${rpc.responseStreaming ? 'stream ' : ''}${response})`
  const options = ctx.filterOptions(rpc.options)
  if (options.length > 0) {
    sb += ' {\n'
    for (const o of options) sb += indented(optionStatement(ctx, o))
    sb += '}'
  }
  return `${sb};\n`
}

function rangeStart(v: ReservedValue): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string') return Number.MAX_SAFE_INTEGER
  return v[0]
}

function sortedReserveds(ctx: FormatContext, reserveds: readonly ReservedElement[]): readonly ReservedElement[] {
  if (!ctx.normalize) return reserveds
  return reserveds
    .flatMap((r) => r.values.map((v) => ({ values: [v] })))
    .sort((a, b) => {
      const x = a.values[0] as ReservedValue
      const y = b.values[0] as ReservedValue
      const d = rangeStart(x) - rangeStart(y)
      if (d !== 0) return d
      const sx = rangeText(x)
      const sy = rangeText(y)
      return sx < sy ? -1 : sx > sy ? 1 : 0
    })
}

/** Kotlin's `toString()` of a reserved value (`IntRange` prints `a..b`), which ties sort by. */
function rangeText(v: ReservedValue): string {
  return typeof v === 'object' ? `${v[0]}..${v[1]}` : String(v)
}

function enumToString(ctx: FormatContext, e: EnumElement): string {
  let sb = `enum ${e.name} {`
  if (e.reserveds.length > 0) {
    sb += '\n'
    for (const r of sortedReserveds(ctx, e.reserveds)) sb += indented(reservedToString(ctx, r))
  }
  if (e.reserveds.length === 0 && (e.options.length > 0 || e.constants.length > 0)) sb += '\n'
  for (const o of ctx.filterOptions(e.options)) sb += indented(optionStatement(ctx, o))
  const constants = ctx.normalize
    ? [...e.constants].sort((a, b) => a.tag - b.tag || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    : e.constants
  for (const c of constants) {
    let line = `${c.name} = ${c.tag}`
    const options = ctx.filterOptions(c.options)
    if (options.length > 0) line += ` ${appendOptions(ctx, options)}`
    sb += indented(`${line};\n`)
  }
  return `${sb}}\n`
}

function messageToString(ctx: FormatContext, m: MessageElement): string {
  let sb = `message ${m.name} {`
  if (m.reserveds.length > 0) {
    sb += '\n'
    for (const r of sortedReserveds(ctx, m.reserveds)) sb += indented(reservedToString(ctx, r))
  }
  const options = ctx.filterOptions(m.options)
  if (options.length > 0) {
    sb += '\n'
    for (const o of options) sb += indented(optionStatement(ctx, o))
  }
  if (m.fields.length > 0) {
    sb += '\n'
    const fields = ctx.normalize ? [...m.fields].sort((a, b) => a.tag - b.tag) : m.fields
    for (const f of fields) sb += indented(fieldToString(ctx, f))
  }
  if (m.oneOfs.length > 0) {
    sb += '\n'
    let oneOfs: readonly OneOfElement[] = m.oneOfs
    if (ctx.normalize) {
      oneOfs = m.oneOfs
        .filter((o) => o.fields.length > 0)
        .map((o) => ({ ...o, fields: [...o.fields].sort((a, b) => a.tag - b.tag) }))
        .sort((a, b) => (a.fields[0] as FieldElement).tag - (b.fields[0] as FieldElement).tag)
    }
    for (const o of oneOfs) sb += indented(oneOfToString(ctx, o))
  }
  if (m.groups.length > 0) {
    sb += '\n'
    const groups = ctx.normalize ? [...m.groups].sort((a, b) => a.tag - b.tag) : m.groups
    for (const g of groups) sb += indented(groupToString(ctx, g))
  }
  if (m.extensions.length > 0) {
    sb += '\n'
    let extensions: readonly ExtensionsElement[] = m.extensions
    if (ctx.normalize) {
      extensions = m.extensions
        .flatMap((e) => e.values.map((v) => ({ values: [v], options: e.options })))
        .sort((a, b) => rangeStart(a.values[0] as ReservedValue) - rangeStart(b.values[0] as ReservedValue))
    }
    for (const e of extensions) sb += indented(extensionsToString(ctx, e))
  }
  if (m.extendDeclarations.length > 0) {
    sb += '\n'
    for (const e of extendsOf(ctx, m.extendDeclarations)) sb += indented(extendToString(ctx, e))
  }
  const types = filterTypes(ctx, m.nestedTypes)
  if (types.length > 0) {
    sb += '\n'
    for (const t of types) if (t.kind === 'message') sb += indented(scoped(ctx, t.name, () => messageToString(ctx, t)))
    for (const t of types) if (t.kind === 'enum') sb += indented(scoped(ctx, t.name, () => enumToString(ctx, t)))
  }
  return `${sb}}\n`
}

function reservedToString(ctx: FormatContext, r: ReservedElement): string {
  const values = r.values.map((v) => {
    if (typeof v === 'string') return `"${v}"`
    if (typeof v === 'number') return String(v)
    if (ctx.normalize && v[0] === v[1]) return String(v[0])
    return `${v[0]} to ${v[1] < MAX_TAG_VALUE ? v[1] : 'max'}`
  })
  return `reserved ${values.join(', ')};\n`
}

function extensionsToString(ctx: FormatContext, e: ExtensionsElement): string {
  const values = e.values.map((v) => {
    if (typeof v === 'number') return String(v)
    if (ctx.normalize && v[0] === v[1]) return String(v[0])
    return `${v[0]} to ${v[1] < MAX_TAG_VALUE ? v[1] : 'max'}`
  })
  let sb = `extensions ${values.join(', ')}`
  const options = ctx.filterOptions(e.options)
  if (options.length > 0) sb += ` ${appendOptions(ctx, options)}`
  return `${sb};\n`
}

function oneOfToString(ctx: FormatContext, o: OneOfElement): string {
  let sb = `oneof ${o.name} {`
  const options = ctx.filterOptions(o.options)
  if (options.length > 0) {
    sb += '\n'
    for (const opt of options) sb += indented(optionStatement(ctx, opt))
  }
  if (o.fields.length > 0) {
    sb += '\n'
    for (const f of o.fields) sb += indented(fieldToString(ctx, f))
  }
  if (o.groups.length > 0) {
    sb += '\n'
    const groups = ctx.normalize ? [...o.groups].sort((a, b) => a.tag - b.tag) : o.groups
    for (const g of groups) sb += indented(groupToString(ctx, g))
  }
  return `${sb}}\n`
}

function groupToString(ctx: FormatContext, g: GroupElement): string {
  let sb = `${g.label === undefined ? '' : `${g.label} `}group ${g.name} = ${g.tag} {`
  if (g.fields.length > 0) {
    sb += '\n'
    const fields = ctx.normalize ? [...g.fields].sort((a, b) => a.tag - b.tag) : g.fields
    for (const f of fields) sb += indented(fieldToString(ctx, f))
  }
  return `${sb}}\n`
}

function extendToString(ctx: FormatContext, e: ExtendElement): string {
  let sb = `extend ${e.name} {`
  if (e.fields.length > 0) {
    sb += '\n'
    const fields = ctx.normalize ? [...e.fields].sort((a, b) => a.tag - b.tag) : e.fields
    for (const f of fields) sb += indented(fieldToString(ctx, f))
  }
  return `${sb}}\n`
}

/** `map<K, V>` parts, as wire's `ProtoType.get` splits them. */
function mapParts(type: string): { key: string; value: string } | undefined {
  if (!type.startsWith('map<') || !type.endsWith('>')) return undefined
  const comma = type.indexOf(',')
  if (comma < 0) return undefined
  return { key: type.slice(4, comma).trim(), value: type.slice(comma + 1, -1).trim() }
}

function simpleName(type: string): string {
  const dot = type.lastIndexOf('.')
  return dot < 0 ? type : type.slice(dot + 1)
}

function fieldToString(ctx: FormatContext, field: FieldElement): string {
  let label: Label | undefined = field.label
  let fieldType = field.type
  if (ctx.normalize) {
    let map = mapParts(fieldType)
    if (!SCALARS.has(fieldType) && map === undefined) {
      fieldType = ctx.resolveOrThrow(fieldType)
      const info = ctx.types.get(fieldType.slice(1))
      if (info?.isMap && info.key !== undefined && info.value !== undefined) {
        map = { key: info.key.type, value: info.value.type }
        fieldType = `map<${map.key}, ${map.value}>`
      }
    }
    if (map !== undefined) {
      const value = ctx.resolve(map.value)
      if (value !== undefined) fieldType = `map<${map.key}, .${value}>`
      label = undefined
    }
  }
  let sb = `${label === undefined ? '' : `${label} `}${fieldType} ${field.name} = ${field.tag}`
  const options: OptionElement[] = [...field.options]
  if (field.defaultValue !== undefined) {
    options.push({ name: 'default', kind: defaultKind(fieldType), value: field.defaultValue, parenthesized: false })
  }
  if (field.jsonName !== undefined) {
    options.push({ name: 'json_name', kind: 'STRING', value: field.jsonName, parenthesized: false })
  }
  const filtered = ctx.filterOptions(options)
  if (filtered.length > 0) sb += ` ${appendOptions(ctx, filtered)}`
  return `${sb};\n`
}

/** `ProtobufSchemaUtils.toKind(ProtoType)`: how a field's `default` prints. */
function defaultKind(type: string): OptionKind {
  const name = simpleName(type)
  if (name === 'bool') return 'BOOLEAN'
  if (name === 'string') return 'STRING'
  if (SCALARS.has(name)) return 'NUMBER'
  return 'ENUM'
}

function optionStatement(ctx: FormatContext, option: OptionElement): string {
  return `option ${optionToString(ctx, option)};\n`
}

function optionToString(ctx: FormatContext, option: OptionElement): string {
  let sb = option.parenthesized ? `(${option.name})` : option.name
  const value = option.value
  switch (option.kind) {
    case 'STRING':
      sb += ` = "${escapeChars(String(value))}"`
      break
    case 'BOOLEAN':
    case 'ENUM':
      sb += ` = ${String(value)}`
      break
    case 'NUMBER':
      sb += ` = ${formatNumber(ctx, String(value))}`
      break
    case 'OPTION':
      sb += `.${optionToString(ctx, value as OptionElement)}`
      break
    case 'MAP':
      sb += ` = {\n${formatOptionMap(ctx, value as OptionMap)}}`
      break
    case 'LIST':
      sb += ` = ${appendOptions(ctx, value as OptionValue[])}`
      break
  }
  return sb
}

function appendOptions(ctx: FormatContext, options: readonly OptionValue[]): string {
  if (options.length === 1) return `[${formatValue(ctx, options[0] as OptionValue)}]`
  let sb = '[\n'
  options.forEach((o, i) => {
    sb += indented(`${formatValue(ctx, o)}${i < options.length - 1 ? ',' : ''}`)
  })
  return `${sb}]`
}

function formatOptionMap(ctx: FormatContext, map: OptionMap): string {
  let entries = [...map.entries()]
  if (ctx.normalize) {
    const merged = new Map<string, OptionValue>()
    for (const [k, v] of entries) {
      if (Array.isArray(v) && v.length === 0) continue
      if (!merged.has(k)) merged.set(k, v)
    }
    entries = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  }
  let sb = ''
  entries.forEach(([k, v], i) => {
    sb += indented(`${k}: ${formatValue(ctx, v)}${i < entries.length - 1 ? ',' : ''}`)
  })
  return sb
}

function formatValue(ctx: FormatContext, value: OptionValue): string {
  if (typeof value === 'string') return `"${escapeChars(value)}"`
  if (value instanceof Map) return `{\n${formatOptionMap(ctx, value)}}`
  if (Array.isArray(value)) {
    if (ctx.normalize && value.length === 1) return formatValue(ctx, value[0] as OptionValue)
    let sb = '[\n'
    value.forEach((v, i) => {
      sb += indented(`${formatValue(ctx, v)}${i < value.length - 1 ? ',' : ''}`)
    })
    return `${sb}]`
  }
  if (isOptionPrimitive(value)) {
    if (value.kind === 'NUMBER') return formatNumber(ctx, value.value)
    return value.value
  }
  if (isOptionElement(value)) return optionToString(ctx, value)
  return String(value)
}

/** Normalized numbers go through `NumberUtils.createNumber` and a `DecimalFormat` (no grouping, 3 decimals). */
function formatNumber(ctx: FormatContext, value: string): string {
  if (!ctx.normalize) return value
  let n: number
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(value)) n = Number.parseInt(value, 16)
  else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdDlL]?$/.test(value)) n = Number.parseFloat(value)
  else return value
  if (!Number.isFinite(n)) return value
  const fixed = n.toFixed(3).replace(/\.?0+$/, '')
  return fixed === '-0' ? '0' : fixed
}

function escapeChars(input: string): string {
  let out = ''
  for (const c of input) {
    switch (c) {
      case '\u0007':
        out += '\\a'
        break
      case '\b':
        out += '\\b'
        break
      case '\f':
        out += '\\f'
        break
      case '\n':
        out += '\\n'
        break
      case '\r':
        out += '\\r'
        break
      case '\t':
        out += '\\t'
        break
      case '\u000b':
        out += '\\v'
        break
      case '\\':
        out += '\\\\'
        break
      case "'":
        out += "\\'"
        break
      case '"':
        out += '\\"'
        break
      default:
        out += c
    }
  }
  return out
}

/** `appendIndented`: every line two spaces in (Java's `split("\n")` drops trailing empty lines). */
function indented(value: string): string {
  const lines = value.split('\n')
  if (value !== '') while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines.map((l) => `  ${l}\n`).join('')
}

// --- message indexes, as the Java serializer and deserializer compute them ---

/** `ProtobufSchema.toMessageIndexes(name, normalize)`: map entry messages count unless normalizing. */
export function protoMessageIndexes(file: ProtoFileElement, name: string, normalize = false): number[] {
  const pkg = file.packageName
  const local = pkg !== undefined && pkg !== '' && name.startsWith(`${pkg}.`) ? name.slice(pkg.length + 1) : name
  const indexes: number[] = []
  let types: readonly TypeElement[] = file.types
  for (const part of local.split('.')) {
    let i = 0
    for (const type of types) {
      if (type.kind !== 'message') continue
      if (normalize && type.options.some((o) => o.name === 'map_entry' && String(o.value) === 'true')) continue
      if (type.name === part) {
        indexes.push(i)
        types = type.nestedTypes
        break
      }
      i++
    }
  }
  return indexes
}

/** `ProtobufSchema.toMessageName(indexes)`: the message that indexes name, as the Java deserializer reads them. */
export function protoMessageName(file: ProtoFileElement, indexes: readonly number[]): string {
  const parts: string[] = []
  let types: readonly TypeElement[] = file.types
  for (const index of indexes.length === 0 ? [0] : indexes) {
    const message = types.filter((t): t is MessageElement => t.kind === 'message')[index]
    if (message === undefined) throw new RangeError(`Invalid message indexes: [${indexes.join(', ')}]`)
    parts.push(message.name)
    types = message.nestedTypes
  }
  const name = parts.join('.')
  return file.packageName !== undefined && file.packageName !== '' ? `${file.packageName}.${name}` : name
}

// --- a FileDescriptorProto as the registry reads it (`ProtobufSchema.toProtoFile(FileDescriptorProto)`) ---

const CTYPE = ['STRING', 'CORD', 'STRING_PIECE']
const JSTYPE = ['JS_NORMAL', 'JS_STRING', 'JS_NUMBER']
const OPTIMIZE_FOR = ['', 'SPEED', 'CODE_SIZE', 'LITE_RUNTIME']
const IDEMPOTENCY = ['IDEMPOTENCY_UNKNOWN', 'NO_SIDE_EFFECTS', 'IDEMPOTENT']
const TYPE_NAMES = [
  '',
  'double',
  'float',
  'int64',
  'uint64',
  'int32',
  'fixed64',
  'fixed32',
  'bool',
  'string',
  'group',
  'message',
  'bytes',
  'uint32',
  'enum',
  'sfixed32',
  'sfixed64',
  'sint32',
  'sint64',
]

type Opts = Record<string, unknown> | null | undefined

function has(options: Opts, key: string): boolean {
  return options != null && Object.hasOwn(options, key) && options[key] !== null && options[key] !== undefined
}

function opt(name: string, kind: OptionKind, value: unknown): OptionElement {
  return { name, kind, value: String(value), parenthesized: false }
}

/**
 * A base64 `FileDescriptorProto` (what the Confluent JavaScript client registers) read as the registry
 * reads it: map fields become `repeated` fields of their `*Entry` message, which stays a nested
 * message (with `option map_entry = true;`) where the descriptor lists it.
 */
export function protoFileFromDescriptor(file: descriptor.IFileDescriptorProto): ProtoFileElement {
  const proto3 = file.syntax === 'proto3'
  const fo = file.options as Opts
  const options: OptionElement[] = []
  const fileOptions: Array<[string, string, OptionKind]> = [
    ['javaPackage', 'java_package', 'STRING'],
    ['javaOuterClassname', 'java_outer_classname', 'STRING'],
    ['javaMultipleFiles', 'java_multiple_files', 'BOOLEAN'],
    ['javaGenerateEqualsAndHash', 'java_generate_equals_and_hash', 'BOOLEAN'],
    ['javaStringCheckUtf8', 'java_string_check_utf8', 'BOOLEAN'],
    ['optimizeFor', 'optimize_for', 'ENUM'],
    ['goPackage', 'go_package', 'STRING'],
    ['ccGenericServices', 'cc_generic_services', 'BOOLEAN'],
    ['javaGenericServices', 'java_generic_services', 'BOOLEAN'],
    ['pyGenericServices', 'py_generic_services', 'BOOLEAN'],
    ['deprecated', 'deprecated', 'BOOLEAN'],
    ['ccEnableArenas', 'cc_enable_arenas', 'BOOLEAN'],
    ['objcClassPrefix', 'objc_class_prefix', 'STRING'],
    ['csharpNamespace', 'csharp_namespace', 'STRING'],
    ['swiftPrefix', 'swift_prefix', 'STRING'],
    ['phpClassPrefix', 'php_class_prefix', 'STRING'],
    ['phpNamespace', 'php_namespace', 'STRING'],
    ['phpMetadataNamespace', 'php_metadata_namespace', 'STRING'],
    ['rubyPackage', 'ruby_package', 'STRING'],
  ]
  for (const [key, name, kind] of fileOptions) {
    if (!has(fo, key)) continue
    const v = (fo as Record<string, unknown>)[key]
    options.push(opt(name, kind, key === 'optimizeFor' ? (OPTIMIZE_FOR[Number(v)] ?? v) : v))
  }
  const dependencies: readonly string[] = file.dependency ?? []
  const publicDeps = new Set(file.publicDependency ?? [])
  const weakDeps = new Set(file.weakDependency ?? [])
  const extendElements = (fields: readonly descriptor.IFieldDescriptorProto[]): ExtendElement[] => {
    const grouped = new Map<string, FieldElement[]>()
    for (const fd of fields) {
      const list = grouped.get(fd.extendee ?? '') ?? []
      list.push(toField(fd, false, proto3))
      grouped.set(fd.extendee ?? '', list)
    }
    return [...grouped].map(([name, f]) => ({ name, fields: f }))
  }
  return {
    packageName: file.package ? file.package : undefined,
    syntax: file.syntax === 'proto2' ? 'proto2' : file.syntax === 'proto3' ? 'proto3' : undefined,
    imports: dependencies.filter((_, i) => !publicDeps.has(i) && !weakDeps.has(i)),
    publicImports: dependencies.filter((_, i) => publicDeps.has(i)),
    weakImports: dependencies.filter((_, i) => weakDeps.has(i) && !publicDeps.has(i)),
    types: [
      ...(file.messageType ?? []).map((m) => toMessage(m, proto3, extendElements)),
      ...(file.enumType ?? []).map(toEnum),
    ],
    services: (file.service ?? []).map((s) => ({
      name: s.name ?? '',
      rpcs: (s.method ?? []).map((m) => {
        const mo = m.options as Opts
        const rpcOptions: OptionElement[] = []
        if (has(mo, 'deprecated'))
          rpcOptions.push(opt('deprecated', 'BOOLEAN', (mo as Record<string, unknown>).deprecated))
        if (has(mo, 'idempotencyLevel')) {
          const v = Number((mo as Record<string, unknown>).idempotencyLevel)
          rpcOptions.push(opt('idempotency_level', 'ENUM', IDEMPOTENCY[v] ?? v))
        }
        return {
          name: m.name ?? '',
          requestType: m.inputType ?? '',
          responseType: m.outputType ?? '',
          requestStreaming: m.clientStreaming === true,
          responseStreaming: m.serverStreaming === true,
          options: rpcOptions,
        }
      }),
      options: has(s.options as Opts, 'deprecated')
        ? [opt('deprecated', 'BOOLEAN', (s.options as Record<string, unknown>).deprecated)]
        : [],
    })),
    extendDeclarations: extendElements(file.extension ?? []),
    options,
  }
}

function toMessage(
  d: descriptor.IDescriptorProto,
  proto3: boolean,
  extendElements: (fields: readonly descriptor.IFieldDescriptorProto[]) => ExtendElement[],
): MessageElement {
  const oneofs = (d.oneofDecl ?? []).map((o) => ({ name: o.name ?? '', fields: [] as FieldElement[] }))
  const fields: FieldElement[] = []
  for (const fd of d.field ?? []) {
    const inOneof = own(fd, 'oneofIndex') && fd.proto3Optional !== true
    if (inOneof) oneofs[fd.oneofIndex as number]?.fields.push(toField(fd, true, proto3))
    else fields.push(toField(fd, false, proto3))
  }
  const mo = d.options as Opts
  const options: OptionElement[] = []
  if (has(mo, 'noStandardDescriptorAccessor')) {
    options.push(
      opt('no_standard_descriptor_accessor', 'BOOLEAN', (mo as Record<string, unknown>).noStandardDescriptorAccessor),
    )
  }
  if (has(mo, 'deprecated')) options.push(opt('deprecated', 'BOOLEAN', (mo as Record<string, unknown>).deprecated))
  if (has(mo, 'mapEntry')) options.push(opt('map_entry', 'BOOLEAN', (mo as Record<string, unknown>).mapEntry))
  return {
    kind: 'message',
    name: d.name ?? '',
    nestedTypes: [
      ...(d.nestedType ?? []).map((n) => toMessage(n, proto3, extendElements)),
      ...(d.enumType ?? []).map(toEnum),
    ],
    options,
    reserveds: [
      ...(d.reservedRange ?? []).map((r) => ({ values: [rangeOf(r.start ?? 0, (r.end ?? 0) - 1)] })),
      ...(d.reservedName ?? []).map((n) => ({ values: [n] })),
    ],
    fields,
    oneOfs: oneofs.filter((o) => o.fields.length > 0).map((o) => ({ ...o, groups: [], options: [] })),
    extensions: (d.extensionRange ?? []).map((r) => ({
      values: [rangeOf(r.start ?? 0, (r.end ?? 0) - 1)],
      options: [],
    })),
    groups: [],
    extendDeclarations: extendElements(d.extension ?? []),
  }
}

/** Whether a decoded descriptor field was present (protobufjs keeps absent fields' defaults on the prototype). */
function own(message: object, key: string): boolean {
  const v = (message as Record<string, unknown>)[key]
  return Object.hasOwn(message, key) && v !== null && v !== undefined
}

function rangeOf(start: number, endInclusive: number): number | [number, number] {
  return start === endInclusive ? start : [start, endInclusive]
}

function toEnum(e: descriptor.IEnumDescriptorProto): EnumElement {
  // protobufjs's typings leave out the enum's reserved ranges and names, which it decodes
  const reserved = e as {
    reservedRange?: Array<{ start?: number | null; end?: number | null }> | null
    reservedName?: string[] | null
  }
  const eo = e.options as Opts
  const options: OptionElement[] = []
  if (has(eo, 'allowAlias')) options.push(opt('allow_alias', 'BOOLEAN', (eo as Record<string, unknown>).allowAlias))
  if (has(eo, 'deprecated')) options.push(opt('deprecated', 'BOOLEAN', (eo as Record<string, unknown>).deprecated))
  return {
    kind: 'enum',
    name: e.name ?? '',
    options,
    constants: (e.value ?? []).map((v) => {
      const vo = v.options as Opts
      const valueOptions: OptionElement[] = []
      if (has(vo, 'deprecated'))
        valueOptions.push(opt('deprecated', 'BOOLEAN', (vo as Record<string, unknown>).deprecated))
      return { name: v.name ?? '', tag: v.number ?? 0, options: valueOptions }
    }),
    reserveds: [
      ...(reserved.reservedRange ?? []).map((r) => ({ values: [rangeOf(r.start ?? 0, r.end ?? 0)] })),
      ...(reserved.reservedName ?? []).map((n) => ({ values: [n] })),
    ],
  }
}

function toField(fd: descriptor.IFieldDescriptorProto, inOneof: boolean, proto3: boolean): FieldElement {
  const fo = fd.options as Opts
  const options: OptionElement[] = []
  const o = (fo ?? {}) as Record<string, unknown>
  if (has(fo, 'ctype')) options.push(opt('ctype', 'ENUM', CTYPE[Number(o.ctype)] ?? o.ctype))
  if (has(fo, 'packed')) options.push(opt('packed', 'BOOLEAN', o.packed))
  if (has(fo, 'jstype')) options.push(opt('jstype', 'ENUM', JSTYPE[Number(o.jstype)] ?? o.jstype))
  if (has(fo, 'deprecated')) options.push(opt('deprecated', 'BOOLEAN', o.deprecated))
  let label: Label | undefined
  if (!inOneof) {
    if (fd.proto3Optional === true) label = 'optional'
    else if (fd.label === 3) label = 'repeated'
    else if (!proto3) label = fd.label === 2 ? 'required' : 'optional'
  }
  const type = fd.typeName ? fd.typeName : (TYPE_NAMES[fd.type ?? 0] ?? String(fd.type))
  return {
    label,
    type,
    name: fd.name ?? '',
    defaultValue: !proto3 && own(fd, 'defaultValue') ? (fd.defaultValue ?? undefined) : undefined,
    jsonName: own(fd, 'jsonName') ? (fd.jsonName ?? undefined) : undefined,
    tag: fd.number ?? 0,
    options,
  }
}
