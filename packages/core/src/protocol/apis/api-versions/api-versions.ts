// Generated from Kafka's ApiVersionsRequest.json/ApiVersionsResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// ApiVersions (API key 18)
//   valid versions: 0-4
//   flexible versions: 3+
//
// ApiVersions Request (Version: 4) => client_software_name client_software_version _tagged_fields
//   client_software_name => COMPACT_STRING
//   client_software_version => COMPACT_STRING
//
// ApiVersions Response (Version: 4) => error_code [api_keys] throttle_time_ms [<tag 0: supported_features>] <tag 1: finalized_features_epoch> [<tag 2: finalized_features>] <tag 3: zk_migration_ready> _tagged_fields
//   error_code => INT16
//   api_keys => api_key min_version max_version _tagged_fields
//     api_key => INT16
//     min_version => INT16
//     max_version => INT16
//   throttle_time_ms => INT32
//   supported_features => name min_version max_version _tagged_fields
//     name => COMPACT_STRING
//     min_version => INT16
//     max_version => INT16
//   finalized_features_epoch => INT64
//   finalized_features => name max_version_level min_version_level _tagged_fields
//     name => COMPACT_STRING
//     max_version_level => INT16
//     min_version_level => INT16
//   zk_migration_ready => BOOLEAN

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { beginTaggedField, endTaggedField, nullNotAllowed, taggedFieldEnd, unsupportedVersion } from '../support.js'

/** ApiVersions (API key 18), versions 0-4. */
export const apiVersions: ApiDefinition<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 4,
  firstFlexibleVersion: 3,
  encodeRequest(writer: Writer, version: number, request: ApiVersionsRequest): void {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('ApiVersions', version, 0, 4)
    writeApiVersionsRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): ApiVersionsRequest {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('ApiVersions', version, 0, 4)
    return readApiVersionsRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: ApiVersionsResponse): void {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('ApiVersions', version, 0, 4)
    writeApiVersionsResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): ApiVersionsResponse {
    if (!(version >= 0 && version <= 4)) throw unsupportedVersion('ApiVersions', version, 0, 4)
    return readApiVersionsResponse(reader, version)
  },
}

/** The ApiVersions request. */
export interface ApiVersionsRequest {
  /** The name of the client. (Versions 3+.) */
  clientSoftwareName?: string
  /** The version of the client. (Versions 3+.) */
  clientSoftwareVersion?: string
}

function writeApiVersionsRequest(w: Writer, version: number, s: ApiVersionsRequest): void {
  if (version >= 3) w.writeCompactString(s.clientSoftwareName ?? '')
  if (version >= 3) w.writeCompactString(s.clientSoftwareVersion ?? '')
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readApiVersionsRequest(r: Reader, version: number): ApiVersionsRequest {
  const clientSoftwareName = version >= 3 ? r.readCompactString() : ''
  const clientSoftwareVersion = version >= 3 ? r.readCompactString() : ''
  if (version >= 3) r.readTaggedFields()
  return { clientSoftwareName, clientSoftwareVersion }
}

/** The ApiVersions response. */
export interface ApiVersionsResponse {
  /** The top-level error code. (Versions 0+.) */
  errorCode: number
  /** The APIs supported by the broker. (Versions 0+.) */
  apiKeys: ApiVersionsResponseApiVersion[]
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 1+.)
   */
  throttleTimeMs?: number
  /**
   * Features supported by the broker. Note: in v0-v3, features with MinSupportedVersion = 0 are omitted. (Versions
   * 3+, tagged (tag 0) 3+.)
   */
  supportedFeatures?: ApiVersionsResponseSupportedFeatureKey[]
  /**
   * The monotonically increasing epoch for the finalized features information. Valid values are >= 0. A value of
   * -1 is special and represents unknown epoch. (Versions 3+, tagged (tag 1) 3+, default -1.)
   */
  finalizedFeaturesEpoch?: bigint
  /**
   * List of cluster-wide finalized features. The information is valid only if FinalizedFeaturesEpoch >= 0.
   * (Versions 3+, tagged (tag 2) 3+.)
   */
  finalizedFeatures?: ApiVersionsResponseFinalizedFeatureKey[]
  /**
   * Set by a KRaft controller if the required configurations for ZK migration are present. (Versions 3+, tagged
   * (tag 3) 3+, default false.)
   */
  zkMigrationReady?: boolean
}

/** ApiVersion in ApiVersionsResponse. */
export interface ApiVersionsResponseApiVersion {
  /** The API index. (Versions 0+.) */
  apiKey: number
  /** The minimum supported version, inclusive. (Versions 0+.) */
  minVersion: number
  /** The maximum supported version, inclusive. (Versions 0+.) */
  maxVersion: number
}

/** SupportedFeatureKey in ApiVersionsResponse. */
export interface ApiVersionsResponseSupportedFeatureKey {
  /** The name of the feature. (Versions 3+.) */
  name?: string
  /** The minimum supported version for the feature. (Versions 3+.) */
  minVersion?: number
  /** The maximum supported version for the feature. (Versions 3+.) */
  maxVersion?: number
}

/** FinalizedFeatureKey in ApiVersionsResponse. */
export interface ApiVersionsResponseFinalizedFeatureKey {
  /** The name of the feature. (Versions 3+.) */
  name?: string
  /** The cluster-wide finalized max version level for the feature. (Versions 3+.) */
  maxVersionLevel?: number
  /** The cluster-wide finalized min version level for the feature. (Versions 3+.) */
  minVersionLevel?: number
}

function writeApiVersionsResponse(w: Writer, version: number, s: ApiVersionsResponse): void {
  w.writeInt16(s.errorCode)
  const apiKeys = s.apiKeys
  if (version >= 3) w.writeCompactArrayLength(apiKeys.length)
  else w.writeArrayLength(apiKeys.length)
  for (const item of apiKeys) writeApiVersionsResponseApiVersion(w, version, item)
  if (version >= 1) w.writeInt32(s.throttleTimeMs ?? 0)
  if (version >= 3) {
    const supportedFeaturesTagged = s.supportedFeatures
    const hasSupportedFeatures = supportedFeaturesTagged !== undefined && supportedFeaturesTagged.length !== 0
    const finalizedFeaturesEpochTagged = s.finalizedFeaturesEpoch
    const hasFinalizedFeaturesEpoch = finalizedFeaturesEpochTagged !== undefined && finalizedFeaturesEpochTagged !== -1n
    const finalizedFeaturesTagged = s.finalizedFeatures
    const hasFinalizedFeatures = finalizedFeaturesTagged !== undefined && finalizedFeaturesTagged.length !== 0
    const zkMigrationReadyTagged = s.zkMigrationReady
    const hasZkMigrationReady = zkMigrationReadyTagged !== undefined && zkMigrationReadyTagged !== false
    w.writeUnsignedVarInt(
      (hasSupportedFeatures ? 1 : 0) +
        (hasFinalizedFeaturesEpoch ? 1 : 0) +
        (hasFinalizedFeatures ? 1 : 0) +
        (hasZkMigrationReady ? 1 : 0),
    )
    if (hasSupportedFeatures) {
      const at = beginTaggedField(w, 0)
      w.writeCompactArrayLength(supportedFeaturesTagged.length)
      for (const item of supportedFeaturesTagged) writeApiVersionsResponseSupportedFeatureKey(w, version, item)
      endTaggedField(w, at)
    }
    if (hasFinalizedFeaturesEpoch) {
      const at = beginTaggedField(w, 1)
      w.writeInt64(finalizedFeaturesEpochTagged)
      endTaggedField(w, at)
    }
    if (hasFinalizedFeatures) {
      const at = beginTaggedField(w, 2)
      w.writeCompactArrayLength(finalizedFeaturesTagged.length)
      for (const item of finalizedFeaturesTagged) writeApiVersionsResponseFinalizedFeatureKey(w, version, item)
      endTaggedField(w, at)
    }
    if (hasZkMigrationReady) {
      const at = beginTaggedField(w, 3)
      w.writeBoolean(zkMigrationReadyTagged)
      endTaggedField(w, at)
    }
  }
}

function readApiVersionsResponse(r: Reader, version: number): ApiVersionsResponse {
  const errorCode = r.readInt16()
  const apiKeysCount = version >= 3 ? r.readCompactArrayLength(6) : r.readArrayLength(6)
  if (apiKeysCount === null) throw nullNotAllowed('ApiVersionsResponse.apiKeys', version)
  const apiKeys: ApiVersionsResponseApiVersion[] = []
  for (let i = 0; i < apiKeysCount; i++) apiKeys.push(readApiVersionsResponseApiVersion(r, version))
  const throttleTimeMs = version >= 1 ? r.readInt32() : 0
  let supportedFeatures: ApiVersionsResponseSupportedFeatureKey[] = []
  let finalizedFeaturesEpoch: bigint = -1n
  let finalizedFeatures: ApiVersionsResponseFinalizedFeatureKey[] = []
  let zkMigrationReady: boolean = false
  if (version >= 3) {
    for (let tagCount = r.readUnsignedVarInt(); tagCount > 0; tagCount--) {
      const tag = r.readUnsignedVarInt()
      const outerEnd = r.end
      const fieldEnd = taggedFieldEnd(r, r.readUnsignedVarInt())
      r.end = fieldEnd
      if (tag === 0) {
        const supportedFeaturesCount = r.readCompactArrayLength(6)
        if (supportedFeaturesCount === null) throw nullNotAllowed('ApiVersionsResponse.supportedFeatures', version)
        const supportedFeaturesItems: ApiVersionsResponseSupportedFeatureKey[] = []
        for (let i = 0; i < supportedFeaturesCount; i++)
          supportedFeaturesItems.push(readApiVersionsResponseSupportedFeatureKey(r, version))
        supportedFeatures = supportedFeaturesItems
      } else if (tag === 1) {
        finalizedFeaturesEpoch = r.readInt64()
      } else if (tag === 2) {
        const finalizedFeaturesCount = r.readCompactArrayLength(6)
        if (finalizedFeaturesCount === null) throw nullNotAllowed('ApiVersionsResponse.finalizedFeatures', version)
        const finalizedFeaturesItems: ApiVersionsResponseFinalizedFeatureKey[] = []
        for (let i = 0; i < finalizedFeaturesCount; i++)
          finalizedFeaturesItems.push(readApiVersionsResponseFinalizedFeatureKey(r, version))
        finalizedFeatures = finalizedFeaturesItems
      } else if (tag === 3) {
        zkMigrationReady = r.readBoolean()
      }
      r.end = outerEnd
      r.offset = fieldEnd
    }
  }
  return {
    errorCode,
    apiKeys,
    throttleTimeMs,
    supportedFeatures,
    finalizedFeaturesEpoch,
    finalizedFeatures,
    zkMigrationReady,
  }
}

function writeApiVersionsResponseApiVersion(w: Writer, version: number, s: ApiVersionsResponseApiVersion): void {
  w.writeInt16(s.apiKey)
  w.writeInt16(s.minVersion)
  w.writeInt16(s.maxVersion)
  if (version >= 3) w.writeEmptyTaggedFields()
}

function readApiVersionsResponseApiVersion(r: Reader, version: number): ApiVersionsResponseApiVersion {
  const apiKey = r.readInt16()
  const minVersion = r.readInt16()
  const maxVersion = r.readInt16()
  if (version >= 3) r.readTaggedFields()
  return { apiKey, minVersion, maxVersion }
}

function writeApiVersionsResponseSupportedFeatureKey(
  w: Writer,
  _version: number,
  s: ApiVersionsResponseSupportedFeatureKey,
): void {
  w.writeCompactString(s.name ?? '')
  w.writeInt16(s.minVersion ?? 0)
  w.writeInt16(s.maxVersion ?? 0)
  w.writeEmptyTaggedFields()
}

function readApiVersionsResponseSupportedFeatureKey(
  r: Reader,
  _version: number,
): ApiVersionsResponseSupportedFeatureKey {
  const name = r.readCompactString()
  const minVersion = r.readInt16()
  const maxVersion = r.readInt16()
  r.readTaggedFields()
  return { name, minVersion, maxVersion }
}

function writeApiVersionsResponseFinalizedFeatureKey(
  w: Writer,
  _version: number,
  s: ApiVersionsResponseFinalizedFeatureKey,
): void {
  w.writeCompactString(s.name ?? '')
  w.writeInt16(s.maxVersionLevel ?? 0)
  w.writeInt16(s.minVersionLevel ?? 0)
  w.writeEmptyTaggedFields()
}

function readApiVersionsResponseFinalizedFeatureKey(
  r: Reader,
  _version: number,
): ApiVersionsResponseFinalizedFeatureKey {
  const name = r.readCompactString()
  const maxVersionLevel = r.readInt16()
  const minVersionLevel = r.readInt16()
  r.readTaggedFields()
  return { name, maxVersionLevel, minVersionLevel }
}
