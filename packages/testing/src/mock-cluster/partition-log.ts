import { Buffer } from 'node:buffer'
import {
  ErrorCodes,
  encodeControlRecordBatch,
  IS_CONTROL,
  IS_TRANSACTIONAL,
  type RecordBatchHeader,
  readRecordBatchHeader,
  setBaseOffset,
  setCreateTimeMaxTimestamp,
  setPartitionLeaderEpoch,
} from '@tributary/core/protocol'

/** A record batch as the producer sent it, with the offsets the log gave it. */
export interface StoredBatch {
  baseOffset: bigint
  lastOffset: bigint
  maxTimestamp: bigint
  header: RecordBatchHeader
  /** The batch bytes, base offset and leader epoch rewritten, everything else as sent. */
  bytes: Buffer
}

/** What an append answered: an error code, or the offsets the batch got. */
export interface AppendResult {
  errorCode: number
  baseOffset: bigint
  errorMessage?: string
}

interface CachedBatch {
  firstSeq: number
  lastSeq: number
  baseOffset: bigint
}

interface ProducerEntry {
  epoch: number
  /** The last five batches appended, newest last (Kafka keeps five for duplicate detection). */
  batches: CachedBatch[]
}

const MAX_CACHED_BATCHES = 5
const INT32_MAX = 0x7fffffff

/** A transaction that was aborted: its records are hidden from read_committed consumers. */
export interface AbortedTransaction {
  producerId: bigint
  firstOffset: bigint
  /** Offset of the abort marker. */
  lastOffset: bigint
}

/** One partition's log: batches stored as sent, offsets, and per-producer sequence state. */
export class PartitionLog {
  readonly batches: StoredBatch[] = []
  logStartOffset = 0n
  /** Offset the next record gets, which is also the high watermark (no replication lag here). */
  logEndOffset = 0n
  private readonly producers = new Map<bigint, ProducerEntry>()
  private waiters: Array<() => void> = []
  /** Open transactions: producer id to the first offset it wrote in the transaction. */
  private readonly openTransactions = new Map<bigint, bigint>()
  readonly abortedTransactions: AbortedTransaction[] = []

  /** The last stable offset: below it every transaction is decided. */
  get lastStableOffset(): bigint {
    let lso = this.logEndOffset
    for (const first of this.openTransactions.values()) if (first < lso) lso = first
    return lso
  }

  /**
   * Writes a transaction marker (a control batch) for a producer and closes its transaction here;
   * an abort is remembered so read_committed readers skip the transaction's records.
   */
  writeMarker(
    producerId: bigint,
    producerEpoch: number,
    commit: boolean,
    coordinatorEpoch: number,
    leaderEpoch: number,
  ): void {
    const bytes = encodeControlRecordBatch({
      type: commit ? 'commit' : 'abort',
      producerId,
      producerEpoch,
      coordinatorEpoch,
      baseOffset: this.logEndOffset,
      partitionLeaderEpoch: leaderEpoch,
    })
    const header = readRecordBatchHeader(bytes)
    const offset = this.logEndOffset
    this.batches.push({ baseOffset: offset, lastOffset: offset, maxTimestamp: header.maxTimestamp, header, bytes })
    this.logEndOffset = offset + 1n
    const entry = this.producers.get(producerId)
    if (entry !== undefined && producerEpoch > entry.epoch)
      this.producers.set(producerId, { epoch: producerEpoch, batches: [] })
    const first = this.openTransactions.get(producerId)
    this.openTransactions.delete(producerId)
    if (!commit && first !== undefined)
      this.abortedTransactions.push({ producerId, firstOffset: first, lastOffset: offset })
    this.notify()
  }

  /** True when a stored batch belongs to an aborted transaction or one still open. */
  isUncommitted(batch: StoredBatch): boolean {
    const h = batch.header
    if ((h.attributes & IS_TRANSACTIONAL) === 0) return false
    if (batch.baseOffset >= this.lastStableOffset) return true
    if ((h.attributes & IS_CONTROL) !== 0) return false
    return this.abortedTransactions.some(
      (t) => t.producerId === h.producerId && t.firstOffset <= batch.baseOffset && batch.baseOffset <= t.lastOffset,
    )
  }

  /**
   * Appends one validated batch, checking idempotent producers' sequences as Kafka does: a
   * duplicate of one of the last five batches answers the original offsets; a gap or a fresh
   * epoch not starting at 0 answers OUT_OF_ORDER_SEQUENCE_NUMBER; an older epoch is fenced.
   */
  append(header: RecordBatchHeader, bytes: Buffer, leaderEpoch: number, maxTimestamp?: bigint): AppendResult {
    const pid = header.producerId
    let entry: ProducerEntry | undefined
    if (pid >= 0n && header.baseSequence >= 0) {
      entry = this.producers.get(pid)
      const firstSeq = header.baseSequence
      const lastSeq = (firstSeq + header.lastOffsetDelta) % (INT32_MAX + 1)
      if (entry !== undefined) {
        if (header.producerEpoch < entry.epoch) {
          return {
            errorCode: ErrorCodes.INVALID_PRODUCER_EPOCH,
            baseOffset: -1n,
            errorMessage: `producer ${pid} epoch ${header.producerEpoch} is older than the current epoch ${entry.epoch}`,
          }
        }
        if (header.producerEpoch === entry.epoch) {
          const duplicate = entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq)
          if (duplicate !== undefined) return { errorCode: ErrorCodes.NONE, baseOffset: duplicate.baseOffset }
          const last = entry.batches[entry.batches.length - 1]
          const currentLastSeq = last === undefined ? -1 : last.lastSeq
          if (!inSequence(currentLastSeq, firstSeq)) {
            if (currentLastSeq >= 0 && lastSeq <= currentLastSeq && firstSeq <= currentLastSeq) {
              return {
                errorCode: ErrorCodes.DUPLICATE_SEQUENCE_NUMBER,
                baseOffset: -1n,
                errorMessage: `sequences ${firstSeq}..${lastSeq} of producer ${pid} were already written`,
              }
            }
            return {
              errorCode: ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER,
              baseOffset: -1n,
              errorMessage: `producer ${pid} sent sequence ${firstSeq}, expected ${currentLastSeq + 1}`,
            }
          }
        } else if (firstSeq !== 0) {
          return {
            errorCode: ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER,
            baseOffset: -1n,
            errorMessage: `producer ${pid} started epoch ${header.producerEpoch} at sequence ${firstSeq}, expected 0`,
          }
        }
      } else if (firstSeq !== 0) {
        return {
          errorCode: ErrorCodes.UNKNOWN_PRODUCER_ID,
          baseOffset: -1n,
          errorMessage: `no state for producer ${pid} on this partition and sequence ${firstSeq} is not 0`,
        }
      }
      if (entry === undefined || entry.epoch !== header.producerEpoch) {
        entry = { epoch: header.producerEpoch, batches: [] }
        this.producers.set(pid, entry)
      }
      entry.batches.push({ firstSeq, lastSeq, baseOffset: this.logEndOffset })
      if (entry.batches.length > MAX_CACHED_BATCHES) entry.batches.shift()
    }

    const baseOffset = this.logEndOffset
    // Copy so a small batch does not pin the socket chunk it arrived in.
    const stored = Buffer.from(bytes)
    setBaseOffset(stored, baseOffset)
    setPartitionLeaderEpoch(stored, leaderEpoch)
    // Kafka stores a CreateTime batch with the largest record timestamp as its maxTimestamp.
    if (maxTimestamp !== undefined && setCreateTimeMaxTimestamp(stored, maxTimestamp)) {
      header = readRecordBatchHeader(stored)
    }
    const lastOffset = baseOffset + BigInt(header.lastOffsetDelta)
    // A transactional batch without a producer id is stored but, as in Kafka, opens no transaction.
    if ((header.attributes & IS_TRANSACTIONAL) !== 0 && pid >= 0n && !this.openTransactions.has(pid)) {
      this.openTransactions.set(pid, baseOffset)
    }
    this.batches.push({ baseOffset, lastOffset, maxTimestamp: header.maxTimestamp, header, bytes: stored })
    this.logEndOffset = lastOffset + 1n
    this.notify()
    return { errorCode: ErrorCodes.NONE, baseOffset }
  }

  /** Highest epoch seen for a producer on this partition, if any. */
  producerEpoch(pid: bigint): number | undefined {
    return this.producers.get(pid)?.epoch
  }

  /**
   * Batches to serve a fetch from `offset`: starts at the batch holding it and adds whole batches
   * while under `maxBytes`, but always at least one (as Kafka does, so a big batch is not stuck),
   * and none at or past `upTo` (the last stable offset for read_committed).
   */
  read(offset: bigint, maxBytes: number, upTo: bigint = this.logEndOffset): StoredBatch[] {
    const out: StoredBatch[] = []
    let i = this.indexOf(offset)
    let size = 0
    while (i < this.batches.length) {
      const batch = this.batches[i++] as StoredBatch
      if (batch.baseOffset >= upTo) break
      if (out.length > 0 && size + batch.bytes.length > maxBytes) break
      out.push(batch)
      size += batch.bytes.length
    }
    return out
  }

  /** Aborted transactions that overlap offsets [from, to), for a read_committed fetch. */
  abortedBetween(from: bigint, to: bigint): AbortedTransaction[] {
    return this.abortedTransactions.filter((t) => t.lastOffset >= from && t.firstOffset < to)
  }

  /** Index of the first batch whose last offset is >= offset (binary search). */
  private indexOf(offset: bigint): number {
    let lo = 0
    let hi = this.batches.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.batches[mid] as StoredBatch).lastOffset < offset) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** First offset whose batch has a timestamp >= `timestamp`, or the log end if none. */
  offsetForTimestamp(timestamp: bigint): { offset: bigint; timestamp: bigint } {
    for (const batch of this.batches) {
      if (batch.maxTimestamp >= timestamp) return { offset: batch.baseOffset, timestamp: batch.maxTimestamp }
    }
    return { offset: -1n, timestamp: -1n }
  }

  /** The offset and timestamp of the batch with the largest timestamp. */
  maxTimestamp(): { offset: bigint; timestamp: bigint } {
    let best: StoredBatch | undefined
    for (const batch of this.batches) if (best === undefined || batch.maxTimestamp > best.maxTimestamp) best = batch
    return best === undefined
      ? { offset: -1n, timestamp: -1n }
      : { offset: best.lastOffset, timestamp: best.maxTimestamp }
  }

  /**
   * Calls `listener` once, at the next append; returns a function that cancels it. Fetches that
   * wait on several partitions subscribe to each and cancel the rest when one fires.
   */
  onAppend(listener: () => void): () => void {
    this.waiters.push(listener)
    return () => {
      const i = this.waiters.indexOf(listener)
      if (i >= 0) this.waiters.splice(i, 1)
    }
  }

  private notify(): void {
    if (this.waiters.length === 0) return
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX)
}
