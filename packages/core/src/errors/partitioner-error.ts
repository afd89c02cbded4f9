import { errorMessage } from './to-error.js'
import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.partitioner')

/**
 * The partitioner threw while choosing the partition of a record. The record fails alone, before
 * it is buffered, with the partitioner's own error as the `cause`; the producer goes on. Never
 * retriable: the same record fails again.
 */
export class PartitionerError extends TributaryError {
  /** The topic the record was for. */
  readonly topic: string
  private readonly [BRAND] = true

  constructor(topic: string, cause: unknown) {
    const detail = errorMessage(cause)
    super(`The partitioner threw while choosing a partition of topic '${topic}' for a record: ${detail}`, {
      code: -1,
      retriable: false,
      cause,
    })
    this.name = 'PartitionerError'
    this.topic = topic
  }

  static override isInstance(value: unknown): value is PartitionerError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
