import zstdBinding from '@toondepauw/node-zstd'
import type { Codec } from '@tributary/core'
import { ASYNC_FROM_BYTES } from './internal/options.js'

/** Options of the zstd codec. */
export interface ZstdOptions {
  /**
   * Compression level: 1 (fastest) to 22 (smallest), or a negative level for even faster, weaker
   * compression (down to -131072); 0 means zstd's default, 3. Default 3, as the Java client's
   * `compression.zstd.level`.
   */
  level?: number
}

/** zstd's accepted range, ZSTD_minCLevel() to ZSTD_maxCLevel(). */
const MIN_LEVEL = -131072
const MAX_LEVEL = 22

/**
 * The zstd codec (compression type 4) on `@toondepauw/node-zstd` (napi-rs bindings to the Rust
 * `zstd` crate, which wraps the reference libzstd; prebuilt binaries come as optional platform
 * packages, nothing is built or downloaded at install time).
 *
 * It writes one zstd frame without the content size, as the Java client's ZstdOutputStream does, and
 * reads any sequence of zstd frames, with or without content size.
 *
 * @example
 * import { zstd } from '@tributary/compression/zstd'
 * new Producer({ ..., compression: zstd({ level: 3 }) })
 */
export function zstd(options: ZstdOptions = {}): Codec {
  const level = options.level ?? 3
  if (!Number.isInteger(level) || level < MIN_LEVEL || level > MAX_LEVEL) {
    throw new RangeError(
      `zstd level must be an integer from ${MIN_LEVEL} to ${MAX_LEVEL}, got ${String(options.level)}`,
    )
  }
  const encoder = new zstdBinding.Encoder(level)
  const decoder = new zstdBinding.Decoder()
  return {
    name: 'zstd',
    type: 4,
    compress(data: Buffer): Buffer | Promise<Buffer> {
      return data.length < ASYNC_FROM_BYTES ? encoder.encodeSync(data) : encoder.encode(data)
    },
    decompress(data: Buffer): Buffer {
      return decoder.decodeSync(data)
    },
  }
}
