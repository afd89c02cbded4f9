import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.timeout')

/** What timed out, for the structured form of TimeoutError. */
export interface TimeoutErrorDetails {
  /** What was waiting, e.g. `the acknowledgement of a record for orders-2`. */
  waitingFor: string
  /** How long it waited, in milliseconds. */
  timeoutMs: number
  /** The option that set the timeout, e.g. `deliveryTimeoutMs`, named in the message. */
  option?: string
  /** The last error seen while waiting (e.g. the retriable broker error that kept failing). */
  cause?: unknown
}

/** Options of the message form of TimeoutError. */
export interface TimeoutErrorOptions {
  /** How long it waited, in milliseconds. */
  timeoutMs?: number
  /** The last error seen while waiting. */
  cause?: unknown
}

/**
 * A deadline passed: typically `deliveryTimeoutMs` for a record that could not be acknowledged in
 * time (the last retriable error is the `cause`). Not retriable: the producer has given up on the
 * record, and the application decides whether to send it again.
 */
export class TimeoutError extends TributaryError {
  /** How long it waited, in milliseconds, when known. */
  readonly timeoutMs: number | undefined
  private readonly [BRAND] = true

  /** Builds the message from what was waiting and for how long. */
  constructor(details: TimeoutErrorDetails)
  /** Takes a ready message, which should say what was waiting and for how long. */
  constructor(message: string, options?: TimeoutErrorOptions)
  constructor(messageOrDetails: string | TimeoutErrorDetails, options: TimeoutErrorOptions = {}) {
    const details = typeof messageOrDetails === 'string' ? undefined : messageOrDetails
    const cause = details === undefined ? options.cause : details.cause
    let message: string
    if (details === undefined) {
      message = messageOrDetails as string
    } else {
      const option = details.option === undefined ? '' : ` (${details.option})`
      const last = cause instanceof Error ? ` Last error: ${cause.message}` : ''
      message = `Timed out after ${details.timeoutMs} ms${option} waiting for ${details.waitingFor}.${last}`
    }
    super(message, { code: -1, retriable: false, cause })
    this.name = 'TimeoutError'
    this.timeoutMs = details === undefined ? options.timeoutMs : details.timeoutMs
  }

  static override isInstance(value: unknown): value is TimeoutError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
