// Generated from Kafka's DescribeClusterRequest.json/DescribeClusterResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// DescribeCluster (API key 60)
//   valid versions: 0-1
//   flexible versions: 0+
//
// DescribeCluster Request (Version: 1) => include_cluster_authorized_operations endpoint_type _tagged_fields
//   include_cluster_authorized_operations => BOOLEAN
//   endpoint_type => INT8
//
// DescribeCluster Response (Version: 1) => throttle_time_ms error_code error_message endpoint_type cluster_id controller_id [brokers] cluster_authorized_operations _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   error_message => COMPACT_NULLABLE_STRING
//   endpoint_type => INT8
//   cluster_id => COMPACT_STRING
//   controller_id => INT32
//   brokers => broker_id host port rack _tagged_fields
//     broker_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//   cluster_authorized_operations => INT32

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** DescribeCluster (API key 60), versions 0-1. */
export const describeCluster: ApiDefinition<DescribeClusterRequest, DescribeClusterResponse> = {
  apiKey: 60,
  name: 'DescribeCluster',
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: 0,
  encodeRequest(writer: Writer, version: number, request: DescribeClusterRequest): void {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('DescribeCluster', version, 0, 1)
    writeDescribeClusterRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): DescribeClusterRequest {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('DescribeCluster', version, 0, 1)
    return readDescribeClusterRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: DescribeClusterResponse): void {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('DescribeCluster', version, 0, 1)
    writeDescribeClusterResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): DescribeClusterResponse {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('DescribeCluster', version, 0, 1)
    return readDescribeClusterResponse(reader, version)
  },
}

/** The DescribeCluster request. */
export interface DescribeClusterRequest {
  /** Whether to include cluster authorized operations. (Versions 0+.) */
  includeClusterAuthorizedOperations: boolean
  /** The endpoint type to describe. 1=brokers, 2=controllers. (Versions 1+, default 1.) */
  endpointType?: number
}

function writeDescribeClusterRequest(w: Writer, version: number, s: DescribeClusterRequest): void {
  w.writeBoolean(s.includeClusterAuthorizedOperations)
  if (version >= 1) w.writeInt8(s.endpointType ?? 1)
  w.writeEmptyTaggedFields()
}

function readDescribeClusterRequest(r: Reader, version: number): DescribeClusterRequest {
  const includeClusterAuthorizedOperations = r.readBoolean()
  const endpointType = version >= 1 ? r.readInt8() : 1
  r.readTaggedFields()
  return { includeClusterAuthorizedOperations, endpointType }
}

/** The DescribeCluster response. */
export interface DescribeClusterResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** The top-level error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The top-level error message, or null if there was no error. (Versions 0+, nullable 0+, default null.) */
  errorMessage: string | null
  /** The endpoint type that was described. 1=brokers, 2=controllers. (Versions 1+, default 1.) */
  endpointType?: number
  /** The cluster ID that responding broker belongs to. (Versions 0+.) */
  clusterId: string
  /** The ID of the controller broker. (Versions 0+, default -1.) */
  controllerId: number
  /** Each broker in the response. (Versions 0+.) */
  brokers: DescribeClusterResponseDescribeClusterBroker[]
  /** 32-bit bitfield to represent authorized operations for this cluster. (Versions 0+, default -2147483648.) */
  clusterAuthorizedOperations: number
}

/** DescribeClusterBroker in DescribeClusterResponse. */
export interface DescribeClusterResponseDescribeClusterBroker {
  /** The broker ID. (Versions 0+.) */
  brokerId: number
  /** The broker hostname. (Versions 0+.) */
  host: string
  /** The broker port. (Versions 0+.) */
  port: number
  /**
   * The rack of the broker, or null if it has not been assigned to a rack. (Versions 0+, nullable 0+, default
   * null.)
   */
  rack: string | null
}

function writeDescribeClusterResponse(w: Writer, version: number, s: DescribeClusterResponse): void {
  w.writeInt32(s.throttleTimeMs)
  w.writeInt16(s.errorCode)
  w.writeCompactString(s.errorMessage)
  if (version >= 1) w.writeInt8(s.endpointType ?? 1)
  w.writeCompactString(s.clusterId)
  w.writeInt32(s.controllerId)
  const brokers = s.brokers
  w.writeCompactArrayLength(brokers.length)
  for (const item of brokers) writeDescribeClusterResponseDescribeClusterBroker(w, version, item)
  w.writeInt32(s.clusterAuthorizedOperations)
  w.writeEmptyTaggedFields()
}

function readDescribeClusterResponse(r: Reader, version: number): DescribeClusterResponse {
  const throttleTimeMs = r.readInt32()
  const errorCode = r.readInt16()
  const errorMessage = r.readCompactNullableString()
  const endpointType = version >= 1 ? r.readInt8() : 1
  const clusterId = r.readCompactString()
  const controllerId = r.readInt32()
  const brokersCount = r.readCompactArrayLength(11)
  if (brokersCount === null) throw nullNotAllowed('DescribeClusterResponse.brokers', version)
  const brokers: DescribeClusterResponseDescribeClusterBroker[] = []
  for (let i = 0; i < brokersCount; i++) brokers.push(readDescribeClusterResponseDescribeClusterBroker(r, version))
  const clusterAuthorizedOperations = r.readInt32()
  r.readTaggedFields()
  return {
    throttleTimeMs,
    errorCode,
    errorMessage,
    endpointType,
    clusterId,
    controllerId,
    brokers,
    clusterAuthorizedOperations,
  }
}

function writeDescribeClusterResponseDescribeClusterBroker(
  w: Writer,
  _version: number,
  s: DescribeClusterResponseDescribeClusterBroker,
): void {
  w.writeInt32(s.brokerId)
  w.writeCompactString(s.host)
  w.writeInt32(s.port)
  w.writeCompactString(s.rack)
  w.writeEmptyTaggedFields()
}

function readDescribeClusterResponseDescribeClusterBroker(
  r: Reader,
  _version: number,
): DescribeClusterResponseDescribeClusterBroker {
  const brokerId = r.readInt32()
  const host = r.readCompactString()
  const port = r.readInt32()
  const rack = r.readCompactNullableString()
  r.readTaggedFields()
  return { brokerId, host, port, rack }
}
