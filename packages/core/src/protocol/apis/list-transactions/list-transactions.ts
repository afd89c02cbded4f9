// Generated from Kafka's ListTransactionsRequest.json/ListTransactionsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// ListTransactions (API key 66)
//   valid versions: 0-1
//   flexible versions: 0+
//
// ListTransactions Request (Version: 1) => [state_filters] [producer_id_filters] duration_filter _tagged_fields
//   state_filters => COMPACT_STRING
//   producer_id_filters => INT64
//   duration_filter => INT64
//
// ListTransactions Response (Version: 1) => throttle_time_ms error_code [unknown_state_filters] [transaction_states] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   unknown_state_filters => COMPACT_STRING
//   transaction_states => transactional_id producer_id transaction_state _tagged_fields
//     transactional_id => COMPACT_STRING
//     producer_id => INT64
//     transaction_state => COMPACT_STRING

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** ListTransactions (API key 66), versions 0-1. */
export const listTransactions: ApiDefinition<ListTransactionsRequest, ListTransactionsResponse> = {
  apiKey: 66,
  name: 'ListTransactions',
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 0,
  encodeRequest(writer: Writer, version: number, request: ListTransactionsRequest): void {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('ListTransactions', version, 0, 1)
    writeListTransactionsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): ListTransactionsRequest {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('ListTransactions', version, 0, 1)
    return readListTransactionsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: ListTransactionsResponse): void {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('ListTransactions', version, 0, 1)
    writeListTransactionsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): ListTransactionsResponse {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('ListTransactions', version, 0, 1)
    return readListTransactionsResponse(reader, version)
  },
}

/** The ListTransactions request. */
export interface ListTransactionsRequest {
  /**
   * The transaction states to filter by: if empty, all transactions are returned; if non-empty, then only
   * transactions matching one of the filtered states will be returned. (Versions 0+.)
   */
  stateFilters: string[]
  /**
   * The producerIds to filter by: if empty, all transactions will be returned; if non-empty, only transactions
   * which match one of the filtered producerIds will be returned. (Versions 0+.)
   */
  producerIdFilters: bigint[]
  /**
   * Duration (in millis) to filter by: if < 0, all transactions will be returned; otherwise, only transactions
   * running longer than this duration will be returned. (Versions 1+, default -1.)
   */
  durationFilter?: bigint
}

function writeListTransactionsRequest(w: Writer, version: number, s: ListTransactionsRequest): void {
  const stateFilters = s.stateFilters
  w.writeCompactArrayLength(stateFilters.length)
  for (const item of stateFilters) w.writeCompactString(item)
  const producerIdFilters = s.producerIdFilters
  w.writeCompactArrayLength(producerIdFilters.length)
  for (const item of producerIdFilters) w.writeInt64(item)
  if (version >= 1) w.writeInt64(s.durationFilter ?? -1n)
  w.writeEmptyTaggedFields()
}

function readListTransactionsRequest(r: Reader, version: number): ListTransactionsRequest {
  const stateFiltersCount = r.readCompactArrayLength(1)
  if (stateFiltersCount === null) throw nullNotAllowed('ListTransactionsRequest.stateFilters', version)
  const stateFilters: string[] = []
  for (let i = 0; i < stateFiltersCount; i++) stateFilters.push(r.readCompactString())
  const producerIdFiltersCount = r.readCompactArrayLength(8)
  if (producerIdFiltersCount === null) throw nullNotAllowed('ListTransactionsRequest.producerIdFilters', version)
  const producerIdFilters: bigint[] = []
  for (let i = 0; i < producerIdFiltersCount; i++) producerIdFilters.push(r.readInt64())
  const durationFilter = version >= 1 ? r.readInt64() : -1n
  r.readTaggedFields()
  return { stateFilters, producerIdFilters, durationFilter }
}

/** The ListTransactions response. */
export interface ListTransactionsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** (Versions 0+.) */
  errorCode: number
  /** Set of state filters provided in the request which were unknown to the transaction coordinator. (Versions 0+.) */
  unknownStateFilters: string[]
  /** (Versions 0+.) */
  transactionStates: ListTransactionsResponseTransactionState[]
}

/** TransactionState in ListTransactionsResponse. */
export interface ListTransactionsResponseTransactionState {
  /** (Versions 0+.) */
  transactionalId: string
  /** (Versions 0+.) */
  producerId: bigint
  /** The current transaction state of the producer. (Versions 0+.) */
  transactionState: string
}

function writeListTransactionsResponse(w: Writer, version: number, s: ListTransactionsResponse): void {
  w.writeInt32(s.throttleTimeMs)
  w.writeInt16(s.errorCode)
  const unknownStateFilters = s.unknownStateFilters
  w.writeCompactArrayLength(unknownStateFilters.length)
  for (const item of unknownStateFilters) w.writeCompactString(item)
  const transactionStates = s.transactionStates
  w.writeCompactArrayLength(transactionStates.length)
  for (const item of transactionStates) writeListTransactionsResponseTransactionState(w, version, item)
  w.writeEmptyTaggedFields()
}

function readListTransactionsResponse(r: Reader, version: number): ListTransactionsResponse {
  const throttleTimeMs = r.readInt32()
  const errorCode = r.readInt16()
  const unknownStateFiltersCount = r.readCompactArrayLength(1)
  if (unknownStateFiltersCount === null) throw nullNotAllowed('ListTransactionsResponse.unknownStateFilters', version)
  const unknownStateFilters: string[] = []
  for (let i = 0; i < unknownStateFiltersCount; i++) unknownStateFilters.push(r.readCompactString())
  const transactionStatesCount = r.readCompactArrayLength(11)
  if (transactionStatesCount === null) throw nullNotAllowed('ListTransactionsResponse.transactionStates', version)
  const transactionStates: ListTransactionsResponseTransactionState[] = []
  for (let i = 0; i < transactionStatesCount; i++)
    transactionStates.push(readListTransactionsResponseTransactionState(r, version))
  r.readTaggedFields()
  return { throttleTimeMs, errorCode, unknownStateFilters, transactionStates }
}

function writeListTransactionsResponseTransactionState(
  w: Writer,
  _version: number,
  s: ListTransactionsResponseTransactionState,
): void {
  w.writeCompactString(s.transactionalId)
  w.writeInt64(s.producerId)
  w.writeCompactString(s.transactionState)
  w.writeEmptyTaggedFields()
}

function readListTransactionsResponseTransactionState(
  r: Reader,
  _version: number,
): ListTransactionsResponseTransactionState {
  const transactionalId = r.readCompactString()
  const producerId = r.readInt64()
  const transactionState = r.readCompactString()
  r.readTaggedFields()
  return { transactionalId, producerId, transactionState }
}
