import { type ProducerIdEvent, producerIdChannel } from '../diagnostics/channels.js'
import { KafkaProtocolError } from '../errors/kafka-protocol-error.js'
import { ProducerFencedError } from '../errors/producer-fenced-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { toError } from '../errors/to-error.js'
import { TransactionStateError } from '../errors/transaction-state-error.js'
import { TributaryError } from '../errors/tributary-error.js'
import type { BrokerConnection, BrokerPool } from '../network/broker-pool.js'
import { addOffsetsToTxn } from '../protocol/apis/add-offsets-to-txn/add-offsets-to-txn.js'
import { addPartitionsToTxn } from '../protocol/apis/add-partitions-to-txn/add-partitions-to-txn.js'
import { endTxn } from '../protocol/apis/end-txn/end-txn.js'
import { findCoordinator } from '../protocol/apis/find-coordinator/find-coordinator.js'
import { initProducerId } from '../protocol/apis/init-producer-id/init-producer-id.js'
import { txnOffsetCommit } from '../protocol/apis/txn-offset-commit/txn-offset-commit.js'
import { ErrorCodes, errorInfo } from '../protocol/error-codes.js'
import { backoffMs, sleep } from '../retry.js'
import type { ProducerIdentity } from '../sender/producer-id.js'

/** Offsets to commit with a transaction (consume-transform-produce): the next offset to read. */
export interface TransactionOffset {
  topic: string
  partition: number
  offset: bigint | number
  metadata?: string | null
}

/** The consumer group the offsets belong to: its id, or what the consumer reports of its membership. */
export type ConsumerGroupMetadata =
  | string
  | { groupId: string; generationId?: number; memberId?: string; groupInstanceId?: string | null }

type State = 'uninitialized' | 'ready' | 'in-transaction' | 'ending' | 'fatal'

/** Errors that mean the producer's epoch is stale: another instance took over. */
const FENCED = new Set<number>([ErrorCodes.PRODUCER_FENCED, ErrorCodes.INVALID_PRODUCER_EPOCH])

/** Coordinator errors that are retried after finding the coordinator again or waiting. */
const RETRY = new Set<number>([
  ErrorCodes.COORDINATOR_NOT_AVAILABLE,
  ErrorCodes.NOT_COORDINATOR,
  ErrorCodes.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCodes.CONCURRENT_TRANSACTIONS,
])

/** AddPartitionsToTxn v4+ is the brokers' batched form (KIP-890); clients use v3 and below. */
const CLIENT_ADD_PARTITIONS_MAX_VERSION = 3
/** EndTxn v5 is not stable yet in Kafka. */
const END_TXN_MAX_VERSION = 4

const KEY_GROUP = 0
const KEY_TRANSACTION = 1

/** Options of the transaction manager. */
export interface TransactionManagerOptions {
  /** Named in diagnostics events. */
  clientId?: string
  transactionalId: string
  transactionTimeoutMs: number
  retryBackoffMs: number
  retryBackoffMaxMs: number
  /** How long one coordinator operation may take, retries included. */
  operationTimeoutMs: number
}

/**
 * A transactional producer's side of Kafka transactions: the coordinator, InitProducerId with the
 * transactional id (which fences older instances), partitions added as they are first written,
 * offsets committed with the transaction, and EndTxn. Once fenced, everything fails fast.
 */
export class TransactionManager {
  private state: State = 'uninitialized'
  private fatalError: Error | undefined
  /** The first record failure of the open transaction: it can only be aborted. */
  private abortableError: Error | undefined
  private readonly added = new Set<string>()
  private readonly pending = new Map<string, { topic: string; partition: number }>()
  private adding = false
  private startedOnCoordinator = false
  private readonly coordinators = new Map<string, number>()
  private readonly pool: BrokerPool
  private readonly identity: ProducerIdentity
  private readonly options: TransactionManagerOptions
  /** Set when sequences cannot go on (out of order, unknown producer id, unknown outcomes): the abort bumps the epoch. */
  private epochBumpRequired = false
  /** Called when partitions were added, so the sender can send their batches. */
  onPartitionsAdded: () => void = () => {}
  /** True when the sender gave up batches whose outcome is unknown (the abort then bumps the epoch). */
  hasUnresolvedSequences: () => boolean = () => false
  /** Called after the epoch was bumped, so that every partition's sequences restart at 0. */
  onEpochBumped: () => void = () => {}

  constructor(pool: BrokerPool, identity: ProducerIdentity, options: TransactionManagerOptions) {
    this.pool = pool
    this.identity = identity
    this.options = options
  }

  get transactionalId(): string {
    return this.options.transactionalId
  }

  /** True between begin and the end of commit or abort. */
  get inTransaction(): boolean {
    return this.state === 'in-transaction'
  }

  /** The error that makes further sends impossible, if any. */
  get fatal(): Error | undefined {
    return this.fatalError
  }

  /** Why a send cannot go into the current transaction, or undefined when it can. */
  sendError(): Error | undefined {
    if (this.fatalError !== undefined) return this.fatalError
    if (this.state !== 'in-transaction') {
      return new TransactionStateError(
        `producer '${this.transactionalId}' is transactional: send inside a transaction (producer.transaction(fn), or beginTransaction() first)`,
      )
    }
    return undefined
  }

  /** Gets the producer id and epoch for the transactional id, fencing any older instance. */
  async init(): Promise<void> {
    if (this.state !== 'uninitialized') return
    await this.initProducerId(false)
    this.state = 'ready'
  }

  /**
   * InitProducerId for the transactional id. With `bump` (after an abort that left sequences
   * unusable, KIP-360), the current id and epoch are given so that the coordinator bumps the epoch
   * of this very producer; every partition's sequences then restart at 0.
   */
  private async initProducerId(bump: boolean): Promise<void> {
    const deadline = Date.now() + this.options.operationTimeoutMs
    const response = await this.coordinated('InitProducerId', KEY_TRANSACTION, this.transactionalId, deadline, (c) => {
      const canBump = bump && c.version(initProducerId) >= 3
      return c.send(initProducerId, {
        transactionalId: this.transactionalId,
        transactionTimeoutMs: this.options.transactionTimeoutMs,
        producerId: canBump ? this.identity.producerId : -1n,
        producerEpoch: canBump ? this.identity.producerEpoch : -1,
      })
    })
    this.identity.set(response.producerId, response.producerEpoch)
    this.epochBumpRequired = false
    if (producerIdChannel.hasSubscribers) {
      const event: ProducerIdEvent = {
        clientId: this.options.clientId ?? '',
        producerId: response.producerId,
        producerEpoch: response.producerEpoch,
        kind: bump ? 'bump' : 'init',
        reason: bump
          ? `the transaction was aborted with sequences that cannot go on (transactionalId '${this.transactionalId}')`
          : `InitProducerId for transactionalId '${this.transactionalId}'`,
      }
      producerIdChannel.publish(event)
    }
    if (bump) this.onEpochBumped()
  }

  /** The open transaction can no longer write in sequence: its abort must bump the epoch. */
  requireEpochBump(): void {
    this.epochBumpRequired = true
  }

  /** While the open transaction can only be aborted: why (its first record failure). */
  get abortError(): Error | undefined {
    return this.state === 'in-transaction' ? this.abortableError : undefined
  }

  /** Starts a transaction. */
  begin(): void {
    if (this.fatalError !== undefined) throw this.fatalError
    if (this.state === 'in-transaction' || this.state === 'ending') {
      throw new TransactionStateError('a transaction is already open: commit or abort it before beginning another')
    }
    if (this.state === 'uninitialized') {
      throw new TransactionStateError(
        'the producer is not initialized yet: await connect() (transaction() does it for you)',
      )
    }
    this.state = 'in-transaction'
    this.abortableError = undefined
    this.startedOnCoordinator = false
  }

  /** True when a partition was added to the open transaction; otherwise asks for it to be added. */
  isAdded(topic: string, partition: number): boolean {
    const key = `${topic}\u0000${partition}`
    if (this.added.has(key)) return true
    if (this.fatalError === undefined && !this.pending.has(key)) {
      this.pending.set(key, { topic, partition })
      if (!this.adding) void this.addPending()
    }
    return false
  }

  private async addPending(): Promise<void> {
    this.adding = true
    try {
      while (this.pending.size > 0 && this.fatalError === undefined) {
        const batch = [...this.pending.values()]
        const topics = new Map<string, number[]>()
        for (const p of batch) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p.partition])
        const deadline = Date.now() + this.options.operationTimeoutMs
        try {
          await this.coordinated('AddPartitionsToTxn', KEY_TRANSACTION, this.transactionalId, deadline, async (c) => {
            const response = await c.send(
              addPartitionsToTxn,
              {
                v3AndBelowTransactionalId: this.transactionalId,
                v3AndBelowProducerId: this.identity.producerId,
                v3AndBelowProducerEpoch: this.identity.producerEpoch,
                v3AndBelowTopics: [...topics].map(([name, partitions]) => ({ name, partitions })),
              },
              CLIENT_ADD_PARTITIONS_MAX_VERSION,
            )
            let errorCode: number = ErrorCodes.NONE
            for (const t of response.resultsByTopicV3AndBelow ?? []) {
              for (const p of t.resultsByPartition) {
                if (p.partitionErrorCode === ErrorCodes.NONE) {
                  const key = `${t.name}\u0000${p.partitionIndex}`
                  this.added.add(key)
                  this.pending.delete(key)
                } else if (p.partitionErrorCode !== ErrorCodes.OPERATION_NOT_ATTEMPTED) {
                  errorCode = p.partitionErrorCode
                }
              }
            }
            return { errorCode }
          })
          this.startedOnCoordinator = true
        } catch (error) {
          this.markAbortable(toError(error))
          this.pending.clear()
        }
        this.onPartitionsAdded()
      }
    } finally {
      this.adding = false
    }
  }

  /** Partitions that could not be added: their records fail with the transaction's error. */
  get addError(): Error | undefined {
    return this.fatalError ?? this.abortableError
  }

  /** A record of the open transaction failed: the transaction can only be aborted now. */
  markAbortable(error: Error): void {
    if (this.state === 'in-transaction') this.abortableError ??= error
  }

  /** A fencing error from any request: fatal. */
  fence(code: number, cause?: unknown): Error {
    this.fatalError ??= new ProducerFencedError(this.transactionalId, code, { cause })
    this.state = 'fatal'
    return this.fatalError
  }

  /** Commits offsets with the open transaction (consume-transform-produce). */
  async sendOffsets(offsets: readonly TransactionOffset[], group: ConsumerGroupMetadata): Promise<void> {
    const error = this.sendError()
    if (error !== undefined) throw error
    const meta = typeof group === 'string' ? { groupId: group } : group
    const deadline = Date.now() + this.options.operationTimeoutMs
    await this.coordinated('AddOffsetsToTxn', KEY_TRANSACTION, this.transactionalId, deadline, (c) =>
      c.send(addOffsetsToTxn, {
        transactionalId: this.transactionalId,
        producerId: this.identity.producerId,
        producerEpoch: this.identity.producerEpoch,
        groupId: meta.groupId,
      }),
    )
    this.startedOnCoordinator = true
    const topics = new Map<string, TransactionOffset[]>()
    for (const o of offsets) topics.set(o.topic, [...(topics.get(o.topic) ?? []), o])
    await this.coordinated('TxnOffsetCommit', KEY_GROUP, meta.groupId, deadline, async (c) => {
      const response = await c.send(txnOffsetCommit, {
        transactionalId: this.transactionalId,
        groupId: meta.groupId,
        producerId: this.identity.producerId,
        producerEpoch: this.identity.producerEpoch,
        generationId: meta.generationId ?? -1,
        memberId: meta.memberId ?? '',
        groupInstanceId: meta.groupInstanceId ?? null,
        topics: [...topics].map(([name, list]) => ({
          name,
          partitions: list.map((o) => ({
            partitionIndex: o.partition,
            committedOffset: BigInt(o.offset),
            committedLeaderEpoch: -1,
            committedMetadata: o.metadata ?? null,
          })),
        })),
      })
      const failed = response.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== ErrorCodes.NONE)
      return { errorCode: failed?.errorCode ?? ErrorCodes.NONE }
    })
  }

  /** Checks that a commit may go ahead; throws the first record failure otherwise. */
  checkCommittable(): void {
    if (this.fatalError !== undefined) throw this.fatalError
    if (this.state !== 'in-transaction')
      throw new TransactionStateError('commitTransaction() without an open transaction')
    if (this.abortableError !== undefined) {
      throw new TransactionStateError(
        `cannot commit: a record of this transaction failed (${this.abortableError.message}); abort the transaction`,
        { cause: this.abortableError },
      )
    }
  }

  /** Ends the open transaction on the coordinator (the caller flushed first). */
  async end(commit: boolean): Promise<void> {
    if (this.fatalError !== undefined) throw this.fatalError
    if (this.state !== 'in-transaction') {
      throw new TransactionStateError(
        `${commit ? 'commitTransaction' : 'abortTransaction'}() without an open transaction`,
      )
    }
    this.state = 'ending'
    try {
      if (this.startedOnCoordinator || this.added.size > 0) {
        const deadline = Date.now() + this.options.operationTimeoutMs
        await this.coordinated('EndTxn', KEY_TRANSACTION, this.transactionalId, deadline, (c) =>
          c.send(
            endTxn,
            {
              transactionalId: this.transactionalId,
              producerId: this.identity.producerId,
              producerEpoch: this.identity.producerEpoch,
              committed: commit,
            },
            END_TXN_MAX_VERSION,
          ),
        )
      }
      if (!commit && (this.epochBumpRequired || this.hasUnresolvedSequences())) await this.initProducerId(true)
      this.state = 'ready'
    } catch (error) {
      if (this.state === 'ending') this.state = 'in-transaction'
      throw error
    } finally {
      this.added.clear()
      this.pending.clear()
      if (this.state === 'ready') this.abortableError = undefined
    }
  }

  /**
   * Runs one coordinator request: finds the coordinator of `key`, sends, and retries coordinator
   * errors (finding it again where it moved) until `deadline`. Fencing errors are fatal.
   */
  private async coordinated<T extends { errorCode: number }>(
    api: string,
    keyType: number,
    key: string,
    deadline: number,
    call: (connection: BrokerConnection) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let code: number
      let cause: unknown
      try {
        const connection = await this.coordinator(keyType, key)
        const response = await call(connection)
        code = response.errorCode
        if (code === ErrorCodes.NONE) return response
      } catch (error) {
        if (TributaryError.isInstance(error) && !error.retriable) throw error
        cause = error
        code = -1
      }
      if (FENCED.has(code)) throw this.fence(code)
      if (code !== -1 && !RETRY.has(code) && !errorInfo(code).retriable) throw new KafkaProtocolError(code, { api })
      if (code === ErrorCodes.NOT_COORDINATOR || code === ErrorCodes.COORDINATOR_NOT_AVAILABLE || code === -1) {
        this.coordinators.delete(`${keyType}:${key}`)
      }
      const backoff = backoffMs(
        { initialMs: this.options.retryBackoffMs, maxMs: this.options.retryBackoffMaxMs },
        attempt,
      )
      if (Date.now() + backoff > deadline) {
        const last = cause instanceof Error ? cause.message : errorInfo(code).name
        throw new TimeoutError(
          `${api} for transactionalId '${this.transactionalId}' did not succeed in time; last error: ${last}`,
          {
            cause,
          },
        )
      }
      await sleep(backoff)
    }
  }

  private async coordinator(keyType: number, key: string): Promise<BrokerConnection> {
    const cached = this.coordinators.get(`${keyType}:${key}`)
    if (cached !== undefined) return this.pool.get(cached)
    const any = await this.pool.any()
    const response = await any.send(findCoordinator, { key, keyType, coordinatorKeys: [key] })
    const first = response.coordinators?.[0]
    const errorCode = first?.errorCode ?? response.errorCode ?? ErrorCodes.UNKNOWN_SERVER_ERROR
    const nodeId = first?.nodeId ?? response.nodeId ?? -1
    const host = first?.host ?? response.host ?? ''
    const port = first?.port ?? response.port ?? -1
    if (errorCode !== ErrorCodes.NONE || nodeId < 0) {
      throw new KafkaProtocolError(errorCode === ErrorCodes.NONE ? ErrorCodes.COORDINATOR_NOT_AVAILABLE : errorCode, {
        api: 'FindCoordinator',
      })
    }
    this.pool.setBrokers([{ nodeId, host, port }])
    this.coordinators.set(`${keyType}:${key}`, nodeId)
    return this.pool.get(nodeId)
  }
}
