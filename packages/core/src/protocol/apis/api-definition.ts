import type { Reader } from '../buffer/reader.js'
import type { Writer } from '../buffer/writer.js'

/**
 * One Kafka API, both directions, every supported version: a client encodes requests and decodes
 * responses; a broker (the mock cluster) decodes requests and encodes responses.
 */
export interface ApiDefinition<Request, Response> {
  /** The API key, e.g. 0 for Produce. */
  readonly apiKey: number
  /** Kafka's name for the API, e.g. 'Produce'. */
  readonly name: string
  /** Lowest version this definition can encode and decode. */
  readonly minVersion: number
  /** Highest version this definition can encode and decode. */
  readonly maxVersion: number
  /** First flexible version (compact types, tagged fields, header v2/v1), or Infinity if none. */
  readonly firstFlexibleVersion: number
  /** Writes a request body (no header) for `version`. */
  encodeRequest(writer: Writer, version: number, request: Request): void
  /** Reads a request body (no header) for `version`. */
  decodeRequest(reader: Reader, version: number): Request
  /** Writes a response body (no header) for `version`. */
  encodeResponse(writer: Writer, version: number, response: Response): void
  /** Reads a response body (no header) for `version`. */
  decodeResponse(reader: Reader, version: number): Response
}
