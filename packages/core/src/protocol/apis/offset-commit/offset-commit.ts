// Generated from Kafka's OffsetCommitRequest.json/OffsetCommitResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// OffsetCommit (API key 8)
//   valid versions: 0-9 (deprecated: 0-1)
//   flexible versions: 8+
//
// OffsetCommit Request (Version: 9) => group_id generation_id_or_member_epoch member_id group_instance_id [topics] _tagged_fields
//   group_id => COMPACT_STRING
//   generation_id_or_member_epoch => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index committed_offset committed_leader_epoch committed_metadata _tagged_fields
//       partition_index => INT32
//       committed_offset => INT64
//       committed_leader_epoch => INT32
//       committed_metadata => COMPACT_NULLABLE_STRING
//
// OffsetCommit Response (Version: 9) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index error_code _tagged_fields
//       partition_index => INT32
//       error_code => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** OffsetCommit (API key 8), versions 0-9. */
export const offsetCommit: ApiDefinition<OffsetCommitRequest, OffsetCommitResponse> = {
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 9,
  firstFlexibleVersion: 8,
  encodeRequest(writer: Writer, version: number, request: OffsetCommitRequest): void {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('OffsetCommit', version, 0, 9)
    writeOffsetCommitRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): OffsetCommitRequest {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('OffsetCommit', version, 0, 9)
    return readOffsetCommitRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: OffsetCommitResponse): void {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('OffsetCommit', version, 0, 9)
    writeOffsetCommitResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): OffsetCommitResponse {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('OffsetCommit', version, 0, 9)
    return readOffsetCommitResponse(reader, version)
  },
}

/** The OffsetCommit request. */
export interface OffsetCommitRequest {
  /** The unique group identifier. (Versions 0+.) */
  groupId: string
  /**
   * The generation of the group if using the classic group protocol or the member epoch if using the consumer
   * protocol. (Versions 1+, default -1.)
   */
  generationIdOrMemberEpoch?: number
  /** The member ID assigned by the group coordinator. (Versions 1+.) */
  memberId?: string
  /** The unique identifier of the consumer instance provided by end user. (Versions 7+, nullable 7+, default null.) */
  groupInstanceId?: string | null
  /** The time period in ms to retain the offset. (Versions 2-4, default -1.) */
  retentionTimeMs?: bigint
  /** The topics to commit offsets for. (Versions 0+.) */
  topics: OffsetCommitRequestTopic[]
}

/** OffsetCommitRequestTopic in OffsetCommitRequest. */
export interface OffsetCommitRequestTopic {
  /** The topic name. (Versions 0+.) */
  name: string
  /** Each partition to commit offsets for. (Versions 0+.) */
  partitions: OffsetCommitRequestPartition[]
}

/** OffsetCommitRequestPartition in OffsetCommitRequest. */
export interface OffsetCommitRequestPartition {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The message offset to be committed. (Versions 0+.) */
  committedOffset: bigint
  /** The leader epoch of this partition. (Versions 6+, default -1.) */
  committedLeaderEpoch?: number
  /** The timestamp of the commit. (Versions 1, default -1.) */
  commitTimestamp?: bigint
  /** Any associated metadata the client wants to keep. (Versions 0+, nullable 0+.) */
  committedMetadata: string | null
}

function writeOffsetCommitRequest(w: Writer, version: number, s: OffsetCommitRequest): void {
  if (version >= 8) w.writeCompactString(s.groupId)
  else w.writeString(s.groupId)
  if (version >= 1) w.writeInt32(s.generationIdOrMemberEpoch ?? -1)
  if (version >= 1) {
    if (version >= 8) w.writeCompactString(s.memberId ?? '')
    else w.writeString(s.memberId ?? '')
  }
  if (version >= 7) {
    if (version >= 8) w.writeCompactString(s.groupInstanceId ?? null)
    else w.writeString(s.groupInstanceId ?? null)
  }
  if (version >= 2 && version <= 4) w.writeInt64(s.retentionTimeMs ?? -1n)
  const topics = s.topics
  if (version >= 8) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeOffsetCommitRequestTopic(w, version, item)
  if (version >= 8) w.writeEmptyTaggedFields()
}

function readOffsetCommitRequest(r: Reader, version: number): OffsetCommitRequest {
  const groupId = version >= 8 ? r.readCompactString() : r.readString()
  const generationIdOrMemberEpoch = version >= 1 ? r.readInt32() : -1
  const memberId = version >= 8 ? r.readCompactString() : version >= 1 ? r.readString() : ''
  const groupInstanceId: string | null =
    version >= 8 ? r.readCompactNullableString() : version >= 7 ? r.readNullableString() : null
  const retentionTimeMs = version >= 5 ? -1n : version >= 2 ? r.readInt64() : -1n
  const topicsCount = version >= 8 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('OffsetCommitRequest.topics', version)
  const topics: OffsetCommitRequestTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readOffsetCommitRequestTopic(r, version))
  if (version >= 8) r.readTaggedFields()
  return { groupId, generationIdOrMemberEpoch, memberId, groupInstanceId, retentionTimeMs, topics }
}

function writeOffsetCommitRequestTopic(w: Writer, version: number, s: OffsetCommitRequestTopic): void {
  if (version >= 8) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitions = s.partitions
  if (version >= 8) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeOffsetCommitRequestPartition(w, version, item)
  if (version >= 8) w.writeEmptyTaggedFields()
}

function readOffsetCommitRequestTopic(r: Reader, version: number): OffsetCommitRequestTopic {
  const name = version >= 8 ? r.readCompactString() : r.readString()
  const partitionsCount = version >= 8 ? r.readCompactArrayLength(14) : r.readArrayLength(14)
  if (partitionsCount === null) throw nullNotAllowed('OffsetCommitRequestTopic.partitions', version)
  const partitions: OffsetCommitRequestPartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readOffsetCommitRequestPartition(r, version))
  if (version >= 8) r.readTaggedFields()
  return { name, partitions }
}

function writeOffsetCommitRequestPartition(w: Writer, version: number, s: OffsetCommitRequestPartition): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt64(s.committedOffset)
  if (version >= 6) w.writeInt32(s.committedLeaderEpoch ?? -1)
  if (version >= 1 && version <= 1) w.writeInt64(s.commitTimestamp ?? -1n)
  if (version >= 8) w.writeCompactString(s.committedMetadata)
  else w.writeString(s.committedMetadata)
  if (version >= 8) w.writeEmptyTaggedFields()
}

function readOffsetCommitRequestPartition(r: Reader, version: number): OffsetCommitRequestPartition {
  const partitionIndex = r.readInt32()
  const committedOffset = r.readInt64()
  const committedLeaderEpoch = version >= 6 ? r.readInt32() : -1
  const commitTimestamp = version >= 2 ? -1n : version >= 1 ? r.readInt64() : -1n
  const committedMetadata = version >= 8 ? r.readCompactNullableString() : r.readNullableString()
  if (version >= 8) r.readTaggedFields()
  return { partitionIndex, committedOffset, committedLeaderEpoch, commitTimestamp, committedMetadata }
}

/** The OffsetCommit response. */
export interface OffsetCommitResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 3+.)
   */
  throttleTimeMs?: number
  /** The responses for each topic. (Versions 0+.) */
  topics: OffsetCommitResponseTopic[]
}

/** OffsetCommitResponseTopic in OffsetCommitResponse. */
export interface OffsetCommitResponseTopic {
  /** The topic name. (Versions 0+.) */
  name: string
  /** The responses for each partition in the topic. (Versions 0+.) */
  partitions: OffsetCommitResponsePartition[]
}

/** OffsetCommitResponsePartition in OffsetCommitResponse. */
export interface OffsetCommitResponsePartition {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
}

function writeOffsetCommitResponse(w: Writer, version: number, s: OffsetCommitResponse): void {
  if (version >= 3) w.writeInt32(s.throttleTimeMs ?? 0)
  const topics = s.topics
  if (version >= 8) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeOffsetCommitResponseTopic(w, version, item)
  if (version >= 8) w.writeEmptyTaggedFields()
}

function readOffsetCommitResponse(r: Reader, version: number): OffsetCommitResponse {
  const throttleTimeMs = version >= 3 ? r.readInt32() : 0
  const topicsCount = version >= 8 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('OffsetCommitResponse.topics', version)
  const topics: OffsetCommitResponseTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readOffsetCommitResponseTopic(r, version))
  if (version >= 8) r.readTaggedFields()
  return { throttleTimeMs, topics }
}

function writeOffsetCommitResponseTopic(w: Writer, version: number, s: OffsetCommitResponseTopic): void {
  if (version >= 8) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitions = s.partitions
  if (version >= 8) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeOffsetCommitResponsePartition(w, version, item)
  if (version >= 8) w.writeEmptyTaggedFields()
}

function readOffsetCommitResponseTopic(r: Reader, version: number): OffsetCommitResponseTopic {
  const name = version >= 8 ? r.readCompactString() : r.readString()
  const partitionsCount = version >= 8 ? r.readCompactArrayLength(6) : r.readArrayLength(6)
  if (partitionsCount === null) throw nullNotAllowed('OffsetCommitResponseTopic.partitions', version)
  const partitions: OffsetCommitResponsePartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readOffsetCommitResponsePartition(r, version))
  if (version >= 8) r.readTaggedFields()
  return { name, partitions }
}

function writeOffsetCommitResponsePartition(w: Writer, version: number, s: OffsetCommitResponsePartition): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt16(s.errorCode)
  if (version >= 8) w.writeEmptyTaggedFields()
}

function readOffsetCommitResponsePartition(r: Reader, version: number): OffsetCommitResponsePartition {
  const partitionIndex = r.readInt32()
  const errorCode = r.readInt16()
  if (version >= 8) r.readTaggedFields()
  return { partitionIndex, errorCode }
}
