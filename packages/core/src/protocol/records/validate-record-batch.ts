import type { Buffer } from 'node:buffer'
import { COMPRESSION_TYPE_MASK, type Codec, compressionTypeName } from '../../compression/codec.js'
import { gzip } from '../../compression/gzip.js'
import { crc32c } from '../buffer/crc32c.js'
import { Reader } from '../buffer/reader.js'
import { ErrorCodes } from '../error-codes.js'
import { readRecord } from './record.js'
import {
  IS_CONTROL,
  RECORD_BATCH_HEADER_SIZE,
  RECORD_BATCH_LOG_OVERHEAD,
  RECORD_BATCH_MAGIC,
  TIMESTAMP_TYPE_LOG_APPEND,
} from './record-batch.js'

// Validation of a record batch as a Kafka broker's log append does it (UnifiedLog's
// analyzeAndValidateRecords, then LogValidator, then DefaultRecordBatch/DefaultRecord reading each
// record), answering the error code Kafka answers. It walks the raw bytes once, with no object per
// record, so a broker that stores batches as sent can afford to check every record on append.

const BATCH_LENGTH_AT = 8
const MAGIC_AT = 16
const CRC_AT = 17
const ATTRIBUTES_AT = 21
const LAST_OFFSET_DELTA_AT = 23
const BASE_TIMESTAMP_AT = 27
const MAX_TIMESTAMP_AT = 35
const PRODUCER_ID_AT = 43
const BASE_SEQUENCE_AT = 53
const RECORD_COUNT_AT = 57
/** Bytes of a batch up to and including its magic byte. */
const HEADER_SIZE_UP_TO_MAGIC = MAGIC_AT + 1

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
/** Kafka's RecordBatch.NO_TIMESTAMP. */
const NO_TIMESTAMP = -1n

const BUILTIN_GZIP = gzip()

/** One record Kafka names in a Produce response's record_errors. */
export interface RecordBatchRecordError {
  batchIndex: number
  message: string
}

/** What `validateRecordBatch` concluded. */
export interface RecordBatchValidation {
  /** `ErrorCodes.NONE` when Kafka would append the batch, else the code it answers. */
  errorCode: number
  /** Why the batch was refused; null when it was not. */
  message: string | null
  /** The records at fault, for errors Kafka reports record by record (INVALID_TIMESTAMP). */
  recordErrors: readonly RecordBatchRecordError[]
  /**
   * The maxTimestamp Kafka stores for the batch on a CreateTime topic: the largest record
   * timestamp, and never below -1 (Kafka's LogValidator recomputes it, see `setCreateTimeMaxTimestamp`).
   * -1 when the batch is refused.
   */
  maxTimestamp: bigint
}

/** Options of `validateRecordBatch`. */
export interface ValidateRecordBatchOptions {
  /**
   * The codec for a compression type (1-4). gzip falls back to core's built-in one. Returning
   * undefined or throwing means the codec is not available: the batch is refused with
   * UNKNOWN_SERVER_ERROR (and the thrown message), as Kafka answers when a codec fails to load.
   */
  codecs?: ((type: number) => Codec | undefined) | undefined
  /** Largest batch, counting its 12-byte log overhead (Kafka's max.message.bytes). No limit when absent. */
  maxBatchBytes?: number | undefined
  /**
   * Apply the rules Kafka applies to appends from clients (AppendOrigin.CLIENT): base offset 0, no
   * control batches, a sequence for every producer id. Default true.
   */
  fromClient?: boolean | undefined
  /** Check the CRC. Default true. */
  verifyCrc?: boolean | undefined
}

const NO_RECORD_ERRORS: readonly RecordBatchRecordError[] = Object.freeze([])

function refuse(errorCode: number, message: string, recordErrors = NO_RECORD_ERRORS): RecordBatchValidation {
  return { errorCode, message, recordErrors, maxTimestamp: NO_TIMESTAMP }
}

/**
 * Validates one record batch as a Kafka 4 broker does before appending it from a Produce request,
 * in Kafka's order, and answers the error code Kafka answers:
 *
 * - magic 0 or 1: INVALID_RECORD; another magic, a batch shorter than its 61-byte header or whose
 *   batchLength disagrees with `batch.length`, or a CRC mismatch: CORRUPT_MESSAGE;
 * - from a client, a base offset other than 0: INVALID_RECORD;
 * - larger than `maxBatchBytes`: MESSAGE_TOO_LARGE;
 * - compression type 5-7, a codec that is not available, a payload that does not decompress:
 *   UNKNOWN_SERVER_ERROR (Kafka fails with an exception that is not an API error);
 * - lastOffsetDelta + 1 not positive, a record count not positive or unequal to lastOffsetDelta + 1,
 *   a control batch from a client, a producer id without a base sequence: INVALID_RECORD;
 * - fewer or more records than the count says, a record length out of bounds or not consumed
 *   exactly by its fields, a varint or varlong too long, a negative header count or header key
 *   length, more headers than bytes: INVALID_RECORD. Stricter than Kafka (which reads key, value
 *   and header value lengths below -1 as null, and keeps or rewrites offset deltas that do not
 *   count up from 0), lengths below -1 and offset deltas other than 0, 1, 2, ... are INVALID_RECORD
 *   too, so that every batch accepted here decodes;
 * - the LogAppendTime type with maxTimestamp -1: INVALID_TIMESTAMP, listing every record.
 *
 * With Kafka's default message.timestamp.before.max.ms and after.max.ms (Long.MAX_VALUE) no
 * timestamp is out of range, so timestamps are not checked further.
 */
export function validateRecordBatch(batch: Buffer, options: ValidateRecordBatchOptions = {}): RecordBatchValidation {
  const size = batch.length
  if (size < HEADER_SIZE_UP_TO_MAGIC) {
    return refuse(ErrorCodes.CORRUPT_MESSAGE, `record batch of ${size} byte(s) is shorter than its header`)
  }
  const batchLength = batch.readInt32BE(BATCH_LENGTH_AT)
  if (batchLength !== size - RECORD_BATCH_LOG_OVERHEAD) {
    return refuse(
      ErrorCodes.CORRUPT_MESSAGE,
      `record batch declares batchLength ${batchLength} but has ${size - RECORD_BATCH_LOG_OVERHEAD} byte(s) after it`,
    )
  }
  const magic = batch.readInt8(MAGIC_AT)
  if (magic !== RECORD_BATCH_MAGIC) {
    if (magic === 0 || magic === 1) {
      return refuse(ErrorCodes.INVALID_RECORD, `record batch has magic ${magic}; only magic 2 batches are accepted`)
    }
    return refuse(ErrorCodes.CORRUPT_MESSAGE, `invalid magic ${magic} in record batch`)
  }
  const fromClient = options.fromClient !== false
  if (fromClient && (batch.readInt32BE(0) !== 0 || batch.readInt32BE(4) !== 0)) {
    return refuse(
      ErrorCodes.INVALID_RECORD,
      `the base offset of a record batch from a client must be 0, got ${batch.readBigInt64BE(0)}`,
    )
  }
  if (options.maxBatchBytes !== undefined && size > options.maxBatchBytes) {
    return refuse(
      ErrorCodes.MESSAGE_TOO_LARGE,
      `record batch of ${size} bytes exceeds the maximum of ${options.maxBatchBytes} (max.message.bytes)`,
    )
  }
  if (size < RECORD_BATCH_HEADER_SIZE) {
    return refuse(
      ErrorCodes.CORRUPT_MESSAGE,
      `record batch of ${size} bytes is smaller than the minimum of ${RECORD_BATCH_HEADER_SIZE}`,
    )
  }
  if (options.verifyCrc !== false) {
    const stored = batch.readUInt32BE(CRC_AT)
    const computed = crc32c(batch, ATTRIBUTES_AT, size)
    if (stored !== computed) {
      return refuse(ErrorCodes.CORRUPT_MESSAGE, `record batch CRC ${stored} does not match its contents (${computed})`)
    }
  }
  const attributes = batch.readInt16BE(ATTRIBUTES_AT)
  const compression = attributes & COMPRESSION_TYPE_MASK
  if (compression > 4) {
    return refuse(ErrorCodes.UNKNOWN_SERVER_ERROR, `unknown compression type ${compression} in record batch attributes`)
  }
  const lastOffsetDelta = batch.readInt32BE(LAST_OFFSET_DELTA_AT)
  if (lastOffsetDelta < 0) {
    return refuse(
      ErrorCodes.INVALID_RECORD,
      `record batch has an invalid offset range: lastOffsetDelta ${lastOffsetDelta}`,
    )
  }
  const count = batch.readInt32BE(RECORD_COUNT_AT)
  if (count <= 0) return refuse(ErrorCodes.INVALID_RECORD, `invalid record count ${count} in record batch`)
  if (count !== lastOffsetDelta + 1) {
    return refuse(
      ErrorCodes.INVALID_RECORD,
      `record batch offset range [0, ${lastOffsetDelta}] does not match its record count ${count}`,
    )
  }
  if (fromClient && (attributes & IS_CONTROL) !== 0) {
    return refuse(ErrorCodes.INVALID_RECORD, 'clients may not write control batches')
  }
  if (fromClient && batch.readInt32BE(PRODUCER_ID_AT) >= 0 && batch.readInt32BE(BASE_SEQUENCE_AT) < 0) {
    return refuse(
      ErrorCodes.INVALID_RECORD,
      `invalid base sequence ${batch.readInt32BE(BASE_SEQUENCE_AT)} in a record batch with producer id ${batch.readBigInt64BE(PRODUCER_ID_AT)}`,
    )
  }

  let records = batch
  let start: number = RECORD_BATCH_HEADER_SIZE
  let end = size
  if (compression !== 0) {
    const name = compressionTypeName(compression)
    let codec: Codec | undefined
    try {
      codec = options.codecs?.(compression) ?? (compression === 1 ? BUILTIN_GZIP : undefined)
    } catch (error) {
      return refuse(ErrorCodes.UNKNOWN_SERVER_ERROR, error instanceof Error ? error.message : String(error))
    }
    if (codec === undefined) {
      return refuse(
        ErrorCodes.UNKNOWN_SERVER_ERROR,
        `no ${name} codec is available to read a record batch compressed with ${name} (compression type ${compression})`,
      )
    }
    try {
      records = codec.decompress(batch.subarray(RECORD_BATCH_HEADER_SIZE, size))
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return refuse(ErrorCodes.UNKNOWN_SERVER_ERROR, `failed to decompress a ${name} record batch: ${reason}`)
    }
    start = 0
    end = records.length
  }

  const fault = walkRecords(records, start, end, count)
  if (fault !== null) return refuse(ErrorCodes.INVALID_RECORD, fault)

  const logAppendTime = (attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0
  const headerMaxTimestamp = batch.readBigInt64BE(MAX_TIMESTAMP_AT)
  if (logAppendTime) {
    // Each record's timestamp is the batch's maxTimestamp; Kafka refuses a producer's LogAppendTime
    // batch only when that is -1 (otherwise it checks it as a create time, and stores it as one).
    if (headerMaxTimestamp === NO_TIMESTAMP) {
      const recordErrors: RecordBatchRecordError[] = []
      for (let i = 0; i < count; i++) {
        recordErrors.push({
          batchIndex: i,
          message: 'Invalid timestamp type: a producer must not set the timestamp type to LogAppendTime',
        })
      }
      return refuse(
        ErrorCodes.INVALID_TIMESTAMP,
        'One or more records have been rejected due to invalid timestamp',
        recordErrors,
      )
    }
    return {
      errorCode: ErrorCodes.NONE,
      message: null,
      recordErrors: NO_RECORD_ERRORS,
      maxTimestamp: headerMaxTimestamp > NO_TIMESTAMP ? headerMaxTimestamp : NO_TIMESTAMP,
    }
  }
  const baseTimestamp = batch.readBigInt64BE(BASE_TIMESTAMP_AT)
  let max: bigint
  const lowest = baseTimestamp + BigInt(minDelta)
  const highest = baseTimestamp + BigInt(maxDelta)
  if (!inexactDelta && lowest >= INT64_MIN && highest <= INT64_MAX) {
    max = highest
  } else {
    // A delta beyond 2^53 or a timestamp that wraps around int64: redo it exactly, as Kafka's long arithmetic.
    max = exactMaxTimestamp(records, start, end, count, baseTimestamp)
  }
  return {
    errorCode: ErrorCodes.NONE,
    message: null,
    recordErrors: NO_RECORD_ERRORS,
    maxTimestamp: max > NO_TIMESTAMP ? max : NO_TIMESTAMP,
  }
}

// State of the record walk, kept at module level so that reading a varint allocates nothing.
/** Read position. */
let at = 0
/** Set when a varint read failed: 1 truncated, 2 too long. */
let varintFault = 0
/** Smallest and largest timestamp delta of the batch walked last. */
let minDelta = 0
let maxDelta = 0
/** Whether a timestamp delta needed more than 53 bits, so minDelta/maxDelta are not exact. */
let inexactDelta = false

/** A zig-zag varint of at most five bytes whose value fits 32 bits; sets `varintFault` otherwise. */
function readVarint(buf: Buffer, end: number): number {
  let o = at
  if (o >= end) {
    varintFault = 1
    return 0
  }
  let b = buf[o++] as number
  if (b < 0x80) {
    at = o
    return (b >>> 1) ^ -(b & 1)
  }
  let result = b & 0x7f
  for (let shift = 7; ; shift += 7) {
    if (o >= end) {
      varintFault = 1
      return 0
    }
    b = buf[o++] as number
    if (shift === 28) {
      if (b > 0x0f) {
        varintFault = 2
        return 0
      }
      result |= b << 28
      break
    }
    result |= (b & 0x7f) << shift
    if (b < 0x80) break
  }
  at = o
  return (result >>> 1) ^ -(result & 1)
}

/**
 * A zig-zag varlong of at most ten bytes (as Kafka reads them: bits past 64 are dropped), as a
 * number; exact up to 2^53 in magnitude, beyond which it sets `inexactDelta`.
 */
function readVarlong(buf: Buffer, end: number): number {
  let o = at
  if (o >= end) {
    varintFault = 1
    return 0
  }
  let b = buf[o++] as number
  if (b < 0x80) {
    at = o
    return b & 1 ? -((b + 1) / 2) : b / 2
  }
  let result = b & 0x7f
  let scale = 128
  let bytes = 1
  for (;;) {
    if (o >= end) {
      varintFault = 1
      return 0
    }
    b = buf[o++] as number
    bytes++
    if (bytes > 10) {
      varintFault = 2
      return 0
    }
    result += (b & 0x7f) * scale
    if (b < 0x80) break
    scale *= 128
  }
  at = o
  if (bytes >= 8) inexactDelta = true
  // Zig-zag: an odd value is negative. Within 2^53 the arithmetic is exact.
  return result % 2 === 1 ? -((result + 1) / 2) : result / 2
}

function varintProblem(what: string, offset: number): string {
  return varintFault === 1
    ? `${what} at offset ${offset} runs past the end of the records`
    : `${what} at offset ${offset} is longer than its type allows`
}

/**
 * Walks `count` records in `buf[start, end)`, checking what Kafka's DefaultRecord.readFrom checks
 * (and the lengths and offset deltas described on `validateRecordBatch`). Returns why the records
 * are invalid, or null; leaves the range of timestamp deltas in minDelta/maxDelta.
 */
function walkRecords(buf: Buffer, start: number, end: number, count: number): string | null {
  let p = start
  varintFault = 0
  inexactDelta = false
  let lowest = 0
  let highest = 0
  // Single-byte varints (most lengths, deltas and counts) are read inline; longer ones by readVarint.
  let b = 0
  for (let i = 0; i < count; i++) {
    const recordAt = p
    if (recordAt >= end) {
      return `the batch declares ${count} record(s) but its records section ends after ${i} (premature EOF)`
    }
    let length: number
    b = buf[p] as number
    if (b < 0x80) {
      length = (b >>> 1) ^ -(b & 1)
      p++
    } else if (p + 1 < end && (buf[p + 1] as number) < 0x80) {
      const v = (b & 0x7f) | ((buf[p + 1] as number) << 7)
      length = (v >>> 1) ^ -(v & 1)
      p += 2
    } else {
      at = p
      length = readVarint(buf, end)
      p = at
      if (varintFault !== 0) return varintProblem(`the length of record ${i}`, recordAt)
    }
    const bodyStart = p
    if (length < 0 || length > end - bodyStart) {
      return `record ${i} at offset ${recordAt} declares ${length} byte(s) but ${end - bodyStart} remain`
    }
    const bodyEnd = bodyStart + length
    // The attributes byte (unused, any value), then at least the five one-byte fields that follow it.
    if (length < 6) return `record ${i} at offset ${recordAt} declares ${length} byte(s), fewer than its fields take`
    p = bodyStart + 1
    let delta: number
    b = buf[p] as number
    if (b < 0x80) {
      delta = (b >>> 1) ^ -(b & 1)
      p++
    } else {
      const fieldAt = p
      at = p
      delta = readVarlong(buf, bodyEnd)
      p = at
      if (varintFault !== 0) return varintProblem(`the timestamp delta of record ${i}`, fieldAt)
    }
    if (i === 0) {
      lowest = delta
      highest = delta
    } else if (delta > highest) highest = delta
    else if (delta < lowest) lowest = delta
    let offsetDelta: number
    b = buf[p] as number
    if (b < 0x80 && p < bodyEnd) {
      offsetDelta = (b >>> 1) ^ -(b & 1)
      p++
    } else {
      const offsetAt = p
      at = p
      offsetDelta = readVarint(buf, bodyEnd)
      p = at
      if (varintFault !== 0) return varintProblem(`the offset delta of record ${i}`, offsetAt)
    }
    if (offsetDelta !== i) return `record ${i} has offset delta ${offsetDelta}; offset deltas must count up from 0`
    {
      const keyAt = p
      let keyLength: number
      b = buf[p] as number
      if (b < 0x80 && p < bodyEnd) {
        keyLength = (b >>> 1) ^ -(b & 1)
        p++
      } else if (p + 1 < bodyEnd && (buf[p + 1] as number) < 0x80) {
        const v = (b & 0x7f) | ((buf[p + 1] as number) << 7)
        keyLength = (v >>> 1) ^ -(v & 1)
        p += 2
      } else {
        at = p
        keyLength = readVarint(buf, bodyEnd)
        p = at
        if (varintFault !== 0) return varintProblem(`the key length of record ${i}`, keyAt)
      }
      if (keyLength > 0) {
        if (keyLength > bodyEnd - p) {
          return `the key of record ${i} (${keyLength} bytes) runs past the end of the record`
        }
        p += keyLength
      } else if (keyLength < -1) {
        return `record ${i} has a key length of ${keyLength}; -1 (null) is the only negative length`
      }
    }
    {
      const valueAt = p
      let valueLength: number
      b = buf[p] as number
      if (b < 0x80 && p < bodyEnd) {
        valueLength = (b >>> 1) ^ -(b & 1)
        p++
      } else if (p + 1 < bodyEnd && (buf[p + 1] as number) < 0x80) {
        const v = (b & 0x7f) | ((buf[p + 1] as number) << 7)
        valueLength = (v >>> 1) ^ -(v & 1)
        p += 2
      } else {
        at = p
        valueLength = readVarint(buf, bodyEnd)
        p = at
        if (varintFault !== 0) return varintProblem(`the value length of record ${i}`, valueAt)
      }
      if (valueLength > 0) {
        if (valueLength > bodyEnd - p) {
          return `the value of record ${i} (${valueLength} bytes) runs past the end of the record`
        }
        p += valueLength
      } else if (valueLength < -1) {
        return `record ${i} has a value length of ${valueLength}; -1 (null) is the only negative length`
      }
    }
    const countAt = p
    let headers: number
    b = buf[p] as number
    if (b < 0x80 && p < bodyEnd) {
      headers = (b >>> 1) ^ -(b & 1)
      p++
    } else {
      at = p
      headers = readVarint(buf, bodyEnd)
      p = at
      if (varintFault !== 0) return varintProblem(`the header count of record ${i}`, countAt)
    }
    if (headers !== 0) {
      at = p
      const fault = walkHeaders(buf, bodyEnd, headers, i)
      p = at
      if (fault !== null) return fault
    }
    if (p !== bodyEnd) {
      return `record ${i} declares ${length} byte(s) but its fields take ${p - bodyStart}`
    }
  }
  if (p !== end) {
    return `the batch declares ${count} record(s) but ${end - p} byte(s) follow the last of them`
  }
  minDelta = lowest
  maxDelta = highest
  return null
}

/** Walks a record's headers from `at`; returns why they are invalid, or null. */
function walkHeaders(buf: Buffer, bodyEnd: number, headers: number, i: number): string | null {
  if (headers < 0) return `invalid number of record headers ${headers} in record ${i}`
  if (headers > bodyEnd - at) {
    return `record ${i} declares ${headers} header(s), more than the ${bodyEnd - at} byte(s) left in it`
  }
  for (let h = 0; h < headers; h++) {
    const keyAt = at
    const keyLength = readVarint(buf, bodyEnd)
    if (varintFault !== 0) return varintProblem(`the key length of header ${h} of record ${i}`, keyAt)
    if (keyLength < 0) return `invalid negative header key size ${keyLength} in header ${h} of record ${i}`
    if (keyLength > bodyEnd - at) return `the key of header ${h} of record ${i} runs past the end of the record`
    at += keyLength
    const valueAt = at
    const valueLength = readVarint(buf, bodyEnd)
    if (varintFault !== 0) return varintProblem(`the value length of header ${h} of record ${i}`, valueAt)
    if (valueLength < -1) {
      return `header ${h} of record ${i} has a value length of ${valueLength}; -1 (null) is the only negative length`
    }
    if (valueLength > bodyEnd - at) return `the value of header ${h} of record ${i} runs past the end of the record`
    if (valueLength > 0) at += valueLength
  }
  return null
}

/** The largest record timestamp with Kafka's wrapping int64 arithmetic; records already validated. */
function exactMaxTimestamp(buf: Buffer, start: number, end: number, count: number, base: bigint): bigint {
  const reader = new Reader(buf, start, end)
  let max = NO_TIMESTAMP
  for (let i = 0; i < count; i++) {
    const timestamp = BigInt.asIntN(64, base + readRecord(reader).timestampDelta)
    if (timestamp > max) max = timestamp
  }
  return max
}
