const BRAND = Symbol.for('tributary.error')

/** Options every Tributary error accepts. */
export interface TributaryErrorOptions {
  /** The Kafka error code when the broker sent one. */
  code?: number | undefined
  /** Whether retrying the same operation may succeed. */
  retriable?: boolean | undefined
  /** The error that led to this one. */
  cause?: unknown
}

/**
 * Base class of every error Tributary raises. `isInstance` recognises it across duplicate
 * ESM/CJS copies of the package, where `instanceof` would not.
 */
export class TributaryError extends Error {
  /** The Kafka error code, or -1 for errors that did not come from a broker. */
  readonly code: number
  /** Whether retrying may succeed. */
  readonly retriable: boolean
  private readonly [BRAND] = true

  constructor(message: string, options: TributaryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'TributaryError'
    this.code = options.code ?? -1
    this.retriable = options.retriable ?? false
  }

  /** True for any Tributary error, from any copy of the package. */
  static isInstance(value: unknown): value is TributaryError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
