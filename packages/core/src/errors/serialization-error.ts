import type { SerializerContext } from '../plugins.js'
import { errorMessage } from './to-error.js'
import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.serialization')

/** Which part of a record failed to serialize. */
export type SerializationPart = SerializerContext['part']

const PART_LABELS: Record<SerializationPart, string> = {
  key: 'key',
  value: 'value',
  headerKey: 'a header key',
  headerValue: 'a header value',
}

/**
 * A serializer could not turn a record's key, value or a header into bytes. Raised by `send` at
 * once, before the record is buffered; the serializer's own error is the `cause`. Never retriable:
 * the same value fails again.
 */
export class SerializationError extends TributaryError {
  /** Which part of the record failed: `key`, `value`, `headerKey` or `headerValue`. */
  readonly part: SerializationPart
  /** The topic the record was for. */
  readonly topic: string
  private readonly [BRAND] = true

  constructor(part: SerializationPart, topic: string, cause: unknown) {
    const label = PART_LABELS[part] ?? String(part)
    const what = part === 'key' || part === 'value' ? `the ${label}` : label
    const detail = errorMessage(cause)
    super(`Could not serialize ${what} of a record for topic '${topic}': ${detail}`, {
      code: -1,
      retriable: false,
      cause,
    })
    this.name = 'SerializationError'
    this.part = part
    this.topic = topic
  }

  static override isInstance(value: unknown): value is SerializationError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
