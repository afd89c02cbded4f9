// Generated from Kafka's DeleteRecordsRequest.json/DeleteRecordsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// DeleteRecords (API key 21)
//   valid versions: 0-2
//   flexible versions: 2+
//
// DeleteRecords Request (Version: 2) => [topics] timeout_ms _tagged_fields
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index offset _tagged_fields
//       partition_index => INT32
//       offset => INT64
//   timeout_ms => INT32
//
// DeleteRecords Response (Version: 2) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index low_watermark error_code _tagged_fields
//       partition_index => INT32
//       low_watermark => INT64
//       error_code => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** DeleteRecords (API key 21), versions 0-2. */
export const deleteRecords: ApiDefinition<DeleteRecordsRequest, DeleteRecordsResponse> = {
  apiKey: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 2,
  encodeRequest(writer: Writer, version: number, request: DeleteRecordsRequest): void {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('DeleteRecords', version, 0, 2)
    writeDeleteRecordsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): DeleteRecordsRequest {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('DeleteRecords', version, 0, 2)
    return readDeleteRecordsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: DeleteRecordsResponse): void {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('DeleteRecords', version, 0, 2)
    writeDeleteRecordsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): DeleteRecordsResponse {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('DeleteRecords', version, 0, 2)
    return readDeleteRecordsResponse(reader, version)
  },
}

/** The DeleteRecords request. */
export interface DeleteRecordsRequest {
  /** Each topic that we want to delete records from. (Versions 0+.) */
  topics: DeleteRecordsRequestDeleteRecordsTopic[]
  /** How long to wait for the deletion to complete, in milliseconds. (Versions 0+.) */
  timeoutMs: number
}

/** DeleteRecordsTopic in DeleteRecordsRequest. */
export interface DeleteRecordsRequestDeleteRecordsTopic {
  /** The topic name. (Versions 0+.) */
  name: string
  /** Each partition that we want to delete records from. (Versions 0+.) */
  partitions: DeleteRecordsRequestDeleteRecordsPartition[]
}

/** DeleteRecordsPartition in DeleteRecordsRequest. */
export interface DeleteRecordsRequestDeleteRecordsPartition {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The deletion offset. (Versions 0+.) */
  offset: bigint
}

function writeDeleteRecordsRequest(w: Writer, version: number, s: DeleteRecordsRequest): void {
  const topics = s.topics
  if (version >= 2) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeDeleteRecordsRequestDeleteRecordsTopic(w, version, item)
  w.writeInt32(s.timeoutMs)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readDeleteRecordsRequest(r: Reader, version: number): DeleteRecordsRequest {
  const topicsCount = version >= 2 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('DeleteRecordsRequest.topics', version)
  const topics: DeleteRecordsRequestDeleteRecordsTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readDeleteRecordsRequestDeleteRecordsTopic(r, version))
  const timeoutMs = r.readInt32()
  if (version >= 2) r.readTaggedFields()
  return { topics, timeoutMs }
}

function writeDeleteRecordsRequestDeleteRecordsTopic(
  w: Writer,
  version: number,
  s: DeleteRecordsRequestDeleteRecordsTopic,
): void {
  if (version >= 2) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitions = s.partitions
  if (version >= 2) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeDeleteRecordsRequestDeleteRecordsPartition(w, version, item)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readDeleteRecordsRequestDeleteRecordsTopic(
  r: Reader,
  version: number,
): DeleteRecordsRequestDeleteRecordsTopic {
  const name = version >= 2 ? r.readCompactString() : r.readString()
  const partitionsCount = version >= 2 ? r.readCompactArrayLength(12) : r.readArrayLength(12)
  if (partitionsCount === null) throw nullNotAllowed('DeleteRecordsRequestDeleteRecordsTopic.partitions', version)
  const partitions: DeleteRecordsRequestDeleteRecordsPartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readDeleteRecordsRequestDeleteRecordsPartition(r, version))
  if (version >= 2) r.readTaggedFields()
  return { name, partitions }
}

function writeDeleteRecordsRequestDeleteRecordsPartition(
  w: Writer,
  version: number,
  s: DeleteRecordsRequestDeleteRecordsPartition,
): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt64(s.offset)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readDeleteRecordsRequestDeleteRecordsPartition(
  r: Reader,
  version: number,
): DeleteRecordsRequestDeleteRecordsPartition {
  const partitionIndex = r.readInt32()
  const offset = r.readInt64()
  if (version >= 2) r.readTaggedFields()
  return { partitionIndex, offset }
}

/** The DeleteRecords response. */
export interface DeleteRecordsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** Each topic that we wanted to delete records from. (Versions 0+.) */
  topics: DeleteRecordsResponseDeleteRecordsTopicResult[]
}

/** DeleteRecordsTopicResult in DeleteRecordsResponse. */
export interface DeleteRecordsResponseDeleteRecordsTopicResult {
  /** The topic name. (Versions 0+.) */
  name: string
  /** Each partition that we wanted to delete records from. (Versions 0+.) */
  partitions: DeleteRecordsResponseDeleteRecordsPartitionResult[]
}

/** DeleteRecordsPartitionResult in DeleteRecordsResponse. */
export interface DeleteRecordsResponseDeleteRecordsPartitionResult {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The partition low water mark. (Versions 0+.) */
  lowWatermark: bigint
  /** The deletion error code, or 0 if the deletion succeeded. (Versions 0+.) */
  errorCode: number
}

function writeDeleteRecordsResponse(w: Writer, version: number, s: DeleteRecordsResponse): void {
  w.writeInt32(s.throttleTimeMs)
  const topics = s.topics
  if (version >= 2) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeDeleteRecordsResponseDeleteRecordsTopicResult(w, version, item)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readDeleteRecordsResponse(r: Reader, version: number): DeleteRecordsResponse {
  const throttleTimeMs = r.readInt32()
  const topicsCount = version >= 2 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('DeleteRecordsResponse.topics', version)
  const topics: DeleteRecordsResponseDeleteRecordsTopicResult[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readDeleteRecordsResponseDeleteRecordsTopicResult(r, version))
  if (version >= 2) r.readTaggedFields()
  return { throttleTimeMs, topics }
}

function writeDeleteRecordsResponseDeleteRecordsTopicResult(
  w: Writer,
  version: number,
  s: DeleteRecordsResponseDeleteRecordsTopicResult,
): void {
  if (version >= 2) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitions = s.partitions
  if (version >= 2) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) writeDeleteRecordsResponseDeleteRecordsPartitionResult(w, version, item)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readDeleteRecordsResponseDeleteRecordsTopicResult(
  r: Reader,
  version: number,
): DeleteRecordsResponseDeleteRecordsTopicResult {
  const name = version >= 2 ? r.readCompactString() : r.readString()
  const partitionsCount = version >= 2 ? r.readCompactArrayLength(14) : r.readArrayLength(14)
  if (partitionsCount === null)
    throw nullNotAllowed('DeleteRecordsResponseDeleteRecordsTopicResult.partitions', version)
  const partitions: DeleteRecordsResponseDeleteRecordsPartitionResult[] = []
  for (let i = 0; i < partitionsCount; i++)
    partitions.push(readDeleteRecordsResponseDeleteRecordsPartitionResult(r, version))
  if (version >= 2) r.readTaggedFields()
  return { name, partitions }
}

function writeDeleteRecordsResponseDeleteRecordsPartitionResult(
  w: Writer,
  version: number,
  s: DeleteRecordsResponseDeleteRecordsPartitionResult,
): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt64(s.lowWatermark)
  w.writeInt16(s.errorCode)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readDeleteRecordsResponseDeleteRecordsPartitionResult(
  r: Reader,
  version: number,
): DeleteRecordsResponseDeleteRecordsPartitionResult {
  const partitionIndex = r.readInt32()
  const lowWatermark = r.readInt64()
  const errorCode = r.readInt16()
  if (version >= 2) r.readTaggedFields()
  return { partitionIndex, lowWatermark, errorCode }
}
