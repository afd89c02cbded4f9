import { crc32c } from '../protocol/buffer/crc32c.js'
import { Reader } from '../protocol/buffer/reader.js'
import { Writer } from '../protocol/buffer/writer.js'
import {
  type EncodableBytes,
  type EncodableHeader,
  readRecord,
  recordSize,
  writeRecord,
} from '../protocol/records/record.js'
import {
  RECORD_BATCH_HEADER_SIZE,
  reserveRecordBatchHeader,
  sealRecordBatch,
} from '../protocol/records/record-batch.js'
import type { CompletionTarget } from './completion.js'
import type { RecordMetadata } from './types.js'

const PRODUCER_ID_AT = 43
const CRC_AT = 17
const ATTRIBUTES_AT = 21
const TRANSACTIONAL = 0x10

/** Sequence numbers on the wire are int32 and wrap to 0 after 2^31 - 1. */
export const SEQUENCE_MODULUS = 0x80000000

/**
 * A batch's reusable memory: the writer its records are encoded into and the arrays of their
 * completions, handed from a finished batch to the next so that neither grows again.
 */
export class BatchMemory {
  readonly writer: Writer
  readonly targets: CompletionTarget[] = []
  readonly indexes: number[] = []
  readonly timestamps: number[] = []
  /** Slots of the arrays used by the last batch. */
  used = 0

  constructor(writer: Writer) {
    this.writer = writer
  }

  /** Forgets the last batch: its targets are dropped, so that they do not keep its records' promises alive. */
  reset(): this {
    this.writer.reset()
    ;(this.targets as Array<CompletionTarget | undefined>).fill(undefined, 0, this.used)
    this.used = 0
    return this
  }
}

/**
 * Records of one partition, encoded into their batch buffer as they are appended, so sending is
 * handing over bytes. Completions are kept in parallel arrays and settled in one loop.
 *
 * Its life: open (records go in) → closed (full, or taken for sending) → sealed (compressed, header
 * and CRC written, a sequence assigned when idempotent) → in flight ⇄ queued for a retry → done
 * (every record settled, acknowledged or failed). An in-flight batch that expired is done but stays
 * in flight until its request ends, so that its bytes are not reused while a socket may hold them.
 */
export class ProducerBatch {
  readonly topic: string
  readonly partition: number
  readonly createdAt: number
  /** When the batch's records time out: its creation plus their delivery timeout. */
  readonly deadline: number
  /** The delivery timeout its records share. */
  readonly timeoutMs: number
  private memory: BatchMemory | null
  private writer: Writer | null
  private readonly start: number
  recordCount = 0
  private baseTimestamp = 0
  private maxTimestamp = 0
  private readonly targets: CompletionTarget[]
  private readonly indexes: number[]
  private readonly timestamps: number[]
  /** Bytes counted against the producer's buffer. */
  reservedBytes = 0
  /** No more records go in (full, or taken for sending). */
  closed = false
  /** The compressed records section, once compressed (compression happens once, retries reuse it). */
  compressed: Buffer | null = null
  /** The encoded batch once sealed. */
  bytes: Buffer | null = null
  /**
   * Sequence of the first record, not wrapped (the wire carries it modulo 2^31), or -1 before one
   * is assigned (or when the producer is not idempotent).
   */
  sequence = -1
  producerId = -1n
  producerEpoch = -1
  /** The sequence written in the sealed header (`sequence` may have been reassigned since). */
  sealedSequence = -1
  /** Produce requests that carried it. */
  attempts = 0
  /** The broker of the last request that carried it. */
  broker: { nodeId: number; host: string; port: number } | undefined = undefined
  /** Failed attempts that count against the `retries` option (not those of sequence recovery). */
  retriesUsed = 0
  /** Not sent again before this time (backoff after a retriable error). */
  retryAt = 0
  /** True once a request carrying this batch was handed to a socket: its outcome may be unknown. */
  sent = false
  /** In a Produce request that has not ended. */
  inFlight = false
  /** Set once every record was settled; a late response for the batch then only updates sequence state. */
  done = false
  /** The batch waits for metadata at least this new (after a leadership error or a lost connection). */
  metadataVersion = 0
  /** The last error a request for it ended with, for the TimeoutError when it expires. */
  lastError: Error | undefined

  constructor(topic: string, partition: number, now: number, deadline: number, timeoutMs: number, memory: BatchMemory) {
    this.topic = topic
    this.partition = partition
    this.createdAt = now
    this.deadline = deadline
    this.timeoutMs = timeoutMs
    this.memory = memory
    this.writer = memory.writer
    this.targets = memory.targets
    this.indexes = memory.indexes
    this.timestamps = memory.timestamps
    this.start = reserveRecordBatchHeader(memory.writer)
  }

  /** Encoded size so far (uncompressed), header included. */
  get sizeBytes(): number {
    return this.writer === null ? (this.bytes?.length ?? 0) : this.writer.offset - this.start
  }

  /** Sequence of the last record, not wrapped; -1 without a sequence. */
  get lastSequence(): number {
    return this.sequence < 0 ? -1 : this.sequence + this.recordCount - 1
  }

  /** Exact encoded size the record would take as this batch's next record. */
  sizeOfNext(
    timestamp: number,
    key: EncodableBytes,
    value: EncodableBytes,
    headers: readonly EncodableHeader[] | undefined,
  ): number {
    return recordSize(this.recordCount, this.recordCount === 0 ? 0 : this.deltaOf(timestamp), key, value, headers)
  }

  /** A timestamp relative to the batch's base: a number, or a bigint when the difference is past 2^53. */
  private deltaOf(timestamp: number): number | bigint {
    const delta = timestamp - this.baseTimestamp
    return Number.isSafeInteger(delta) ? delta : BigInt(timestamp) - BigInt(this.baseTimestamp)
  }

  /** Appends one record; returns its encoded size. */
  append(
    timestamp: number,
    key: EncodableBytes,
    value: EncodableBytes,
    headers: readonly EncodableHeader[] | undefined,
    target: CompletionTarget,
    index: number,
  ): number {
    if (this.recordCount === 0) {
      this.baseTimestamp = timestamp
      this.maxTimestamp = timestamp
    } else if (timestamp > this.maxTimestamp) {
      this.maxTimestamp = timestamp
    }
    const size = writeRecord(this.writer as Writer, this.recordCount, this.deltaOf(timestamp), key, value, headers)
    const n = this.recordCount++
    this.targets[n] = target
    this.indexes[n] = index
    this.timestamps[n] = timestamp
    ;(this.memory as BatchMemory).used = n + 1
    return size
  }

  /** The uncompressed records section (everything after the header). */
  records(): Buffer {
    const w = this.writer as Writer
    return w.buffer.subarray(this.start + RECORD_BATCH_HEADER_SIZE, w.offset)
  }

  /**
   * Fills in the header: producer fields, sequence (wrapped to int32), attributes and CRC. With
   * `compressed` set, the batch is the header followed by those bytes; otherwise `bytes` is a view
   * of the batch's writer, which stays with the batch until `releaseMemory`.
   */
  seal(
    compressionType: number,
    producerId: bigint,
    producerEpoch: number,
    sequence: number,
    transactional: boolean,
  ): void {
    this.producerId = producerId
    this.producerEpoch = producerEpoch
    this.sequence = sequence
    this.sealedSequence = sequence
    const fields = {
      baseOffset: 0n,
      partitionLeaderEpoch: -1,
      attributes: (this.compressed === null ? 0 : compressionType) | (transactional ? TRANSACTIONAL : 0),
      lastOffsetDelta: this.recordCount - 1,
      baseTimestamp: BigInt(this.baseTimestamp),
      maxTimestamp: BigInt(this.maxTimestamp),
      producerId,
      producerEpoch,
      baseSequence: sequence < 0 ? -1 : sequence % SEQUENCE_MODULUS,
      recordCount: this.recordCount,
    }
    const compressed = this.compressed
    if (compressed === null) {
      const w = this.writer as Writer
      sealRecordBatch(w, this.start, fields)
      this.bytes = w.buffer.subarray(this.start, w.offset)
      return
    }
    const out = new Writer(RECORD_BATCH_HEADER_SIZE + compressed.length)
    const start = reserveRecordBatchHeader(out)
    out.writeRaw(compressed)
    sealRecordBatch(out, start, fields)
    this.bytes = out.buffer.subarray(0, out.offset)
  }

  /** Rewrites producer id, epoch and sequence of a sealed batch (after an epoch bump). */
  resequence(producerId: bigint, producerEpoch: number, sequence: number): void {
    this.producerId = producerId
    this.producerEpoch = producerEpoch
    this.sequence = sequence
    const bytes = this.bytes
    if (bytes === null) return
    this.sealedSequence = sequence
    bytes.writeBigInt64BE(producerId, PRODUCER_ID_AT)
    bytes.writeInt16BE(producerEpoch, PRODUCER_ID_AT + 8)
    bytes.writeInt32BE(sequence % SEQUENCE_MODULUS, PRODUCER_ID_AT + 10)
    bytes.writeUInt32BE(crc32c(bytes, ATTRIBUTES_AT, bytes.length), CRC_AT)
  }

  /**
   * Splits the batch in two halves by record count, re-encoding the records into new batches from
   * `newWriter` (after the broker refused it as too large). The halves keep the records' targets,
   * timestamps and deadline, and the sequence range in order when the batch had one.
   */
  split(newMemory: () => BatchMemory): [ProducerBatch, ProducerBatch] {
    const r = new Reader(this.records())
    const half = Math.ceil(this.recordCount / 2)
    const halves: ProducerBatch[] = []
    for (const [from, to] of [
      [0, half],
      [half, this.recordCount],
    ] as const) {
      const b = new ProducerBatch(
        this.topic,
        this.partition,
        this.createdAt,
        this.deadline,
        this.timeoutMs,
        newMemory(),
      )
      for (let i = from; i < to; i++) {
        const record = readRecord(r)
        b.reservedBytes += b.append(
          this.timestamps[i] as number,
          record.key,
          record.value,
          record.headers,
          this.targets[i] as CompletionTarget,
          this.indexes[i] as number,
        )
      }
      b.closed = true
      b.attempts = this.attempts
      b.retriesUsed = this.retriesUsed
      b.sent = false
      b.metadataVersion = this.metadataVersion
      b.lastError = this.lastError
      b.sequence = this.sequence < 0 ? -1 : this.sequence + from
      halves.push(b)
    }
    return halves as [ProducerBatch, ProducerBatch]
  }

  /** Settles every record: offsets from `baseOffset` (or -1), timestamps as given or log append time. */
  complete(baseOffset: bigint, logAppendTime: bigint): void {
    // Without its memory (split, or released) its arrays may hold another batch's records.
    if (this.done || this.memory === null) return
    this.done = true
    const { topic, partition } = this
    const known = baseOffset >= 0n
    const appendTime = logAppendTime >= 0n
    // One bigint allocated per record, not three: the next offset by adding one, and the timestamp
    // shared with the record before when they are the same millisecond (bigints are immutable).
    let offset = known ? baseOffset : -1n
    let lastMs = Number.NaN
    let timestamp = logAppendTime
    for (let i = 0; i < this.recordCount; i++) {
      if (!appendTime) {
        const ms = this.timestamps[i] as number
        if (ms !== lastMs) {
          lastMs = ms
          timestamp = BigInt(ms)
        }
      }
      const meta: RecordMetadata = { topic, partition, offset, timestamp }
      if (known) offset += 1n
      ;(this.targets[i] as CompletionTarget).settle(this.indexes[i] as number, null, meta, this)
    }
  }

  /** Fails every record with `error`. */
  fail(error: Error): void {
    if (this.done || this.memory === null) return
    this.done = true
    for (let i = 0; i < this.recordCount; i++) {
      ;(this.targets[i] as CompletionTarget).settle(this.indexes[i] as number, error, null, this)
    }
  }

  /**
   * Hands the batch's memory back for reuse; the batch must be done with its bytes and its records
   * settled (or moved to other batches).
   */
  releaseMemory(): BatchMemory | null {
    const m = this.memory
    this.memory = null
    this.writer = null
    this.bytes = null
    this.compressed = null
    return m
  }
}
