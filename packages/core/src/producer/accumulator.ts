import { Writer } from '../protocol/buffer/writer.js'
import type { EncodableBytes, EncodableHeader } from '../protocol/records/record.js'
import { PartitionQueue } from '../sender/partition-queue.js'
import { BatchMemory, ProducerBatch } from './batch.js'
import type { CompletionTarget } from './completion.js'

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
  private readonly freeMemory: BatchMemory[] = []
  private spaceWaiters: Array<() => void> = []
  /** Bytes of records buffered and not yet acknowledged or failed. */
  bufferedBytes = 0
  /** Set when a record found no room, until a batch's memory is returned. */
  full = false

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
    if (this.bufferedBytes + bytes <= this.options.bufferBytes || this.bufferedBytes === 0) return true
    this.full = true
    return false
  }

  /** Resolves when buffer space was freed (check `hasRoom` again). */
  waitForRoom(): Promise<void> {
    return new Promise((resolve) => this.spaceWaiters.push(resolve))
  }

  /**
   * Appends a record to its partition's open batch, opening one when needed; `estimate` is its
   * size or more (a new batch is opened when it might not fit). Returns the batch a
   * record was appended to and whether an earlier batch was closed because it was full.
   */
  append(
    q: PartitionQueue,
    estimate: number,
    now: number,
    timestamp: number,
    key: EncodableBytes,
    value: EncodableBytes,
    headers: readonly EncodableHeader[] | undefined,
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
    // `estimate` may be an upper bound: the exact size decides before a batch is closed early.
    if (
      batch !== undefined &&
      batch.recordCount > 0 &&
      batch.sizeBytes + estimate > this.options.batchBytes &&
      batch.sizeBytes + batch.sizeOfNext(timestamp, key, value, headers) > this.options.batchBytes
    ) {
      batch.closed = true
      closedFull = batch
      batch = undefined
    }
    if (batch === undefined) {
      batch = new ProducerBatch(q.topic, q.partition, now, deadline, timeoutMs, this.takeMemory())
      q.batches.push(batch)
    }
    const size = batch.append(timestamp, key, value, headers, target, index)
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
    this.full = false
    const m = batch.releaseMemory()
    if (m !== null && this.freeMemory.length < 16 && m.writer.buffer.length <= this.options.batchBytes * 2) {
      this.freeMemory.push(m.reset())
    }
    if (this.spaceWaiters.length > 0) {
      const waiters = this.spaceWaiters
      this.spaceWaiters = []
      for (const wake of waiters) wake()
    }
  }

  /**
   * Splits a batch the broker refused as too large into two, in its place at the front of its
   * queue (sequence order kept); their bytes replace its bytes in the buffer count.
   */
  split(q: PartitionQueue, batch: ProducerBatch): [ProducerBatch, ProducerBatch] {
    const halves = batch.split(() => this.takeMemory())
    const [first, second] = halves
    this.bufferedBytes += first.reservedBytes + second.reservedBytes
    this.release(batch)
    q.requeue(second)
    q.requeue(first)
    return halves
  }

  private takeMemory(): BatchMemory {
    return this.freeMemory.pop() ?? new BatchMemory(new Writer(Math.min(this.options.batchBytes + 1024, 64 * 1024)))
  }

  /** Number of records buffered or in flight. */
  get isEmpty(): boolean {
    return this.bufferedBytes === 0
  }
}
