import type avro from 'avsc'
import type protobuf from 'protobufjs'
import { avroIncompatibilities, normalizeAvro, parseAvro } from './avro.js'
import { isSerializedDescriptor, loadProtoRoot, protobufIncompatibilities, toSerializedDescriptor } from './protobuf.js'

/** The schema formats the mock registry stores. */
export type MockSchemaType = 'AVRO' | 'PROTOBUF' | 'JSON'

/** Compatibility levels, as in the Confluent Schema Registry. */
export type MockCompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'

/** The file name a Protobuf schema is parsed under (its references keep their import names). */
const MAIN_PROTO_FILE = 'schema.proto'

const LEVELS = new Set<string>([
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
])

/** A reference from a schema to a schema registered under another subject. */
export interface MockSchemaReference {
  name: string
  subject: string
  version: number
}

/** A schema the mock registry stores, under its global id. */
export interface MockStoredSchema {
  readonly id: number
  readonly schemaType: MockSchemaType
  readonly schema: string
  readonly references: readonly MockSchemaReference[]
}

interface SubjectVersion {
  readonly version: number
  readonly id: number
  deleted: boolean
}

interface Subject {
  versions: SubjectVersion[]
  compatibility: MockCompatibilityLevel | undefined
}

/** An error answer: HTTP status, the registry's error_code and message. */
export class RegistryHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message)
  }
}

type Parsed = { kind: 'AVRO'; type: avro.Type } | { kind: 'PROTOBUF'; root: protobuf.Root } | { kind: 'JSON' }

interface SchemaInput {
  schema: string
  schemaType: MockSchemaType
  references: MockSchemaReference[]
}

/** The in-memory state of a MockSchemaRegistry, and the registry's rules. */
export class RegistryState {
  private readonly subjects = new Map<string, Subject>()
  private readonly byId = new Map<number, MockStoredSchema>()
  private readonly idByKey = new Map<string, number>()
  private readonly parsed = new Map<number, Promise<Parsed>>()
  private nextId = 1
  compatibility: MockCompatibilityLevel

  constructor(compatibility: MockCompatibilityLevel) {
    this.compatibility = compatibility
  }

  static checkLevel(level: unknown): MockCompatibilityLevel {
    if (typeof level !== 'string' || !LEVELS.has(level.toUpperCase())) {
      throw new RegistryHttpError(422, 42203, `Invalid compatibility level. Valid values are ${[...LEVELS].join(', ')}`)
    }
    return level.toUpperCase() as MockCompatibilityLevel
  }

  /** Validates a request body naming a schema. */
  static schemaInput(body: unknown): SchemaInput {
    const b = (body ?? {}) as Record<string, unknown>
    if (typeof b.schema !== 'string' || b.schema.trim() === '') {
      throw new RegistryHttpError(422, 42201, 'Empty schema')
    }
    const schemaType = (typeof b.schemaType === 'string' ? b.schemaType.toUpperCase() : 'AVRO') as MockSchemaType
    if (schemaType !== 'AVRO' && schemaType !== 'PROTOBUF' && schemaType !== 'JSON') {
      throw new RegistryHttpError(422, 42201, `Invalid schema type ${String(b.schemaType)}`)
    }
    const references: MockSchemaReference[] = []
    if (Array.isArray(b.references)) {
      for (const r of b.references as Array<Record<string, unknown>>) {
        if (typeof r?.name !== 'string' || typeof r.subject !== 'string' || typeof r.version !== 'number') {
          throw new RegistryHttpError(422, 42201, 'Invalid schema: a reference needs name, subject and version')
        }
        references.push({ name: r.name, subject: r.subject, version: r.version })
      }
    }
    return { schema: b.schema, schemaType, references }
  }

  // --- reads ---

  subjectNames(includeDeleted: boolean): string[] {
    return [...this.subjects.entries()]
      .filter(([, s]) => s.versions.some((v) => includeDeleted || !v.deleted))
      .map(([name]) => name)
      .sort()
  }

  schemaById(id: number): MockStoredSchema {
    const s = this.byId.get(id)
    if (s === undefined) throw new RegistryHttpError(404, 40403, `Schema ${id} not found`)
    return s
  }

  /** Subject/version pairs that use a schema id. */
  usesOf(id: number): Array<{ subject: string; version: number }> {
    const out: Array<{ subject: string; version: number }> = []
    for (const [subject, s] of this.subjects) {
      for (const v of s.versions) if (v.id === id && !v.deleted) out.push({ subject, version: v.version })
    }
    return out
  }

  versionsOf(subject: string, includeDeleted = false): number[] {
    const versions = this.subject(subject)
      .versions.filter((v) => includeDeleted || !v.deleted)
      .map((v) => v.version)
    if (versions.length === 0) throw subjectNotFound(subject)
    return versions
  }

  /** A version of a subject: a number, `latest` or -1. */
  version(subject: string, version: string | number, includeDeleted = false): SubjectVersion {
    const live = this.subject(subject).versions.filter((v) => includeDeleted || !v.deleted)
    if (live.length === 0) throw subjectNotFound(subject)
    if (version === 'latest' || version === '-1' || version === -1) return live[live.length - 1] as SubjectVersion
    const n = typeof version === 'number' ? version : Number(version)
    if (!Number.isInteger(n) || n < 1) {
      throw new RegistryHttpError(
        422,
        42202,
        `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
      )
    }
    const found = live.find((v) => v.version === n)
    if (found === undefined) throw new RegistryHttpError(404, 40402, `Version ${n} not found.`)
    return found
  }

  /** Schema ids that reference a subject's version. */
  referencedBy(subject: string, version: number): number[] {
    const out: number[] = []
    for (const s of this.byId.values()) {
      if (s.references.some((r) => r.subject === subject && r.version === version)) out.push(s.id)
    }
    return out
  }

  levelOf(subject: string | undefined): MockCompatibilityLevel {
    return (subject === undefined ? undefined : this.subjects.get(subject)?.compatibility) ?? this.compatibility
  }

  subjectLevel(subject: string): MockCompatibilityLevel | undefined {
    return this.subjects.get(subject)?.compatibility
  }

  setSubjectLevel(subject: string, level: MockCompatibilityLevel | undefined): void {
    let s = this.subjects.get(subject)
    if (s === undefined) {
      if (level === undefined) return
      s = { versions: [], compatibility: undefined }
      this.subjects.set(subject, s)
    }
    s.compatibility = level
  }

  /** The stored schema in the requested format: `serialized` turns a `.proto` file into a base64 FileDescriptorProto. */
  async formatted(stored: MockStoredSchema, format: string | undefined): Promise<string> {
    if (format !== 'serialized' || stored.schemaType !== 'PROTOBUF' || isSerializedDescriptor(stored.schema)) {
      return stored.schema
    }
    const parsed = await this.parse(stored)
    if (parsed.kind !== 'PROTOBUF') return stored.schema
    return toSerializedDescriptor(parsed.root, { name: MAIN_PROTO_FILE, text: stored.schema })
  }

  // --- writes ---

  /** Registers a schema under a subject; answers the existing id when the subject already has it. */
  async register(subject: string, input: SchemaInput): Promise<number> {
    const key = await this.keyOf(input)
    const s = this.subjects.get(subject)
    const existing = s?.versions.find((v) => !v.deleted && this.idByKey.get(key) === v.id)
    if (existing !== undefined) return existing.id

    const parsed = await this.parseInput(input)
    const problems = await this.incompatibilities(subject, parsed, 'all-by-level')
    if (problems.length > 0) {
      throw new RegistryHttpError(
        409,
        409,
        `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: ${JSON.stringify(problems)}`,
      )
    }
    let id = this.idByKey.get(key)
    if (id === undefined) {
      id = this.nextId++
      this.idByKey.set(key, id)
      this.byId.set(id, { id, schemaType: input.schemaType, schema: input.schema, references: input.references })
      this.parsed.set(id, Promise.resolve(parsed))
    }
    const target = s ?? { versions: [], compatibility: undefined }
    if (s === undefined) this.subjects.set(subject, target)
    const last = target.versions[target.versions.length - 1]
    target.versions.push({ version: (last?.version ?? 0) + 1, id, deleted: false })
    return id
  }

  /** Finds a schema under a subject (POST /subjects/:subject). */
  async lookup(subject: string, input: SchemaInput, includeDeleted: boolean): Promise<SubjectVersion> {
    const s = this.subjects.get(subject)
    if (s === undefined || s.versions.length === 0) throw subjectNotFound(subject)
    const id = this.idByKey.get(await this.keyOf(input))
    const found = s.versions.find((v) => v.id === id && (includeDeleted || !v.deleted))
    if (found === undefined) throw new RegistryHttpError(404, 40403, 'Schema not found')
    return found
  }

  /** Compatibility of a schema with one version of a subject, or with all of them (`version` undefined). */
  async checkCompatibility(subject: string, input: SchemaInput, version: string | undefined): Promise<string[]> {
    const parsed = await this.parseInput(input)
    const s = this.subjects.get(subject)
    if (s === undefined || !s.versions.some((v) => !v.deleted)) return []
    if (version === undefined) return this.incompatibilities(subject, parsed, 'all')
    const against = this.version(subject, version)
    return this.compare(this.levelOf(subject), parsed, await this.parse(this.schemaById(against.id)))
  }

  deleteSubject(subject: string, permanent: boolean): number[] {
    const s = this.subjects.get(subject)
    if (s === undefined || s.versions.length === 0) throw subjectNotFound(subject)
    if (permanent) {
      if (s.versions.some((v) => !v.deleted)) {
        throw new RegistryHttpError(
          404,
          40405,
          `Subject '${subject}' was not deleted first before being permanently deleted`,
        )
      }
      const versions = s.versions.map((v) => v.version)
      this.subjects.delete(subject)
      return versions
    }
    const live = s.versions.filter((v) => !v.deleted)
    if (live.length === 0) throw new RegistryHttpError(404, 40404, `Subject '${subject}' was soft deleted.`)
    for (const v of live) v.deleted = true
    return live.map((v) => v.version)
  }

  deleteVersion(subject: string, version: string, permanent: boolean): number {
    const s = this.subject(subject)
    const v = this.version(subject, version, permanent)
    if (permanent) {
      if (!v.deleted) {
        throw new RegistryHttpError(
          404,
          40407,
          `Subject '${subject}' Version ${v.version} was not deleted first before being permanently deleted`,
        )
      }
      s.versions = s.versions.filter((x) => x !== v)
    } else {
      v.deleted = true
    }
    return v.version
  }

  /** Forgets everything. */
  clear(): void {
    this.subjects.clear()
    this.byId.clear()
    this.idByKey.clear()
    this.parsed.clear()
    this.nextId = 1
  }

  // --- internals ---

  private subject(name: string): Subject {
    const s = this.subjects.get(name)
    if (s === undefined) throw subjectNotFound(name)
    return s
  }

  private async incompatibilities(subject: string, parsed: Parsed, which: 'all' | 'all-by-level'): Promise<string[]> {
    const level = this.levelOf(subject)
    if (level === 'NONE') return []
    const live = (this.subjects.get(subject)?.versions ?? []).filter((v) => !v.deleted)
    if (live.length === 0) return []
    const transitive = which === 'all' || level.endsWith('_TRANSITIVE')
    const against = transitive ? live : live.slice(-1)
    const problems: string[] = []
    for (const v of against) {
      problems.push(...this.compare(level, parsed, await this.parse(this.schemaById(v.id))))
    }
    return problems
  }

  private compare(level: MockCompatibilityLevel, candidate: Parsed, existing: Parsed): string[] {
    if (level === 'NONE' || candidate.kind !== existing.kind) {
      return level === 'NONE' ? [] : [`Incompatible schema type: ${existing.kind} then ${candidate.kind}`]
    }
    const backward = level.startsWith('BACKWARD') || level.startsWith('FULL')
    const forward = level.startsWith('FORWARD') || level.startsWith('FULL')
    const problems: string[] = []
    if (candidate.kind === 'AVRO' && existing.kind === 'AVRO') {
      if (backward) problems.push(...avroIncompatibilities(candidate.type, existing.type).map((m) => `BACKWARD: ${m}`))
      if (forward) problems.push(...avroIncompatibilities(existing.type, candidate.type).map((m) => `FORWARD: ${m}`))
    } else if (candidate.kind === 'PROTOBUF' && existing.kind === 'PROTOBUF') {
      if (backward) problems.push(...protobufIncompatibilities(candidate.root, existing.root))
      if (forward) problems.push(...protobufIncompatibilities(existing.root, candidate.root))
    }
    return problems
  }

  /** The stored schemas a reference list points to, dependencies first, each once. */
  private resolveReferences(
    references: readonly MockSchemaReference[],
    seen = new Set<number>(),
  ): Array<{ name: string; stored: MockStoredSchema }> {
    const out: Array<{ name: string; stored: MockStoredSchema }> = []
    for (const ref of references) {
      let v: SubjectVersion
      try {
        v = this.version(ref.subject, ref.version)
      } catch {
        throw new RegistryHttpError(
          422,
          42201,
          `Invalid schema: reference '${ref.name}' to subject '${ref.subject}' version ${ref.version} not found`,
        )
      }
      if (seen.has(v.id)) continue
      seen.add(v.id)
      const stored = this.schemaById(v.id)
      out.push(...this.resolveReferences(stored.references, seen), { name: ref.name, stored })
    }
    return out
  }

  private parse(stored: MockStoredSchema): Promise<Parsed> {
    let p = this.parsed.get(stored.id)
    if (p === undefined) {
      p = this.parseInput({ ...stored, references: [...stored.references] })
      this.parsed.set(stored.id, p)
    }
    return p
  }

  private async parseInput(input: SchemaInput): Promise<Parsed> {
    const name = MAIN_PROTO_FILE
    const deps = this.resolveReferences(input.references)
    try {
      switch (input.schemaType) {
        case 'AVRO':
          return {
            kind: 'AVRO',
            type: parseAvro(
              input.schema,
              deps.map((d) => d.stored.schema),
            ),
          }
        case 'PROTOBUF':
          return {
            kind: 'PROTOBUF',
            root: await loadProtoRoot(
              { name, text: input.schema },
              deps.map((d) => ({ name: d.name, text: d.stored.schema })),
            ),
          }
        default:
          JSON.parse(input.schema)
          return { kind: 'JSON' }
      }
    } catch (error) {
      throw new RegistryHttpError(
        422,
        42201,
        `Invalid schema ${input.schemaType}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }

  private async keyOf(input: SchemaInput): Promise<string> {
    let text = input.schema.trim()
    if (input.schemaType === 'AVRO' || input.schemaType === 'JSON') {
      try {
        text = normalizeAvro(text)
      } catch {
        // invalid JSON: parsing reports it
      }
    }
    const refs = input.references.map((r) => `${r.name}=${r.subject}@${r.version}`).join(',')
    return `${input.schemaType}\0${refs}\0${text}`
  }
}

function subjectNotFound(subject: string): RegistryHttpError {
  return new RegistryHttpError(404, 40401, `Subject '${subject}' not found.`)
}
