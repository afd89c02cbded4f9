import {
  type JsonTree,
  javaDoubleToString,
  javaFloatToString,
  jsonString,
  parseJsonTree,
  sortedJsonTree,
  writeJsonTree,
} from './json-tree.js'

// How the Confluent Schema Registry sees an Avro schema: its `AvroSchema.canonicalString()` is Avro
// Java's `Schema.toString(referencedSchemas, false)` — the parsed schema written back as compact JSON,
// keys in Avro's order, `{"type":"long"}` as `"long"`, names relative to the enclosing namespace,
// doc, defaults, aliases and custom properties kept. The registry stores that string and finds a
// schema by it (an MD5 of it and the references), so two texts are the same schema when their
// canonical strings match. Within one subject it also matches a schema `equivalent` to a version
// (Avro's `Schema.equals` plus doc and aliases: property order does not count). `normalize=true` first
// rewrites the schema with `AvroSchemaUtils.toNormalizedString` (full names, sorted properties).

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])
/** `Schema.Type` names: a named type called one of these is always written with its namespace. */
const TYPE_NAMES = new Set([...PRIMITIVES, 'record', 'enum', 'array', 'map', 'union', 'fixed'])
const SCHEMA_RESERVED = new Set([
  'doc',
  'fields',
  'items',
  'name',
  'namespace',
  'size',
  'symbols',
  'values',
  'type',
  'aliases',
])
const ENUM_RESERVED = new Set([...SCHEMA_RESERVED, 'default'])
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases'])

type Props = Array<readonly [string, JsonTree]>

interface Name {
  readonly name: string
  readonly space: string | undefined
  readonly full: string
}

interface Field {
  readonly name: string
  readonly type: AvroNode
  readonly doc: string | undefined
  readonly defaultValue: JsonTree | undefined
  readonly order: 'ascending' | 'descending' | 'ignore'
  readonly aliases: readonly string[] | undefined
  readonly props: Props
}

interface NamedBase {
  readonly name: Name
  readonly doc: string | undefined
  readonly props: Props
  readonly aliases: readonly Name[]
}

type Named =
  | (NamedBase & { readonly kind: 'record'; readonly error: boolean; fields: Field[] })
  | (NamedBase & {
      readonly kind: 'enum'
      readonly symbols: readonly string[]
      readonly enumDefault: string | undefined
    })
  | (NamedBase & { readonly kind: 'fixed'; readonly size: number })

type AvroNode =
  | { readonly kind: 'primitive'; readonly type: string; readonly props: Props }
  | { readonly kind: 'array'; readonly items: AvroNode; readonly props: Props }
  | { readonly kind: 'map'; readonly values: AvroNode; readonly props: Props }
  | { readonly kind: 'union'; readonly types: readonly AvroNode[] }
  | { readonly kind: 'ref'; readonly full: string; target: Named | undefined }
  | Named

function makeName(name: string, space: string | undefined): Name {
  const dot = name.lastIndexOf('.')
  let s = space
  let n = name
  if (dot >= 0) {
    s = name.slice(0, dot)
    n = name.slice(dot + 1)
  }
  if (s === '') s = undefined
  return { name: n, space: s, full: s === undefined ? n : `${s}.${n}` }
}

/** Avro Java's parser (`Schema.parse(JsonNode, ParseContext, namespace)`), keeping what `toString` writes. */
class AvroParser {
  readonly names = new Map<string, Named>()
  private readonly unresolved: Array<Extract<AvroNode, { kind: 'ref' }>> = []

  parse(node: JsonTree, space: string | undefined): AvroNode {
    if (node.t === 'string') return this.find(node.v, space)
    if (node.t === 'array') return { kind: 'union', types: node.items.map((n) => this.parse(n, space)) }
    if (node.t !== 'object') throw new Error(`Schema not yet supported: ${writeJsonTree(node)}`)
    const type = text(node, 'type')
    if (type === undefined) throw new Error(`No type: ${writeJsonTree(node)}`)
    if (PRIMITIVES.has(type)) return { kind: 'primitive', type, props: props(node, SCHEMA_RESERVED) }
    if (type === 'record' || type === 'error') {
      const name = this.nameOf(node, space)
      const fieldsNode = get(node, 'fields')
      if (fieldsNode?.t !== 'array') throw new Error(`Record has no fields: ${writeJsonTree(node)}`)
      const record: Named = {
        kind: 'record',
        error: type === 'error',
        name,
        doc: text(node, 'doc'),
        fields: [],
        props: props(node, SCHEMA_RESERVED),
        aliases: aliasesOf(node, name),
      }
      this.define(record)
      record.fields = fieldsNode.items.map((f) => this.field(f, name.space))
      return record
    }
    if (type === 'enum') {
      const name = this.nameOf(node, space)
      const symbols = get(node, 'symbols')
      if (symbols?.t !== 'array') throw new Error(`Enum has no symbols: ${writeJsonTree(node)}`)
      const named: Named = {
        kind: 'enum',
        name,
        doc: text(node, 'doc'),
        symbols: symbols.items.map((s) => (s.t === 'string' ? s.v : writeJsonTree(s))),
        enumDefault: text(node, 'default'),
        props: props(node, ENUM_RESERVED),
        aliases: aliasesOf(node, name),
      }
      this.define(named)
      return named
    }
    if (type === 'fixed') {
      const name = this.nameOf(node, space)
      const size = get(node, 'size')
      if (size?.t !== 'int') throw new Error(`Invalid or no size: ${writeJsonTree(node)}`)
      const named: Named = {
        kind: 'fixed',
        name,
        doc: text(node, 'doc'),
        size: Number(size.v),
        props: props(node, SCHEMA_RESERVED),
        aliases: aliasesOf(node, name),
      }
      this.define(named)
      return named
    }
    if (type === 'array') {
      const items = get(node, 'items')
      if (items === undefined) throw new Error(`Array has no items type: ${writeJsonTree(node)}`)
      return { kind: 'array', items: this.parse(items, space), props: props(node, SCHEMA_RESERVED) }
    }
    if (type === 'map') {
      const values = get(node, 'values')
      if (values === undefined) throw new Error(`Map has no values type: ${writeJsonTree(node)}`)
      return { kind: 'map', values: this.parse(values, space), props: props(node, SCHEMA_RESERVED) }
    }
    return this.find(type, space)
  }

  /** Forward references resolve once the whole schema is read (Avro 1.12), by their full name. */
  resolve(): void {
    for (const ref of this.unresolved) {
      ref.target = this.names.get(ref.full)
      if (ref.target === undefined) throw new Error(`Undefined name: "${ref.full}"`)
    }
    this.unresolved.length = 0
  }

  private field(node: JsonTree, space: string | undefined): Field {
    if (node.t !== 'object') throw new Error(`Invalid field: ${writeJsonTree(node)}`)
    const name = text(node, 'name')
    if (name === undefined) throw new Error(`No field name: ${writeJsonTree(node)}`)
    const typeNode = get(node, 'type')
    if (typeNode === undefined) throw new Error(`No field type: ${writeJsonTree(node)}`)
    const type = this.parse(typeNode, space)
    const orderText = text(node, 'order')?.toLowerCase()
    const order = orderText === 'descending' || orderText === 'ignore' ? orderText : 'ascending'
    let defaultValue = get(node, 'default')
    const base = this.target(type)
    if (
      defaultValue?.t === 'string' &&
      base?.kind === 'primitive' &&
      (base.type === 'float' || base.type === 'double')
    ) {
      defaultValue = { t: 'double', v: Number.parseFloat(defaultValue.v) }
    }
    const aliasesNode = get(node, 'aliases')
    const aliases =
      aliasesNode?.t === 'array'
        ? [...new Set(aliasesNode.items.map((a) => (a.t === 'string' ? a.v : writeJsonTree(a))))]
        : undefined
    return { name, type, doc: text(node, 'doc'), defaultValue, order, aliases, props: props(node, FIELD_RESERVED) }
  }

  private nameOf(node: Extract<JsonTree, { t: 'object' }>, space: string | undefined): Name {
    const name = text(node, 'name')
    if (name === undefined) throw new Error(`No name in schema: ${writeJsonTree(node)}`)
    return makeName(name, text(node, 'namespace') ?? space)
  }

  private define(named: Named): void {
    if (!this.names.has(named.name.full)) this.names.set(named.name.full, named)
  }

  private find(name: string, space: string | undefined): AvroNode {
    if (PRIMITIVES.has(name)) return { kind: 'primitive', type: name, props: [] }
    const full = space !== undefined && !name.includes('.') ? `${space}.${name}` : name
    const found = this.names.get(full) ?? this.names.get(name)
    const ref: Extract<AvroNode, { kind: 'ref' }> = { kind: 'ref', full, target: found }
    if (found === undefined) this.unresolved.push(ref)
    return ref
  }

  target(node: AvroNode): Exclude<AvroNode, { kind: 'ref' }> | undefined {
    return node.kind === 'ref' ? node.target : node
  }
}

function get(node: JsonTree, key: string): JsonTree | undefined {
  if (node.t !== 'object') return undefined
  return node.entries.find(([k]) => k === key)?.[1]
}

function text(node: JsonTree, key: string): string | undefined {
  const v = get(node, key)
  return v?.t === 'string' ? v.v : undefined
}

function props(node: Extract<JsonTree, { t: 'object' }>, reserved: ReadonlySet<string>): Props {
  return node.entries.filter(([k]) => !reserved.has(k))
}

function aliasesOf(node: JsonTree, name: Name): Name[] {
  const aliases = get(node, 'aliases')
  if (aliases === undefined) return []
  if (aliases.t !== 'array') throw new Error(`aliases not an array: ${writeJsonTree(node)}`)
  const out: Name[] = []
  for (const a of aliases.items) {
    if (a.t !== 'string') throw new Error(`alias not a string: ${writeJsonTree(a)}`)
    const alias = makeName(a.v, name.space)
    if (!out.some((x) => x.full === alias.full)) out.push(alias)
  }
  return out
}

function qualified(name: Name, defaultSpace: string | undefined): string {
  if (name.space !== undefined && name.space === defaultSpace && !TYPE_NAMES.has(name.name)) return name.name
  return name.full
}

interface WriteOptions {
  /** Sort properties, aliases and the keys of JSON values: the `equivalent` comparison, not the text. */
  readonly sorted: boolean
}

/** Avro Java's `Schema.toJson(knownNames, namespace, gen)`. */
function write(node: AvroNode, known: Set<string>, space: string | undefined, o: WriteOptions): string {
  const json = (v: JsonTree): string => writeJsonTree(o.sorted ? sortedJsonTree(v) : v)
  const writeProps = (p: Props): string => {
    const list = o.sorted ? [...p].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : p
    return list.map(([k, v]) => `,${jsonString(k)}:${json(v)}`).join('')
  }
  const n = node.kind === 'ref' ? (node.target as Named) : node
  switch (n.kind) {
    case 'primitive':
      return n.props.length === 0 ? jsonString(n.type) : `{"type":${jsonString(n.type)}${writeProps(n.props)}}`
    case 'array':
      return `{"type":"array","items":${write(n.items, known, space, o)}${writeProps(n.props)}}`
    case 'map':
      return `{"type":"map","values":${write(n.values, known, space, o)}${writeProps(n.props)}}`
    case 'union':
      return `[${n.types.map((t) => write(t, known, space, o)).join(',')}]`
  }
  if (known.has(n.name.full)) return jsonString(qualified(n.name, space))
  known.add(n.name.full)
  let out = `{"type":${jsonString(n.kind === 'record' && n.error ? 'error' : n.kind)},"name":${jsonString(n.name.name)}`
  if (n.name.space !== undefined) {
    if (n.name.space !== space) out += `,"namespace":${jsonString(n.name.space)}`
  } else if (space !== undefined) {
    out += ',"namespace":""'
  }
  if (n.doc !== undefined) out += `,"doc":${jsonString(n.doc)}`
  if (n.kind === 'record') {
    const fields = n.fields.map((f) => {
      let field = `{"name":${jsonString(f.name)},"type":${write(f.type, known, n.name.space, o)}`
      if (f.doc !== undefined) field += `,"doc":${jsonString(f.doc)}`
      if (f.defaultValue !== undefined) field += `,"default":${json(f.defaultValue)}`
      if (f.order !== 'ascending') field += `,"order":${jsonString(f.order)}`
      if (f.aliases !== undefined && f.aliases.length > 0) {
        const aliases = o.sorted ? [...f.aliases].sort() : f.aliases
        field += `,"aliases":[${aliases.map(jsonString).join(',')}]`
      }
      return `${field}${writeProps(f.props)}}`
    })
    out += `,"fields":[${fields.join(',')}]`
  } else if (n.kind === 'enum') {
    out += `,"symbols":[${n.symbols.map(jsonString).join(',')}]`
    if (n.enumDefault !== undefined) out += `,"default":${jsonString(n.enumDefault)}`
  } else {
    out += `,"size":${n.size}`
  }
  out += writeProps(n.props)
  if (n.aliases.length > 0) {
    const aliases = n.aliases.map((a) => qualified(a, n.name.space))
    out += `,"aliases":[${(o.sorted ? aliases.sort() : aliases).map(jsonString).join(',')}]`
  }
  return `${out}}`
}

interface Parsed {
  readonly node: AvroNode
  /** Full names of the referenced schemas' top-level types: written as names, not inlined. */
  readonly referenced: readonly string[]
  readonly parser: AvroParser
}

/** Parses a schema after its references (dependencies first), as `new AvroSchema(text, refs, ...)` does. */
function parseWithReferences(schema: string, references: readonly string[]): Parsed {
  const parser = new AvroParser()
  const referenced: string[] = []
  for (const ref of references) {
    const node = parser.parse(parseJsonTree(ref), undefined)
    parser.resolve()
    const top = parser.target(node)
    if (top !== undefined && 'name' in top) referenced.push(top.name.full)
  }
  const node = parser.parse(parseJsonTree(schema), undefined)
  parser.resolve()
  return { node, referenced, parser }
}

/** The registry's `AvroSchema.canonicalString()`: what it stores, serves and finds the schema by. */
export function avroCanonicalString(schema: string, references: readonly string[] = []): string {
  const { node, referenced } = parseWithReferences(schema, references)
  return write(node, new Set(referenced), undefined, { sorted: false })
}

/**
 * What `AvroSchema.equivalent` compares: the canonical form with properties, aliases and the keys of
 * JSON values sorted (Avro's `Schema.equals` compares properties as maps; the registry adds doc and
 * aliases, compared as sets).
 */
export function avroEquivalenceKey(schema: string, references: readonly string[] = []): string {
  const { node, referenced } = parseWithReferences(schema, references)
  return write(node, new Set(referenced), undefined, { sorted: true })
}

/**
 * The registry's `AvroSchema.normalize().canonicalString()`: `AvroSchemaUtils.toNormalizedString`
 * (full names, properties sorted, logical type first, field order spelled out, aliases sorted,
 * defaults converted to the field's type) read back and written as the canonical string.
 */
export function avroNormalizedString(schema: string, references: readonly string[] = []): string {
  const { node, referenced, parser } = parseWithReferences(schema, references)
  const env = new Map(referenced.map((full) => [full, jsonString(full)]))
  const normalized = build(env, node, parser)
  return avroCanonicalString(normalized, references)
}

// --- AvroSchemaUtils.build ---

const LOGICAL_TYPES: Record<string, readonly string[]> = {
  decimal: ['bytes', 'fixed'],
  'big-decimal': ['bytes'],
  uuid: ['string', 'fixed'],
  date: ['int'],
  'time-millis': ['int'],
  'time-micros': ['long'],
  'timestamp-millis': ['long'],
  'timestamp-micros': ['long'],
  'timestamp-nanos': ['long'],
  'local-timestamp-millis': ['long'],
  'local-timestamp-micros': ['long'],
  'local-timestamp-nanos': ['long'],
  duration: ['fixed'],
}

/** `LogicalTypes.fromSchemaIgnoreInvalid`: the logical type Avro recognizes on a schema, if valid. */
function logicalTypeOf(
  base: string,
  p: Props,
  fixedSize?: number,
): { name: string; precision?: number; scale?: number } | undefined {
  const lt = p.find(([k]) => k === 'logicalType')?.[1]
  if (lt?.t !== 'string' || !LOGICAL_TYPES[lt.v]?.includes(base)) return undefined
  if (lt.v === 'uuid' && base === 'fixed' && fixedSize !== 16) return undefined
  if (lt.v === 'duration' && fixedSize !== 12) return undefined
  if (lt.v !== 'decimal') return { name: lt.v }
  const precision = p.find(([k]) => k === 'precision')?.[1]
  const scale = p.find(([k]) => k === 'scale')?.[1]
  if (precision?.t !== 'int' || precision.v <= 0n) return undefined
  const s = scale?.t === 'int' ? Number(scale.v) : 0
  if (s < 0 || s > Number(precision.v)) return undefined
  if (fixedSize !== undefined && Number(precision.v) > Math.floor(Math.log10(2) * (8 * fixedSize - 1))) return undefined
  return { name: lt.v, precision: Number(precision.v), scale: s }
}

function logicalProps(lt: { name: string; precision?: number; scale?: number }): string {
  let out = `,"logicalType":${jsonString(lt.name)}`
  if (lt.name === 'decimal') {
    out += `,"precision":${lt.precision}`
    if (lt.scale !== 0) out += `,"scale":${lt.scale}`
  }
  return out
}

function simpleProps(p: Props): string {
  return [...p]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `,"${k}":${writeJsonTree(v)}`)
    .join('')
}

function build(env: Map<string, string>, node: AvroNode, parser: AvroParser): string {
  const s = parser.target(node) as Exclude<AvroNode, { kind: 'ref' }>
  switch (s.kind) {
    case 'union':
      return `[${s.types.map((t) => build(env, t, parser)).join(',')}]`
    case 'array':
    case 'map': {
      const lt = logicalTypeOf(s.kind, s.props)
      const inner =
        s.kind === 'array' ? `,"items":${build(env, s.items, parser)}` : `,"values":${build(env, s.values, parser)}`
      return `{"type":"${s.kind}"${inner}${lt === undefined ? '' : logicalProps(lt)}${simpleProps(s.props)}}`
    }
    case 'primitive': {
      const lt = logicalTypeOf(s.type, s.props)
      if (lt !== undefined) return `{"type":"${s.type}"${logicalProps(lt)}${simpleProps(s.props)}}`
      if (s.props.length > 0) return `{"type":"${s.type}"${simpleProps(s.props)}}`
      return `"${s.type}"`
    }
  }
  const known = env.get(s.name.full)
  if (known !== undefined) return known
  const qname = `"${s.name.full}"`
  env.set(s.name.full, qname)
  let out = `{"name":${qname},"type":"${s.kind}"`
  if (s.kind === 'enum') {
    out += `,"symbols":[${s.symbols.map((x) => `"${x}"`).join(',')}]`
  } else if (s.kind === 'fixed') {
    out += `,"size":${s.size}`
  } else {
    const fields = s.fields.map((f) => {
      let field = `{"name":"${f.name}","type":${build(env, f.type, parser)}`
      field += `,"order":"${f.order.toUpperCase()}"`
      if (f.doc !== undefined) field += `,"doc":${jsonString(f.doc)}`
      if (f.aliases !== undefined && f.aliases.length > 0) {
        field += `,"aliases":[${[...f.aliases].sort().map(jsonString).join(',')}]`
      }
      if (f.defaultValue !== undefined) field += `,"default":${defaultAs(f.defaultValue, f.type, parser)}`
      return `${field}${simpleProps(f.props)}}`
    })
    out += `,"fields":[${fields.join(',')}]`
  }
  const lt = logicalTypeOf(s.kind, s.props, s.kind === 'fixed' ? s.size : undefined)
  if (lt !== undefined) out += logicalProps(lt)
  if (s.doc !== undefined && s.doc !== '') out += `,"doc":${jsonString(s.doc)}`
  if (s.aliases.length > 0) {
    const aliases = s.aliases.map((a) => (a.space === undefined && s.name.space !== undefined ? `.${a.name}` : a.full))
    out += `,"aliases":[${[...new Set(aliases)].sort().map(jsonString).join(',')}]`
  }
  if (s.kind === 'enum' && s.enumDefault !== undefined) out += `,"default":${jsonString(s.enumDefault)}`
  return `${out}${simpleProps(s.props)}}`
}

/** `Field.defaultVal()` written back (`JacksonUtils.toObject(default, schema)`): numbers take the field's type. */
function defaultAs(value: JsonTree, type: AvroNode | undefined, parser: AvroParser): string {
  let s = type === undefined ? undefined : parser.target(type)
  if (s?.kind === 'union') s = parser.target(s.types[0] as AvroNode)
  const base = s?.kind === 'primitive' ? s.type : s?.kind
  switch (value.t) {
    case 'int':
    case 'double': {
      const n = value.t === 'int' ? Number(value.v) : value.v
      if (base === 'double') return javaDoubleToString(n)
      if (base === 'float') return javaFloatToString(n)
      return value.t === 'int' ? value.v.toString() : javaDoubleToString(value.v)
    }
    case 'array': {
      const items = s?.kind === 'array' ? s.items : undefined
      return `[${value.items.map((v) => defaultAs(v, items, parser)).join(',')}]`
    }
    case 'object': {
      const entries = value.entries.map(([k, v]) => {
        let fieldType: AvroNode | undefined
        if (s?.kind === 'map') fieldType = s.values
        else if (s?.kind === 'record') fieldType = s.fields.find((f) => f.name === k)?.type
        return `${jsonString(k)}:${defaultAs(v, fieldType, parser)}`
      })
      return `{${entries.join(',')}}`
    }
    default:
      return writeJsonTree(value)
  }
}
