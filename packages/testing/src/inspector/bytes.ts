import { parseAvro } from '../schema-registry/avro.js'
import type { avro, protobuf } from '../schema-registry/format-libraries.js'
import type { MockSchemaRegistry, MockStoredSchema } from '../schema-registry/mock-schema-registry.js'
import { loadProtoRoot } from '../schema-registry/protobuf.js'
import { registryStateOf } from './internals.js'

/** A key, value or header value as the page shows it: text, JSON, hex, or decoded through a registry. */
export interface ShownBytes {
  /** Length in bytes; null for a null key or value. */
  size: number | null
  /** The bytes as UTF-8 text, when they are valid UTF-8 (cut after MAX_TEXT characters). */
  text?: string
  /** The text pretty-printed, when it is JSON. */
  json?: string
  /** The first MAX_HEX bytes in hex. */
  hex: string
  /** True when `text` or `hex` was cut. */
  truncated?: boolean
  /** Confluent wire format (magic 0, schema id) decoded through the registry given to the inspector. */
  schema?: { id: number; type?: string; message?: string; json?: string; error?: string }
}

const MAX_TEXT = 16 * 1024
const MAX_HEX = 2 * 1024
const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** How a key or value shows, decoding Confluent-framed bytes through `registry` when one is given. */
export async function showBytes(bytes: Buffer | null, registry: SchemaDecoder | undefined): Promise<ShownBytes> {
  if (bytes === null) return { size: null, hex: '' }
  const shown: ShownBytes = { size: bytes.length, hex: bytes.subarray(0, MAX_HEX).toString('hex') }
  if (bytes.length > MAX_HEX) shown.truncated = true
  let text: string | undefined
  try {
    text = UTF8.decode(bytes)
  } catch {}
  // Text with control characters other than whitespace is binary data that happens to be valid UTF-8.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is what it looks for
  if (text !== undefined && !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) {
    if (text.length > MAX_TEXT) {
      shown.text = text.slice(0, MAX_TEXT)
      shown.truncated = true
    } else {
      shown.text = text
      const trimmed = text.trim()
      if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        try {
          shown.json = JSON.stringify(JSON.parse(text), null, 2)
        } catch {}
      }
    }
  }
  if (registry !== undefined && bytes.length >= 5 && bytes[0] === 0) {
    shown.schema = await registry.decode(bytes)
  }
  return shown
}

type Parsed = { kind: 'AVRO'; type: avro.Type } | { kind: 'PROTOBUF'; root: protobuf.Root } | { kind: 'JSON' }

/**
 * Decodes values in Confluent's wire format (magic byte 0, a 4-byte schema id, for Protobuf the
 * message indexes, then the payload) with the schemas of a MockSchemaRegistry, in process: Avro with
 * avsc, Protobuf with protobufjs (both optional peer dependencies, loaded on first use), JSON Schema
 * as JSON text.
 */
export class SchemaDecoder {
  private readonly parsed = new WeakMap<MockStoredSchema, Promise<Parsed>>()

  constructor(private readonly registry: MockSchemaRegistry) {}

  async decode(bytes: Buffer): Promise<NonNullable<ShownBytes['schema']>> {
    const id = bytes.readUInt32BE(1)
    let stored: MockStoredSchema
    try {
      stored = this.registry.schemaById(id)
    } catch {
      return { id, error: `no schema with id ${id} in the registry` }
    }
    try {
      const parsed = await this.parse(stored)
      let payload = bytes.subarray(5)
      if (parsed.kind === 'AVRO') {
        return { id, type: 'AVRO', json: toJson(parsed.type.fromBuffer(payload)) }
      }
      if (parsed.kind === 'PROTOBUF') {
        const { indexes, rest } = readMessageIndexes(payload)
        payload = rest
        const message = this.registry.messageName(id, indexes)
        const type = parsed.root.lookupType(message)
        const decoded = type.toObject(type.decode(payload), {
          longs: String,
          enums: String,
          bytes: String,
          defaults: true,
          oneofs: true,
        })
        return { id, type: 'PROTOBUF', message, json: toJson(decoded) }
      }
      return { id, type: 'JSON', json: JSON.stringify(JSON.parse(payload.toString('utf8')), null, 2) }
    } catch (error) {
      return { id, type: stored.schemaType, error: error instanceof Error ? error.message : String(error) }
    }
  }

  private parse(stored: MockStoredSchema): Promise<Parsed> {
    let parsed = this.parsed.get(stored)
    if (parsed === undefined) {
      parsed = this.load(stored)
      this.parsed.set(stored, parsed)
    }
    return parsed
  }

  private async load(stored: MockStoredSchema): Promise<Parsed> {
    const deps = this.dependencies(stored)
    if (stored.schemaType === 'AVRO') {
      return {
        kind: 'AVRO',
        type: parseAvro(
          stored.schema,
          deps.map((d) => d.stored.schema),
        ),
      }
    }
    if (stored.schemaType === 'PROTOBUF') {
      const root = await loadProtoRoot(
        { name: 'inspected.proto', text: stored.schema },
        deps.map((d) => ({ name: d.name, text: d.stored.schema })),
      )
      return { kind: 'PROTOBUF', root }
    }
    return { kind: 'JSON' }
  }

  /** A schema's references, transitively, dependencies first, each once. */
  private dependencies(stored: MockStoredSchema): Array<{ name: string; stored: MockStoredSchema }> {
    const state = registryStateOf(this.registry)
    const out: Array<{ name: string; stored: MockStoredSchema }> = []
    const seen = new Set<number>()
    const visit = (schema: MockStoredSchema) => {
      for (const ref of schema.references) {
        const dep = state.schemaById(state.version(ref.subject, ref.version, true).id)
        if (seen.has(dep.id)) continue
        seen.add(dep.id)
        visit(dep)
        out.push({ name: ref.name, stored: dep })
      }
    }
    visit(stored)
    return out
  }
}

/** Confluent's Protobuf message indexes: a zigzag varint count, then the indexes; a count of 0 means [0]. */
function readMessageIndexes(bytes: Buffer): { indexes: number[]; rest: Buffer } {
  let pos = 0
  const next = (): number => {
    let value = 0
    let shift = 0
    for (;;) {
      if (pos >= bytes.length || shift > 28) throw new RangeError('the message indexes are cut off')
      const b = bytes[pos++] as number
      value |= (b & 0x7f) << shift
      if ((b & 0x80) === 0) break
      shift += 7
    }
    return (value >>> 1) ^ -(value & 1)
  }
  const count = next()
  if (count < 0 || count > 100) throw new RangeError(`${count} message indexes`)
  const indexes = count === 0 ? [0] : Array.from({ length: count }, next)
  return { indexes, rest: bytes.subarray(pos) }
}

/** JSON for a decoded value: bigints as strings, bytes as hex. */
function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    function (this: Record<string, unknown>, key, v: unknown) {
      const raw = this[key]
      if (Buffer.isBuffer(raw)) return `0x${raw.toString('hex')}`
      if (typeof v === 'bigint') return v.toString()
      return v
    },
    2,
  )
}
