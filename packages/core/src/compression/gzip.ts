import buffer, { type Buffer } from 'node:buffer'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { TributaryError } from '../errors/tributary-error.js'
import type { Codec } from './codec.js'

const gzipAsync = promisify(zlib.gzip)

/**
 * Inputs smaller than this are compressed synchronously: measured on Node 20, a round trip through
 * the libuv thread pool costs more than compressing a few KiB inline (1 KiB: ~25 µs sync against
 * ~55 µs async), while larger inputs gain from not blocking the event loop.
 */
const SYNC_BELOW_BYTES = 4096

/** Options of the gzip codec. */
export interface GzipOptions {
  /** zlib compression level, -1 (zlib's default, 6) or 0 to 9. Kafka's Java client uses the default. */
  level?: number
  /**
   * Largest decompressed records section accepted, in bytes. Default 256 MiB. A batch that would
   * inflate past it (a "gzip bomb") fails to decompress instead of exhausting memory.
   */
  maxDecompressedBytes?: number
}

const DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

/**
 * The gzip codec (compression type 1) on `node:zlib`, with no extra dependencies.
 *
 * @example
 * new Producer({ ..., compression: gzip({ level: 1 }) })
 */
export function gzip(options: GzipOptions = {}): Codec {
  const level = options.level ?? zlib.constants.Z_DEFAULT_COMPRESSION
  if (!Number.isInteger(level) || level < -1 || level > 9) {
    throw new TributaryError(`gzip level must be an integer from -1 to 9, got ${String(options.level)}`)
  }
  const zlibOptions: zlib.ZlibOptions = { level }
  const maxOutputLength = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES
  if (!Number.isInteger(maxOutputLength) || maxOutputLength < 1 || maxOutputLength > buffer.kMaxLength) {
    throw new TributaryError(
      `gzip maxDecompressedBytes must be an integer from 1 to ${buffer.kMaxLength}, got ${String(options.maxDecompressedBytes)}`,
    )
  }
  return {
    name: 'gzip',
    type: 1,
    compress(data: Buffer): Buffer | Promise<Buffer> {
      if (data.length < SYNC_BELOW_BYTES) return zlib.gzipSync(data, zlibOptions)
      return gzipAsync(data, zlibOptions)
    },
    decompress(data: Buffer): Buffer {
      try {
        return zlib.gunzipSync(data, { maxOutputLength })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new TributaryError(`gzip data inflates past maxDecompressedBytes (${maxOutputLength} bytes)`, {
            cause: error,
          })
        }
        throw error
      }
    },
  }
}
