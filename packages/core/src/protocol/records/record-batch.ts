import { Buffer } from 'node:buffer'
import { COMPRESSION_TYPE_MASK, type Codec, compressionTypeName } from '../../compression/codec.js'
import { gzip } from '../../compression/gzip.js'
import { ProtocolError } from '../../errors/protocol-error.js'
import { TributaryError } from '../../errors/tributary-error.js'
import { crc32c } from '../buffer/crc32c.js'
import { Reader } from '../buffer/reader.js'
import { Writer } from '../buffer/writer.js'
import { type KafkaRecord, MIN_RECORD_SIZE, type RecordHeader, readRecord, recordSize, writeRecord } from './record.js'

/**
 * Record batch, magic 2 (Kafka 0.11 and later):
 *
 *   offset  field                 type
 *        0  baseOffset            int64
 *        8  batchLength           int32   bytes after this field, to the end of the batch
 *       12  partitionLeaderEpoch  int32   not covered by the CRC
 *       16  magic                 int8    2
 *       17  crc                   uint32  CRC-32C of everything from attributes to the end
 *       21  attributes            int16   bits 0-2 compression, 3 timestamp type, 4 transactional,
 *                                         5 control, 6 delete horizon
 *       23  lastOffsetDelta       int32
 *       27  baseTimestamp         int64
 *       35  maxTimestamp          int64
 *       43  producerId            int64
 *       51  producerEpoch         int16
 *       53  baseSequence          int32
 *       57  recordCount           int32
 *       61  records               [Record], compressed as one block when the attributes say so
 */

/** Size of the fixed part of a record batch, up to and including the record count. */
export const RECORD_BATCH_HEADER_SIZE = 61
/** The only record batch format supported. */
export const RECORD_BATCH_MAGIC = 2
/** Bytes before the part that `batchLength` counts: baseOffset (8) and batchLength (4). */
export const RECORD_BATCH_LOG_OVERHEAD = 12
/** The smallest valid `batchLength`: a header with no records. */
export const MIN_RECORD_BATCH_LENGTH = RECORD_BATCH_HEADER_SIZE - RECORD_BATCH_LOG_OVERHEAD

/** Attribute bit: timestamps are the broker's log append time (maxTimestamp), not create time. */
export const TIMESTAMP_TYPE_LOG_APPEND = 0x08
/** Attribute bit: the batch belongs to a transaction. */
export const IS_TRANSACTIONAL = 0x10
/** Attribute bit: the batch holds a control record (a transaction marker). */
export const IS_CONTROL = 0x20
/** Attribute bit: baseTimestamp is the delete horizon set by log compaction. */
export const HAS_DELETE_HORIZON = 0x40

const BATCH_LENGTH_AT = 8
const PARTITION_LEADER_EPOCH_AT = 12
const MAGIC_AT = 16
const CRC_AT = 17
const ATTRIBUTES_AT = 21
const LAST_OFFSET_DELTA_AT = 23
const BASE_TIMESTAMP_AT = 27
const MAX_TIMESTAMP_AT = 35
const PRODUCER_ID_AT = 43
const PRODUCER_EPOCH_AT = 51
const BASE_SEQUENCE_AT = 53
const RECORD_COUNT_AT = 57

const INT32_MIN = -0x80000000n
const INT32_MAX = 0x7fffffffn

const BUILTIN_GZIP = gzip()

/**
 * Writer varint methods reserve their widest form (10 bytes for a varlong) before writing, so a
 * writer sized to the exact byte count would double its buffer on the last record.
 */
const VARINT_SLACK = 10

/** The fixed fields of a record batch. */
export interface RecordBatchHeader {
  baseOffset: bigint
  batchLength: number
  partitionLeaderEpoch: number
  magic: number
  crc: number
  attributes: number
  lastOffsetDelta: number
  baseTimestamp: bigint
  maxTimestamp: bigint
  producerId: bigint
  producerEpoch: number
  baseSequence: number
  recordCount: number
}

/** The header fields a writer chooses; batchLength, magic and crc follow from the bytes. */
export type RecordBatchFields = Omit<RecordBatchHeader, 'batchLength' | 'magic' | 'crc'>

/** Compression type number (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd) of batch attributes. */
export function compressionOf(attributes: number): number {
  return attributes & COMPRESSION_TYPE_MASK
}

/**
 * Reads and validates the fixed part of the batch starting at `offset`: magic 2, a batchLength of
 * at least 49 that stays within `buf`, and a non-negative record count. Raises a ProtocolError
 * otherwise. Does not check the CRC (see `verifyRecordBatchCrc`).
 */
export function readRecordBatchHeader(buf: Buffer, offset = 0): RecordBatchHeader {
  const available = buf.length - offset
  if (offset < 0 || available < MAGIC_AT + 1) {
    throw new ProtocolError(
      `truncated record batch at offset ${offset}: ${Math.max(available, 0)} byte(s), at least ${MAGIC_AT + 1} are needed to read its length and magic`,
    )
  }
  const magic = buf.readInt8(offset + MAGIC_AT)
  if (magic !== RECORD_BATCH_MAGIC) {
    throw new ProtocolError(
      `unsupported record batch magic ${magic} at offset ${offset}: only magic ${RECORD_BATCH_MAGIC} (Kafka 0.11+) batches are supported`,
    )
  }
  const batchLength = buf.readInt32BE(offset + BATCH_LENGTH_AT)
  if (batchLength < MIN_RECORD_BATCH_LENGTH) {
    throw new ProtocolError(
      `record batch at offset ${offset} declares batchLength ${batchLength}, below the minimum of ${MIN_RECORD_BATCH_LENGTH}`,
    )
  }
  if (batchLength > available - RECORD_BATCH_LOG_OVERHEAD) {
    throw new ProtocolError(
      `record batch at offset ${offset} declares batchLength ${batchLength} but only ${available - RECORD_BATCH_LOG_OVERHEAD} byte(s) follow`,
    )
  }
  const recordCount = buf.readInt32BE(offset + RECORD_COUNT_AT)
  if (recordCount < 0) {
    throw new ProtocolError(`record batch at offset ${offset} declares a negative record count ${recordCount}`)
  }
  return {
    baseOffset: buf.readBigInt64BE(offset),
    batchLength,
    partitionLeaderEpoch: buf.readInt32BE(offset + PARTITION_LEADER_EPOCH_AT),
    magic,
    crc: buf.readUInt32BE(offset + CRC_AT),
    attributes: buf.readInt16BE(offset + ATTRIBUTES_AT),
    lastOffsetDelta: buf.readInt32BE(offset + LAST_OFFSET_DELTA_AT),
    baseTimestamp: buf.readBigInt64BE(offset + BASE_TIMESTAMP_AT),
    maxTimestamp: buf.readBigInt64BE(offset + MAX_TIMESTAMP_AT),
    producerId: buf.readBigInt64BE(offset + PRODUCER_ID_AT),
    producerEpoch: buf.readInt16BE(offset + PRODUCER_EPOCH_AT),
    baseSequence: buf.readInt32BE(offset + BASE_SEQUENCE_AT),
    recordCount,
  }
}

/**
 * Whether the batch's CRC-32C (over attributes to the end of the batch) matches its crc field.
 * `header` defaults to reading (and validating) the header at `offset`.
 */
export function verifyRecordBatchCrc(
  buf: Buffer,
  offset = 0,
  header: RecordBatchHeader = readRecordBatchHeader(buf, offset),
): boolean {
  const end = offset + RECORD_BATCH_LOG_OVERHEAD + header.batchLength
  if (offset < 0 || end > buf.length || header.batchLength < MIN_RECORD_BATCH_LENGTH) {
    throw new ProtocolError(
      `record batch at offset ${offset} with batchLength ${header.batchLength} runs past the buffer`,
    )
  }
  return crc32c(buf, offset + ATTRIBUTES_AT, end) === header.crc
}

/** Options of `splitRecordBatches`. */
export interface SplitRecordBatchesOptions {
  /**
   * Drop a last batch that is cut off instead of raising a ProtocolError. A Fetch response may end
   * with a partial batch when it reaches the requested byte limit.
   */
  allowPartialTail?: boolean | undefined
}

/** One batch found by `splitRecordBatches`: its header and a view of its bytes. */
export interface RecordBatchSlice {
  header: RecordBatchHeader
  bytes: Buffer
}

/**
 * Walks concatenated record batches (a Produce request's or a Fetch response's `records` field),
 * validating each header. The returned `bytes` are views into `records`, not copies.
 */
export function splitRecordBatches(records: Buffer, options: SplitRecordBatchesOptions = {}): RecordBatchSlice[] {
  const batches: RecordBatchSlice[] = []
  const allowPartialTail = options.allowPartialTail === true
  let offset = 0
  while (offset < records.length) {
    const remaining = records.length - offset
    if (allowPartialTail) {
      if (remaining < RECORD_BATCH_LOG_OVERHEAD) break
      const batchLength = records.readInt32BE(offset + BATCH_LENGTH_AT)
      if (batchLength > remaining - RECORD_BATCH_LOG_OVERHEAD) break
    }
    const header = readRecordBatchHeader(records, offset)
    const end = offset + RECORD_BATCH_LOG_OVERHEAD + header.batchLength
    batches.push({ header, bytes: records.subarray(offset, end) })
    offset = end
  }
  return batches
}

/**
 * Sets the base offset of the batch at `offset` in place. The field is outside the CRC, which is
 * why a broker assigns it without re-checksumming.
 */
export function setBaseOffset(batch: Buffer, baseOffset: bigint, offset = 0): void {
  batch.writeBigInt64BE(baseOffset, offset)
}

/** Sets the partition leader epoch of the batch at `offset` in place (outside the CRC). */
export function setPartitionLeaderEpoch(batch: Buffer, epoch: number, offset = 0): void {
  batch.writeInt32BE(epoch, offset + PARTITION_LEADER_EPOCH_AT)
}

/**
 * Marks the batch at `offset` as using log append time `timestamp`, as a broker does for a topic
 * with `message.timestamp.type=LogAppendTime`: sets the timestamp type bit and maxTimestamp, then
 * recomputes the CRC since both fields are covered by it.
 */
export function setLogAppendTime(batch: Buffer, timestamp: bigint, offset = 0): void {
  const header = readRecordBatchHeader(batch, offset)
  batch.writeInt16BE(header.attributes | TIMESTAMP_TYPE_LOG_APPEND, offset + ATTRIBUTES_AT)
  batch.writeBigInt64BE(timestamp, offset + MAX_TIMESTAMP_AT)
  const end = offset + RECORD_BATCH_LOG_OVERHEAD + header.batchLength
  batch.writeUInt32BE(crc32c(batch, offset + ATTRIBUTES_AT, end), offset + CRC_AT)
}

/**
 * Sets the batch at `offset` to the CreateTime timestamp type with `maxTimestamp`, as a Kafka
 * broker's log validator does to every batch it appends to a CreateTime topic (with the largest
 * record timestamp): when either changes, the attributes are rebuilt from the compression type and
 * the transactional, control and delete-horizon bits (others are dropped, as Kafka's
 * `DefaultRecordBatch.setMaxTimestamp` does), and the CRC recomputed. Returns whether it changed.
 */
export function setCreateTimeMaxTimestamp(batch: Buffer, maxTimestamp: bigint, offset = 0): boolean {
  const header = readRecordBatchHeader(batch, offset)
  if ((header.attributes & TIMESTAMP_TYPE_LOG_APPEND) === 0 && header.maxTimestamp === maxTimestamp) return false
  const kept = COMPRESSION_TYPE_MASK | IS_TRANSACTIONAL | IS_CONTROL | HAS_DELETE_HORIZON
  batch.writeInt16BE(header.attributes & kept, offset + ATTRIBUTES_AT)
  batch.writeBigInt64BE(maxTimestamp, offset + MAX_TIMESTAMP_AT)
  const end = offset + RECORD_BATCH_LOG_OVERHEAD + header.batchLength
  batch.writeUInt32BE(crc32c(batch, offset + ATTRIBUTES_AT, end), offset + CRC_AT)
  return true
}

/** One record to encode with `encodeRecordBatch`. */
export interface RecordInput {
  key?: Buffer | null | undefined
  value: Buffer | null
  headers?: readonly RecordHeader[] | undefined
  /** Create time in milliseconds; defaults to now. */
  timestamp?: bigint | undefined
  /** Defaults to the record's index in the batch. */
  offsetDelta?: number | undefined
  /** Record attributes (unused by Kafka); defaults to 0. */
  attributes?: number | undefined
}

/** Input of `encodeRecordBatch`. Defaults follow the Java producer. */
export interface RecordBatchInput {
  /** Defaults to 0; a broker assigns the real one. */
  baseOffset?: bigint | undefined
  /** Defaults to -1 (none). */
  partitionLeaderEpoch?: number | undefined
  /** Defaults to -1 (not idempotent). */
  producerId?: bigint | undefined
  /** Defaults to -1. */
  producerEpoch?: number | undefined
  /** Defaults to -1. */
  baseSequence?: number | undefined
  isTransactional?: boolean | undefined
  isControl?: boolean | undefined
  /** Defaults to 'create'. */
  timestampType?: 'create' | 'log-append' | undefined
  /** Compresses the records section; none when absent. */
  codec?: Codec | undefined
  /** Defaults to the first record's timestamp. */
  baseTimestamp?: bigint | undefined
  /** Defaults to the largest record timestamp. */
  maxTimestamp?: bigint | undefined
  records: readonly RecordInput[]
}

/** Reserves the fixed part of a record batch in `w`; returns its start for `sealRecordBatch`. */
export function reserveRecordBatchHeader(w: Writer): number {
  return w.reserve(RECORD_BATCH_HEADER_SIZE)
}

/**
 * Completes a batch whose header was reserved at `start` and whose records section has been
 * written after it, up to `w.offset`: fills every header field, batchLength and the CRC.
 */
export function sealRecordBatch(w: Writer, start: number, fields: RecordBatchFields): void {
  const buf = w.buffer
  buf.writeBigInt64BE(fields.baseOffset, start)
  buf.writeInt32BE(w.offset - start - RECORD_BATCH_LOG_OVERHEAD, start + BATCH_LENGTH_AT)
  buf.writeInt32BE(fields.partitionLeaderEpoch, start + PARTITION_LEADER_EPOCH_AT)
  buf.writeInt8(RECORD_BATCH_MAGIC, start + MAGIC_AT)
  buf.writeInt16BE(fields.attributes, start + ATTRIBUTES_AT)
  buf.writeInt32BE(fields.lastOffsetDelta, start + LAST_OFFSET_DELTA_AT)
  buf.writeBigInt64BE(fields.baseTimestamp, start + BASE_TIMESTAMP_AT)
  buf.writeBigInt64BE(fields.maxTimestamp, start + MAX_TIMESTAMP_AT)
  buf.writeBigInt64BE(fields.producerId, start + PRODUCER_ID_AT)
  buf.writeInt16BE(fields.producerEpoch, start + PRODUCER_EPOCH_AT)
  buf.writeInt32BE(fields.baseSequence, start + BASE_SEQUENCE_AT)
  buf.writeInt32BE(fields.recordCount, start + RECORD_COUNT_AT)
  w.fillUInt32(start + CRC_AT, crc32c(buf, start + ATTRIBUTES_AT, w.offset))
}

interface PreparedBatch {
  fields: RecordBatchFields
  deltas: Array<bigint | number>
  recordsBytes: number
}

function prepareBatch(input: RecordBatchInput): PreparedBatch {
  const records = input.records
  const count = records.length
  const now = BigInt(Date.now())
  const timestamps: bigint[] = new Array(count)
  let maxTimestamp: bigint | undefined
  for (let i = 0; i < count; i++) {
    const t = (records[i] as RecordInput).timestamp ?? now
    timestamps[i] = t
    if (maxTimestamp === undefined || t > maxTimestamp) maxTimestamp = t
  }
  const baseTimestamp = input.baseTimestamp ?? timestamps[0] ?? now
  const deltas: Array<bigint | number> = new Array(count)
  let recordsBytes = 0
  let lastOffsetDelta = count - 1
  for (let i = 0; i < count; i++) {
    const record = records[i] as RecordInput
    const d = (timestamps[i] as bigint) - baseTimestamp
    const delta = d >= INT32_MIN && d <= INT32_MAX ? Number(d) : d
    deltas[i] = delta
    const offsetDelta = record.offsetDelta ?? i
    lastOffsetDelta = offsetDelta
    recordsBytes += recordSize(offsetDelta, delta, record.key ?? null, record.value, record.headers)
  }
  let attributes = input.codec === undefined ? 0 : input.codec.type
  if (input.timestampType === 'log-append') attributes |= TIMESTAMP_TYPE_LOG_APPEND
  if (input.isTransactional === true) attributes |= IS_TRANSACTIONAL
  if (input.isControl === true) attributes |= IS_CONTROL
  return {
    fields: {
      baseOffset: input.baseOffset ?? 0n,
      partitionLeaderEpoch: input.partitionLeaderEpoch ?? -1,
      attributes,
      lastOffsetDelta: count === 0 ? 0 : lastOffsetDelta,
      baseTimestamp,
      maxTimestamp: input.maxTimestamp ?? maxTimestamp ?? baseTimestamp,
      producerId: input.producerId ?? -1n,
      producerEpoch: input.producerEpoch ?? -1,
      baseSequence: input.baseSequence ?? -1,
      recordCount: count,
    },
    deltas,
    recordsBytes,
  }
}

function writeRecords(w: Writer, input: RecordBatchInput, prepared: PreparedBatch): void {
  const records = input.records
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as RecordInput
    writeRecord(
      w,
      record.offsetDelta ?? i,
      prepared.deltas[i] as bigint | number,
      record.key ?? null,
      record.value,
      record.headers,
      record.attributes ?? 0,
    )
  }
}

function finishBatch(w: Writer, prepared: PreparedBatch): Buffer {
  sealRecordBatch(w, 0, prepared.fields)
  return w.buffer.subarray(0, w.offset)
}

/**
 * Encodes a record batch into one buffer allocated for it (the result views it and may be a few
 * bytes shorter). Asynchronous because a codec may compress off the main thread; without a codec,
 * `encodeRecordBatchSync` gives the same bytes.
 */
export async function encodeRecordBatch(input: RecordBatchInput): Promise<Buffer> {
  const codec = input.codec
  const prepared = prepareBatch(input)
  if (codec === undefined) return encodeUncompressed(input, prepared)
  const scratch = new Writer(prepared.recordsBytes + VARINT_SLACK)
  writeRecords(scratch, input, prepared)
  const compressed = await codec.compress(scratch.buffer.subarray(0, scratch.offset))
  const w = new Writer(RECORD_BATCH_HEADER_SIZE + compressed.length)
  reserveRecordBatchHeader(w)
  w.writeRaw(compressed)
  return finishBatch(w, prepared)
}

/**
 * Encodes an uncompressed record batch synchronously (for a compressed one, use
 * `encodeRecordBatch`: codecs may compress asynchronously).
 */
export function encodeRecordBatchSync(input: RecordBatchInput & { codec?: undefined }): Buffer {
  if (input.codec !== undefined) {
    throw new TributaryError('encodeRecordBatchSync cannot compress; use encodeRecordBatch with a codec')
  }
  return encodeUncompressed(input, prepareBatch(input))
}

function encodeUncompressed(input: RecordBatchInput, prepared: PreparedBatch): Buffer {
  const w = new Writer(RECORD_BATCH_HEADER_SIZE + prepared.recordsBytes + VARINT_SLACK)
  reserveRecordBatchHeader(w)
  writeRecords(w, input, prepared)
  return finishBatch(w, prepared)
}

/** A decoded record batch. */
export interface DecodedRecordBatch {
  header: RecordBatchHeader
  records: KafkaRecord[]
}

/**
 * Decodes the record batch at the start of `batch`, decompressing its records when the attributes
 * say so. gzip is built in; `codecs` supplies the others (and may replace gzip). Raises a
 * ProtocolError for malformed bytes or a compression type without a codec. The CRC is not checked
 * here; call `verifyRecordBatchCrc` where that matters.
 */
export function decodeRecordBatch(batch: Buffer, codecs?: (type: number) => Codec | undefined): DecodedRecordBatch {
  const header = readRecordBatchHeader(batch, 0)
  const end = RECORD_BATCH_LOG_OVERHEAD + header.batchLength
  const type = compressionOf(header.attributes)
  let reader: Reader
  if (type === 0 || end === RECORD_BATCH_HEADER_SIZE) {
    reader = new Reader(batch, RECORD_BATCH_HEADER_SIZE, end)
  } else {
    const codec = codecs?.(type) ?? (type === 1 ? BUILTIN_GZIP : undefined)
    if (codec === undefined) {
      if (type > 4) throw new ProtocolError(`record batch has an unknown compression type ${type} in its attributes`)
      const name = compressionTypeName(type)
      throw new ProtocolError(
        `record batch is compressed with ${name} (compression type ${type}) but no ${name} codec is available; pass one in codecs (see @tributary/compression)`,
      )
    }
    let data: Buffer
    try {
      data = codec.decompress(batch.subarray(RECORD_BATCH_HEADER_SIZE, end))
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new ProtocolError(`could not decompress a ${codec.name} record batch: ${reason}`, { cause: error })
    }
    reader = new Reader(data)
  }
  const count = header.recordCount
  if (count * MIN_RECORD_SIZE > reader.remaining) {
    throw new ProtocolError(
      `record batch declares ${count} record(s) but its records section has only ${reader.remaining} byte(s)`,
    )
  }
  const records: KafkaRecord[] = new Array(count)
  for (let i = 0; i < count; i++) records[i] = readRecord(reader)
  if (reader.remaining !== 0) {
    throw new ProtocolError(
      `record batch declares ${count} record(s) but ${reader.remaining} byte(s) follow the last of them`,
    )
  }
  return { header, records }
}

/** A record's timestamp: the batch's log append time, or baseTimestamp plus the record's delta. */
export function recordTimestamp(header: RecordBatchHeader, record: KafkaRecord): bigint {
  if ((header.attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0) return header.maxTimestamp
  // int64 arithmetic, wrapping as Kafka's does.
  return BigInt.asIntN(64, header.baseTimestamp + record.timestampDelta)
}

/** A record's offset: the batch's baseOffset plus the record's delta. */
export function recordOffset(header: RecordBatchHeader, record: KafkaRecord): bigint {
  return header.baseOffset + BigInt(record.offsetDelta)
}

/** Type of a control record: a transaction's abort or commit marker, or one this code does not know. */
export type ControlRecordType = 'abort' | 'commit' | 'unknown'

/** Input of `encodeControlRecordBatch`. */
export interface ControlRecordBatchInput {
  type: 'commit' | 'abort'
  producerId: bigint
  producerEpoch: number
  coordinatorEpoch: number
  /** Defaults to now. */
  timestamp?: bigint | undefined
  baseOffset?: bigint | undefined
  partitionLeaderEpoch?: number | undefined
}

/**
 * Encodes a transaction marker: a transactional control batch with one record whose key is
 * (version 0, type: 0 abort / 1 commit) and whose value is (version 0, coordinatorEpoch).
 */
export function encodeControlRecordBatch(input: ControlRecordBatchInput): Buffer {
  const key = Buffer.allocUnsafe(4)
  key.writeInt16BE(0, 0)
  key.writeInt16BE(input.type === 'commit' ? 1 : 0, 2)
  const value = Buffer.allocUnsafe(6)
  value.writeInt16BE(0, 0)
  value.writeInt32BE(input.coordinatorEpoch, 2)
  return encodeRecordBatchSync({
    baseOffset: input.baseOffset,
    partitionLeaderEpoch: input.partitionLeaderEpoch,
    producerId: input.producerId,
    producerEpoch: input.producerEpoch,
    baseSequence: -1,
    isTransactional: true,
    isControl: true,
    records: [{ key, value, timestamp: input.timestamp ?? BigInt(Date.now()) }],
  })
}

/** The type of a control record, from its key (int16 version, int16 type). */
export function readControlRecordType(record: KafkaRecord): ControlRecordType {
  const key = record.key
  if (key === null || key.length < 4) {
    throw new ProtocolError(`control record key must have at least 4 bytes, got ${key === null ? 'null' : key.length}`)
  }
  const version = key.readInt16BE(0)
  if (version < 0) throw new ProtocolError(`invalid control record key version ${version}`)
  const type = key.readInt16BE(2)
  if (type === 0) return 'abort'
  if (type === 1) return 'commit'
  return 'unknown'
}

/** Reads a transaction marker's type and coordinator epoch from a control record. */
export function readEndTransactionMarker(record: KafkaRecord): { type: 'abort' | 'commit'; coordinatorEpoch: number } {
  const type = readControlRecordType(record)
  if (type === 'unknown') throw new ProtocolError('control record is not a transaction marker')
  const value = record.value
  if (value === null || value.length < 6) {
    throw new ProtocolError(
      `transaction marker value must have at least 6 bytes, got ${value === null ? 'null' : value.length}`,
    )
  }
  const version = value.readInt16BE(0)
  if (version < 0) throw new ProtocolError(`invalid transaction marker version ${version}`)
  return { type, coordinatorEpoch: value.readInt32BE(2) }
}
