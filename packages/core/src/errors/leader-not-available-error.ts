import { ErrorCodes } from '../protocol/error-codes.js'
import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.leader-not-available')

/**
 * A partition has no leader right now, usually during a leader election or just after the topic was
 * created. Carries Kafka's LEADER_NOT_AVAILABLE code (5) and is retriable: the producer refreshes
 * metadata and retries until `deliveryTimeoutMs`.
 */
export class LeaderNotAvailableError extends TributaryError {
  readonly topic: string
  readonly partition: number
  private readonly [BRAND] = true

  constructor(topic: string, partition: number, options: { cause?: unknown } = {}) {
    super(
      `Partition ${topic}-${partition} has no leader available (a leader election may be in progress, or the ` +
        'topic was just created); the producer refreshes metadata and retries.',
      { code: ErrorCodes.LEADER_NOT_AVAILABLE, retriable: true, cause: options.cause },
    )
    this.name = 'LeaderNotAvailableError'
    this.topic = topic
    this.partition = partition
  }

  static override isInstance(value: unknown): value is LeaderNotAvailableError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
