// Generated from Kafka's AddOffsetsToTxnRequest.json/AddOffsetsToTxnResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// AddOffsetsToTxn (API key 25)
//   valid versions: 0-4
//   flexible versions: 3+
//
// AddOffsetsToTxn Request (Version: 4) => transactional_id producer_id producer_epoch group_id _tagged_fields
//   transactional_id => COMPACT_STRING
//   producer_id => INT64
//   producer_epoch => INT16
//   group_id => COMPACT_STRING
//
// AddOffsetsToTxn Response (Version: 4) => throttle_time_ms error_code _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { unsupportedVersion } from '../support.js'

/** AddOffsetsToTxn (API key 25), versions 0-4. */
export const addOffsetsToTxn: ApiDefinition<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> = {
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 3,
  encodeRequest(writer: Writer, version: number, request: AddOffsetsToTxnRequest): void {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('AddOffsetsToTxn', version, 0, 4)
    writeAddOffsetsToTxnRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): AddOffsetsToTxnRequest {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('AddOffsetsToTxn', version, 0, 4)
    return readAddOffsetsToTxnRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: AddOffsetsToTxnResponse): void {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('AddOffsetsToTxn', version, 0, 4)
    writeAddOffsetsToTxnResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): AddOffsetsToTxnResponse {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('AddOffsetsToTxn', version, 0, 4)
    return readAddOffsetsToTxnResponse(reader, version)
  },
}

/** The AddOffsetsToTxn request. */
export interface AddOffsetsToTxnRequest {
  /** The transactional id corresponding to the transaction. (Versions 0+.) */
  transactionalId: string
  /** Current producer id in use by the transactional id. (Versions 0+.) */
  producerId: bigint
  /** Current epoch associated with the producer id. (Versions 0+.) */
  producerEpoch: number
  /** The unique group identifier. (Versions 0+.) */
  groupId: string
}

function writeAddOffsetsToTxnRequest(w: Writer, version: number, s: AddOffsetsToTxnRequest): void {
  if (version >= 3) w.writeCompactString(s.transactionalId)
  else w.writeString(s.transactionalId)
  w.writeInt64(s.producerId)
  w.writeInt16(s.producerEpoch)
  if (version >= 3) w.writeCompactString(s.groupId)
  else w.writeString(s.groupId)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readAddOffsetsToTxnRequest(r: Reader, version: number): AddOffsetsToTxnRequest {
  const transactionalId = version >= 3 ? r.readCompactString() : r.readString()
  const producerId = r.readInt64()
  const producerEpoch = r.readInt16()
  const groupId = version >= 3 ? r.readCompactString() : r.readString()
  if (version >= 3) r.readTaggedFields()
  return { transactionalId, producerId, producerEpoch, groupId }
}

/** The AddOffsetsToTxn response. */
export interface AddOffsetsToTxnResponse {
  /**
   * Duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request
   * did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The response error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
}

function writeAddOffsetsToTxnResponse(w: Writer, version: number, s: AddOffsetsToTxnResponse): void {
  w.writeInt32(s.throttleTimeMs)
  w.writeInt16(s.errorCode)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readAddOffsetsToTxnResponse(r: Reader, version: number): AddOffsetsToTxnResponse {
  const throttleTimeMs = r.readInt32()
  const errorCode = r.readInt16()
  if (version >= 3) r.readTaggedFields()
  return { throttleTimeMs, errorCode }
}
