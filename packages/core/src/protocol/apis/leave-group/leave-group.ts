// Generated from Kafka's LeaveGroupRequest.json/LeaveGroupResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// LeaveGroup (API key 13)
//   valid versions: 0-5
//   flexible versions: 4+
//
// LeaveGroup Request (Version: 5) => group_id [members] _tagged_fields
//   group_id => COMPACT_STRING
//   members => member_id group_instance_id reason _tagged_fields
//     member_id => COMPACT_STRING
//     group_instance_id => COMPACT_NULLABLE_STRING
//     reason => COMPACT_NULLABLE_STRING
//
// LeaveGroup Response (Version: 5) => throttle_time_ms error_code [members] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   members => member_id group_instance_id error_code _tagged_fields
//     member_id => COMPACT_STRING
//     group_instance_id => COMPACT_NULLABLE_STRING
//     error_code => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { EMPTY_ARRAY, nullNotAllowed, unsupportedVersion } from '../support.js'

/** LeaveGroup (API key 13), versions 0-5. */
export const leaveGroup: ApiDefinition<LeaveGroupRequest, LeaveGroupResponse> = {
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 4,
  encodeRequest(writer: Writer, version: number, request: LeaveGroupRequest): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('LeaveGroup', version, 0, 5)
    writeLeaveGroupRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): LeaveGroupRequest {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('LeaveGroup', version, 0, 5)
    return readLeaveGroupRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: LeaveGroupResponse): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('LeaveGroup', version, 0, 5)
    writeLeaveGroupResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): LeaveGroupResponse {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('LeaveGroup', version, 0, 5)
    return readLeaveGroupResponse(reader, version)
  },
}

/** The LeaveGroup request. */
export interface LeaveGroupRequest {
  /** The ID of the group to leave. (Versions 0+.) */
  groupId: string
  /** The member ID to remove from the group. (Versions 0-2.) */
  memberId?: string
  /** List of leaving member identities. (Versions 3+.) */
  members?: LeaveGroupRequestMemberIdentity[]
}

/** MemberIdentity in LeaveGroupRequest. */
export interface LeaveGroupRequestMemberIdentity {
  /** The member ID to remove from the group. (Versions 3+.) */
  memberId?: string
  /** The group instance ID to remove from the group. (Versions 3+, nullable 3+, default null.) */
  groupInstanceId?: string | null
  /** The reason why the member left the group. (Versions 5+, nullable 5+, default null.) */
  reason?: string | null
}

function writeLeaveGroupRequest(w: Writer, version: number, s: LeaveGroupRequest): void {
  if (version >= 4) w.writeCompactString(s.groupId)
  else w.writeString(s.groupId)
  if (version <= 2) w.writeString(s.memberId ?? '')
  if (version >= 3) {
    const members = s.members ?? EMPTY_ARRAY
    if (version >= 4) w.writeCompactArrayLength(members.length)
    else w.writeArrayLength(members.length)
    for (const item of members) writeLeaveGroupRequestMemberIdentity(w, version, item)
  }
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readLeaveGroupRequest(r: Reader, version: number): LeaveGroupRequest {
  const groupId = version >= 4 ? r.readCompactString() : r.readString()
  const memberId = version >= 3 ? '' : r.readString()
  let members: LeaveGroupRequestMemberIdentity[]
  if (version >= 3) {
    const membersCount = version >= 4 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
    if (membersCount === null) throw nullNotAllowed('LeaveGroupRequest.members', version)
    const membersItems: LeaveGroupRequestMemberIdentity[] = []
    for (let i = 0; i < membersCount; i++) membersItems.push(readLeaveGroupRequestMemberIdentity(r, version))
    members = membersItems
  } else members = []
  if (version >= 4) r.readTaggedFields()
  return { groupId, memberId, members }
}

function writeLeaveGroupRequestMemberIdentity(w: Writer, version: number, s: LeaveGroupRequestMemberIdentity): void {
  if (version >= 4) w.writeCompactString(s.memberId ?? '')
  else w.writeString(s.memberId ?? '')
  if (version >= 4) w.writeCompactString(s.groupInstanceId ?? null)
  else w.writeString(s.groupInstanceId ?? null)
  if (version >= 5) w.writeCompactString(s.reason ?? null)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readLeaveGroupRequestMemberIdentity(r: Reader, version: number): LeaveGroupRequestMemberIdentity {
  const memberId = version >= 4 ? r.readCompactString() : r.readString()
  const groupInstanceId = version >= 4 ? r.readCompactNullableString() : r.readNullableString()
  const reason: string | null = version >= 5 ? r.readCompactNullableString() : null
  if (version >= 4) r.readTaggedFields()
  return { memberId, groupInstanceId, reason }
}

/** The LeaveGroup response. */
export interface LeaveGroupResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 1+.)
   */
  throttleTimeMs?: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** List of leaving member responses. (Versions 3+.) */
  members?: LeaveGroupResponseMemberResponse[]
}

/** MemberResponse in LeaveGroupResponse. */
export interface LeaveGroupResponseMemberResponse {
  /** The member ID to remove from the group. (Versions 3+.) */
  memberId?: string
  /** The group instance ID to remove from the group. (Versions 3+, nullable 3+.) */
  groupInstanceId?: string | null
  /** The error code, or 0 if there was no error. (Versions 3+.) */
  errorCode?: number
}

function writeLeaveGroupResponse(w: Writer, version: number, s: LeaveGroupResponse): void {
  if (version >= 1) w.writeInt32(s.throttleTimeMs ?? 0)
  w.writeInt16(s.errorCode)
  if (version >= 3) {
    const members = s.members ?? EMPTY_ARRAY
    if (version >= 4) w.writeCompactArrayLength(members.length)
    else w.writeArrayLength(members.length)
    for (const item of members) writeLeaveGroupResponseMemberResponse(w, version, item)
  }
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readLeaveGroupResponse(r: Reader, version: number): LeaveGroupResponse {
  const throttleTimeMs = version >= 1 ? r.readInt32() : 0
  const errorCode = r.readInt16()
  let members: LeaveGroupResponseMemberResponse[]
  if (version >= 3) {
    const membersCount = version >= 4 ? r.readCompactArrayLength(5) : r.readArrayLength(5)
    if (membersCount === null) throw nullNotAllowed('LeaveGroupResponse.members', version)
    const membersItems: LeaveGroupResponseMemberResponse[] = []
    for (let i = 0; i < membersCount; i++) membersItems.push(readLeaveGroupResponseMemberResponse(r, version))
    members = membersItems
  } else members = []
  if (version >= 4) r.readTaggedFields()
  return { throttleTimeMs, errorCode, members }
}

function writeLeaveGroupResponseMemberResponse(w: Writer, version: number, s: LeaveGroupResponseMemberResponse): void {
  if (version >= 4) w.writeCompactString(s.memberId ?? '')
  else w.writeString(s.memberId ?? '')
  if (version >= 4) w.writeCompactString(s.groupInstanceId ?? null)
  else w.writeString(s.groupInstanceId ?? null)
  w.writeInt16(s.errorCode ?? 0)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readLeaveGroupResponseMemberResponse(r: Reader, version: number): LeaveGroupResponseMemberResponse {
  const memberId = version >= 4 ? r.readCompactString() : r.readString()
  const groupInstanceId = version >= 4 ? r.readCompactNullableString() : r.readNullableString()
  const errorCode = r.readInt16()
  if (version >= 4) r.readTaggedFields()
  return { memberId, groupInstanceId, errorCode }
}
