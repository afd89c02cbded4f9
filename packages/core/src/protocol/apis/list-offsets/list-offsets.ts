// Generated from Kafka's ListOffsetsRequest.json/ListOffsetsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// ListOffsets (API key 2)
//   valid versions: 0-10 (deprecated: 0)
//   flexible versions: 6+
//
// ListOffsets Request (Version: 10) => replica_id isolation_level [topics] timeout_ms _tagged_fields
//   replica_id => INT32
//   isolation_level => INT8
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index current_leader_epoch timestamp _tagged_fields
//       partition_index => INT32
//       current_leader_epoch => INT32
//       timestamp => INT64
//   timeout_ms => INT32
//
// ListOffsets Response (Version: 10) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index error_code timestamp offset leader_epoch _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       timestamp => INT64
//       offset => INT64
//       leader_epoch => INT32

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { EMPTY_ARRAY, nullNotAllowed, unsupportedVersion } from '../support.js'

/** ListOffsets (API key 2), versions 0-10. */
export const listOffsets: ApiDefinition<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 10,
  firstFlexibleVersion: 6,
  encodeRequest(writer: Writer, version: number, request: ListOffsetsRequest): void {
    if (!(version >= 0 && version <= 10)) throw unsupportedVersion('ListOffsets', version, 0, 10)
    writeListOffsetsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): ListOffsetsRequest {
    if (!(version >= 0 && version <= 10)) throw unsupportedVersion('ListOffsets', version, 0, 10)
    return readListOffsetsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: ListOffsetsResponse): void {
    if (!(version >= 0 && version <= 10)) throw unsupportedVersion('ListOffsets', version, 0, 10)
    writeListOffsetsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): ListOffsetsResponse {
    if (!(version >= 0 && version <= 10)) throw unsupportedVersion('ListOffsets', version, 0, 10)
    return readListOffsetsResponse(reader, version)
  },
}

/** The ListOffsets request. */
export interface ListOffsetsRequest {
  /** The broker ID of the requester, or -1 if this request is being made by a normal consumer. (Versions 0+.) */
  replicaId: number
  /**
   * This setting controls the visibility of transactional records. Using READ_UNCOMMITTED (isolation_level = 0)
   * makes all records visible. With READ_COMMITTED (isolation_level = 1), non-transactional and COMMITTED
   * transactional records are visible. To be more concrete, READ_COMMITTED returns all data from offsets smaller
   * than the current LSO (last stable offset), and enables the inclusion of the list of aborted transactions in
   * the result, which allows consumers to discard ABORTED transactional records. (Versions 2+.)
   */
  isolationLevel?: number
  /** Each topic in the request. (Versions 0+.) */
  topics: ListOffsetsRequestListOffsetsTopic[]
  /**
   * The timeout to await a response in milliseconds for requests that require reading from remote storage for
   * topics enabled with tiered storage. (Versions 10+.)
   */
  timeoutMs?: number
}

/** ListOffsetsTopic in ListOffsetsRequest. */
export interface ListOffsetsRequestListOffsetsTopic {
  /** The topic name. (Versions 0+.) */
  name: string
  /** Each partition in the request. (Versions 0+.) */
  partitions: ListOffsetsRequestListOffsetsPartition[]
}

/** ListOffsetsPartition in ListOffsetsRequest. */
export interface ListOffsetsRequestListOffsetsPartition {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The current leader epoch. (Versions 4+, default -1.) */
  currentLeaderEpoch?: number
  /** The current timestamp. (Versions 0+.) */
  timestamp: bigint
  /** The maximum number of offsets to report. (Versions 0, default 1.) */
  maxNumOffsets?: number
}

function writeListOffsetsRequest(w: Writer, version: number, s: ListOffsetsRequest): void {
  w.writeInt32(s.replicaId)
  if (version >= 2) w.writeInt8(s.isolationLevel ?? 0)
  const topics = s.topics
  if (version >= 6) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeListOffsetsRequestListOffsetsTopic(w, version, item)
  if (version >= 10) w.writeInt32(s.timeoutMs ?? 0)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readListOffsetsRequest(r: Reader, version: number): ListOffsetsRequest {
  const replicaId = r.readInt32()
  const isolationLevel = version >= 2 ? r.readInt8() : 0
  const topicsCount = version >= 6 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('ListOffsetsRequest.topics', version)
  const topics: ListOffsetsRequestListOffsetsTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readListOffsetsRequestListOffsetsTopic(r, version))
  const timeoutMs = version >= 10 ? r.readInt32() : 0
  if (version >= 6) r.readTaggedFields()
  return { replicaId, isolationLevel, topics, timeoutMs }
}

function writeListOffsetsRequestListOffsetsTopic(
  w: Writer,
  version: number,
  s: ListOffsetsRequestListOffsetsTopic,
): void {
  if (version >= 6) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitions = s.partitions
  if (version >= 6) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeListOffsetsRequestListOffsetsPartition(w, version, item)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readListOffsetsRequestListOffsetsTopic(r: Reader, version: number): ListOffsetsRequestListOffsetsTopic {
  const name = version >= 6 ? r.readCompactString() : r.readString()
  const partitionsCount = version >= 6 ? r.readCompactArrayLength(12) : r.readArrayLength(12)
  if (partitionsCount === null) throw nullNotAllowed('ListOffsetsRequestListOffsetsTopic.partitions', version)
  const partitions: ListOffsetsRequestListOffsetsPartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readListOffsetsRequestListOffsetsPartition(r, version))
  if (version >= 6) r.readTaggedFields()
  return { name, partitions }
}

function writeListOffsetsRequestListOffsetsPartition(
  w: Writer,
  version: number,
  s: ListOffsetsRequestListOffsetsPartition,
): void {
  w.writeInt32(s.partitionIndex)
  if (version >= 4) w.writeInt32(s.currentLeaderEpoch ?? -1)
  w.writeInt64(s.timestamp)
  if (version <= 0) w.writeInt32(s.maxNumOffsets ?? 1)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readListOffsetsRequestListOffsetsPartition(
  r: Reader,
  version: number,
): ListOffsetsRequestListOffsetsPartition {
  const partitionIndex = r.readInt32()
  const currentLeaderEpoch = version >= 4 ? r.readInt32() : -1
  const timestamp = r.readInt64()
  const maxNumOffsets = version >= 1 ? 1 : r.readInt32()
  if (version >= 6) r.readTaggedFields()
  return { partitionIndex, currentLeaderEpoch, timestamp, maxNumOffsets }
}

/** The ListOffsets response. */
export interface ListOffsetsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 2+.)
   */
  throttleTimeMs?: number
  /** Each topic in the response. (Versions 0+.) */
  topics: ListOffsetsResponseListOffsetsTopicResponse[]
}

/** ListOffsetsTopicResponse in ListOffsetsResponse. */
export interface ListOffsetsResponseListOffsetsTopicResponse {
  /** The topic name. (Versions 0+.) */
  name: string
  /** Each partition in the response. (Versions 0+.) */
  partitions: ListOffsetsResponseListOffsetsPartitionResponse[]
}

/** ListOffsetsPartitionResponse in ListOffsetsResponse. */
export interface ListOffsetsResponseListOffsetsPartitionResponse {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The partition error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The result offsets. (Versions 0.) */
  oldStyleOffsets?: bigint[]
  /** The timestamp associated with the returned offset. (Versions 1+, default -1.) */
  timestamp?: bigint
  /** The returned offset. (Versions 1+, default -1.) */
  offset?: bigint
  /** (Versions 4+, default -1.) */
  leaderEpoch?: number
}

function writeListOffsetsResponse(w: Writer, version: number, s: ListOffsetsResponse): void {
  if (version >= 2) w.writeInt32(s.throttleTimeMs ?? 0)
  const topics = s.topics
  if (version >= 6) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeListOffsetsResponseListOffsetsTopicResponse(w, version, item)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readListOffsetsResponse(r: Reader, version: number): ListOffsetsResponse {
  const throttleTimeMs = version >= 2 ? r.readInt32() : 0
  const topicsCount = version >= 6 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('ListOffsetsResponse.topics', version)
  const topics: ListOffsetsResponseListOffsetsTopicResponse[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readListOffsetsResponseListOffsetsTopicResponse(r, version))
  if (version >= 6) r.readTaggedFields()
  return { throttleTimeMs, topics }
}

function writeListOffsetsResponseListOffsetsTopicResponse(
  w: Writer,
  version: number,
  s: ListOffsetsResponseListOffsetsTopicResponse,
): void {
  if (version >= 6) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitions = s.partitions
  if (version >= 6) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeListOffsetsResponseListOffsetsPartitionResponse(w, version, item)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readListOffsetsResponseListOffsetsTopicResponse(
  r: Reader,
  version: number,
): ListOffsetsResponseListOffsetsTopicResponse {
  const name = version >= 6 ? r.readCompactString() : r.readString()
  const partitionsCount = version >= 6 ? r.readCompactArrayLength(10) : r.readArrayLength(10)
  if (partitionsCount === null) throw nullNotAllowed('ListOffsetsResponseListOffsetsTopicResponse.partitions', version)
  const partitions: ListOffsetsResponseListOffsetsPartitionResponse[] = []
  for (let i = 0; i < partitionsCount; i++)
    partitions.push(readListOffsetsResponseListOffsetsPartitionResponse(r, version))
  if (version >= 6) r.readTaggedFields()
  return { name, partitions }
}

function writeListOffsetsResponseListOffsetsPartitionResponse(
  w: Writer,
  version: number,
  s: ListOffsetsResponseListOffsetsPartitionResponse,
): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt16(s.errorCode)
  if (version <= 0) {
    const oldStyleOffsets = s.oldStyleOffsets ?? EMPTY_ARRAY
    w.writeArrayLength(oldStyleOffsets.length)
    for (const item of oldStyleOffsets) w.writeInt64(item)
  }
  if (version >= 1) w.writeInt64(s.timestamp ?? -1n)
  if (version >= 1) w.writeInt64(s.offset ?? -1n)
  if (version >= 4) w.writeInt32(s.leaderEpoch ?? -1)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readListOffsetsResponseListOffsetsPartitionResponse(
  r: Reader,
  version: number,
): ListOffsetsResponseListOffsetsPartitionResponse {
  const partitionIndex = r.readInt32()
  const errorCode = r.readInt16()
  let oldStyleOffsets: bigint[]
  if (version <= 0) {
    const oldStyleOffsetsCount = r.readArrayLength(8)
    if (oldStyleOffsetsCount === null)
      throw nullNotAllowed('ListOffsetsResponseListOffsetsPartitionResponse.oldStyleOffsets', version)
    const oldStyleOffsetsItems: bigint[] = []
    for (let i = 0; i < oldStyleOffsetsCount; i++) oldStyleOffsetsItems.push(r.readInt64())
    oldStyleOffsets = oldStyleOffsetsItems
  } else oldStyleOffsets = []
  const timestamp = version >= 1 ? r.readInt64() : -1n
  const offset = version >= 1 ? r.readInt64() : -1n
  const leaderEpoch = version >= 4 ? r.readInt32() : -1
  if (version >= 6) r.readTaggedFields()
  return { partitionIndex, errorCode, oldStyleOffsets, timestamp, offset, leaderEpoch }
}
