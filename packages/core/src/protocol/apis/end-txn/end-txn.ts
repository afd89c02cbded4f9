// Generated from Kafka's EndTxnRequest.json/EndTxnResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// EndTxn (API key 26)
//   valid versions: 0-5
//   flexible versions: 3+
//   the latest version (5) is marked unstable by Kafka
//
// EndTxn Request (Version: 5) => transactional_id producer_id producer_epoch committed _tagged_fields
//   transactional_id => COMPACT_STRING
//   producer_id => INT64
//   producer_epoch => INT16
//   committed => BOOLEAN
//
// EndTxn Response (Version: 5) => throttle_time_ms error_code producer_id producer_epoch _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   producer_id => INT64
//   producer_epoch => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { unsupportedVersion } from '../support.js'

/** EndTxn (API key 26), versions 0-5. */
export const endTxn: ApiDefinition<EndTxnRequest, EndTxnResponse> = {
  apiKey: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 3,
  encodeRequest(writer: Writer, version: number, request: EndTxnRequest): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('EndTxn', version, 0, 5)
    writeEndTxnRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): EndTxnRequest {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('EndTxn', version, 0, 5)
    return readEndTxnRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: EndTxnResponse): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('EndTxn', version, 0, 5)
    writeEndTxnResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): EndTxnResponse {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('EndTxn', version, 0, 5)
    return readEndTxnResponse(reader, version)
  },
}

/** The EndTxn request. */
export interface EndTxnRequest {
  /** The ID of the transaction to end. (Versions 0+.) */
  transactionalId: string
  /** The producer ID. (Versions 0+.) */
  producerId: bigint
  /** The current epoch associated with the producer. (Versions 0+.) */
  producerEpoch: number
  /** True if the transaction was committed, false if it was aborted. (Versions 0+.) */
  committed: boolean
}

function writeEndTxnRequest(w: Writer, version: number, s: EndTxnRequest): void {
  if (version >= 3) w.writeCompactString(s.transactionalId)
  else w.writeString(s.transactionalId)
  w.writeInt64(s.producerId)
  w.writeInt16(s.producerEpoch)
  w.writeBoolean(s.committed)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readEndTxnRequest(r: Reader, version: number): EndTxnRequest {
  const transactionalId = version >= 3 ? r.readCompactString() : r.readString()
  const producerId = r.readInt64()
  const producerEpoch = r.readInt16()
  const committed = r.readBoolean()
  if (version >= 3) r.readTaggedFields()
  return { transactionalId, producerId, producerEpoch, committed }
}

/** The EndTxn response. */
export interface EndTxnResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The producer ID. (Versions 5+, default -1.) */
  producerId?: bigint
  /** The current epoch associated with the producer. (Versions 5+, default -1.) */
  producerEpoch?: number
}

function writeEndTxnResponse(w: Writer, version: number, s: EndTxnResponse): void {
  w.writeInt32(s.throttleTimeMs)
  w.writeInt16(s.errorCode)
  if (version >= 5) w.writeInt64(s.producerId ?? -1n)
  if (version >= 5) w.writeInt16(s.producerEpoch ?? -1)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readEndTxnResponse(r: Reader, version: number): EndTxnResponse {
  const throttleTimeMs = r.readInt32()
  const errorCode = r.readInt16()
  const producerId = version >= 5 ? r.readInt64() : -1n
  const producerEpoch = version >= 5 ? r.readInt16() : -1
  if (version >= 3) r.readTaggedFields()
  return { throttleTimeMs, errorCode, producerId, producerEpoch }
}
