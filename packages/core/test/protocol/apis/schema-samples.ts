import { Buffer } from 'node:buffer'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Test-only helpers driven by the descriptors the generator writes next to each API definition
// (src/protocol/apis/<api>/<api>.schema.json): build a value with a non-default value in every field,
// and compute what decoding it at a given version must return.

type Range = [number, number | null]

export interface FieldSchema {
  name: string
  /** int8 ... uuid, string, bytes, records, struct, or []<element> ([]struct for arrays of structs). */
  type: string
  versions: Range
  nullableVersions: Range | null
  taggedVersions: Range | null
  tag: number | null
  required: boolean
  /** The decoded default, as JSON (int64 as a string, bytes as ''); absent for non-nullable structs. */
  default?: unknown
  fields?: FieldSchema[]
}

export interface ApiSchema {
  name: string
  exportName: string
  apiKey: number
  minVersion: number
  maxVersion: number
  firstFlexibleVersion: number | null
  request: { name: string; fields: FieldSchema[] }
  response: { name: string; fields: FieldSchema[] }
}

const apisDir = fileURLToPath(new URL('../../../src/protocol/apis/', import.meta.url))

/** Every generated API's descriptor, ordered by API key. */
export function loadSchemas(): ApiSchema[] {
  const schemas: ApiSchema[] = []
  for (const entry of readdirSync(apisDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const file = `${apisDir}${entry.name}/${entry.name}.schema.json`
    schemas.push(JSON.parse(readFileSync(file, 'utf8')) as ApiSchema)
  }
  return schemas.sort((a, b) => a.apiKey - b.apiKey)
}

export function inRange(range: Range | null, version: number): boolean {
  return range !== null && version >= range[0] && (range[1] === null || version <= range[1])
}

/**
 * full: every field (also those absent in the version, which encoding must skip), non-default values;
 * nulls: like full, but null in every field nullable in the version;
 * minimal: only the required fields.
 */
export type SampleMode = 'full' | 'nulls' | 'minimal'

class Counter {
  n = 0
  next(): number {
    this.n += 1
    return this.n
  }
}

type Obj = Record<string, unknown>

export function buildSample(fields: FieldSchema[], version: number, mode: SampleMode, counter = new Counter()): Obj {
  const out: Obj = {}
  for (const f of fields) {
    if (mode === 'minimal' && !f.required) continue
    if (mode === 'nulls' && inRange(f.versions, version) && inRange(f.nullableVersions, version)) {
      out[f.name] = null
      continue
    }
    out[f.name] = sampleValue(f, version, mode, counter)
  }
  return out
}

function sampleValue(f: FieldSchema, version: number, mode: SampleMode, c: Counter): unknown {
  if (f.type === 'struct') return buildSample(f.fields ?? [], version, mode, c)
  if (f.type === '[]struct') {
    return [buildSample(f.fields ?? [], version, mode, c), buildSample(f.fields ?? [], version, mode, c)]
  }
  if (f.type.startsWith('[]')) {
    const elem = f.type.slice(2)
    return [scalar(elem, undefined, c), scalar(elem, undefined, c)]
  }
  return scalar(f.type, f.default, c)
}

function scalar(type: string, def: unknown, c: Counter): unknown {
  const n = c.next()
  const avoid = <T>(v: T, alt: T): T => (v === def ? alt : v)
  switch (type) {
    case 'int8':
      return avoid((n % 120) + 1, 121)
    case 'int16':
      return avoid((n % 30_000) + 1, 30_001)
    case 'uint16':
      return avoid(40_000 + n, 40_001 + n)
    case 'int32':
      return avoid(n * 1000 + 7, -n)
    case 'uint32':
      return avoid(3_000_000_000 + n, 3_000_000_001 + n)
    case 'int64': {
      const v = BigInt(n) * 10_000_000_000n + 5n
      return v === (typeof def === 'string' ? BigInt(def) : undefined) ? v + 1n : v
    }
    case 'float64':
      return n + 0.25
    case 'bool':
      return def !== true
    case 'string':
      return `s${n}-ü`
    case 'bytes':
      return Buffer.from([n & 0xff, 1, 2, 3])
    case 'records':
      // The first one is large enough to be attached by reference rather than copied.
      return Buffer.alloc(n === 1 ? 300 : 12, n & 0xff)
    case 'uuid': {
      const b = Buffer.alloc(16, 0x11)
      b.writeUInt32BE(n, 12)
      return b.toString('base64url')
    }
    default:
      throw new Error(`no sample for ${type}`)
  }
}

/** The default a decoder fills in for a field the version does not have. */
export function defaultValue(f: FieldSchema): unknown {
  if (f.default === undefined) {
    // a non-nullable struct: a struct of defaults
    const out: Obj = {}
    for (const g of f.fields ?? []) out[g.name] = defaultValue(g)
    return out
  }
  if (f.default === null) return null
  if (Array.isArray(f.default)) return []
  if (f.type === 'int64') return BigInt(f.default as string)
  if (f.type === 'bytes') return Buffer.alloc(0)
  return f.default
}

/** What decoding `input` encoded at `version` must return. */
export function expectedDecoded(fields: FieldSchema[], version: number, input: Obj): Obj {
  const out: Obj = {}
  for (const f of fields) {
    const v = input[f.name]
    if (!inRange(f.versions, version) || v === undefined) {
      out[f.name] = defaultValue(f)
    } else if (v === null) {
      out[f.name] = null
    } else if (f.type === 'struct') {
      out[f.name] = expectedDecoded(f.fields ?? [], version, v as Obj)
    } else if (f.type === '[]struct') {
      out[f.name] = (v as Obj[]).map((item) => expectedDecoded(f.fields ?? [], version, item))
    } else {
      out[f.name] = v
    }
  }
  return out
}
