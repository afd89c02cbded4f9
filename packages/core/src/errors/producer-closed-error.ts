import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.producer-closed')

/** Options of a ProducerClosedError. */
export interface ProducerClosedErrorOptions {
  /**
   * Why a record that was already buffered is failed, e.g. `close() timed out after 5000 ms`.
   * Leave out for a call made after close.
   */
  reason?: string
  cause?: unknown
}

/**
 * The producer is closed: a call after `close()` (e.g. `send`), or a buffered record that `close()`
 * gave up on when its timeout passed. Not retriable on this producer; a new one is needed.
 */
export class ProducerClosedError extends TributaryError {
  /** The method that was called after close, when there is one. */
  readonly operation: string | undefined
  private readonly [BRAND] = true

  constructor(operation?: string, options: ProducerClosedErrorOptions = {}) {
    const what =
      options.reason !== undefined
        ? `The producer was closed before the record was delivered: ${options.reason}.`
        : operation !== undefined
          ? `Cannot call ${operation}(): the producer is closed.`
          : 'The producer is closed.'
    super(`${what} Create a new Producer to send more records.`, { code: -1, retriable: false, cause: options.cause })
    this.name = 'ProducerClosedError'
    this.operation = operation
  }

  static override isInstance(value: unknown): value is ProducerClosedError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
