import { ApiKeys, ErrorCodes, type ListOffsetsRequest, type ListOffsetsResponse } from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

const LATEST = -1n
const EARLIEST = -2n
const MAX_TIMESTAMP = -3n

/** Answers ListOffsets: latest (-1), earliest (-2), max timestamp (-3), or by timestamp. */
export function listOffsetsHandler(state: ClusterState): RequestHandler<ListOffsetsRequest, ListOffsetsResponse> {
  return {
    handle(context, header, request) {
      const failures = state.failuresFor(ApiKeys.ListOffsets, context.brokerId)
      const topics = request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          const partition = state.partition(t.name, p.partitionIndex)
          const answer = (errorCode: number, offset = -1n, timestamp = -1n) => ({
            partitionIndex: p.partitionIndex,
            errorCode,
            oldStyleOffsets: header.apiVersion === 0 && offset >= 0n ? [offset] : [],
            timestamp,
            offset,
            leaderEpoch: partition?.leaderEpoch ?? -1,
          })
          if (partition === undefined) return answer(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)
          if (partition.leader !== context.brokerId) return answer(ErrorCodes.NOT_LEADER_OR_FOLLOWER)
          const injected = failures.partition(t.name, p.partitionIndex)
          if (injected !== undefined) return answer(injected)
          const log = partition.log
          if (p.timestamp === LATEST) return answer(ErrorCodes.NONE, log.logEndOffset)
          if (p.timestamp === EARLIEST) return answer(ErrorCodes.NONE, log.logStartOffset)
          const found = p.timestamp === MAX_TIMESTAMP ? log.maxTimestamp() : log.offsetForTimestamp(p.timestamp)
          return answer(ErrorCodes.NONE, found.offset, found.timestamp)
        }),
      }))
      failures.commit()
      return { throttleTimeMs: 0, topics }
    },
  }
}
