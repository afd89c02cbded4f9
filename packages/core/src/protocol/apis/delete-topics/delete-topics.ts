// Generated from Kafka's DeleteTopicsRequest.json/DeleteTopicsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// DeleteTopics (API key 20)
//   valid versions: 0-6 (deprecated: 0)
//   flexible versions: 4+
//
// DeleteTopics Request (Version: 6) => [topics] timeout_ms _tagged_fields
//   topics => name topic_id _tagged_fields
//     name => COMPACT_NULLABLE_STRING
//     topic_id => UUID
//   timeout_ms => INT32
//
// DeleteTopics Response (Version: 6) => throttle_time_ms [responses] _tagged_fields
//   throttle_time_ms => INT32
//   responses => name topic_id error_code error_message _tagged_fields
//     name => COMPACT_NULLABLE_STRING
//     topic_id => UUID
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { EMPTY_ARRAY, nullNotAllowed, unsupportedVersion, ZERO_UUID } from '../support.js'

/** DeleteTopics (API key 20), versions 0-6. */
export const deleteTopics: ApiDefinition<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 6,
  firstFlexibleVersion: 4,
  encodeRequest(writer: Writer, version: number, request: DeleteTopicsRequest): void {
    if (!(version >= 0 && version <= 6)) throw unsupportedVersion('DeleteTopics', version, 0, 6)
    writeDeleteTopicsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): DeleteTopicsRequest {
    if (!(version >= 0 && version <= 6)) throw unsupportedVersion('DeleteTopics', version, 0, 6)
    return readDeleteTopicsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: DeleteTopicsResponse): void {
    if (!(version >= 0 && version <= 6)) throw unsupportedVersion('DeleteTopics', version, 0, 6)
    writeDeleteTopicsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): DeleteTopicsResponse {
    if (!(version >= 0 && version <= 6)) throw unsupportedVersion('DeleteTopics', version, 0, 6)
    return readDeleteTopicsResponse(reader, version)
  },
}

/** The DeleteTopics request. */
export interface DeleteTopicsRequest {
  /** The name or topic ID of the topic. (Versions 6+.) */
  topics?: DeleteTopicsRequestDeleteTopicState[]
  /** The names of the topics to delete. (Versions 0-5.) */
  topicNames?: string[]
  /** The length of time in milliseconds to wait for the deletions to complete. (Versions 0+.) */
  timeoutMs: number
}

/** DeleteTopicState in DeleteTopicsRequest. */
export interface DeleteTopicsRequestDeleteTopicState {
  /** The topic name. (Versions 6+, nullable 6+, default null.) */
  name?: string | null
  /** The unique topic ID. (Versions 6+.) */
  topicId?: string
}

function writeDeleteTopicsRequest(w: Writer, version: number, s: DeleteTopicsRequest): void {
  if (version >= 6) {
    const topics = s.topics ?? EMPTY_ARRAY
    w.writeCompactArrayLength(topics.length)
    for (const item of topics) writeDeleteTopicsRequestDeleteTopicState(w, version, item)
  }
  if (version <= 5) {
    const topicNames = s.topicNames ?? EMPTY_ARRAY
    if (version >= 4) {
      w.writeCompactArrayLength(topicNames.length)
      for (const item of topicNames) w.writeCompactString(item)
    } else {
      w.writeArrayLength(topicNames.length)
      for (const item of topicNames) w.writeString(item)
    }
  }
  w.writeInt32(s.timeoutMs)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readDeleteTopicsRequest(r: Reader, version: number): DeleteTopicsRequest {
  let topics: DeleteTopicsRequestDeleteTopicState[]
  if (version >= 6) {
    const topicsCount = r.readCompactArrayLength(18)
    if (topicsCount === null) throw nullNotAllowed('DeleteTopicsRequest.topics', version)
    const topicsItems: DeleteTopicsRequestDeleteTopicState[] = []
    for (let i = 0; i < topicsCount; i++) topicsItems.push(readDeleteTopicsRequestDeleteTopicState(r, version))
    topics = topicsItems
  } else topics = []
  let topicNames: string[]
  if (version <= 5) {
    const topicNamesCount = version >= 4 ? r.readCompactArrayLength(1) : r.readArrayLength(1)
    if (topicNamesCount === null) throw nullNotAllowed('DeleteTopicsRequest.topicNames', version)
    const topicNamesItems: string[] = []
    for (let i = 0; i < topicNamesCount; i++)
      topicNamesItems.push(version >= 4 ? r.readCompactString() : r.readString())
    topicNames = topicNamesItems
  } else topicNames = []
  const timeoutMs = r.readInt32()
  if (version >= 4) r.readTaggedFields()
  return { topics, topicNames, timeoutMs }
}

function writeDeleteTopicsRequestDeleteTopicState(
  w: Writer,
  _version: number,
  s: DeleteTopicsRequestDeleteTopicState,
): void {
  w.writeCompactString(s.name ?? null)
  w.writeUuid(s.topicId ?? ZERO_UUID)
  w.writeEmptyTaggedFields()
}

function readDeleteTopicsRequestDeleteTopicState(r: Reader, _version: number): DeleteTopicsRequestDeleteTopicState {
  const name = r.readCompactNullableString()
  const topicId = r.readUuid()
  r.readTaggedFields()
  return { name, topicId }
}

/** The DeleteTopics response. */
export interface DeleteTopicsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 1+.)
   */
  throttleTimeMs?: number
  /** The results for each topic we tried to delete. (Versions 0+.) */
  responses: DeleteTopicsResponseDeletableTopicResult[]
}

/** DeletableTopicResult in DeleteTopicsResponse. */
export interface DeleteTopicsResponseDeletableTopicResult {
  /** The topic name. (Versions 0+, nullable 6+.) */
  name: string | null
  /** the unique topic ID. (Versions 6+.) */
  topicId?: string
  /** The deletion error, or 0 if the deletion succeeded. (Versions 0+.) */
  errorCode: number
  /** The error message, or null if there was no error. (Versions 5+, nullable 5+, default null.) */
  errorMessage?: string | null
}

function writeDeleteTopicsResponse(w: Writer, version: number, s: DeleteTopicsResponse): void {
  if (version >= 1) w.writeInt32(s.throttleTimeMs ?? 0)
  const responses = s.responses
  if (version >= 4) w.writeCompactArrayLength(responses.length)
  else w.writeArrayLength(responses.length)
  for (const item of responses) writeDeleteTopicsResponseDeletableTopicResult(w, version, item)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readDeleteTopicsResponse(r: Reader, version: number): DeleteTopicsResponse {
  const throttleTimeMs = version >= 1 ? r.readInt32() : 0
  const responsesCount = version >= 4 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (responsesCount === null) throw nullNotAllowed('DeleteTopicsResponse.responses', version)
  const responses: DeleteTopicsResponseDeletableTopicResult[] = []
  for (let i = 0; i < responsesCount; i++) responses.push(readDeleteTopicsResponseDeletableTopicResult(r, version))
  if (version >= 4) r.readTaggedFields()
  return { throttleTimeMs, responses }
}

function writeDeleteTopicsResponseDeletableTopicResult(
  w: Writer,
  version: number,
  s: DeleteTopicsResponseDeletableTopicResult,
): void {
  const name = s.name
  if (version >= 6) {
    w.writeCompactString(name)
  } else if (version >= 4) {
    if (name === null) throw nullNotAllowed('DeleteTopicsResponseDeletableTopicResult.name', version)
    w.writeCompactString(name)
  } else {
    if (name === null) throw nullNotAllowed('DeleteTopicsResponseDeletableTopicResult.name', version)
    w.writeString(name)
  }
  if (version >= 6) w.writeUuid(s.topicId ?? ZERO_UUID)
  w.writeInt16(s.errorCode)
  if (version >= 5) w.writeCompactString(s.errorMessage ?? null)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readDeleteTopicsResponseDeletableTopicResult(
  r: Reader,
  version: number,
): DeleteTopicsResponseDeletableTopicResult {
  const name = version >= 6 ? r.readCompactNullableString() : version >= 4 ? r.readCompactString() : r.readString()
  const topicId = version >= 6 ? r.readUuid() : ZERO_UUID
  const errorCode = r.readInt16()
  const errorMessage: string | null = version >= 5 ? r.readCompactNullableString() : null
  if (version >= 4) r.readTaggedFields()
  return { name, topicId, errorCode, errorMessage }
}
