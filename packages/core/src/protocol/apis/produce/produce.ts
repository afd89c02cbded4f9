// Generated from Kafka's ProduceRequest.json/ProduceResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// Produce (API key 0)
//   valid versions: 0-11 (deprecated: 0-6)
//   flexible versions: 9+
//
// Produce Request (Version: 11) => transactional_id acks timeout_ms [topic_data] _tagged_fields
//   transactional_id => COMPACT_NULLABLE_STRING
//   acks => INT16
//   timeout_ms => INT32
//   topic_data => name [partition_data] _tagged_fields
//     name => COMPACT_STRING
//     partition_data => index records _tagged_fields
//       index => INT32
//       records => COMPACT_RECORDS
//
// Produce Response (Version: 11) => [responses] throttle_time_ms [<tag 0: node_endpoints>] _tagged_fields
//   responses => name [partition_responses] _tagged_fields
//     name => COMPACT_STRING
//     partition_responses => index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message <tag 0: current_leader> _tagged_fields
//       index => INT32
//       error_code => INT16
//       base_offset => INT64
//       log_append_time_ms => INT64
//       log_start_offset => INT64
//       record_errors => batch_index batch_index_error_message _tagged_fields
//         batch_index => INT32
//         batch_index_error_message => COMPACT_NULLABLE_STRING
//       error_message => COMPACT_NULLABLE_STRING
//       current_leader => leader_id leader_epoch _tagged_fields
//         leader_id => INT32
//         leader_epoch => INT32
//   throttle_time_ms => INT32
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
} from '../support.js'

/** Produce (API key 0), versions 0-11. */
export const produce: ApiDefinition<ProduceRequest, ProduceResponse> = {
  apiKey: 0,
  name: 'Produce',
  minVersion: 0,
  maxVersion: 11,
  firstFlexibleVersion: 9,
  encodeRequest(writer: Writer, version: number, request: ProduceRequest): void {
    if (!(version >= 0 && version <= 11)) throw unsupportedVersion('Produce', version, 0, 11)
    writeProduceRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): ProduceRequest {
    if (!(version >= 0 && version <= 11)) throw unsupportedVersion('Produce', version, 0, 11)
    return readProduceRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: ProduceResponse): void {
    if (!(version >= 0 && version <= 11)) throw unsupportedVersion('Produce', version, 0, 11)
    writeProduceResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): ProduceResponse {
    if (!(version >= 0 && version <= 11)) throw unsupportedVersion('Produce', version, 0, 11)
    return readProduceResponse(reader, version)
  },
}

/** The Produce request. */
export interface ProduceRequest {
  /** The transactional ID, or null if the producer is not transactional. (Versions 3+, nullable 3+, default null.) */
  transactionalId?: string | null
  /**
   * The number of acknowledgments the producer requires the leader to have received before considering a request
   * complete. Allowed values: 0 for no acknowledgments, 1 for only the leader and -1 for the full ISR. (Versions
   * 0+.)
   */
  acks: number
  /** The timeout to await a response in milliseconds. (Versions 0+.) */
  timeoutMs: number
  /** Each topic to produce to. (Versions 0+.) */
  topicData: ProduceRequestTopicProduceData[]
}

/** TopicProduceData in ProduceRequest. */
export interface ProduceRequestTopicProduceData {
  /** The topic name. (Versions 0+.) */
  name: string
  /** Each partition to produce to. (Versions 0+.) */
  partitionData: ProduceRequestPartitionProduceData[]
}

/** PartitionProduceData in ProduceRequest. */
export interface ProduceRequestPartitionProduceData {
  /** The partition index. (Versions 0+.) */
  index: number
  /** The record data to be produced. (Versions 0+, nullable 0+.) */
  records: Buffer | null
}

function writeProduceRequest(w: Writer, version: number, s: ProduceRequest): void {
  if (version >= 3) {
    if (version >= 9) w.writeCompactString(s.transactionalId ?? null)
    else w.writeString(s.transactionalId ?? null)
  }
  w.writeInt16(s.acks)
  w.writeInt32(s.timeoutMs)
  const topicData = s.topicData
  if (version >= 9) w.writeCompactArrayLength(topicData.length)
  else w.writeArrayLength(topicData.length)
  for (const item of topicData) writeProduceRequestTopicProduceData(w, version, item)
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readProduceRequest(r: Reader, version: number): ProduceRequest {
  const transactionalId: string | null =
    version >= 9 ? r.readCompactNullableString() : version >= 3 ? r.readNullableString() : null
  const acks = r.readInt16()
  const timeoutMs = r.readInt32()
  const topicDataCount = version >= 9 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (topicDataCount === null) throw nullNotAllowed('ProduceRequest.topicData', version)
  const topicData: ProduceRequestTopicProduceData[] = []
  for (let i = 0; i < topicDataCount; i++) topicData.push(readProduceRequestTopicProduceData(r, version))
  if (version >= 9) r.readTaggedFields()
  return { transactionalId, acks, timeoutMs, topicData }
}

function writeProduceRequestTopicProduceData(w: Writer, version: number, s: ProduceRequestTopicProduceData): void {
  if (version >= 9) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitionData = s.partitionData
  if (version >= 9) w.writeCompactArrayLength(partitionData.length)
  else w.writeArrayLength(partitionData.length)
  for (const item of partitionData) writeProduceRequestPartitionProduceData(w, version, item)
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readProduceRequestTopicProduceData(r: Reader, version: number): ProduceRequestTopicProduceData {
  const name = version >= 9 ? r.readCompactString() : r.readString()
  const partitionDataCount = version >= 9 ? r.readCompactArrayLength(6) : r.readArrayLength(6)
  if (partitionDataCount === null) throw nullNotAllowed('ProduceRequestTopicProduceData.partitionData', version)
  const partitionData: ProduceRequestPartitionProduceData[] = []
  for (let i = 0; i < partitionDataCount; i++) partitionData.push(readProduceRequestPartitionProduceData(r, version))
  if (version >= 9) r.readTaggedFields()
  return { name, partitionData }
}

function writeProduceRequestPartitionProduceData(
  w: Writer,
  version: number,
  s: ProduceRequestPartitionProduceData,
): void {
  w.writeInt32(s.index)
  const records = s.records
  if (version >= 9) w.writeUnsignedVarInt(records === null ? 0 : records.length + 1)
  else w.writeInt32(records === null ? -1 : records.length)
  if (records !== null) w.appendExternal(records)
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readProduceRequestPartitionProduceData(r: Reader, version: number): ProduceRequestPartitionProduceData {
  const index = r.readInt32()
  const records = version >= 9 ? r.readCompactNullableBytes() : r.readNullableBytes()
  if (version >= 9) r.readTaggedFields()
  return { index, records }
}

/** The Produce response. */
export interface ProduceResponse {
  /** Each produce response. (Versions 0+.) */
  responses: ProduceResponseTopicProduceResponse[]
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 1+, default 0.)
   */
  throttleTimeMs?: number
  /**
   * Endpoints for all current-leaders enumerated in PartitionProduceResponses, with errors NOT_LEADER_OR_FOLLOWER.
   * (Versions 10+, tagged (tag 0) 10+.)
   */
  nodeEndpoints?: ProduceResponseNodeEndpoint[]
}

/** TopicProduceResponse in ProduceResponse. */
export interface ProduceResponseTopicProduceResponse {
  /** The topic name. (Versions 0+.) */
  name: string
  /** Each partition that we produced to within the topic. (Versions 0+.) */
  partitionResponses: ProduceResponsePartitionProduceResponse[]
}

/** PartitionProduceResponse in ProduceResponse. */
export interface ProduceResponsePartitionProduceResponse {
  /** The partition index. (Versions 0+.) */
  index: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The base offset. (Versions 0+.) */
  baseOffset: bigint
  /**
   * The timestamp returned by broker after appending the messages. If CreateTime is used for the topic, the
   * timestamp will be -1. If LogAppendTime is used for the topic, the timestamp will be the broker local time when
   * the messages are appended. (Versions 2+, default -1.)
   */
  logAppendTimeMs?: bigint
  /** The log start offset. (Versions 5+, default -1.) */
  logStartOffset?: bigint
  /** The batch indices of records that caused the batch to be dropped. (Versions 8+.) */
  recordErrors?: ProduceResponseBatchIndexAndErrorMessage[]
  /**
   * The global error message summarizing the common root cause of the records that caused the batch to be dropped.
   * (Versions 8+, nullable 8+, default null.)
   */
  errorMessage?: string | null
  /** (Versions 10+, tagged (tag 0) 10+.) */
  currentLeader?: ProduceResponseLeaderIdAndEpoch
}

/** BatchIndexAndErrorMessage in ProduceResponse. */
export interface ProduceResponseBatchIndexAndErrorMessage {
  /** The batch index of the record that cause the batch to be dropped. (Versions 8+.) */
  batchIndex?: number
  /** The error message of the record that caused the batch to be dropped. (Versions 8+, nullable 8+, default null.) */
  batchIndexErrorMessage?: string | null
}

/** LeaderIdAndEpoch in ProduceResponse. */
export interface ProduceResponseLeaderIdAndEpoch {
  /** The ID of the current leader or -1 if the leader is unknown. (Versions 10+, default -1.) */
  leaderId?: number
  /** The latest known leader epoch. (Versions 10+, default -1.) */
  leaderEpoch?: number
}

/** NodeEndpoint in ProduceResponse. */
export interface ProduceResponseNodeEndpoint {
  /** The ID of the associated node. (Versions 10+.) */
  nodeId?: number
  /** The node's hostname. (Versions 10+.) */
  host?: string
  /** The node's port. (Versions 10+.) */
  port?: number
  /**
   * The rack of the node, or null if it has not been assigned to a rack. (Versions 10+, nullable 10+, default
   * null.)
   */
  rack?: string | null
}

function writeProduceResponse(w: Writer, version: number, s: ProduceResponse): void {
  const responses = s.responses
  if (version >= 9) w.writeCompactArrayLength(responses.length)
  else w.writeArrayLength(responses.length)
  for (const item of responses) writeProduceResponseTopicProduceResponse(w, version, item)
  if (version >= 1) w.writeInt32(s.throttleTimeMs ?? 0)
  if (version >= 9) {
    const nodeEndpointsTagged = s.nodeEndpoints
    const hasNodeEndpoints = version >= 10 && nodeEndpointsTagged !== undefined && nodeEndpointsTagged.length !== 0
    w.writeUnsignedVarInt(hasNodeEndpoints ? 1 : 0)
    if (hasNodeEndpoints) {
      const at = beginTaggedField(w, 0)
      w.writeCompactArrayLength(nodeEndpointsTagged.length)
      for (const item of nodeEndpointsTagged) writeProduceResponseNodeEndpoint(w, version, item)
      endTaggedField(w, at)
    }
  }
}

function readProduceResponse(r: Reader, version: number): ProduceResponse {
  const responsesCount = version >= 9 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (responsesCount === null) throw nullNotAllowed('ProduceResponse.responses', version)
  const responses: ProduceResponseTopicProduceResponse[] = []
  for (let i = 0; i < responsesCount; i++) responses.push(readProduceResponseTopicProduceResponse(r, version))
  const throttleTimeMs = version >= 1 ? r.readInt32() : 0
  let nodeEndpoints: ProduceResponseNodeEndpoint[] = []
  if (version >= 9) {
    for (let tagCount = r.readUnsignedVarInt(); tagCount > 0; tagCount--) {
      const tag = r.readUnsignedVarInt()
      const outerEnd = r.end
      const fieldEnd = taggedFieldEnd(r, r.readUnsignedVarInt())
      r.end = fieldEnd
      if (tag === 0 && version >= 10) {
        const nodeEndpointsCount = r.readCompactArrayLength(11)
        if (nodeEndpointsCount === null) throw nullNotAllowed('ProduceResponse.nodeEndpoints', version)
        const nodeEndpointsItems: ProduceResponseNodeEndpoint[] = []
        for (let i = 0; i < nodeEndpointsCount; i++)
          nodeEndpointsItems.push(readProduceResponseNodeEndpoint(r, version))
        nodeEndpoints = nodeEndpointsItems
      }
      r.end = outerEnd
      r.offset = fieldEnd
    }
  }
  return { responses, throttleTimeMs, nodeEndpoints }
}

function writeProduceResponseTopicProduceResponse(
  w: Writer,
  version: number,
  s: ProduceResponseTopicProduceResponse,
): void {
  if (version >= 9) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitionResponses = s.partitionResponses
  if (version >= 9) w.writeCompactArrayLength(partitionResponses.length)
  else w.writeArrayLength(partitionResponses.length)
  for (const item of partitionResponses) writeProduceResponsePartitionProduceResponse(w, version, item)
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readProduceResponseTopicProduceResponse(r: Reader, version: number): ProduceResponseTopicProduceResponse {
  const name = version >= 9 ? r.readCompactString() : r.readString()
  const partitionResponsesCount = version >= 9 ? r.readCompactArrayLength(14) : r.readArrayLength(14)
  if (partitionResponsesCount === null)
    throw nullNotAllowed('ProduceResponseTopicProduceResponse.partitionResponses', version)
  const partitionResponses: ProduceResponsePartitionProduceResponse[] = []
  for (let i = 0; i < partitionResponsesCount; i++)
    partitionResponses.push(readProduceResponsePartitionProduceResponse(r, version))
  if (version >= 9) r.readTaggedFields()
  return { name, partitionResponses }
}

function writeProduceResponsePartitionProduceResponse(
  w: Writer,
  version: number,
  s: ProduceResponsePartitionProduceResponse,
): void {
  w.writeInt32(s.index)
  w.writeInt16(s.errorCode)
  w.writeInt64(s.baseOffset)
  if (version >= 2) w.writeInt64(s.logAppendTimeMs ?? -1n)
  if (version >= 5) w.writeInt64(s.logStartOffset ?? -1n)
  if (version >= 8) {
    const recordErrors = s.recordErrors ?? EMPTY_ARRAY
    if (version >= 9) w.writeCompactArrayLength(recordErrors.length)
    else w.writeArrayLength(recordErrors.length)
    for (const item of recordErrors) writeProduceResponseBatchIndexAndErrorMessage(w, version, item)
  }
  if (version >= 8) {
    if (version >= 9) w.writeCompactString(s.errorMessage ?? null)
    else w.writeString(s.errorMessage ?? null)
  }
  if (version >= 9) {
    const currentLeaderTagged = s.currentLeader
    const hasCurrentLeader =
      version >= 10 &&
      currentLeaderTagged !== undefined &&
      !isDefaultProduceResponseLeaderIdAndEpoch(currentLeaderTagged)
    w.writeUnsignedVarInt(hasCurrentLeader ? 1 : 0)
    if (hasCurrentLeader) {
      const at = beginTaggedField(w, 0)
      writeProduceResponseLeaderIdAndEpoch(w, version, currentLeaderTagged)
      endTaggedField(w, at)
    }
  }
}

function readProduceResponsePartitionProduceResponse(
  r: Reader,
  version: number,
): ProduceResponsePartitionProduceResponse {
  const index = r.readInt32()
  const errorCode = r.readInt16()
  const baseOffset = r.readInt64()
  const logAppendTimeMs = version >= 2 ? r.readInt64() : -1n
  const logStartOffset = version >= 5 ? r.readInt64() : -1n
  let recordErrors: ProduceResponseBatchIndexAndErrorMessage[]
  if (version >= 8) {
    const recordErrorsCount = version >= 9 ? r.readCompactArrayLength(6) : r.readArrayLength(6)
    if (recordErrorsCount === null)
      throw nullNotAllowed('ProduceResponsePartitionProduceResponse.recordErrors', version)
    const recordErrorsItems: ProduceResponseBatchIndexAndErrorMessage[] = []
    for (let i = 0; i < recordErrorsCount; i++)
      recordErrorsItems.push(readProduceResponseBatchIndexAndErrorMessage(r, version))
    recordErrors = recordErrorsItems
  } else recordErrors = []
  const errorMessage: string | null =
    version >= 9 ? r.readCompactNullableString() : version >= 8 ? r.readNullableString() : null
  let currentLeader: ProduceResponseLeaderIdAndEpoch = defaultProduceResponseLeaderIdAndEpoch()
  if (version >= 9) {
    for (let tagCount = r.readUnsignedVarInt(); tagCount > 0; tagCount--) {
      const tag = r.readUnsignedVarInt()
      const outerEnd = r.end
      const fieldEnd = taggedFieldEnd(r, r.readUnsignedVarInt())
      r.end = fieldEnd
      if (tag === 0 && version >= 10) currentLeader = readProduceResponseLeaderIdAndEpoch(r, version)
      r.end = outerEnd
      r.offset = fieldEnd
    }
  }
  return { index, errorCode, baseOffset, logAppendTimeMs, logStartOffset, recordErrors, errorMessage, currentLeader }
}

function writeProduceResponseBatchIndexAndErrorMessage(
  w: Writer,
  version: number,
  s: ProduceResponseBatchIndexAndErrorMessage,
): void {
  w.writeInt32(s.batchIndex ?? 0)
  if (version >= 9) w.writeCompactString(s.batchIndexErrorMessage ?? null)
  else w.writeString(s.batchIndexErrorMessage ?? null)
  if (version >= 9) w.writeEmptyTaggedFields()
}

function readProduceResponseBatchIndexAndErrorMessage(
  r: Reader,
  version: number,
): ProduceResponseBatchIndexAndErrorMessage {
  const batchIndex = r.readInt32()
  const batchIndexErrorMessage = version >= 9 ? r.readCompactNullableString() : r.readNullableString()
  if (version >= 9) r.readTaggedFields()
  return { batchIndex, batchIndexErrorMessage }
}

function writeProduceResponseLeaderIdAndEpoch(w: Writer, _version: number, s: ProduceResponseLeaderIdAndEpoch): void {
  w.writeInt32(s.leaderId ?? -1)
  w.writeInt32(s.leaderEpoch ?? -1)
  w.writeEmptyTaggedFields()
}

function readProduceResponseLeaderIdAndEpoch(r: Reader, _version: number): ProduceResponseLeaderIdAndEpoch {
  const leaderId = r.readInt32()
  const leaderEpoch = r.readInt32()
  r.readTaggedFields()
  return { leaderId, leaderEpoch }
}

function writeProduceResponseNodeEndpoint(w: Writer, _version: number, s: ProduceResponseNodeEndpoint): void {
  w.writeInt32(s.nodeId ?? 0)
  w.writeCompactString(s.host ?? '')
  w.writeInt32(s.port ?? 0)
  w.writeCompactString(s.rack ?? null)
  w.writeEmptyTaggedFields()
}

function readProduceResponseNodeEndpoint(r: Reader, _version: number): ProduceResponseNodeEndpoint {
  const nodeId = r.readInt32()
  const host = r.readCompactString()
  const port = r.readInt32()
  const rack = r.readCompactNullableString()
  r.readTaggedFields()
  return { nodeId, host, port, rack }
}

function defaultProduceResponseLeaderIdAndEpoch(): ProduceResponseLeaderIdAndEpoch {
  return { leaderId: -1, leaderEpoch: -1 }
}

function isDefaultProduceResponseLeaderIdAndEpoch(s: ProduceResponseLeaderIdAndEpoch): boolean {
  return (s.leaderId === undefined || s.leaderId === -1) && (s.leaderEpoch === undefined || s.leaderEpoch === -1)
}
