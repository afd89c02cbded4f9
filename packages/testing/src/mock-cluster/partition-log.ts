import { Buffer } from 'node:buffer'
import {
  type Codec,
  compressionOf,
  decodeRecordBatch,
  ErrorCodes,
  encodeControlRecordBatch,
  HAS_DELETE_HORIZON,
  IS_CONTROL,
  IS_TRANSACTIONAL,
  type RecordBatchHeader,
  readRecordBatchHeader,
  recordTimestamp,
  setBaseOffset,
  setCreateTimeMaxTimestamp,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  TIMESTAMP_TYPE_LOG_APPEND,
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
  /**
   * The log append time of the batch when it was stamped with one (a LogAppendTime topic), also
   * for a duplicate of such a batch (the original's time, as Kafka answers from its producer state).
   */
  logAppendTime?: bigint
}

interface CachedBatch {
  firstSeq: number
  lastSeq: number
  baseOffset: bigint
  /** The log append time the batch was stamped with, or undefined on a CreateTime topic. */
  logAppendTime: bigint | undefined
}

/**
 * What a fetch reads from a partition, as Kafka's LogSegment.read slices it: bytes from the start
 * of the batch holding the fetch offset, at most the byte limit (the last batch may be cut off, as
 * Kafka sends it), or at least the first batch whole when `minOneMessage`.
 */
export interface FetchRead {
  /** The bytes to send; empty when nothing is readable or the first batch does not fit. */
  records: Buffer
  /** The first batch is larger than the limit and `minOneMessage` was off: Kafka sends nothing. */
  firstEntryIncomplete: boolean
  /** The base offset of the first batch not sent (or the log end): where aborted transactions are looked up to. */
  upperBoundOffset: bigint
}

/** A record found by a timestamp lookup (ListOffsets), with the leader epoch of its batch (-1 when unknown). */
export interface OffsetAndTimestamp {
  offset: bigint
  timestamp: bigint
  leaderEpoch: number
}

const EMPTY = Buffer.alloc(0)

interface ProducerEntry {
  epoch: number
  /** The last five batches appended, newest last (Kafka keeps five for duplicate detection). */
  batches: CachedBatch[]
}

const MAX_CACHED_BATCHES = 5
const INT32_MAX = 0x7fffffff
const ATTRIBUTES_AT = 21

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

  /**
   * The last stable offset: below it every transaction is decided. Never below the log start
   * offset (Kafka moves its first unstable offset up with the log start, maybeIncrementFirstUnstableOffset).
   */
  get lastStableOffset(): bigint {
    let lso = this.logEndOffset
    for (const first of this.openTransactions.values()) if (first < lso) lso = first
    if (lso < this.logStartOffset) return this.logStartOffset
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
  append(
    header: RecordBatchHeader,
    bytes: Buffer,
    leaderEpoch: number,
    maxTimestamp?: bigint,
    logAppendTime?: bigint,
  ): AppendResult {
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
          if (duplicate !== undefined) {
            const answer: AppendResult = { errorCode: ErrorCodes.NONE, baseOffset: duplicate.baseOffset }
            if (duplicate.logAppendTime !== undefined) answer.logAppendTime = duplicate.logAppendTime
            return answer
          }
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
      entry.batches.push({ firstSeq, lastSeq, baseOffset: this.logEndOffset, logAppendTime })
      if (entry.batches.length > MAX_CACHED_BATCHES) entry.batches.shift()
    }

    const baseOffset = this.logEndOffset
    // Copy so a small batch does not pin the socket chunk it arrived in.
    const stored = Buffer.from(bytes)
    setBaseOffset(stored, baseOffset)
    setPartitionLeaderEpoch(stored, leaderEpoch)
    if (logAppendTime !== undefined) {
      // A LogAppendTime topic: Kafka's LogValidator stamps the batch with the broker's clock and the
      // timestamp type bit, rebuilding the attributes from the bits it knows (DefaultRecordBatch.setMaxTimestamp).
      const kept = 0x07 | IS_TRANSACTIONAL | IS_CONTROL | HAS_DELETE_HORIZON
      stored.writeInt16BE(header.attributes & kept, ATTRIBUTES_AT)
      setLogAppendTime(stored, logAppendTime)
      header = readRecordBatchHeader(stored)
    } else if (maxTimestamp !== undefined && setCreateTimeMaxTimestamp(stored, maxTimestamp)) {
      // Kafka stores a CreateTime batch with the largest record timestamp as its maxTimestamp.
      header = readRecordBatchHeader(stored)
    } else {
      header = { ...header, baseOffset, partitionLeaderEpoch: leaderEpoch }
    }
    const lastOffset = baseOffset + BigInt(header.lastOffsetDelta)
    // A transactional batch without a producer id is stored but, as in Kafka, opens no transaction.
    if ((header.attributes & IS_TRANSACTIONAL) !== 0 && pid >= 0n && !this.openTransactions.has(pid)) {
      this.openTransactions.set(pid, baseOffset)
    }
    this.batches.push({ baseOffset, lastOffset, maxTimestamp: header.maxTimestamp, header, bytes: stored })
    this.logEndOffset = lastOffset + 1n
    this.notify()
    return logAppendTime === undefined
      ? { errorCode: ErrorCodes.NONE, baseOffset }
      : { errorCode: ErrorCodes.NONE, baseOffset, logAppendTime }
  }

  /** Highest epoch seen for a producer on this partition, if any. */
  producerEpoch(pid: bigint): number | undefined {
    return this.producers.get(pid)?.epoch
  }

  /**
   * Reads for a fetch from `offset` as Kafka's LocalLog/LogSegment.read does: from the start of the
   * batch holding the offset, up to `maxBytes` (the slice may end inside a batch, as Kafka's does),
   * never past the batch at or after `upTo` (the high watermark, or the last stable offset for
   * read_committed). With `minOneMessage` the first batch is read whole even when larger than
   * `maxBytes` (KIP-74); without it a first batch that does not fit is reported incomplete.
   * The caller checks that `offset` is within [logStartOffset, logEndOffset].
   */
  readForFetch(offset: bigint, maxBytes: number, upTo: bigint, minOneMessage: boolean): FetchRead {
    const none = (upperBoundOffset: bigint, firstEntryIncomplete = false): FetchRead => ({
      records: EMPTY,
      firstEntryIncomplete,
      upperBoundOffset,
    })
    if (offset >= upTo) return none(this.logEndOffset)
    const start = this.indexOf(offset)
    const first = this.batches[start]
    if (first === undefined || first.baseOffset >= upTo) return none(this.logEndOffset)
    const firstSize = first.bytes.length
    const adjustedMax = minOneMessage ? Math.max(maxBytes, firstSize) : maxBytes
    if (adjustedMax <= 0) return none(first.baseOffset)
    const parts: Buffer[] = []
    let total = 0
    let i = start
    while (i < this.batches.length && total < adjustedMax) {
      const batch = this.batches[i] as StoredBatch
      if (batch.baseOffset >= upTo) break
      parts.push(batch.bytes)
      total += batch.bytes.length
      i++
    }
    const size = Math.min(total, adjustedMax)
    const next = this.batches[i]
    const upperBoundOffset = next === undefined ? this.logEndOffset : next.baseOffset
    if (adjustedMax < firstSize) return none(upperBoundOffset, true)
    const records = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, total)
    return {
      records: size === records.length ? records : records.subarray(0, size),
      firstEntryIncomplete: false,
      upperBoundOffset,
    }
  }

  /** Aborted transactions that overlap offsets [from, to), for a read_committed fetch. */
  abortedBetween(from: bigint, to: bigint): AbortedTransaction[] {
    return this.abortedTransactions.filter((t) => t.lastOffset >= from && t.firstOffset < to)
  }

  /**
   * Moves the log start offset up to `offset` (DeleteRecords), dropping the batches wholly below
   * it, as Kafka deletes the segments below its log start offset. The caller checks `offset`
   * against the high watermark. Returns whether it moved.
   */
  advanceLogStartOffset(offset: bigint): boolean {
    if (offset <= this.logStartOffset) return false
    this.logStartOffset = offset
    let drop = 0
    while (drop < this.batches.length && (this.batches[drop] as StoredBatch).lastOffset < offset) drop++
    if (drop > 0) this.batches.splice(0, drop)
    let keep = 0
    for (const t of this.abortedTransactions) if (t.lastOffset >= offset) this.abortedTransactions[keep++] = t
    this.abortedTransactions.length = keep
    this.notify()
    return true
  }

  /**
   * The leader epoch of the batch holding `offset`, as Kafka's leader epoch cache answers for it;
   * `current` for an offset past the last batch (the log end, or an empty log).
   */
  epochAt(offset: bigint, current: number): number {
    const batch = this.batches[this.indexOf(offset)]
    if (batch === undefined || batch.baseOffset > offset) return current
    return batch.header.partitionLeaderEpoch
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

  /**
   * The first record whose timestamp is >= `timestamp`, at or after the log start offset, as
   * Kafka's FileRecords.searchForTimestamp finds it: the first batch whose maxTimestamp reaches it,
   * then the first record in it that does (every record of a LogAppendTime batch has the batch's
   * time). Undefined when no record does.
   */
  offsetForTimestamp(timestamp: bigint, codecs: (type: number) => Codec | undefined): OffsetAndTimestamp | undefined {
    for (const batch of this.batches) {
      if (batch.maxTimestamp < timestamp) continue
      const header = batch.header
      const epoch = header.partitionLeaderEpoch >= 0 ? header.partitionLeaderEpoch : -1
      if ((header.attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0) {
        let offset = batch.baseOffset
        if (offset < this.logStartOffset) offset = this.logStartOffset
        if (offset <= batch.lastOffset) return { offset, timestamp: batch.maxTimestamp, leaderEpoch: epoch }
        continue
      }
      for (const record of this.decode(batch, codecs)) {
        const offset = batch.baseOffset + BigInt(record.offsetDelta)
        const t = recordTimestamp(header, record)
        if (t >= timestamp && offset >= this.logStartOffset) return { offset, timestamp: t, leaderEpoch: epoch }
      }
    }
    return undefined
  }

  /**
   * The record with the largest timestamp (ListOffsets MAX_TIMESTAMP, KIP-734): the first batch
   * with the largest maxTimestamp, and in it the first record with that timestamp
   * (RecordBatch.offsetOfMaxTimestamp). Undefined for an empty log.
   */
  maxTimestampRecord(codecs: (type: number) => Codec | undefined): OffsetAndTimestamp | undefined {
    let best: StoredBatch | undefined
    for (const batch of this.batches) if (best === undefined || batch.maxTimestamp > best.maxTimestamp) best = batch
    if (best === undefined) return undefined
    const header = best.header
    const epoch = header.partitionLeaderEpoch >= 0 ? header.partitionLeaderEpoch : -1
    if ((header.attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0) {
      return { offset: best.baseOffset, timestamp: best.maxTimestamp, leaderEpoch: epoch }
    }
    for (const record of this.decode(best, codecs)) {
      if (recordTimestamp(header, record) === best.maxTimestamp) {
        return {
          offset: best.baseOffset + BigInt(record.offsetDelta),
          timestamp: best.maxTimestamp,
          leaderEpoch: epoch,
        }
      }
    }
    return undefined
  }

  private decode(batch: StoredBatch, codecs: (type: number) => Codec | undefined) {
    // gzip falls back to core's built-in codec; the others were loaded when the batch was validated.
    const type = compressionOf(batch.header.attributes)
    return decodeRecordBatch(batch.bytes, type === 0 ? undefined : codecs).records
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
