import {
  ApiKeys,
  ErrorCodes,
  type MetadataRequest,
  type MetadataResponse,
  type MetadataResponseTopic,
} from '@tributary/core/protocol'
import type { ClusterState, TopicState } from '../cluster-state.js'
import { invalidTopicName, MAX_RECORDS_PER_CREATION } from '../topic-rules.js'
import type { RequestHandler } from './handler.js'

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/**
 * Answers Metadata: every running broker, and the requested topics (all of them when the list is
 * null, or empty before v1). Unknown topics are created when auto-creation is on and allowed, as
 * Kafka does: an illegal name (or one colliding with an existing topic's) gets
 * INVALID_TOPIC_EXCEPTION instead, and a request that would create more than 10,000 topics and
 * partitions together creates none (LEADER_NOT_AVAILABLE).
 */
export function metadataHandler(state: ClusterState): RequestHandler<MetadataRequest, MetadataResponse> {
  return {
    handle(context, header, request) {
      const failures = state.failuresFor(ApiKeys.Metadata, context.brokerId)
      const injected = failures.request()
      const allTopics = request.topics === null || (header.apiVersion === 0 && request.topics.length === 0)
      const topics: MetadataResponseTopic[] = []
      if (allTopics) {
        for (const topic of state.topics.values()) topics.push(describe(topic))
      } else {
        const autoCreate = state.config.autoCreateTopics && request.allowAutoTopicCreation !== false
        // Unknown topics to create, with where their answers go: Kafka creates them in one operation.
        const toCreate = new Map<string, number[]>()
        for (const requested of request.topics ?? []) {
          const name = requested.name ?? null
          let topic: TopicState | undefined
          if (name !== null) topic = state.topics.get(name)
          else if (requested.topicId !== undefined) topic = state.topicsById.get(requested.topicId)
          if (topic !== undefined) {
            topics.push(describe(topic))
            continue
          }
          // A collision only matters when the name would be created.
          const problem = name === null ? undefined : autoCreate ? state.topicNameProblem(name) : invalidTopicName(name)
          if (name === null || problem !== undefined || !autoCreate) {
            const error =
              problem === undefined ? ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION : ErrorCodes.INVALID_TOPIC_EXCEPTION
            topics.push(topicError(error, name, requested.topicId ?? ZERO_UUID))
            continue
          }
          const at = toCreate.get(name)
          if (at === undefined) toCreate.set(name, [topics.length])
          else at.push(topics.length)
          topics.push(topicError(ErrorCodes.LEADER_NOT_AVAILABLE, name, ZERO_UUID))
        }
        // Past Kafka's limit on records per creation the controller refuses the whole creation; the
        // topics stay unknown and Kafka answers LEADER_NOT_AVAILABLE for them, as while a creation is pending.
        if (toCreate.size * (1 + state.config.defaultPartitions) <= MAX_RECORDS_PER_CREATION) {
          for (const [name, indexes] of toCreate) {
            const created = describe(state.createTopic(name, state.config.defaultPartitions))
            for (const i of indexes) topics[i] = created
          }
        }
      }
      if (injected !== undefined) for (const t of topics) t.errorCode = injected
      failures.commit()
      return {
        throttleTimeMs: 0,
        brokers: state.brokers
          .filter((b) => b.running)
          .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: null })),
        clusterId: state.config.clusterId,
        controllerId: state.controllerId,
        topics,
        clusterAuthorizedOperations: -2147483648,
      }
    },
  }
}

function describe(topic: TopicState): MetadataResponseTopic {
  return {
    errorCode: ErrorCodes.NONE,
    name: topic.name,
    topicId: topic.id,
    isInternal: false,
    partitions: topic.partitions.map((p) => ({
      errorCode: p.leader < 0 ? ErrorCodes.LEADER_NOT_AVAILABLE : ErrorCodes.NONE,
      partitionIndex: p.index,
      leaderId: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.replicas,
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: -2147483648,
  }
}

function topicError(errorCode: number, name: string | null, topicId: string): MetadataResponseTopic {
  return {
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: -2147483648,
  }
}
