// Generated from Kafka's MetadataRequest.json/MetadataResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// Metadata (API key 3)
//   valid versions: 0-12 (deprecated: 0-3)
//   flexible versions: 9+
//
// Metadata Request (Version: 12) => [topics] allow_auto_topic_creation include_topic_authorized_operations _tagged_fields
//   topics => topic_id name _tagged_fields
//     topic_id => UUID
//     name => COMPACT_NULLABLE_STRING
//   allow_auto_topic_creation => BOOLEAN
//   include_topic_authorized_operations => BOOLEAN
//
// Metadata Response (Version: 12) => throttle_time_ms [brokers] cluster_id controller_id [topics] _tagged_fields
//   throttle_time_ms => INT32
//   brokers => node_id host port rack _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//   cluster_id => COMPACT_NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name topic_id is_internal [partitions] topic_authorized_operations _tagged_fields
//     error_code => INT16
//     name => COMPACT_NULLABLE_STRING
//     topic_id => UUID
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas] _tagged_fields
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       leader_epoch => INT32
//       replica_nodes => INT32
//       isr_nodes => INT32
//       offline_replicas => INT32
//     topic_authorized_operations => INT32

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { EMPTY_ARRAY, nullNotAllowed, unsupportedVersion, ZERO_UUID } from '../support.js'

/** Metadata (API key 3), versions 0-12. */
export const metadata: ApiDefinition<MetadataRequest, MetadataResponse> = {
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 12,
  firstFlexibleVersion: 9,
  encodeRequest(writer: Writer, version: number, request: MetadataRequest): void {
    if (!(version >= 0 && version <= 12)) throw unsupportedVersion('Metadata', version, 0, 12)
    writeMetadataRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): MetadataRequest {
    if (!(version >= 0 && version <= 12)) throw unsupportedVersion('Metadata', version, 0, 12)
    return readMetadataRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: MetadataResponse): void {
    if (!(version >= 0 && version <= 12)) throw unsupportedVersion('Metadata', version, 0, 12)
    writeMetadataResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): MetadataResponse {
    if (!(version >= 0 && version <= 12)) throw unsupportedVersion('Metadata', version, 0, 12)
    return readMetadataResponse(reader, version)
  },
}

/** The Metadata request. */
export interface MetadataRequest {
  /** The topics to fetch metadata for. (Versions 0+, nullable 1+.) */
  topics: MetadataRequestTopic[] | null
  /**
   * If this is true, the broker may auto-create topics that we requested which do not already exist, if it is
   * configured to do so. (Versions 4+, default true.)
   */
  allowAutoTopicCreation?: boolean
  /** Whether to include cluster authorized operations. (Versions 8-10.) */
  includeClusterAuthorizedOperations?: boolean
  /** Whether to include topic authorized operations. (Versions 8+.) */
  includeTopicAuthorizedOperations?: boolean
}

/** MetadataRequestTopic in MetadataRequest. */
export interface MetadataRequestTopic {
  /** The topic id. (Versions 10+.) */
  topicId?: string
  /** The topic name. (Versions 0+, nullable 10+.) */
  name: string | null
}

function writeMetadataRequest(w: Writer, version: number, s: MetadataRequest): void {
  const topics = s.topics
  if (version >= 9) {
    w.writeCompactArrayLength(topics === null ? null : topics.length)
    if (topics !== null) for (const item of topics) writeMetadataRequestTopic(w, version, item)
  } else if (version >= 1) {
    w.writeArrayLength(topics === null ? null : topics.length)
    if (topics !== null) for (const item of topics) writeMetadataRequestTopic(w, version, item)
  } else {
    if (topics === null) throw nullNotAllowed('MetadataRequest.topics', version)
    w.writeArrayLength(topics.length)
    for (const item of topics) writeMetadataRequestTopic(w, version, item)
  }
  if (version >= 4) w.writeBoolean(s.allowAutoTopicCreation ?? true)
  if (version >= 8 && version <= 10) w.writeBoolean(s.includeClusterAuthorizedOperations ?? false)
  if (version >= 8) w.writeBoolean(s.includeTopicAuthorizedOperations ?? false)
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readMetadataRequest(r: Reader, version: number): MetadataRequest {
  let topics: MetadataRequestTopic[] | null
  const topicsCount = version >= 9 ? r.readCompactArrayLength(2) : r.readArrayLength(2)
  if (topicsCount === null) {
    if (!(version >= 1)) throw nullNotAllowed('MetadataRequest.topics', version)
    topics = null
  } else {
    const topicsItems: MetadataRequestTopic[] = []
    for (let i = 0; i < topicsCount; i++) topicsItems.push(readMetadataRequestTopic(r, version))
    topics = topicsItems
  }
  const allowAutoTopicCreation = version >= 4 ? r.readBoolean() : true
  const includeClusterAuthorizedOperations = version >= 11 ? false : version >= 8 ? r.readBoolean() : false
  const includeTopicAuthorizedOperations = version >= 8 ? r.readBoolean() : false
  if (version >= 9) r.readTaggedFields()
  return { topics, allowAutoTopicCreation, includeClusterAuthorizedOperations, includeTopicAuthorizedOperations }
}

function writeMetadataRequestTopic(w: Writer, version: number, s: MetadataRequestTopic): void {
  if (version >= 10) w.writeUuid(s.topicId ?? ZERO_UUID)
  const name = s.name
  if (version >= 10) {
    w.writeCompactString(name)
  } else if (version >= 9) {
    if (name === null) throw nullNotAllowed('MetadataRequestTopic.name', version)
    w.writeCompactString(name)
  } else {
    if (name === null) throw nullNotAllowed('MetadataRequestTopic.name', version)
    w.writeString(name)
  }
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readMetadataRequestTopic(r: Reader, version: number): MetadataRequestTopic {
  const topicId = version >= 10 ? r.readUuid() : ZERO_UUID
  const name = version >= 10 ? r.readCompactNullableString() : version >= 9 ? r.readCompactString() : r.readString()
  if (version >= 9) r.readTaggedFields()
  return { topicId, name }
}

/** The Metadata response. */
export interface MetadataResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 3+.)
   */
  throttleTimeMs?: number
  /** A list of brokers present in the cluster. (Versions 0+.) */
  brokers: MetadataResponseBroker[]
  /** The cluster ID that responding broker belongs to. (Versions 2+, nullable 2+, default null.) */
  clusterId?: string | null
  /** The ID of the controller broker. (Versions 1+, default -1.) */
  controllerId?: number
  /** Each topic in the response. (Versions 0+.) */
  topics: MetadataResponseTopic[]
  /** 32-bit bitfield to represent authorized operations for this cluster. (Versions 8-10, default -2147483648.) */
  clusterAuthorizedOperations?: number
}

/** MetadataResponseBroker in MetadataResponse. */
export interface MetadataResponseBroker {
  /** The broker ID. (Versions 0+.) */
  nodeId: number
  /** The broker hostname. (Versions 0+.) */
  host: string
  /** The broker port. (Versions 0+.) */
  port: number
  /**
   * The rack of the broker, or null if it has not been assigned to a rack. (Versions 1+, nullable 1+, default
   * null.)
   */
  rack?: string | null
}

/** MetadataResponseTopic in MetadataResponse. */
export interface MetadataResponseTopic {
  /** The topic error, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /**
   * The topic name. Null for non-existing topics queried by ID. This is never null when ErrorCode is zero. One of
   * Name and TopicId is always populated. (Versions 0+, nullable 12+.)
   */
  name: string | null
  /**
   * The topic id. Zero for non-existing topics queried by name. This is never zero when ErrorCode is zero. One of
   * Name and TopicId is always populated. (Versions 10+.)
   */
  topicId?: string
  /** True if the topic is internal. (Versions 1+, default false.) */
  isInternal?: boolean
  /** Each partition in the topic. (Versions 0+.) */
  partitions: MetadataResponsePartition[]
  /** 32-bit bitfield to represent authorized operations for this topic. (Versions 8+, default -2147483648.) */
  topicAuthorizedOperations?: number
}

/** MetadataResponsePartition in MetadataResponse. */
export interface MetadataResponsePartition {
  /** The partition error, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The ID of the leader broker. (Versions 0+.) */
  leaderId: number
  /** The leader epoch of this partition. (Versions 7+, default -1.) */
  leaderEpoch?: number
  /** The set of all nodes that host this partition. (Versions 0+.) */
  replicaNodes: number[]
  /** The set of nodes that are in sync with the leader for this partition. (Versions 0+.) */
  isrNodes: number[]
  /** The set of offline replicas of this partition. (Versions 5+.) */
  offlineReplicas?: number[]
}

function writeMetadataResponse(w: Writer, version: number, s: MetadataResponse): void {
  if (version >= 3) w.writeInt32(s.throttleTimeMs ?? 0)
  const brokers = s.brokers
  if (version >= 9) w.writeCompactArrayLength(brokers.length)
  else w.writeArrayLength(brokers.length)
  for (const item of brokers) writeMetadataResponseBroker(w, version, item)
  if (version >= 2) {
    if (version >= 9) w.writeCompactString(s.clusterId ?? null)
    else w.writeString(s.clusterId ?? null)
  }
  if (version >= 1) w.writeInt32(s.controllerId ?? -1)
  const topics = s.topics
  if (version >= 9) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeMetadataResponseTopic(w, version, item)
  if (version >= 8 && version <= 10) w.writeInt32(s.clusterAuthorizedOperations ?? -2147483648)
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readMetadataResponse(r: Reader, version: number): MetadataResponse {
  const throttleTimeMs = version >= 3 ? r.readInt32() : 0
  const brokersCount = version >= 9 ? r.readCompactArrayLength(10) : r.readArrayLength(10)
  if (brokersCount === null) throw nullNotAllowed('MetadataResponse.brokers', version)
  const brokers: MetadataResponseBroker[] = []
  for (let i = 0; i < brokersCount; i++) brokers.push(readMetadataResponseBroker(r, version))
  const clusterId: string | null =
    version >= 9 ? r.readCompactNullableString() : version >= 2 ? r.readNullableString() : null
  const controllerId = version >= 1 ? r.readInt32() : -1
  const topicsCount = version >= 9 ? r.readCompactArrayLength(8) : r.readArrayLength(8)
  if (topicsCount === null) throw nullNotAllowed('MetadataResponse.topics', version)
  const topics: MetadataResponseTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readMetadataResponseTopic(r, version))
  const clusterAuthorizedOperations = version >= 11 ? -2147483648 : version >= 8 ? r.readInt32() : -2147483648
  if (version >= 9) r.readTaggedFields()
  return { throttleTimeMs, brokers, clusterId, controllerId, topics, clusterAuthorizedOperations }
}

function writeMetadataResponseBroker(w: Writer, version: number, s: MetadataResponseBroker): void {
  w.writeInt32(s.nodeId)
  if (version >= 9) w.writeCompactString(s.host)
  else w.writeString(s.host)
  w.writeInt32(s.port)
  if (version >= 1) {
    if (version >= 9) w.writeCompactString(s.rack ?? null)
    else w.writeString(s.rack ?? null)
  }
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readMetadataResponseBroker(r: Reader, version: number): MetadataResponseBroker {
  const nodeId = r.readInt32()
  const host = version >= 9 ? r.readCompactString() : r.readString()
  const port = r.readInt32()
  const rack: string | null =
    version >= 9 ? r.readCompactNullableString() : version >= 1 ? r.readNullableString() : null
  if (version >= 9) r.readTaggedFields()
  return { nodeId, host, port, rack }
}

function writeMetadataResponseTopic(w: Writer, version: number, s: MetadataResponseTopic): void {
  w.writeInt16(s.errorCode)
  const name = s.name
  if (version >= 12) {
    w.writeCompactString(name)
  } else if (version >= 9) {
    if (name === null) throw nullNotAllowed('MetadataResponseTopic.name', version)
    w.writeCompactString(name)
  } else {
    if (name === null) throw nullNotAllowed('MetadataResponseTopic.name', version)
    w.writeString(name)
  }
  if (version >= 10) w.writeUuid(s.topicId ?? ZERO_UUID)
  if (version >= 1) w.writeBoolean(s.isInternal ?? false)
  const partitions = s.partitions
  if (version >= 9) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeMetadataResponsePartition(w, version, item)
  if (version >= 8) w.writeInt32(s.topicAuthorizedOperations ?? -2147483648)
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readMetadataResponseTopic(r: Reader, version: number): MetadataResponseTopic {
  const errorCode = r.readInt16()
  const name = version >= 12 ? r.readCompactNullableString() : version >= 9 ? r.readCompactString() : r.readString()
  const topicId = version >= 10 ? r.readUuid() : ZERO_UUID
  const isInternal = version >= 1 ? r.readBoolean() : false
  const partitionsCount = version >= 9 ? r.readCompactArrayLength(18) : r.readArrayLength(18)
  if (partitionsCount === null) throw nullNotAllowed('MetadataResponseTopic.partitions', version)
  const partitions: MetadataResponsePartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readMetadataResponsePartition(r, version))
  const topicAuthorizedOperations = version >= 8 ? r.readInt32() : -2147483648
  if (version >= 9) r.readTaggedFields()
  return { errorCode, name, topicId, isInternal, partitions, topicAuthorizedOperations }
}

function writeMetadataResponsePartition(w: Writer, version: number, s: MetadataResponsePartition): void {
  w.writeInt16(s.errorCode)
  w.writeInt32(s.partitionIndex)
  w.writeInt32(s.leaderId)
  if (version >= 7) w.writeInt32(s.leaderEpoch ?? -1)
  const replicaNodes = s.replicaNodes
  if (version >= 9) w.writeCompactArrayLength(replicaNodes.length)
  else w.writeArrayLength(replicaNodes.length)
  for (const item of replicaNodes) w.writeInt32(item)
  const isrNodes = s.isrNodes
  if (version >= 9) w.writeCompactArrayLength(isrNodes.length)
  else w.writeArrayLength(isrNodes.length)
  for (const item of isrNodes) w.writeInt32(item)
  if (version >= 5) {
    const offlineReplicas = s.offlineReplicas ?? EMPTY_ARRAY
    if (version >= 9) w.writeCompactArrayLength(offlineReplicas.length)
    else w.writeArrayLength(offlineReplicas.length)
    for (const item of offlineReplicas) w.writeInt32(item)
  }
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readMetadataResponsePartition(r: Reader, version: number): MetadataResponsePartition {
  const errorCode = r.readInt16()
  const partitionIndex = r.readInt32()
  const leaderId = r.readInt32()
  const leaderEpoch = version >= 7 ? r.readInt32() : -1
  const replicaNodesCount = version >= 9 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (replicaNodesCount === null) throw nullNotAllowed('MetadataResponsePartition.replicaNodes', version)
  const replicaNodes: number[] = []
  for (let i = 0; i < replicaNodesCount; i++) replicaNodes.push(r.readInt32())
  const isrNodesCount = version >= 9 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (isrNodesCount === null) throw nullNotAllowed('MetadataResponsePartition.isrNodes', version)
  const isrNodes: number[] = []
  for (let i = 0; i < isrNodesCount; i++) isrNodes.push(r.readInt32())
  let offlineReplicas: number[]
  if (version >= 5) {
    const offlineReplicasCount = version >= 9 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
    if (offlineReplicasCount === null) throw nullNotAllowed('MetadataResponsePartition.offlineReplicas', version)
    const offlineReplicasItems: number[] = []
    for (let i = 0; i < offlineReplicasCount; i++) offlineReplicasItems.push(r.readInt32())
    offlineReplicas = offlineReplicasItems
  } else offlineReplicas = []
  if (version >= 9) r.readTaggedFields()
  return { errorCode, partitionIndex, leaderId, leaderEpoch, replicaNodes, isrNodes, offlineReplicas }
}
