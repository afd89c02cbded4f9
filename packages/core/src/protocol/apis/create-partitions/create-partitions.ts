// Generated from Kafka's CreatePartitionsRequest.json/CreatePartitionsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// CreatePartitions (API key 37)
//   valid versions: 0-3
//   flexible versions: 2+
//
// CreatePartitions Request (Version: 3) => [topics] timeout_ms validate_only _tagged_fields
//   topics => name count [assignments] _tagged_fields
//     name => COMPACT_STRING
//     count => INT32
//     assignments => [broker_ids] _tagged_fields
//       broker_ids => INT32
//   timeout_ms => INT32
//   validate_only => BOOLEAN
//
// CreatePartitions Response (Version: 3) => throttle_time_ms [results] _tagged_fields
//   throttle_time_ms => INT32
//   results => name error_code error_message _tagged_fields
//     name => COMPACT_STRING
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** CreatePartitions (API key 37), versions 0-3. */
export const createPartitions: ApiDefinition<CreatePartitionsRequest, CreatePartitionsResponse> = {
  apiKey: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 3,
  firstFlexibleVersion: 2,
  encodeRequest(writer: Writer, version: number, request: CreatePartitionsRequest): void {
    if (!(version >= 0 && version <= 3)) throw unsupportedVersion('CreatePartitions', version, 0, 3)
    writeCreatePartitionsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): CreatePartitionsRequest {
    if (!(version >= 0 && version <= 3)) throw unsupportedVersion('CreatePartitions', version, 0, 3)
    return readCreatePartitionsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: CreatePartitionsResponse): void {
    if (!(version >= 0 && version <= 3)) throw unsupportedVersion('CreatePartitions', version, 0, 3)
    writeCreatePartitionsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): CreatePartitionsResponse {
    if (!(version >= 0 && version <= 3)) throw unsupportedVersion('CreatePartitions', version, 0, 3)
    return readCreatePartitionsResponse(reader, version)
  },
}

/** The CreatePartitions request. */
export interface CreatePartitionsRequest {
  /** Each topic that we want to create new partitions inside. (Versions 0+.) */
  topics: CreatePartitionsRequestCreatePartitionsTopic[]
  /** The time in ms to wait for the partitions to be created. (Versions 0+.) */
  timeoutMs: number
  /** If true, then validate the request, but don't actually increase the number of partitions. (Versions 0+.) */
  validateOnly: boolean
}

/** CreatePartitionsTopic in CreatePartitionsRequest. */
export interface CreatePartitionsRequestCreatePartitionsTopic {
  /** The topic name. (Versions 0+.) */
  name: string
  /** The new partition count. (Versions 0+.) */
  count: number
  /** The new partition assignments. (Versions 0+, nullable 0+.) */
  assignments: CreatePartitionsRequestCreatePartitionsAssignment[] | null
}

/** CreatePartitionsAssignment in CreatePartitionsRequest. */
export interface CreatePartitionsRequestCreatePartitionsAssignment {
  /** The assigned broker IDs. (Versions 0+.) */
  brokerIds: number[]
}

function writeCreatePartitionsRequest(w: Writer, version: number, s: CreatePartitionsRequest): void {
  const topics = s.topics
  if (version >= 2) w.writeCompactArrayLength(topics.length)
  else w.writeArrayLength(topics.length)
  for (const item of topics) writeCreatePartitionsRequestCreatePartitionsTopic(w, version, item)
  w.writeInt32(s.timeoutMs)
  w.writeBoolean(s.validateOnly)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readCreatePartitionsRequest(r: Reader, version: number): CreatePartitionsRequest {
  const topicsCount = version >= 2 ? r.readCompactArrayLength(7) : r.readArrayLength(7)
  if (topicsCount === null) throw nullNotAllowed('CreatePartitionsRequest.topics', version)
  const topics: CreatePartitionsRequestCreatePartitionsTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readCreatePartitionsRequestCreatePartitionsTopic(r, version))
  const timeoutMs = r.readInt32()
  const validateOnly = r.readBoolean()
  if (version >= 2) r.readTaggedFields()
  return { topics, timeoutMs, validateOnly }
}

function writeCreatePartitionsRequestCreatePartitionsTopic(
  w: Writer,
  version: number,
  s: CreatePartitionsRequestCreatePartitionsTopic,
): void {
  if (version >= 2) w.writeCompactString(s.name)
  else w.writeString(s.name)
  w.writeInt32(s.count)
  const assignments = s.assignments
  if (version >= 2) w.writeCompactArrayLength(assignments === null ? null : assignments.length)
  else w.writeArrayLength(assignments === null ? null : assignments.length)
  if (assignments !== null)
    for (const item of assignments) writeCreatePartitionsRequestCreatePartitionsAssignment(w, version, item)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readCreatePartitionsRequestCreatePartitionsTopic(
  r: Reader,
  version: number,
): CreatePartitionsRequestCreatePartitionsTopic {
  const name = version >= 2 ? r.readCompactString() : r.readString()
  const count = r.readInt32()
  let assignments: CreatePartitionsRequestCreatePartitionsAssignment[] | null
  const assignmentsCount = version >= 2 ? r.readCompactArrayLength(2) : r.readArrayLength(2)
  if (assignmentsCount === null) assignments = null
  else {
    const assignmentsItems: CreatePartitionsRequestCreatePartitionsAssignment[] = []
    for (let i = 0; i < assignmentsCount; i++)
      assignmentsItems.push(readCreatePartitionsRequestCreatePartitionsAssignment(r, version))
    assignments = assignmentsItems
  }
  if (version >= 2) r.readTaggedFields()
  return { name, count, assignments }
}

function writeCreatePartitionsRequestCreatePartitionsAssignment(
  w: Writer,
  version: number,
  s: CreatePartitionsRequestCreatePartitionsAssignment,
): void {
  const brokerIds = s.brokerIds
  if (version >= 2) w.writeCompactArrayLength(brokerIds.length)
  else w.writeArrayLength(brokerIds.length)
  for (const item of brokerIds) w.writeInt32(item)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readCreatePartitionsRequestCreatePartitionsAssignment(
  r: Reader,
  version: number,
): CreatePartitionsRequestCreatePartitionsAssignment {
  const brokerIdsCount = version >= 2 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (brokerIdsCount === null)
    throw nullNotAllowed('CreatePartitionsRequestCreatePartitionsAssignment.brokerIds', version)
  const brokerIds: number[] = []
  for (let i = 0; i < brokerIdsCount; i++) brokerIds.push(r.readInt32())
  if (version >= 2) r.readTaggedFields()
  return { brokerIds }
}

/** The CreatePartitions response. */
export interface CreatePartitionsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The partition creation results for each topic. (Versions 0+.) */
  results: CreatePartitionsResponseCreatePartitionsTopicResult[]
}

/** CreatePartitionsTopicResult in CreatePartitionsResponse. */
export interface CreatePartitionsResponseCreatePartitionsTopicResult {
  /** The topic name. (Versions 0+.) */
  name: string
  /** The result error, or zero if there was no error. (Versions 0+.) */
  errorCode: number
  /** The result message, or null if there was no error. (Versions 0+, nullable 0+, default null.) */
  errorMessage: string | null
}

function writeCreatePartitionsResponse(w: Writer, version: number, s: CreatePartitionsResponse): void {
  w.writeInt32(s.throttleTimeMs)
  const results = s.results
  if (version >= 2) w.writeCompactArrayLength(results.length)
  else w.writeArrayLength(results.length)
  for (const item of results) writeCreatePartitionsResponseCreatePartitionsTopicResult(w, version, item)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readCreatePartitionsResponse(r: Reader, version: number): CreatePartitionsResponse {
  const throttleTimeMs = r.readInt32()
  const resultsCount = version >= 2 ? r.readCompactArrayLength(5) : r.readArrayLength(5)
  if (resultsCount === null) throw nullNotAllowed('CreatePartitionsResponse.results', version)
  const results: CreatePartitionsResponseCreatePartitionsTopicResult[] = []
  for (let i = 0; i < resultsCount; i++)
    results.push(readCreatePartitionsResponseCreatePartitionsTopicResult(r, version))
  if (version >= 2) r.readTaggedFields()
  return { throttleTimeMs, results }
}

function writeCreatePartitionsResponseCreatePartitionsTopicResult(
  w: Writer,
  version: number,
  s: CreatePartitionsResponseCreatePartitionsTopicResult,
): void {
  if (version >= 2) w.writeCompactString(s.name)
  else w.writeString(s.name)
  w.writeInt16(s.errorCode)
  if (version >= 2) w.writeCompactString(s.errorMessage)
  else w.writeString(s.errorMessage)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readCreatePartitionsResponseCreatePartitionsTopicResult(
  r: Reader,
  version: number,
): CreatePartitionsResponseCreatePartitionsTopicResult {
  const name = version >= 2 ? r.readCompactString() : r.readString()
  const errorCode = r.readInt16()
  const errorMessage = version >= 2 ? r.readCompactNullableString() : r.readNullableString()
  if (version >= 2) r.readTaggedFields()
  return { name, errorCode, errorMessage }
}
