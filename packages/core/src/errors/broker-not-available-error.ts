import { ErrorCodes } from '../protocol/error-codes.js'
import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.broker-not-available')

/**
 * No broker could be reached: every address tried refused, failed or timed out. The message names
 * the addresses; the last connection error is the `cause`. Carries Kafka's BROKER_NOT_AVAILABLE code
 * (8). Retriable, like the connection errors behind it: the brokers may come back.
 */
export class BrokerNotAvailableError extends TributaryError {
  /** The `host:port` addresses that were tried, in order. */
  readonly addresses: readonly string[]
  private readonly [BRAND] = true

  constructor(addresses: readonly string[], cause?: unknown) {
    const tried = addresses.length === 0 ? 'no broker addresses were known' : `tried ${addresses.join(', ')}`
    const last = cause instanceof Error ? ` Last error: ${cause.message}.` : ''
    super(
      `No Kafka broker is reachable (${tried}).${last} Check that the brokers are running and that ` +
        'bootstrapBrokers and the network allow connecting to them.',
      { code: ErrorCodes.BROKER_NOT_AVAILABLE, retriable: true, cause },
    )
    this.name = 'BrokerNotAvailableError'
    this.addresses = [...addresses]
  }

  static override isInstance(value: unknown): value is BrokerNotAvailableError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
