import type { ApiDefinition } from './apis/api-definition.js'
import { ApiKeys, apiByKey } from './apis/index.js'
import type { Reader } from './buffer/reader.js'
import type { Writer } from './buffer/writer.js'

/** The fields of a request header (versions 1 and 2; version 0, without a client id, is not used). */
export interface RequestHeader {
  apiKey: number
  apiVersion: number
  correlationId: number
  clientId: string | null
}

/** A request header as read from the wire, with the header version it was read as. */
export interface DecodedRequestHeader extends RequestHeader {
  /** 2 when the API version is flexible, else 1 (also 1 for an unknown API key). */
  headerVersion: number
}

/** What the header functions need to know about an API. */
export type ApiHeaderInfo = Pick<ApiDefinition<unknown, unknown>, 'apiKey' | 'firstFlexibleVersion'>

/** The request header version for a version of an API: 2 when the version is flexible, else 1. */
export function requestHeaderVersion(api: ApiHeaderInfo, version: number): number {
  return version >= api.firstFlexibleVersion ? 2 : 1
}

/**
 * The response header version for a version of an API: 1 when the version is flexible, else 0. The
 * ApiVersions response always has header version 0, so that a client can read it before it knows
 * which versions the broker supports.
 */
export function responseHeaderVersion(api: ApiHeaderInfo, version: number): number {
  if (api.apiKey === ApiKeys.ApiVersions) return 0
  return version >= api.firstFlexibleVersion ? 1 : 0
}

/** Writes a request header. The client id is a (non-compact) nullable string in every version. */
export function writeRequestHeader(w: Writer, headerVersion: number, header: RequestHeader): void {
  w.writeInt16(header.apiKey)
  w.writeInt16(header.apiVersion)
  w.writeInt32(header.correlationId)
  if (headerVersion >= 1) w.writeString(header.clientId)
  if (headerVersion >= 2) w.writeEmptyTaggedFields()
}

/**
 * Reads a request header. A broker learns whether the header has a tagged-field section only from
 * the API key and version in it, so they are read first; the tagged fields are skipped when that
 * version is flexible (versions above the highest known one count as flexible when the API has
 * flexible versions, as in Kafka). An unknown API key is not an error here: its header is read as
 * version 1.
 */
export function readRequestHeader(r: Reader): DecodedRequestHeader {
  const apiKey = r.readInt16()
  const apiVersion = r.readInt16()
  const correlationId = r.readInt32()
  const clientId = r.readNullableString()
  const api = apiByKey(apiKey)
  const headerVersion = api === undefined ? 1 : requestHeaderVersion(api, apiVersion)
  if (headerVersion >= 2) r.readTaggedFields()
  return { apiKey, apiVersion, correlationId, clientId, headerVersion }
}

/** Writes a response header. */
export function writeResponseHeader(w: Writer, headerVersion: number, correlationId: number): void {
  w.writeInt32(correlationId)
  if (headerVersion >= 1) w.writeEmptyTaggedFields()
}

/** Reads a response header and returns its correlation id. */
export function readResponseHeader(r: Reader, headerVersion: number): number {
  const correlationId = r.readInt32()
  if (headerVersion >= 1) r.readTaggedFields()
  return correlationId
}
