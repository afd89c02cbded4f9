import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.transaction-state')

/**
 * A transactional producer was used out of order: a send outside a transaction, a transaction
 * begun inside another, a commit or abort without one, or a commit after a record of the
 * transaction failed (abort it instead). Not retriable as is.
 */
export class TransactionStateError extends TributaryError {
  private readonly [BRAND] = true

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: -1, retriable: false, cause: options.cause })
    this.name = 'TransactionStateError'
  }

  static override isInstance(value: unknown): value is TransactionStateError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
