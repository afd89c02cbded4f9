import { ErrorCodes } from '../protocol/error-codes.js'
import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.record-too-large')

/** Where a RecordTooLargeError was found and which limit it broke. */
export interface RecordTooLargeErrorOptions {
  /** The limit's name, as the user configures it. Default `maxRequestBytes`. */
  limitName?: string
  /** The record's topic, when known. */
  topic?: string
  /** The record's partition, when known. */
  partition?: number
}

/**
 * One record is larger than a limit (by default `maxRequestBytes`), so it can never be sent. It fails
 * alone and at once, without being retried. Carries Kafka's MESSAGE_TOO_LARGE code (10), the error
 * a broker reports for the same condition.
 */
export class RecordTooLargeError extends TributaryError {
  /** The record's serialized size in bytes. */
  readonly size: number
  /** The limit it exceeds, in bytes, or undefined when only the broker knows it (its max.message.bytes). */
  readonly limit: number | undefined
  /** The name of that limit, e.g. `maxRequestBytes` or `bufferBytes`. */
  readonly limitName: string
  readonly topic: string | undefined
  readonly partition: number | undefined
  private readonly [BRAND] = true

  constructor(size: number, limit: number | undefined, options: RecordTooLargeErrorOptions = {}) {
    const limitName = options.limitName ?? 'maxRequestBytes'
    const where =
      options.topic === undefined
        ? ''
        : ` for ${options.partition === undefined ? `topic '${options.topic}'` : `${options.topic}-${options.partition}`}`
    super(
      `A record${where} is ${size} bytes when serialized, more than ${limitName}${limit === undefined ? '' : ` (${limit} bytes)`}. ` +
        `Make the record smaller, or raise ${limitName}` +
        (limitName === 'maxRequestBytes' ? " (and the topic's max.message.bytes on the brokers)." : '.'),
      { code: ErrorCodes.MESSAGE_TOO_LARGE, retriable: false },
    )
    this.name = 'RecordTooLargeError'
    this.size = size
    this.limit = limit
    this.limitName = limitName
    this.topic = options.topic
    this.partition = options.partition
  }

  static override isInstance(value: unknown): value is RecordTooLargeError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
