#!/usr/bin/env node
// Generates packages/core/src/protocol/apis/<api>/<api>.ts (and a small <api>.schema.json descriptor
// used by the tests) from Apache Kafka's message definitions (JSON with // comments).
//
//   node scripts/generate-protocol.mjs [path-to-messages-dir]
//
// The messages directory defaults to ../shared/kafka-protocol/messages relative to the repository
// root. The generated files are committed, so building and testing never need that directory.
//
// The generated code is straight-line, version-conditional code in the manner of Kafka's own
// generated Java: one write and one read function per struct, `if (version >= N)` for each field
// whose presence, nullability or encoding depends on the version, and no schema interpretation at
// run time.

import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const messagesDir = path.resolve(process.argv[2] ?? path.join(root, '../shared/kafka-protocol/messages'))
const outDir = path.join(root, 'packages/core/src/protocol/apis')
/** Kafka's definitions of the APIs the shared directory does not hold (see its README). */
const extraMessagesDir = path.join(root, 'scripts/kafka-messages')

/** The APIs to generate, in the order they are listed in apis/index.ts (sorted by key there). */
const APIS = [
  'Produce',
  'Fetch',
  'ListOffsets',
  'Metadata',
  'OffsetCommit',
  'OffsetFetch',
  'FindCoordinator',
  'JoinGroup',
  'Heartbeat',
  'LeaveGroup',
  'SyncGroup',
  'DescribeGroups',
  'ListGroups',
  'SaslHandshake',
  'ApiVersions',
  'CreateTopics',
  'DeleteTopics',
  'DeleteRecords',
  'InitProducerId',
  'AddPartitionsToTxn',
  'AddOffsetsToTxn',
  'EndTxn',
  'TxnOffsetCommit',
  'DescribeConfigs',
  'AlterConfigs',
  'SaslAuthenticate',
  'CreatePartitions',
  'DeleteGroups',
  'IncrementalAlterConfigs',
  'OffsetDelete',
  'DescribeCluster',
  'DescribeProducers',
  'DescribeTransactions',
  'ListTransactions',
  'ConsumerGroupHeartbeat',
  'ConsumerGroupDescribe',
]

// ---------------------------------------------------------------------------------------------
// Reading Kafka's JSON

/** Removes // comments (outside of strings) from Kafka's commented JSON. */
function stripComments(text) {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      out += c
      if (c === '\\') out += text[++i]
      else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
      out += c
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else {
      out += c
    }
  }
  return out
}

function loadMessage(file) {
  let full = path.join(messagesDir, file)
  if (!fs.existsSync(full)) full = path.join(extraMessagesDir, file)
  if (!fs.existsSync(full)) throw new Error(`missing ${file} in ${messagesDir} and ${extraMessagesDir}`)
  return JSON.parse(stripComments(fs.readFileSync(full, 'utf8')))
}

// ---------------------------------------------------------------------------------------------
// Version ranges: { lo, hi } with hi = Infinity for an open range; null for "none".

function parseRange(spec) {
  if (spec === undefined || spec === null) return null
  const s = String(spec).trim()
  if (s === '' || s === 'none') return null
  if (s.endsWith('+')) return { lo: Number(s.slice(0, -1)), hi: Number.POSITIVE_INFINITY }
  const dash = s.indexOf('-')
  if (dash > 0) return { lo: Number(s.slice(0, dash)), hi: Number(s.slice(dash + 1)) }
  return { lo: Number(s), hi: Number(s) }
}

function intersect(a, b) {
  if (a === null || b === null) return null
  const lo = Math.max(a.lo, b.lo)
  const hi = Math.min(a.hi, b.hi)
  return lo <= hi ? { lo, hi } : null
}

function hull(a, b) {
  if (a === null) return b
  if (b === null) return a
  return { lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) }
}

/** Whether `outer` contains all of `inner`. */
function covers(outer, inner) {
  if (inner === null) return true
  if (outer === null) return false
  return outer.lo <= inner.lo && outer.hi >= inner.hi
}

function sameRange(a, b) {
  if (a === null || b === null) return a === b
  return a.lo === b.lo && a.hi === b.hi
}

function inRange(r, v) {
  return r !== null && v >= r.lo && v <= r.hi
}

function rangeText(r) {
  if (r === null) return 'none'
  if (r.hi === Number.POSITIVE_INFINITY) return `${r.lo}+`
  if (r.lo === r.hi) return `${r.lo}`
  return `${r.lo}-${r.hi}`
}

function rangeJson(r) {
  return r === null ? null : [r.lo, r.hi === Number.POSITIVE_INFINITY ? null : r.hi]
}

/** The condition selecting `r` (a subset of `ctx`) among the versions of `ctx`, or '' for all of them. */
function condition(r, ctx) {
  const parts = []
  if (r.lo > ctx.lo) parts.push(`version >= ${r.lo}`)
  if (r.hi < ctx.hi) parts.push(`version <= ${r.hi}`)
  return parts.join(' && ')
}

/** Splits `ctx` into contiguous segments at every boundary of the given ranges. */
function segments(ctx, ranges) {
  const points = new Set([ctx.lo])
  for (const r of ranges) {
    if (r === null) continue
    if (r.lo > ctx.lo && r.lo <= ctx.hi) points.add(r.lo)
    if (r.hi + 1 > ctx.lo && r.hi + 1 <= ctx.hi) points.add(r.hi + 1)
  }
  const sorted = [...points].sort((a, b) => a - b)
  return sorted.map((lo, i) => ({ lo, hi: i + 1 < sorted.length ? sorted[i + 1] - 1 : ctx.hi }))
}

/** Merges adjacent segments whose code is identical. */
function merge(segs) {
  const out = []
  for (const s of segs) {
    const last = out[out.length - 1]
    if (last !== undefined && last.code === s.code) last.hi = s.hi
    else out.push({ ...s })
  }
  return out
}

/** A nested conditional expression choosing each segment's expression by version. */
function ternary(segs) {
  const merged = merge(segs)
  let expr = merged[0].code
  for (let i = 1; i < merged.length; i++) expr = `version >= ${merged[i].lo} ? ${merged[i].code} : ${expr}`
  return expr
}

/**
 * An if/else chain choosing each segment's statements (arrays of lines; empty for nothing) by
 * version. Returns lines.
 */
function chain(segs, ctx) {
  const merged = merge(segs.map((s) => ({ ...s, code: s.lines.join('\n') })))
  const out = []
  let skippedAbove = false
  let first = true
  for (let i = merged.length - 1; i >= 0; i--) {
    const s = merged[i]
    if (s.code === '') {
      skippedAbove = true
      continue
    }
    const parts = []
    if (s.lo > ctx.lo) parts.push(`version >= ${s.lo}`)
    if (skippedAbove && s.hi < ctx.hi) parts.push(`version <= ${s.hi}`)
    const cond = parts.join(' && ')
    const lines = s.code.split('\n')
    const keyword = first ? (cond === '' ? '' : `if (${cond})`) : cond === '' ? 'else' : `else if (${cond})`
    if (keyword === '') {
      out.push(...lines)
      break
    }
    if (lines.length === 1 && !lines[0].startsWith('const ') && !lines[0].startsWith('let ')) {
      out.push(`${keyword} ${lines[0]}`)
    } else {
      out.push(`${keyword} {`, ...lines.map((l) => `  ${l}`), '}')
    }
    first = false
    if (cond === '') break
  }
  // `if (a) x` followed by `else {` needs the previous single-line branch braced for readability
  return braceMixedChain(out)
}

/** Biome keeps `if (a) x\nelse y`; a chain mixing braced and unbraced branches is braced fully. */
function braceMixedChain(lines) {
  const starts = lines.filter((l) => /^(if |else)/.test(l))
  if (starts.length < 2) return lines
  const anyBraced = starts.some((l) => l.endsWith('{'))
  if (!anyBraced) return lines
  const out = []
  for (const l of lines) {
    const m = /^(if \(.*?\)|else if \(.*?\)|else) (.*)$/.exec(l)
    if (m !== null && !l.endsWith('{') && /^(if |else)/.test(l)) {
      // a single-statement branch: brace it
      const [, keyword, stmt] = m
      if (out.length > 0 && out[out.length - 1] === '}' && keyword.startsWith('else')) {
        out[out.length - 1] = `} ${keyword} {`
      } else {
        out.push(`${keyword} {`)
      }
      out.push(`  ${stmt}`, '}')
    } else if (/^else/.test(l) && out.length > 0 && out[out.length - 1] === '}') {
      out[out.length - 1] = `} ${l}`
    } else {
      out.push(l)
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Names

const camel = (name) => name[0].toLowerCase() + name.slice(1)
const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()
const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()

const RESERVED = new Set(
  `break case catch class const continue debugger default delete do else enum export extends false finally for
  function if import in instanceof new null return super switch this throw true try typeof var void while with yield
  let static implements interface package private protected public await arguments eval undefined
  version w r s at tag size outerEnd fieldEnd tagCount`.split(/\s+/),
)

function localName(prop) {
  return RESERVED.has(prop) ? `${prop}Value` : prop
}

// ---------------------------------------------------------------------------------------------
// The model

const PRIMITIVES = {
  int8: { ts: 'number', width: 1, read: 'readInt8', write: 'writeInt8', zero: '0', grammar: 'INT8' },
  int16: { ts: 'number', width: 2, read: 'readInt16', write: 'writeInt16', zero: '0', grammar: 'INT16' },
  uint16: { ts: 'number', width: 2, read: 'readUInt16', write: 'writeUInt16', zero: '0', grammar: 'UINT16' },
  int32: { ts: 'number', width: 4, read: 'readInt32', write: 'writeInt32', zero: '0', grammar: 'INT32' },
  uint32: { ts: 'number', width: 4, read: 'readUInt32', write: 'writeUInt32', zero: '0', grammar: 'UINT32' },
  int64: { ts: 'bigint', width: 8, read: 'readInt64', write: 'writeInt64', zero: '0n', grammar: 'INT64' },
  float64: { ts: 'number', width: 8, read: 'readFloat64', write: 'writeFloat64', zero: '0', grammar: 'FLOAT64' },
  bool: { ts: 'boolean', width: 1, read: 'readBoolean', write: 'writeBoolean', zero: 'false', grammar: 'BOOLEAN' },
  uuid: { ts: 'string', width: 16, read: 'readUuid', write: 'writeUuid', zero: 'ZERO_UUID', grammar: 'UUID' },
}
const VARIABLE = new Set(['string', 'bytes', 'records'])

class Message {
  constructor(json, apiName, direction) {
    this.json = json
    this.apiName = apiName
    this.direction = direction // 'Request' | 'Response'
    this.name = json.name // e.g. ProduceRequest
    this.valid = parseRange(json.validVersions)
    this.flexible = parseRange(json.flexibleVersions)
    this.structs = new Map() // Kafka struct name -> Struct
    this.order = [] // structs in definition order (top level first)
    this.commonJson = new Map((json.commonStructs ?? []).map((s) => [s.name, s]))
    this.top = new Struct(this, this.name, this.name, json.fields, true)
    this.structs.set(this.name, this.top)
    this.order.push(this.top)
    this.top.fields = this.buildFields(this.top, json.fields)
    this.widen(this.top, this.valid)
  }

  tsName(kafkaName) {
    return kafkaName.startsWith(this.name) ? kafkaName : `${this.name}${kafkaName}`
  }

  structFor(typeName, inlineFields, where) {
    const existing = this.structs.get(typeName)
    if (inlineFields !== undefined) {
      if (existing !== undefined) throw new Error(`${this.name}: struct ${typeName} defined twice (${where})`)
      if (this.commonJson.has(typeName)) throw new Error(`${this.name}: struct ${typeName} shadows a common struct`)
      const s = new Struct(this, typeName, this.tsName(typeName), inlineFields, false)
      this.structs.set(typeName, s)
      this.order.push(s)
      s.fields = this.buildFields(s, inlineFields)
      return s
    }
    if (existing !== undefined) return existing
    const common = this.commonJson.get(typeName)
    if (common === undefined) throw new Error(`${this.name}: unknown type ${typeName} (${where})`)
    const s = new Struct(this, typeName, this.tsName(typeName), common.fields, false)
    s.common = true
    this.structs.set(typeName, s)
    this.order.push(s)
    s.fields = this.buildFields(s, common.fields)
    return s
  }

  parseType(type, inlineFields, where) {
    if (type.startsWith('[]')) {
      const elem = type.slice(2)
      if (PRIMITIVES[elem] !== undefined || elem === 'string') {
        if (inlineFields !== undefined) throw new Error(`${where}: an array of ${elem} has fields`)
        return { kind: 'array', elem: { kind: elem } }
      }
      if (VARIABLE.has(elem)) throw new Error(`${where}: arrays of ${elem} are not supported`)
      return { kind: 'array', elem: { kind: 'struct', struct: this.structFor(elem, inlineFields, where) } }
    }
    if (PRIMITIVES[type] !== undefined || VARIABLE.has(type)) return { kind: type }
    return { kind: 'struct', struct: this.structFor(type, inlineFields, where) }
  }

  buildFields(struct, fieldsJson) {
    const props = new Set()
    return fieldsJson.map((f) => {
      const where = `${this.name}.${struct.kafkaName}.${f.name}`
      const field = {
        name: f.name,
        prop: camel(f.name),
        local: localName(camel(f.name)),
        versions: parseRange(f.versions),
        nullable: parseRange(f.nullableVersions),
        tagged: parseRange(f.taggedVersions),
        tag: f.tag,
        rawDefault: f.default,
        about: f.about,
        ignorable: f.ignorable === true,
        type: this.parseType(f.type, f.fields, where),
        kafkaType: f.type,
        owner: struct,
      }
      if (field.versions === null) throw new Error(`${where}: no versions`)
      if (props.has(field.prop)) throw new Error(`${where}: duplicate field name`)
      props.add(field.prop)
      if ((field.tagged === null) !== (field.tag === undefined)) throw new Error(`${where}: tag without taggedVersions`)
      if (field.tagged !== null && field.tagged.hi !== Number.POSITIVE_INFINITY) {
        throw new Error(`${where}: taggedVersions must be open-ended`)
      }
      if (field.type.kind === 'uuid' && field.nullable !== null) throw new Error(`${where}: nullable uuid`)
      if (field.nullable !== null && PRIMITIVES[field.type.kind] !== undefined && field.type.kind !== 'uuid') {
        throw new Error(`${where}: a ${field.type.kind} cannot be nullable`)
      }
      if (f.flexibleVersions !== undefined) throw new Error(`${where}: per-field flexibleVersions is not supported`)
      return field
    })
  }

  /** Widens the version range in which `struct` can appear, and that of the structs it contains. */
  widen(struct, range) {
    const next = hull(struct.range, range)
    if (struct.range !== null && sameRange(next, struct.range)) return
    struct.range = next
    for (const f of struct.fields) {
      const present = intersect(f.versions, next)
      if (present === null) continue
      const t = f.type.kind === 'array' ? f.type.elem : f.type
      if (t.kind === 'struct') this.widen(t.struct, present)
    }
  }

  isFlexible(v) {
    return inRange(this.flexible, v)
  }
}

class Struct {
  constructor(message, kafkaName, tsName, fieldsJson, top) {
    this.message = message
    this.kafkaName = kafkaName
    this.tsName = tsName
    this.fieldsJson = fieldsJson
    this.top = top
    this.fields = []
    this.range = null
    this.common = false
    this.needsDefault = false
    this.needsIsDefault = false
  }
}

// ---------------------------------------------------------------------------------------------
// Field properties

function nullableEverywhere(f, message) {
  const present = intersect(f.versions, message.valid)
  return f.nullable !== null && present !== null && covers(f.nullable, present)
}

function nullableSomewhere(f, message) {
  return intersect(f.nullable, intersect(f.versions, message.valid)) !== null
}

function parseIntDefault(raw, where) {
  const s = String(raw).trim()
  const neg = s.startsWith('-')
  const body = neg ? s.slice(1) : s
  let v
  if (/^0x[0-9a-f]+$/i.test(body)) v = BigInt(body)
  else if (/^0[0-7]+$/.test(body)) v = BigInt(`0o${body.slice(1)}`)
  else if (/^[0-9]+$/.test(body)) v = BigInt(body)
  else throw new Error(`${where}: bad integer default ${raw}`)
  return neg ? -v : v
}

/**
 * The default of a field as a description: { ts, json } where ts is a TypeScript expression for a
 * fresh value (decode) and json describes it in the schema descriptor.
 */
function fieldDefault(f, message) {
  const where = `${message.name}.${f.name}`
  const raw = f.rawDefault
  const kind = f.type.kind
  const nullAll = nullableEverywhere(f, message)
  if (raw !== undefined && raw !== '' && String(raw) === 'null') {
    if (!nullAll) throw new Error(`${where}: default null on a field that is not always nullable`)
    return { ts: 'null', enc: 'null', json: null }
  }
  const prim = PRIMITIVES[kind]
  if (prim !== undefined && kind !== 'uuid') {
    if (raw === undefined || raw === '')
      return { ts: prim.zero, enc: prim.zero, json: kind === 'int64' ? '0' : kind === 'bool' ? false : 0 }
    if (kind === 'bool') {
      const b = String(raw) === 'true'
      if (!b && String(raw) !== 'false') throw new Error(`${where}: bad boolean default ${raw}`)
      return { ts: String(b), enc: String(b), json: b }
    }
    if (kind === 'float64') {
      const n = Number(raw)
      return { ts: String(n), enc: String(n), json: n }
    }
    const v = parseIntDefault(raw, where)
    if (kind === 'int64') return { ts: `${v}n`, enc: `${v}n`, json: String(v) }
    return { ts: String(v), enc: String(v), json: Number(v) }
  }
  if (kind === 'uuid') {
    if (raw !== undefined && raw !== '') throw new Error(`${where}: uuid defaults are not supported`)
    return { ts: 'ZERO_UUID', enc: 'ZERO_UUID', json: 'AAAAAAAAAAAAAAAAAAAAAA' }
  }
  if (kind === 'string') {
    if (raw !== undefined) return { ts: quote(String(raw)), enc: quote(String(raw)), json: String(raw) }
    return nullAll ? { ts: 'null', enc: 'null', json: null } : { ts: "''", enc: "''", json: '' }
  }
  if (raw !== undefined && raw !== '') throw new Error(`${where}: a ${kind} field cannot have a default`)
  if (kind === 'records') return { ts: 'null', enc: 'null', json: null }
  if (kind === 'bytes') {
    return nullAll ? { ts: 'null', enc: 'null', json: null } : { ts: 'EMPTY_BUFFER', enc: 'EMPTY_BUFFER', json: '' }
  }
  if (kind === 'array')
    return nullAll ? { ts: 'null', enc: 'null', json: null } : { ts: '[]', enc: 'EMPTY_ARRAY', json: [] }
  if (kind === 'struct') {
    if (nullAll) return { ts: 'null', enc: 'null', json: null }
    f.type.struct.needsDefault = true
    return { ts: `default${f.type.struct.tsName}()`, enc: `default${f.type.struct.tsName}()`, json: undefined }
  }
  throw new Error(`${where}: no default for ${kind}`)
}

function quote(s) {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

function tsType(f, message) {
  const nullable = f.type.kind === 'records' || nullableSomewhere(f, message)
  return baseTsType(f.type) + (nullable ? ' | null' : '')
}

function baseTsType(t) {
  switch (t.kind) {
    case 'string':
      return 'string'
    case 'bytes':
    case 'records':
      return 'Buffer'
    case 'array': {
      const inner = baseTsType(t.elem)
      return `${inner}[]`
    }
    case 'struct':
      return t.struct.tsName
    default:
      return PRIMITIVES[t.kind].ts
  }
}

/** Required in the interface: present in every valid version of the message, never tagged. */
function isRequired(f, message) {
  return f.tagged === null && covers(f.versions, message.valid)
}

// ---------------------------------------------------------------------------------------------
// Minimum encoded sizes, for array length sanity checks

function minTypeSize(t, v, message, nullable) {
  const flex = message.isFlexible(v)
  switch (t.kind) {
    case 'string':
      return flex ? 1 : 2
    case 'bytes':
    case 'records':
      return flex ? 1 : 4
    case 'array':
      return flex ? 1 : 4
    case 'struct':
      return nullable ? 1 : minStructSize(t.struct, v, message)
    default:
      return PRIMITIVES[t.kind].width
  }
}

function minStructSize(struct, v, message) {
  let size = message.isFlexible(v) ? 1 : 0
  for (const f of struct.fields) {
    if (!inRange(f.versions, v) || inRange(f.tagged, v)) continue
    size += minTypeSize(f.type, v, message, inRange(f.nullable, v))
  }
  return size
}

function minElementSize(elemType, range, message) {
  let min = Number.POSITIVE_INFINITY
  const hi = Math.min(range.hi, message.valid.hi)
  for (let v = range.lo; v <= hi; v++) min = Math.min(min, minTypeSize(elemType, v, message, false))
  return Math.max(1, min === Number.POSITIVE_INFINITY ? 1 : min)
}

// ---------------------------------------------------------------------------------------------
// Code generation: writing

function errorLabel(_message, f) {
  return quote(`${f.owner.tsName}.${f.prop}`)
}

/**
 * Lines writing the value held in `val` of field `f` with the given type, for versions in `ctx`
 * (all untagged or all tagged), where encoding depends on flexibility and nullability.
 */
function writeValueLines(message, f, type, val, ctx, forceFlex) {
  const flexR = forceFlex ? ctx : message.flexible
  const typeNullable = tsType(f, message).endsWith('| null')
  const segs = segments(ctx, [flexR, f.nullable]).map((seg) => {
    const flex = inRange(flexR, seg.lo)
    const nullable = inRange(f.nullable, seg.lo)
    const { head, tail } = writeTypeLines(type, val, flex, nullable || type.kind === 'records')
    if (typeNullable && !nullable && type.kind !== 'records') {
      head.unshift(`if (${val} === null) throw nullNotAllowed(${errorLabel(message, f)}, version)`)
    }
    return { ...seg, head, tail }
  })
  // The part after the length (an array's element loop, the records bytes) is often the same in
  // every segment: write the length by version, then that part once.
  const tails = segs.map((s) => s.tail.join('\n'))
  if (segs.length > 1 && tails[0] !== '' && tails.every((t) => t === tails[0])) {
    return [
      ...chain(
        segs.map((s) => ({ ...s, lines: s.head })),
        ctx,
      ),
      ...segs[0].tail,
    ]
  }
  return chain(
    segs.map((s) => ({ ...s, lines: [...s.head, ...s.tail] })),
    ctx,
  )
}

/** The statements writing one value: `head` depends on the encoding, `tail` may not. */
function writeTypeLines(type, val, flex, nullable) {
  switch (type.kind) {
    case 'string':
      return { head: [flex ? `w.writeCompactString(${val})` : `w.writeString(${val})`], tail: [] }
    case 'bytes':
      return { head: [flex ? `w.writeCompactBytes(${val})` : `w.writeBytes(${val})`], tail: [] }
    case 'records':
      return {
        head: [
          flex
            ? `w.writeUnsignedVarInt(${val} === null ? 0 : ${val}.length + 1)`
            : `w.writeInt32(${val} === null ? -1 : ${val}.length)`,
        ],
        tail: [`if (${val} !== null) w.appendExternal(${val})`],
      }
    case 'struct':
      if (nullable) {
        return {
          head: [
            `if (${val} === null) w.writeInt8(-1)`,
            'else {',
            '  w.writeInt8(1)',
            `  write${type.struct.tsName}(w, version, ${val})`,
            '}',
          ],
          tail: [],
        }
      }
      return { head: [`write${type.struct.tsName}(w, version, ${val})`], tail: [] }
    case 'array': {
      const len = nullable ? `${val} === null ? null : ${val}.length` : `${val}.length`
      const head = [flex ? `w.writeCompactArrayLength(${len})` : `w.writeArrayLength(${len})`]
      const elem = type.elem
      let body
      if (elem.kind === 'struct') body = `write${elem.struct.tsName}(w, version, item)`
      else if (elem.kind === 'string') body = flex ? 'w.writeCompactString(item)' : 'w.writeString(item)'
      else body = `w.${PRIMITIVES[elem.kind].write}(item)`
      const loop = nullable
        ? `if (${val} !== null) for (const item of ${val}) ${body}`
        : `for (const item of ${val}) ${body}`
      return { head, tail: [loop] }
    }
    default:
      return { head: [`w.${PRIMITIVES[type.kind].write}(${val})`], tail: [] }
  }
}

/** Whether a value of the field's type is written through a local variable rather than inline. */
function isSimpleValue(type) {
  return type.kind !== 'array' && type.kind !== 'records' && type.kind !== 'struct'
}

function genWrite(struct) {
  const message = struct.message
  const ctx = struct.range
  const body = []
  const tagged = []
  for (const f of struct.fields) {
    const present = intersect(f.versions, ctx)
    if (present === null) continue
    const taggedHere = intersect(f.tagged, present)
    const untagged = taggedHere === null ? present : intersect(present, { lo: present.lo, hi: taggedHere.lo - 1 })
    if (taggedHere !== null) tagged.push({ f, range: taggedHere })
    if (untagged === null) continue
    const required = isRequired(f, message)
    const def = fieldDefault(f, message)
    const access = `s.${f.prop}`
    // `??` would also replace an explicit null, so a nullable field whose default is not null checks for undefined
    const typeNullable = tsType(f, message).endsWith('| null')
    const fallback =
      typeNullable && def.enc !== 'null'
        ? `${access} === undefined ? ${def.enc} : ${access}`
        : `${access} ?? ${def.enc}`
    const valueExpr = required ? access : `(${fallback})`
    const cond = condition(untagged, ctx)
    let lines
    if (isSimpleValue(f.type) && !(tsType(f, message).endsWith('| null') && !covers(f.nullable, untagged))) {
      lines = writeValueLines(message, f, f.type, valueExpr, untagged, false)
    } else {
      lines = [
        `const ${f.local} = ${required ? access : fallback}`,
        ...writeValueLines(message, f, f.type, f.local, untagged, false),
      ]
    }
    if (cond === '') body.push(...lines)
    else if (lines.length === 1) body.push(`if (${cond}) ${lines[0]}`)
    else body.push(`if (${cond}) {`, ...lines.map((l) => `  ${l}`), '}')
  }
  // tagged fields
  const flexHere = intersect(message.flexible, ctx)
  if (flexHere !== null) {
    const lines = []
    if (tagged.length === 0) {
      lines.push('w.writeEmptyTaggedFields()')
    } else {
      tagged.sort((a, b) => a.f.tag - b.f.tag)
      const has = []
      for (const { f, range } of tagged) {
        const local = `${f.local}Tagged`
        const hasName = `has${f.name}`
        const cond = condition(range, flexHere)
        lines.push(`const ${local} = s.${f.prop}`)
        const nonDefault = isNotDefaultExpr(f, local, message)
        lines.push(`const ${hasName} = ${cond === '' ? '' : `${cond} && `}${local} !== undefined && ${nonDefault}`)
        has.push(hasName)
      }
      lines.push(`w.writeUnsignedVarInt(${has.map((h) => `(${h} ? 1 : 0)`).join(' + ')})`)
      for (const { f, range } of tagged) {
        const local = `${f.local}Tagged`
        lines.push(`if (has${f.name}) {`)
        lines.push(`  const at = beginTaggedField(w, ${f.tag})`)
        for (const l of writeValueLines(message, f, f.type, local, range, true)) lines.push(`  ${l}`)
        lines.push('  endTaggedField(w, at)')
        lines.push('}')
      }
      for (const { f } of tagged) {
        if (f.type.kind === 'records') throw new Error(`${message.name}.${f.name}: tagged records are not supported`)
      }
    }
    const cond = condition(flexHere, ctx)
    if (cond === '') body.push(...lines)
    else if (lines.length === 1) body.push(`if (${cond}) ${lines[0]}`)
    else body.push(`if (${cond}) {`, ...lines.map((l) => `  ${l}`), '}')
  }
  return body
}

/** A TS expression true when `expr` (not undefined) differs from the field's default. */
function isNotDefaultExpr(f, expr, message) {
  const def = fieldDefault(f, message)
  switch (f.type.kind) {
    case 'array':
      return def.ts === 'null' ? `${expr} !== null` : `${expr}.length !== 0`
    case 'bytes':
      return def.ts === 'null' ? `${expr} !== null` : `${expr}.length !== 0`
    case 'records':
      return `${expr} !== null`
    case 'struct':
      if (def.ts === 'null') return `${expr} !== null`
      markIsDefault(f.type.struct)
      return `!isDefault${f.type.struct.tsName}(${expr})`
    default:
      return `${expr} !== ${def.ts}`
  }
}

function markIsDefault(struct) {
  if (struct.needsIsDefault) return
  struct.needsIsDefault = true
  for (const f of struct.fields) {
    if (f.type.kind === 'struct' && fieldDefault(f, struct.message).ts !== 'null') markIsDefault(f.type.struct)
  }
}

function genIsDefault(struct) {
  const message = struct.message
  const parts = struct.fields.map((f) => {
    const access = `s.${f.prop}`
    const simple = isDefaultSimple(f, access, message)
    return isRequired(f, message) ? simple : `(${access} === undefined || ${simple})`
  })
  return parts.length === 0 ? ['return true'] : [`return ${parts.join(' && ')}`]
}

function isDefaultSimple(f, access, message) {
  const def = fieldDefault(f, message)
  switch (f.type.kind) {
    case 'array':
    case 'bytes':
      return def.ts === 'null' ? `${access} === null` : `${access}.length === 0`
    case 'records':
      return `${access} === null`
    case 'struct':
      return def.ts === 'null' ? `${access} === null` : `isDefault${f.type.struct.tsName}(${access})`
    default:
      return `${access} === ${def.ts}`
  }
}

// ---------------------------------------------------------------------------------------------
// Code generation: reading

/** A read expression for a non-array type. */
function readExpr(type, flex, nullable) {
  switch (type.kind) {
    case 'string':
      if (flex) return nullable ? 'r.readCompactNullableString()' : 'r.readCompactString()'
      return nullable ? 'r.readNullableString()' : 'r.readString()'
    case 'bytes':
      if (flex) return nullable ? 'r.readCompactNullableBytes()' : 'r.readCompactBytes()'
      return nullable ? 'r.readNullableBytes()' : 'r.readBytes()'
    case 'records':
      if (flex) return nullable ? 'r.readCompactNullableBytes()' : 'r.readCompactBytes()'
      return nullable ? 'r.readNullableBytes()' : 'r.readBytes()'
    case 'struct':
      return nullable
        ? `r.readInt8() < 0 ? null : read${type.struct.tsName}(r, version)`
        : `read${type.struct.tsName}(r, version)`
    default:
      return `r.${PRIMITIVES[type.kind].read}()`
  }
}

/**
 * Lines reading an array field into `target` (already declared) for versions in `ctx`.
 */
function readArrayLines(message, f, target, ctx, forceFlex, declare) {
  const type = f.type
  const flexR = forceFlex ? ctx : message.flexible
  const minSize = minElementSize(type.elem, ctx, message)
  const count = `${f.local}Count`
  const countExpr = ternary(
    segments(ctx, [flexR]).map((seg) => ({
      ...seg,
      code: inRange(flexR, seg.lo) ? `r.readCompactArrayLength(${minSize})` : `r.readArrayLength(${minSize})`,
    })),
  )
  let elemExpr
  const elem = type.elem
  if (elem.kind === 'string') {
    elemExpr = ternary(
      segments(ctx, [flexR]).map((seg) => ({
        ...seg,
        code: inRange(flexR, seg.lo) ? 'r.readCompactString()' : 'r.readString()',
      })),
    )
  } else {
    elemExpr = readExpr(elem, false, false)
  }
  const itemType = baseTsType(elem)
  const lines = [`const ${count} = ${countExpr}`]
  const nullR = intersect(f.nullable, ctx)
  const items = declare ? target : `${f.local}Items`
  const loop = [`const ${items}: ${itemType}[] = []`, `for (let i = 0; i < ${count}; i++) ${items}.push(${elemExpr})`]
  if (nullR === null) {
    lines.push(`if (${count} === null) throw nullNotAllowed(${errorLabel(message, f)}, version)`)
    lines.push(...loop)
    if (!declare) lines.push(`${target} = ${items}`)
  } else {
    if (declare) throw new Error('internal: nullable arrays are read into a declared variable')
    const nullCond = condition(nullR, ctx)
    if (nullCond === '') lines.push(`if (${count} === null) ${target} = null`)
    else {
      lines.push(`if (${count} === null) {`)
      lines.push(`  if (!(${nullCond})) throw nullNotAllowed(${errorLabel(message, f)}, version)`)
      lines.push(`  ${target} = null`)
      lines.push('}')
    }
    lines.push('else {', ...loop.map((l) => `  ${l}`), `  ${target} = ${items}`, '}')
  }
  return lines
}

function genRead(struct) {
  const message = struct.message
  const ctx = struct.range
  const body = []
  const taggedCases = []
  for (const f of struct.fields) {
    const present = intersect(f.versions, ctx)
    const def = fieldDefault(f, message)
    const type = tsType(f, message)
    const taggedHere = present === null ? null : intersect(f.tagged, present)
    const untagged =
      present === null
        ? null
        : taggedHere === null
          ? present
          : intersect(present, { lo: present.lo, hi: taggedHere.lo - 1 })
    if (taggedHere !== null) taggedCases.push({ f, range: taggedHere })
    const mutable = taggedHere !== null
    if (f.type.kind === 'array' && untagged !== null) {
      const nullR = intersect(f.nullable, untagged)
      if (!mutable && sameRange(untagged, ctx) && nullR === null) {
        body.push(...readArrayLines(message, f, f.local, untagged, false, true))
        continue
      }
      body.push(`let ${f.local}: ${type}`)
      const lines = readArrayLines(message, f, f.local, untagged, false, false)
      const cond = condition(untagged, ctx)
      if (cond === '') body.push(...lines)
      else body.push(`if (${cond}) {`, ...lines.map((l) => `  ${l}`), `} else ${f.local} = ${def.ts}`)
      continue
    }
    let expr
    if (untagged === null) {
      expr = def.ts
    } else {
      const segs = segments(ctx, [untagged, message.flexible, f.nullable]).map((seg) => {
        if (!inRange(untagged, seg.lo)) return { ...seg, code: def.ts }
        const flex = message.isFlexible(seg.lo)
        const nullable = inRange(f.nullable, seg.lo) || f.type.kind === 'records'
        return { ...seg, code: readExpr(f.type, flex, nullable) }
      })
      const parenthesized = segs.map((s) => ({
        ...s,
        code: s.code.includes('?') && segs.length > 1 ? `(${s.code})` : s.code,
      }))
      expr = ternary(parenthesized)
    }
    const needsAnnotation =
      mutable || expr === 'null' || expr === '[]' || /\? null :|: null$/.test(expr) || expr.includes('[]')
    body.push(`${mutable ? 'let' : 'const'} ${f.local}${needsAnnotation ? `: ${type}` : ''} = ${expr}`)
  }
  const flexHere = intersect(message.flexible, ctx)
  if (flexHere !== null) {
    const lines = []
    if (taggedCases.length === 0) {
      lines.push('r.readTaggedFields()')
    } else {
      taggedCases.sort((a, b) => a.f.tag - b.f.tag)
      lines.push('for (let tagCount = r.readUnsignedVarInt(); tagCount > 0; tagCount--) {')
      lines.push('  const tag = r.readUnsignedVarInt()')
      lines.push('  const outerEnd = r.end')
      lines.push('  const fieldEnd = taggedFieldEnd(r, r.readUnsignedVarInt())')
      lines.push('  r.end = fieldEnd')
      let first = true
      for (const { f, range } of taggedCases) {
        const cond = condition(range, flexHere)
        const test = `tag === ${f.tag}${cond === '' ? '' : ` && ${cond}`}`
        let stmts
        if (f.type.kind === 'array') {
          stmts = readArrayLines(message, f, f.local, range, true, false)
        } else {
          const segs = segments(range, [f.nullable]).map((seg) => ({
            ...seg,
            code: readExpr(f.type, true, inRange(f.nullable, seg.lo) || f.type.kind === 'records'),
          }))
          stmts = [
            `${f.local} = ${ternary(segs.map((s) => ({ ...s, code: s.code.includes('?') && segs.length > 1 ? `(${s.code})` : s.code })))}`,
          ]
        }
        const kw = first ? 'if' : 'else if'
        if (stmts.length === 1) lines.push(`  ${kw} (${test}) ${stmts[0]}`)
        else lines.push(`  ${kw} (${test}) {`, ...stmts.map((l) => `    ${l}`), '  }')
        first = false
      }
      lines.push('  r.end = outerEnd')
      lines.push('  r.offset = fieldEnd')
      lines.push('}')
      lines.splice(0, lines.length, ...braceMixedChainIndented(lines))
    }
    const cond = condition(flexHere, ctx)
    if (cond === '') body.push(...lines)
    else if (lines.length === 1) body.push(`if (${cond}) ${lines[0]}`)
    else body.push(`if (${cond}) {`, ...lines.map((l) => `  ${l}`), '}')
  }
  const props = struct.fields.map((f) => (f.local === f.prop ? f.prop : `${f.prop}: ${f.local}`))
  body.push(props.length === 0 ? 'return {}' : `return { ${props.join(', ')} }`)
  return body
}

/** Applies braceMixedChain to the if/else-if chain inside the tag loop (indented by two spaces). */
function braceMixedChainIndented(lines) {
  const start = lines.findIndex((l) => l.startsWith('  if (tag === '))
  if (start < 0) return lines
  let end = start
  while (end < lines.length && !lines[end].startsWith('  r.end = outerEnd')) end++
  const inner = lines.slice(start, end).map((l) => l.slice(2))
  const fixed = braceMixedChain(inner).map((l) => `  ${l}`)
  return [...lines.slice(0, start), ...fixed, ...lines.slice(end)]
}

function genDefault(struct) {
  const message = struct.message
  const props = struct.fields.map((f) => `${f.prop}: ${fieldDefault(f, message).ts}`)
  return props.length === 0 ? ['return {}'] : [`return { ${props.join(', ')} }`]
}

// ---------------------------------------------------------------------------------------------
// Interfaces and comments

function wrap(text, width) {
  const words = text.replace(/\s+/g, ' ').trim().split(' ')
  const lines = []
  let line = ''
  for (const w of words) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line)
      line = w
    } else line = line === '' ? w : `${line} ${w}`
  }
  if (line !== '') lines.push(line)
  return lines
}

function sanitizeComment(text) {
  return String(text ?? '').replaceAll('*/', '*\\/')
}

function fieldDoc(f) {
  const notes = [`Versions ${rangeText(f.versions)}`]
  if (f.nullable !== null) notes.push(`nullable ${rangeText(f.nullable)}`)
  if (f.tagged !== null) notes.push(`tagged (tag ${f.tag}) ${rangeText(f.tagged)}`)
  if (f.rawDefault !== undefined) notes.push(`default ${String(f.rawDefault) === '' ? "''" : String(f.rawDefault)}`)
  const about = sanitizeComment(f.about)
  const text = `${about}${about === '' || /[.!?]$/.test(about) ? '' : '.'} (${notes.join(', ')}.)`.trim()
  return text
}

function genInterface(struct) {
  const message = struct.message
  const lines = []
  const kind = struct.top ? `${message.apiName} ${message.direction.toLowerCase()}` : `${struct.kafkaName}`
  lines.push(`/** ${struct.top ? `The ${kind}` : `${kind} in ${message.name}`}. */`)
  lines.push(`export interface ${struct.tsName} {`)
  for (const f of struct.fields) {
    const doc = wrap(fieldDoc(f), 110)
    if (doc.length === 1) lines.push(`  /** ${doc[0]} */`)
    else lines.push('  /**', ...doc.map((l) => `   * ${l}`), '   */')
    lines.push(`  ${f.prop}${isRequired(f, message) ? '' : '?'}: ${tsType(f, message)}`)
  }
  lines.push('}')
  return lines
}

function grammarType(t, flex, nullable) {
  switch (t.kind) {
    case 'string':
      return `${flex ? 'COMPACT_' : ''}${nullable ? 'NULLABLE_' : ''}STRING`
    case 'bytes':
      return `${flex ? 'COMPACT_' : ''}${nullable ? 'NULLABLE_' : ''}BYTES`
    case 'records':
      return `${flex ? 'COMPACT_' : ''}RECORDS`
    default:
      return PRIMITIVES[t.kind].grammar
  }
}

/** Kafka's BNF-like grammar of one version, as in the protocol guide. */
function grammar(message, v) {
  const flex = message.isFlexible(v)
  const lines = []
  const describe = (struct, indent, label) => {
    const names = []
    const subs = []
    for (const f of struct.fields) {
      if (!inRange(f.versions, v)) continue
      const n = snake(f.name)
      const isTagged = inRange(f.tagged, v)
      const shown = isTagged ? `<tag ${f.tag}: ${n}>` : n
      const t = f.type
      if (t.kind === 'array') {
        names.push(`[${shown}]`)
        if (t.elem.kind === 'struct') subs.push(() => describe(t.elem.struct, `${indent}  `, n))
        else subs.push(() => lines.push(`${indent}  ${n} => ${grammarType(t.elem, flex, false)}`))
      } else if (t.kind === 'struct') {
        names.push(shown)
        subs.push(() => describe(t.struct, `${indent}  `, n))
      } else {
        names.push(shown)
        subs.push(() =>
          lines.push(`${indent}  ${n} => ${grammarType(t, flex, inRange(f.nullable, v) || t.kind === 'records')}`),
        )
      }
    }
    if (flex) names.push('_tagged_fields')
    lines.push(`${indent}${label} => ${names.join(' ')}`.trimEnd())
    for (const s of subs) s()
  }
  describe(message.top, '', `${message.apiName} ${message.direction} (Version: ${v})`)
  return lines
}

// ---------------------------------------------------------------------------------------------
// Schema descriptor for the tests

function describeFields(struct) {
  const message = struct.message
  return struct.fields.map((f) => {
    const def = fieldDefault(f, message)
    const out = {
      name: f.prop,
      type: f.type.kind === 'array' ? `[]${f.type.elem.kind}` : f.type.kind,
      versions: rangeJson(f.versions),
      nullableVersions: rangeJson(f.nullable),
      taggedVersions: rangeJson(f.tagged),
      tag: f.tag ?? null,
      required: isRequired(f, message),
    }
    if (def.json !== undefined) out.default = def.json
    const st = f.type.kind === 'array' ? f.type.elem.struct : f.type.struct
    if (st !== undefined) out.fields = describeFields(st)
    return out
  })
}

// ---------------------------------------------------------------------------------------------
// One file per API

function generateMessageCode(message) {
  const out = []
  for (const s of message.order) {
    out.push('')
    out.push(...genInterface(s))
  }
  const fns = []
  for (const s of message.order) {
    const w = genWrite(s)
    const r = genRead(s)
    fns.push({ s, w, r })
  }
  for (const { s, w, r } of fns) {
    out.push('')
    const text = w.join('\n')
    const vParam = /\bversion\b/.test(text) ? 'version' : '_version'
    const sParam = /\bs\./.test(text) ? 's' : '_s'
    const wParam = /\bw\./.test(text) || /\(w,/.test(text) ? 'w' : '_w'
    out.push(`function write${s.tsName}(${wParam}: Writer, ${vParam}: number, ${sParam}: ${s.tsName}): void {`)
    out.push(...w.map((l) => `  ${l}`))
    out.push('}')
    out.push('')
    const rtext = r.join('\n')
    const rvParam = /\bversion\b/.test(rtext) ? 'version' : '_version'
    const rParam = /\br\./.test(rtext) || /\(r,/.test(rtext) ? 'r' : '_r'
    out.push(`function read${s.tsName}(${rParam}: Reader, ${rvParam}: number): ${s.tsName} {`)
    out.push(...r.map((l) => `  ${l}`))
    out.push('}')
  }
  return out
}

function generateApi(apiName) {
  const reqJson = loadMessage(`${apiName}Request.json`)
  const resJson = loadMessage(`${apiName}Response.json`)
  if (reqJson.apiKey !== resJson.apiKey) throw new Error(`${apiName}: request and response keys differ`)
  const request = new Message(reqJson, apiName, 'Request')
  const response = new Message(resJson, apiName, 'Response')
  if (!sameRange(request.valid, response.valid)) throw new Error(`${apiName}: request and response versions differ`)
  if (!sameRange(request.flexible, response.flexible)) throw new Error(`${apiName}: flexible versions differ`)
  const min = request.valid.lo
  const max = request.valid.hi
  const firstFlexible = request.flexible === null ? null : request.flexible.lo
  const file = kebab(apiName)
  const constName = camel(apiName)

  // Code first: generating marks the structs that need default/isDefault helpers.
  const reqCode = generateMessageCode(request)
  const resCode = generateMessageCode(response)
  const helpers = []
  for (const message of [request, response]) {
    for (const s of message.order) {
      if (s.needsDefault) {
        helpers.push('', `function default${s.tsName}(): ${s.tsName} {`, ...genDefault(s).map((l) => `  ${l}`), '}')
      }
      if (s.needsIsDefault) {
        helpers.push(
          '',
          `function isDefault${s.tsName}(s: ${s.tsName}): boolean {`,
          ...genIsDefault(s).map((l) => `  ${l}`),
          '}',
        )
      }
    }
  }

  const deprecated = parseRange(reqJson.deprecatedVersions)
  const header = [
    `// Generated from Kafka's ${apiName}Request.json/${apiName}Response.json by scripts/generate-protocol.mjs — do not edit.`,
    '//',
    `// ${apiName} (API key ${reqJson.apiKey})`,
    `//   valid versions: ${rangeText(request.valid)}${deprecated === null ? '' : ` (deprecated: ${rangeText(deprecated)})`}`,
    `//   flexible versions: ${rangeText(request.flexible)}`,
  ]
  if (reqJson.latestVersionUnstable === true)
    header.push(`//   the latest version (${max}) is marked unstable by Kafka`)
  header.push('//')
  for (const l of grammar(request, max)) header.push(`// ${l}`)
  header.push('//')
  for (const l of grammar(response, max)) header.push(`// ${l}`)

  // A struct can be marked for a default helper that no generated code ends up calling: drop those.
  const code = [...reqCode, ...resCode].join('\n')
  const used = helpers.filter((line) => {
    const name = /^function ((?:default|isDefault)\w+)\(/.exec(line)?.[1]
    return (
      name === undefined ||
      new RegExp(`\\b${name}\\(`).test(code + helpers.filter((l) => !l.startsWith(`function ${name}(`)).join('\n'))
    )
  })
  const kept = []
  for (let i = 0, skip = false; i < helpers.length; i++) {
    const line = helpers[i]
    if (/^function /.test(line)) skip = !used.includes(line)
    if (!skip) kept.push(line)
    else if (line === '}') skip = false
  }
  const body = [...reqCode, ...resCode, ...kept]
  const bodyText = body.join('\n')
  const supportImports = ['unsupportedVersion']
  for (const name of [
    'EMPTY_ARRAY',
    'EMPTY_BUFFER',
    'ZERO_UUID',
    'beginTaggedField',
    'endTaggedField',
    'nullNotAllowed',
    'taggedFieldEnd',
  ]) {
    if (new RegExp(`\\b${name}\\b`).test(bodyText)) supportImports.push(name)
  }
  const sortedImports = sortImportNames(supportImports)

  const ffv = firstFlexible === null ? 'Number.POSITIVE_INFINITY' : String(firstFlexible)
  const check = `if (!(version >= ${min} && version <= ${max})) throw unsupportedVersion('${apiName}', version, ${min}, ${max})`
  const def = [
    '',
    `/** ${apiName} (API key ${reqJson.apiKey}), versions ${min}-${max}. */`,
    `export const ${constName}: ApiDefinition<${apiName}Request, ${apiName}Response> = {`,
    `  apiKey: ${reqJson.apiKey},`,
    `  name: '${apiName}',`,
    `  minVersion: ${min},`,
    `  maxVersion: ${max},`,
    `  firstFlexibleVersion: ${ffv},`,
    `  encodeRequest(writer: Writer, version: number, request: ${apiName}Request): void {`,
    `    ${check}`,
    `    write${apiName}Request(writer, version, request)`,
    '  },',
    `  decodeRequest(reader: Reader, version: number): ${apiName}Request {`,
    `    ${check}`,
    `    return read${apiName}Request(reader, version)`,
    '  },',
    `  encodeResponse(writer: Writer, version: number, response: ${apiName}Response): void {`,
    `    ${check}`,
    `    write${apiName}Response(writer, version, response)`,
    '  },',
    `  decodeResponse(reader: Reader, version: number): ${apiName}Response {`,
    `    ${check}`,
    `    return read${apiName}Response(reader, version)`,
    '  },',
    '}',
  ]

  const imports = [
    "import type { Reader } from '../../buffer/reader.js'",
    "import type { Writer } from '../../buffer/writer.js'",
    "import type { ApiDefinition } from '../api-definition.js'",
    `import { ${sortedImports.join(', ')} } from '../support.js'`,
  ]

  const text = [...header, '', ...imports, ...def, ...body, ''].join('\n')

  const schema = {
    name: apiName,
    exportName: constName,
    apiKey: reqJson.apiKey,
    minVersion: min,
    maxVersion: max,
    firstFlexibleVersion: firstFlexible,
    request: { name: `${apiName}Request`, fields: describeFields(request.top) },
    response: { name: `${apiName}Response`, fields: describeFields(response.top) },
  }

  const types = []
  for (const m of [request, response]) for (const s of m.order) types.push(s.tsName)
  return { apiName, apiKey: reqJson.apiKey, file, constName, text, schema, types }
}

function sortImportNames(names) {
  // Biome's organizeImports orders named specifiers case-insensitively.
  const key = (n) => n.toLowerCase()
  return [...names].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a < b ? -1 : a > b ? 1 : 0))
}

// ---------------------------------------------------------------------------------------------
// apis/index.ts

function generateIndex(apis) {
  const sorted = [...apis].sort((a, b) => a.apiKey - b.apiKey)
  const lines = [
    '// Generated by scripts/generate-protocol.mjs — do not edit.',
    '',
    "import type { ApiDefinition } from './api-definition.js'",
  ]
  const byFile = [...sorted].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  for (const a of byFile) lines.push(`import { ${a.constName} } from './${a.file}/${a.file}.js'`)
  lines.push('')
  lines.push("export type { ApiDefinition } from './api-definition.js'")
  for (const a of byFile) {
    lines.push(`export { ${a.constName} } from './${a.file}/${a.file}.js'`)
    lines.push(`export type { ${sortImportNames(a.types).join(', ')} } from './${a.file}/${a.file}.js'`)
  }
  lines.push('')
  lines.push('/** API keys by Kafka API name, for the APIs defined here. */')
  lines.push('export const ApiKeys = {')
  for (const a of sorted) lines.push(`  ${a.apiName}: ${a.apiKey},`)
  lines.push('} as const')
  lines.push('')
  lines.push('/** Every API definition, ordered by API key. */')
  lines.push('export const apiDefinitions: readonly ApiDefinition<unknown, unknown>[] = [')
  for (const a of sorted) lines.push(`  ${a.constName},`)
  lines.push(']')
  lines.push('')
  lines.push('const byKey: (ApiDefinition<unknown, unknown> | undefined)[] = []')
  lines.push('for (const api of apiDefinitions) byKey[api.apiKey] = api')
  lines.push('')
  lines.push('/** The definition of an API by its key, or undefined for an API not defined here. */')
  lines.push('export function apiByKey(apiKey: number): ApiDefinition<unknown, unknown> | undefined {')
  lines.push('  return byKey[apiKey]')
  lines.push('}')
  lines.push('')
  return lines.join('\n')
}

// ---------------------------------------------------------------------------------------------
// Main

function main() {
  if (!fs.existsSync(messagesDir)) {
    console.error(`Kafka's message definitions were not found at ${messagesDir}`)
    process.exit(1)
  }
  const apis = APIS.map(generateApi)
  const written = []
  for (const a of apis) {
    const dir = path.join(outDir, a.file)
    fs.mkdirSync(dir, { recursive: true })
    const ts = path.join(dir, `${a.file}.ts`)
    fs.writeFileSync(ts, a.text)
    const json = path.join(dir, `${a.file}.schema.json`)
    fs.writeFileSync(json, `${JSON.stringify(a.schema, null, 2)}\n`)
    written.push(ts, json)
  }
  const index = path.join(outDir, 'index.ts')
  fs.writeFileSync(index, generateIndex(apis))
  written.push(index)
  if (updateProtocolIndex(apis)) written.push(protocolIndex)
  format(written)
  let versions = 0
  for (const a of apis) versions += a.schema.maxVersion - a.schema.minVersion + 1
  console.log(`generated ${apis.length} APIs (${versions} versions) into ${path.relative(root, outDir)}`)
}

const protocolIndex = path.join(root, 'packages/core/src/protocol/index.ts')
const BEGIN = '// BEGIN generated API exports (scripts/generate-protocol.mjs)'
const END = '// END generated API exports'

/** Rewrites the block of API exports between the markers in protocol/index.ts, if the markers are there. */
function updateProtocolIndex(apis) {
  if (!fs.existsSync(protocolIndex)) return false
  const text = fs.readFileSync(protocolIndex, 'utf8')
  const begin = text.indexOf(BEGIN)
  const end = text.indexOf(END)
  if (begin < 0 || end < begin) {
    console.warn(`${path.relative(root, protocolIndex)} has no generated-exports markers; not updated`)
    return false
  }
  const names = ['ApiKeys', 'apiByKey', 'apiDefinitions', 'type ApiDefinition']
  for (const a of apis) {
    names.push(a.constName)
    for (const t of a.types) names.push(`type ${t}`)
  }
  const key = (n) => n.replace(/^type /, '').toLowerCase()
  names.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  const block = [BEGIN, 'export {', ...names.map((n) => `  ${n},`), "} from './apis/index.js'", END].join('\n')
  fs.writeFileSync(protocolIndex, text.slice(0, begin) + block + text.slice(end + END.length))
  return true
}

/**
 * Formats the generated files with Biome (and lets it order imports), using the repository's
 * configuration when it has one and the project's style otherwise.
 */
function format(files) {
  const biome = path.join(root, 'node_modules/.bin/biome')
  if (!fs.existsSync(biome)) {
    console.warn('biome is not installed; the generated files were not formatted')
    return
  }
  const hasConfig = fs.existsSync(path.join(root, 'biome.json')) || fs.existsSync(path.join(root, 'biome.jsonc'))
  const args = hasConfig
    ? ['check', '--write', '--linter-enabled=false', ...files]
    : [
        'format',
        '--write',
        '--indent-style=space',
        '--indent-width=2',
        '--line-width=120',
        '--javascript-formatter-quote-style=single',
        '--semicolons=as-needed',
        '--trailing-commas=all',
        ...files,
      ]
  execFileSync(biome, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
}

main()
