import { errorMessage } from './to-error.js'
import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.retries-exhausted')

/**
 * A batch failed as many times as the `retries` option allows, before its delivery deadline: its
 * records fail with this error, the last broker or connection error as the `cause` (and its Kafka
 * code as `code`). Retriable: the producer gave up, but sending the records again may succeed.
 */
export class RetriesExhaustedError extends TributaryError {
  /** How many times the records were sent. */
  readonly attempts: number
  readonly topic: string
  readonly partition: number
  private readonly [BRAND] = true

  constructor(details: {
    topic: string
    partition: number
    records: number
    attempts: number
    retries: number
    cause: unknown
  }) {
    const { topic, partition, records, attempts, retries, cause } = details
    super(
      `gave up on ${records} record(s) to ${topic}-${partition} after ${attempts} attempt(s) (retries: ${retries}); last error: ${errorMessage(cause)}`,
      { code: TributaryError.isInstance(cause) ? cause.code : -1, retriable: true, cause },
    )
    this.name = 'RetriesExhaustedError'
    this.attempts = attempts
    this.topic = topic
    this.partition = partition
  }

  static override isInstance(value: unknown): value is RetriesExhaustedError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
