import { KafkaProtocolError } from '../errors/kafka-protocol-error.js'
import type { BrokerPool } from '../network/broker-pool.js'
import { initProducerId } from '../protocol/apis/init-producer-id/init-producer-id.js'
import { ErrorCodes, errorInfo } from '../protocol/error-codes.js'

/**
 * The idempotent producer's identity: producer id and epoch from InitProducerId. An epoch bump
 * (KIP-360) keeps the id and lets sequences restart at 0 after the broker lost track of them.
 */
export class ProducerIdentity {
  producerId = -1n
  producerEpoch = -1
  private readonly pool: BrokerPool
  private readonly transactionTimeoutMs: number
  private readonly retryBackoffMs: number

  constructor(pool: BrokerPool, options: { transactionTimeoutMs: number; retryBackoffMs: number }) {
    this.pool = pool
    this.transactionTimeoutMs = options.transactionTimeoutMs
    this.retryBackoffMs = options.retryBackoffMs
  }

  /** True once a producer id was obtained. */
  get initialized(): boolean {
    return this.producerId >= 0n
  }

  /**
   * Gets a producer id, or bumps the epoch of the current one when `bump` is set (falling back to
   * a new id where the broker does not support bumping). Retries retriable errors until `deadline`.
   */
  async init(deadline: number, bump = false): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let code: number
      let cause: unknown
      try {
        const connection = await this.pool.any()
        const canBump = bump && connection.version(initProducerId) >= 3
        const response = await connection.send(initProducerId, {
          transactionalId: null,
          transactionTimeoutMs: this.transactionTimeoutMs,
          producerId: canBump ? this.producerId : -1n,
          producerEpoch: canBump ? this.producerEpoch : -1,
        })
        code = response.errorCode
        if (code === ErrorCodes.NONE) {
          this.producerId = response.producerId
          this.producerEpoch = response.producerEpoch
          return
        }
      } catch (error) {
        cause = error
        code = -1
        if (!(error instanceof Error) || !('retriable' in error) || error.retriable !== true) throw error
      }
      if (code !== -1 && !errorInfo(code).retriable) throw new KafkaProtocolError(code, { api: 'InitProducerId' })
      if (Date.now() + this.retryBackoffMs > deadline) {
        if (cause !== undefined) throw cause
        throw new KafkaProtocolError(code, { api: 'InitProducerId' })
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.retryBackoffMs * 2 ** attempt, 1000)))
    }
  }
}
