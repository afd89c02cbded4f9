// Generated from Kafka's OffsetDeleteRequest.json/OffsetDeleteResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// OffsetDelete (API key 47)
//   valid versions: 0
//   flexible versions: none
//
// OffsetDelete Request (Version: 0) => group_id [topics]
//   group_id => STRING
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index
//       partition_index => INT32
//
// OffsetDelete Response (Version: 0) => error_code throttle_time_ms [topics]
//   error_code => INT16
//   throttle_time_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index error_code
//       partition_index => INT32
//       error_code => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** OffsetDelete (API key 47), versions 0-0. */
export const offsetDelete: ApiDefinition<OffsetDeleteRequest, OffsetDeleteResponse> = {
  apiKey: 47,
  name: 'OffsetDelete',
  minVersion: 0,
  maxVersion: 0,
  firstFlexibleVersion: Number.POSITIVE_INFINITY,
  encodeRequest(writer: Writer, version: number, request: OffsetDeleteRequest): void {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('OffsetDelete', version, 0, 0)
    writeOffsetDeleteRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): OffsetDeleteRequest {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('OffsetDelete', version, 0, 0)
    return readOffsetDeleteRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: OffsetDeleteResponse): void {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('OffsetDelete', version, 0, 0)
    writeOffsetDeleteResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): OffsetDeleteResponse {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('OffsetDelete', version, 0, 0)
    return readOffsetDeleteResponse(reader, version)
  },
}

/** The OffsetDelete request. */
export interface OffsetDeleteRequest {
  /** The unique group identifier. (Versions 0+.) */
  groupId: string
  /** The topics to delete offsets for. (Versions 0+.) */
  topics: OffsetDeleteRequestTopic[]
}

/** OffsetDeleteRequestTopic in OffsetDeleteRequest. */
export interface OffsetDeleteRequestTopic {
  /** The topic name. (Versions 0+.) */
  name: string
  /** Each partition to delete offsets for. (Versions 0+.) */
  partitions: OffsetDeleteRequestPartition[]
}

/** OffsetDeleteRequestPartition in OffsetDeleteRequest. */
export interface OffsetDeleteRequestPartition {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
}

function writeOffsetDeleteRequest(w: Writer, version: number, s: OffsetDeleteRequest): void {
  w.writeString(s.groupId)
  const topics = s.topics
  w.writeArrayLength(topics.length)
  for (const item of topics) writeOffsetDeleteRequestTopic(w, version, item)
}

function readOffsetDeleteRequest(r: Reader, version: number): OffsetDeleteRequest {
  const groupId = r.readString()
  const topicsCount = r.readArrayLength(6)
  if (topicsCount === null) throw nullNotAllowed('OffsetDeleteRequest.topics', version)
  const topics: OffsetDeleteRequestTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readOffsetDeleteRequestTopic(r, version))
  return { groupId, topics }
}

function writeOffsetDeleteRequestTopic(w: Writer, version: number, s: OffsetDeleteRequestTopic): void {
  w.writeString(s.name)
  const partitions = s.partitions
  w.writeArrayLength(partitions.length)
  for (const item of partitions) writeOffsetDeleteRequestPartition(w, version, item)
}

function readOffsetDeleteRequestTopic(r: Reader, version: number): OffsetDeleteRequestTopic {
  const name = r.readString()
  const partitionsCount = r.readArrayLength(4)
  if (partitionsCount === null) throw nullNotAllowed('OffsetDeleteRequestTopic.partitions', version)
  const partitions: OffsetDeleteRequestPartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readOffsetDeleteRequestPartition(r, version))
  return { name, partitions }
}

function writeOffsetDeleteRequestPartition(w: Writer, _version: number, s: OffsetDeleteRequestPartition): void {
  w.writeInt32(s.partitionIndex)
}

function readOffsetDeleteRequestPartition(r: Reader, _version: number): OffsetDeleteRequestPartition {
  const partitionIndex = r.readInt32()
  return { partitionIndex }
}

/** The OffsetDelete response. */
export interface OffsetDeleteResponse {
  /** The top-level error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The responses for each topic. (Versions 0+.) */
  topics: OffsetDeleteResponseTopic[]
}

/** OffsetDeleteResponseTopic in OffsetDeleteResponse. */
export interface OffsetDeleteResponseTopic {
  /** The topic name. (Versions 0+.) */
  name: string
  /** The responses for each partition in the topic. (Versions 0+.) */
  partitions: OffsetDeleteResponsePartition[]
}

/** OffsetDeleteResponsePartition in OffsetDeleteResponse. */
export interface OffsetDeleteResponsePartition {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
}

function writeOffsetDeleteResponse(w: Writer, version: number, s: OffsetDeleteResponse): void {
  w.writeInt16(s.errorCode)
  w.writeInt32(s.throttleTimeMs)
  const topics = s.topics
  w.writeArrayLength(topics.length)
  for (const item of topics) writeOffsetDeleteResponseTopic(w, version, item)
}

function readOffsetDeleteResponse(r: Reader, version: number): OffsetDeleteResponse {
  const errorCode = r.readInt16()
  const throttleTimeMs = r.readInt32()
  const topicsCount = r.readArrayLength(6)
  if (topicsCount === null) throw nullNotAllowed('OffsetDeleteResponse.topics', version)
  const topics: OffsetDeleteResponseTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readOffsetDeleteResponseTopic(r, version))
  return { errorCode, throttleTimeMs, topics }
}

function writeOffsetDeleteResponseTopic(w: Writer, version: number, s: OffsetDeleteResponseTopic): void {
  w.writeString(s.name)
  const partitions = s.partitions
  w.writeArrayLength(partitions.length)
  for (const item of partitions) writeOffsetDeleteResponsePartition(w, version, item)
}

function readOffsetDeleteResponseTopic(r: Reader, version: number): OffsetDeleteResponseTopic {
  const name = r.readString()
  const partitionsCount = r.readArrayLength(6)
  if (partitionsCount === null) throw nullNotAllowed('OffsetDeleteResponseTopic.partitions', version)
  const partitions: OffsetDeleteResponsePartition[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readOffsetDeleteResponsePartition(r, version))
  return { name, partitions }
}

function writeOffsetDeleteResponsePartition(w: Writer, _version: number, s: OffsetDeleteResponsePartition): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt16(s.errorCode)
}

function readOffsetDeleteResponsePartition(r: Reader, _version: number): OffsetDeleteResponsePartition {
  const partitionIndex = r.readInt32()
  const errorCode = r.readInt16()
  return { partitionIndex, errorCode }
}
