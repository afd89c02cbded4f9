// Generated from Kafka's OffsetFetchRequest.json/OffsetFetchResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// OffsetFetch (API key 9)
//   valid versions: 0-9 (deprecated: 0)
//   flexible versions: 6+
//
// OffsetFetch Request (Version: 9) => [groups] require_stable _tagged_fields
//   groups => group_id member_id member_epoch [topics] _tagged_fields
//     group_id => COMPACT_STRING
//     member_id => COMPACT_NULLABLE_STRING
//     member_epoch => INT32
//     topics => name [partition_indexes] _tagged_fields
//       name => COMPACT_STRING
//       partition_indexes => INT32
//   require_stable => BOOLEAN
//
// OffsetFetch Response (Version: 9) => throttle_time_ms [groups] _tagged_fields
//   throttle_time_ms => INT32
//   groups => group_id [topics] error_code _tagged_fields
//     group_id => COMPACT_STRING
//     topics => name [partitions] _tagged_fields
//       name => COMPACT_STRING
//       partitions => partition_index committed_offset committed_leader_epoch metadata error_code _tagged_fields
//         partition_index => INT32
//         committed_offset => INT64
//         committed_leader_epoch => INT32
//         metadata => COMPACT_NULLABLE_STRING
//         error_code => INT16
//     error_code => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { EMPTY_ARRAY, nullNotAllowed, unsupportedVersion } from '../support.js'

/** OffsetFetch (API key 9), versions 0-9. */
export const offsetFetch: ApiDefinition<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 9,
  firstFlexibleVersion: 6,
  encodeRequest(writer: Writer, version: number, request: OffsetFetchRequest): void {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('OffsetFetch', version, 0, 9)
    writeOffsetFetchRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): OffsetFetchRequest {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('OffsetFetch', version, 0, 9)
    return readOffsetFetchRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: OffsetFetchResponse): void {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('OffsetFetch', version, 0, 9)
    writeOffsetFetchResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): OffsetFetchResponse {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('OffsetFetch', version, 0, 9)
    return readOffsetFetchResponse(reader, version)
  },
}

/** The OffsetFetch request. */
export interface OffsetFetchRequest {
  /** The group to fetch offsets for. (Versions 0-7.) */
  groupId?: string
  /**
   * Each topic we would like to fetch offsets for, or null to fetch offsets for all topics. (Versions 0-7,
   * nullable 2-7.)
   */
  topics?: OffsetFetchRequestTopic[] | null
  /** Each group we would like to fetch offsets for. (Versions 8+.) */
  groups?: OffsetFetchRequestGroup[]
  /**
   * Whether broker should hold on returning unstable offsets but set a retriable error code for the partitions.
   * (Versions 7+, default false.)
   */
  requireStable?: boolean
}

/** OffsetFetchRequestTopic in OffsetFetchRequest. */
export interface OffsetFetchRequestTopic {
  /** The topic name. (Versions 0-7.) */
  name?: string
  /** The partition indexes we would like to fetch offsets for. (Versions 0-7.) */
  partitionIndexes?: number[]
}

/** OffsetFetchRequestGroup in OffsetFetchRequest. */
export interface OffsetFetchRequestGroup {
  /** The group ID. (Versions 8+.) */
  groupId?: string
  /**
   * The member ID assigned by the group coordinator if using the new consumer protocol (KIP-848). (Versions 9+,
   * nullable 9+, default null.)
   */
  memberId?: string | null
  /** The member epoch if using the new consumer protocol (KIP-848). (Versions 9+, default -1.) */
  memberEpoch?: number
  /**
   * Each topic we would like to fetch offsets for, or null to fetch offsets for all topics. (Versions 8+, nullable
   * 8+.)
   */
  topics?: OffsetFetchRequestTopics[] | null
}

/** OffsetFetchRequestTopics in OffsetFetchRequest. */
export interface OffsetFetchRequestTopics {
  /** The topic name. (Versions 8+.) */
  name?: string
  /** The partition indexes we would like to fetch offsets for. (Versions 8+.) */
  partitionIndexes?: number[]
}

function writeOffsetFetchRequest(w: Writer, version: number, s: OffsetFetchRequest): void {
  if (version <= 7) {
    if (version >= 6) w.writeCompactString(s.groupId ?? '')
    else w.writeString(s.groupId ?? '')
  }
  if (version <= 7) {
    const topics = s.topics === undefined ? EMPTY_ARRAY : s.topics
    if (version >= 6) {
      w.writeCompactArrayLength(topics === null ? null : topics.length)
      if (topics !== null) for (const item of topics) writeOffsetFetchRequestTopic(w, version, item)
    } else if (version >= 2) {
      w.writeArrayLength(topics === null ? null : topics.length)
      if (topics !== null) for (const item of topics) writeOffsetFetchRequestTopic(w, version, item)
    } else {
      if (topics === null) throw nullNotAllowed('OffsetFetchRequest.topics', version)
      w.writeArrayLength(topics.length)
      for (const item of topics) writeOffsetFetchRequestTopic(w, version, item)
    }
  }
  if (version >= 8) {
    const groups = s.groups ?? EMPTY_ARRAY
    w.writeCompactArrayLength(groups.length)
    for (const item of groups) writeOffsetFetchRequestGroup(w, version, item)
  }
  if (version >= 7) w.writeBoolean(s.requireStable ?? false)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readOffsetFetchRequest(r: Reader, version: number): OffsetFetchRequest {
  const groupId = version >= 8 ? '' : version >= 6 ? r.readCompactString() : r.readString()
  let topics: OffsetFetchRequestTopic[] | null
  if (version <= 7) {
    const topicsCount = version >= 6 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
    if (topicsCount === null) {
      if (!(version >= 2)) throw nullNotAllowed('OffsetFetchRequest.topics', version)
      topics = null
    } else {
      const topicsItems: OffsetFetchRequestTopic[] = []
      for (let i = 0; i < topicsCount; i++) topicsItems.push(readOffsetFetchRequestTopic(r, version))
      topics = topicsItems
    }
  } else topics = []
  let groups: OffsetFetchRequestGroup[]
  if (version >= 8) {
    const groupsCount = r.readCompactArrayLength(3)
    if (groupsCount === null) throw nullNotAllowed('OffsetFetchRequest.groups', version)
    const groupsItems: OffsetFetchRequestGroup[] = []
    for (let i = 0; i < groupsCount; i++) groupsItems.push(readOffsetFetchRequestGroup(r, version))
    groups = groupsItems
  } else groups = []
  const requireStable = version >= 7 ? r.readBoolean() : false
  if (version >= 6) r.readTaggedFields()
  return { groupId, topics, groups, requireStable }
}

function writeOffsetFetchRequestTopic(w: Writer, version: number, s: OffsetFetchRequestTopic): void {
  if (version >= 6) w.writeCompactString(s.name ?? '')
  else w.writeString(s.name ?? '')
  const partitionIndexes = s.partitionIndexes ?? EMPTY_ARRAY
  if (version >= 6) w.writeCompactArrayLength(partitionIndexes.length)
  else w.writeArrayLength(partitionIndexes.length)
  for (const item of partitionIndexes) w.writeInt32(item)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readOffsetFetchRequestTopic(r: Reader, version: number): OffsetFetchRequestTopic {
  const name = version >= 6 ? r.readCompactString() : r.readString()
  const partitionIndexesCount = version >= 6 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (partitionIndexesCount === null) throw nullNotAllowed('OffsetFetchRequestTopic.partitionIndexes', version)
  const partitionIndexes: number[] = []
  for (let i = 0; i < partitionIndexesCount; i++) partitionIndexes.push(r.readInt32())
  if (version >= 6) r.readTaggedFields()
  return { name, partitionIndexes }
}

function writeOffsetFetchRequestGroup(w: Writer, version: number, s: OffsetFetchRequestGroup): void {
  w.writeCompactString(s.groupId ?? '')
  if (version >= 9) w.writeCompactString(s.memberId ?? null)
  if (version >= 9) w.writeInt32(s.memberEpoch ?? -1)
  const topics = s.topics ?? null
  w.writeCompactArrayLength(topics === null ? null : topics.length)
  if (topics !== null) for (const item of topics) writeOffsetFetchRequestTopics(w, version, item)
  w.writeEmptyTaggedFields()
}

function readOffsetFetchRequestGroup(r: Reader, version: number): OffsetFetchRequestGroup {
  const groupId = r.readCompactString()
  const memberId: string | null = version >= 9 ? r.readCompactNullableString() : null
  const memberEpoch = version >= 9 ? r.readInt32() : -1
  let topics: OffsetFetchRequestTopics[] | null
  const topicsCount = r.readCompactArrayLength(3)
  if (topicsCount === null) topics = null
  else {
    const topicsItems: OffsetFetchRequestTopics[] = []
    for (let i = 0; i < topicsCount; i++) topicsItems.push(readOffsetFetchRequestTopics(r, version))
    topics = topicsItems
  }
  r.readTaggedFields()
  return { groupId, memberId, memberEpoch, topics }
}

function writeOffsetFetchRequestTopics(w: Writer, _version: number, s: OffsetFetchRequestTopics): void {
  w.writeCompactString(s.name ?? '')
  const partitionIndexes = s.partitionIndexes ?? EMPTY_ARRAY
  w.writeCompactArrayLength(partitionIndexes.length)
  for (const item of partitionIndexes) w.writeInt32(item)
  w.writeEmptyTaggedFields()
}

function readOffsetFetchRequestTopics(r: Reader, version: number): OffsetFetchRequestTopics {
  const name = r.readCompactString()
  const partitionIndexesCount = r.readCompactArrayLength(4)
  if (partitionIndexesCount === null) throw nullNotAllowed('OffsetFetchRequestTopics.partitionIndexes', version)
  const partitionIndexes: number[] = []
  for (let i = 0; i < partitionIndexesCount; i++) partitionIndexes.push(r.readInt32())
  r.readTaggedFields()
  return { name, partitionIndexes }
}

/** The OffsetFetch response. */
export interface OffsetFetchResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 3+.)
   */
  throttleTimeMs?: number
  /** The responses per topic. (Versions 0-7.) */
  topics?: OffsetFetchResponseTopic[]
  /** The top-level error code, or 0 if there was no error. (Versions 2-7, default 0.) */
  errorCode?: number
  /** The responses per group id. (Versions 8+.) */
  groups?: OffsetFetchResponseGroup[]
}

/** OffsetFetchResponseTopic in OffsetFetchResponse. */
export interface OffsetFetchResponseTopic {
  /** The topic name. (Versions 0-7.) */
  name?: string
  /** The responses per partition. (Versions 0-7.) */
  partitions?: OffsetFetchResponsePartition[]
}

/** OffsetFetchResponsePartition in OffsetFetchResponse. */
export interface OffsetFetchResponsePartition {
  /** The partition index. (Versions 0-7.) */
  partitionIndex?: number
  /** The committed message offset. (Versions 0-7.) */
  committedOffset?: bigint
  /** The leader epoch. (Versions 5-7, default -1.) */
  committedLeaderEpoch?: number
  /** The partition metadata. (Versions 0-7, nullable 0-7.) */
  metadata?: string | null
  /** The error code, or 0 if there was no error. (Versions 0-7.) */
  errorCode?: number
}

/** OffsetFetchResponseGroup in OffsetFetchResponse. */
export interface OffsetFetchResponseGroup {
  /** The group ID. (Versions 8+.) */
  groupId?: string
  /** The responses per topic. (Versions 8+.) */
  topics?: OffsetFetchResponseTopics[]
  /** The group-level error code, or 0 if there was no error. (Versions 8+, default 0.) */
  errorCode?: number
}

/** OffsetFetchResponseTopics in OffsetFetchResponse. */
export interface OffsetFetchResponseTopics {
  /** The topic name. (Versions 8+.) */
  name?: string
  /** The responses per partition. (Versions 8+.) */
  partitions?: OffsetFetchResponsePartitions[]
}

/** OffsetFetchResponsePartitions in OffsetFetchResponse. */
export interface OffsetFetchResponsePartitions {
  /** The partition index. (Versions 8+.) */
  partitionIndex?: number
  /** The committed message offset. (Versions 8+.) */
  committedOffset?: bigint
  /** The leader epoch. (Versions 8+, default -1.) */
  committedLeaderEpoch?: number
  /** The partition metadata. (Versions 8+, nullable 8+.) */
  metadata?: string | null
  /** The partition-level error code, or 0 if there was no error. (Versions 8+.) */
  errorCode?: number
}

function writeOffsetFetchResponse(w: Writer, version: number, s: OffsetFetchResponse): void {
  if (version >= 3) w.writeInt32(s.throttleTimeMs ?? 0)
  if (version <= 7) {
    const topics = s.topics ?? EMPTY_ARRAY
    if (version >= 6) w.writeCompactArrayLength(topics.length)
    else w.writeArrayLength(topics.length)
    for (const item of topics) writeOffsetFetchResponseTopic(w, version, item)
  }
  if (version >= 2 && version <= 7) w.writeInt16(s.errorCode ?? 0)
  if (version >= 8) {
    const groups = s.groups ?? EMPTY_ARRAY
    w.writeCompactArrayLength(groups.length)
    for (const item of groups) writeOffsetFetchResponseGroup(w, version, item)
  }
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readOffsetFetchResponse(r: Reader, version: number): OffsetFetchResponse {
  const throttleTimeMs = version >= 3 ? r.readInt32() : 0
  let topics: OffsetFetchResponseTopic[]
  if (version <= 7) {
    const topicsCount = version >= 6 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
    if (topicsCount === null) throw nullNotAllowed('OffsetFetchResponse.topics', version)
    const topicsItems: OffsetFetchResponseTopic[] = []
    for (let i = 0; i < topicsCount; i++) topicsItems.push(readOffsetFetchResponseTopic(r, version))
    topics = topicsItems
  } else topics = []
  const errorCode = version >= 8 ? 0 : version >= 2 ? r.readInt16() : 0
  let groups: OffsetFetchResponseGroup[]
  if (version >= 8) {
    const groupsCount = r.readCompactArrayLength(5)
    if (groupsCount === null) throw nullNotAllowed('OffsetFetchResponse.groups', version)
    const groupsItems: OffsetFetchResponseGroup[] = []
    for (let i = 0; i < groupsCount; i++) groupsItems.push(readOffsetFetchResponseGroup(r, version))
    groups = groupsItems
  } else groups = []
  if (version >= 6) r.readTaggedFields()
  return { throttleTimeMs, topics, errorCode, groups }
}

function writeOffsetFetchResponseTopic(w: Writer, version: number, s: OffsetFetchResponseTopic): void {
  if (version >= 6) w.writeCompactString(s.name ?? '')
  else w.writeString(s.name ?? '')
  const partitions = s.partitions ?? EMPTY_ARRAY
  if (version >= 6) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeOffsetFetchResponsePartition(w, version, item)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readOffsetFetchResponseTopic(r: Reader, version: number): OffsetFetchResponseTopic {
  const name = version >= 6 ? r.readCompactString() : r.readString()
  const partitionsCount = version >= 6 ? r.readCompactArrayLength(16) : r.readArrayLength(16)
  if (partitionsCount === null) throw nullNotAllowed('OffsetFetchResponseTopic.partitions', version)
  const partitions: OffsetFetchResponsePartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readOffsetFetchResponsePartition(r, version))
  if (version >= 6) r.readTaggedFields()
  return { name, partitions }
}

function writeOffsetFetchResponsePartition(w: Writer, version: number, s: OffsetFetchResponsePartition): void {
  w.writeInt32(s.partitionIndex ?? 0)
  w.writeInt64(s.committedOffset ?? 0n)
  if (version >= 5) w.writeInt32(s.committedLeaderEpoch ?? -1)
  if (version >= 6) w.writeCompactString(s.metadata ?? null)
  else w.writeString(s.metadata ?? null)
  w.writeInt16(s.errorCode ?? 0)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readOffsetFetchResponsePartition(r: Reader, version: number): OffsetFetchResponsePartition {
  const partitionIndex = r.readInt32()
  const committedOffset = r.readInt64()
  const committedLeaderEpoch = version >= 5 ? r.readInt32() : -1
  const metadata = version >= 6 ? r.readCompactNullableString() : r.readNullableString()
  const errorCode = r.readInt16()
  if (version >= 6) r.readTaggedFields()
  return { partitionIndex, committedOffset, committedLeaderEpoch, metadata, errorCode }
}

function writeOffsetFetchResponseGroup(w: Writer, version: number, s: OffsetFetchResponseGroup): void {
  w.writeCompactString(s.groupId ?? '')
  const topics = s.topics ?? EMPTY_ARRAY
  w.writeCompactArrayLength(topics.length)
  for (const item of topics) writeOffsetFetchResponseTopics(w, version, item)
  w.writeInt16(s.errorCode ?? 0)
  w.writeEmptyTaggedFields()
}

function readOffsetFetchResponseGroup(r: Reader, version: number): OffsetFetchResponseGroup {
  const groupId = r.readCompactString()
  const topicsCount = r.readCompactArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('OffsetFetchResponseGroup.topics', version)
  const topics: OffsetFetchResponseTopics[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readOffsetFetchResponseTopics(r, version))
  const errorCode = r.readInt16()
  r.readTaggedFields()
  return { groupId, topics, errorCode }
}

function writeOffsetFetchResponseTopics(w: Writer, version: number, s: OffsetFetchResponseTopics): void {
  w.writeCompactString(s.name ?? '')
  const partitions = s.partitions ?? EMPTY_ARRAY
  w.writeCompactArrayLength(partitions.length)
  for (const item of partitions) writeOffsetFetchResponsePartitions(w, version, item)
  w.writeEmptyTaggedFields()
}

function readOffsetFetchResponseTopics(r: Reader, version: number): OffsetFetchResponseTopics {
  const name = r.readCompactString()
  const partitionsCount = r.readCompactArrayLength(20)
  if (partitionsCount === null) throw nullNotAllowed('OffsetFetchResponseTopics.partitions', version)
  const partitions: OffsetFetchResponsePartitions[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readOffsetFetchResponsePartitions(r, version))
  r.readTaggedFields()
  return { name, partitions }
}

function writeOffsetFetchResponsePartitions(w: Writer, _version: number, s: OffsetFetchResponsePartitions): void {
  w.writeInt32(s.partitionIndex ?? 0)
  w.writeInt64(s.committedOffset ?? 0n)
  w.writeInt32(s.committedLeaderEpoch ?? -1)
  w.writeCompactString(s.metadata ?? null)
  w.writeInt16(s.errorCode ?? 0)
  w.writeEmptyTaggedFields()
}

function readOffsetFetchResponsePartitions(r: Reader, _version: number): OffsetFetchResponsePartitions {
  const partitionIndex = r.readInt32()
  const committedOffset = r.readInt64()
  const committedLeaderEpoch = r.readInt32()
  const metadata = r.readCompactNullableString()
  const errorCode = r.readInt16()
  r.readTaggedFields()
  return { partitionIndex, committedOffset, committedLeaderEpoch, metadata, errorCode }
}
