import type { Codec } from '@tributary/core'
import lz4Binding from 'lz4-napi'
import { ASYNC_FROM_BYTES, chunks } from './internal/options.js'

/** Options of the lz4 codec; there are none yet (lz4-napi has no high-compression mode to choose). */
export type Lz4Options = Record<string, never>

/**
 * The frame header Kafka's Java producer (KafkaLZ4BlockOutputStream) and librdkafka write, byte for
 * byte: magic 0x184D2204 (little-endian), FLG 0x60 (version 01, independent blocks, no block
 * checksums, no content size, no content checksum), BD 0x40 (blocks of at most 64 KiB) and the
 * header checksum 0x82, the second byte of XXH32(FLG BD, seed 0) as KIP-57 corrected it.
 */
const FRAME_HEADER = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82])
/** Input bytes per block: BD 0x40 promises readers at most 64 KiB. */
const BLOCK_BYTES = 64 * 1024
/** Set in a block's length word when the block is stored uncompressed. */
const UNCOMPRESSED = 0x80000000
/** A block length of zero ends the frame. */
const END_MARK_BYTES = 4

/**
 * The lz4 codec (compression type 3) on `lz4-napi` (napi-rs bindings to the Rust `lz4_flex`
 * crate; prebuilt binaries come as optional platform packages, nothing is built or downloaded at
 * install time).
 *
 * It writes the LZ4 frame format Kafka requires (KIP-57): independent blocks of at most 64 KiB and
 * a correct header checksum, with exactly the header the Java client and librdkafka write; a block
 * that would not shrink is stored as is. It reads any LZ4 frame (linked or independent blocks,
 * block and content checksums, content size), as written by every Kafka client.
 *
 * @example
 * import { lz4 } from '@tributary/compression/lz4'
 * new Producer({ ..., compression: lz4() })
 */
export function lz4(options: Lz4Options = {}): Codec {
  const unknown = Object.keys(options)
  if (unknown.length > 0) throw new RangeError(`lz4 takes no options, got ${unknown.join(', ')}`)
  return {
    name: 'lz4',
    type: 3,
    compress(data: Buffer): Buffer | Promise<Buffer> {
      const blocks = chunks(data, BLOCK_BYTES)
      if (data.length < ASYNC_FROM_BYTES)
        return frame(
          blocks,
          blocks.map((b) => lz4Binding.compressSync(b)),
        )
      return Promise.all(blocks.map((b) => lz4Binding.compress(b))).then((compressed) => frame(blocks, compressed))
    },
    decompress(data: Buffer): Buffer {
      return lz4Binding.decompressFrameSync(data)
    },
  }
}

/**
 * Assembles the frame. lz4-napi's block API returns each block behind its uncompressed size
 * (little-endian uint32); a frame wants the compressed size there instead, so it is overwritten in
 * place and the block copied once into the frame.
 */
function frame(blocks: Buffer[], compressed: Buffer[]): Buffer {
  let size = FRAME_HEADER.length + END_MARK_BYTES
  for (let i = 0; i < blocks.length; i++) {
    const raw = blocks[i] as Buffer
    const packed = compressed[i] as Buffer
    size += 4 + Math.min(packed.length - 4, raw.length)
  }
  const out = Buffer.allocUnsafe(size)
  FRAME_HEADER.copy(out, 0)
  let offset = FRAME_HEADER.length
  for (let i = 0; i < blocks.length; i++) {
    const raw = blocks[i] as Buffer
    const packed = compressed[i] as Buffer
    const packedLength = packed.length - 4
    if (packedLength < raw.length) {
      out.writeUInt32LE(packedLength, offset)
      packed.copy(out, offset + 4, 4)
      offset += 4 + packedLength
    } else {
      out.writeUInt32LE((UNCOMPRESSED | raw.length) >>> 0, offset)
      raw.copy(out, offset + 4)
      offset += 4 + raw.length
    }
  }
  out.writeUInt32LE(0, offset)
  return out
}
