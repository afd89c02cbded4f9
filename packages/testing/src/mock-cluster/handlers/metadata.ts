import {
  ApiKeys,
  ErrorCodes,
  type MetadataRequest,
  type MetadataResponse,
  type MetadataResponseTopic,
} from '@tributary/core/protocol'
import type { ClusterState, TopicState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/**
 * Answers Metadata: every running broker, and the requested topics (all of them when the list is
 * null, or empty before v1). Unknown topics are created when auto-creation is on and allowed.
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
        for (const requested of request.topics ?? []) {
          let topic: TopicState | undefined
          if (requested.name !== null && requested.name !== undefined) topic = state.topics.get(requested.name)
          else if (requested.topicId !== undefined) topic = state.topicsById.get(requested.topicId)
          if (
            topic === undefined &&
            requested.name &&
            state.config.autoCreateTopics &&
            request.allowAutoTopicCreation !== false
          ) {
            topic = state.createTopic(requested.name, state.config.defaultPartitions)
          }
          topics.push(
            topic === undefined
              ? unknownTopic(requested.name ?? null, requested.topicId ?? ZERO_UUID)
              : describe(topic),
          )
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

function unknownTopic(name: string | null, topicId: string): MetadataResponseTopic {
  return {
    errorCode: ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: -2147483648,
  }
}
