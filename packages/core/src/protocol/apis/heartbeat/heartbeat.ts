// Generated from Kafka's HeartbeatRequest.json/HeartbeatResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// Heartbeat (API key 12)
//   valid versions: 0-4
//   flexible versions: 4+
//
// Heartbeat Request (Version: 4) => group_id generation_id member_id group_instance_id _tagged_fields
//   group_id => COMPACT_STRING
//   generation_id => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//
// Heartbeat Response (Version: 4) => throttle_time_ms error_code _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { unsupportedVersion } from '../support.js'

/** Heartbeat (API key 12), versions 0-4. */
export const heartbeat: ApiDefinition<HeartbeatRequest, HeartbeatResponse> = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 4,
  encodeRequest(writer: Writer, version: number, request: HeartbeatRequest): void {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('Heartbeat', version, 0, 4)
    writeHeartbeatRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): HeartbeatRequest {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('Heartbeat', version, 0, 4)
    return readHeartbeatRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: HeartbeatResponse): void {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('Heartbeat', version, 0, 4)
    writeHeartbeatResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): HeartbeatResponse {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('Heartbeat', version, 0, 4)
    return readHeartbeatResponse(reader, version)
  },
}

/** The Heartbeat request. */
export interface HeartbeatRequest {
  /** The group id. (Versions 0+.) */
  groupId: string
  /** The generation of the group. (Versions 0+.) */
  generationId: number
  /** The member ID. (Versions 0+.) */
  memberId: string
  /** The unique identifier of the consumer instance provided by end user. (Versions 3+, nullable 3+, default null.) */
  groupInstanceId?: string | null
}

function writeHeartbeatRequest(w: Writer, version: number, s: HeartbeatRequest): void {
  if (version >= 4) w.writeCompactString(s.groupId)
  else w.writeString(s.groupId)
  w.writeInt32(s.generationId)
  if (version >= 4) w.writeCompactString(s.memberId)
  else w.writeString(s.memberId)
  if (version >= 3) {
    if (version >= 4) w.writeCompactString(s.groupInstanceId ?? null)
    else w.writeString(s.groupInstanceId ?? null)
  }
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readHeartbeatRequest(r: Reader, version: number): HeartbeatRequest {
  const groupId = version >= 4 ? r.readCompactString() : r.readString()
  const generationId = r.readInt32()
  const memberId = version >= 4 ? r.readCompactString() : r.readString()
  const groupInstanceId: string | null =
    version >= 4 ? r.readCompactNullableString() : version >= 3 ? r.readNullableString() : null
  if (version >= 4) r.readTaggedFields()
  return { groupId, generationId, memberId, groupInstanceId }
}

/** The Heartbeat response. */
export interface HeartbeatResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 1+.)
   */
  throttleTimeMs?: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
}

function writeHeartbeatResponse(w: Writer, version: number, s: HeartbeatResponse): void {
  if (version >= 1) w.writeInt32(s.throttleTimeMs ?? 0)
  w.writeInt16(s.errorCode)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readHeartbeatResponse(r: Reader, version: number): HeartbeatResponse {
  const throttleTimeMs = version >= 1 ? r.readInt32() : 0
  const errorCode = r.readInt16()
  if (version >= 4) r.readTaggedFields()
  return { throttleTimeMs, errorCode }
}
