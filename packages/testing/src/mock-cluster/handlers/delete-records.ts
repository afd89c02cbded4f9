import {
  type DeleteRecordsRequest,
  type DeleteRecordsResponse,
  type DeleteRecordsResponseDeleteRecordsPartitionResult,
  ErrorCodes,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

/** DeleteRecordsRequest.HIGH_WATERMARK: delete everything below the high watermark. */
const HIGH_WATERMARK = -1n
/** Kafka's internal topics (Topic.isInternal), whose records cannot be deleted. */
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state'])

/**
 * Answers DeleteRecords as Kafka's leader does (KafkaApis.handleDeleteRecordsRequest,
 * ReplicaManager.deleteRecordsOnLocalLog, Partition.deleteRecordsOnLeader): an unknown partition
 * gets UNKNOWN_TOPIC_OR_PARTITION, an internal topic INVALID_TOPIC_EXCEPTION, a broker that does not
 * lead it NOT_LEADER_OR_FOLLOWER, a topic whose cleanup.policy lacks `delete` POLICY_VIOLATION, an
 * offset below 0 (but -1, the high watermark) or past the high watermark OFFSET_OUT_OF_RANGE.
 * Otherwise the log start offset moves up to the offset (never down) and the answer is the new low
 * watermark; fetches below it answer OFFSET_OUT_OF_RANGE and ListOffsets earliest answers it.
 */
export function deleteRecordsHandler(state: ClusterState): RequestHandler<DeleteRecordsRequest, DeleteRecordsResponse> {
  return {
    handle(context, _header, request) {
      const topics = request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p): DeleteRecordsResponseDeleteRecordsPartitionResult => {
          const answer = (errorCode: number, lowWatermark = -1n) => ({
            partitionIndex: p.partitionIndex,
            lowWatermark,
            errorCode,
          })
          const topic = state.topics.get(t.name)
          const partition = topic?.partitions[p.partitionIndex]
          if (topic === undefined || partition === undefined) return answer(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)
          if (INTERNAL_TOPICS.has(t.name)) return answer(ErrorCodes.INVALID_TOPIC_EXCEPTION)
          if (partition.leader !== context.brokerId) return answer(ErrorCodes.NOT_LEADER_OR_FOLLOWER)
          if (!state.configs.topicLogRules(topic, context.brokerId).delete) return answer(ErrorCodes.POLICY_VIOLATION)
          const log = partition.log
          const offset = p.offset === HIGH_WATERMARK ? log.logEndOffset : p.offset
          if (offset < 0n || offset > log.logEndOffset) return answer(ErrorCodes.OFFSET_OUT_OF_RANGE)
          log.advanceLogStartOffset(offset)
          return answer(ErrorCodes.NONE, log.logStartOffset)
        }),
      }))
      return { throttleTimeMs: 0, topics }
    },
  }
}
