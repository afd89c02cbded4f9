import { Writer } from '../protocol/buffer/writer.js'
import type { RecordHeader } from '../protocol/records/record.js'
import { type CompletionTarget, ProducerBatch } from './batch.js'

/** One partition's queue: batches waiting to be sent (oldest first) and idempotence state. */
export class PartitionQueue {
  readonly topic: string
  readonly partition: number
  /** Batches not in flight: requeued retries first (by sequence), then new ones; the last may be open. */
  readonly batches: ProducerBatch[] = []
  /** Batches of this partition in flight. */
  inflight = 0
  /** Sequence number the next new batch gets. */
  nextSequence = 0
  /** Last sequence number the broker acknowledged, -1 before any. */
  lastAckedSequence = -1

  constructor(topic: string, partition: number) {
    this.topic = topic
    this.partition = partition
  }

  /** The batch records are appended to, if one is open. */
  get open(): ProducerBatch | undefined {
    const last = this.batches[this.batches.length - 1]
    return last !== undefined && !last.closed ? last : undefined
  }

  /** Puts a batch that failed back, in sequence order ahead of batches never sent. */
  requeue(batch: ProducerBatch): void {
    if (batch.baseSequence < 0) {
      this.batches.unshift(batch)
      return
    }
    let i = 0
    while (i < this.batches.length) {
      const b = this.batches[i] as ProducerBatch
      if (b.bytes === null || b.baseSequence > batch.baseSequence) break
      i++
    }
    this.batches.splice(i, 0, batch)
  }
}

/** Options of the accumulator. */
export interface AccumulatorOptions {
  batchBytes: number
  bufferBytes: number
}

/**
 * Per-partition batches. Records are encoded into the open batch of their partition as they are
 * appended; the batch closes when the next record would not fit in `batchBytes`. Buffered bytes
 * are bounded by `bufferBytes`.
 */
export class RecordAccumulator {
  private readonly queues = new Map<string, PartitionQueue[]>()
  private readonly options: AccumulatorOptions
  private readonly freeWriters: Writer[] = []
  private spaceWaiters: Array<() => void> = []
  /** Bytes of records buffered and not yet acknowledged or failed. */
  bufferedBytes = 0

  constructor(options: AccumulatorOptions) {
    this.options = options
  }

  /** The queue of a partition, created on first use. */
  queue(topic: string, partition: number): PartitionQueue {
    let byPartition = this.queues.get(topic)
    if (byPartition === undefined) {
      byPartition = []
      this.queues.set(topic, byPartition)
    }
    let q = byPartition[partition]
    if (q === undefined) {
      q = new PartitionQueue(topic, partition)
      byPartition[partition] = q
    }
    return q
  }

  /** Every partition queue. */
  *all(): IterableIterator<PartitionQueue> {
    for (const byPartition of this.queues.values()) for (const q of byPartition) if (q !== undefined) yield q
  }

  /** True when `bytes` more fit in the buffer. */
  hasRoom(bytes: number): boolean {
    return this.bufferedBytes + bytes <= this.options.bufferBytes || this.bufferedBytes === 0
  }

  /** Resolves when buffer space was freed (check `hasRoom` again). */
  waitForRoom(): Promise<void> {
    return new Promise((resolve) => this.spaceWaiters.push(resolve))
  }

  /**
   * Appends a record to its partition's open batch, opening one when needed. Returns the batch a
   * record was appended to and whether an earlier batch was closed because it was full.
   */
  append(
    q: PartitionQueue,
    size: number,
    now: number,
    timestamp: number,
    key: Buffer | null,
    value: Buffer | null,
    headers: readonly RecordHeader[] | undefined,
    target: CompletionTarget,
    index: number,
    deadline: number,
    timeoutMs: number,
  ): { batch: ProducerBatch; closedFull: ProducerBatch | undefined } {
    let batch = q.open
    let closedFull: ProducerBatch | undefined
    // A batch shares one delivery timeout, so a record with another timeout starts a new batch.
    if (batch !== undefined && batch.recordCount > 0 && batch.timeoutMs !== timeoutMs) {
      batch.closed = true
      batch = undefined
    }
    if (batch !== undefined && batch.recordCount > 0 && batch.sizeBytes + size > this.options.batchBytes) {
      batch.closed = true
      closedFull = batch
      batch = undefined
    }
    if (batch === undefined) {
      batch = new ProducerBatch(q.topic, q.partition, now, deadline, timeoutMs, this.takeWriter())
      q.batches.push(batch)
    }
    batch.append(timestamp, key, value, headers, target, index)
    batch.reservedBytes += size
    this.bufferedBytes += size
    if (batch.sizeBytes >= this.options.batchBytes) {
      batch.closed = true
      closedFull ??= batch
    }
    return { batch, closedFull }
  }

  /** Returns a finished batch's memory: its buffer bytes and its writer. */
  release(batch: ProducerBatch): void {
    this.bufferedBytes -= batch.reservedBytes
    batch.reservedBytes = 0
    const w = batch.releaseWriter()
    if (w !== null && this.freeWriters.length < 16 && w.buffer.length <= this.options.batchBytes * 2) {
      this.freeWriters.push(w.reset())
    }
    if (this.spaceWaiters.length > 0) {
      const waiters = this.spaceWaiters
      this.spaceWaiters = []
      for (const wake of waiters) wake()
    }
  }

  private takeWriter(): Writer {
    return this.freeWriters.pop() ?? new Writer(Math.min(this.options.batchBytes + 1024, 64 * 1024))
  }

  /** Number of records buffered or in flight. */
  get isEmpty(): boolean {
    return this.bufferedBytes === 0
  }
}
