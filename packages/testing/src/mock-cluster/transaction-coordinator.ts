import { ErrorCodes } from '@tributary/core/protocol'
import type { ClusterState } from './cluster-state.js'

type TransactionStatus = 'empty' | 'ongoing' | 'committed' | 'aborted'

/** One transactional id's state, as Kafka's transaction coordinator keeps it. */
interface TransactionState {
  producerId: bigint
  epoch: number
  status: TransactionStatus
  timeoutMs: number
  startedAt: number
  /** Partitions in the transaction, as `topic` and partition pairs. */
  partitions: Map<string, { topic: string; partition: number }>
  /** Offsets committed with the transaction, per group and `topic:partition`, applied when it commits. */
  offsets: Map<string, Map<string, PendingOffset>>
}

/** An offset of an open transaction (TxnOffsetCommit), visible once the transaction commits. */
export interface PendingOffset {
  topic: string
  partition: number
  offset: bigint
  leaderEpoch: number
  metadata: string | null
}

/** Result of a coordinator operation: an error code, and the producer identity for InitProducerId. */
export interface CoordinatorResult {
  errorCode: number
  producerId: bigint
  producerEpoch: number
}

const MAX_EPOCH = 32766

/**
 * The transaction coordinator: producer ids and epochs per transactional id (a new
 * InitProducerId fences the older epoch and aborts its open transaction), the partitions and
 * group offsets in each transaction, and commit/abort by writing markers into every partition.
 * Transactions open longer than their timeout are aborted (and their producer fenced).
 */
export class TransactionCoordinator {
  private readonly transactions = new Map<string, TransactionState>()
  private readonly state: ClusterState
  private readonly allocate: () => bigint

  constructor(state: ClusterState, allocateProducerId: () => bigint) {
    this.state = state
    this.allocate = allocateProducerId
  }

  /** InitProducerId for a transactional id: a fresh id, or the same id with a bumped epoch. */
  initProducerId(transactionalId: string, timeoutMs: number): CoordinatorResult {
    const existing = this.transactions.get(transactionalId)
    if (existing === undefined) {
      const fresh: TransactionState = {
        producerId: this.allocate(),
        epoch: 0,
        status: 'empty',
        timeoutMs,
        startedAt: 0,
        partitions: new Map(),
        offsets: new Map(),
      }
      this.transactions.set(transactionalId, fresh)
      return { errorCode: ErrorCodes.NONE, producerId: fresh.producerId, producerEpoch: 0 }
    }
    if (existing.status === 'ongoing') this.complete(existing, false, existing.epoch + 1)
    existing.epoch++
    if (existing.epoch > MAX_EPOCH) {
      existing.producerId = this.allocate()
      existing.epoch = 0
    }
    existing.timeoutMs = timeoutMs
    existing.status = 'empty'
    return { errorCode: ErrorCodes.NONE, producerId: existing.producerId, producerEpoch: existing.epoch }
  }

  /** Adds partitions to the ongoing transaction (starting it). */
  addPartitions(
    transactionalId: string,
    producerId: bigint,
    epoch: number,
    partitions: Array<{ topic: string; partition: number }>,
  ): Array<{ topic: string; partition: number; errorCode: number }> {
    const checked = this.check(transactionalId, producerId, epoch)
    if (typeof checked === 'number') return partitions.map((p) => ({ ...p, errorCode: checked }))
    const unknown = partitions.some((p) => this.state.partition(p.topic, p.partition) === undefined)
    if (unknown) {
      // Kafka fails the whole request: the unknown partitions with their error, the others as not attempted.
      return partitions.map((p) => ({
        ...p,
        errorCode:
          this.state.partition(p.topic, p.partition) === undefined
            ? ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION
            : ErrorCodes.OPERATION_NOT_ATTEMPTED,
      }))
    }
    this.begin(checked)
    for (const p of partitions) checked.partitions.set(`${p.topic}\u0000${p.partition}`, p)
    return partitions.map((p) => ({ ...p, errorCode: ErrorCodes.NONE }))
  }

  /** AddOffsetsToTxn: the group's offsets will be written with the transaction. */
  addOffsets(transactionalId: string, producerId: bigint, epoch: number, groupId: string): number {
    const checked = this.check(transactionalId, producerId, epoch)
    if (typeof checked === 'number') return checked
    this.begin(checked)
    if (!checked.offsets.has(groupId)) checked.offsets.set(groupId, new Map())
    return ErrorCodes.NONE
  }

  /** TxnOffsetCommit: offsets pending until the transaction commits. */
  commitOffsets(
    transactionalId: string,
    producerId: bigint,
    epoch: number,
    groupId: string,
    offsets: Array<{
      topic: string
      partition: number
      offset: bigint
      leaderEpoch?: number
      metadata?: string | null
    }>,
  ): number {
    const checked = this.check(transactionalId, producerId, epoch)
    if (typeof checked === 'number') return checked
    const pending = checked.offsets.get(groupId)
    if (pending === undefined || checked.status !== 'ongoing') return ErrorCodes.INVALID_TXN_STATE
    for (const o of offsets) {
      pending.set(`${o.topic}:${o.partition}`, {
        topic: o.topic,
        partition: o.partition,
        offset: o.offset,
        leaderEpoch: o.leaderEpoch ?? -1,
        metadata: o.metadata ?? null,
      })
    }
    return ErrorCodes.NONE
  }

  /** EndTxn: writes commit or abort markers into every partition of the transaction. */
  endTransaction(transactionalId: string, producerId: bigint, epoch: number, commit: boolean): number {
    const checked = this.check(transactionalId, producerId, epoch)
    if (typeof checked === 'number') return checked
    if (checked.status !== 'ongoing') {
      // A retried EndTxn of a transaction that already ended the same way succeeds, as in Kafka.
      if ((checked.status === 'committed' && commit) || (checked.status === 'aborted' && !commit))
        return ErrorCodes.NONE
      if (checked.status === 'empty' && !commit) return ErrorCodes.NONE
      return ErrorCodes.INVALID_TXN_STATE
    }
    this.complete(checked, commit, checked.epoch)
    return ErrorCodes.NONE
  }

  /** Whether an open transaction holds an offset for this group partition (OffsetFetch requireStable). */
  hasPendingOffset(groupId: string, topic: string, partition: number): boolean {
    for (const t of this.transactions.values()) {
      if (t.status !== 'ongoing') continue
      this.expire(t)
      if (t.status === 'ongoing' && t.offsets.get(groupId)?.has(`${topic}:${partition}`)) return true
    }
    return false
  }

  /** The state of a transactional id, for tests. */
  describe(transactionalId: string): { producerId: bigint; epoch: number; status: TransactionStatus } | undefined {
    const t = this.transactions.get(transactionalId)
    if (t !== undefined) this.expire(t)
    return t === undefined ? undefined : { producerId: t.producerId, epoch: t.epoch, status: t.status }
  }

  private check(transactionalId: string, producerId: bigint, epoch: number): TransactionState | number {
    const t = this.transactions.get(transactionalId)
    if (t === undefined) return ErrorCodes.INVALID_PRODUCER_ID_MAPPING
    this.expire(t)
    if (t.producerId !== producerId) return ErrorCodes.INVALID_PRODUCER_ID_MAPPING
    if (epoch < t.epoch) return ErrorCodes.PRODUCER_FENCED
    if (epoch > t.epoch) return ErrorCodes.INVALID_PRODUCER_EPOCH
    return t
  }

  private begin(t: TransactionState): void {
    if (t.status === 'ongoing') return
    t.status = 'ongoing'
    t.startedAt = Date.now()
    t.partitions.clear()
    t.offsets.clear()
  }

  /** Aborts a transaction open past its timeout, fencing its producer with a bumped epoch. */
  private expire(t: TransactionState): void {
    if (t.status !== 'ongoing' || Date.now() - t.startedAt < t.timeoutMs) return
    t.epoch++
    this.complete(t, false, t.epoch)
  }

  private complete(t: TransactionState, commit: boolean, markerEpoch: number): void {
    for (const { topic, partition } of t.partitions.values()) {
      const p = this.state.partition(topic, partition)
      p?.log.writeMarker(t.producerId, markerEpoch, commit, 0, p.leaderEpoch)
    }
    if (commit) {
      for (const [group, offsets] of t.offsets) {
        if (offsets.size > 0) this.state.groups.commitTransactionalOffsets(group, offsets.values())
      }
    }
    t.partitions.clear()
    t.offsets.clear()
    t.status = commit ? 'committed' : 'aborted'
  }
}
