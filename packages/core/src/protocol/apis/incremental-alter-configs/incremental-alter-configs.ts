// Generated from Kafka's IncrementalAlterConfigsRequest.json/IncrementalAlterConfigsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// IncrementalAlterConfigs (API key 44)
//   valid versions: 0-1
//   flexible versions: 1+
//
// IncrementalAlterConfigs Request (Version: 1) => [resources] validate_only _tagged_fields
//   resources => resource_type resource_name [configs] _tagged_fields
//     resource_type => INT8
//     resource_name => COMPACT_STRING
//     configs => name config_operation value _tagged_fields
//       name => COMPACT_STRING
//       config_operation => INT8
//       value => COMPACT_NULLABLE_STRING
//   validate_only => BOOLEAN
//
// IncrementalAlterConfigs Response (Version: 1) => throttle_time_ms [responses] _tagged_fields
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

/** IncrementalAlterConfigs (API key 44), versions 0-1. */
export const incrementalAlterConfigs: ApiDefinition<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> = {
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 1,
  encodeRequest(writer: Writer, version: number, request: IncrementalAlterConfigsRequest): void {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('IncrementalAlterConfigs', version, 0, 1)
    writeIncrementalAlterConfigsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): IncrementalAlterConfigsRequest {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('IncrementalAlterConfigs', version, 0, 1)
    return readIncrementalAlterConfigsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: IncrementalAlterConfigsResponse): void {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('IncrementalAlterConfigs', version, 0, 1)
    writeIncrementalAlterConfigsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): IncrementalAlterConfigsResponse {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('IncrementalAlterConfigs', version, 0, 1)
    return readIncrementalAlterConfigsResponse(reader, version)
  },
}

/** The IncrementalAlterConfigs request. */
export interface IncrementalAlterConfigsRequest {
  /** The incremental updates for each resource. (Versions 0+.) */
  resources: IncrementalAlterConfigsRequestAlterConfigsResource[]
  /** True if we should validate the request, but not change the configurations. (Versions 0+.) */
  validateOnly: boolean
}

/** AlterConfigsResource in IncrementalAlterConfigsRequest. */
export interface IncrementalAlterConfigsRequestAlterConfigsResource {
  /** The resource type. (Versions 0+.) */
  resourceType: number
  /** The resource name. (Versions 0+.) */
  resourceName: string
  /** The configurations. (Versions 0+.) */
  configs: IncrementalAlterConfigsRequestAlterableConfig[]
}

/** AlterableConfig in IncrementalAlterConfigsRequest. */
export interface IncrementalAlterConfigsRequestAlterableConfig {
  /** The configuration key name. (Versions 0+.) */
  name: string
  /** The type (Set, Delete, Append, Subtract) of operation. (Versions 0+.) */
  configOperation: number
  /** The value to set for the configuration key. (Versions 0+, nullable 0+.) */
  value: string | null
}

function writeIncrementalAlterConfigsRequest(w: Writer, version: number, s: IncrementalAlterConfigsRequest): void {
  const resources = s.resources
  if (version >= 1) w.writeCompactArrayLength(resources.length)
  else w.writeArrayLength(resources.length)
  for (const item of resources) writeIncrementalAlterConfigsRequestAlterConfigsResource(w, version, item)
  w.writeBoolean(s.validateOnly)
  if (version >= 1) w.writeEmptyTaggedFields()
}

function readIncrementalAlterConfigsRequest(r: Reader, version: number): IncrementalAlterConfigsRequest {
  const resourcesCount = version >= 1 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (resourcesCount === null) throw nullNotAllowed('IncrementalAlterConfigsRequest.resources', version)
  const resources: IncrementalAlterConfigsRequestAlterConfigsResource[] = []
  for (let i = 0; i < resourcesCount; i++)
    resources.push(readIncrementalAlterConfigsRequestAlterConfigsResource(r, version))
  const validateOnly = r.readBoolean()
  if (version >= 1) r.readTaggedFields()
  return { resources, validateOnly }
}

function writeIncrementalAlterConfigsRequestAlterConfigsResource(
  w: Writer,
  version: number,
  s: IncrementalAlterConfigsRequestAlterConfigsResource,
): void {
  w.writeInt8(s.resourceType)
  if (version >= 1) w.writeCompactString(s.resourceName)
  else w.writeString(s.resourceName)
  const configs = s.configs
  if (version >= 1) w.writeCompactArrayLength(configs.length)
  else w.writeArrayLength(configs.length)
  for (const item of configs) writeIncrementalAlterConfigsRequestAlterableConfig(w, version, item)
  if (version >= 1) w.writeEmptyTaggedFields()
}

function readIncrementalAlterConfigsRequestAlterConfigsResource(
  r: Reader,
  version: number,
): IncrementalAlterConfigsRequestAlterConfigsResource {
  const resourceType = r.readInt8()
  const resourceName = version >= 1 ? r.readCompactString() : r.readString()
  const configsCount = version >= 1 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (configsCount === null) throw nullNotAllowed('IncrementalAlterConfigsRequestAlterConfigsResource.configs', version)
  const configs: IncrementalAlterConfigsRequestAlterableConfig[] = []
  for (let i = 0; i < configsCount; i++) configs.push(readIncrementalAlterConfigsRequestAlterableConfig(r, version))
  if (version >= 1) r.readTaggedFields()
  return { resourceType, resourceName, configs }
}

function writeIncrementalAlterConfigsRequestAlterableConfig(
  w: Writer,
  version: number,
  s: IncrementalAlterConfigsRequestAlterableConfig,
): void {
  if (version >= 1) w.writeCompactString(s.name)
  else w.writeString(s.name)
  w.writeInt8(s.configOperation)
  if (version >= 1) w.writeCompactString(s.value)
  else w.writeString(s.value)
  if (version >= 1) w.writeEmptyTaggedFields()
}

function readIncrementalAlterConfigsRequestAlterableConfig(
  r: Reader,
  version: number,
): IncrementalAlterConfigsRequestAlterableConfig {
  const name = version >= 1 ? r.readCompactString() : r.readString()
  const configOperation = r.readInt8()
  const value = version >= 1 ? r.readCompactNullableString() : r.readNullableString()
  if (version >= 1) r.readTaggedFields()
  return { name, configOperation, value }
}

/** The IncrementalAlterConfigs response. */
export interface IncrementalAlterConfigsResponse {
  /**
   * Duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request
   * did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The responses for each resource. (Versions 0+.) */
  responses: IncrementalAlterConfigsResponseAlterConfigsResourceResponse[]
}

/** AlterConfigsResourceResponse in IncrementalAlterConfigsResponse. */
export interface IncrementalAlterConfigsResponseAlterConfigsResourceResponse {
  /** The resource error code. (Versions 0+.) */
  errorCode: number
  /** The resource error message, or null if there was no error. (Versions 0+, nullable 0+.) */
  errorMessage: string | null
  /** The resource type. (Versions 0+.) */
  resourceType: number
  /** The resource name. (Versions 0+.) */
  resourceName: string
}

function writeIncrementalAlterConfigsResponse(w: Writer, version: number, s: IncrementalAlterConfigsResponse): void {
  w.writeInt32(s.throttleTimeMs)
  const responses = s.responses
  if (version >= 1) w.writeCompactArrayLength(responses.length)
  else w.writeArrayLength(responses.length)
  for (const item of responses) writeIncrementalAlterConfigsResponseAlterConfigsResourceResponse(w, version, item)
  if (version >= 1) w.writeEmptyTaggedFields()
}

function readIncrementalAlterConfigsResponse(r: Reader, version: number): IncrementalAlterConfigsResponse {
  const throttleTimeMs = r.readInt32()
  const responsesCount = version >= 1 ? r.readCompactArrayLength(6) : r.readArrayLength(6)
  if (responsesCount === null) throw nullNotAllowed('IncrementalAlterConfigsResponse.responses', version)
  const responses: IncrementalAlterConfigsResponseAlterConfigsResourceResponse[] = []
  for (let i = 0; i < responsesCount; i++)
    responses.push(readIncrementalAlterConfigsResponseAlterConfigsResourceResponse(r, version))
  if (version >= 1) r.readTaggedFields()
  return { throttleTimeMs, responses }
}

function writeIncrementalAlterConfigsResponseAlterConfigsResourceResponse(
  w: Writer,
  version: number,
  s: IncrementalAlterConfigsResponseAlterConfigsResourceResponse,
): void {
  w.writeInt16(s.errorCode)
  if (version >= 1) w.writeCompactString(s.errorMessage)
  else w.writeString(s.errorMessage)
  w.writeInt8(s.resourceType)
  if (version >= 1) w.writeCompactString(s.resourceName)
  else w.writeString(s.resourceName)
  if (version >= 1) w.writeEmptyTaggedFields()
}

function readIncrementalAlterConfigsResponseAlterConfigsResourceResponse(
  r: Reader,
  version: number,
): IncrementalAlterConfigsResponseAlterConfigsResourceResponse {
  const errorCode = r.readInt16()
  const errorMessage = version >= 1 ? r.readCompactNullableString() : r.readNullableString()
  const resourceType = r.readInt8()
  const resourceName = version >= 1 ? r.readCompactString() : r.readString()
  if (version >= 1) r.readTaggedFields()
  return { errorCode, errorMessage, resourceType, resourceName }
}
