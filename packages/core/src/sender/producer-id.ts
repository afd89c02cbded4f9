import { KafkaProtocolError } from '../errors/kafka-protocol-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { toError } from '../errors/to-error.js'
import { TributaryError } from '../errors/tributary-error.js'
import type { BrokerPool } from '../network/broker-pool.js'
import { initProducerId } from '../protocol/apis/init-producer-id/init-producer-id.js'
import { ErrorCodes } from '../protocol/error-codes.js'
import { type BackoffPolicy, retryUntil } from '../retry.js'

/**
 * Where the producer id stands:
 * - `none`: no id yet, or it was given up (the epoch ran out, or the broker knows a newer epoch):
 *   the sender asks for one when a partition needs it.
 * - `initializing`: InitProducerId is under way.
 * - `ready`: partitions seal their batches with this id and epoch (or with the older one their
 *   sequences belong to, until they have nothing outstanding).
 */
export type ProducerIdState = 'none' | 'initializing' | 'ready'

/** The largest epoch; past it, a new producer id is needed. */
const MAX_EPOCH = 32_767

/** What the producer id needs besides the pool. */
export interface ProducerIdOptions {
  transactionTimeoutMs: number
  backoff: BackoffPolicy
}

/**
 * The idempotent producer's newest identity: the producer id and epoch from InitProducerId, and
 * the epoch bumps (KIP-360) that let a partition's sequences restart at 0. As in the Java client,
 * an idempotent (not transactional) producer bumps its epoch itself, without a request; a
 * transactional producer's id and epoch are set by the transaction manager.
 */
export class ProducerIdentity {
  producerId = -1n
  producerEpoch = -1
  private current: ProducerIdState = 'none'
  private initializing: Promise<void> | undefined
  /** Why the id was last not obtained, for the errors of records that waited for it. */
  lastError: Error | undefined
  private readonly pool: BrokerPool
  private readonly options: ProducerIdOptions

  constructor(pool: BrokerPool, options: ProducerIdOptions) {
    this.pool = pool
    this.options = options
  }

  get state(): ProducerIdState {
    return this.current
  }

  /** True while an id and epoch are there to seal batches with. */
  get initialized(): boolean {
    return this.producerId >= 0n
  }

  /** Sets an id and epoch obtained elsewhere (a transactional InitProducerId). */
  set(producerId: bigint, producerEpoch: number): void {
    this.producerId = producerId
    this.producerEpoch = producerEpoch
    this.current = 'ready'
    this.lastError = undefined
  }

  /**
   * Gets a producer id with InitProducerId (no transactional id), retrying retriable errors with
   * backoff until `deadline`. Concurrent callers share one attempt. On failure the state goes back
   * to `none`, so that the next caller tries again.
   */
  init(deadline: number): Promise<void> {
    if (this.initializing !== undefined) return this.initializing
    this.current = 'initializing'
    const attempt = retryUntil(
      async () => {
        const connection = await this.pool.any()
        const response = await connection.send(initProducerId, {
          transactionalId: null,
          transactionTimeoutMs: this.options.transactionTimeoutMs,
          producerId: -1n,
          producerEpoch: -1,
        })
        if (response.errorCode !== ErrorCodes.NONE) {
          throw new KafkaProtocolError(response.errorCode, { api: 'InitProducerId' })
        }
        if (response.producerId < 0n || response.producerEpoch < 0) {
          throw new KafkaProtocolError(ErrorCodes.UNKNOWN_SERVER_ERROR, {
            api: 'InitProducerId',
            brokerMessage: `the broker gave producer id ${response.producerId} and epoch ${response.producerEpoch}`,
          })
        }
        return response
      },
      {
        policy: this.options.backoff,
        deadline,
        retriable: (error) => TributaryError.isInstance(error) && error.retriable,
        onRetry: (error) => {
          this.lastError = toError(error)
        },
        timeout: (error) =>
          new TimeoutError(
            `could not get a producer id (InitProducerId) in time; last error: ${toError(error).message}`,
            { cause: error },
          ),
      },
    ).then(
      (response) => {
        this.initializing = undefined
        this.set(response.producerId, response.producerEpoch)
      },
      (error: unknown) => {
        this.initializing = undefined
        this.current = 'none'
        this.lastError = toError(error)
        throw error
      },
    )
    this.initializing = attempt
    return attempt
  }

  /**
   * Moves to a newer epoch, locally, as the Java idempotent producer does. With `newId` (the broker
   * knows a newer epoch than ours), or when the epoch is exhausted, the id is given up instead and
   * a new one is needed (state `none`).
   */
  bump(newId = false): void {
    if (!this.initialized) return
    if (newId || this.producerEpoch >= MAX_EPOCH) {
      this.producerId = -1n
      this.producerEpoch = -1
      this.current = 'none'
      return
    }
    this.producerEpoch++
  }
}
