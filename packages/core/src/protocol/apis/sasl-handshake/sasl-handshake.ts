// Generated from Kafka's SaslHandshakeRequest.json/SaslHandshakeResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// SaslHandshake (API key 17)
//   valid versions: 0-1 (deprecated: 0)
//   flexible versions: none
//
// SaslHandshake Request (Version: 1) => mechanism
//   mechanism => STRING
//
// SaslHandshake Response (Version: 1) => error_code [mechanisms]
//   error_code => INT16
//   mechanisms => STRING

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** SaslHandshake (API key 17), versions 0-1. */
export const saslHandshake: ApiDefinition<SaslHandshakeRequest, SaslHandshakeResponse> = {
  apiKey: 17,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  firstFlexibleVersion: Number.POSITIVE_INFINITY,
  encodeRequest(writer: Writer, version: number, request: SaslHandshakeRequest): void {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('SaslHandshake', version, 0, 1)
    writeSaslHandshakeRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): SaslHandshakeRequest {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('SaslHandshake', version, 0, 1)
    return readSaslHandshakeRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: SaslHandshakeResponse): void {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('SaslHandshake', version, 0, 1)
    writeSaslHandshakeResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): SaslHandshakeResponse {
    if (!(version >= 0 && version <= 1)) throw unsupportedVersion('SaslHandshake', version, 0, 1)
    return readSaslHandshakeResponse(reader, version)
  },
}

/** The SaslHandshake request. */
export interface SaslHandshakeRequest {
  /** The SASL mechanism chosen by the client. (Versions 0+.) */
  mechanism: string
}

function writeSaslHandshakeRequest(w: Writer, _version: number, s: SaslHandshakeRequest): void {
  w.writeString(s.mechanism)
}

function readSaslHandshakeRequest(r: Reader, _version: number): SaslHandshakeRequest {
  const mechanism = r.readString()
  return { mechanism }
}

/** The SaslHandshake response. */
export interface SaslHandshakeResponse {
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The mechanisms enabled in the server. (Versions 0+.) */
  mechanisms: string[]
}

function writeSaslHandshakeResponse(w: Writer, _version: number, s: SaslHandshakeResponse): void {
  w.writeInt16(s.errorCode)
  const mechanisms = s.mechanisms
  w.writeArrayLength(mechanisms.length)
  for (const item of mechanisms) w.writeString(item)
}

function readSaslHandshakeResponse(r: Reader, version: number): SaslHandshakeResponse {
  const errorCode = r.readInt16()
  const mechanismsCount = r.readArrayLength(2)
  if (mechanismsCount === null) throw nullNotAllowed('SaslHandshakeResponse.mechanisms', version)
  const mechanisms: string[] = []
  for (let i = 0; i < mechanismsCount; i++) mechanisms.push(r.readString())
  return { errorCode, mechanisms }
}
