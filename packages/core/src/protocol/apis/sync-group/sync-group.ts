// Generated from Kafka's SyncGroupRequest.json/SyncGroupResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// SyncGroup (API key 14)
//   valid versions: 0-5
//   flexible versions: 4+
//
// SyncGroup Request (Version: 5) => group_id generation_id member_id group_instance_id protocol_type protocol_name [assignments] _tagged_fields
//   group_id => COMPACT_STRING
//   generation_id => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//   protocol_type => COMPACT_NULLABLE_STRING
//   protocol_name => COMPACT_NULLABLE_STRING
//   assignments => member_id assignment _tagged_fields
//     member_id => COMPACT_STRING
//     assignment => COMPACT_BYTES
//
// SyncGroup Response (Version: 5) => throttle_time_ms error_code protocol_type protocol_name assignment _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   protocol_type => COMPACT_NULLABLE_STRING
//   protocol_name => COMPACT_NULLABLE_STRING
//   assignment => COMPACT_BYTES

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** SyncGroup (API key 14), versions 0-5. */
export const syncGroup: ApiDefinition<SyncGroupRequest, SyncGroupResponse> = {
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 4,
  encodeRequest(writer: Writer, version: number, request: SyncGroupRequest): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('SyncGroup', version, 0, 5)
    writeSyncGroupRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): SyncGroupRequest {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('SyncGroup', version, 0, 5)
    return readSyncGroupRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: SyncGroupResponse): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('SyncGroup', version, 0, 5)
    writeSyncGroupResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): SyncGroupResponse {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('SyncGroup', version, 0, 5)
    return readSyncGroupResponse(reader, version)
  },
}

/** The SyncGroup request. */
export interface SyncGroupRequest {
  /** The unique group identifier. (Versions 0+.) */
  groupId: string
  /** The generation of the group. (Versions 0+.) */
  generationId: number
  /** The member ID assigned by the group. (Versions 0+.) */
  memberId: string
  /** The unique identifier of the consumer instance provided by end user. (Versions 3+, nullable 3+, default null.) */
  groupInstanceId?: string | null
  /** The group protocol type. (Versions 5+, nullable 5+, default null.) */
  protocolType?: string | null
  /** The group protocol name. (Versions 5+, nullable 5+, default null.) */
  protocolName?: string | null
  /** Each assignment. (Versions 0+.) */
  assignments: SyncGroupRequestAssignment[]
}

/** SyncGroupRequestAssignment in SyncGroupRequest. */
export interface SyncGroupRequestAssignment {
  /** The ID of the member to assign. (Versions 0+.) */
  memberId: string
  /** The member assignment. (Versions 0+.) */
  assignment: Buffer
}

function writeSyncGroupRequest(w: Writer, version: number, s: SyncGroupRequest): void {
  if (version >= 4) w.writeCompactString(s.groupId)
  else w.writeString(s.groupId)
  w.writeInt32(s.generationId)
  if (version >= 4) w.writeCompactString(s.memberId)
  else w.writeString(s.memberId)
  if (version >= 3) {
    if (version >= 4) w.writeCompactString(s.groupInstanceId ?? null)
    else w.writeString(s.groupInstanceId ?? null)
  }
  if (version >= 5) w.writeCompactString(s.protocolType ?? null)
  if (version >= 5) w.writeCompactString(s.protocolName ?? null)
  const assignments = s.assignments
  if (version >= 4) w.writeCompactArrayLength(assignments.length)
  else w.writeArrayLength(assignments.length)
  for (const item of assignments) writeSyncGroupRequestAssignment(w, version, item)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readSyncGroupRequest(r: Reader, version: number): SyncGroupRequest {
  const groupId = version >= 4 ? r.readCompactString() : r.readString()
  const generationId = r.readInt32()
  const memberId = version >= 4 ? r.readCompactString() : r.readString()
  const groupInstanceId: string | null =
    version >= 4 ? r.readCompactNullableString() : version >= 3 ? r.readNullableString() : null
  const protocolType: string | null = version >= 5 ? r.readCompactNullableString() : null
  const protocolName: string | null = version >= 5 ? r.readCompactNullableString() : null
  const assignmentsCount = version >= 4 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (assignmentsCount === null) throw nullNotAllowed('SyncGroupRequest.assignments', version)
  const assignments: SyncGroupRequestAssignment[] = []
  for (let i = 0; i < assignmentsCount; i++) assignments.push(readSyncGroupRequestAssignment(r, version))
  if (version >= 4) r.readTaggedFields()
  return { groupId, generationId, memberId, groupInstanceId, protocolType, protocolName, assignments }
}

function writeSyncGroupRequestAssignment(w: Writer, version: number, s: SyncGroupRequestAssignment): void {
  if (version >= 4) w.writeCompactString(s.memberId)
  else w.writeString(s.memberId)
  if (version >= 4) w.writeCompactBytes(s.assignment)
  else w.writeBytes(s.assignment)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readSyncGroupRequestAssignment(r: Reader, version: number): SyncGroupRequestAssignment {
  const memberId = version >= 4 ? r.readCompactString() : r.readString()
  const assignment = version >= 4 ? r.readCompactBytes() : r.readBytes()
  if (version >= 4) r.readTaggedFields()
  return { memberId, assignment }
}

/** The SyncGroup response. */
export interface SyncGroupResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 1+.)
   */
  throttleTimeMs?: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The group protocol type. (Versions 5+, nullable 5+, default null.) */
  protocolType?: string | null
  /** The group protocol name. (Versions 5+, nullable 5+, default null.) */
  protocolName?: string | null
  /** The member assignment. (Versions 0+.) */
  assignment: Buffer
}

function writeSyncGroupResponse(w: Writer, version: number, s: SyncGroupResponse): void {
  if (version >= 1) w.writeInt32(s.throttleTimeMs ?? 0)
  w.writeInt16(s.errorCode)
  if (version >= 5) w.writeCompactString(s.protocolType ?? null)
  if (version >= 5) w.writeCompactString(s.protocolName ?? null)
  if (version >= 4) w.writeCompactBytes(s.assignment)
  else w.writeBytes(s.assignment)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readSyncGroupResponse(r: Reader, version: number): SyncGroupResponse {
  const throttleTimeMs = version >= 1 ? r.readInt32() : 0
  const errorCode = r.readInt16()
  const protocolType: string | null = version >= 5 ? r.readCompactNullableString() : null
  const protocolName: string | null = version >= 5 ? r.readCompactNullableString() : null
  const assignment = version >= 4 ? r.readCompactBytes() : r.readBytes()
  if (version >= 4) r.readTaggedFields()
  return { throttleTimeMs, errorCode, protocolType, protocolName, assignment }
}
