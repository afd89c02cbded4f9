import { TributaryError, type TributaryErrorOptions } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.protocol')

/**
 * Bytes that do not follow the Kafka protocol: a truncated frame, a negative or overlong length,
 * an unknown API key or version. The connection that carried them cannot be trusted any more.
 */
export class ProtocolError extends TributaryError {
  private readonly [BRAND] = true

  constructor(message: string, options: TributaryErrorOptions = {}) {
    super(message, options)
    this.name = 'ProtocolError'
  }

  static override isInstance(value: unknown): value is ProtocolError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
