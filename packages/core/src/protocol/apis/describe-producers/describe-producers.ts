// Generated from Kafka's DescribeProducersRequest.json/DescribeProducersResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// DescribeProducers (API key 61)
//   valid versions: 0
//   flexible versions: 0+
//
// DescribeProducers Request (Version: 0) => [topics] _tagged_fields
//   topics => name [partition_indexes] _tagged_fields
//     name => COMPACT_STRING
//     partition_indexes => INT32
//
// DescribeProducers Response (Version: 0) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index error_code error_message [active_producers] _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       error_message => COMPACT_NULLABLE_STRING
//       active_producers => producer_id producer_epoch last_sequence last_timestamp coordinator_epoch current_txn_start_offset _tagged_fields
//         producer_id => INT64
//         producer_epoch => INT32
//         last_sequence => INT32
//         last_timestamp => INT64
//         coordinator_epoch => INT32
//         current_txn_start_offset => INT64

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** DescribeProducers (API key 61), versions 0-0. */
export const describeProducers: ApiDefinition<DescribeProducersRequest, DescribeProducersResponse> = {
  apiKey: 61,
  name: 'DescribeProducers',
  minVersion: 0,
  maxVersion: 0,
  firstFlexibleVersion: 0,
  encodeRequest(writer: Writer, version: number, request: DescribeProducersRequest): void {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('DescribeProducers', version, 0, 0)
    writeDescribeProducersRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): DescribeProducersRequest {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('DescribeProducers', version, 0, 0)
    return readDescribeProducersRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: DescribeProducersResponse): void {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('DescribeProducers', version, 0, 0)
    writeDescribeProducersResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): DescribeProducersResponse {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('DescribeProducers', version, 0, 0)
    return readDescribeProducersResponse(reader, version)
  },
}

/** The DescribeProducers request. */
export interface DescribeProducersRequest {
  /** (Versions 0+.) */
  topics: DescribeProducersRequestTopicRequest[]
}

/** TopicRequest in DescribeProducersRequest. */
export interface DescribeProducersRequestTopicRequest {
  /** The topic name. (Versions 0+.) */
  name: string
  /** The indexes of the partitions to list producers for. (Versions 0+.) */
  partitionIndexes: number[]
}

function writeDescribeProducersRequest(w: Writer, version: number, s: DescribeProducersRequest): void {
  const topics = s.topics
  w.writeCompactArrayLength(topics.length)
  for (const item of topics) writeDescribeProducersRequestTopicRequest(w, version, item)
  w.writeEmptyTaggedFields()
}

function readDescribeProducersRequest(r: Reader, version: number): DescribeProducersRequest {
  const topicsCount = r.readCompactArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('DescribeProducersRequest.topics', version)
  const topics: DescribeProducersRequestTopicRequest[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readDescribeProducersRequestTopicRequest(r, version))
  r.readTaggedFields()
  return { topics }
}

function writeDescribeProducersRequestTopicRequest(
  w: Writer,
  _version: number,
  s: DescribeProducersRequestTopicRequest,
): void {
  w.writeCompactString(s.name)
  const partitionIndexes = s.partitionIndexes
  w.writeCompactArrayLength(partitionIndexes.length)
  for (const item of partitionIndexes) w.writeInt32(item)
  w.writeEmptyTaggedFields()
}

function readDescribeProducersRequestTopicRequest(r: Reader, version: number): DescribeProducersRequestTopicRequest {
  const name = r.readCompactString()
  const partitionIndexesCount = r.readCompactArrayLength(4)
  if (partitionIndexesCount === null)
    throw nullNotAllowed('DescribeProducersRequestTopicRequest.partitionIndexes', version)
  const partitionIndexes: number[] = []
  for (let i = 0; i < partitionIndexesCount; i++) partitionIndexes.push(r.readInt32())
  r.readTaggedFields()
  return { name, partitionIndexes }
}

/** The DescribeProducers response. */
export interface DescribeProducersResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** Each topic in the response. (Versions 0+.) */
  topics: DescribeProducersResponseTopicResponse[]
}

/** TopicResponse in DescribeProducersResponse. */
export interface DescribeProducersResponseTopicResponse {
  /** The topic name. (Versions 0+.) */
  name: string
  /** Each partition in the response. (Versions 0+.) */
  partitions: DescribeProducersResponsePartitionResponse[]
}

/** PartitionResponse in DescribeProducersResponse. */
export interface DescribeProducersResponsePartitionResponse {
  /** The partition index. (Versions 0+.) */
  partitionIndex: number
  /** The partition error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /**
   * The partition error message, which may be null if no additional details are available. (Versions 0+, nullable
   * 0+, default null.)
   */
  errorMessage: string | null
  /** (Versions 0+.) */
  activeProducers: DescribeProducersResponseProducerState[]
}

/** ProducerState in DescribeProducersResponse. */
export interface DescribeProducersResponseProducerState {
  /** (Versions 0+.) */
  producerId: bigint
  /** (Versions 0+.) */
  producerEpoch: number
  /** (Versions 0+, default -1.) */
  lastSequence: number
  /** (Versions 0+, default -1.) */
  lastTimestamp: bigint
  /** (Versions 0+.) */
  coordinatorEpoch: number
  /** (Versions 0+, default -1.) */
  currentTxnStartOffset: bigint
}

function writeDescribeProducersResponse(w: Writer, version: number, s: DescribeProducersResponse): void {
  w.writeInt32(s.throttleTimeMs)
  const topics = s.topics
  w.writeCompactArrayLength(topics.length)
  for (const item of topics) writeDescribeProducersResponseTopicResponse(w, version, item)
  w.writeEmptyTaggedFields()
}

function readDescribeProducersResponse(r: Reader, version: number): DescribeProducersResponse {
  const throttleTimeMs = r.readInt32()
  const topicsCount = r.readCompactArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('DescribeProducersResponse.topics', version)
  const topics: DescribeProducersResponseTopicResponse[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readDescribeProducersResponseTopicResponse(r, version))
  r.readTaggedFields()
  return { throttleTimeMs, topics }
}

function writeDescribeProducersResponseTopicResponse(
  w: Writer,
  version: number,
  s: DescribeProducersResponseTopicResponse,
): void {
  w.writeCompactString(s.name)
  const partitions = s.partitions
  w.writeCompactArrayLength(partitions.length)
  for (const item of partitions) writeDescribeProducersResponsePartitionResponse(w, version, item)
  w.writeEmptyTaggedFields()
}

function readDescribeProducersResponseTopicResponse(
  r: Reader,
  version: number,
): DescribeProducersResponseTopicResponse {
  const name = r.readCompactString()
  const partitionsCount = r.readCompactArrayLength(9)
  if (partitionsCount === null) throw nullNotAllowed('DescribeProducersResponseTopicResponse.partitions', version)
  const partitions: DescribeProducersResponsePartitionResponse[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(readDescribeProducersResponsePartitionResponse(r, version))
  r.readTaggedFields()
  return { name, partitions }
}

function writeDescribeProducersResponsePartitionResponse(
  w: Writer,
  version: number,
  s: DescribeProducersResponsePartitionResponse,
): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt16(s.errorCode)
  w.writeCompactString(s.errorMessage)
  const activeProducers = s.activeProducers
  w.writeCompactArrayLength(activeProducers.length)
  for (const item of activeProducers) writeDescribeProducersResponseProducerState(w, version, item)
  w.writeEmptyTaggedFields()
}

function readDescribeProducersResponsePartitionResponse(
  r: Reader,
  version: number,
): DescribeProducersResponsePartitionResponse {
  const partitionIndex = r.readInt32()
  const errorCode = r.readInt16()
  const errorMessage = r.readCompactNullableString()
  const activeProducersCount = r.readCompactArrayLength(37)
  if (activeProducersCount === null)
    throw nullNotAllowed('DescribeProducersResponsePartitionResponse.activeProducers', version)
  const activeProducers: DescribeProducersResponseProducerState[] = []
  for (let i = 0; i < activeProducersCount; i++)
    activeProducers.push(readDescribeProducersResponseProducerState(r, version))
  r.readTaggedFields()
  return { partitionIndex, errorCode, errorMessage, activeProducers }
}

function writeDescribeProducersResponseProducerState(
  w: Writer,
  _version: number,
  s: DescribeProducersResponseProducerState,
): void {
  w.writeInt64(s.producerId)
  w.writeInt32(s.producerEpoch)
  w.writeInt32(s.lastSequence)
  w.writeInt64(s.lastTimestamp)
  w.writeInt32(s.coordinatorEpoch)
  w.writeInt64(s.currentTxnStartOffset)
  w.writeEmptyTaggedFields()
}

function readDescribeProducersResponseProducerState(
  r: Reader,
  _version: number,
): DescribeProducersResponseProducerState {
  const producerId = r.readInt64()
  const producerEpoch = r.readInt32()
  const lastSequence = r.readInt32()
  const lastTimestamp = r.readInt64()
  const coordinatorEpoch = r.readInt32()
  const currentTxnStartOffset = r.readInt64()
  r.readTaggedFields()
  return { producerId, producerEpoch, lastSequence, lastTimestamp, coordinatorEpoch, currentTxnStartOffset }
}
