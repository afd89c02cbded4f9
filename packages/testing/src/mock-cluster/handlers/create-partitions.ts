import {
  type CreatePartitionsRequest,
  type CreatePartitionsRequestCreatePartitionsTopic,
  type CreatePartitionsResponse,
  type CreatePartitionsResponseCreatePartitionsTopicResult,
  ErrorCodes,
} from '@tributary/core/protocol'
import type { ClusterState, TopicState } from '../cluster-state.js'
import { PartitionLog } from '../partition-log.js'
import { MAX_RECORDS_PER_CREATION } from '../topic-rules.js'
import type { RequestHandler } from './handler.js'

/** A planned addition: the replicas of each new partition, or why there is none. */
type Plan = { topic: TopicState; replicas: number[][] } | { errorCode: number; errorMessage: string | null }

/**
 * Answers CreatePartitions as Kafka's controller does (ControllerApis.createPartitions,
 * ReplicationControlManager.createPartitions): a topic named twice gets INVALID_REQUEST; an unknown
 * topic UNKNOWN_TOPIC_OR_PARTITION; a count equal to or below the current one INVALID_PARTITIONS; a
 * manual assignment of the wrong length, with an unknown or repeated broker, a replica count other
 * than the topic's, or only stopped brokers INVALID_REPLICA_ASSIGNMENT. New partitions continue the
 * topic's placement (partition p led by broker p mod n, replicas following it) with the topic's
 * replication factor. One request adds at most 10,000 partitions (Kafka's controller writes one
 * record per partition and at most 10,000 per operation): a topic whose partitions would pass it
 * gets UNKNOWN_SERVER_ERROR and none. validateOnly checks without creating.
 */
export function createPartitionsHandler(
  state: ClusterState,
): RequestHandler<CreatePartitionsRequest, CreatePartitionsResponse> {
  return {
    handle(_context, _header, request) {
      const counts = new Map<string, number>()
      for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1)
      const results: CreatePartitionsResponseCreatePartitionsTopicResult[] = []
      for (const [name, count] of counts) {
        if (count > 1)
          results.push({ name, errorCode: ErrorCodes.INVALID_REQUEST, errorMessage: 'Duplicate topic name.' })
      }
      let budget = MAX_RECORDS_PER_CREATION
      for (const t of request.topics) {
        if ((counts.get(t.name) ?? 0) > 1) continue
        const plan = planPartitions(state, t)
        if ('errorCode' in plan) {
          results.push({ name: t.name, errorCode: plan.errorCode, errorMessage: plan.errorMessage })
          continue
        }
        if (plan.replicas.length > budget) {
          budget = 0
          results.push({ name: t.name, errorCode: ErrorCodes.UNKNOWN_SERVER_ERROR, errorMessage: null })
          continue
        }
        budget -= plan.replicas.length
        if (!request.validateOnly) addPartitions(state, plan.topic, plan.replicas)
        results.push({ name: t.name, errorCode: ErrorCodes.NONE, errorMessage: null })
      }
      return { throttleTimeMs: 0, results }
    },
  }
}

function planPartitions(state: ClusterState, t: CreatePartitionsRequestCreatePartitionsTopic): Plan {
  const topic = state.topics.get(t.name)
  if (topic === undefined) return { errorCode: ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null }
  const current = topic.partitions.length
  if (t.count === current) {
    return { errorCode: ErrorCodes.INVALID_PARTITIONS, errorMessage: `Topic already has ${current} partition(s).` }
  }
  if (t.count < current) {
    return {
      errorCode: ErrorCodes.INVALID_PARTITIONS,
      errorMessage: `The topic ${t.name} currently has ${current} partition(s); ${t.count} would not be an increase.`,
    }
  }
  const additional = t.count - current
  if (t.assignments !== null && t.assignments.length !== additional) {
    return {
      errorCode: ErrorCodes.INVALID_REPLICA_ASSIGNMENT,
      errorMessage: `Attempted to add ${additional} additional partition(s), but only ${t.assignments.length} assignment(s) were specified.`,
    }
  }
  const replicationFactor = topic.partitions[0]?.replicas.length ?? 1
  const brokers = state.brokers
  const registered = new Set(brokers.map((b) => b.nodeId))
  const running = new Set(brokers.filter((b) => b.running).map((b) => b.nodeId))
  const replicas: number[][] = []
  if (t.assignments !== null) {
    for (let i = 0; i < t.assignments.length; i++) {
      const ids = (t.assignments[i] as { brokerIds: number[] }).brokerIds
      const problem = assignmentProblem(ids, registered, replicationFactor)
      if (problem !== undefined) return { errorCode: ErrorCodes.INVALID_REPLICA_ASSIGNMENT, errorMessage: problem }
      if (!ids.some((id) => running.has(id))) {
        return {
          errorCode: ErrorCodes.INVALID_REPLICA_ASSIGNMENT,
          errorMessage: `All brokers specified in the manual partition assignment for partition ${current + i} are fenced or in controlled shutdown.`,
        }
      }
      replicas.push([...ids])
    }
  } else {
    const ids = brokers.map((b) => b.nodeId).sort((a, b) => a - b)
    for (let p = current; p < t.count; p++) {
      const set: number[] = []
      for (let r = 0; r < Math.min(replicationFactor, ids.length); r++) set.push(ids[(p + r) % ids.length] as number)
      replicas.push(set)
    }
  }
  return { topic, replicas }
}

/** ReplicationControlManager.validateManualPartitionAssignment's checks, in its order. */
function assignmentProblem(ids: number[], registered: Set<number>, replicationFactor: number): string | undefined {
  if (ids.length === 0) return 'The manual partition assignment includes an empty replica list.'
  const sorted = [...ids].sort((a, b) => a - b)
  let previous: number | undefined
  for (const id of sorted) {
    if (!registered.has(id)) {
      return `The manual partition assignment includes broker ${id}, but no such broker is registered.`
    }
    if (id === previous) return `The manual partition assignment includes the broker ${previous} more than once.`
    previous = id
  }
  if (sorted.length !== replicationFactor) {
    return `The manual partition assignment includes a partition with ${sorted.length} replica(s), but this is not consistent with previous partitions, which have ${replicationFactor} replica(s).`
  }
  return undefined
}

/** Appends partitions to a topic; each is led by its first running replica. */
function addPartitions(state: ClusterState, topic: TopicState, replicas: number[][]): void {
  const running = new Set(state.brokers.filter((b) => b.running).map((b) => b.nodeId))
  for (const set of replicas) {
    topic.partitions.push({
      index: topic.partitions.length,
      leader: set.find((id) => running.has(id)) ?? -1,
      leaderEpoch: 0,
      replicas: set,
      log: new PartitionLog(),
    })
  }
  state.structureChanged()
}
