// Generated from Kafka's DescribeGroupsRequest.json/DescribeGroupsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// DescribeGroups (API key 15)
//   valid versions: 0-5
//   flexible versions: 5+
//
// DescribeGroups Request (Version: 5) => [groups] include_authorized_operations _tagged_fields
//   groups => COMPACT_STRING
//   include_authorized_operations => BOOLEAN
//
// DescribeGroups Response (Version: 5) => throttle_time_ms [groups] _tagged_fields
//   throttle_time_ms => INT32
//   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations _tagged_fields
//     error_code => INT16
//     group_id => COMPACT_STRING
//     group_state => COMPACT_STRING
//     protocol_type => COMPACT_STRING
//     protocol_data => COMPACT_STRING
//     members => member_id group_instance_id client_id client_host member_metadata member_assignment _tagged_fields
//       member_id => COMPACT_STRING
//       group_instance_id => COMPACT_NULLABLE_STRING
//       client_id => COMPACT_STRING
//       client_host => COMPACT_STRING
//       member_metadata => COMPACT_BYTES
//       member_assignment => COMPACT_BYTES
//     authorized_operations => INT32

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** DescribeGroups (API key 15), versions 0-5. */
export const describeGroups: ApiDefinition<DescribeGroupsRequest, DescribeGroupsResponse> = {
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 5,
  encodeRequest(writer: Writer, version: number, request: DescribeGroupsRequest): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('DescribeGroups', version, 0, 5)
    writeDescribeGroupsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): DescribeGroupsRequest {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('DescribeGroups', version, 0, 5)
    return readDescribeGroupsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: DescribeGroupsResponse): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('DescribeGroups', version, 0, 5)
    writeDescribeGroupsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): DescribeGroupsResponse {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('DescribeGroups', version, 0, 5)
    return readDescribeGroupsResponse(reader, version)
  },
}

/** The DescribeGroups request. */
export interface DescribeGroupsRequest {
  /** The names of the groups to describe. (Versions 0+.) */
  groups: string[]
  /** Whether to include authorized operations. (Versions 3+.) */
  includeAuthorizedOperations?: boolean
}

function writeDescribeGroupsRequest(w: Writer, version: number, s: DescribeGroupsRequest): void {
  const groups = s.groups
  if (version >= 5) {
    w.writeCompactArrayLength(groups.length)
    for (const item of groups) w.writeCompactString(item)
  } else {
    w.writeArrayLength(groups.length)
    for (const item of groups) w.writeString(item)
  }
  if (version >= 3) w.writeBoolean(s.includeAuthorizedOperations ?? false)
  if (version >= 5) w.writeEmptyTaggedFields()
}

function readDescribeGroupsRequest(r: Reader, version: number): DescribeGroupsRequest {
  const groupsCount = version >= 5 ? r.readCompactArrayLength(1) : r.readArrayLength(1)
  if (groupsCount === null) throw nullNotAllowed('DescribeGroupsRequest.groups', version)
  const groups: string[] = []
  for (let i = 0; i < groupsCount; i++) groups.push(version >= 5 ? r.readCompactString() : r.readString())
  const includeAuthorizedOperations = version >= 3 ? r.readBoolean() : false
  if (version >= 5) r.readTaggedFields()
  return { groups, includeAuthorizedOperations }
}

/** The DescribeGroups response. */
export interface DescribeGroupsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 1+.)
   */
  throttleTimeMs?: number
  /** Each described group. (Versions 0+.) */
  groups: DescribeGroupsResponseDescribedGroup[]
}

/** DescribedGroup in DescribeGroupsResponse. */
export interface DescribeGroupsResponseDescribedGroup {
  /** The describe error, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The group ID string. (Versions 0+.) */
  groupId: string
  /** The group state string, or the empty string. (Versions 0+.) */
  groupState: string
  /** The group protocol type, or the empty string. (Versions 0+.) */
  protocolType: string
  /** The group protocol data, or the empty string. (Versions 0+.) */
  protocolData: string
  /** The group members. (Versions 0+.) */
  members: DescribeGroupsResponseDescribedGroupMember[]
  /** 32-bit bitfield to represent authorized operations for this group. (Versions 3+, default -2147483648.) */
  authorizedOperations?: number
}

/** DescribedGroupMember in DescribeGroupsResponse. */
export interface DescribeGroupsResponseDescribedGroupMember {
  /** The member ID assigned by the group coordinator. (Versions 0+.) */
  memberId: string
  /** The unique identifier of the consumer instance provided by end user. (Versions 4+, nullable 4+, default null.) */
  groupInstanceId?: string | null
  /** The client ID used in the member's latest join group request. (Versions 0+.) */
  clientId: string
  /** The client host. (Versions 0+.) */
  clientHost: string
  /** The metadata corresponding to the current group protocol in use. (Versions 0+.) */
  memberMetadata: Buffer
  /** The current assignment provided by the group leader. (Versions 0+.) */
  memberAssignment: Buffer
}

function writeDescribeGroupsResponse(w: Writer, version: number, s: DescribeGroupsResponse): void {
  if (version >= 1) w.writeInt32(s.throttleTimeMs ?? 0)
  const groups = s.groups
  if (version >= 5) w.writeCompactArrayLength(groups.length)
  else w.writeArrayLength(groups.length)
  for (const item of groups) writeDescribeGroupsResponseDescribedGroup(w, version, item)
  if (version >= 5) w.writeEmptyTaggedFields()
}

function readDescribeGroupsResponse(r: Reader, version: number): DescribeGroupsResponse {
  const throttleTimeMs = version >= 1 ? r.readInt32() : 0
  const groupsCount = version >= 5 ? r.readCompactArrayLength(12) : r.readArrayLength(12)
  if (groupsCount === null) throw nullNotAllowed('DescribeGroupsResponse.groups', version)
  const groups: DescribeGroupsResponseDescribedGroup[] = []
  for (let i = 0; i < groupsCount; i++) groups.push(readDescribeGroupsResponseDescribedGroup(r, version))
  if (version >= 5) r.readTaggedFields()
  return { throttleTimeMs, groups }
}

function writeDescribeGroupsResponseDescribedGroup(
  w: Writer,
  version: number,
  s: DescribeGroupsResponseDescribedGroup,
): void {
  w.writeInt16(s.errorCode)
  if (version >= 5) w.writeCompactString(s.groupId)
  else w.writeString(s.groupId)
  if (version >= 5) w.writeCompactString(s.groupState)
  else w.writeString(s.groupState)
  if (version >= 5) w.writeCompactString(s.protocolType)
  else w.writeString(s.protocolType)
  if (version >= 5) w.writeCompactString(s.protocolData)
  else w.writeString(s.protocolData)
  const members = s.members
  if (version >= 5) w.writeCompactArrayLength(members.length)
  else w.writeArrayLength(members.length)
  for (const item of members) writeDescribeGroupsResponseDescribedGroupMember(w, version, item)
  if (version >= 3) w.writeInt32(s.authorizedOperations ?? -2147483648)
  if (version >= 5) w.writeEmptyTaggedFields()
}

function readDescribeGroupsResponseDescribedGroup(r: Reader, version: number): DescribeGroupsResponseDescribedGroup {
  const errorCode = r.readInt16()
  const groupId = version >= 5 ? r.readCompactString() : r.readString()
  const groupState = version >= 5 ? r.readCompactString() : r.readString()
  const protocolType = version >= 5 ? r.readCompactString() : r.readString()
  const protocolData = version >= 5 ? r.readCompactString() : r.readString()
  const membersCount = version >= 5 ? r.readCompactArrayLength(7) : r.readArrayLength(7)
  if (membersCount === null) throw nullNotAllowed('DescribeGroupsResponseDescribedGroup.members', version)
  const members: DescribeGroupsResponseDescribedGroupMember[] = []
  for (let i = 0; i < membersCount; i++) members.push(readDescribeGroupsResponseDescribedGroupMember(r, version))
  const authorizedOperations = version >= 3 ? r.readInt32() : -2147483648
  if (version >= 5) r.readTaggedFields()
  return { errorCode, groupId, groupState, protocolType, protocolData, members, authorizedOperations }
}

function writeDescribeGroupsResponseDescribedGroupMember(
  w: Writer,
  version: number,
  s: DescribeGroupsResponseDescribedGroupMember,
): void {
  if (version >= 5) w.writeCompactString(s.memberId)
  else w.writeString(s.memberId)
  if (version >= 4) {
    if (version >= 5) w.writeCompactString(s.groupInstanceId ?? null)
    else w.writeString(s.groupInstanceId ?? null)
  }
  if (version >= 5) w.writeCompactString(s.clientId)
  else w.writeString(s.clientId)
  if (version >= 5) w.writeCompactString(s.clientHost)
  else w.writeString(s.clientHost)
  if (version >= 5) w.writeCompactBytes(s.memberMetadata)
  else w.writeBytes(s.memberMetadata)
  if (version >= 5) w.writeCompactBytes(s.memberAssignment)
  else w.writeBytes(s.memberAssignment)
  if (version >= 5) w.writeEmptyTaggedFields()
}

function readDescribeGroupsResponseDescribedGroupMember(
  r: Reader,
  version: number,
): DescribeGroupsResponseDescribedGroupMember {
  const memberId = version >= 5 ? r.readCompactString() : r.readString()
  const groupInstanceId: string | null =
    version >= 5 ? r.readCompactNullableString() : version >= 4 ? r.readNullableString() : null
  const clientId = version >= 5 ? r.readCompactString() : r.readString()
  const clientHost = version >= 5 ? r.readCompactString() : r.readString()
  const memberMetadata = version >= 5 ? r.readCompactBytes() : r.readBytes()
  const memberAssignment = version >= 5 ? r.readCompactBytes() : r.readBytes()
  if (version >= 5) r.readTaggedFields()
  return { memberId, groupInstanceId, clientId, clientHost, memberMetadata, memberAssignment }
}
