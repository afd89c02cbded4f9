import { SchemaRegistryError } from './schema-registry-error.js'

const BRAND = Symbol.for('tributary.schema-registry.error.connection')

/**
 * No answer from the schema registry after every retry: connection refused or reset, DNS failure,
 * or the request timed out. `code` is -1, `status` undefined, `retriable` true; `cause` is the last
 * network error and `attempts` how many requests were made.
 */
export class SchemaRegistryConnectionError extends SchemaRegistryError {
  /** How many times the request was tried. */
  readonly attempts: number
  /** The registry addresses tried. */
  readonly urls: readonly string[]
  private readonly [BRAND] = true

  constructor(request: string, urls: readonly string[], attempts: number, cause: unknown) {
    const reason = describeNetworkError(cause)
    super(
      `Could not reach the schema registry at ${urls.join(', ')} for ${request} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`,
      { code: -1, registryMessage: reason, request, retriable: true, cause },
    )
    this.name = 'SchemaRegistryConnectionError'
    this.attempts = attempts
    this.urls = urls
  }

  static override isInstance(value: unknown): value is SchemaRegistryConnectionError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}

/** `fetch failed` says little; the `cause` chain of undici's error names ECONNREFUSED and the address. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `request timed out (${error.message})`
  const cause = (error as { cause?: unknown }).cause
  if (cause instanceof Error && cause.message && cause.message !== error.message) {
    return `${error.message} (${cause.message})`
  }
  return error.message
}
