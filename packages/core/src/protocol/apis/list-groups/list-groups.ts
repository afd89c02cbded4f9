// Generated from Kafka's ListGroupsRequest.json/ListGroupsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// ListGroups (API key 16)
//   valid versions: 0-5
//   flexible versions: 3+
//
// ListGroups Request (Version: 5) => [states_filter] [types_filter] _tagged_fields
//   states_filter => COMPACT_STRING
//   types_filter => COMPACT_STRING
//
// ListGroups Response (Version: 5) => throttle_time_ms error_code [groups] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   groups => group_id protocol_type group_state group_type _tagged_fields
//     group_id => COMPACT_STRING
//     protocol_type => COMPACT_STRING
//     group_state => COMPACT_STRING
//     group_type => COMPACT_STRING

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { EMPTY_ARRAY, nullNotAllowed, unsupportedVersion } from '../support.js'

/** ListGroups (API key 16), versions 0-5. */
export const listGroups: ApiDefinition<ListGroupsRequest, ListGroupsResponse> = {
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 3,
  encodeRequest(writer: Writer, version: number, request: ListGroupsRequest): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('ListGroups', version, 0, 5)
    writeListGroupsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): ListGroupsRequest {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('ListGroups', version, 0, 5)
    return readListGroupsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: ListGroupsResponse): void {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('ListGroups', version, 0, 5)
    writeListGroupsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): ListGroupsResponse {
    if (!(version >= 0 && version <= 5)) throw unsupportedVersion('ListGroups', version, 0, 5)
    return readListGroupsResponse(reader, version)
  },
}

/** The ListGroups request. */
export interface ListGroupsRequest {
  /** The states of the groups we want to list. If empty, all groups are returned with their state. (Versions 4+.) */
  statesFilter?: string[]
  /** The types of the groups we want to list. If empty, all groups are returned with their type. (Versions 5+.) */
  typesFilter?: string[]
}

function writeListGroupsRequest(w: Writer, version: number, s: ListGroupsRequest): void {
  if (version >= 4) {
    const statesFilter = s.statesFilter ?? EMPTY_ARRAY
    w.writeCompactArrayLength(statesFilter.length)
    for (const item of statesFilter) w.writeCompactString(item)
  }
  if (version >= 5) {
    const typesFilter = s.typesFilter ?? EMPTY_ARRAY
    w.writeCompactArrayLength(typesFilter.length)
    for (const item of typesFilter) w.writeCompactString(item)
  }
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readListGroupsRequest(r: Reader, version: number): ListGroupsRequest {
  let statesFilter: string[]
  if (version >= 4) {
    const statesFilterCount = r.readCompactArrayLength(1)
    if (statesFilterCount === null) throw nullNotAllowed('ListGroupsRequest.statesFilter', version)
    const statesFilterItems: string[] = []
    for (let i = 0; i < statesFilterCount; i++) statesFilterItems.push(r.readCompactString())
    statesFilter = statesFilterItems
  } else statesFilter = []
  let typesFilter: string[]
  if (version >= 5) {
    const typesFilterCount = r.readCompactArrayLength(1)
    if (typesFilterCount === null) throw nullNotAllowed('ListGroupsRequest.typesFilter', version)
    const typesFilterItems: string[] = []
    for (let i = 0; i < typesFilterCount; i++) typesFilterItems.push(r.readCompactString())
    typesFilter = typesFilterItems
  } else typesFilter = []
  if (version >= 3) r.readTaggedFields()
  return { statesFilter, typesFilter }
}

/** The ListGroups response. */
export interface ListGroupsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 1+.)
   */
  throttleTimeMs?: number
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** Each group in the response. (Versions 0+.) */
  groups: ListGroupsResponseListedGroup[]
}

/** ListedGroup in ListGroupsResponse. */
export interface ListGroupsResponseListedGroup {
  /** The group ID. (Versions 0+.) */
  groupId: string
  /** The group protocol type. (Versions 0+.) */
  protocolType: string
  /** The group state name. (Versions 4+.) */
  groupState?: string
  /** The group type name. (Versions 5+.) */
  groupType?: string
}

function writeListGroupsResponse(w: Writer, version: number, s: ListGroupsResponse): void {
  if (version >= 1) w.writeInt32(s.throttleTimeMs ?? 0)
  w.writeInt16(s.errorCode)
  const groups = s.groups
  if (version >= 3) w.writeCompactArrayLength(groups.length)
  else w.writeArrayLength(groups.length)
  for (const item of groups) writeListGroupsResponseListedGroup(w, version, item)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readListGroupsResponse(r: Reader, version: number): ListGroupsResponse {
  const throttleTimeMs = version >= 1 ? r.readInt32() : 0
  const errorCode = r.readInt16()
  const groupsCount = version >= 3 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (groupsCount === null) throw nullNotAllowed('ListGroupsResponse.groups', version)
  const groups: ListGroupsResponseListedGroup[] = []
  for (let i = 0; i < groupsCount; i++) groups.push(readListGroupsResponseListedGroup(r, version))
  if (version >= 3) r.readTaggedFields()
  return { throttleTimeMs, errorCode, groups }
}

function writeListGroupsResponseListedGroup(w: Writer, version: number, s: ListGroupsResponseListedGroup): void {
  if (version >= 3) w.writeCompactString(s.groupId)
  else w.writeString(s.groupId)
  if (version >= 3) w.writeCompactString(s.protocolType)
  else w.writeString(s.protocolType)
  if (version >= 4) w.writeCompactString(s.groupState ?? '')
  if (version >= 5) w.writeCompactString(s.groupType ?? '')
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readListGroupsResponseListedGroup(r: Reader, version: number): ListGroupsResponseListedGroup {
  const groupId = version >= 3 ? r.readCompactString() : r.readString()
  const protocolType = version >= 3 ? r.readCompactString() : r.readString()
  const groupState = version >= 4 ? r.readCompactString() : ''
  const groupType = version >= 5 ? r.readCompactString() : ''
  if (version >= 3) r.readTaggedFields()
  return { groupId, protocolType, groupState, groupType }
}
