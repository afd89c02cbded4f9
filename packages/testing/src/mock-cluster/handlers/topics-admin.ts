import {
  type CreateTopicsRequest,
  type CreateTopicsResponse,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
  ErrorCodes,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/** Answers CreateTopics (partition count -1 means the cluster default). */
export function createTopicsHandler(state: ClusterState): RequestHandler<CreateTopicsRequest, CreateTopicsResponse> {
  return {
    handle(_context, _header, request) {
      const topics = request.topics.map((t) => {
        const fail = (errorCode: number, errorMessage: string) => ({
          name: t.name,
          topicId: ZERO_UUID,
          errorCode,
          errorMessage,
          numPartitions: -1,
          replicationFactor: -1,
          configs: [],
        })
        if (state.topics.has(t.name)) return fail(ErrorCodes.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`)
        if (!/^[a-zA-Z0-9._-]{1,249}$/.test(t.name)) {
          return fail(ErrorCodes.INVALID_TOPIC_EXCEPTION, `Topic name '${t.name}' is illegal`)
        }
        const partitions =
          t.assignments.length > 0
            ? t.assignments.length
            : t.numPartitions < 0
              ? state.config.defaultPartitions
              : t.numPartitions
        if (partitions <= 0) return fail(ErrorCodes.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.')
        const replicationFactor = t.replicationFactor < 0 ? state.config.defaultReplicationFactor : t.replicationFactor
        if (replicationFactor > state.brokers.length) {
          return fail(
            ErrorCodes.INVALID_REPLICATION_FACTOR,
            `Replication factor: ${replicationFactor} larger than available brokers: ${state.brokers.length}.`,
          )
        }
        const topicId = request.validateOnly ? ZERO_UUID : state.createTopic(t.name, partitions, replicationFactor).id
        return {
          name: t.name,
          topicId,
          errorCode: ErrorCodes.NONE,
          errorMessage: null,
          numPartitions: partitions,
          replicationFactor,
          configs: [],
        }
      })
      return { throttleTimeMs: 0, topics }
    },
  }
}

/** Answers DeleteTopics, by name (v0-5) or by name or id (v6+). */
export function deleteTopicsHandler(state: ClusterState): RequestHandler<DeleteTopicsRequest, DeleteTopicsResponse> {
  return {
    handle(_context, header, request) {
      const wanted =
        header.apiVersion >= 6
          ? (request.topics ?? []).map((t) => ({
              name: t.name ?? state.topicsById.get(t.topicId ?? ZERO_UUID)?.name ?? null,
              topicId: t.topicId ?? ZERO_UUID,
            }))
          : (request.topicNames ?? []).map((name) => ({ name, topicId: ZERO_UUID }))
      const responses = wanted.map(({ name, topicId }) => {
        const topic = name === null ? undefined : state.topics.get(name)
        if (topic === undefined || name === null) {
          return { name, topicId, errorCode: ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null }
        }
        state.deleteTopic(name)
        return { name, topicId: topic.id, errorCode: ErrorCodes.NONE, errorMessage: null }
      })
      return { throttleTimeMs: 0, responses }
    },
  }
}
