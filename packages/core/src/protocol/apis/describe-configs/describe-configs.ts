// Generated from Kafka's DescribeConfigsRequest.json/DescribeConfigsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// DescribeConfigs (API key 32)
//   valid versions: 0-4 (deprecated: 0)
//   flexible versions: 4+
//
// DescribeConfigs Request (Version: 4) => [resources] include_synonyms include_documentation _tagged_fields
//   resources => resource_type resource_name [configuration_keys] _tagged_fields
//     resource_type => INT8
//     resource_name => COMPACT_STRING
//     configuration_keys => COMPACT_STRING
//   include_synonyms => BOOLEAN
//   include_documentation => BOOLEAN
//
// DescribeConfigs Response (Version: 4) => throttle_time_ms [results] _tagged_fields
//   throttle_time_ms => INT32
//   results => error_code error_message resource_type resource_name [configs] _tagged_fields
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//     resource_type => INT8
//     resource_name => COMPACT_STRING
//     configs => name value read_only config_source is_sensitive [synonyms] config_type documentation _tagged_fields
//       name => COMPACT_STRING
//       value => COMPACT_NULLABLE_STRING
//       read_only => BOOLEAN
//       config_source => INT8
//       is_sensitive => BOOLEAN
//       synonyms => name value source _tagged_fields
//         name => COMPACT_STRING
//         value => COMPACT_NULLABLE_STRING
//         source => INT8
//       config_type => INT8
//       documentation => COMPACT_NULLABLE_STRING

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { EMPTY_ARRAY, nullNotAllowed, unsupportedVersion } from '../support.js'

/** DescribeConfigs (API key 32), versions 0-4. */
export const describeConfigs: ApiDefinition<DescribeConfigsRequest, DescribeConfigsResponse> = {
  apiKey: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 4,
  encodeRequest(writer: Writer, version: number, request: DescribeConfigsRequest): void {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('DescribeConfigs', version, 0, 4)
    writeDescribeConfigsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): DescribeConfigsRequest {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('DescribeConfigs', version, 0, 4)
    return readDescribeConfigsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: DescribeConfigsResponse): void {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('DescribeConfigs', version, 0, 4)
    writeDescribeConfigsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): DescribeConfigsResponse {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('DescribeConfigs', version, 0, 4)
    return readDescribeConfigsResponse(reader, version)
  },
}

/** The DescribeConfigs request. */
export interface DescribeConfigsRequest {
  /** The resources whose configurations we want to describe. (Versions 0+.) */
  resources: DescribeConfigsRequestDescribeConfigsResource[]
  /** True if we should include all synonyms. (Versions 1+, default false.) */
  includeSynonyms?: boolean
  /** True if we should include configuration documentation. (Versions 3+, default false.) */
  includeDocumentation?: boolean
}

/** DescribeConfigsResource in DescribeConfigsRequest. */
export interface DescribeConfigsRequestDescribeConfigsResource {
  /** The resource type. (Versions 0+.) */
  resourceType: number
  /** The resource name. (Versions 0+.) */
  resourceName: string
  /** The configuration keys to list, or null to list all configuration keys. (Versions 0+, nullable 0+.) */
  configurationKeys: string[] | null
}

function writeDescribeConfigsRequest(w: Writer, version: number, s: DescribeConfigsRequest): void {
  const resources = s.resources
  if (version >= 4) w.writeCompactArrayLength(resources.length)
  else w.writeArrayLength(resources.length)
  for (const item of resources) writeDescribeConfigsRequestDescribeConfigsResource(w, version, item)
  if (version >= 1) w.writeBoolean(s.includeSynonyms ?? false)
  if (version >= 3) w.writeBoolean(s.includeDocumentation ?? false)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readDescribeConfigsRequest(r: Reader, version: number): DescribeConfigsRequest {
  const resourcesCount = version >= 4 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
  if (resourcesCount === null) throw nullNotAllowed('DescribeConfigsRequest.resources', version)
  const resources: DescribeConfigsRequestDescribeConfigsResource[] = []
  for (let i = 0; i < resourcesCount; i++) resources.push(readDescribeConfigsRequestDescribeConfigsResource(r, version))
  const includeSynonyms = version >= 1 ? r.readBoolean() : false
  const includeDocumentation = version >= 3 ? r.readBoolean() : false
  if (version >= 4) r.readTaggedFields()
  return { resources, includeSynonyms, includeDocumentation }
}

function writeDescribeConfigsRequestDescribeConfigsResource(
  w: Writer,
  version: number,
  s: DescribeConfigsRequestDescribeConfigsResource,
): void {
  w.writeInt8(s.resourceType)
  if (version >= 4) w.writeCompactString(s.resourceName)
  else w.writeString(s.resourceName)
  const configurationKeys = s.configurationKeys
  if (version >= 4) {
    w.writeCompactArrayLength(configurationKeys === null ? null : configurationKeys.length)
    if (configurationKeys !== null) for (const item of configurationKeys) w.writeCompactString(item)
  } else {
    w.writeArrayLength(configurationKeys === null ? null : configurationKeys.length)
    if (configurationKeys !== null) for (const item of configurationKeys) w.writeString(item)
  }
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readDescribeConfigsRequestDescribeConfigsResource(
  r: Reader,
  version: number,
): DescribeConfigsRequestDescribeConfigsResource {
  const resourceType = r.readInt8()
  const resourceName = version >= 4 ? r.readCompactString() : r.readString()
  let configurationKeys: string[] | null
  const configurationKeysCount = version >= 4 ? r.readCompactArrayLength(1) : r.readArrayLength(1)
  if (configurationKeysCount === null) configurationKeys = null
  else {
    const configurationKeysItems: string[] = []
    for (let i = 0; i < configurationKeysCount; i++)
      configurationKeysItems.push(version >= 4 ? r.readCompactString() : r.readString())
    configurationKeys = configurationKeysItems
  }
  if (version >= 4) r.readTaggedFields()
  return { resourceType, resourceName, configurationKeys }
}

/** The DescribeConfigs response. */
export interface DescribeConfigsResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The results for each resource. (Versions 0+.) */
  results: DescribeConfigsResponseDescribeConfigsResult[]
}

/** DescribeConfigsResult in DescribeConfigsResponse. */
export interface DescribeConfigsResponseDescribeConfigsResult {
  /** The error code, or 0 if we were able to successfully describe the configurations. (Versions 0+.) */
  errorCode: number
  /**
   * The error message, or null if we were able to successfully describe the configurations. (Versions 0+, nullable
   * 0+.)
   */
  errorMessage: string | null
  /** The resource type. (Versions 0+.) */
  resourceType: number
  /** The resource name. (Versions 0+.) */
  resourceName: string
  /** Each listed configuration. (Versions 0+.) */
  configs: DescribeConfigsResponseDescribeConfigsResourceResult[]
}

/** DescribeConfigsResourceResult in DescribeConfigsResponse. */
export interface DescribeConfigsResponseDescribeConfigsResourceResult {
  /** The configuration name. (Versions 0+.) */
  name: string
  /** The configuration value. (Versions 0+, nullable 0+.) */
  value: string | null
  /** True if the configuration is read-only. (Versions 0+.) */
  readOnly: boolean
  /** True if the configuration is not set. (Versions 0.) */
  isDefault?: boolean
  /** The configuration source. (Versions 1+, default -1.) */
  configSource?: number
  /** True if this configuration is sensitive. (Versions 0+.) */
  isSensitive: boolean
  /** The synonyms for this configuration key. (Versions 1+.) */
  synonyms?: DescribeConfigsResponseDescribeConfigsSynonym[]
  /**
   * The configuration data type. Type can be one of the following values - BOOLEAN, STRING, INT, SHORT, LONG,
   * DOUBLE, LIST, CLASS, PASSWORD. (Versions 3+, default 0.)
   */
  configType?: number
  /** The configuration documentation. (Versions 3+, nullable 0+.) */
  documentation?: string | null
}

/** DescribeConfigsSynonym in DescribeConfigsResponse. */
export interface DescribeConfigsResponseDescribeConfigsSynonym {
  /** The synonym name. (Versions 1+.) */
  name?: string
  /** The synonym value. (Versions 1+, nullable 0+.) */
  value?: string | null
  /** The synonym source. (Versions 1+.) */
  source?: number
}

function writeDescribeConfigsResponse(w: Writer, version: number, s: DescribeConfigsResponse): void {
  w.writeInt32(s.throttleTimeMs)
  const results = s.results
  if (version >= 4) w.writeCompactArrayLength(results.length)
  else w.writeArrayLength(results.length)
  for (const item of results) writeDescribeConfigsResponseDescribeConfigsResult(w, version, item)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readDescribeConfigsResponse(r: Reader, version: number): DescribeConfigsResponse {
  const throttleTimeMs = r.readInt32()
  const resultsCount = version >= 4 ? r.readCompactArrayLength(7) : r.readArrayLength(7)
  if (resultsCount === null) throw nullNotAllowed('DescribeConfigsResponse.results', version)
  const results: DescribeConfigsResponseDescribeConfigsResult[] = []
  for (let i = 0; i < resultsCount; i++) results.push(readDescribeConfigsResponseDescribeConfigsResult(r, version))
  if (version >= 4) r.readTaggedFields()
  return { throttleTimeMs, results }
}

function writeDescribeConfigsResponseDescribeConfigsResult(
  w: Writer,
  version: number,
  s: DescribeConfigsResponseDescribeConfigsResult,
): void {
  w.writeInt16(s.errorCode)
  if (version >= 4) w.writeCompactString(s.errorMessage)
  else w.writeString(s.errorMessage)
  w.writeInt8(s.resourceType)
  if (version >= 4) w.writeCompactString(s.resourceName)
  else w.writeString(s.resourceName)
  const configs = s.configs
  if (version >= 4) w.writeCompactArrayLength(configs.length)
  else w.writeArrayLength(configs.length)
  for (const item of configs) writeDescribeConfigsResponseDescribeConfigsResourceResult(w, version, item)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readDescribeConfigsResponseDescribeConfigsResult(
  r: Reader,
  version: number,
): DescribeConfigsResponseDescribeConfigsResult {
  const errorCode = r.readInt16()
  const errorMessage = version >= 4 ? r.readCompactNullableString() : r.readNullableString()
  const resourceType = r.readInt8()
  const resourceName = version >= 4 ? r.readCompactString() : r.readString()
  const configsCount = version >= 4 ? r.readCompactArrayLength(7) : r.readArrayLength(7)
  if (configsCount === null) throw nullNotAllowed('DescribeConfigsResponseDescribeConfigsResult.configs', version)
  const configs: DescribeConfigsResponseDescribeConfigsResourceResult[] = []
  for (let i = 0; i < configsCount; i++)
    configs.push(readDescribeConfigsResponseDescribeConfigsResourceResult(r, version))
  if (version >= 4) r.readTaggedFields()
  return { errorCode, errorMessage, resourceType, resourceName, configs }
}

function writeDescribeConfigsResponseDescribeConfigsResourceResult(
  w: Writer,
  version: number,
  s: DescribeConfigsResponseDescribeConfigsResourceResult,
): void {
  if (version >= 4) w.writeCompactString(s.name)
  else w.writeString(s.name)
  if (version >= 4) w.writeCompactString(s.value)
  else w.writeString(s.value)
  w.writeBoolean(s.readOnly)
  if (version <= 0) w.writeBoolean(s.isDefault ?? false)
  if (version >= 1) w.writeInt8(s.configSource ?? -1)
  w.writeBoolean(s.isSensitive)
  if (version >= 1) {
    const synonyms = s.synonyms ?? EMPTY_ARRAY
    if (version >= 4) w.writeCompactArrayLength(synonyms.length)
    else w.writeArrayLength(synonyms.length)
    for (const item of synonyms) writeDescribeConfigsResponseDescribeConfigsSynonym(w, version, item)
  }
  if (version >= 3) w.writeInt8(s.configType ?? 0)
  if (version >= 3) {
    if (version >= 4) w.writeCompactString(s.documentation ?? null)
    else w.writeString(s.documentation ?? null)
  }
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readDescribeConfigsResponseDescribeConfigsResourceResult(
  r: Reader,
  version: number,
): DescribeConfigsResponseDescribeConfigsResourceResult {
  const name = version >= 4 ? r.readCompactString() : r.readString()
  const value = version >= 4 ? r.readCompactNullableString() : r.readNullableString()
  const readOnly = r.readBoolean()
  const isDefault = version >= 1 ? false : r.readBoolean()
  const configSource = version >= 1 ? r.readInt8() : -1
  const isSensitive = r.readBoolean()
  let synonyms: DescribeConfigsResponseDescribeConfigsSynonym[]
  if (version >= 1) {
    const synonymsCount = version >= 4 ? r.readCompactArrayLength(4) : r.readArrayLength(4)
    if (synonymsCount === null)
      throw nullNotAllowed('DescribeConfigsResponseDescribeConfigsResourceResult.synonyms', version)
    const synonymsItems: DescribeConfigsResponseDescribeConfigsSynonym[] = []
    for (let i = 0; i < synonymsCount; i++)
      synonymsItems.push(readDescribeConfigsResponseDescribeConfigsSynonym(r, version))
    synonyms = synonymsItems
  } else synonyms = []
  const configType = version >= 3 ? r.readInt8() : 0
  const documentation: string | null =
    version >= 4 ? r.readCompactNullableString() : version >= 3 ? r.readNullableString() : null
  if (version >= 4) r.readTaggedFields()
  return { name, value, readOnly, isDefault, configSource, isSensitive, synonyms, configType, documentation }
}

function writeDescribeConfigsResponseDescribeConfigsSynonym(
  w: Writer,
  version: number,
  s: DescribeConfigsResponseDescribeConfigsSynonym,
): void {
  if (version >= 4) w.writeCompactString(s.name ?? '')
  else w.writeString(s.name ?? '')
  if (version >= 4) w.writeCompactString(s.value ?? null)
  else w.writeString(s.value ?? null)
  w.writeInt8(s.source ?? 0)
  if (version >= 4) w.writeEmptyTaggedFields()
}

function readDescribeConfigsResponseDescribeConfigsSynonym(
  r: Reader,
  version: number,
): DescribeConfigsResponseDescribeConfigsSynonym {
  const name = version >= 4 ? r.readCompactString() : r.readString()
  const value = version >= 4 ? r.readCompactNullableString() : r.readNullableString()
  const source = r.readInt8()
  if (version >= 4) r.readTaggedFields()
  return { name, value, source }
}
