import type { Buffer } from 'node:buffer'

/**
 * Compression type as stored in the low three bits of a record batch's attributes.
 * Use the named constants: `CompressionType.gzip` and so on.
 */
export type CompressionType = 0 | 1 | 2 | 3 | 4

/** Kafka's compression type numbers, as written in record batch attributes (bits 0-2). */
export const CompressionType = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
} as const satisfies Record<string, CompressionType>

/** Mask of the attribute bits that hold the compression type. */
export const COMPRESSION_TYPE_MASK = 0x07

/** The name Kafka uses for a compression type number, or `unknown (n)` for anything else. */
export function compressionTypeName(type: number): string {
  switch (type) {
    case 0:
      return 'none'
    case 1:
      return 'gzip'
    case 2:
      return 'snappy'
    case 3:
      return 'lz4'
    case 4:
      return 'zstd'
    default:
      return `unknown (${type})`
  }
}

/**
 * A compression codec for record batches. Core ships `gzip`; `@tributary/compression` provides
 * snappy, lz4 and zstd. A codec compresses the records section of a batch (everything after the
 * record count) and decompresses it again.
 */
export interface Codec {
  /** Human-readable name, normally Kafka's name for the compression type. */
  readonly name: 'gzip' | 'snappy' | 'lz4' | 'zstd' | (string & {})
  /** The compression type written into the batch attributes. */
  readonly type: 1 | 2 | 3 | 4
  /** Compresses the serialized records. May return a promise to run off the main thread. */
  compress(data: Buffer): Buffer | Promise<Buffer>
  /**
   * Decompresses a records section. Synchronous on purpose, so a mock broker can decode lazily
   * from synchronous code; implementations should throw on corrupt input.
   */
  decompress(data: Buffer): Buffer
}
