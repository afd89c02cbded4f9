import { errorMessage } from './to-error.js'
import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.compression')

/**
 * The compression codec failed on a batch: `compress` threw, rejected, or returned something that
 * is not a Buffer. The records of that batch fail with this error (the codec's own error is the
 * `cause`); other batches go on. Never retriable.
 */
export class CompressionError extends TributaryError {
  /** The codec's name, e.g. `zstd`. */
  readonly codec: string
  readonly topic: string
  readonly partition: number
  private readonly [BRAND] = true

  constructor(codec: string, topic: string, partition: number, cause: unknown) {
    const detail = errorMessage(cause)
    super(`The ${codec} codec could not compress a batch for ${topic}-${partition}: ${detail}`, {
      code: -1,
      retriable: false,
      cause,
    })
    this.name = 'CompressionError'
    this.codec = codec
    this.topic = topic
    this.partition = partition
  }

  static override isInstance(value: unknown): value is CompressionError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
