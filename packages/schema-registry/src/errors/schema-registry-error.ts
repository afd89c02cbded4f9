const BRAND = Symbol.for('tributary.schema-registry.error')

/** Options of a SchemaRegistryError. */
export interface SchemaRegistryErrorOptions {
  /** The registry's `error_code` (e.g. 40403), or the HTTP status when the answer carried none; -1 without an answer. */
  code: number
  /** The HTTP status of the answer, or undefined when there was no answer. */
  status?: number | undefined
  /** The registry's own `message`, or the reason there was no answer. */
  registryMessage: string
  /** The request, e.g. `GET /schemas/ids/7`. */
  request: string
  /** Whether the same request may succeed later. */
  retriable?: boolean | undefined
  cause?: unknown
}

/**
 * The schema registry answered with an error, or could not be reached. `code` is the registry's
 * `error_code` (40401 subject not found, 40403 schema not found, 409 incompatible schema, 42201 invalid
 * schema, 50001 store error, ...), `status` the HTTP status, `registryMessage` the registry's own words.
 * `isInstance` recognises it across duplicate ESM/CJS copies of the package, where `instanceof` would not.
 */
export class SchemaRegistryError extends Error {
  /** The registry's `error_code`, the HTTP status when the answer carried none, or -1 without an answer. */
  readonly code: number
  /** The HTTP status, or undefined when no answer came. */
  readonly status: number | undefined
  /** The registry's `message` (or the network error's). */
  readonly registryMessage: string
  /** The request that failed, e.g. `POST /subjects/orders-value/versions`. */
  readonly request: string
  /** Whether retrying the same request may succeed (network errors, 408, 429, 502-504, 50002, 50003). */
  readonly retriable: boolean
  private readonly [BRAND] = true

  constructor(message: string, options: SchemaRegistryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'SchemaRegistryError'
    this.code = options.code
    this.status = options.status
    this.registryMessage = options.registryMessage
    this.request = options.request
    this.retriable = options.retriable ?? false
  }

  /** True for any SchemaRegistryError (connection errors included), from any copy of the package. */
  static isInstance(value: unknown): value is SchemaRegistryError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
