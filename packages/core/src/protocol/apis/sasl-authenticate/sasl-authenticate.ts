// Generated from Kafka's SaslAuthenticateRequest.json/SaslAuthenticateResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// SaslAuthenticate (API key 36)
//   valid versions: 0-2
//   flexible versions: 2+
//
// SaslAuthenticate Request (Version: 2) => auth_bytes _tagged_fields
//   auth_bytes => COMPACT_BYTES
//
// SaslAuthenticate Response (Version: 2) => error_code error_message auth_bytes session_lifetime_ms _tagged_fields
//   error_code => INT16
//   error_message => COMPACT_NULLABLE_STRING
//   auth_bytes => COMPACT_BYTES
//   session_lifetime_ms => INT64

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { unsupportedVersion } from '../support.js'

/** SaslAuthenticate (API key 36), versions 0-2. */
export const saslAuthenticate: ApiDefinition<SaslAuthenticateRequest, SaslAuthenticateResponse> = {
  apiKey: 36,
  name: 'SaslAuthenticate',
  minVersion: 0,
  maxVersion: 2,
  firstFlexibleVersion: 2,
  encodeRequest(writer: Writer, version: number, request: SaslAuthenticateRequest): void {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('SaslAuthenticate', version, 0, 2)
    writeSaslAuthenticateRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): SaslAuthenticateRequest {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('SaslAuthenticate', version, 0, 2)
    return readSaslAuthenticateRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: SaslAuthenticateResponse): void {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('SaslAuthenticate', version, 0, 2)
    writeSaslAuthenticateResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): SaslAuthenticateResponse {
    if (!(version >= 0 && version <= 2)) throw unsupportedVersion('SaslAuthenticate', version, 0, 2)
    return readSaslAuthenticateResponse(reader, version)
  },
}

/** The SaslAuthenticate request. */
export interface SaslAuthenticateRequest {
  /** The SASL authentication bytes from the client, as defined by the SASL mechanism. (Versions 0+.) */
  authBytes: Buffer
}

function writeSaslAuthenticateRequest(w: Writer, version: number, s: SaslAuthenticateRequest): void {
  if (version >= 2) w.writeCompactBytes(s.authBytes)
  else w.writeBytes(s.authBytes)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readSaslAuthenticateRequest(r: Reader, version: number): SaslAuthenticateRequest {
  const authBytes = version >= 2 ? r.readCompactBytes() : r.readBytes()
  if (version >= 2) r.readTaggedFields()
  return { authBytes }
}

/** The SaslAuthenticate response. */
export interface SaslAuthenticateResponse {
  /** The error code, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The error message, or null if there was no error. (Versions 0+, nullable 0+.) */
  errorMessage: string | null
  /** The SASL authentication bytes from the server, as defined by the SASL mechanism. (Versions 0+.) */
  authBytes: Buffer
  /**
   * Number of milliseconds after which only re-authentication over the existing connection to create a new session
   * can occur. (Versions 1+, default 0.)
   */
  sessionLifetimeMs?: bigint
}

function writeSaslAuthenticateResponse(w: Writer, version: number, s: SaslAuthenticateResponse): void {
  w.writeInt16(s.errorCode)
  if (version >= 2) w.writeCompactString(s.errorMessage)
  else w.writeString(s.errorMessage)
  if (version >= 2) w.writeCompactBytes(s.authBytes)
  else w.writeBytes(s.authBytes)
  if (version >= 1) w.writeInt64(s.sessionLifetimeMs ?? 0n)
  if (version >= 2) w.writeEmptyTaggedFields()
}

function readSaslAuthenticateResponse(r: Reader, version: number): SaslAuthenticateResponse {
  const errorCode = r.readInt16()
  const errorMessage = version >= 2 ? r.readCompactNullableString() : r.readNullableString()
  const authBytes = version >= 2 ? r.readCompactBytes() : r.readBytes()
  const sessionLifetimeMs = version >= 1 ? r.readInt64() : 0n
  if (version >= 2) r.readTaggedFields()
  return { errorCode, errorMessage, authBytes, sessionLifetimeMs }
}
