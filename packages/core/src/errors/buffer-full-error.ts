import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.buffer-full')

/**
 * The record was not buffered because the producer's buffer had no room for it: either `send`
 * waited `maxBlockMs` for room in the buffer (`bufferBytes`) and none came free, or records already
 * waiting for room held `maxWaitingBytes` and the record was refused at once (`refusedAtOnce`).
 * Either way records are produced faster than the brokers acknowledge them.
 * Retriable: the producer never retries it itself, but sending again once the buffer drains may succeed.
 */
export class BufferFullError extends TributaryError {
  /** The buffer's size limit in bytes (`bufferBytes`). */
  readonly bufferBytes: number
  /** How long `send` may wait for room, in milliseconds (`maxBlockMs`). */
  readonly maxBlockMs: number
  /** The limit on records waiting for room (`maxWaitingBytes`). */
  readonly maxWaitingBytes: number
  /**
   * True when the record did not wait at all: the records already waiting held `maxWaitingBytes`.
   * False when it waited `maxBlockMs`.
   */
  readonly refusedAtOnce: boolean
  private readonly [BRAND] = true

  constructor(
    bufferBytes: number,
    maxBlockMs: number,
    maxWaitingBytes = Number.MAX_SAFE_INTEGER,
    refusedAtOnce = false,
  ) {
    super(
      refusedAtOnce
        ? `The producer refused the record at once: the records already waiting for room in its buffer (bufferBytes ` +
            `${bufferBytes}) hold maxWaitingBytes (${maxWaitingBytes}), so records are sent faster than the brokers ` +
            'acknowledge them. Await sends or flush() to apply backpressure, or raise maxWaitingBytes.'
        : `The producer's buffer (bufferBytes ${bufferBytes}) stayed full for maxBlockMs (${maxBlockMs} ms): records are ` +
            'sent faster than the brokers acknowledge them. Await sends or flush() to apply backpressure, or raise ' +
            'bufferBytes or maxBlockMs.',
      { code: -1, retriable: true },
    )
    this.name = 'BufferFullError'
    this.bufferBytes = bufferBytes
    this.maxBlockMs = maxBlockMs
    this.maxWaitingBytes = maxWaitingBytes
    this.refusedAtOnce = refusedAtOnce
  }

  static override isInstance(value: unknown): value is BufferFullError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
