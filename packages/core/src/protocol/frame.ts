import { Buffer } from 'node:buffer'
import { ProtocolError } from '../errors/protocol-error.js'
import type { ApiDefinition } from './apis/api-definition.js'
import { apiByKey } from './apis/index.js'
import { unsupportedVersion } from './apis/support.js'
import { Reader } from './buffer/reader.js'
import type { Writer } from './buffer/writer.js'
import {
  type DecodedRequestHeader,
  type RequestHeader,
  readRequestHeader,
  readResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  writeRequestHeader,
  writeResponseHeader,
} from './header.js'

// A frame on the wire is an int32 size followed by that many bytes: a header, then a body. The
// decode functions here take the bytes after the size (as FrameSplitter yields them), either as a
// Buffer or as a Reader positioned at their start.

/** The default largest frame FrameSplitter accepts: 100 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024

function checkVersion(
  api: Pick<ApiDefinition<unknown, unknown>, 'name' | 'minVersion' | 'maxVersion'>,
  version: number,
): void {
  if (!(version >= api.minVersion && version <= api.maxVersion)) {
    throw unsupportedVersion(api.name, version, api.minVersion, api.maxVersion)
  }
}

function toReader(frame: Buffer | Reader): Reader {
  return Buffer.isBuffer(frame) ? new Reader(frame) : frame
}

/**
 * Writes a whole request frame (size, header, body) into `w`. Record batches in the request are
 * attached by reference, so hand `w.toChunks()` to the socket.
 */
export function encodeRequestFrame<Request, Response>(
  w: Writer,
  api: ApiDefinition<Request, Response>,
  version: number,
  correlationId: number,
  clientId: string | null,
  request: Request,
): void {
  checkVersion(api, version)
  const sizeAt = w.reserve(4)
  const start = w.position
  writeRequestHeader(w, requestHeaderVersion(api, version), {
    apiKey: api.apiKey,
    apiVersion: version,
    correlationId,
    clientId,
  })
  api.encodeRequest(w, version, request)
  w.fillInt32(sizeAt, w.position - start)
}

/** Writes a whole response frame (size, header, body) into `w`. */
export function encodeResponseFrame<Request, Response>(
  w: Writer,
  api: ApiDefinition<Request, Response>,
  version: number,
  correlationId: number,
  response: Response,
): void {
  checkVersion(api, version)
  const sizeAt = w.reserve(4)
  const start = w.position
  writeResponseHeader(w, responseHeaderVersion(api, version), correlationId)
  api.encodeResponse(w, version, response)
  w.fillInt32(sizeAt, w.position - start)
}

/**
 * Reads only the header of a request frame, leaving a Reader passed in at the start of the body.
 * Unlike `decodeRequestFrame` it accepts any API key and version, so that a broker can answer an
 * ApiVersions request of a version it does not support with UNSUPPORTED_VERSION and its own
 * version ranges, as Kafka does.
 */
export function decodeRequestHeaderOnly(frame: Buffer | Reader): DecodedRequestHeader {
  return readRequestHeader(toReader(frame))
}

/** Reads a whole request frame; throws a ProtocolError for an unknown API key or unsupported version. */
export function decodeRequestFrame(frame: Buffer | Reader): {
  header: DecodedRequestHeader
  api: ApiDefinition<unknown, unknown>
  request: unknown
} {
  const r = toReader(frame)
  const header = readRequestHeader(r)
  const api = apiByKey(header.apiKey)
  if (api === undefined) throw new ProtocolError(`unknown API key ${header.apiKey}`)
  checkVersion(api, header.apiVersion)
  const request = api.decodeRequest(r, header.apiVersion)
  return { header, api, request }
}

/** Reads a whole response frame for a request of `api` at `version`. */
export function decodeResponseFrame<Request, Response>(
  frame: Buffer | Reader,
  api: ApiDefinition<Request, Response>,
  version: number,
): { correlationId: number; response: Response } {
  checkVersion(api, version)
  const r = toReader(frame)
  const correlationId = readResponseHeader(r, responseHeaderVersion(api, version))
  const response = api.decodeResponse(r, version)
  return { correlationId, response }
}

export type { RequestHeader }

/** Options of a FrameSplitter. */
export interface FrameSplitterOptions {
  /** Largest frame accepted, in bytes after the size field. Default 100 MiB. */
  maxFrameBytes?: number
}

/**
 * Cuts a byte stream (socket 'data' chunks) into frames: the bytes after each int32 size. Push a
 * chunk, then iterate for the frames it completed:
 *
 *   socket.on('data', (chunk) => { for (const frame of splitter.push(chunk)) handle(frame) })
 *
 * A frame inside one chunk is a view of that chunk (no copy); only a frame spanning chunks is
 * copied into a buffer of its own. A negative size or one above `maxFrameBytes` throws a
 * ProtocolError, after which the stream cannot be trusted: close the connection.
 */
export class FrameSplitter implements IterableIterator<Buffer> {
  /** Largest frame accepted, in bytes after the size field. */
  readonly maxFrameBytes: number
  private readonly chunks: Buffer[] = []
  /** Read position in `chunks[0]`. */
  private offset = 0
  private buffered = 0

  constructor(options: FrameSplitterOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
  }

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered
  }

  /** Adds a chunk; returns the splitter itself, to iterate for the frames now complete. */
  push(chunk: Buffer): this {
    if (chunk.length > 0) {
      this.chunks.push(chunk)
      this.buffered += chunk.length
    }
    return this
  }

  /** The next complete frame, or undefined until more bytes arrive. */
  nextFrame(): Buffer | undefined {
    if (this.buffered < 4) return undefined
    const first = this.chunks[0] as Buffer
    const inFirst = first.length - this.offset
    const size = inFirst >= 4 ? first.readInt32BE(this.offset) : this.peekSize()
    if (size < 0) throw new ProtocolError(`negative frame size ${size}`)
    if (size > this.maxFrameBytes) {
      throw new ProtocolError(`frame of ${size} bytes is larger than the maximum of ${this.maxFrameBytes}`)
    }
    if (this.buffered < 4 + size) return undefined
    if (inFirst >= 4 + size) {
      const frame = first.subarray(this.offset + 4, this.offset + 4 + size)
      this.skip(4 + size)
      return frame
    }
    this.skip(4)
    const frame = Buffer.allocUnsafe(size)
    let filled = 0
    while (filled < size) {
      const chunk = this.chunks[0] as Buffer
      const n = Math.min(chunk.length - this.offset, size - filled)
      chunk.copy(frame, filled, this.offset, this.offset + n)
      filled += n
      this.skip(n)
    }
    return frame
  }

  next(): IteratorResult<Buffer> {
    const frame = this.nextFrame()
    return frame === undefined ? { done: true, value: undefined } : { done: false, value: frame }
  }

  [Symbol.iterator](): this {
    return this
  }

  /** Reads the size when its four bytes span chunks. */
  private peekSize(): number {
    let size = 0
    let chunkIndex = 0
    let at = this.offset
    for (let i = 0; i < 4; i++) {
      let chunk = this.chunks[chunkIndex] as Buffer
      while (at >= chunk.length) {
        chunkIndex++
        at = 0
        chunk = this.chunks[chunkIndex] as Buffer
      }
      size = (size << 8) | (chunk[at++] as number)
    }
    return size | 0
  }

  /** Consumes `n` buffered bytes. */
  private skip(n: number): void {
    this.buffered -= n
    let left = n
    while (left > 0) {
      const chunk = this.chunks[0] as Buffer
      const inChunk = chunk.length - this.offset
      if (left < inChunk) {
        this.offset += left
        return
      }
      left -= inChunk
      this.chunks.shift()
      this.offset = 0
    }
  }
}
