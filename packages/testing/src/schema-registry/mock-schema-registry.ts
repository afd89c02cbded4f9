import { Buffer } from 'node:buffer'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type MockCompatibilityLevel,
  type MockSchemaReference,
  type MockSchemaType,
  type MockStoredSchema,
  RegistryHttpError,
  RegistryState,
} from './registry-state.js'

export type { MockCompatibilityLevel, MockSchemaReference, MockSchemaType, MockStoredSchema }

/** Options of a MockSchemaRegistry. */
export interface MockSchemaRegistryOptions {
  /** Port on 127.0.0.1; default a free one. */
  port?: number | undefined
  /** The registry-wide compatibility level; default `BACKWARD`, as in the Confluent Schema Registry. */
  compatibility?: MockCompatibilityLevel | undefined
  /** Require these credentials (HTTP basic or a bearer token); requests without them get 401. */
  auth?: { username: string; password: string } | { bearerToken: string } | undefined
}

/** What `failNext` answers instead of the real response. */
export interface MockRegistryFailure {
  /** HTTP status; default 503. */
  status?: number | undefined
  /** The `error_code` in the body; default the status, or 50003 for 5xx as a forwarding failure would. */
  errorCode?: number | undefined
  message?: string | undefined
  /** Only requests whose path (without query) matches; default every request. */
  path?: string | RegExp | undefined
  /** Close the connection without answering instead, as a crashed registry would. */
  drop?: boolean | undefined
}

/** One request the mock received. */
export interface MockRegistryRequest {
  readonly method: string
  /** The path without the query string, URL-decoded per segment kept as sent. */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** The `Authorization` header, when sent. */
  readonly authorization: string | undefined
  readonly body: unknown
}

interface PendingFailure {
  remaining: number
  failure: MockRegistryFailure
}

const JSON_TYPE = 'application/vnd.schemaregistry.v1+json'

/**
 * A Confluent Schema Registry in your test process: an HTTP server on 127.0.0.1 speaking the subset
 * of the REST API that serializers use (subjects, versions, ids, references, compatibility with
 * `BACKWARD` as the default level, config), in memory. Any client can use it: Tributary's, the Confluent
 * ones (`@confluentinc/schemaregistry`, the Java client), `@kafkajs/confluent-schema-registry`, curl.
 * Avro compatibility follows Avro's resolution rules (via avsc); Protobuf compatibility checks removed
 * messages and changed field encodings.
 */
export class MockSchemaRegistry {
  private readonly state: RegistryState
  private readonly requiredAuth: string | undefined
  private readonly wantedPort: number
  private server: Server | undefined
  private port = 0
  private readonly log: MockRegistryRequest[] = []
  private readonly failures: PendingFailure[] = []
  private latencyMs = 0

  constructor(options: MockSchemaRegistryOptions = {}) {
    this.state = new RegistryState(RegistryState.checkLevel(options.compatibility ?? 'BACKWARD'))
    this.wantedPort = options.port ?? 0
    const auth = options.auth
    if (auth !== undefined) {
      this.requiredAuth =
        'bearerToken' in auth
          ? `Bearer ${auth.bearerToken}`
          : `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`
    }
  }

  /** Creates and starts a mock registry. */
  static async start(options: MockSchemaRegistryOptions = {}): Promise<MockSchemaRegistry> {
    return new MockSchemaRegistry(options).start()
  }

  /** Starts listening on 127.0.0.1 (a free port unless `port` was given). */
  async start(): Promise<this> {
    if (this.server !== undefined) return this
    const server = createServer((req, res) => {
      void this.handle(req, res)
    })
    server.keepAliveTimeout = 1000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.wantedPort, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.server = server
    this.port = (server.address() as AddressInfo).port
    return this
  }

  /** Stops listening and closes every connection. The stored schemas stay until `reset()`. */
  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  /** `http://127.0.0.1:<port>`; throws before `start()`. */
  get url(): string {
    if (this.port === 0) throw new Error('MockSchemaRegistry is not started')
    return `http://127.0.0.1:${this.port}`
  }

  /** Whether it is listening. */
  get running(): boolean {
    return this.server !== undefined
  }

  /** Every request received so far, oldest first. */
  requests(): readonly MockRegistryRequest[] {
    return this.log
  }

  /** Forgets the request log. */
  clearRequests(): void {
    this.log.length = 0
  }

  /** Forgets every subject, schema and setting (ids start again at 1), the request log and pending failures. */
  reset(): void {
    this.state.clear()
    this.log.length = 0
    this.failures.length = 0
    this.latencyMs = 0
  }

  /** Answers the next `count` matching requests with an error (default 503) or by dropping the connection. */
  failNext(count = 1, failure: MockRegistryFailure = {}): void {
    this.failures.push({ remaining: count, failure })
  }

  /** Delays every answer. */
  setLatency(ms: number): void {
    this.latencyMs = ms
  }

  /** The registry-wide compatibility level. */
  get compatibility(): MockCompatibilityLevel {
    return this.state.compatibility
  }

  set compatibility(level: MockCompatibilityLevel) {
    this.state.compatibility = RegistryState.checkLevel(level)
  }

  /** Registers a schema without HTTP (for test setup), as `POST /subjects/{subject}/versions` would; returns its id. */
  async register(
    subject: string,
    schema: { schema: string; schemaType?: MockSchemaType; references?: MockSchemaReference[] } | string,
    options: { normalize?: boolean } = {},
  ): Promise<number> {
    return this.state.register(
      subject,
      RegistryState.schemaInput(typeof schema === 'string' ? { schema } : schema),
      options,
    )
  }

  /**
   * The message that Protobuf message indexes (as a record carries them after the schema id) name
   * in the schema with this id, resolved as the Java deserializer resolves them
   * (`ProtobufSchema.toMessageName`): a fully qualified name such as `acme.Order.Item`.
   */
  messageName(id: number, indexes: readonly number[]): string {
    return this.state.messageName(id, indexes)
  }

  /**
   * The message indexes the Java serializer writes for a message of the schema with this id
   * (`ProtobufSchema.toMessageIndexes`; `normalize` as with `normalize.schemas=true`, which skips
   * map entry messages).
   */
  messageIndexes(id: number, messageName: string, options: { normalize?: boolean } = {}): number[] {
    return this.state.messageIndexes(id, messageName, options.normalize === true)
  }

  /** The schema with an id (throws when there is none). */
  schemaById(id: number): MockStoredSchema {
    return this.state.schemaById(id)
  }

  /** The live subjects. */
  subjects(): string[] {
    return this.state.subjectNames(false)
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname.replace(/\/+$/, '') || '/'
    const query = Object.fromEntries(url.searchParams.entries())
    const text = Buffer.concat(chunks).toString('utf8')
    let body: unknown
    let badJson = false
    if (text !== '') {
      try {
        body = JSON.parse(text)
      } catch {
        badJson = true
      }
    }
    this.log.push({ method: req.method ?? 'GET', path, query, authorization: req.headers.authorization, body })
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs))

    const failure = this.takeFailure(path)
    if (failure?.drop) {
      req.socket.destroy()
      return
    }
    try {
      if (failure !== undefined) {
        const status = failure.status ?? 503
        throw new RegistryHttpError(
          status,
          failure.errorCode ?? (status >= 500 ? 50003 : status),
          failure.message ?? 'Injected failure',
        )
      }
      if (this.requiredAuth !== undefined && req.headers.authorization !== this.requiredAuth) {
        throw new RegistryHttpError(401, 401, 'Unauthorized')
      }
      if (badJson) throw new RegistryHttpError(400, 400, 'Unrecognized JSON in the request body')
      const result = await this.route(req.method ?? 'GET', path, query, body)
      send(res, 200, result)
    } catch (error) {
      if (error instanceof RegistryHttpError) {
        send(res, error.status, { error_code: error.errorCode, message: error.message })
      } else {
        send(res, 500, { error_code: 50001, message: error instanceof Error ? error.message : String(error) })
      }
    }
  }

  private takeFailure(path: string): MockRegistryFailure | undefined {
    for (let i = 0; i < this.failures.length; i++) {
      const pending = this.failures[i] as PendingFailure
      const match = pending.failure.path
      if (match !== undefined && !(typeof match === 'string' ? path === match : match.test(path))) continue
      if (--pending.remaining <= 0) this.failures.splice(i, 1)
      return pending.failure
    }
    return undefined
  }

  private async route(method: string, path: string, query: Record<string, string>, body: unknown): Promise<unknown> {
    const seg = path
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s))
    const state = this.state
    const deleted = query.deleted === 'true'
    const [root, a, b, c, d, e] = seg

    if (path === '/' && method === 'GET') return {}
    if (root === 'schemas') {
      if (a === 'types' && seg.length === 2) return ['JSON', 'PROTOBUF', 'AVRO']
      if (a === 'ids' && b !== undefined && method === 'GET') {
        const stored = state.schemaById(Number(b))
        if (seg.length === 3) return this.schemaBody(stored, query.format)
        if (c === 'schema' && seg.length === 4) return new RawBody(await state.formatted(stored, query.format))
        if (c === 'subjects' && seg.length === 4) return [...new Set(state.usesOf(stored.id).map((u) => u.subject))]
        if (c === 'versions' && seg.length === 4) return state.usesOf(stored.id)
      }
    }
    if (root === 'subjects') {
      if (a === undefined && method === 'GET') return state.subjectNames(deleted)
      if (a !== undefined && b === undefined) {
        if (method === 'POST') {
          const found = await state.lookup(a, RegistryState.schemaInput(body), deleted, {
            normalize: query.normalize === 'true',
          })
          return { subject: a, version: found.version.version, ...(await this.schemaBody(found.stored, query.format)) }
        }
        if (method === 'DELETE') return state.deleteSubject(a, query.permanent === 'true')
      }
      if (a !== undefined && b === 'versions') {
        if (c === undefined) {
          if (method === 'GET') return state.versionsOf(a, deleted)
          if (method === 'POST') {
            return {
              id: await state.register(a, RegistryState.schemaInput(body), { normalize: query.normalize === 'true' }),
            }
          }
        }
        if (c !== undefined && d === undefined) {
          if (method === 'GET') {
            const v = state.version(a, c, deleted)
            return { subject: a, version: v.version, ...(await this.schemaBody(state.schemaById(v.id), query.format)) }
          }
          if (method === 'DELETE') return state.deleteVersion(a, c, query.permanent === 'true')
        }
        if (c !== undefined && d === 'schema' && e === undefined && method === 'GET') {
          const v = state.version(a, c, deleted)
          return new RawBody(await state.formatted(state.schemaById(v.id), query.format))
        }
        if (c !== undefined && d === 'referencedby' && e === undefined && method === 'GET') {
          return state.referencedBy(a, state.version(a, c).version)
        }
      }
    }
    if (root === 'compatibility' && a === 'subjects' && b !== undefined && c === 'versions' && method === 'POST') {
      const problems = await state.checkCompatibility(b, RegistryState.schemaInput(body), d)
      const verbose = query.verbose === 'true'
      return verbose
        ? { is_compatible: problems.length === 0, messages: problems }
        : { is_compatible: problems.length === 0 }
    }
    if (root === 'config') {
      if (a === undefined) {
        if (method === 'GET') return configBody(state.compatibility, state.normalize)
        if (method === 'PUT') {
          const update = configUpdate(body)
          if (update.compatibility !== undefined) state.compatibility = update.compatibility
          if (update.normalize !== undefined) state.normalize = update.normalize
          return updateAnswer(update)
        }
      } else if (b === undefined) {
        if (method === 'GET') {
          const level = state.subjectLevel(a)
          const normalize = state.subjectNormalize(a)
          if (level !== undefined || normalize !== undefined) {
            return configBody(level ?? state.compatibility, normalize)
          }
          if (query.defaultToGlobal === 'true') return configBody(state.compatibility, state.normalize)
          throw new RegistryHttpError(404, 40408, `Subject '${a}' does not have subject-level compatibility configured`)
        }
        if (method === 'PUT') {
          const update = configUpdate(body)
          if (update.compatibility !== undefined) state.setSubjectLevel(a, update.compatibility)
          if (update.normalize !== undefined) state.setSubjectNormalize(a, update.normalize)
          return updateAnswer(update)
        }
        if (method === 'DELETE') {
          const answer = configBody(state.levelOf(a), state.subjectNormalize(a))
          state.setSubjectLevel(a, undefined)
          state.setSubjectNormalize(a, undefined)
          return answer
        }
      }
    }
    if (root === 'mode' && method === 'GET') return { mode: 'READWRITE' }
    if (root === 'contexts' && a === undefined && method === 'GET') {
      // The default context '.' and every context a subject is qualified with (`:.staging:orders-value`).
      const contexts = new Set(['.'])
      for (const subject of state.subjectNames(false)) {
        const context = /^:(\.[^:]*):/.exec(subject)?.[1]
        if (context !== undefined) contexts.add(context)
      }
      return [...contexts].sort()
    }
    throw new RegistryHttpError(404, 404, 'HTTP 404 Not Found')
  }

  private async schemaBody(stored: MockStoredSchema, format?: string): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = { id: stored.id, schema: await this.state.formatted(stored, format) }
    if (stored.schemaType !== 'AVRO') out.schemaType = stored.schemaType
    if (stored.references.length > 0) out.references = stored.references
    return out
  }
}

function configBody(level: MockCompatibilityLevel, normalize: boolean | undefined): Record<string, unknown> {
  return normalize === undefined ? { compatibilityLevel: level } : { compatibilityLevel: level, normalize }
}

/** A `PUT /config` body: `compatibility` and/or `normalize`. */
function configUpdate(body: unknown): { compatibility?: MockCompatibilityLevel; normalize?: boolean } {
  const b = (body ?? {}) as { compatibility?: unknown; normalize?: unknown }
  const out: { compatibility?: MockCompatibilityLevel; normalize?: boolean } = {}
  if (typeof b.normalize === 'boolean') out.normalize = b.normalize
  if (b.compatibility !== undefined || out.normalize === undefined)
    out.compatibility = RegistryState.checkLevel(b.compatibility)
  return out
}

function updateAnswer(update: {
  compatibility?: MockCompatibilityLevel
  normalize?: boolean
}): Record<string, unknown> {
  return {
    ...(update.compatibility === undefined ? {} : { compatibility: update.compatibility }),
    ...(update.normalize === undefined ? {} : { normalize: update.normalize }),
  }
}

/** An answer sent as is (`.../schema` endpoints), not as JSON. */
class RawBody {
  constructor(readonly text: string) {}
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body instanceof RawBody ? body.text : JSON.stringify(body)
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) })
  res.end(text)
}
