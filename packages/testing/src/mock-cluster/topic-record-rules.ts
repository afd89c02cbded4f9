import {
  type Codec,
  decodeRecordBatch,
  ErrorCodes,
  type RecordBatchRecordError,
  readRecordBatchHeader,
  recordTimestamp,
  TIMESTAMP_TYPE_LOG_APPEND,
} from '@tributary/core/protocol'
import type { TopicLogRules } from './config-store.js'

// The checks Kafka's LogValidator makes of each record against its topic's configuration, after
// core's validateRecordBatch checked the batch and record structure: a compacted topic refuses
// records without a key (validateKey); a CreateTime topic refuses timestamps outside
// message.timestamp.before.max.ms / after.max.ms of the broker's clock, and a LogAppendTime topic
// refuses batches that claim LogAppendTime themselves (validateTimestamp). The records at fault are
// listed, as Kafka lists them in record_errors (processRecordErrors).

const LONG_MAX = 2n ** 63n - 1n
const NO_TIMESTAMP = -1n

/** What the topic's rules found: nothing, or the error for the whole batch and the records at fault. */
export type TopicRecordCheck =
  | { errorCode: 0 }
  | { errorCode: number; message: string; recordErrors: RecordBatchRecordError[] }

/** Whether a batch needs its records looked at for these rules (most topics: no). */
function needsRecords(rules: TopicLogRules, attributes: number): boolean {
  if (rules.compact) return true
  if (rules.logAppendTime) return (attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0
  return rules.timestampBeforeMaxMs !== LONG_MAX || rules.timestampAfterMaxMs !== LONG_MAX
}

/**
 * Checks the records of one batch (already validated by validateRecordBatch) against the topic's
 * rules at broker time `now`, as LogValidator.validateRecord does: the key first, then the timestamp,
 * one error per record.
 */
export function checkTopicRecords(
  batch: Buffer,
  rules: TopicLogRules,
  topicPartition: string,
  now: bigint,
  codecs: (type: number) => Codec | undefined,
): TopicRecordCheck {
  const header = readRecordBatchHeader(batch)
  if (!needsRecords(rules, header.attributes)) return { errorCode: ErrorCodes.NONE }
  const { records } = decodeRecordBatch(batch, codecs)
  const batchLogAppendTime = (header.attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0
  const errors: Array<{ code: number; error: RecordBatchRecordError }> = []
  records.forEach((record, batchIndex) => {
    if (rules.compact && record.key === null) {
      errors.push({
        code: ErrorCodes.INVALID_RECORD,
        error: {
          batchIndex,
          message: `Compacted topic cannot accept message without key in topic partition ${topicPartition}`,
        },
      })
      return
    }
    const timestamp = recordTimestamp(header, record)
    if (!rules.logAppendTime && timestamp !== NO_TIMESTAMP) {
      const diff = BigInt.asIntN(64, now - timestamp)
      if (diff > rules.timestampBeforeMaxMs || -diff > rules.timestampAfterMaxMs) {
        const low = BigInt.asIntN(64, now - rules.timestampBeforeMaxMs)
        const high = BigInt.asIntN(64, now + rules.timestampAfterMaxMs)
        errors.push({
          code: ErrorCodes.INVALID_TIMESTAMP,
          error: {
            batchIndex,
            message: `Timestamp ${timestamp} of message with offset ${record.offsetDelta} is out of range. The timestamp should be within [${low}, ${high}]`,
          },
        })
      }
    } else if (batchLogAppendTime && rules.logAppendTime) {
      const keySize = record.key?.length ?? 0
      const valueSize = record.value?.length ?? 0
      errors.push({
        code: ErrorCodes.INVALID_TIMESTAMP,
        error: {
          batchIndex,
          message: `Invalid timestamp type in message DefaultRecord(offset=${record.offsetDelta}, timestamp=${timestamp}, key=${keySize} bytes, value=${valueSize} bytes). Producer should not set timestamp type to LogAppendTime.`,
        },
      })
    }
  })
  if (errors.length === 0) return { errorCode: ErrorCodes.NONE }
  const recordErrors = errors.map((e) => e.error)
  if (errors.some((e) => e.code === ErrorCodes.INVALID_TIMESTAMP)) {
    return {
      errorCode: ErrorCodes.INVALID_TIMESTAMP,
      message: 'One or more records have been rejected due to invalid timestamp',
      recordErrors,
    }
  }
  const shown = recordErrors
    .slice(0, 3)
    .map((e) => `RecordError(batchIndex=${e.batchIndex}, message='${e.message}')`)
    .join(', ')
  return {
    errorCode: ErrorCodes.INVALID_RECORD,
    message: `One or more records have been rejected due to ${recordErrors.length} record errors in total, and only showing the first three errors at most: [${shown}]`,
    recordErrors,
  }
}
