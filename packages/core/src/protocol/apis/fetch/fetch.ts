// Generated from Kafka's FetchRequest.json/FetchResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// Fetch (API key 1)
//   valid versions: 0-17 (deprecated: 0-3)
//   flexible versions: 12+
//
// Fetch Request (Version: 17) => <tag 0: cluster_id> <tag 1: replica_state> max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id _tagged_fields
//   cluster_id => COMPACT_NULLABLE_STRING
//   replica_state => replica_id replica_epoch _tagged_fields
//     replica_id => INT32
//     replica_epoch => INT64
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   session_id => INT32
//   session_epoch => INT32
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition current_leader_epoch fetch_offset last_fetched_epoch log_start_offset partition_max_bytes <tag 0: replica_directory_id> _tagged_fields
//       partition => INT32
//       current_leader_epoch => INT32
//       fetch_offset => INT64
//       last_fetched_epoch => INT32
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//       replica_directory_id => UUID
//   forgotten_topics_data => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => INT32
//   rack_id => COMPACT_STRING
//
// Fetch Response (Version: 17) => throttle_time_ms error_code session_id [responses] [<tag 0: node_endpoints>] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   session_id => INT32
//   responses => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset <tag 0: diverging_epoch> <tag 1: current_leader> <tag 2: snapshot_id> [aborted_transactions] preferred_read_replica records _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       high_watermark => INT64
//       last_stable_offset => INT64
//       log_start_offset => INT64
//       diverging_epoch => epoch end_offset _tagged_fields
//         epoch => INT32
//         end_offset => INT64
//       current_leader => leader_id leader_epoch _tagged_fields
//         leader_id => INT32
//         leader_epoch => INT32
//       snapshot_id => end_offset epoch _tagged_fields
//         end_offset => INT64
//         epoch => INT32
//       aborted_transactions => producer_id first_offset _tagged_fields
//         producer_id => INT64
//         first_offset => INT64
//       preferred_read_replica => INT32
//       records => COMPACT_RECORDS
//   node_endpoints => node_id host port rack _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import {
  beginTaggedField,
  EMPTY_ARRAY,
  endTaggedField,
  nullNotAllowed,
  taggedFieldEnd,
  unsupportedVersion,
  ZERO_UUID,
} from '../support.js'

/** Fetch (API key 1), versions 0-17. */
export const fetch: ApiDefinition<FetchRequest, FetchResponse> = {
  apiKey: 1,
  name: 'Fetch',
  minVersion: 0,
  maxVersion: 17,
  firstFlexibleVersion: 12,
  encodeRequest(writer: Writer, version: number, request: FetchRequest): void {
    if (!(version >= 0 && version <= 17)) throw unsupportedVersion('Fetch', version, 0, 17)
    writeFetchRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): FetchRequest {
    if (!(version >= 0 && version <= 17)) throw unsupportedVersion('Fetch', version, 0, 17)
    return readFetchRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: FetchResponse): void {
    if (!(version >= 0 && version <= 17)) throw unsupportedVersion('Fetch', version, 0, 17)
    writeFetchResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): FetchResponse {
    if (!(version >= 0 && version <= 17)) throw unsupportedVersion('Fetch', version, 0, 17)
    return readFetchResponse(reader, version)
  },
}

/** The Fetch request. */
export interface FetchRequest {
  /**
   * The clusterId if known. This is used to validate metadata fetches prior to broker registration. (Versions 12+,
   * nullable 12+, tagged (tag 0) 12+, default null.)
   */
  clusterId?: string | null
  /** The broker ID of the follower, of -1 if this request is from a consumer. (Versions 0-14, default -1.) */
  replicaId?: number
  /** (Versions 15+, tagged (tag 1) 15+.) */
  replicaState?: FetchRequestReplicaState
  /** The maximum time in milliseconds to wait for the response. (Versions 0+.) */
  maxWaitMs: number
  /** The minimum bytes to accumulate in the response. (Versions 0+.) */
  minBytes: number
  /**
   * The maximum bytes to fetch. See KIP-74 for cases where this limit may not be honored. (Versions 3+, default
   * 0x7fffffff.)
   */
  maxBytes?: number
  /**
   * This setting controls the visibility of transactional records. Using READ_UNCOMMITTED (isolation_level = 0)
   * makes all records visible. With READ_COMMITTED (isolation_level = 1), non-transactional and COMMITTED
   * transactional records are visible. To be more concrete, READ_COMMITTED returns all data from offsets smaller
   * than the current LSO (last stable offset), and enables the inclusion of the list of aborted transactions in
   * the result, which allows consumers to discard ABORTED transactional records. (Versions 4+, default 0.)
   */
  isolationLevel?: number
  /** The fetch session ID. (Versions 7+, default 0.) */
  sessionId?: number
  /** The fetch session epoch, which is used for ordering requests in a session. (Versions 7+, default -1.) */
  sessionEpoch?: number
  /** The topics to fetch. (Versions 0+.) */
  topics: FetchRequestFetchTopic[]
  /** In an incremental fetch request, the partitions to remove. (Versions 7+.) */
  forgottenTopicsData?: FetchRequestForgottenTopic[]
  /** Rack ID of the consumer making this request. (Versions 11+, default ''.) */
  rackId?: string
}

/** ReplicaState in FetchRequest. */
export interface FetchRequestReplicaState {
  /** The replica ID of the follower, or -1 if this request is from a consumer. (Versions 15+, default -1.) */
  replicaId?: number
  /** The epoch of this follower, or -1 if not available. (Versions 15+, default -1.) */
  replicaEpoch?: bigint
}

/** FetchTopic in FetchRequest. */
export interface FetchRequestFetchTopic {
  /** The name of the topic to fetch. (Versions 0-12.) */
  topic?: string
  /** The unique topic ID. (Versions 13+.) */
  topicId?: string
  /** The partitions to fetch. (Versions 0+.) */
  partitions: FetchRequestFetchPartition[]
}

/** FetchPartition in FetchRequest. */
export interface FetchRequestFetchPartition {
  /** The partition index. (Versions 0+.) */
  partition: number
  /** The current leader epoch of the partition. (Versions 9+, default -1.) */
  currentLeaderEpoch?: number
  /** The message offset. (Versions 0+.) */
  fetchOffset: bigint
  /** The epoch of the last fetched record or -1 if there is none. (Versions 12+, default -1.) */
  lastFetchedEpoch?: number
  /**
   * The earliest available offset of the follower replica. The field is only used when the request is sent by the
   * follower. (Versions 5+, default -1.)
   */
  logStartOffset?: bigint
  /**
   * The maximum bytes to fetch from this partition. See KIP-74 for cases where this limit may not be honored.
   * (Versions 0+.)
   */
  partitionMaxBytes: number
  /** The directory id of the follower fetching. (Versions 17+, tagged (tag 0) 17+.) */
  replicaDirectoryId?: string
}

/** ForgottenTopic in FetchRequest. */
export interface FetchRequestForgottenTopic {
  /** The topic name. (Versions 7-12.) */
  topic?: string
  /** The unique topic ID. (Versions 13+.) */
  topicId?: string
  /** The partitions indexes to forget. (Versions 7+.) */
  partitions?: number[]
}

function writeFetchRequest(w: Writer, version: number, s: FetchRequest): void {
  if (version <= 14) w.writeInt32(s.replicaId ?? -1)
  w.writeInt32(s.maxWaitMs)
  w.writeInt32(s.minBytes)
  if (version >= 3) w.writeInt32(s.maxBytes ?? 2147483647)
  if (version >= 4) w.writeInt8(s.isolationLevel ?? 0)
  if (version >= 7) w.writeInt32(s.sessionId ?? 0)
  if (version >= 7) w.writeInt32(s.sessionEpoch ?? -1)
  const topics = s.topics
  if (version >= 12) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeFetchRequestFetchTopic(w, version, item)
  if (version >= 7) {
    const forgottenTopicsData = s.forgottenTopicsData ?? EMPTY_ARRAY
    if (version >= 12) w.writeCompactArrayLength(forgottenTopicsData.length)
    else w.writeArrayLength(forgottenTopicsData.length)
    for (const item of forgottenTopicsData) writeFetchRequestForgottenTopic(w, version, item)
  }
  if (version >= 11) {
    if (version >= 12) w.writeCompactString(s.rackId ?? '')
    else w.writeString(s.rackId ?? '')
  }
  if (version >= 12) {
    const clusterIdTagged = s.clusterId
    const hasClusterId = clusterIdTagged !== undefined && clusterIdTagged !== null
    const replicaStateTagged = s.replicaState
    const hasReplicaState =
      version >= 15 && replicaStateTagged !== undefined && !isDefaultFetchRequestReplicaState(replicaStateTagged)
    w.writeUnsignedVarInt((hasClusterId ? 1 : 0) + (hasReplicaState ? 1 : 0))
    if (hasClusterId) {
      const at = beginTaggedField(w, 0)
      w.writeCompactString(clusterIdTagged)
      endTaggedField(w, at)
    }
    if (hasReplicaState) {
      const at = beginTaggedField(w, 1)
      writeFetchRequestReplicaState(w, version, replicaStateTagged)
      endTaggedField(w, at)
    }
  }
}

function readFetchRequest(r: Reader, version: number): FetchRequest {
  let clusterId: string | null = null
  const replicaId = version >= 15 ? -1 : r.readInt32()
  let replicaState: FetchRequestReplicaState = defaultFetchRequestReplicaState()
  const maxWaitMs = r.readInt32()
  const minBytes = r.readInt32()
  const maxBytes = version >= 3 ? r.readInt32() : 2147483647
  const isolationLevel = version >= 4 ? r.readInt8() : 0
  const sessionId = version >= 7 ? r.readInt32() : 0
  const sessionEpoch = version >= 7 ? r.readInt32() : -1
  const topicsCount = version >= 12 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('FetchRequest.topics', version)
  const topics: FetchRequestFetchTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readFetchRequestFetchTopic(r, version))
  let forgottenTopicsData: FetchRequestForgottenTopic[]
  if (version >= 7) {
    const forgottenTopicsDataCount = version >= 12 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
    if (forgottenTopicsDataCount === null) throw nullNotAllowed('FetchRequest.forgottenTopicsData', version)
    const forgottenTopicsDataItems: FetchRequestForgottenTopic[] = []
    for (let i = 0; i < forgottenTopicsDataCount; i++)
      forgottenTopicsDataItems.push(readFetchRequestForgottenTopic(r, version))
    forgottenTopicsData = forgottenTopicsDataItems
  } else forgottenTopicsData = []
  const rackId = version >= 12 ? r.readCompactString() : version >= 11 ? r.readString() : ''
  if (version >= 12) {
    for (let tagCount = r.readUnsignedVarInt(); tagCount > 0; tagCount--) {
      const tag = r.readUnsignedVarInt()
      const outerEnd = r.end
      const fieldEnd = taggedFieldEnd(r, r.readUnsignedVarInt())
      r.end = fieldEnd
      if (tag === 0) clusterId = r.readCompactNullableString()
      else if (tag === 1 && version >= 15) replicaState = readFetchRequestReplicaState(r, version)
      r.end = outerEnd
      r.offset = fieldEnd
    }
  }
  return {
    clusterId,
    replicaId,
    replicaState,
    maxWaitMs,
    minBytes,
    maxBytes,
    isolationLevel,
    sessionId,
    sessionEpoch,
    topics,
    forgottenTopicsData,
    rackId,
  }
}

function writeFetchRequestReplicaState(w: Writer, _version: number, s: FetchRequestReplicaState): void {
  w.writeInt32(s.replicaId ?? -1)
  w.writeInt64(s.replicaEpoch ?? -1n)
  w.writeEmptyTaggedFields()
}

function readFetchRequestReplicaState(r: Reader, _version: number): FetchRequestReplicaState {
  const replicaId = r.readInt32()
  const replicaEpoch = r.readInt64()
  r.readTaggedFields()
  return { replicaId, replicaEpoch }
}

function writeFetchRequestFetchTopic(w: Writer, version: number, s: FetchRequestFetchTopic): void {
  if (version <= 12) {
    if (version >= 12) w.writeCompactString(s.topic ?? '')
    else w.writeString(s.topic ?? '')
  }
  if (version >= 13) w.writeUuid(s.topicId ?? ZERO_UUID)
  const partitions = s.partitions
  if (version >= 12) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeFetchRequestFetchPartition(w, version, item)
  if (version >= 12) w.writeEmptyTaggedFields()
}

function readFetchRequestFetchTopic(r: Reader, version: number): FetchRequestFetchTopic {
  const topic = version >= 13 ? '' : version >= 12 ? r.readCompactString() : r.readString()
  const topicId = version >= 13 ? r.readUuid() : ZERO_UUID
  const partitionsCount = version >= 12 ? r.readCompactArrayLength(16) : r.readArrayLength(16)
  if (partitionsCount === null) throw nullNotAllowed('FetchRequestFetchTopic.partitions', version)
  const partitions: FetchRequestFetchPartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readFetchRequestFetchPartition(r, version))
  if (version >= 12) r.readTaggedFields()
  return { topic, topicId, partitions }
}

function writeFetchRequestFetchPartition(w: Writer, version: number, s: FetchRequestFetchPartition): void {
  w.writeInt32(s.partition)
  if (version >= 9) w.writeInt32(s.currentLeaderEpoch ?? -1)
  w.writeInt64(s.fetchOffset)
  if (version >= 12) w.writeInt32(s.lastFetchedEpoch ?? -1)
  if (version >= 5) w.writeInt64(s.logStartOffset ?? -1n)
  w.writeInt32(s.partitionMaxBytes)
  if (version >= 12) {
    const replicaDirectoryIdTagged = s.replicaDirectoryId
    const hasReplicaDirectoryId =
      version >= 17 && replicaDirectoryIdTagged !== undefined && replicaDirectoryIdTagged !== ZERO_UUID
    w.writeUnsignedVarInt(hasReplicaDirectoryId ? 1 : 0)
    if (hasReplicaDirectoryId) {
      const at = beginTaggedField(w, 0)
      w.writeUuid(replicaDirectoryIdTagged)
      endTaggedField(w, at)
    }
  }
}

function readFetchRequestFetchPartition(r: Reader, version: number): FetchRequestFetchPartition {
  const partition = r.readInt32()
  const currentLeaderEpoch = version >= 9 ? r.readInt32() : -1
  const fetchOffset = r.readInt64()
  const lastFetchedEpoch = version >= 12 ? r.readInt32() : -1
  const logStartOffset = version >= 5 ? r.readInt64() : -1n
  const partitionMaxBytes = r.readInt32()
  let replicaDirectoryId: string = ZERO_UUID
  if (version >= 12) {
    for (let tagCount = r.readUnsignedVarInt(); tagCount > 0; tagCount--) {
      const tag = r.readUnsignedVarInt()
      const outerEnd = r.end
      const fieldEnd = taggedFieldEnd(r, r.readUnsignedVarInt())
      r.end = fieldEnd
      if (tag === 0 && version >= 17) replicaDirectoryId = r.readUuid()
      r.end = outerEnd
      r.offset = fieldEnd
    }
  }
  return {
    partition,
    currentLeaderEpoch,
    fetchOffset,
    lastFetchedEpoch,
    logStartOffset,
    partitionMaxBytes,
    replicaDirectoryId,
  }
}

function writeFetchRequestForgottenTopic(w: Writer, version: number, s: FetchRequestForgottenTopic): void {
  if (version <= 12) {
    if (version >= 12) w.writeCompactString(s.topic ?? '')
    else w.writeString(s.topic ?? '')
  }
  if (version >= 13) w.writeUuid(s.topicId ?? ZERO_UUID)
  const partitions = s.partitions ?? EMPTY_ARRAY
  if (version >= 12) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) w.writeInt32(item)
  if (version >= 12) w.writeEmptyTaggedFields()
}

function readFetchRequestForgottenTopic(r: Reader, version: number): FetchRequestForgottenTopic {
  const topic = version >= 13 ? '' : version >= 12 ? r.readCompactString() : r.readString()
  const topicId = version >= 13 ? r.readUuid() : ZERO_UUID
  const partitionsCount = version >= 12 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (partitionsCount === null) throw nullNotAllowed('FetchRequestForgottenTopic.partitions', version)
  const partitions: number[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(r.readInt32())
  if (version >= 12) r.readTaggedFields()
  return { topic, topicId, partitions }
}

/** The Fetch response. */
export interface FetchResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 1+.)
   */
  throttleTimeMs?: number
  /** The top level response error code. (Versions 7+.) */
  errorCode?: number
  /** The fetch session ID, or 0 if this is not part of a fetch session. (Versions 7+, default 0.) */
  sessionId?: number
  /** The response topics. (Versions 0+.) */
  responses: FetchResponseFetchableTopicResponse[]
  /**
   * Endpoints for all current-leaders enumerated in PartitionData, with errors NOT_LEADER_OR_FOLLOWER &
   * FENCED_LEADER_EPOCH. (Versions 16+, tagged (tag 0) 16+.)
   */
  nodeEndpoints?: FetchResponseNodeEndpoint[]
}

/** FetchableTopicResponse in FetchResponse. */
export interface FetchResponseFetchableTopicResponse {
  /** The topic name. (Versions 0-12.) */
  topic?: string
  /** The unique topic ID. (Versions 13+.) */
  topicId?: string
  /** The topic partitions. (Versions 0+.) */
  partitions: FetchResponsePartitionData[]
}

/** PartitionData in FetchResponse. */
export interface FetchResponsePartitionData {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The error code, or 0 if there was no fetch error. (Versions 0+.) */
  errorCode: number
  /** The current high water mark. (Versions 0+.) */
  highWatermark: bigint
  /**
   * The last stable offset (or LSO) of the partition. This is the last offset such that the state of all
   * transactional records prior to this offset have been decided (ABORTED or COMMITTED). (Versions 4+, default
   * -1.)
   */
  lastStableOffset?: bigint
  /** The current log start offset. (Versions 5+, default -1.) */
  logStartOffset?: bigint
  /**
   * In case divergence is detected based on the `LastFetchedEpoch` and `FetchOffset` in the request, this field
   * indicates the largest epoch and its end offset such that subsequent records are known to diverge. (Versions
   * 12+, tagged (tag 0) 12+.)
   */
  divergingEpoch?: FetchResponseEpochEndOffset
  /** (Versions 12+, tagged (tag 1) 12+.) */
  currentLeader?: FetchResponseLeaderIdAndEpoch
  /**
   * In the case of fetching an offset less than the LogStartOffset, this is the end offset and epoch that should
   * be used in the FetchSnapshot request. (Versions 12+, tagged (tag 2) 12+.)
   */
  snapshotId?: FetchResponseSnapshotId
  /** The aborted transactions. (Versions 4+, nullable 4+.) */
  abortedTransactions?: FetchResponseAbortedTransaction[] | null
  /** The preferred read replica for the consumer to use on its next fetch request. (Versions 11+, default -1.) */
  preferredReadReplica?: number
  /** The record data. (Versions 0+, nullable 0+.) */
  records: Buffer | null
}

/** EpochEndOffset in FetchResponse. */
export interface FetchResponseEpochEndOffset {
  /** (Versions 12+, default -1.) */
  epoch?: number
  /** (Versions 12+, default -1.) */
  endOffset?: bigint
}

/** LeaderIdAndEpoch in FetchResponse. */
export interface FetchResponseLeaderIdAndEpoch {
  /** The ID of the current leader or -1 if the leader is unknown. (Versions 12+, default -1.) */
  leaderId?: number
  /** The latest known leader epoch. (Versions 12+, default -1.) */
  leaderEpoch?: number
}

/** SnapshotId in FetchResponse. */
export interface FetchResponseSnapshotId {
  /** (Versions 0+, default -1.) */
  endOffset: bigint
  /** (Versions 0+, default -1.) */
  epoch: number
}

/** AbortedTransaction in FetchResponse. */
export interface FetchResponseAbortedTransaction {
  /** The producer id associated with the aborted transaction. (Versions 4+.) */
  producerId?: bigint
  /** The first offset in the aborted transaction. (Versions 4+.) */
  firstOffset?: bigint
}

/** NodeEndpoint in FetchResponse. */
export interface FetchResponseNodeEndpoint {
  /** The ID of the associated node. (Versions 16+.) */
  nodeId?: number
  /** The node's hostname. (Versions 16+.) */
  host?: string
  /** The node's port. (Versions 16+.) */
  port?: number
  /**
   * The rack of the node, or null if it has not been assigned to a rack. (Versions 16+, nullable 16+, default
   * null.)
   */
  rack?: string | null
}

function writeFetchResponse(w: Writer, version: number, s: FetchResponse): void {
  if (version >= 1) w.writeInt32(s.throttleTimeMs ?? 0)
  if (version >= 7) w.writeInt16(s.errorCode ?? 0)
  if (version >= 7) w.writeInt32(s.sessionId ?? 0)
  const responses = s.responses
  if (version >= 12) w.writeCompactArrayLength(responses.length)
  else w.writeArrayLength(responses.length)
  for (const item of responses) writeFetchResponseFetchableTopicResponse(w, version, item)
  if (version >= 12) {
    const nodeEndpointsTagged = s.nodeEndpoints
    const hasNodeEndpoints = version >= 16 && nodeEndpointsTagged !== undefined && nodeEndpointsTagged.length !== 0
    w.writeUnsignedVarInt(hasNodeEndpoints ? 1 : 0)
    if (hasNodeEndpoints) {
      const at = beginTaggedField(w, 0)
      w.writeCompactArrayLength(nodeEndpointsTagged.length)
      for (const item of nodeEndpointsTagged) writeFetchResponseNodeEndpoint(w, version, item)
      endTaggedField(w, at)
    }
  }
}

function readFetchResponse(r: Reader, version: number): FetchResponse {
  const throttleTimeMs = version >= 1 ? r.readInt32() : 0
  const errorCode = version >= 7 ? r.readInt16() : 0
  const sessionId = version >= 7 ? r.readInt32() : 0
  const responsesCount = version >= 12 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (responsesCount === null) throw nullNotAllowed('FetchResponse.responses', version)
  const responses: FetchResponseFetchableTopicResponse[] = []
  for (let i = 0; i < responsesCount; i++) responses.push(readFetchResponseFetchableTopicResponse(r, version))
  let nodeEndpoints: FetchResponseNodeEndpoint[] = []
  if (version >= 12) {
    for (let tagCount = r.readUnsignedVarInt(); tagCount > 0; tagCount--) {
      const tag = r.readUnsignedVarInt()
      const outerEnd = r.end
      const fieldEnd = taggedFieldEnd(r, r.readUnsignedVarInt())
      r.end = fieldEnd
      if (tag === 0 && version >= 16) {
        const nodeEndpointsCount = r.readCompactArrayLength(11)
        if (nodeEndpointsCount === null) throw nullNotAllowed('FetchResponse.nodeEndpoints', version)
        const nodeEndpointsItems: FetchResponseNodeEndpoint[] = []
        for (let i = 0; i < nodeEndpointsCount; i++) nodeEndpointsItems.push(readFetchResponseNodeEndpoint(r, version))
        nodeEndpoints = nodeEndpointsItems
      }
      r.end = outerEnd
      r.offset = fieldEnd
    }
  }
  return { throttleTimeMs, errorCode, sessionId, responses, nodeEndpoints }
}

function writeFetchResponseFetchableTopicResponse(
  w: Writer,
  version: number,
  s: FetchResponseFetchableTopicResponse,
): void {
  if (version <= 12) {
    if (version >= 12) w.writeCompactString(s.topic ?? '')
    else w.writeString(s.topic ?? '')
  }
  if (version >= 13) w.writeUuid(s.topicId ?? ZERO_UUID)
  const partitions = s.partitions
  if (version >= 12) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeFetchResponsePartitionData(w, version, item)
  if (version >= 12) w.writeEmptyTaggedFields()
}

function readFetchResponseFetchableTopicResponse(r: Reader, version: number): FetchResponseFetchableTopicResponse {
  const topic = version >= 13 ? '' : version >= 12 ? r.readCompactString() : r.readString()
  const topicId = version >= 13 ? r.readUuid() : ZERO_UUID
  const partitionsCount = version >= 12 ? r.readCompactArrayLength(18) : r.readArrayLength(18)
  if (partitionsCount === null) throw nullNotAllowed('FetchResponseFetchableTopicResponse.partitions', version)
  const partitions: FetchResponsePartitionData[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readFetchResponsePartitionData(r, version))
  if (version >= 12) r.readTaggedFields()
  return { topic, topicId, partitions }
}

function writeFetchResponsePartitionData(w: Writer, version: number, s: FetchResponsePartitionData): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt16(s.errorCode)
  w.writeInt64(s.highWatermark)
  if (version >= 4) w.writeInt64(s.lastStableOffset ?? -1n)
  if (version >= 5) w.writeInt64(s.logStartOffset ?? -1n)
  if (version >= 4) {
    const abortedTransactions = s.abortedTransactions ?? null
    if (version >= 12) w.writeCompactArrayLength(abortedTransactions === null ? null : abortedTransactions.length)
    else w.writeArrayLength(abortedTransactions === null ? null : abortedTransactions.length)
    if (abortedTransactions !== null)
      for (const item of abortedTransactions) writeFetchResponseAbortedTransaction(w, version, item)
  }
  if (version >= 11) w.writeInt32(s.preferredReadReplica ?? -1)
  const records = s.records
  if (version >= 12) w.writeUnsignedVarInt(records === null ? 0 : records.length + 1)
  else w.writeInt32(records === null ? -1 : records.length)
  if (records !== null) w.appendExternal(records)
  if (version >= 12) {
    const divergingEpochTagged = s.divergingEpoch
    const hasDivergingEpoch =
      divergingEpochTagged !== undefined && !isDefaultFetchResponseEpochEndOffset(divergingEpochTagged)
    const currentLeaderTagged = s.currentLeader
    const hasCurrentLeader =
      currentLeaderTagged !== undefined && !isDefaultFetchResponseLeaderIdAndEpoch(currentLeaderTagged)
    const snapshotIdTagged = s.snapshotId
    const hasSnapshotId = snapshotIdTagged !== undefined && !isDefaultFetchResponseSnapshotId(snapshotIdTagged)
    w.writeUnsignedVarInt((hasDivergingEpoch ? 1 : 0) + (hasCurrentLeader ? 1 : 0) + (hasSnapshotId ? 1 : 0))
    if (hasDivergingEpoch) {
      const at = beginTaggedField(w, 0)
      writeFetchResponseEpochEndOffset(w, version, divergingEpochTagged)
      endTaggedField(w, at)
    }
    if (hasCurrentLeader) {
      const at = beginTaggedField(w, 1)
      writeFetchResponseLeaderIdAndEpoch(w, version, currentLeaderTagged)
      endTaggedField(w, at)
    }
    if (hasSnapshotId) {
      const at = beginTaggedField(w, 2)
      writeFetchResponseSnapshotId(w, version, snapshotIdTagged)
      endTaggedField(w, at)
    }
  }
}

function readFetchResponsePartitionData(r: Reader, version: number): FetchResponsePartitionData {
  const partitionIndex = r.readInt32()
  const errorCode = r.readInt16()
  const highWatermark = r.readInt64()
  const lastStableOffset = version >= 4 ? r.readInt64() : -1n
  const logStartOffset = version >= 5 ? r.readInt64() : -1n
  let divergingEpoch: FetchResponseEpochEndOffset = defaultFetchResponseEpochEndOffset()
  let currentLeader: FetchResponseLeaderIdAndEpoch = defaultFetchResponseLeaderIdAndEpoch()
  let snapshotId: FetchResponseSnapshotId = defaultFetchResponseSnapshotId()
  let abortedTransactions: FetchResponseAbortedTransaction[] | null
  if (version >= 4) {
    const abortedTransactionsCount = version >= 12 ? r.readCompactArrayLength(16) : r.readArrayLength(16)
    if (abortedTransactionsCount === null) abortedTransactions = null
    else {
      const abortedTransactionsItems: FetchResponseAbortedTransaction[] = []
      for (let i = 0; i < abortedTransactionsCount; i++)
        abortedTransactionsItems.push(readFetchResponseAbortedTransaction(r, version))
      abortedTransactions = abortedTransactionsItems
    }
  } else abortedTransactions = null
  const preferredReadReplica = version >= 11 ? r.readInt32() : -1
  const records = version >= 12 ? r.readCompactNullableBytes() : r.readNullableBytes()
  if (version >= 12) {
    for (let tagCount = r.readUnsignedVarInt(); tagCount > 0; tagCount--) {
      const tag = r.readUnsignedVarInt()
      const outerEnd = r.end
      const fieldEnd = taggedFieldEnd(r, r.readUnsignedVarInt())
      r.end = fieldEnd
      if (tag === 0) divergingEpoch = readFetchResponseEpochEndOffset(r, version)
      else if (tag === 1) currentLeader = readFetchResponseLeaderIdAndEpoch(r, version)
      else if (tag === 2) snapshotId = readFetchResponseSnapshotId(r, version)
      r.end = outerEnd
      r.offset = fieldEnd
    }
  }
  return {
    partitionIndex,
    errorCode,
    highWatermark,
    lastStableOffset,
    logStartOffset,
    divergingEpoch,
    currentLeader,
    snapshotId,
    abortedTransactions,
    preferredReadReplica,
    records,
  }
}

function writeFetchResponseEpochEndOffset(w: Writer, _version: number, s: FetchResponseEpochEndOffset): void {
  w.writeInt32(s.epoch ?? -1)
  w.writeInt64(s.endOffset ?? -1n)
  w.writeEmptyTaggedFields()
}

function readFetchResponseEpochEndOffset(r: Reader, _version: number): FetchResponseEpochEndOffset {
  const epoch = r.readInt32()
  const endOffset = r.readInt64()
  r.readTaggedFields()
  return { epoch, endOffset }
}

function writeFetchResponseLeaderIdAndEpoch(w: Writer, _version: number, s: FetchResponseLeaderIdAndEpoch): void {
  w.writeInt32(s.leaderId ?? -1)
  w.writeInt32(s.leaderEpoch ?? -1)
  w.writeEmptyTaggedFields()
}

function readFetchResponseLeaderIdAndEpoch(r: Reader, _version: number): FetchResponseLeaderIdAndEpoch {
  const leaderId = r.readInt32()
  const leaderEpoch = r.readInt32()
  r.readTaggedFields()
  return { leaderId, leaderEpoch }
}

function writeFetchResponseSnapshotId(w: Writer, _version: number, s: FetchResponseSnapshotId): void {
  w.writeInt64(s.endOffset)
  w.writeInt32(s.epoch)
  w.writeEmptyTaggedFields()
}

function readFetchResponseSnapshotId(r: Reader, _version: number): FetchResponseSnapshotId {
  const endOffset = r.readInt64()
  const epoch = r.readInt32()
  r.readTaggedFields()
  return { endOffset, epoch }
}

function writeFetchResponseAbortedTransaction(w: Writer, version: number, s: FetchResponseAbortedTransaction): void {
  w.writeInt64(s.producerId ?? 0n)
  w.writeInt64(s.firstOffset ?? 0n)
  if (version >= 12) w.writeEmptyTaggedFields()
}

function readFetchResponseAbortedTransaction(r: Reader, version: number): FetchResponseAbortedTransaction {
  const producerId = r.readInt64()
  const firstOffset = r.readInt64()
  if (version >= 12) r.readTaggedFields()
  return { producerId, firstOffset }
}

function writeFetchResponseNodeEndpoint(w: Writer, _version: number, s: FetchResponseNodeEndpoint): void {
  w.writeInt32(s.nodeId ?? 0)
  w.writeCompactString(s.host ?? '')
  w.writeInt32(s.port ?? 0)
  w.writeCompactString(s.rack ?? null)
  w.writeEmptyTaggedFields()
}

function readFetchResponseNodeEndpoint(r: Reader, _version: number): FetchResponseNodeEndpoint {
  const nodeId = r.readInt32()
  const host = r.readCompactString()
  const port = r.readInt32()
  const rack = r.readCompactNullableString()
  r.readTaggedFields()
  return { nodeId, host, port, rack }
}

function defaultFetchRequestReplicaState(): FetchRequestReplicaState {
  return { replicaId: -1, replicaEpoch: -1n }
}

function isDefaultFetchRequestReplicaState(s: FetchRequestReplicaState): boolean {
  return (s.replicaId === undefined || s.replicaId === -1) && (s.replicaEpoch === undefined || s.replicaEpoch === -1n)
}

function defaultFetchResponseEpochEndOffset(): FetchResponseEpochEndOffset {
  return { epoch: -1, endOffset: -1n }
}

function isDefaultFetchResponseEpochEndOffset(s: FetchResponseEpochEndOffset): boolean {
  return (s.epoch === undefined || s.epoch === -1) && (s.endOffset === undefined || s.endOffset === -1n)
}

function defaultFetchResponseLeaderIdAndEpoch(): FetchResponseLeaderIdAndEpoch {
  return { leaderId: -1, leaderEpoch: -1 }
}

function isDefaultFetchResponseLeaderIdAndEpoch(s: FetchResponseLeaderIdAndEpoch): boolean {
  return (s.leaderId === undefined || s.leaderId === -1) && (s.leaderEpoch === undefined || s.leaderEpoch === -1)
}

function defaultFetchResponseSnapshotId(): FetchResponseSnapshotId {
  return { endOffset: -1n, epoch: -1 }
}

function isDefaultFetchResponseSnapshotId(s: FetchResponseSnapshotId): boolean {
  return s.endOffset === -1n && s.epoch === -1
}
