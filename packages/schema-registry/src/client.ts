import { Buffer } from 'node:buffer'
import { SchemaRegistryConnectionError } from './errors/schema-registry-connection-error.js'
import { SchemaRegistryError } from './errors/schema-registry-error.js'
import type {
  CompatibilityLevel,
  CompatibilityResult,
  RegisteredSchema,
  Schema,
  SchemaReference,
  SchemaType,
} from './types.js'

/** The part of a `fetch` response the client reads. */
export interface FetchResponseLike {
  readonly status: number
  readonly ok: boolean
  text(): Promise<string>
}

/** The part of the `fetch` API the client uses; the global `fetch`, undici's or a test double all fit. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<FetchResponseLike>

/** Credentials: HTTP basic (`basic.auth.user.info` in Java) or a bearer token (a string, or a function for rotating tokens). */
export type SchemaRegistryAuth =
  | { readonly username: string; readonly password: string }
  | { readonly bearerToken: string | (() => string | Promise<string>) }

/** Options of a SchemaRegistryClient. */
export interface SchemaRegistryClientOptions {
  /**
   * The registry's base URL, e.g. `http://localhost:8081`; several (an array or comma-separated) fail
   * over in turn on network errors. Credentials in the URL (`http://user:pass@host`) become basic auth.
   */
  url: string | readonly string[]
  auth?: SchemaRegistryAuth | undefined
  /** The `fetch` to use; default the global one. */
  fetch?: FetchLike | undefined
  /** Extra headers sent with every request. */
  headers?: Record<string, string> | undefined
  /** Retries after a network error or a retriable answer (408, 429, 502, 503, 504); default 3. */
  retries?: number | undefined
  /** First backoff between retries; default 100 ms, doubling with jitter. */
  retryBackoffMs?: number | undefined
  /** Longest backoff between retries; default 2000 ms. */
  retryBackoffMaxMs?: number | undefined
  /** How long one request may take before it is abandoned (and retried); default 10000 ms. */
  requestTimeoutMs?: number | undefined
  /**
   * How long `getLatest` answers from its cache; default `Infinity` (as the Java client's
   * `latest.cache.ttl.sec = -1`). Ids and schemas by id never expire: they are immutable.
   */
  latestCacheTtlMs?: number | undefined
}

/** Options of `register`, `getId` and `lookup`. */
export interface LookupOptions {
  /** Ask the registry to normalize the schema before comparing or storing it. */
  normalize?: boolean | undefined
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'
const ACCEPT =
  'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5'
const RETRIABLE_STATUS = new Set([408, 429, 502, 503, 504])
const RETRIABLE_CODES = new Set([50002, 50003])

interface RegistryErrorBody {
  error_code?: unknown
  message?: unknown
}

interface RegisteredSchemaBody {
  subject: string
  id: number
  version: number
  schema: string
  schemaType?: SchemaType
  references?: SchemaReference[]
}

/**
 * A client for the Confluent Schema Registry REST API: register, look up, fetch by id, latest
 * version, compatibility. Answers are cached (ids and schemas by id forever, since they never change;
 * ids by subject and schema; the latest version for `latestCacheTtlMs`), and concurrent look-ups of
 * the same thing share one request, so a serializer's hot path does no HTTP after its first record.
 * Errors are `SchemaRegistryError`s carrying the registry's `error_code` and message; network errors
 * and retriable answers are retried with exponential backoff, then fail with a
 * `SchemaRegistryConnectionError`.
 */
export class SchemaRegistryClient {
  private readonly urls: readonly string[]
  private urlIndex = 0
  private readonly fetchFn: FetchLike
  private readonly baseHeaders: Record<string, string>
  private readonly bearerToken: (() => string | Promise<string>) | undefined
  private readonly retries: number
  private readonly retryBackoffMs: number
  private readonly retryBackoffMaxMs: number
  private readonly requestTimeoutMs: number
  private readonly latestCacheTtlMs: number

  private readonly idsBySchema = new Map<string, number>()
  private readonly schemasById = new Map<string, Schema>()
  private readonly versions = new Map<string, RegisteredSchema>()
  private readonly latest = new Map<string, { value: RegisteredSchema; at: number }>()
  private readonly inflight = new Map<string, Promise<unknown>>()

  constructor(options: SchemaRegistryClientOptions) {
    const raw = typeof options.url === 'string' ? options.url.split(',') : [...options.url]
    const urls: string[] = []
    let urlAuth: { username: string; password: string } | undefined
    for (const entry of raw) {
      const trimmed = entry.trim()
      if (trimmed === '') continue
      let parsed: URL
      try {
        parsed = new URL(trimmed)
      } catch {
        throw new TypeError(`schema registry url '${trimmed}' is not a URL (expected e.g. http://localhost:8081)`)
      }
      if (parsed.username !== '' || parsed.password !== '') {
        urlAuth = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) }
        parsed.username = ''
        parsed.password = ''
      }
      urls.push(parsed.toString().replace(/\/+$/, ''))
    }
    if (urls.length === 0) throw new TypeError('SchemaRegistryClient needs a url')
    this.urls = urls
    const fetchFn = options.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined)
    if (typeof fetchFn !== 'function') throw new TypeError('no global fetch: pass options.fetch')
    this.fetchFn = fetchFn
    this.retries = nonNegative(options.retries, 3, 'retries')
    this.retryBackoffMs = nonNegative(options.retryBackoffMs, 100, 'retryBackoffMs')
    this.retryBackoffMaxMs = Math.max(
      this.retryBackoffMs,
      nonNegative(options.retryBackoffMaxMs, 2000, 'retryBackoffMaxMs'),
    )
    this.requestTimeoutMs = nonNegative(options.requestTimeoutMs, 10_000, 'requestTimeoutMs')
    this.latestCacheTtlMs = nonNegative(options.latestCacheTtlMs, Number.POSITIVE_INFINITY, 'latestCacheTtlMs')

    this.baseHeaders = { accept: ACCEPT, ...options.headers }
    const auth = options.auth ?? urlAuth
    if (auth !== undefined && 'bearerToken' in auth) {
      const token = auth.bearerToken
      this.bearerToken = typeof token === 'function' ? token : () => token
    } else if (auth !== undefined) {
      const credentials = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')
      this.baseHeaders.authorization = `Basic ${credentials}`
    }
  }

  /** The base URLs the client talks to, credentials removed. */
  get baseUrls(): readonly string[] {
    return this.urls
  }

  /**
   * Registers a schema under a subject (a new version unless the subject already has it) and returns
   * its global id. Cached: the same subject and schema answer without HTTP the next time.
   */
  async register(subject: string, schema: Schema | string, options: LookupOptions = {}): Promise<number> {
    const s = toSchema(schema)
    const key = schemaKey(subject, s)
    const cached = this.idsBySchema.get(key)
    if (cached !== undefined) return cached
    return this.once(`register\0${key}`, async () => {
      const body = await this.request<{ id: number }>(
        'POST',
        `/subjects/${enc(subject)}/versions${options.normalize ? '?normalize=true' : ''}`,
        schemaBody(s),
      )
      this.idsBySchema.set(key, body.id)
      return body.id
    })
  }

  /** The id of a schema already registered under a subject (no registration). Cached. */
  async getId(subject: string, schema: Schema | string, options: LookupOptions = {}): Promise<number> {
    const s = toSchema(schema)
    const cached = this.idsBySchema.get(schemaKey(subject, s))
    if (cached !== undefined) return cached
    return (await this.lookup(subject, s, options)).id
  }

  /**
   * Looks a schema up under a subject: its id and version there. Fails with code 40401 when the subject
   * does not exist and 40403 when the subject does not have this schema. Cached.
   */
  async lookup(subject: string, schema: Schema | string, options: LookupOptions = {}): Promise<RegisteredSchema> {
    const s = toSchema(schema)
    const key = schemaKey(subject, s)
    const cached = this.versions.get(`lookup\0${key}`)
    if (cached !== undefined) return cached
    return this.once(`lookup\0${key}`, async () => {
      const body = await this.request<RegisteredSchemaBody>(
        'POST',
        `/subjects/${enc(subject)}${options.normalize ? '?normalize=true' : ''}`,
        schemaBody(s),
      )
      const registered = toRegistered(body, subject)
      this.idsBySchema.set(key, registered.id)
      this.versions.set(`lookup\0${key}`, registered)
      this.versions.set(`${subject}\0${registered.version}`, registered)
      return registered
    })
  }

  /**
   * The schema with a global id. Cached forever (an id never changes). `format: 'serialized'` asks for
   * Protobuf schemas as a base64 `FileDescriptorProto`.
   */
  async getSchemaById(id: number, options: { subject?: string; format?: string } = {}): Promise<Schema> {
    const key = `${id}\0${options.format ?? ''}`
    const cached = this.schemasById.get(key)
    if (cached !== undefined) return cached
    return this.once(`id\0${key}`, async () => {
      const query = new URLSearchParams()
      if (options.subject !== undefined) query.set('subject', options.subject)
      if (options.format !== undefined) query.set('format', options.format)
      const q = query.toString() === '' ? '' : `?${query}`
      const body = await this.request<Schema>('GET', `/schemas/ids/${id}${q}`)
      const schema = toSchemaResult(body)
      this.schemasById.set(key, schema)
      return schema
    })
  }

  /** The latest version of a subject; cached for `latestCacheTtlMs`. */
  async getLatest(subject: string): Promise<RegisteredSchema> {
    const hit = this.latest.get(subject)
    if (hit !== undefined && Date.now() - hit.at < this.latestCacheTtlMs) return hit.value
    return this.once(`latest\0${subject}`, async () => {
      const body = await this.request<RegisteredSchemaBody>('GET', `/subjects/${enc(subject)}/versions/latest`)
      const registered = toRegistered(body, subject)
      this.latest.set(subject, { value: registered, at: Date.now() })
      this.versions.set(`${subject}\0${registered.version}`, registered)
      return registered
    })
  }

  /** One version of a subject (`'latest'` is not cached here; use `getLatest`). Numbered versions are cached. */
  async getVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    if (version === 'latest') {
      const body = await this.request<RegisteredSchemaBody>('GET', `/subjects/${enc(subject)}/versions/latest`)
      return toRegistered(body, subject)
    }
    const key = `${subject}\0${version}`
    const cached = this.versions.get(key)
    if (cached !== undefined) return cached
    return this.once(`version\0${key}`, async () => {
      const body = await this.request<RegisteredSchemaBody>('GET', `/subjects/${enc(subject)}/versions/${version}`)
      const registered = toRegistered(body, subject)
      this.versions.set(key, registered)
      return registered
    })
  }

  /** The version numbers of a subject. Not cached. */
  async getVersions(subject: string): Promise<number[]> {
    return this.request<number[]>('GET', `/subjects/${enc(subject)}/versions`)
  }

  /** Every subject. Not cached. */
  async getSubjects(): Promise<string[]> {
    return this.request<string[]>('GET', '/subjects')
  }

  /**
   * The registry's schema contexts (`GET /contexts`): `'.'`, the default context, and each context
   * in use, such as `'.staging'`. A subject in a context is named `:.staging:orders-value`; pass it
   * as the `subject` (or return it from a strategy) like any other. Not cached.
   */
  async getContexts(): Promise<string[]> {
    return this.request<string[]>('GET', '/contexts')
  }

  /**
   * Whether a schema is compatible with a version of a subject (default the latest), under the
   * subject's compatibility level. Never cached.
   */
  async checkCompatibility(
    subject: string,
    schema: Schema | string,
    options: { version?: number | 'latest' } = {},
  ): Promise<CompatibilityResult> {
    const version = options.version ?? 'latest'
    const body = await this.request<{ is_compatible: boolean; messages?: string[] }>(
      'POST',
      `/compatibility/subjects/${enc(subject)}/versions/${version}?verbose=true`,
      schemaBody(toSchema(schema)),
    )
    return { compatible: body.is_compatible === true, messages: body.messages ?? [] }
  }

  /** The compatibility level of a subject (falling back to the registry's), or of the registry. */
  async getCompatibility(subject?: string): Promise<CompatibilityLevel> {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}?defaultToGlobal=true`
    const body = await this.request<{ compatibilityLevel?: CompatibilityLevel; compatibility?: CompatibilityLevel }>(
      'GET',
      path,
    )
    return (body.compatibilityLevel ?? body.compatibility) as CompatibilityLevel
  }

  /** Sets the compatibility level of a subject, or of the registry. */
  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    await this.request('PUT', subject === undefined ? '/config' : `/config/${enc(subject)}`, { compatibility: level })
  }

  /** Deletes a subject (soft, or `permanent`); returns the versions deleted. Clears the caches. */
  async deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<number[]> {
    const versions = await this.request<number[]>(
      'DELETE',
      `/subjects/${enc(subject)}${options.permanent ? '?permanent=true' : ''}`,
    )
    this.clearCache()
    return versions
  }

  /** Forgets every cached answer. */
  clearCache(): void {
    this.idsBySchema.clear()
    this.schemasById.clear()
    this.versions.clear()
    this.latest.clear()
  }

  /** Single flight: concurrent callers with the same key share one request; a failure is not cached. */
  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    const pending = this.inflight.get(key)
    if (pending !== undefined) return pending as Promise<T>
    const promise = run().finally(() => this.inflight.delete(key))
    this.inflight.set(key, promise)
    return promise
  }

  /** One REST call with retries and fail-over across the URLs. */
  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const requestName = `${method} ${path.split('?')[0]}`
    const payload = body === undefined ? undefined : JSON.stringify(body)
    let lastNetworkError: unknown
    for (let attempt = 0; ; attempt++) {
      const base = this.urls[this.urlIndex % this.urls.length] as string
      const headers: Record<string, string> = { ...this.baseHeaders }
      if (payload !== undefined) headers['content-type'] = CONTENT_TYPE
      if (this.bearerToken !== undefined) headers.authorization = `Bearer ${await this.bearerToken()}`
      let status: number
      let text: string
      try {
        const init: Parameters<FetchLike>[1] = { method, headers }
        if (payload !== undefined) init.body = payload
        if (this.requestTimeoutMs > 0 && Number.isFinite(this.requestTimeoutMs)) {
          init.signal = AbortSignal.timeout(this.requestTimeoutMs)
        }
        const response = await this.fetchFn(`${base}${path}`, init)
        status = response.status
        text = await response.text()
      } catch (error) {
        lastNetworkError = error
        if (attempt >= this.retries) {
          throw new SchemaRegistryConnectionError(requestName, this.urls, attempt + 1, lastNetworkError)
        }
        this.urlIndex++ // fail over to the next URL
        await sleep(this.backoff(attempt))
        continue
      }
      if (status >= 200 && status < 300) {
        if (text === '') return undefined as T
        try {
          return JSON.parse(text) as T
        } catch (error) {
          throw new SchemaRegistryError(`The schema registry answered ${requestName} with invalid JSON`, {
            code: status,
            status,
            registryMessage: text.slice(0, 200),
            request: requestName,
            cause: error,
          })
        }
      }
      const error = responseError(requestName, status, text)
      if (!error.retriable || attempt >= this.retries) throw error
      await sleep(this.backoff(attempt))
    }
  }

  private backoff(attempt: number): number {
    const exponential = Math.min(this.retryBackoffMaxMs, this.retryBackoffMs * 2 ** attempt)
    return exponential * (0.8 + Math.random() * 0.4)
  }
}

function responseError(request: string, status: number, text: string): SchemaRegistryError {
  let body: RegistryErrorBody | undefined
  try {
    body = JSON.parse(text) as RegistryErrorBody
  } catch {
    body = undefined
  }
  const code = typeof body?.error_code === 'number' ? body.error_code : status
  const message = typeof body?.message === 'string' ? body.message : text.slice(0, 200) || `HTTP ${status}`
  return new SchemaRegistryError(
    `The schema registry answered ${request} with HTTP ${status}: ${message} (error code ${code})`,
    {
      code,
      status,
      registryMessage: message,
      request,
      retriable: RETRIABLE_STATUS.has(status) || RETRIABLE_CODES.has(code),
    },
  )
}

function toSchema(schema: Schema | string): Schema {
  return typeof schema === 'string' ? { schema } : schema
}

function schemaBody(schema: Schema): Record<string, unknown> {
  const body: Record<string, unknown> = { schema: schema.schema }
  if (schema.schemaType !== undefined && schema.schemaType !== 'AVRO') body.schemaType = schema.schemaType
  if (schema.references !== undefined && schema.references.length > 0) body.references = schema.references
  return body
}

function schemaKey(subject: string, schema: Schema): string {
  const refs =
    schema.references === undefined || schema.references.length === 0
      ? ''
      : schema.references.map((r) => `${r.name}=${r.subject}@${r.version}`).join(',')
  return `${subject}\0${schema.schemaType ?? 'AVRO'}\0${refs}\0${schema.schema}`
}

function toSchemaResult(body: Schema): Schema {
  return {
    schema: body.schema,
    schemaType: body.schemaType ?? 'AVRO',
    references: body.references ?? [],
  }
}

function toRegistered(body: RegisteredSchemaBody, subject: string): RegisteredSchema {
  return {
    subject: body.subject ?? subject,
    id: body.id,
    version: body.version,
    schema: body.schema,
    schemaType: body.schemaType ?? 'AVRO',
    references: body.references ?? [],
  }
}

function enc(subject: string): string {
  return encodeURIComponent(subject)
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(`SchemaRegistryClient option ${name} must be a non-negative number, got ${value}`)
  }
  return value
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
