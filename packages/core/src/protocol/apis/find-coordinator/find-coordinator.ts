// Generated from Kafka's FindCoordinatorRequest.json/FindCoordinatorResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// FindCoordinator (API key 10)
//   valid versions: 0-6 (deprecated: 0)
//   flexible versions: 3+
//
// FindCoordinator Request (Version: 6) => key_type [coordinator_keys] _tagged_fields
//   key_type => INT8
//   coordinator_keys => COMPACT_STRING
//
// FindCoordinator Response (Version: 6) => throttle_time_ms [coordinators] _tagged_fields
//   throttle_time_ms => INT32
//   coordinators => key node_id host port error_code error_message _tagged_fields
//     key => COMPACT_STRING
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { EMPTY_ARRAY, nullNotAllowed, unsupportedVersion } from '../support.js'

/** FindCoordinator (API key 10), versions 0-6. */
export const findCoordinator: ApiDefinition<FindCoordinatorRequest, FindCoordinatorResponse> = {
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 6,
  firstFlexibleVersion: 3,
  encodeRequest(writer: Writer, version: number, request: FindCoordinatorRequest): void {
    if (!(version >= 0 && version <= 6)) throw unsupportedVersion('FindCoordinator', version, 0, 6)
    writeFindCoordinatorRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): FindCoordinatorRequest {
    if (!(version >= 0 && version <= 6)) throw unsupportedVersion('FindCoordinator', version, 0, 6)
    return readFindCoordinatorRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: FindCoordinatorResponse): void {
    if (!(version >= 0 && version <= 6)) throw unsupportedVersion('FindCoordinator', version, 0, 6)
    writeFindCoordinatorResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): FindCoordinatorResponse {
    if (!(version >= 0 && version <= 6)) throw unsupportedVersion('FindCoordinator', version, 0, 6)
    return readFindCoordinatorResponse(reader, version)
  },
}

/** The FindCoordinator request. */
export interface FindCoordinatorRequest {
  /** The coordinator key. (Versions 0-3.) */
  key?: string
  /** The coordinator key type. (Group, transaction, etc.). (Versions 1+, default 0.) */
  keyType?: number
  /** The coordinator keys. (Versions 4+.) */
  coordinatorKeys?: string[]
}

function writeFindCoordinatorRequest(w: Writer, version: number, s: FindCoordinatorRequest): void {
  if (version <= 3) {
    if (version >= 3) w.writeCompactString(s.key ?? '')
    else w.writeString(s.key ?? '')
  }
  if (version >= 1) w.writeInt8(s.keyType ?? 0)
  if (version >= 4) {
    const coordinatorKeys = s.coordinatorKeys ?? EMPTY_ARRAY
    w.writeCompactArrayLength(coordinatorKeys.length)
    for (const item of coordinatorKeys) w.writeCompactString(item)
  }
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readFindCoordinatorRequest(r: Reader, version: number): FindCoordinatorRequest {
  const key = version >= 4 ? '' : version >= 3 ? r.readCompactString() : r.readString()
  const keyType = version >= 1 ? r.readInt8() : 0
  let coordinatorKeys: string[]
  if (version >= 4) {
    const coordinatorKeysCount = r.readCompactArrayLength(1)
    if (coordinatorKeysCount === null) throw nullNotAllowed('FindCoordinatorRequest.coordinatorKeys', version)
    const coordinatorKeysItems: string[] = []
    for (let i = 0; i < coordinatorKeysCount; i++) coordinatorKeysItems.push(r.readCompactString())
    coordinatorKeys = coordinatorKeysItems
  } else coordinatorKeys = []
  if (version >= 3) r.readTaggedFields()
  return { key, keyType, coordinatorKeys }
}

/** The FindCoordinator response. */
export interface FindCoordinatorResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 1+.)
   */
  throttleTimeMs?: number
  /** The error code, or 0 if there was no error. (Versions 0-3.) */
  errorCode?: number
  /** The error message, or null if there was no error. (Versions 1-3, nullable 1-3.) */
  errorMessage?: string | null
  /** The node id. (Versions 0-3.) */
  nodeId?: number
  /** The host name. (Versions 0-3.) */
  host?: string
  /** The port. (Versions 0-3.) */
  port?: number
  /** Each coordinator result in the response. (Versions 4+.) */
  coordinators?: FindCoordinatorResponseCoordinator[]
}

/** Coordinator in FindCoordinatorResponse. */
export interface FindCoordinatorResponseCoordinator {
  /** The coordinator key. (Versions 4+.) */
  key?: string
  /** The node id. (Versions 4+.) */
  nodeId?: number
  /** The host name. (Versions 4+.) */
  host?: string
  /** The port. (Versions 4+.) */
  port?: number
  /** The error code, or 0 if there was no error. (Versions 4+.) */
  errorCode?: number
  /** The error message, or null if there was no error. (Versions 4+, nullable 4+.) */
  errorMessage?: string | null
}

function writeFindCoordinatorResponse(w: Writer, version: number, s: FindCoordinatorResponse): void {
  if (version >= 1) w.writeInt32(s.throttleTimeMs ?? 0)
  if (version <= 3) w.writeInt16(s.errorCode ?? 0)
  if (version >= 1 && version <= 3) {
    if (version >= 3) w.writeCompactString(s.errorMessage ?? null)
    else w.writeString(s.errorMessage ?? null)
  }
  if (version <= 3) w.writeInt32(s.nodeId ?? 0)
  if (version <= 3) {
    if (version >= 3) w.writeCompactString(s.host ?? '')
    else w.writeString(s.host ?? '')
  }
  if (version <= 3) w.writeInt32(s.port ?? 0)
  if (version >= 4) {
    const coordinators = s.coordinators ?? EMPTY_ARRAY
    w.writeCompactArrayLength(coordinators.length)
    for (const item of coordinators) writeFindCoordinatorResponseCoordinator(w, version, item)
  }
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readFindCoordinatorResponse(r: Reader, version: number): FindCoordinatorResponse {
  const throttleTimeMs = version >= 1 ? r.readInt32() : 0
  const errorCode = version >= 4 ? 0 : r.readInt16()
  const errorMessage: string | null =
    version >= 4 ? null : version >= 3 ? r.readCompactNullableString() : version >= 1 ? r.readNullableString() : null
  const nodeId = version >= 4 ? 0 : r.readInt32()
  const host = version >= 4 ? '' : version >= 3 ? r.readCompactString() : r.readString()
  const port = version >= 4 ? 0 : r.readInt32()
  let coordinators: FindCoordinatorResponseCoordinator[]
  if (version >= 4) {
    const coordinatorsCount = r.readCompactArrayLength(14)
    if (coordinatorsCount === null) throw nullNotAllowed('FindCoordinatorResponse.coordinators', version)
    const coordinatorsItems: FindCoordinatorResponseCoordinator[] = []
    for (let i = 0; i < coordinatorsCount; i++)
      coordinatorsItems.push(readFindCoordinatorResponseCoordinator(r, version))
    coordinators = coordinatorsItems
  } else coordinators = []
  if (version >= 3) r.readTaggedFields()
  return { throttleTimeMs, errorCode, errorMessage, nodeId, host, port, coordinators }
}

function writeFindCoordinatorResponseCoordinator(
  w: Writer,
  _version: number,
  s: FindCoordinatorResponseCoordinator,
): void {
  w.writeCompactString(s.key ?? '')
  w.writeInt32(s.nodeId ?? 0)
  w.writeCompactString(s.host ?? '')
  w.writeInt32(s.port ?? 0)
  w.writeInt16(s.errorCode ?? 0)
  w.writeCompactString(s.errorMessage ?? null)
  w.writeEmptyTaggedFields()
}

function readFindCoordinatorResponseCoordinator(r: Reader, _version: number): FindCoordinatorResponseCoordinator {
  const key = r.readCompactString()
  const nodeId = r.readInt32()
  const host = r.readCompactString()
  const port = r.readInt32()
  const errorCode = r.readInt16()
  const errorMessage = r.readCompactNullableString()
  r.readTaggedFields()
  return { key, nodeId, host, port, errorCode, errorMessage }
}
