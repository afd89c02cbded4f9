// Generated from Kafka's TxnOffsetCommitRequest.json/TxnOffsetCommitResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// TxnOffsetCommit (API key 28)
//   valid versions: 0-4
//   flexible versions: 3+
//
// TxnOffsetCommit Request (Version: 4) => transactional_id group_id producer_id producer_epoch generation_id member_id group_instance_id [topics] _tagged_fields
//   transactional_id => COMPACT_STRING
//   group_id => COMPACT_STRING
//   producer_id => INT64
//   producer_epoch => INT16
//   generation_id => INT32
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
// TxnOffsetCommit Response (Version: 4) => throttle_time_ms [topics] _tagged_fields
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

/** TxnOffsetCommit (API key 28), versions 0-4. */
export const txnOffsetCommit: ApiDefinition<TxnOffsetCommitRequest, TxnOffsetCommitResponse> = {
  apiKey: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 3,
  encodeRequest(writer: Writer, version: number, request: TxnOffsetCommitRequest): void {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('TxnOffsetCommit', version, 0, 4)
    writeTxnOffsetCommitRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): TxnOffsetCommitRequest {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('TxnOffsetCommit', version, 0, 4)
    return readTxnOffsetCommitRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: TxnOffsetCommitResponse): void {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('TxnOffsetCommit', version, 0, 4)
    writeTxnOffsetCommitResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): TxnOffsetCommitResponse {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('TxnOffsetCommit', version, 0, 4)
    return readTxnOffsetCommitResponse(reader, version)
  },
}

/** The TxnOffsetCommit request. */
export interface TxnOffsetCommitRequest {
  /** The ID of the transaction. (Versions 0+.) */
  transactionalId: string
  /** The ID of the group. (Versions 0+.) */
  groupId: string
  /** The current producer ID in use by the transactional ID. (Versions 0+.) */
  producerId: bigint
  /** The current epoch associated with the producer ID. (Versions 0+.) */
  producerEpoch: number
  /** The generation of the consumer. (Versions 3+, default -1.) */
  generationId?: number
  /** The member ID assigned by the group coordinator. (Versions 3+, default ''.) */
  memberId?: string
  /** The unique identifier of the consumer instance provided by end user. (Versions 3+, nullable 3+, default null.) */
  groupInstanceId?: string | null
  /** Each topic that we want to commit offsets for. (Versions 0+.) */
  topics: TxnOffsetCommitRequestTopic[]
}

/** TxnOffsetCommitRequestTopic in TxnOffsetCommitRequest. */
export interface TxnOffsetCommitRequestTopic {
  /** The topic name. (Versions 0+.) */
  name: string
  /** The partitions inside the topic that we want to commit offsets for. (Versions 0+.) */
  partitions: TxnOffsetCommitRequestPartition[]
}

/** TxnOffsetCommitRequestPartition in TxnOffsetCommitRequest. */
export interface TxnOffsetCommitRequestPartition {
  /** The index of the partition within the topic. (Versions 0+.) */
  partitionIndex: number
  /** The message offset to be committed. (Versions 0+.) */
  committedOffset: bigint
  /** The leader epoch of the last consumed record. (Versions 2+, default -1.) */
  committedLeaderEpoch?: number
  /** Any associated metadata the client wants to keep. (Versions 0+, nullable 0+.) */
  committedMetadata: string | null
}

function writeTxnOffsetCommitRequest(w: Writer, version: number, s: TxnOffsetCommitRequest): void {
  if (version >= 3) w.writeCompactString(s.transactionalId)
  else w.writeString(s.transactionalId)
  if (version >= 3) w.writeCompactString(s.groupId)
  else w.writeString(s.groupId)
  w.writeInt64(s.producerId)
  w.writeInt16(s.producerEpoch)
  if (version >= 3) w.writeInt32(s.generationId ?? -1)
  if (version >= 3) w.writeCompactString(s.memberId ?? '')
  if (version >= 3) w.writeCompactString(s.groupInstanceId ?? null)
  const topics = s.topics
  if (version >= 3) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeTxnOffsetCommitRequestTopic(w, version, item)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readTxnOffsetCommitRequest(r: Reader, version: number): TxnOffsetCommitRequest {
  const transactionalId = version >= 3 ? r.readCompactString() : r.readString()
  const groupId = version >= 3 ? r.readCompactString() : r.readString()
  const producerId = r.readInt64()
  const producerEpoch = r.readInt16()
  const generationId = version >= 3 ? r.readInt32() : -1
  const memberId = version >= 3 ? r.readCompactString() : ''
  const groupInstanceId: string | null = version >= 3 ? r.readCompactNullableString() : null
  const topicsCount = version >= 3 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('TxnOffsetCommitRequest.topics', version)
  const topics: TxnOffsetCommitRequestTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readTxnOffsetCommitRequestTopic(r, version))
  if (version >= 3) r.readTaggedFields()
  return { transactionalId, groupId, producerId, producerEpoch, generationId, memberId, groupInstanceId, topics }
}

function writeTxnOffsetCommitRequestTopic(w: Writer, version: number, s: TxnOffsetCommitRequestTopic): void {
  if (version >= 3) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitions = s.partitions
  if (version >= 3) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeTxnOffsetCommitRequestPartition(w, version, item)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readTxnOffsetCommitRequestTopic(r: Reader, version: number): TxnOffsetCommitRequestTopic {
  const name = version >= 3 ? r.readCompactString() : r.readString()
  const partitionsCount = version >= 3 ? r.readCompactArrayLength(14) : r.readArrayLength(14)
  if (partitionsCount === null) throw nullNotAllowed('TxnOffsetCommitRequestTopic.partitions', version)
  const partitions: TxnOffsetCommitRequestPartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readTxnOffsetCommitRequestPartition(r, version))
  if (version >= 3) r.readTaggedFields()
  return { name, partitions }
}

function writeTxnOffsetCommitRequestPartition(w: Writer, version: number, s: TxnOffsetCommitRequestPartition): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt64(s.committedOffset)
  if (version >= 2) w.writeInt32(s.committedLeaderEpoch ?? -1)
  if (version >= 3) w.writeCompactString(s.committedMetadata)
  else w.writeString(s.committedMetadata)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readTxnOffsetCommitRequestPartition(r: Reader, version: number): TxnOffsetCommitRequestPartition {
  const partitionIndex = r.readInt32()
  const committedOffset = r.readInt64()
  const committedLeaderEpoch = version >= 2 ? r.readInt32() : -1
  const committedMetadata = version >= 3 ? r.readCompactNullableString() : r.readNullableString()
  if (version >= 3) r.readTaggedFields()
  return { partitionIndex, committedOffset, committedLeaderEpoch, committedMetadata }
}

/** The TxnOffsetCommit response. */
export interface TxnOffsetCommitResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The responses for each topic. (Versions 0+.) */
  topics: TxnOffsetCommitResponseTopic[]
}

/** TxnOffsetCommitResponseTopic in TxnOffsetCommitResponse. */
export interface TxnOffsetCommitResponseTopic {
  /** The topic name. (Versions 0+.) */
  name: string
  /** The responses for each partition in the topic. (Versions 0+.) */
  partitions: TxnOffsetCommitResponsePartition[]
}

/** TxnOffsetCommitResponsePartition in TxnOffsetCommitResponse. */
export interface TxnOffsetCommitResponsePartition {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
}

function writeTxnOffsetCommitResponse(w: Writer, version: number, s: TxnOffsetCommitResponse): void {
  w.writeInt32(s.throttleTimeMs)
  const topics = s.topics
  if (version >= 3) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeTxnOffsetCommitResponseTopic(w, version, item)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readTxnOffsetCommitResponse(r: Reader, version: number): TxnOffsetCommitResponse {
  const throttleTimeMs = r.readInt32()
  const topicsCount = version >= 3 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('TxnOffsetCommitResponse.topics', version)
  const topics: TxnOffsetCommitResponseTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readTxnOffsetCommitResponseTopic(r, version))
  if (version >= 3) r.readTaggedFields()
  return { throttleTimeMs, topics }
}

function writeTxnOffsetCommitResponseTopic(w: Writer, version: number, s: TxnOffsetCommitResponseTopic): void {
  if (version >= 3) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitions = s.partitions
  if (version >= 3) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeTxnOffsetCommitResponsePartition(w, version, item)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readTxnOffsetCommitResponseTopic(r: Reader, version: number): TxnOffsetCommitResponseTopic {
  const name = version >= 3 ? r.readCompactString() : r.readString()
  const partitionsCount = version >= 3 ? r.readCompactArrayLength(6) : r.readArrayLength(6)
  if (partitionsCount === null) throw nullNotAllowed('TxnOffsetCommitResponseTopic.partitions', version)
  const partitions: TxnOffsetCommitResponsePartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readTxnOffsetCommitResponsePartition(r, version))
  if (version >= 3) r.readTaggedFields()
  return { name, partitions }
}

function writeTxnOffsetCommitResponsePartition(w: Writer, version: number, s: TxnOffsetCommitResponsePartition): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt16(s.errorCode)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readTxnOffsetCommitResponsePartition(r: Reader, version: number): TxnOffsetCommitResponsePartition {
  const partitionIndex = r.readInt32()
  const errorCode = r.readInt16()
  if (version >= 3) r.readTaggedFields()
  return { partitionIndex, errorCode }
}
