import { TributaryError, type TributaryErrorOptions } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.connection')

/** A broker connection could not be opened, failed, timed out or was closed. Retriable. */
export class ConnectionError extends TributaryError {
  private readonly [BRAND] = true

  constructor(message: string, options: TributaryErrorOptions = {}) {
    super(message, { retriable: true, ...options })
    this.name = 'ConnectionError'
  }

  static override isInstance(value: unknown): value is ConnectionError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
