import { Buffer } from 'node:buffer'
import type avro from 'avsc'
import type protobuf from 'protobufjs'
import { avroIncompatibilities, parseAvro } from './avro.js'
import { avroCanonicalString, avroEquivalenceKey, avroNormalizedString } from './avro-canonical.js'
import { descriptor } from './format-libraries.js'
import {
  type JsonSchemaDocument,
  jsonSchemaCanonicalString,
  jsonSchemaIncompatibilities,
  parseJsonSchema,
} from './json-schema.js'
import {
  protoCanonicalString,
  protoFileFromDescriptor,
  protoMessageIndexes,
  protoMessageName,
} from './proto-canonical.js'
import { type ProtoFileElement, parseProtoFile } from './proto-elements.js'
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
  normalize: boolean | undefined
}

/**
 * A schema as the registry identifies it: its canonical string (what it stores and serves, and
 * hashes with the references to find the schema: `MD5.ofSchema`), and the form `equivalent`
 * compares when a subject's versions are searched.
 */
interface Canonical {
  readonly text: string
  readonly references: MockSchemaReference[]
  readonly key: string
  readonly equivalence: string
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

type Parsed =
  | { kind: 'AVRO'; type: avro.Type }
  | { kind: 'PROTOBUF'; root: protobuf.Root }
  | { kind: 'JSON'; document: JsonSchemaDocument }

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
  private readonly equivalence = new Map<number, string>()
  private nextId = 1
  compatibility: MockCompatibilityLevel
  /** The registry-wide `normalize` setting (`PUT /config {"normalize": true}`). */
  normalize: boolean | undefined

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
      s = { versions: [], compatibility: undefined, normalize: undefined }
      this.subjects.set(subject, s)
    }
    s.compatibility = level
  }

  subjectNormalize(subject: string): boolean | undefined {
    return this.subjects.get(subject)?.normalize
  }

  setSubjectNormalize(subject: string, normalize: boolean | undefined): void {
    let s = this.subjects.get(subject)
    if (s === undefined) {
      if (normalize === undefined) return
      s = { versions: [], compatibility: undefined, normalize: undefined }
      this.subjects.set(subject, s)
    }
    s.normalize = normalize
  }

  /** `normalize` as a request leaves it: the query parameter, else the subject's config, else the global one. */
  private normalizes(subject: string, requested: boolean): boolean {
    return requested || (this.subjects.get(subject)?.normalize ?? this.normalize) === true
  }

  /**
   * The message that Protobuf message indexes name in a stored schema, as the Java deserializer
   * resolves them (`ProtobufSchema.toMessageName`): every nested message counts, map entry
   * messages included where the stored schema declares them.
   */
  messageName(id: number, indexes: readonly number[]): string {
    return protoMessageName(this.protoFile(id), indexes)
  }

  /** The message indexes of a message in a stored schema, as the Java serializer computes them (`toMessageIndexes`). */
  messageIndexes(id: number, name: string, normalize = false): number[] {
    const file = this.protoFile(id)
    const indexes = protoMessageIndexes(file, name, normalize)
    let resolved: string | undefined
    try {
      resolved = normalize ? name : protoMessageName(file, indexes)
    } catch {}
    if (indexes.length === 0 || resolved !== name) throw new RangeError(`schema ${id} does not declare message ${name}`)
    return indexes
  }

  private protoFile(id: number): ProtoFileElement {
    const stored = this.schemaById(id)
    if (stored.schemaType !== 'PROTOBUF') throw new TypeError(`schema ${id} is ${stored.schemaType}, not PROTOBUF`)
    return parseProtoFile(stored.schema)
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

  /**
   * Registers a schema under a subject, as `KafkaSchemaRegistry.register` does: the schema is
   * canonicalized (normalized first when asked); a subject that has it (the same canonical string and
   * references, or an `equivalent` schema) answers that version's id; otherwise, if compatible, a
   * new version stores the canonical string under the id the same schema has in any subject, or a
   * new id.
   */
  async register(subject: string, input: SchemaInput, options: { normalize?: boolean } = {}): Promise<number> {
    const parsed = await this.parseInput(input)
    const canonical = this.canonicalize(input, this.normalizes(subject, options.normalize === true))
    const s = this.subjects.get(subject)
    const live = (s?.versions ?? []).filter((v) => !v.deleted)
    const existingId = this.idByKey.get(canonical.key)
    const same = live.find((v) => v.id === existingId)
    if (same !== undefined) return same.id
    for (const v of [...live].reverse()) {
      if (this.canLookup(canonical, v.id)) return v.id
    }

    const problems = await this.incompatibilities(subject, parsed, 'all-by-level')
    if (problems.length > 0) {
      throw new RegistryHttpError(
        409,
        409,
        `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: ${JSON.stringify(problems)}`,
      )
    }
    let id = existingId
    if (id === undefined) {
      id = this.nextId++
      this.idByKey.set(canonical.key, id)
      this.byId.set(id, {
        id,
        schemaType: input.schemaType,
        schema: canonical.text,
        references: canonical.references,
      })
      this.equivalence.set(id, canonical.equivalence)
    }
    const target = s ?? { versions: [], compatibility: undefined, normalize: undefined }
    if (s === undefined) this.subjects.set(subject, target)
    const last = target.versions[target.versions.length - 1]
    target.versions.push({ version: (last?.version ?? 0) + 1, id, deleted: false })
    return id
  }

  /**
   * Finds a schema under a subject (POST /subjects/:subject), as `lookUpSchemaUnderSubject` does: by
   * its canonical string and references (normalized first when asked), else the newest version it is
   * `equivalent` to. Answers the version and the schema as found.
   */
  async lookup(
    subject: string,
    input: SchemaInput,
    includeDeleted: boolean,
    options: { normalize?: boolean } = {},
  ): Promise<{ version: SubjectVersion; stored: MockStoredSchema }> {
    const s = this.subjects.get(subject)
    const candidates = (s?.versions ?? []).filter((v) => includeDeleted || !v.deleted)
    if (candidates.length === 0) throw subjectNotFound(subject)
    await this.parseInput(input)
    const canonical = this.canonicalize(input, this.normalizes(subject, options.normalize === true))
    const id = this.idByKey.get(canonical.key)
    const found = candidates.find((v) => v.id === id)
    if (found !== undefined) {
      const stored = this.schemaById(found.id)
      return { version: found, stored: { ...stored, schema: canonical.text, references: canonical.references } }
    }
    for (const v of [...candidates].reverse()) {
      if (this.canLookup(canonical, v.id)) return { version: v, stored: this.schemaById(v.id) }
    }
    throw new RegistryHttpError(404, 40403, 'Schema not found')
  }

  /** `ParsedSchema.canLookup`: the same references and an `equivalent` schema. */
  private canLookup(canonical: Canonical, id: number): boolean {
    const stored = this.schemaById(id)
    return (
      refsKey(this.latestReferences(canonical.references)) === refsKey(this.latestReferences(stored.references)) &&
      this.equivalence.get(id) === canonical.equivalence
    )
  }

  /** References with version -1 read as the subject's latest version. */
  private latestReferences(references: readonly MockSchemaReference[]): MockSchemaReference[] {
    return references.map((r) => {
      if (r.version !== -1) return r
      try {
        return { ...r, version: this.version(r.subject, 'latest').version }
      } catch {
        return r
      }
    })
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
    this.equivalence.clear()
    this.normalize = undefined
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
    } else if (candidate.kind === 'JSON' && existing.kind === 'JSON') {
      // The registry's canReadStrategy (BACKWARD: the new schema reads the old one's data) and
      // canBeReadStrategy (FORWARD), under the STRICT compatibility policy (its default).
      if (backward) problems.push(...jsonSchemaIncompatibilities(candidate.document, existing.document, 'new', 'old'))
      if (forward) problems.push(...jsonSchemaIncompatibilities(existing.document, candidate.document, 'old', 'new'))
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
          return {
            kind: 'JSON',
            document: parseJsonSchema(input.schema, new Map(deps.map((d) => [d.name, d.stored.schema]))),
          }
      }
    } catch (error) {
      throw new RegistryHttpError(
        422,
        42201,
        `Invalid schema ${input.schemaType}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }

  /**
   * The schema as the registry identifies it (`canonicalizeSchema`): Avro's `canonicalString()` (Avro
   * Java's `Schema.toString`), Protobuf's (`ProtobufSchemaUtils.toString` of the parsed file, a base64
   * `FileDescriptorProto` read as a file first), JSON's compact form; with `normalize`, the
   * normalized schema's, with the references sorted.
   */
  private canonicalize(input: SchemaInput, normalize: boolean): Canonical {
    const deps = this.resolveReferences(input.references)
    let text: string
    let equivalence: string
    try {
      switch (input.schemaType) {
        case 'AVRO': {
          const refs = deps.map((d) => d.stored.schema)
          text = normalize ? avroNormalizedString(input.schema, refs) : avroCanonicalString(input.schema, refs)
          equivalence = avroEquivalenceKey(text, refs)
          break
        }
        case 'PROTOBUF': {
          const file = readProtoFile(input.schema)
          text = protoCanonicalString(file, {
            normalize,
            dependencies: deps.map((d) => readProtoFile(d.stored.schema)),
          })
          equivalence = text
          break
        }
        default:
          text = jsonSchemaCanonicalString(input.schema, normalize)
          equivalence = text
      }
    } catch (error) {
      throw new RegistryHttpError(
        422,
        42201,
        `Invalid schema ${input.schemaType}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    const references = normalize ? sortedReferences(input.references) : input.references
    return { text, references, key: `${input.schemaType}\0${refsKey(references)}\0${text}`, equivalence }
  }
}

function refsKey(references: readonly MockSchemaReference[]): string {
  return references.map((r) => `${r.name}=${r.subject}@${r.version}`).join(',')
}

/** `references.stream().sorted().distinct()`: by subject, then version (`SchemaReference.compareTo`). */
function sortedReferences(references: readonly MockSchemaReference[]): MockSchemaReference[] {
  const out: MockSchemaReference[] = []
  for (const r of [...references].sort((a, b) =>
    a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version,
  )) {
    if (!out.some((o) => o.name === r.name && o.subject === r.subject && o.version === r.version)) out.push(r)
  }
  return out
}

/** A registered `.proto` file, or a base64 `FileDescriptorProto` read as the registry reads it. */
function readProtoFile(text: string): ProtoFileElement {
  if (isSerializedDescriptor(text)) {
    const file = descriptor.FileDescriptorProto.decode(
      Buffer.from(text.trim(), 'base64'),
    ) as unknown as descriptor.IFileDescriptorProto
    return protoFileFromDescriptor(file)
  }
  return parseProtoFile(text)
}

function subjectNotFound(subject: string): RegistryHttpError {
  return new RegistryHttpError(404, 40401, `Subject '${subject}' not found.`)
}
