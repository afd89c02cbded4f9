import {
  ApiKeys,
  ErrorCodes,
  type ProduceRequest,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
  ProtocolError,
  type RecordBatchRecordError,
  readRecordBatchHeader,
  validateRecordBatch,
} from '@tributary/core/protocol'
import type { ClusterState, TopicState } from '../cluster-state.js'
import { checkProduceRequest, frameProduceRecords } from '../produce-validation.js'
import { checkTopicRecords } from '../topic-record-rules.js'
import type { RequestHandler } from './handler.js'

/**
 * Answers Produce as a Kafka 4 broker does, in its order: the whole request (a corrupt batch size or
 * magic anywhere, transactional batches without a transactional id), then per partition: does it
 * exist, one magic-2 batch, acks, leadership, then the log's validation of the batch and every
 * record in it (`validateRecordBatch`: size, CRC, compression, offsets, count, record structure,
 * timestamps) and idempotent sequences. Only a batch that passes all of it is stored, as sent but
 * for the fields the broker owns (base offset, leader epoch, and maxTimestamp as Kafka recomputes
 * it). acks=0 gets no response at all, and an error closes the connection, as with Kafka.
 */
export function produceHandler(state: ClusterState): RequestHandler<ProduceRequest, ProduceResponse> {
  const codecs = (type: number) => state.codecFor(type)
  return {
    handle(context, header, request) {
      const version = header.apiVersion
      const whole = checkProduceRequest(
        request.transactionalId,
        request.topicData.flatMap((t) => t.partitionData.map((p) => p.records)),
      )
      const failures = state.failuresFor(ApiKeys.Produce, context.brokerId)
      const acksValid = request.acks === 0 || request.acks === 1 || request.acks === -1
      let failed: string | undefined
      const responses = request.topicData.map((topicData) => ({
        name: topicData.name,
        partitionResponses: topicData.partitionData.map((data): ProduceResponsePartitionProduceResponse => {
          const fail = (
            errorCode: number,
            errorMessage: string | null = null,
            recordErrors: readonly RecordBatchRecordError[] = [],
          ) => {
            failed ??= `${topicData.name}-${data.index}: error ${errorCode}${errorMessage === null ? '' : ` (${errorMessage})`}`
            return partitionResponse(data.index, errorCode, -1n, errorMessage, -1n, recordErrors)
          }
          if (whole.errorCode !== ErrorCodes.NONE) return fail(whole.errorCode, whole.message)
          const partition = state.partition(topicData.name, data.index)
          if (partition === undefined) return fail(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)
          const framed = frameProduceRecords(data.records, version)
          if (framed.errorCode !== ErrorCodes.NONE || !('batch' in framed)) {
            return fail(framed.errorCode, 'message' in framed ? framed.message : null)
          }
          if (!acksValid) return fail(ErrorCodes.INVALID_REQUIRED_ACKS, `acks must be -1, 0 or 1, got ${request.acks}`)
          if (partition.leader !== context.brokerId) return fail(ErrorCodes.NOT_LEADER_OR_FOLLOWER)
          const injected = failures.partition(topicData.name, data.index)
          if (injected !== undefined) return fail(injected, 'injected by MockCluster.failNext')
          // The topic's configs: max.message.bytes, message.timestamp.type and its bounds, cleanup.policy.
          const rules = state.configs.topicLogRules(state.topics.get(topicData.name) as TopicState, context.brokerId)
          const checked = validateRecordBatch(framed.batch, { maxBatchBytes: rules.maxMessageBytes, codecs })
          if (checked.errorCode !== ErrorCodes.NONE) {
            return fail(checked.errorCode, checked.message, checked.recordErrors)
          }
          const now = BigInt(Date.now())
          const byTopic = checkTopicRecords(framed.batch, rules, `${topicData.name}-${data.index}`, now, codecs)
          if ('message' in byTopic) return fail(byTopic.errorCode, byTopic.message, byTopic.recordErrors)
          const result = partition.log.append(
            readRecordBatchHeader(framed.batch),
            framed.batch,
            partition.leaderEpoch,
            checked.maxTimestamp,
            rules.logAppendTime ? now : undefined,
          )
          if (result.errorCode !== ErrorCodes.NONE) return fail(result.errorCode, result.errorMessage ?? null)
          return partitionResponse(
            data.index,
            ErrorCodes.NONE,
            result.baseOffset,
            null,
            partition.log.logStartOffset,
            [],
            result.logAppendTime ?? -1n,
          )
        }),
      }))
      failures.commit()
      if (request.acks === 0) {
        // No response is expected, so Kafka closes the connection to tell the producer something failed.
        if (failed !== undefined) throw new ProtocolError(`acks=0 Produce request failed: ${failed}`)
        return undefined
      }
      return { responses, throttleTimeMs: 0 }
    },
  }
}

function partitionResponse(
  index: number,
  errorCode: number,
  baseOffset: bigint,
  errorMessage: string | null,
  logStartOffset = -1n,
  recordErrors: readonly RecordBatchRecordError[] = [],
  logAppendTimeMs = -1n,
): ProduceResponsePartitionProduceResponse {
  return {
    index,
    errorCode,
    baseOffset,
    logAppendTimeMs,
    logStartOffset,
    recordErrors: recordErrors.map((e) => ({ batchIndex: e.batchIndex, batchIndexErrorMessage: e.message })),
    errorMessage,
  }
}
