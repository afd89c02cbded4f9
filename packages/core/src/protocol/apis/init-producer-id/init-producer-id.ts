// Generated from Kafka's InitProducerIdRequest.json/InitProducerIdResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// InitProducerId (API key 22)
//   valid versions: 0-5
//   flexible versions: 2+
//
// InitProducerId Request (Version: 5) => transactional_id transaction_timeout_ms producer_id producer_epoch _tagged_fields
//   transactional_id => COMPACT_NULLABLE_STRING
//   transaction_timeout_ms => INT32
//   producer_id => INT64
//   producer_epoch => INT16
//
// InitProducerId Response (Version: 5) => throttle_time_ms error_code producer_id producer_epoch _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   producer_id => INT64
//   producer_epoch => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { unsupportedVersion } from '../support.js'

/** InitProducerId (API key 22), versions 0-5. */
export const initProducerId: ApiDefinition<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 2,
  encodeRequest(writer: Writer, version: number, request: InitProducerIdRequest): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('InitProducerId', version, 0, 5)
    writeInitProducerIdRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): InitProducerIdRequest {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('InitProducerId', version, 0, 5)
    return readInitProducerIdRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: InitProducerIdResponse): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('InitProducerId', version, 0, 5)
    writeInitProducerIdResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): InitProducerIdResponse {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('InitProducerId', version, 0, 5)
    return readInitProducerIdResponse(reader, version)
  },
}

/** The InitProducerId request. */
export interface InitProducerIdRequest {
  /** The transactional id, or null if the producer is not transactional. (Versions 0+, nullable 0+.) */
  transactionalId: string | null
  /**
   * The time in ms to wait before aborting idle transactions sent by this producer. This is only relevant if a
   * TransactionalId has been defined. (Versions 0+.)
   */
  transactionTimeoutMs: number
  /**
   * The producer id. This is used to disambiguate requests if a transactional id is reused following its
   * expiration. (Versions 3+, default -1.)
   */
  producerId?: bigint
  /**
   * The producer's current epoch. This will be checked against the producer epoch on the broker, and the request
   * will return an error if they do not match. (Versions 3+, default -1.)
   */
  producerEpoch?: number
}

function writeInitProducerIdRequest(w: Writer, version: number, s: InitProducerIdRequest): void {
  if (version >= 2) w.writeCompactString(s.transactionalId)
  else w.writeString(s.transactionalId)
  w.writeInt32(s.transactionTimeoutMs)
  if (version >= 3) w.writeInt64(s.producerId ?? -1n)
  if (version >= 3) w.writeInt16(s.producerEpoch ?? -1)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readInitProducerIdRequest(r: Reader, version: number): InitProducerIdRequest {
  const transactionalId = version >= 2 ? r.readCompactNullableString() : r.readNullableString()
  const transactionTimeoutMs = r.readInt32()
  const producerId = version >= 3 ? r.readInt64() : -1n
  const producerEpoch = version >= 3 ? r.readInt16() : -1
  if (version >= 2) r.readTaggedFields()
  return { transactionalId, transactionTimeoutMs, producerId, producerEpoch }
}

/** The InitProducerId response. */
export interface InitProducerIdResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The current producer id. (Versions 0+, default -1.) */
  producerId: bigint
  /** The current epoch associated with the producer id. (Versions 0+.) */
  producerEpoch: number
}

function writeInitProducerIdResponse(w: Writer, version: number, s: InitProducerIdResponse): void {
  w.writeInt32(s.throttleTimeMs)
  w.writeInt16(s.errorCode)
  w.writeInt64(s.producerId)
  w.writeInt16(s.producerEpoch)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readInitProducerIdResponse(r: Reader, version: number): InitProducerIdResponse {
  const throttleTimeMs = r.readInt32()
  const errorCode = r.readInt16()
  const producerId = r.readInt64()
  const producerEpoch = r.readInt16()
  if (version >= 2) r.readTaggedFields()
  return { throttleTimeMs, errorCode, producerId, producerEpoch }
}
