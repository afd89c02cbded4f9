import { compressionOf, ErrorCodes, IS_TRANSACTIONAL, RECORD_BATCH_LOG_OVERHEAD } from '@tributary/core/protocol'

// What a Kafka broker checks in a Produce request's `records` fields before they reach the log:
// KafkaApis.handleProduceRequest, ProduceRequest.validateRecords and the batch iteration of
// ByteBufferLogInputStream. What the log then checks is core's `validateRecordBatch`.

/** Kafka's LegacyRecord.RECORD_OVERHEAD_V0: the smallest size field a batch may declare. */
const MIN_SIZE_FIELD = 14
/** Bytes up to and including the magic byte. */
const HEADER_SIZE_UP_TO_MAGIC = 17
const MAGIC_AT = 16
const ATTRIBUTES_AT = 21
const CURRENT_MAGIC = 2

/** A partition's records field: the one batch to append, or the error Kafka answers for it. */
export type FramedRecords = { errorCode: 0; batch: Buffer } | { errorCode: number; message: string }

/** The next batch of `records` from `offset`, as Kafka's ByteBufferLogInputStream.nextBatch finds it. */
type NextBatch = { end: number } | { corrupt: string } | undefined

function nextBatch(records: Buffer, offset: number): NextBatch {
  const remaining = records.length - offset
  if (remaining < RECORD_BATCH_LOG_OVERHEAD) return undefined
  const size = records.readInt32BE(offset + 8)
  if (size < MIN_SIZE_FIELD) {
    return { corrupt: `record batch size ${size} is less than the minimum record overhead (${MIN_SIZE_FIELD})` }
  }
  if (remaining < HEADER_SIZE_UP_TO_MAGIC) return undefined
  const magic = records.readInt8(offset + MAGIC_AT)
  if (magic < 0 || magic > CURRENT_MAGIC) return { corrupt: `invalid magic found in record batch: ${magic}` }
  // A batch cut off at the end is not a batch: Kafka stops there and drops the bytes.
  if (remaining < RECORD_BATCH_LOG_OVERHEAD + size) return undefined
  return { end: offset + RECORD_BATCH_LOG_OVERHEAD + size }
}

/** What the whole-request checks of a Produce request found. */
export interface ProduceRequestCheck {
  /** An error for every partition of the request (and a closed connection for acks=0), or 0. */
  errorCode: number
  message: string | null
}

/**
 * The checks Kafka makes on the whole Produce request before looking at any partition: it reads
 * the first batch of each partition to learn whether the request is transactional, which fails the
 * whole request with CORRUPT_MESSAGE when a batch's size or magic is invalid; then a transactional
 * batch in a request without a transactional id fails it with TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 */
export function checkProduceRequest(
  transactionalId: string | null | undefined,
  partitions: Iterable<Buffer | null>,
): ProduceRequestCheck {
  let transactional = false
  for (const records of partitions) {
    if (records === null) continue
    const first = nextBatch(records, 0)
    if (first === undefined) continue
    if ('corrupt' in first) return { errorCode: ErrorCodes.CORRUPT_MESSAGE, message: first.corrupt }
    if (
      records.readInt8(MAGIC_AT) === CURRENT_MAGIC &&
      first.end >= ATTRIBUTES_AT + 2 &&
      (records.readInt16BE(ATTRIBUTES_AT) & IS_TRANSACTIONAL) !== 0
    ) {
      // Kafka stops at the first transactional batch it finds.
      transactional = true
      break
    }
  }
  if (transactional && (transactionalId === null || transactionalId === undefined)) {
    return {
      errorCode: ErrorCodes.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      message: 'a Produce request with transactional record batches must carry a transactional id',
    }
  }
  return { errorCode: ErrorCodes.NONE, message: null }
}

/**
 * Finds the one record batch of a partition's records field as Kafka does for Produce v3 and
 * later: exactly one batch (a cut-off batch after it is ignored, as Kafka trims it), of magic 2,
 * and no zstd before Produce v7.
 */
export function frameProduceRecords(records: Buffer | null, version: number): FramedRecords {
  const first = records === null ? undefined : nextBatch(records, 0)
  if (records === null || first === undefined) {
    return {
      errorCode: ErrorCodes.INVALID_RECORD,
      message: `Produce requests with version ${version} must have at least one record batch per partition`,
    }
  }
  if ('corrupt' in first) return { errorCode: ErrorCodes.CORRUPT_MESSAGE, message: first.corrupt }
  const magic = records.readInt8(MAGIC_AT)
  if (magic !== CURRENT_MAGIC) {
    return {
      errorCode: ErrorCodes.INVALID_RECORD,
      message: `Produce requests with version ${version} are only allowed to contain record batches with magic version 2, got ${magic}`,
    }
  }
  if (version < 7 && first.end >= ATTRIBUTES_AT + 2 && compressionOf(records.readInt16BE(ATTRIBUTES_AT)) === 4) {
    return {
      errorCode: ErrorCodes.UNSUPPORTED_COMPRESSION_TYPE,
      message: `Produce requests with version ${version} are not allowed to use ZStandard compression`,
    }
  }
  const second = nextBatch(records, first.end)
  if (second !== undefined) {
    if ('corrupt' in second) return { errorCode: ErrorCodes.CORRUPT_MESSAGE, message: second.corrupt }
    return {
      errorCode: ErrorCodes.INVALID_RECORD,
      message: `Produce requests with version ${version} are only allowed to contain exactly one record batch per partition`,
    }
  }
  return { errorCode: ErrorCodes.NONE, batch: records.subarray(0, first.end) }
}
