import {
  ApiKeys,
  ErrorCodes,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
  type ListOffsetsResponseListOffsetsPartitionResponse,
  type ListOffsetsResponseListOffsetsTopicResponse,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { OffsetAndTimestamp } from '../partition-log.js'
import type { RequestHandler } from './handler.js'

const LATEST = -1n
const EARLIEST = -2n
const MAX_TIMESTAMP = -3n
const EARLIEST_LOCAL = -4n
const LATEST_TIERED = -5n
/** The first version each special timestamp may be asked with (ReplicaManager.timestampMinSupportedVersion). */
const MIN_VERSION = new Map<bigint, number>([
  [EARLIEST, 1],
  [LATEST, 1],
  [MAX_TIMESTAMP, 7],
  [EARLIEST_LOCAL, 8],
  [LATEST_TIERED, 9],
])
/** ListOffsetsRequest.CONSUMER_REPLICA_ID and DEBUGGING_REPLICA_ID. */
const CONSUMER = -1
const DEBUGGING = -2

/**
 * Answers ListOffsets (v1+) as a Kafka 4 leader does (ReplicaManager.fetchOffset,
 * Partition.fetchOffsetForTimestamp, UnifiedLog.fetchOffsetByTimestamp):
 *
 * - latest (-1): the high watermark, or the last stable offset for read_committed, with the leader epoch;
 * - earliest (-2, and earliest-local -4 without tiered storage): the log start offset;
 * - max timestamp (-3, v7+): the first record with the largest timestamp;
 * - latest-tiered (-5, v9+): -1, as without tiered storage;
 * - a timestamp: the first record (not batch) at or after the log start whose timestamp is at
 *   least it, each record of a LogAppendTime batch having the batch's time; none (offset -1)
 *   when no record is, or when the one found is past the last fetchable offset;
 * - the leader epoch of the record's batch from v4; UNSUPPORTED_VERSION for a special timestamp
 *   older versions do not know; INVALID_REQUEST for a partition named twice; UNKNOWN_TOPIC_OR_PARTITION,
 *   FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH (the request's current leader epoch), NOT_LEADER_OR_FOLLOWER.
 */
export function listOffsetsHandler(state: ClusterState): RequestHandler<ListOffsetsRequest, ListOffsetsResponse> {
  const codecs = (type: number) => state.codecFor(type)
  return {
    handle(context, header, request) {
      const version = header.apiVersion
      const failures = state.failuresFor(ApiKeys.ListOffsets, context.brokerId)
      const counts = new Map<string, number>()
      for (const t of request.topics) {
        for (const p of t.partitions)
          counts.set(`${t.name}:${p.partitionIndex}`, (counts.get(`${t.name}:${p.partitionIndex}`) ?? 0) + 1)
      }
      const isClient = request.replicaId === CONSUMER
      const answered = new Set<string>()
      const byTopic = new Map<string, ListOffsetsResponseListOffsetsTopicResponse>()
      for (const t of request.topics) {
        for (const p of t.partitions) {
          const id = `${t.name}:${p.partitionIndex}`
          if (answered.has(id)) continue
          answered.add(id)
          const answer = (
            errorCode: number,
            found?: OffsetAndTimestamp,
          ): ListOffsetsResponseListOffsetsPartitionResponse => ({
            partitionIndex: p.partitionIndex,
            errorCode,
            oldStyleOffsets: [],
            timestamp: found?.timestamp ?? -1n,
            offset: found?.offset ?? -1n,
            leaderEpoch: found !== undefined && version >= 4 ? found.leaderEpoch : -1,
          })
          const respond = (r: ListOffsetsResponseListOffsetsPartitionResponse) => {
            let topic = byTopic.get(t.name)
            if (topic === undefined) {
              topic = { name: t.name, partitions: [] }
              byTopic.set(t.name, topic)
            }
            topic.partitions.push(r)
          }
          if ((counts.get(id) ?? 0) > 1) {
            respond(answer(ErrorCodes.INVALID_REQUEST))
            continue
          }
          const timestamp = p.timestamp
          if (timestamp < 0n && version < (MIN_VERSION.get(timestamp) ?? Number.POSITIVE_INFINITY)) {
            respond(answer(ErrorCodes.UNSUPPORTED_VERSION))
            continue
          }
          const partition = state.partition(t.name, p.partitionIndex)
          if (partition === undefined) {
            respond(answer(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION))
            continue
          }
          if (!partition.replicas.includes(context.brokerId) && partition.leader !== context.brokerId) {
            respond(answer(ErrorCodes.NOT_LEADER_OR_FOLLOWER))
            continue
          }
          const injected = failures.partition(t.name, p.partitionIndex)
          if (injected !== undefined) {
            respond(answer(injected))
            continue
          }
          const currentLeaderEpoch = p.currentLeaderEpoch ?? -1
          if (currentLeaderEpoch >= 0 && currentLeaderEpoch !== partition.leaderEpoch) {
            respond(
              answer(
                currentLeaderEpoch < partition.leaderEpoch
                  ? ErrorCodes.FENCED_LEADER_EPOCH
                  : ErrorCodes.UNKNOWN_LEADER_EPOCH,
              ),
            )
            continue
          }
          if (request.replicaId !== DEBUGGING && partition.leader !== context.brokerId) {
            respond(answer(ErrorCodes.NOT_LEADER_OR_FOLLOWER))
            continue
          }
          const log = partition.log
          // The high watermark is the log end here: every replica is always in sync.
          const lastFetchable = isClient && request.isolationLevel === 1 ? log.lastStableOffset : log.logEndOffset
          let found: OffsetAndTimestamp | undefined
          if (timestamp === LATEST) {
            found = { offset: lastFetchable, timestamp: -1n, leaderEpoch: partition.leaderEpoch }
          } else if (timestamp === EARLIEST || timestamp === EARLIEST_LOCAL) {
            const offset = log.logStartOffset
            found = { offset, timestamp: -1n, leaderEpoch: log.epochAt(offset, partition.leaderEpoch) }
          } else {
            if (timestamp === LATEST_TIERED) found = { offset: -1n, timestamp: -1n, leaderEpoch: -1 }
            else if (timestamp === MAX_TIMESTAMP) found = log.maxTimestampRecord(codecs)
            else found = log.offsetForTimestamp(timestamp, codecs)
            if (found !== undefined && found.offset >= lastFetchable) found = undefined
          }
          respond(answer(ErrorCodes.NONE, found))
        }
      }
      failures.commit()
      return { throttleTimeMs: 0, topics: [...byTopic.values()] }
    },
  }
}
