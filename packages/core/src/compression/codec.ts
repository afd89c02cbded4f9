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

export type { Codec } from '../plugins.js'
