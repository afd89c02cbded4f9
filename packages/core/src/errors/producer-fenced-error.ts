import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.producer-fenced')

/**
 * Another producer with the same transactionalId started (or the coordinator aborted a
 * transaction that ran past its timeout), so this one's epoch is no longer valid. Fatal: the
 * producer refuses every further send; close it, and let the newer instance carry on.
 */
export class ProducerFencedError extends TributaryError {
  readonly transactionalId: string
  private readonly [BRAND] = true

  constructor(transactionalId: string, code: number, options: { cause?: unknown } = {}) {
    super(
      `The producer with transactionalId '${transactionalId}' was fenced: a newer producer with the same ` +
        'transactionalId has started, or its transaction ran past transactionTimeoutMs. It cannot send any more; ' +
        'close it.',
      { code, retriable: false, cause: options.cause },
    )
    this.name = 'ProducerFencedError'
    this.transactionalId = transactionalId
  }

  static override isInstance(value: unknown): value is ProducerFencedError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
