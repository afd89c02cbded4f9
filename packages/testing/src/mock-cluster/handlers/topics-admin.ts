import {
  type CreateTopicsRequest,
  type CreateTopicsRequestCreatableTopic,
  type CreateTopicsResponse,
  type CreateTopicsResponseCreatableTopicResult,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
  ErrorCodes,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import { validateTopicConfigs } from '../config-store.js'
import { MAX_RECORDS_PER_CREATION } from '../topic-rules.js'
import type { RequestHandler } from './handler.js'

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/**
 * Answers CreateTopics as Kafka's controller does: a name given twice gets INVALID_REQUEST; an
 * illegal name, or one colliding with an existing topic's, INVALID_TOPIC_EXCEPTION; an existing
 * topic TOPIC_ALREADY_EXISTS; a partition count or replication factor of 0 or below -1 (-1 means
 * the cluster default) INVALID_PARTITIONS or INVALID_REPLICATION_FACTOR, as does a replication
 * factor above the number of brokers. A manual assignment needs -1 for both (INVALID_REQUEST) and
 * partitions 0..n-1 (INVALID_REPLICA_ASSIGNMENT). A request that would create more than 10,000
 * topics and partitions together fails whole with POLICY_VIOLATION, creating nothing.
 */
export function createTopicsHandler(state: ClusterState): RequestHandler<CreateTopicsRequest, CreateTopicsResponse> {
  return {
    handle(_context, _header, request) {
      const seen = new Set<string>()
      const duplicates = new Set<string>()
      for (const t of request.topics) {
        if (seen.has(t.name)) duplicates.add(t.name)
        seen.add(t.name)
      }
      const fail = (
        name: string,
        errorCode: number,
        errorMessage: string,
      ): CreateTopicsResponseCreatableTopicResult => ({
        name,
        topicId: ZERO_UUID,
        errorCode,
        errorMessage,
        numPartitions: -1,
        replicationFactor: -1,
        configs: [],
      })
      const planned: Array<
        | CreateTopicsResponseCreatableTopicResult
        | { name: string; partitions: number; replicationFactor: number; configs: Map<string, string> }
      > = []
      let records = 0
      for (const t of request.topics) {
        if (duplicates.has(t.name)) continue
        const plan = planTopic(state, t)
        if ('errorCode' in plan) planned.push(fail(t.name, plan.errorCode, plan.errorMessage))
        else {
          records += 1 + plan.partitions
          planned.push({ name: t.name, ...plan })
        }
      }
      if (records > MAX_RECORDS_PER_CREATION) {
        const message = `Unable to perform excessively large batch operation: the request would create ${records} topics and partitions, more than ${MAX_RECORDS_PER_CREATION}`
        return {
          throttleTimeMs: 0,
          topics: request.topics.map((t) => fail(t.name, ErrorCodes.POLICY_VIOLATION, message)),
        }
      }
      const topics = planned.map((p): CreateTopicsResponseCreatableTopicResult => {
        if ('errorCode' in p) return p
        let topicId = ZERO_UUID
        if (!request.validateOnly) {
          const topic = state.createTopic(p.name, p.partitions, p.replicationFactor)
          state.configs.setTopicOverrides(topic, p.configs)
          topicId = topic.id
        }
        // The topic's effective configs, sorted by name, as the controller computes them (v5+).
        const configs = state.configs.topicEntries(p.configs, state.controllerId).map((e) => ({
          name: e.name,
          value: e.value,
          readOnly: false,
          configSource: e.source,
          isSensitive: false,
        }))
        return {
          name: p.name,
          topicId,
          errorCode: ErrorCodes.NONE,
          errorMessage: null,
          topicConfigErrorCode: ErrorCodes.NONE,
          numPartitions: p.partitions,
          replicationFactor: p.replicationFactor,
          configs,
        }
      })
      for (const name of duplicates) topics.push(fail(name, ErrorCodes.INVALID_REQUEST, 'Duplicate topic name.'))
      return { throttleTimeMs: 0, topics }
    },
  }
}

/**
 * The partitions, replication factor and configs a topic of a CreateTopics request gets, or why it
 * gets none. Configs are checked after the name and before the partitions, as Kafka's controller
 * does (ReplicationControlManager.createTopics): a null value or what LogConfig refuses is INVALID_CONFIG.
 */
function planTopic(
  state: ClusterState,
  t: CreateTopicsRequestCreatableTopic,
):
  | { partitions: number; replicationFactor: number; configs: Map<string, string> }
  | { errorCode: number; errorMessage: string } {
  const nameProblem = state.topicNameProblem(t.name)
  if (nameProblem !== undefined) return { errorCode: ErrorCodes.INVALID_TOPIC_EXCEPTION, errorMessage: nameProblem }
  if (state.topics.has(t.name)) {
    return { errorCode: ErrorCodes.TOPIC_ALREADY_EXISTS, errorMessage: `Topic '${t.name}' already exists.` }
  }
  const nulls = t.configs.filter((c) => c.value === null).map((c) => c.name)
  if (nulls.length > 0) {
    return {
      errorCode: ErrorCodes.INVALID_CONFIG,
      errorMessage: `Null value not supported for topic configs: ${nulls.join(',')}`,
    }
  }
  const configs = new Map(t.configs.map((c) => [c.name, c.value as string]))
  try {
    validateTopicConfigs(configs)
  } catch (error) {
    return { errorCode: ErrorCodes.INVALID_CONFIG, errorMessage: (error as Error).message }
  }
  let partitions: number
  let replicationFactor: number
  if (t.assignments.length > 0) {
    if (t.replicationFactor !== -1 || t.numPartitions !== -1) {
      const which = t.replicationFactor !== -1 ? 'replication factor' : 'numPartitions'
      return {
        errorCode: ErrorCodes.INVALID_REQUEST,
        errorMessage: `A manual partition assignment was specified, but ${which} was not set to -1.`,
      }
    }
    const indexes = new Set<number>()
    for (const a of t.assignments) {
      if (indexes.has(a.partitionIndex)) {
        return {
          errorCode: ErrorCodes.INVALID_REPLICA_ASSIGNMENT,
          errorMessage: `Found multiple manual partition assignments for partition ${a.partitionIndex}`,
        }
      }
      indexes.add(a.partitionIndex)
    }
    for (let i = 0; i < indexes.size; i++) {
      if (!indexes.has(i)) {
        return {
          errorCode: ErrorCodes.INVALID_REPLICA_ASSIGNMENT,
          errorMessage: 'partitions should be a consecutive 0-based integer sequence',
        }
      }
    }
    partitions = t.assignments.length
    replicationFactor = t.assignments[0]?.brokerIds.length ?? 0
    if (replicationFactor === 0) {
      return {
        errorCode: ErrorCodes.INVALID_REPLICA_ASSIGNMENT,
        errorMessage: 'The manual partition assignment includes an empty replica list.',
      }
    }
  } else {
    if (t.replicationFactor < -1 || t.replicationFactor === 0) {
      return {
        errorCode: ErrorCodes.INVALID_REPLICATION_FACTOR,
        errorMessage: 'Replication factor must be larger than 0, or -1 to use the default value.',
      }
    }
    if (t.numPartitions < -1 || t.numPartitions === 0) {
      return {
        errorCode: ErrorCodes.INVALID_PARTITIONS,
        errorMessage: 'Number of partitions was set to an invalid non-positive value.',
      }
    }
    partitions = t.numPartitions === -1 ? state.config.defaultPartitions : t.numPartitions
    replicationFactor = t.replicationFactor === -1 ? state.config.defaultReplicationFactor : t.replicationFactor
  }
  if (replicationFactor > state.brokers.length) {
    return {
      errorCode: ErrorCodes.INVALID_REPLICATION_FACTOR,
      errorMessage: `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${state.brokers.length} broker(s) are registered.`,
    }
  }
  return { partitions, replicationFactor, configs }
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
