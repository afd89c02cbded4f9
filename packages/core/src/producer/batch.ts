import type { Codec } from '../compression/codec.js'
import { crc32c } from '../protocol/buffer/crc32c.js'
import { Writer } from '../protocol/buffer/writer.js'
import { type RecordHeader, writeRecord } from '../protocol/records/record.js'
import {
  RECORD_BATCH_HEADER_SIZE,
  reserveRecordBatchHeader,
  sealRecordBatch,
} from '../protocol/records/record-batch.js'
import type { RecordMetadata } from './types.js'

/** Receives the outcome of records; one target may own many records (a `sendBatch` call). */
export interface CompletionTarget {
  settle(index: number, error: Error | null, meta: RecordMetadata | null): void
}

const PRODUCER_ID_AT = 43
const CRC_AT = 17
const ATTRIBUTES_AT = 21

/**
 * Records of one partition, encoded into their batch buffer as they are appended, so sending is
 * handing over bytes. Completions are kept in parallel arrays and settled in one loop.
 */
export class ProducerBatch {
  readonly topic: string
  readonly partition: number
  readonly createdAt: number
  private writer: Writer | null
  private readonly start: number
  recordCount = 0
  private baseTimestamp = 0
  private maxTimestamp = 0
  /** When the batch's records time out: its creation plus their delivery timeout. */
  readonly deadline: number
  /** The delivery timeout its records share. */
  readonly timeoutMs: number
  /** Set once every record was settled; a late response for the batch is then ignored. */
  done = false
  /** Bytes counted against the producer's buffer. */
  reservedBytes = 0
  readonly targets: CompletionTarget[] = []
  readonly indexes: number[] = []
  readonly timestamps: number[] = []
  /** The encoded batch once sealed. */
  bytes: Buffer | null = null
  baseSequence = -1
  producerId = -1n
  producerEpoch = -1
  attempts = 0
  retryAt = 0
  /** True once a request carrying this batch was written to a socket. */
  sent = false
  /** No more records go in (full, or taken for sending). */
  closed = false
  /** The batch waits for metadata at least this new (after a leadership error or a lost connection). */
  metadataVersion = 0

  constructor(topic: string, partition: number, now: number, deadline: number, timeoutMs: number, writer: Writer) {
    this.topic = topic
    this.partition = partition
    this.createdAt = now
    this.deadline = deadline
    this.timeoutMs = timeoutMs
    this.writer = writer
    this.start = reserveRecordBatchHeader(writer)
  }

  /** Encoded size so far, header included. */
  get sizeBytes(): number {
    return (this.writer as Writer).offset - this.start
  }

  /** Appends one record; returns its encoded size. */
  append(
    timestamp: number,
    key: Buffer | null,
    value: Buffer | null,
    headers: readonly RecordHeader[] | undefined,
    target: CompletionTarget,
    index: number,
  ): number {
    if (this.recordCount === 0) {
      this.baseTimestamp = timestamp
      this.maxTimestamp = timestamp
    } else if (timestamp > this.maxTimestamp) {
      this.maxTimestamp = timestamp
    }
    const size = writeRecord(
      this.writer as Writer,
      this.recordCount,
      timestamp - this.baseTimestamp,
      key,
      value,
      headers,
    )
    this.recordCount++
    this.targets.push(target)
    this.indexes.push(index)
    this.timestamps.push(timestamp)
    return size
  }

  /**
   * Closes the batch: fills in the header with the producer fields and CRC, compressing the
   * records first when a codec is given. Uncompressed, `bytes` is a view of the batch's writer,
   * which stays with the batch until `releaseWriter`.
   */
  async seal(
    codec: Codec | null,
    producerId: bigint,
    producerEpoch: number,
    baseSequence: number,
    transactional: boolean,
  ): Promise<void> {
    this.producerId = producerId
    this.producerEpoch = producerEpoch
    this.baseSequence = baseSequence
    const fields = {
      baseOffset: 0n,
      partitionLeaderEpoch: -1,
      attributes: (codec === null ? 0 : codec.type) | (transactional ? 0x10 : 0),
      lastOffsetDelta: this.recordCount - 1,
      baseTimestamp: BigInt(this.baseTimestamp),
      maxTimestamp: BigInt(this.maxTimestamp),
      producerId,
      producerEpoch,
      baseSequence,
      recordCount: this.recordCount,
    }
    const w = this.writer as Writer
    if (codec === null) {
      sealRecordBatch(w, this.start, fields)
      this.bytes = w.buffer.subarray(this.start, w.offset)
      return
    }
    const compressed = await codec.compress(w.buffer.subarray(this.start + RECORD_BATCH_HEADER_SIZE, w.offset))
    const out = new Writer(RECORD_BATCH_HEADER_SIZE + compressed.length)
    const start = reserveRecordBatchHeader(out)
    out.writeRaw(compressed)
    sealRecordBatch(out, start, fields)
    this.bytes = out.buffer.subarray(0, out.offset)
  }

  /** Rewrites producer id, epoch and base sequence of a sealed batch (after an epoch bump). */
  resequence(producerId: bigint, producerEpoch: number, baseSequence: number): void {
    const bytes = this.bytes
    if (bytes === null) return
    this.producerId = producerId
    this.producerEpoch = producerEpoch
    this.baseSequence = baseSequence
    bytes.writeBigInt64BE(producerId, PRODUCER_ID_AT)
    bytes.writeInt16BE(producerEpoch, PRODUCER_ID_AT + 8)
    bytes.writeInt32BE(baseSequence, PRODUCER_ID_AT + 10)
    bytes.writeUInt32BE(crc32c(bytes, ATTRIBUTES_AT, bytes.length), CRC_AT)
  }

  /** Settles every record: offsets from `baseOffset` (or -1), timestamps as given or log append time. */
  complete(baseOffset: bigint, logAppendTime: bigint): void {
    if (this.done) return
    this.done = true
    const { topic, partition } = this
    for (let i = 0; i < this.recordCount; i++) {
      const meta: RecordMetadata = {
        topic,
        partition,
        offset: baseOffset < 0n ? -1n : baseOffset + BigInt(i),
        timestamp: logAppendTime >= 0n ? logAppendTime : BigInt(this.timestamps[i] as number),
      }
      ;(this.targets[i] as CompletionTarget).settle(this.indexes[i] as number, null, meta)
    }
  }

  /** Fails every record with `error`. */
  fail(error: Error): void {
    if (this.done) return
    this.done = true
    for (let i = 0; i < this.recordCount; i++) {
      ;(this.targets[i] as CompletionTarget).settle(this.indexes[i] as number, error, null)
    }
  }

  /** Hands the batch's writer back for reuse; the batch must be done with its bytes. */
  releaseWriter(): Writer | null {
    const w = this.writer
    this.writer = null
    this.bytes = null
    return w
  }
}
