// Generated from Kafka's CreateTopicsRequest.json/CreateTopicsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// CreateTopics (API key 19)
//   valid versions: 0-7 (deprecated: 0-1)
//   flexible versions: 5+
//
// CreateTopics Request (Version: 7) => [topics] timeout_ms validate_only _tagged_fields
//   topics => name num_partitions replication_factor [assignments] [configs] _tagged_fields
//     name => COMPACT_STRING
//     num_partitions => INT32
//     replication_factor => INT16
//     assignments => partition_index [broker_ids] _tagged_fields
//       partition_index => INT32
//       broker_ids => INT32
//     configs => name value _tagged_fields
//       name => COMPACT_STRING
//       value => COMPACT_NULLABLE_STRING
//   timeout_ms => INT32
//   validate_only => BOOLEAN
//
// CreateTopics Response (Version: 7) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => name topic_id error_code error_message <tag 0: topic_config_error_code> num_partitions replication_factor [configs] _tagged_fields
//     name => COMPACT_STRING
//     topic_id => UUID
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//     topic_config_error_code => INT16
//     num_partitions => INT32
//     replication_factor => INT16
//     configs => name value read_only config_source is_sensitive _tagged_fields
//       name => COMPACT_STRING
//       value => COMPACT_NULLABLE_STRING
//       read_only => BOOLEAN
//       config_source => INT8
//       is_sensitive => BOOLEAN

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import {
  beginTaggedField,
  endTaggedField,
  nullNotAllowed,
  taggedFieldEnd,
  unsupportedVersion,
  ZERO_UUID,
} from '../support.js'

/** CreateTopics (API key 19), versions 0-7. */
export const createTopics: ApiDefinition<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 7,
  firstFlexibleVersion: 5,
  encodeRequest(writer: Writer, version: number, request: CreateTopicsRequest): void {
    if (!(version >= 0 && version <= 7)) throw unsupportedVersion('CreateTopics', version, 0, 7)
    writeCreateTopicsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): CreateTopicsRequest {
    if (!(version >= 0 && version <= 7)) throw unsupportedVersion('CreateTopics', version, 0, 7)
    return readCreateTopicsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: CreateTopicsResponse): void {
    if (!(version >= 0 && version <= 7)) throw unsupportedVersion('CreateTopics', version, 0, 7)
    writeCreateTopicsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): CreateTopicsResponse {
    if (!(version >= 0 && version <= 7)) throw unsupportedVersion('CreateTopics', version, 0, 7)
    return readCreateTopicsResponse(reader, version)
  },
}

/** The CreateTopics request. */
export interface CreateTopicsRequest {
  /** The topics to create. (Versions 0+.) */
  topics: CreateTopicsRequestCreatableTopic[]
  /** How long to wait in milliseconds before timing out the request. (Versions 0+, default 60000.) */
  timeoutMs: number
  /**
   * If true, check that the topics can be created as specified, but don't create anything. (Versions 1+, default
   * false.)
   */
  validateOnly?: boolean
}

/** CreatableTopic in CreateTopicsRequest. */
export interface CreateTopicsRequestCreatableTopic {
  /** The topic name. (Versions 0+.) */
  name: string
  /**
   * The number of partitions to create in the topic, or -1 if we are either specifying a manual partition
   * assignment or using the default partitions. (Versions 0+.)
   */
  numPartitions: number
  /**
   * The number of replicas to create for each partition in the topic, or -1 if we are either specifying a manual
   * partition assignment or using the default replication factor. (Versions 0+.)
   */
  replicationFactor: number
  /** The manual partition assignment, or the empty array if we are using automatic assignment. (Versions 0+.) */
  assignments: CreateTopicsRequestCreatableReplicaAssignment[]
  /** The custom topic configurations to set. (Versions 0+.) */
  configs: CreateTopicsRequestCreatableTopicConfig[]
}

/** CreatableReplicaAssignment in CreateTopicsRequest. */
export interface CreateTopicsRequestCreatableReplicaAssignment {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The brokers to place the partition on. (Versions 0+.) */
  brokerIds: number[]
}

/** CreatableTopicConfig in CreateTopicsRequest. */
export interface CreateTopicsRequestCreatableTopicConfig {
  /** The configuration name. (Versions 0+.) */
  name: string
  /** The configuration value. (Versions 0+, nullable 0+.) */
  value: string | null
}

function writeCreateTopicsRequest(w: Writer, version: number, s: CreateTopicsRequest): void {
  const topics = s.topics
  if (version >= 5) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeCreateTopicsRequestCreatableTopic(w, version, item)
  w.writeInt32(s.timeoutMs)
  if (version >= 1) w.writeBoolean(s.validateOnly ?? false)
  if (version >= 5) w.writeEmptyTaggedFields()
}

function readCreateTopicsRequest(r: Reader, version: number): CreateTopicsRequest {
  const topicsCount = version >= 5 ? r.readCompactArrayLength(10) : r.readArrayLength(10)
  if (topicsCount === null) throw nullNotAllowed('CreateTopicsRequest.topics', version)
  const topics: CreateTopicsRequestCreatableTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readCreateTopicsRequestCreatableTopic(r, version))
  const timeoutMs = r.readInt32()
  const validateOnly = version >= 1 ? r.readBoolean() : false
  if (version >= 5) r.readTaggedFields()
  return { topics, timeoutMs, validateOnly }
}

function writeCreateTopicsRequestCreatableTopic(
  w: Writer,
  version: number,
  s: CreateTopicsRequestCreatableTopic,
): void {
  if (version >= 5) w.writeCompactString(s.name)
  else w.writeString(s.name)
  w.writeInt32(s.numPartitions)
  w.writeInt16(s.replicationFactor)
  const assignments = s.assignments
  if (version >= 5) w.writeCompactArrayLength(assignments.length)
  else w.writeArrayLength(assignments.length)
  for (const item of assignments) writeCreateTopicsRequestCreatableReplicaAssignment(w, version, item)
  const configs = s.configs
  if (version >= 5) w.writeCompactArrayLength(configs.length)
  else w.writeArrayLength(configs.length)
  for (const item of configs) writeCreateTopicsRequestCreatableTopicConfig(w, version, item)
  if (version >= 5) w.writeEmptyTaggedFields()
}

function readCreateTopicsRequestCreatableTopic(r: Reader, version: number): CreateTopicsRequestCreatableTopic {
  const name = version >= 5 ? r.readCompactString() : r.readString()
  const numPartitions = r.readInt32()
  const replicationFactor = r.readInt16()
  const assignmentsCount = version >= 5 ? r.readCompactArrayLength(6) : r.readArrayLength(6)
  if (assignmentsCount === null) throw nullNotAllowed('CreateTopicsRequestCreatableTopic.assignments', version)
  const assignments: CreateTopicsRequestCreatableReplicaAssignment[] = []
  for (let i = 0; i < assignmentsCount; i++)
    assignments.push(readCreateTopicsRequestCreatableReplicaAssignment(r, version))
  const configsCount = version >= 5 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (configsCount === null) throw nullNotAllowed('CreateTopicsRequestCreatableTopic.configs', version)
  const configs: CreateTopicsRequestCreatableTopicConfig[] = []
  for (let i = 0; i < configsCount; i++) configs.push(readCreateTopicsRequestCreatableTopicConfig(r, version))
  if (version >= 5) r.readTaggedFields()
  return { name, numPartitions, replicationFactor, assignments, configs }
}

function writeCreateTopicsRequestCreatableReplicaAssignment(
  w: Writer,
  version: number,
  s: CreateTopicsRequestCreatableReplicaAssignment,
): void {
  w.writeInt32(s.partitionIndex)
  const brokerIds = s.brokerIds
  if (version >= 5) w.writeCompactArrayLength(brokerIds.length)
  else w.writeArrayLength(brokerIds.length)
  for (const item of brokerIds) w.writeInt32(item)
  if (version >= 5) w.writeEmptyTaggedFields()
}

function readCreateTopicsRequestCreatableReplicaAssignment(
  r: Reader,
  version: number,
): CreateTopicsRequestCreatableReplicaAssignment {
  const partitionIndex = r.readInt32()
  const brokerIdsCount = version >= 5 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (brokerIdsCount === null) throw nullNotAllowed('CreateTopicsRequestCreatableReplicaAssignment.brokerIds', version)
  const brokerIds: number[] = []
  for (let i = 0; i < brokerIdsCount; i++) brokerIds.push(r.readInt32())
  if (version >= 5) r.readTaggedFields()
  return { partitionIndex, brokerIds }
}

function writeCreateTopicsRequestCreatableTopicConfig(
  w: Writer,
  version: number,
  s: CreateTopicsRequestCreatableTopicConfig,
): void {
  if (version >= 5) w.writeCompactString(s.name)
  else w.writeString(s.name)
  if (version >= 5) w.writeCompactString(s.value)
  else w.writeString(s.value)
  if (version >= 5) w.writeEmptyTaggedFields()
}

function readCreateTopicsRequestCreatableTopicConfig(
  r: Reader,
  version: number,
): CreateTopicsRequestCreatableTopicConfig {
  const name = version >= 5 ? r.readCompactString() : r.readString()
  const value = version >= 5 ? r.readCompactNullableString() : r.readNullableString()
  if (version >= 5) r.readTaggedFields()
  return { name, value }
}

/** The CreateTopics response. */
export interface CreateTopicsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 2+.)
   */
  throttleTimeMs?: number
  /** Results for each topic we tried to create. (Versions 0+.) */
  topics: CreateTopicsResponseCreatableTopicResult[]
}

/** CreatableTopicResult in CreateTopicsResponse. */
export interface CreateTopicsResponseCreatableTopicResult {
  /** The topic name. (Versions 0+.) */
  name: string
  /** The unique topic ID. (Versions 7+.) */
  topicId?: string
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The error message, or null if there was no error. (Versions 1+, nullable 0+.) */
  errorMessage?: string | null
  /**
   * Optional topic config error returned if configs are not returned in the response. (Versions 5+, tagged (tag 0)
   * 5+.)
   */
  topicConfigErrorCode?: number
  /** Number of partitions of the topic. (Versions 5+, default -1.) */
  numPartitions?: number
  /** Replication factor of the topic. (Versions 5+, default -1.) */
  replicationFactor?: number
  /** Configuration of the topic. (Versions 5+, nullable 5+.) */
  configs?: CreateTopicsResponseCreatableTopicConfigs[] | null
}

/** CreatableTopicConfigs in CreateTopicsResponse. */
export interface CreateTopicsResponseCreatableTopicConfigs {
  /** The configuration name. (Versions 5+.) */
  name?: string
  /** The configuration value. (Versions 5+, nullable 5+.) */
  value?: string | null
  /** True if the configuration is read-only. (Versions 5+.) */
  readOnly?: boolean
  /** The configuration source. (Versions 5+, default -1.) */
  configSource?: number
  /** True if this configuration is sensitive. (Versions 5+.) */
  isSensitive?: boolean
}

function writeCreateTopicsResponse(w: Writer, version: number, s: CreateTopicsResponse): void {
  if (version >= 2) w.writeInt32(s.throttleTimeMs ?? 0)
  const topics = s.topics
  if (version >= 5) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeCreateTopicsResponseCreatableTopicResult(w, version, item)
  if (version >= 5) w.writeEmptyTaggedFields()
}

function readCreateTopicsResponse(r: Reader, version: number): CreateTopicsResponse {
  const throttleTimeMs = version >= 2 ? r.readInt32() : 0
  const topicsCount = version >= 5 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (topicsCount === null) throw nullNotAllowed('CreateTopicsResponse.topics', version)
  const topics: CreateTopicsResponseCreatableTopicResult[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readCreateTopicsResponseCreatableTopicResult(r, version))
  if (version >= 5) r.readTaggedFields()
  return { throttleTimeMs, topics }
}

function writeCreateTopicsResponseCreatableTopicResult(
  w: Writer,
  version: number,
  s: CreateTopicsResponseCreatableTopicResult,
): void {
  if (version >= 5) w.writeCompactString(s.name)
  else w.writeString(s.name)
  if (version >= 7) w.writeUuid(s.topicId ?? ZERO_UUID)
  w.writeInt16(s.errorCode)
  if (version >= 1) {
    if (version >= 5) w.writeCompactString(s.errorMessage ?? null)
    else w.writeString(s.errorMessage ?? null)
  }
  if (version >= 5) w.writeInt32(s.numPartitions ?? -1)
  if (version >= 5) w.writeInt16(s.replicationFactor ?? -1)
  if (version >= 5) {
    const configs = s.configs ?? null
    w.writeCompactArrayLength(configs === null ? null : configs.length)
    if (configs !== null) for (const item of configs) writeCreateTopicsResponseCreatableTopicConfigs(w, version, item)
  }
  if (version >= 5) {
    const topicConfigErrorCodeTagged = s.topicConfigErrorCode
    const hasTopicConfigErrorCode = topicConfigErrorCodeTagged !== undefined && topicConfigErrorCodeTagged !== 0
    w.writeUnsignedVarInt(hasTopicConfigErrorCode ? 1 : 0)
    if (hasTopicConfigErrorCode) {
      const at = beginTaggedField(w, 0)
      w.writeInt16(topicConfigErrorCodeTagged)
      endTaggedField(w, at)
    }
  }
}

function readCreateTopicsResponseCreatableTopicResult(
  r: Reader,
  version: number,
): CreateTopicsResponseCreatableTopicResult {
  const name = version >= 5 ? r.readCompactString() : r.readString()
  const topicId = version >= 7 ? r.readUuid() : ZERO_UUID
  const errorCode = r.readInt16()
  const errorMessage: string | null =
    version >= 5 ? r.readCompactNullableString() : version >= 1 ? r.readNullableString() : null
  let topicConfigErrorCode: number = 0
  const numPartitions = version >= 5 ? r.readInt32() : -1
  const replicationFactor = version >= 5 ? r.readInt16() : -1
  let configs: CreateTopicsResponseCreatableTopicConfigs[] | null
  if (version >= 5) {
    const configsCount = r.readCompactArrayLength(6)
    if (configsCount === null) configs = null
    else {
      const configsItems: CreateTopicsResponseCreatableTopicConfigs[] = []
      for (let i = 0; i < configsCount; i++)
        configsItems.push(readCreateTopicsResponseCreatableTopicConfigs(r, version))
      configs = configsItems
    }
  } else configs = null
  if (version >= 5) {
    for (let tagCount = r.readUnsignedVarInt(); tagCount > 0; tagCount--) {
      const tag = r.readUnsignedVarInt()
      const outerEnd = r.end
      const fieldEnd = taggedFieldEnd(r, r.readUnsignedVarInt())
      r.end = fieldEnd
      if (tag === 0) topicConfigErrorCode = r.readInt16()
      r.end = outerEnd
      r.offset = fieldEnd
    }
  }
  return { name, topicId, errorCode, errorMessage, topicConfigErrorCode, numPartitions, replicationFactor, configs }
}

function writeCreateTopicsResponseCreatableTopicConfigs(
  w: Writer,
  _version: number,
  s: CreateTopicsResponseCreatableTopicConfigs,
): void {
  w.writeCompactString(s.name ?? '')
  w.writeCompactString(s.value ?? null)
  w.writeBoolean(s.readOnly ?? false)
  w.writeInt8(s.configSource ?? -1)
  w.writeBoolean(s.isSensitive ?? false)
  w.writeEmptyTaggedFields()
}

function readCreateTopicsResponseCreatableTopicConfigs(
  r: Reader,
  _version: number,
): CreateTopicsResponseCreatableTopicConfigs {
  const name = r.readCompactString()
  const value = r.readCompactNullableString()
  const readOnly = r.readBoolean()
  const configSource = r.readInt8()
  const isSensitive = r.readBoolean()
  r.readTaggedFields()
  return { name, value, readOnly, configSource, isSensitive }
}
