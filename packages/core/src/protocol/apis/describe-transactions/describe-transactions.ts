// Generated from Kafka's DescribeTransactionsRequest.json/DescribeTransactionsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// DescribeTransactions (API key 65)
//   valid versions: 0
//   flexible versions: 0+
//
// DescribeTransactions Request (Version: 0) => [transactional_ids] _tagged_fields
//   transactional_ids => COMPACT_STRING
//
// DescribeTransactions Response (Version: 0) => throttle_time_ms [transaction_states] _tagged_fields
//   throttle_time_ms => INT32
//   transaction_states => error_code transactional_id transaction_state transaction_timeout_ms transaction_start_time_ms producer_id producer_epoch [topics] _tagged_fields
//     error_code => INT16
//     transactional_id => COMPACT_STRING
//     transaction_state => COMPACT_STRING
//     transaction_timeout_ms => INT32
//     transaction_start_time_ms => INT64
//     producer_id => INT64
//     producer_epoch => INT16
//     topics => topic [partitions] _tagged_fields
//       topic => COMPACT_STRING
//       partitions => INT32

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** DescribeTransactions (API key 65), versions 0-0. */
export const describeTransactions: ApiDefinition<DescribeTransactionsRequest, DescribeTransactionsResponse> = {
  apiKey: 65,
  name: 'DescribeTransactions',
  minVersion: 0,
  maxVersion: 0,
  firstFlexibleVersion: 0,
  encodeRequest(writer: Writer, version: number, request: DescribeTransactionsRequest): void {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('DescribeTransactions', version, 0, 0)
    writeDescribeTransactionsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): DescribeTransactionsRequest {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('DescribeTransactions', version, 0, 0)
    return readDescribeTransactionsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: DescribeTransactionsResponse): void {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('DescribeTransactions', version, 0, 0)
    writeDescribeTransactionsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): DescribeTransactionsResponse {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('DescribeTransactions', version, 0, 0)
    return readDescribeTransactionsResponse(reader, version)
  },
}

/** The DescribeTransactions request. */
export interface DescribeTransactionsRequest {
  /**
   * Array of transactionalIds to include in describe results. If empty, then no results will be returned.
   * (Versions 0+.)
   */
  transactionalIds: string[]
}

function writeDescribeTransactionsRequest(w: Writer, _version: number, s: DescribeTransactionsRequest): void {
  const transactionalIds = s.transactionalIds
  w.writeCompactArrayLength(transactionalIds.length)
  for (const item of transactionalIds) w.writeCompactString(item)
  w.writeEmptyTaggedFields()
}

function readDescribeTransactionsRequest(r: Reader, version: number): DescribeTransactionsRequest {
  const transactionalIdsCount = r.readCompactArrayLength(1)
  if (transactionalIdsCount === null) throw nullNotAllowed('DescribeTransactionsRequest.transactionalIds', version)
  const transactionalIds: string[] = []
  for (let i = 0; i < transactionalIdsCount; i++) transactionalIds.push(r.readCompactString())
  r.readTaggedFields()
  return { transactionalIds }
}

/** The DescribeTransactions response. */
export interface DescribeTransactionsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** (Versions 0+.) */
  transactionStates: DescribeTransactionsResponseTransactionState[]
}

/** TransactionState in DescribeTransactionsResponse. */
export interface DescribeTransactionsResponseTransactionState {
  /** (Versions 0+.) */
  errorCode: number
  /** (Versions 0+.) */
  transactionalId: string
  /** (Versions 0+.) */
  transactionState: string
  /** (Versions 0+.) */
  transactionTimeoutMs: number
  /** (Versions 0+.) */
  transactionStartTimeMs: bigint
  /** (Versions 0+.) */
  producerId: bigint
  /** (Versions 0+.) */
  producerEpoch: number
  /**
   * The set of partitions included in the current transaction (if active). When a transaction is preparing to
   * commit or abort, this will include only partitions which do not have markers. (Versions 0+.)
   */
  topics: DescribeTransactionsResponseTopicData[]
}

/** TopicData in DescribeTransactionsResponse. */
export interface DescribeTransactionsResponseTopicData {
  /** (Versions 0+.) */
  topic: string
  /** (Versions 0+.) */
  partitions: number[]
}

function writeDescribeTransactionsResponse(w: Writer, version: number, s: DescribeTransactionsResponse): void {
  w.writeInt32(s.throttleTimeMs)
  const transactionStates = s.transactionStates
  w.writeCompactArrayLength(transactionStates.length)
  for (const item of transactionStates) writeDescribeTransactionsResponseTransactionState(w, version, item)
  w.writeEmptyTaggedFields()
}

function readDescribeTransactionsResponse(r: Reader, version: number): DescribeTransactionsResponse {
  const throttleTimeMs = r.readInt32()
  const transactionStatesCount = r.readCompactArrayLength(28)
  if (transactionStatesCount === null) throw nullNotAllowed('DescribeTransactionsResponse.transactionStates', version)
  const transactionStates: DescribeTransactionsResponseTransactionState[] = []
  for (let i = 0; i < transactionStatesCount; i++)
    transactionStates.push(readDescribeTransactionsResponseTransactionState(r, version))
  r.readTaggedFields()
  return { throttleTimeMs, transactionStates }
}

function writeDescribeTransactionsResponseTransactionState(
  w: Writer,
  version: number,
  s: DescribeTransactionsResponseTransactionState,
): void {
  w.writeInt16(s.errorCode)
  w.writeCompactString(s.transactionalId)
  w.writeCompactString(s.transactionState)
  w.writeInt32(s.transactionTimeoutMs)
  w.writeInt64(s.transactionStartTimeMs)
  w.writeInt64(s.producerId)
  w.writeInt16(s.producerEpoch)
  const topics = s.topics
  w.writeCompactArrayLength(topics.length)
  for (const item of topics) writeDescribeTransactionsResponseTopicData(w, version, item)
  w.writeEmptyTaggedFields()
}

function readDescribeTransactionsResponseTransactionState(
  r: Reader,
  version: number,
): DescribeTransactionsResponseTransactionState {
  const errorCode = r.readInt16()
  const transactionalId = r.readCompactString()
  const transactionState = r.readCompactString()
  const transactionTimeoutMs = r.readInt32()
  const transactionStartTimeMs = r.readInt64()
  const producerId = r.readInt64()
  const producerEpoch = r.readInt16()
  const topicsCount = r.readCompactArrayLength(3)
  if (topicsCount === null) throw nullNotAllowed('DescribeTransactionsResponseTransactionState.topics', version)
  const topics: DescribeTransactionsResponseTopicData[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readDescribeTransactionsResponseTopicData(r, version))
  r.readTaggedFields()
  return {
    errorCode,
    transactionalId,
    transactionState,
    transactionTimeoutMs,
    transactionStartTimeMs,
    producerId,
    producerEpoch,
    topics,
  }
}

function writeDescribeTransactionsResponseTopicData(
  w: Writer,
  _version: number,
  s: DescribeTransactionsResponseTopicData,
): void {
  w.writeCompactString(s.topic)
  const partitions = s.partitions
  w.writeCompactArrayLength(partitions.length)
  for (const item of partitions) w.writeInt32(item)
  w.writeEmptyTaggedFields()
}

function readDescribeTransactionsResponseTopicData(r: Reader, version: number): DescribeTransactionsResponseTopicData {
  const topic = r.readCompactString()
  const partitionsCount = r.readCompactArrayLength(4)
  if (partitionsCount === null) throw nullNotAllowed('DescribeTransactionsResponseTopicData.partitions', version)
  const partitions: number[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(r.readInt32())
  r.readTaggedFields()
  return { topic, partitions }
}
