import {
  ApiKeys,
  ErrorCodes,
  type ProduceRequest,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
  ProtocolError,
  splitRecordBatches,
  verifyRecordBatchCrc,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

/**
 * Answers Produce: checks leadership, batch framing and CRC, message size and idempotent
 * sequences, then appends the batches as sent and answers their base offsets. acks=0 gets no
 * response at all, as with Kafka.
 */
export function produceHandler(state: ClusterState): RequestHandler<ProduceRequest, ProduceResponse> {
  return {
    handle(context, _header, request) {
      const failures = state.failuresFor(ApiKeys.Produce, context.brokerId)
      const acksValid = request.acks === 0 || request.acks === 1 || request.acks === -1
      const responses = request.topicData.map((topicData) => ({
        name: topicData.name,
        partitionResponses: topicData.partitionData.map((data): ProduceResponsePartitionProduceResponse => {
          const fail = (errorCode: number, errorMessage: string | null = null) =>
            partitionResponse(data.index, errorCode, -1n, errorMessage)
          if (!acksValid) return fail(ErrorCodes.INVALID_REQUIRED_ACKS, `acks must be -1, 0 or 1, got ${request.acks}`)
          const partition = state.partition(topicData.name, data.index)
          if (partition === undefined) return fail(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)
          if (partition.leader !== context.brokerId) return fail(ErrorCodes.NOT_LEADER_OR_FOLLOWER)
          const injected = failures.partition(topicData.name, data.index)
          if (injected !== undefined) return fail(injected, 'injected by MockCluster.failNext')
          const records = data.records
          if (records === null || records.length === 0) return fail(ErrorCodes.CORRUPT_MESSAGE, 'no record batch')
          let batches: ReturnType<typeof splitRecordBatches>
          try {
            batches = splitRecordBatches(records)
          } catch (error) {
            if (!ProtocolError.isInstance(error)) throw error
            return fail(ErrorCodes.CORRUPT_MESSAGE, error.message)
          }
          if (batches.length !== 1) {
            return fail(
              ErrorCodes.INVALID_RECORD,
              `Produce requests with version 3 and later may contain exactly one record batch per partition, got ${batches.length}`,
            )
          }
          for (const batch of batches) {
            if (batch.bytes.length > state.config.maxMessageBytes) {
              return fail(
                ErrorCodes.MESSAGE_TOO_LARGE,
                `batch of ${batch.bytes.length} bytes exceeds max.message.bytes ${state.config.maxMessageBytes}`,
              )
            }
            if (!verifyRecordBatchCrc(batch.bytes, 0, batch.header)) {
              return fail(ErrorCodes.CORRUPT_MESSAGE, 'record batch CRC does not match its contents')
            }
          }
          let baseOffset = -1n
          for (let i = 0; i < batches.length; i++) {
            const batch = batches[i] as (typeof batches)[number]
            const result = partition.log.append(batch.header, batch.bytes, partition.leaderEpoch)
            if (result.errorCode !== ErrorCodes.NONE) return fail(result.errorCode, result.errorMessage ?? null)
            if (i === 0) baseOffset = result.baseOffset
          }
          return partitionResponse(data.index, ErrorCodes.NONE, baseOffset, null, partition.log.logStartOffset)
        }),
      }))
      failures.commit()
      if (request.acks === 0) return undefined
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
): ProduceResponsePartitionProduceResponse {
  return { index, errorCode, baseOffset, logAppendTimeMs: -1n, logStartOffset, recordErrors: [], errorMessage }
}
