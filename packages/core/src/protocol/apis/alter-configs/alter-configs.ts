// Generated from Kafka's AlterConfigsRequest.json/AlterConfigsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// AlterConfigs (API key 33)
//   valid versions: 0-2
//   flexible versions: 2+
//
// AlterConfigs Request (Version: 2) => [resources] validate_only _tagged_fields
//   resources => resource_type resource_name [configs] _tagged_fields
//     resource_type => INT8
//     resource_name => COMPACT_STRING
//     configs => name value _tagged_fields
//       name => COMPACT_STRING
//       value => COMPACT_NULLABLE_STRING
//   validate_only => BOOLEAN
//
// AlterConfigs Response (Version: 2) => throttle_time_ms [responses] _tagged_fields
//   throttle_time_ms => INT32
//   responses => error_code error_message resource_type resource_name _tagged_fields
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//     resource_type => INT8
//     resource_name => COMPACT_STRING

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** AlterConfigs (API key 33), versions 0-2. */
export const alterConfigs: ApiDefinition<AlterConfigsRequest, AlterConfigsResponse> = {
  apiKey: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 2,
  encodeRequest(writer: Writer, version: number, request: AlterConfigsRequest): void {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('AlterConfigs', version, 0, 2)
    writeAlterConfigsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): AlterConfigsRequest {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('AlterConfigs', version, 0, 2)
    return readAlterConfigsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: AlterConfigsResponse): void {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('AlterConfigs', version, 0, 2)
    writeAlterConfigsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): AlterConfigsResponse {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('AlterConfigs', version, 0, 2)
    return readAlterConfigsResponse(reader, version)
  },
}

/** The AlterConfigs request. */
export interface AlterConfigsRequest {
  /** The updates for each resource. (Versions 0+.) */
  resources: AlterConfigsRequestAlterConfigsResource[]
  /** True if we should validate the request, but not change the configurations. (Versions 0+.) */
  validateOnly: boolean
}

/** AlterConfigsResource in AlterConfigsRequest. */
export interface AlterConfigsRequestAlterConfigsResource {
  /** The resource type. (Versions 0+.) */
  resourceType: number
  /** The resource name. (Versions 0+.) */
  resourceName: string
  /** The configurations. (Versions 0+.) */
  configs: AlterConfigsRequestAlterableConfig[]
}

/** AlterableConfig in AlterConfigsRequest. */
export interface AlterConfigsRequestAlterableConfig {
  /** The configuration key name. (Versions 0+.) */
  name: string
  /** The value to set for the configuration key. (Versions 0+, nullable 0+.) */
  value: string | null
}

function writeAlterConfigsRequest(w: Writer, version: number, s: AlterConfigsRequest): void {
  const resources = s.resources
  if (version >= 2) w.writeCompactArrayLength(resources.length)
  else w.writeArrayLength(resources.length)
  for (const item of resources) writeAlterConfigsRequestAlterConfigsResource(w, version, item)
  w.writeBoolean(s.validateOnly)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readAlterConfigsRequest(r: Reader, version: number): AlterConfigsRequest {
  const resourcesCount = version >= 2 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (resourcesCount === null) throw nullNotAllowed('AlterConfigsRequest.resources', version)
  const resources: AlterConfigsRequestAlterConfigsResource[] = []
  for (let i = 0; i < resourcesCount; i++) resources.push(readAlterConfigsRequestAlterConfigsResource(r, version))
  const validateOnly = r.readBoolean()
  if (version >= 2) r.readTaggedFields()
  return { resources, validateOnly }
}

function writeAlterConfigsRequestAlterConfigsResource(
  w: Writer,
  version: number,
  s: AlterConfigsRequestAlterConfigsResource,
): void {
  w.writeInt8(s.resourceType)
  if (version >= 2) w.writeCompactString(s.resourceName)
  else w.writeString(s.resourceName)
  const configs = s.configs
  if (version >= 2) w.writeCompactArrayLength(configs.length)
  else w.writeArrayLength(configs.length)
  for (const item of configs) writeAlterConfigsRequestAlterableConfig(w, version, item)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readAlterConfigsRequestAlterConfigsResource(
  r: Reader,
  version: number,
): AlterConfigsRequestAlterConfigsResource {
  const resourceType = r.readInt8()
  const resourceName = version >= 2 ? r.readCompactString() : r.readString()
  const configsCount = version >= 2 ? r.readCompactArrayLength(3) : r.readArrayLength(3)
  if (configsCount === null) throw nullNotAllowed('AlterConfigsRequestAlterConfigsResource.configs', version)
  const configs: AlterConfigsRequestAlterableConfig[] = []
  for (let i = 0; i < configsCount; i++) configs.push(readAlterConfigsRequestAlterableConfig(r, version))
  if (version >= 2) r.readTaggedFields()
  return { resourceType, resourceName, configs }
}

function writeAlterConfigsRequestAlterableConfig(
  w: Writer,
  version: number,
  s: AlterConfigsRequestAlterableConfig,
): void {
  if (version >= 2) w.writeCompactString(s.name)
  else w.writeString(s.name)
  if (version >= 2) w.writeCompactString(s.value)
  else w.writeString(s.value)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readAlterConfigsRequestAlterableConfig(r: Reader, version: number): AlterConfigsRequestAlterableConfig {
  const name = version >= 2 ? r.readCompactString() : r.readString()
  const value = version >= 2 ? r.readCompactNullableString() : r.readNullableString()
  if (version >= 2) r.readTaggedFields()
  return { name, value }
}

/** The AlterConfigs response. */
export interface AlterConfigsResponse {
  /**
   * Duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request
   * did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The responses for each resource. (Versions 0+.) */
  responses: AlterConfigsResponseAlterConfigsResourceResponse[]
}

/** AlterConfigsResourceResponse in AlterConfigsResponse. */
export interface AlterConfigsResponseAlterConfigsResourceResponse {
  /** The resource error code. (Versions 0+.) */
  errorCode: number
  /** The resource error message, or null if there was no error. (Versions 0+, nullable 0+.) */
  errorMessage: string | null
  /** The resource type. (Versions 0+.) */
  resourceType: number
  /** The resource name. (Versions 0+.) */
  resourceName: string
}

function writeAlterConfigsResponse(w: Writer, version: number, s: AlterConfigsResponse): void {
  w.writeInt32(s.throttleTimeMs)
  const responses = s.responses
  if (version >= 2) w.writeCompactArrayLength(responses.length)
  else w.writeArrayLength(responses.length)
  for (const item of responses) writeAlterConfigsResponseAlterConfigsResourceResponse(w, version, item)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readAlterConfigsResponse(r: Reader, version: number): AlterConfigsResponse {
  const throttleTimeMs = r.readInt32()
  const responsesCount = version >= 2 ? r.readCompactArrayLength(6) : r.readArrayLength(6)
  if (responsesCount === null) throw nullNotAllowed('AlterConfigsResponse.responses', version)
  const responses: AlterConfigsResponseAlterConfigsResourceResponse[] = []
  for (let i = 0; i < responsesCount; i++)
    responses.push(readAlterConfigsResponseAlterConfigsResourceResponse(r, version))
  if (version >= 2) r.readTaggedFields()
  return { throttleTimeMs, responses }
}

function writeAlterConfigsResponseAlterConfigsResourceResponse(
  w: Writer,
  version: number,
  s: AlterConfigsResponseAlterConfigsResourceResponse,
): void {
  w.writeInt16(s.errorCode)
  if (version >= 2) w.writeCompactString(s.errorMessage)
  else w.writeString(s.errorMessage)
  w.writeInt8(s.resourceType)
  if (version >= 2) w.writeCompactString(s.resourceName)
  else w.writeString(s.resourceName)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readAlterConfigsResponseAlterConfigsResourceResponse(
  r: Reader,
  version: number,
): AlterConfigsResponseAlterConfigsResourceResponse {
  const errorCode = r.readInt16()
  const errorMessage = version >= 2 ? r.readCompactNullableString() : r.readNullableString()
  const resourceType = r.readInt8()
  const resourceName = version >= 2 ? r.readCompactString() : r.readString()
  if (version >= 2) r.readTaggedFields()
  return { errorCode, errorMessage, resourceType, resourceName }
}
