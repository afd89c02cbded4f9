import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.buffer-full')

/**
 * `send` waited `maxBlockMs` for room in the producer's buffer (`bufferBytes`) and none came free:
 * records are produced faster than the brokers acknowledge them. The record was not buffered.
 * Retriable: the producer never retries it itself, but sending again once the buffer drains may succeed.
 */
export class BufferFullError extends TributaryError {
  /** The buffer's size limit in bytes (`bufferBytes`). */
  readonly bufferBytes: number
  /** How long `send` waited for room, in milliseconds (`maxBlockMs`). */
  readonly maxBlockMs: number
  private readonly [BRAND] = true

  constructor(bufferBytes: number, maxBlockMs: number) {
    super(
      `The producer's buffer (bufferBytes ${bufferBytes}) stayed full for maxBlockMs (${maxBlockMs} ms): records are ` +
        'sent faster than the brokers acknowledge them. Await sends or flush() to apply backpressure, or raise ' +
        'bufferBytes or maxBlockMs.',
      { code: -1, retriable: true },
    )
    this.name = 'BufferFullError'
    this.bufferBytes = bufferBytes
    this.maxBlockMs = maxBlockMs
  }

  static override isInstance(value: unknown): value is BufferFullError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
