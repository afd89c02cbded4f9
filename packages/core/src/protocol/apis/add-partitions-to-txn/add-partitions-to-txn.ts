// Generated from Kafka's AddPartitionsToTxnRequest.json/AddPartitionsToTxnResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// AddPartitionsToTxn (API key 24)
//   valid versions: 0-5
//   flexible versions: 3+
//
// AddPartitionsToTxn Request (Version: 5) => [transactions] _tagged_fields
//   transactions => transactional_id producer_id producer_epoch verify_only [topics] _tagged_fields
//     transactional_id => COMPACT_STRING
//     producer_id => INT64
//     producer_epoch => INT16
//     verify_only => BOOLEAN
//     topics => name [partitions] _tagged_fields
//       name => COMPACT_STRING
//       partitions => INT32
//
// AddPartitionsToTxn Response (Version: 5) => throttle_time_ms error_code [results_by_transaction] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   results_by_transaction => transactional_id [topic_results] _tagged_fields
//     transactional_id => COMPACT_STRING
//     topic_results => name [results_by_partition] _tagged_fields
//       name => COMPACT_STRING
//       results_by_partition => partition_index partition_error_code _tagged_fields
//         partition_index => INT32
//         partition_error_code => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { EMPTY_ARRAY, nullNotAllowed, unsupportedVersion } from '../support.js'

/** AddPartitionsToTxn (API key 24), versions 0-5. */
export const addPartitionsToTxn: ApiDefinition<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = {
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 3,
  encodeRequest(writer: Writer, version: number, request: AddPartitionsToTxnRequest): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('AddPartitionsToTxn', version, 0, 5)
    writeAddPartitionsToTxnRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): AddPartitionsToTxnRequest {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('AddPartitionsToTxn', version, 0, 5)
    return readAddPartitionsToTxnRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: AddPartitionsToTxnResponse): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('AddPartitionsToTxn', version, 0, 5)
    writeAddPartitionsToTxnResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): AddPartitionsToTxnResponse {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('AddPartitionsToTxn', version, 0, 5)
    return readAddPartitionsToTxnResponse(reader, version)
  },
}

/** The AddPartitionsToTxn request. */
export interface AddPartitionsToTxnRequest {
  /** List of transactions to add partitions to. (Versions 4+.) */
  transactions?: AddPartitionsToTxnRequestAddPartitionsToTxnTransaction[]
  /** The transactional id corresponding to the transaction. (Versions 0-3.) */
  v3AndBelowTransactionalId?: string
  /** Current producer id in use by the transactional id. (Versions 0-3.) */
  v3AndBelowProducerId?: bigint
  /** Current epoch associated with the producer id. (Versions 0-3.) */
  v3AndBelowProducerEpoch?: number
  /** The partitions to add to the transaction. (Versions 0-3.) */
  v3AndBelowTopics?: AddPartitionsToTxnRequestAddPartitionsToTxnTopic[]
}

/** AddPartitionsToTxnTransaction in AddPartitionsToTxnRequest. */
export interface AddPartitionsToTxnRequestAddPartitionsToTxnTransaction {
  /** The transactional id corresponding to the transaction. (Versions 4+.) */
  transactionalId?: string
  /** Current producer id in use by the transactional id. (Versions 4+.) */
  producerId?: bigint
  /** Current epoch associated with the producer id. (Versions 4+.) */
  producerEpoch?: number
  /**
   * Boolean to signify if we want to check if the partition is in the transaction rather than add it. (Versions
   * 4+, default false.)
   */
  verifyOnly?: boolean
  /** The partitions to add to the transaction. (Versions 4+.) */
  topics?: AddPartitionsToTxnRequestAddPartitionsToTxnTopic[]
}

/** AddPartitionsToTxnTopic in AddPartitionsToTxnRequest. */
export interface AddPartitionsToTxnRequestAddPartitionsToTxnTopic {
  /** The name of the topic. (Versions 0+.) */
  name: string
  /** The partition indexes to add to the transaction. (Versions 0+.) */
  partitions: number[]
}

function writeAddPartitionsToTxnRequest(w: Writer, version: number, s: AddPartitionsToTxnRequest): void {
  if (version >= 4) {
    const transactions = s.transactions ?? EMPTY_ARRAY
    w.writeCompactArrayLength(transactions.length)
    for (const item of transactions) writeAddPartitionsToTxnRequestAddPartitionsToTxnTransaction(w, version, item)
  }
  if (version <= 3) {
    if (version >= 3) w.writeCompactString(s.v3AndBelowTransactionalId ?? '')
    else w.writeString(s.v3AndBelowTransactionalId ?? '')
  }
  if (version <= 3) w.writeInt64(s.v3AndBelowProducerId ?? 0n)
  if (version <= 3) w.writeInt16(s.v3AndBelowProducerEpoch ?? 0)
  if (version <= 3) {
    const v3AndBelowTopics = s.v3AndBelowTopics ?? EMPTY_ARRAY
    if (version >= 3) w.writeCompactArrayLength(v3AndBelowTopics.length)
    else w.writeArrayLength(v3AndBelowTopics.length)
    for (const item of v3AndBelowTopics) writeAddPartitionsToTxnRequestAddPartitionsToTxnTopic(w, version, item)
  }
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readAddPartitionsToTxnRequest(r: Reader, version: number): AddPartitionsToTxnRequest {
  let transactions: AddPartitionsToTxnRequestAddPartitionsToTxnTransaction[]
  if (version >= 4) {
    const transactionsCount = r.readCompactArrayLength(14)
    if (transactionsCount === null) throw nullNotAllowed('AddPartitionsToTxnRequest.transactions', version)
    const transactionsItems: AddPartitionsToTxnRequestAddPartitionsToTxnTransaction[] = []
    for (let i = 0; i < transactionsCount; i++)
      transactionsItems.push(readAddPartitionsToTxnRequestAddPartitionsToTxnTransaction(r, version))
    transactions = transactionsItems
  } else transactions = []
  const v3AndBelowTransactionalId = version >= 4 ? '' : version >= 3 ? r.readCompactString() : r.readString()
  const v3AndBelowProducerId = version >= 4 ? 0n : r.readInt64()
  const v3AndBelowProducerEpoch = version >= 4 ? 0 : r.readInt16()
  let v3AndBelowTopics: AddPartitionsToTxnRequestAddPartitionsToTxnTopic[]
  if (version <= 3) {
    const v3AndBelowTopicsCount = version >= 3 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
    if (v3AndBelowTopicsCount === null) throw nullNotAllowed('AddPartitionsToTxnRequest.v3AndBelowTopics', version)
    const v3AndBelowTopicsItems: AddPartitionsToTxnRequestAddPartitionsToTxnTopic[] = []
    for (let i = 0; i < v3AndBelowTopicsCount; i++)
      v3AndBelowTopicsItems.push(readAddPartitionsToTxnRequestAddPartitionsToTxnTopic(r, version))
    v3AndBelowTopics = v3AndBelowTopicsItems
  } else v3AndBelowTopics = []
  if (version >= 3) r.readTaggedFields()
  return { transactions, v3AndBelowTransactionalId, v3AndBelowProducerId, v3AndBelowProducerEpoch, v3AndBelowTopics }
}

function writeAddPartitionsToTxnRequestAddPartitionsToTxnTransaction(
  w: Writer,
  version: number,
  s: AddPartitionsToTxnRequestAddPartitionsToTxnTransaction,
): void {
  w.writeCompactString(s.transactionalId ?? '')
  w.writeInt64(s.producerId ?? 0n)
  w.writeInt16(s.producerEpoch ?? 0)
  w.writeBoolean(s.verifyOnly ?? false)
  const topics = s.topics ?? EMPTY_ARRAY
  w.writeCompactArrayLength(topics.length)
  for (const item of topics) writeAddPartitionsToTxnRequestAddPartitionsToTxnTopic(w, version, item)
  w.writeEmptyTaggedFields()
}

function readAddPartitionsToTxnRequestAddPartitionsToTxnTransaction(
  r: Reader,
  version: number,
): AddPartitionsToTxnRequestAddPartitionsToTxnTransaction {
  const transactionalId = r.readCompactString()
  const producerId = r.readInt64()
  const producerEpoch = r.readInt16()
  const verifyOnly = r.readBoolean()
  const topicsCount = r.readCompactArrayLength(3)
  if (topicsCount === null)
    throw nullNotAllowed('AddPartitionsToTxnRequestAddPartitionsToTxnTransaction.topics', version)
  const topics: AddPartitionsToTxnRequestAddPartitionsToTxnTopic[] = []
  for (let i = 0; i < topicsCount; i++) topics.push(readAddPartitionsToTxnRequestAddPartitionsToTxnTopic(r, version))
  r.readTaggedFields()
  return { transactionalId, producerId, producerEpoch, verifyOnly, topics }
}

function writeAddPartitionsToTxnRequestAddPartitionsToTxnTopic(
  w: Writer,
  version: number,
  s: AddPartitionsToTxnRequestAddPartitionsToTxnTopic,
): void {
  if (version >= 3) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const partitions = s.partitions
  if (version >= 3) w.writeCompactArrayLength(partitions.length)
  else w.writeArrayLength(partitions.length)
  for (const item of partitions) w.writeInt32(item)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readAddPartitionsToTxnRequestAddPartitionsToTxnTopic(
  r: Reader,
  version: number,
): AddPartitionsToTxnRequestAddPartitionsToTxnTopic {
  const name = version >= 3 ? r.readCompactString() : r.readString()
  const partitionsCount = version >= 3 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (partitionsCount === null)
    throw nullNotAllowed('AddPartitionsToTxnRequestAddPartitionsToTxnTopic.partitions', version)
  const partitions: number[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(r.readInt32())
  if (version >= 3) r.readTaggedFields()
  return { name, partitions }
}

/** The AddPartitionsToTxn response. */
export interface AddPartitionsToTxnResponse {
  /**
   * Duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request
   * did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The response top level error code. (Versions 4+.) */
  errorCode?: number
  /** Results categorized by transactional ID. (Versions 4+.) */
  resultsByTransaction?: AddPartitionsToTxnResponseAddPartitionsToTxnResult[]
  /** The results for each topic. (Versions 0-3.) */
  resultsByTopicV3AndBelow?: AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[]
}

/** AddPartitionsToTxnResult in AddPartitionsToTxnResponse. */
export interface AddPartitionsToTxnResponseAddPartitionsToTxnResult {
  /** The transactional id corresponding to the transaction. (Versions 4+.) */
  transactionalId?: string
  /** The results for each topic. (Versions 4+.) */
  topicResults?: AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[]
}

/** AddPartitionsToTxnTopicResult in AddPartitionsToTxnResponse. */
export interface AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult {
  /** The topic name. (Versions 0+.) */
  name: string
  /** The results for each partition. (Versions 0+.) */
  resultsByPartition: AddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult[]
}

/** AddPartitionsToTxnPartitionResult in AddPartitionsToTxnResponse. */
export interface AddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult {
  /** The partition indexes. (Versions 0+.) */
  partitionIndex: number
  /** The response error code. (Versions 0+.) */
  partitionErrorCode: number
}

function writeAddPartitionsToTxnResponse(w: Writer, version: number, s: AddPartitionsToTxnResponse): void {
  w.writeInt32(s.throttleTimeMs)
  if (version >= 4) w.writeInt16(s.errorCode ?? 0)
  if (version >= 4) {
    const resultsByTransaction = s.resultsByTransaction ?? EMPTY_ARRAY
    w.writeCompactArrayLength(resultsByTransaction.length)
    for (const item of resultsByTransaction) writeAddPartitionsToTxnResponseAddPartitionsToTxnResult(w, version, item)
  }
  if (version <= 3) {
    const resultsByTopicV3AndBelow = s.resultsByTopicV3AndBelow ?? EMPTY_ARRAY
    if (version >= 3) w.writeCompactArrayLength(resultsByTopicV3AndBelow.length)
    else w.writeArrayLength(resultsByTopicV3AndBelow.length)
    for (const item of resultsByTopicV3AndBelow)
      writeAddPartitionsToTxnResponseAddPartitionsToTxnTopicResult(w, version, item)
  }
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readAddPartitionsToTxnResponse(r: Reader, version: number): AddPartitionsToTxnResponse {
  const throttleTimeMs = r.readInt32()
  const errorCode = version >= 4 ? r.readInt16() : 0
  let resultsByTransaction: AddPartitionsToTxnResponseAddPartitionsToTxnResult[]
  if (version >= 4) {
    const resultsByTransactionCount = r.readCompactArrayLength(3)
    if (resultsByTransactionCount === null)
      throw nullNotAllowed('AddPartitionsToTxnResponse.resultsByTransaction', version)
    const resultsByTransactionItems: AddPartitionsToTxnResponseAddPartitionsToTxnResult[] = []
    for (let i = 0; i < resultsByTransactionCount; i++)
      resultsByTransactionItems.push(readAddPartitionsToTxnResponseAddPartitionsToTxnResult(r, version))
    resultsByTransaction = resultsByTransactionItems
  } else resultsByTransaction = []
  let resultsByTopicV3AndBelow: AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[]
  if (version <= 3) {
    const resultsByTopicV3AndBelowCount = version >= 3 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
    if (resultsByTopicV3AndBelowCount === null)
      throw nullNotAllowed('AddPartitionsToTxnResponse.resultsByTopicV3AndBelow', version)
    const resultsByTopicV3AndBelowItems: AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[] = []
    for (let i = 0; i < resultsByTopicV3AndBelowCount; i++)
      resultsByTopicV3AndBelowItems.push(readAddPartitionsToTxnResponseAddPartitionsToTxnTopicResult(r, version))
    resultsByTopicV3AndBelow = resultsByTopicV3AndBelowItems
  } else resultsByTopicV3AndBelow = []
  if (version >= 3) r.readTaggedFields()
  return { throttleTimeMs, errorCode, resultsByTransaction, resultsByTopicV3AndBelow }
}

function writeAddPartitionsToTxnResponseAddPartitionsToTxnResult(
  w: Writer,
  version: number,
  s: AddPartitionsToTxnResponseAddPartitionsToTxnResult,
): void {
  w.writeCompactString(s.transactionalId ?? '')
  const topicResults = s.topicResults ?? EMPTY_ARRAY
  w.writeCompactArrayLength(topicResults.length)
  for (const item of topicResults) writeAddPartitionsToTxnResponseAddPartitionsToTxnTopicResult(w, version, item)
  w.writeEmptyTaggedFields()
}

function readAddPartitionsToTxnResponseAddPartitionsToTxnResult(
  r: Reader,
  version: number,
): AddPartitionsToTxnResponseAddPartitionsToTxnResult {
  const transactionalId = r.readCompactString()
  const topicResultsCount = r.readCompactArrayLength(3)
  if (topicResultsCount === null)
    throw nullNotAllowed('AddPartitionsToTxnResponseAddPartitionsToTxnResult.topicResults', version)
  const topicResults: AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[] = []
  for (let i = 0; i < topicResultsCount; i++)
    topicResults.push(readAddPartitionsToTxnResponseAddPartitionsToTxnTopicResult(r, version))
  r.readTaggedFields()
  return { transactionalId, topicResults }
}

function writeAddPartitionsToTxnResponseAddPartitionsToTxnTopicResult(
  w: Writer,
  version: number,
  s: AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult,
): void {
  if (version >= 3) w.writeCompactString(s.name)
  else w.writeString(s.name)
  const resultsByPartition = s.resultsByPartition
  if (version >= 3) w.writeCompactArrayLength(resultsByPartition.length)
  else w.writeArrayLength(resultsByPartition.length)
  for (const item of resultsByPartition)
    writeAddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult(w, version, item)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readAddPartitionsToTxnResponseAddPartitionsToTxnTopicResult(
  r: Reader,
  version: number,
): AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult {
  const name = version >= 3 ? r.readCompactString() : r.readString()
  const resultsByPartitionCount = version >= 3 ? r.readCompactArrayLength(6) : r.readArrayLength(6)
  if (resultsByPartitionCount === null)
    throw nullNotAllowed('AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult.resultsByPartition', version)
  const resultsByPartition: AddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult[] = []
  for (let i = 0; i < resultsByPartitionCount; i++)
    resultsByPartition.push(readAddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult(r, version))
  if (version >= 3) r.readTaggedFields()
  return { name, resultsByPartition }
}

function writeAddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult(
  w: Writer,
  version: number,
  s: AddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult,
): void {
  w.writeInt32(s.partitionIndex)
  w.writeInt16(s.partitionErrorCode)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readAddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult(
  r: Reader,
  version: number,
): AddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult {
  const partitionIndex = r.readInt32()
  const partitionErrorCode = r.readInt16()
  if (version >= 3) r.readTaggedFields()
  return { partitionIndex, partitionErrorCode }
}
