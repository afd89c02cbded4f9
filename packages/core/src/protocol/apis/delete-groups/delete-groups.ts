// Generated from Kafka's DeleteGroupsRequest.json/DeleteGroupsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// DeleteGroups (API key 42)
//   valid versions: 0-2 (deprecated: 0)
//   flexible versions: 2+
//
// DeleteGroups Request (Version: 2) => [groups_names] _tagged_fields
//   groups_names => COMPACT_STRING
//
// DeleteGroups Response (Version: 2) => throttle_time_ms [results] _tagged_fields
//   throttle_time_ms => INT32
//   results => group_id error_code _tagged_fields
//     group_id => COMPACT_STRING
//     error_code => INT16

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** DeleteGroups (API key 42), versions 0-2. */
export const deleteGroups: ApiDefinition<DeleteGroupsRequest, DeleteGroupsResponse> = {
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 2,
  encodeRequest(writer: Writer, version: number, request: DeleteGroupsRequest): void {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('DeleteGroups', version, 0, 2)
    writeDeleteGroupsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): DeleteGroupsRequest {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('DeleteGroups', version, 0, 2)
    return readDeleteGroupsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: DeleteGroupsResponse): void {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('DeleteGroups', version, 0, 2)
    writeDeleteGroupsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): DeleteGroupsResponse {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('DeleteGroups', version, 0, 2)
    return readDeleteGroupsResponse(reader, version)
  },
}

/** The DeleteGroups request. */
export interface DeleteGroupsRequest {
  /** The group names to delete. (Versions 0+.) */
  groupsNames: string[]
}

function writeDeleteGroupsRequest(w: Writer, version: number, s: DeleteGroupsRequest): void {
  const groupsNames = s.groupsNames
  if (version >= 2) {
    w.writeCompactArrayLength(groupsNames.length)
    for (const item of groupsNames) w.writeCompactString(item)
  } else {
    w.writeArrayLength(groupsNames.length)
    for (const item of groupsNames) w.writeString(item)
  }
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readDeleteGroupsRequest(r: Reader, version: number): DeleteGroupsRequest {
  const groupsNamesCount = version >= 2 ? r.readCompactArrayLength(1) : r.readArrayLength(1)
  if (groupsNamesCount === null) throw nullNotAllowed('DeleteGroupsRequest.groupsNames', version)
  const groupsNames: string[] = []
  for (let i = 0; i < groupsNamesCount; i++) groupsNames.push(version >= 2 ? r.readCompactString() : r.readString())
  if (version >= 2) r.readTaggedFields()
  return { groupsNames }
}

/** The DeleteGroups response. */
export interface DeleteGroupsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The deletion results. (Versions 0+.) */
  results: DeleteGroupsResponseDeletableGroupResult[]
}

/** DeletableGroupResult in DeleteGroupsResponse. */
export interface DeleteGroupsResponseDeletableGroupResult {
  /** The group id. (Versions 0+.) */
  groupId: string
  /** The deletion error, or 0 if the deletion succeeded. (Versions 0+.) */
  errorCode: number
}

function writeDeleteGroupsResponse(w: Writer, version: number, s: DeleteGroupsResponse): void {
  w.writeInt32(s.throttleTimeMs)
  const results = s.results
  if (version >= 2) w.writeCompactArrayLength(results.length)
  else w.writeArrayLength(results.length)
  for (const item of results) writeDeleteGroupsResponseDeletableGroupResult(w, version, item)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readDeleteGroupsResponse(r: Reader, version: number): DeleteGroupsResponse {
  const throttleTimeMs = r.readInt32()
  const resultsCount = version >= 2 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (resultsCount === null) throw nullNotAllowed('DeleteGroupsResponse.results', version)
  const results: DeleteGroupsResponseDeletableGroupResult[] = []
  for (let i = 0; i < resultsCount; i++) results.push(readDeleteGroupsResponseDeletableGroupResult(r, version))
  if (version >= 2) r.readTaggedFields()
  return { throttleTimeMs, results }
}

function writeDeleteGroupsResponseDeletableGroupResult(
  w: Writer,
  version: number,
  s: DeleteGroupsResponseDeletableGroupResult,
): void {
  if (version >= 2) w.writeCompactString(s.groupId)
  else w.writeString(s.groupId)
  w.writeInt16(s.errorCode)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readDeleteGroupsResponseDeletableGroupResult(
  r: Reader,
  version: number,
): DeleteGroupsResponseDeletableGroupResult {
  const groupId = version >= 2 ? r.readCompactString() : r.readString()
  const errorCode = r.readInt16()
  if (version >= 2) r.readTaggedFields()
  return { groupId, errorCode }
}
