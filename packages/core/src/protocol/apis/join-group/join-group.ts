// Generated from Kafka's JoinGroupRequest.json/JoinGroupResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// JoinGroup (API key 11)
//   valid versions: 0-9 (deprecated: 0-1)
//   flexible versions: 6+
//
// JoinGroup Request (Version: 9) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] reason _tagged_fields
//   group_id => COMPACT_STRING
//   session_timeout_ms => INT32
//   rebalance_timeout_ms => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//   protocol_type => COMPACT_STRING
//   protocols => name metadata _tagged_fields
//     name => COMPACT_STRING
//     metadata => COMPACT_BYTES
//   reason => COMPACT_NULLABLE_STRING
//
// JoinGroup Response (Version: 9) => throttle_time_ms error_code generation_id protocol_type protocol_name leader skip_assignment member_id [members] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   generation_id => INT32
//   protocol_type => COMPACT_NULLABLE_STRING
//   protocol_name => COMPACT_NULLABLE_STRING
//   leader => COMPACT_STRING
//   skip_assignment => BOOLEAN
//   member_id => COMPACT_STRING
//   members => member_id group_instance_id metadata _tagged_fields
//     member_id => COMPACT_STRING
//     group_instance_id => COMPACT_NULLABLE_STRING
//     metadata => COMPACT_BYTES

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** JoinGroup (API key 11), versions 0-9. */
export const joinGroup: ApiDefinition<JoinGroupRequest, JoinGroupResponse> = {
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  firstFlexibleVersion: 6,
  encodeRequest(writer: Writer, version: number, request: JoinGroupRequest): void {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('JoinGroup', version, 0, 9)
    writeJoinGroupRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): JoinGroupRequest {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('JoinGroup', version, 0, 9)
    return readJoinGroupRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: JoinGroupResponse): void {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('JoinGroup', version, 0, 9)
    writeJoinGroupResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): JoinGroupResponse {
    if (!(version >= 0 && version <= 9)) throw unsupportedVersion('JoinGroup', version, 0, 9)
    return readJoinGroupResponse(reader, version)
  },
}

/** The JoinGroup request. */
export interface JoinGroupRequest {
  /** The group identifier. (Versions 0+.) */
  groupId: string
  /**
   * The coordinator considers the consumer dead if it receives no heartbeat after this timeout in milliseconds.
   * (Versions 0+.)
   */
  sessionTimeoutMs: number
  /**
   * The maximum time in milliseconds that the coordinator will wait for each member to rejoin when rebalancing the
   * group. (Versions 1+, default -1.)
   */
  rebalanceTimeoutMs?: number
  /** The member id assigned by the group coordinator. (Versions 0+.) */
  memberId: string
  /** The unique identifier of the consumer instance provided by end user. (Versions 5+, nullable 5+, default null.) */
  groupInstanceId?: string | null
  /** The unique name the for class of protocols implemented by the group we want to join. (Versions 0+.) */
  protocolType: string
  /** The list of protocols that the member supports. (Versions 0+.) */
  protocols: JoinGroupRequestProtocol[]
  /** The reason why the member (re-)joins the group. (Versions 8+, nullable 8+, default null.) */
  reason?: string | null
}

/** JoinGroupRequestProtocol in JoinGroupRequest. */
export interface JoinGroupRequestProtocol {
  /** The protocol name. (Versions 0+.) */
  name: string
  /** The protocol metadata. (Versions 0+.) */
  metadata: Buffer
}

function writeJoinGroupRequest(w: Writer, version: number, s: JoinGroupRequest): void {
  if (version >= 6) w.writeCompactString(s.groupId)
  else w.writeString(s.groupId)
  w.writeInt32(s.sessionTimeoutMs)
  if (version >= 1) w.writeInt32(s.rebalanceTimeoutMs ?? -1)
  if (version >= 6) w.writeCompactString(s.memberId)
  else w.writeString(s.memberId)
  if (version >= 5) {
    if (version >= 6) w.writeCompactString(s.groupInstanceId ?? null)
    else w.writeString(s.groupInstanceId ?? null)
  }
  if (version >= 6) w.writeCompactString(s.protocolType)
  else w.writeString(s.protocolType)
  const protocols = s.protocols
  if (version >= 6) w.writeCompactArrayLength(protocols.length)
  else w.writeArrayLength(protocols.length)
  for (const item of protocols) writeJoinGroupRequestProtocol(w, version, item)
  if (version >= 8) w.writeCompactString(s.reason ?? null)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readJoinGroupRequest(r: Reader, version: number): JoinGroupRequest {
  const groupId = version >= 6 ? r.readCompactString() : r.readString()
  const sessionTimeoutMs = r.readInt32()
  const rebalanceTimeoutMs = version >= 1 ? r.readInt32() : -1
  const memberId = version >= 6 ? r.readCompactString() : r.readString()
  const groupInstanceId: string | null =
    version >= 6 ? r.readCompactNullableString() : version >= 5 ? r.readNullableString() : null
  const protocolType = version >= 6 ? r.readCompactString() : r.readString()
  const protocolsCount = version >= 6 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (protocolsCount === null) throw nullNotAllowed('JoinGroupRequest.protocols', version)
  const protocols: JoinGroupRequestProtocol[] = []
  for (let i = 0; i < protocolsCount; i++) protocols.push(readJoinGroupRequestProtocol(r, version))
  const reason: string | null = version >= 8 ? r.readCompactNullableString() : null
  if (version >= 6) r.readTaggedFields()
  return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols, reason }
}

function writeJoinGroupRequestProtocol(w: Writer, version: number, s: JoinGroupRequestProtocol): void {
  if (version >= 6) w.writeCompactString(s.name)
  else w.writeString(s.name)
  if (version >= 6) w.writeCompactBytes(s.metadata)
  else w.writeBytes(s.metadata)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readJoinGroupRequestProtocol(r: Reader, version: number): JoinGroupRequestProtocol {
  const name = version >= 6 ? r.readCompactString() : r.readString()
  const metadata = version >= 6 ? r.readCompactBytes() : r.readBytes()
  if (version >= 6) r.readTaggedFields()
  return { name, metadata }
}

/** The JoinGroup response. */
export interface JoinGroupResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 2+.)
   */
  throttleTimeMs?: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The generation ID of the group. (Versions 0+, default -1.) */
  generationId: number
  /** The group protocol name. (Versions 7+, nullable 7+, default null.) */
  protocolType?: string | null
  /** The group protocol selected by the coordinator. (Versions 0+, nullable 7+.) */
  protocolName: string | null
  /** The leader of the group. (Versions 0+.) */
  leader: string
  /** True if the leader must skip running the assignment. (Versions 9+, default false.) */
  skipAssignment?: boolean
  /** The member ID assigned by the group coordinator. (Versions 0+.) */
  memberId: string
  /** (Versions 0+.) */
  members: JoinGroupResponseMember[]
}

/** JoinGroupResponseMember in JoinGroupResponse. */
export interface JoinGroupResponseMember {
  /** The group member ID. (Versions 0+.) */
  memberId: string
  /** The unique identifier of the consumer instance provided by end user. (Versions 5+, nullable 5+, default null.) */
  groupInstanceId?: string | null
  /** The group member metadata. (Versions 0+.) */
  metadata: Buffer
}

function writeJoinGroupResponse(w: Writer, version: number, s: JoinGroupResponse): void {
  if (version >= 2) w.writeInt32(s.throttleTimeMs ?? 0)
  w.writeInt16(s.errorCode)
  w.writeInt32(s.generationId)
  if (version >= 7) w.writeCompactString(s.protocolType ?? null)
  const protocolName = s.protocolName
  if (version >= 7) {
    w.writeCompactString(protocolName)
  } else if (version >= 6) {
    if (protocolName === null) throw nullNotAllowed('JoinGroupResponse.protocolName', version)
    w.writeCompactString(protocolName)
  } else {
    if (protocolName === null) throw nullNotAllowed('JoinGroupResponse.protocolName', version)
    w.writeString(protocolName)
  }
  if (version >= 6) w.writeCompactString(s.leader)
  else w.writeString(s.leader)
  if (version >= 9) w.writeBoolean(s.skipAssignment ?? false)
  if (version >= 6) w.writeCompactString(s.memberId)
  else w.writeString(s.memberId)
  const members = s.members
  if (version >= 6) w.writeCompactArrayLength(members.length)
  else w.writeArrayLength(members.length)
  for (const item of members) writeJoinGroupResponseMember(w, version, item)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readJoinGroupResponse(r: Reader, version: number): JoinGroupResponse {
  const throttleTimeMs = version >= 2 ? r.readInt32() : 0
  const errorCode = r.readInt16()
  const generationId = r.readInt32()
  const protocolType: string | null = version >= 7 ? r.readCompactNullableString() : null
  const protocolName =
    version >= 7 ? r.readCompactNullableString() : version >= 6 ? r.readCompactString() : r.readString()
  const leader = version >= 6 ? r.readCompactString() : r.readString()
  const skipAssignment = version >= 9 ? r.readBoolean() : false
  const memberId = version >= 6 ? r.readCompactString() : r.readString()
  const membersCount = version >= 6 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (membersCount === null) throw nullNotAllowed('JoinGroupResponse.members', version)
  const members: JoinGroupResponseMember[] = []
  for (let i = 0; i < membersCount; i++) members.push(readJoinGroupResponseMember(r, version))
  if (version >= 6) r.readTaggedFields()
  return {
    throttleTimeMs,
    errorCode,
    generationId,
    protocolType,
    protocolName,
    leader,
    skipAssignment,
    memberId,
    members,
  }
}

function writeJoinGroupResponseMember(w: Writer, version: number, s: JoinGroupResponseMember): void {
  if (version >= 6) w.writeCompactString(s.memberId)
  else w.writeString(s.memberId)
  if (version >= 5) {
    if (version >= 6) w.writeCompactString(s.groupInstanceId ?? null)
    else w.writeString(s.groupInstanceId ?? null)
  }
  if (version >= 6) w.writeCompactBytes(s.metadata)
  else w.writeBytes(s.metadata)
  if (version >= 6) w.writeEmptyTaggedFields()
}

function readJoinGroupResponseMember(r: Reader, version: number): JoinGroupResponseMember {
  const memberId = version >= 6 ? r.readCompactString() : r.readString()
  const groupInstanceId: string | null =
    version >= 6 ? r.readCompactNullableString() : version >= 5 ? r.readNullableString() : null
  const metadata = version >= 6 ? r.readCompactBytes() : r.readBytes()
  if (version >= 6) r.readTaggedFields()
  return { memberId, groupInstanceId, metadata }
}
