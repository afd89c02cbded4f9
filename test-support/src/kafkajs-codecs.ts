/// <reference path="./peer-modules.d.ts" />
import { compress as zstdWasmCompress, init as zstdWasmInit } from '@bokuweb/zstd-wasm'
import { decompress as fzstdDecompress } from 'fzstd'
import { CompressionCodecs, CompressionTypes } from 'kafkajs'
import SnappyCodec from 'kafkajs-snappy'
import * as lz4js from 'lz4js'

/**
 * Registers kafkajs codec plugins for snappy, lz4 and zstd on implementations independent of
 * Tributary's: kafkajs-snappy (snappyjs, the plugin kafkajs documents), lz4js, and for zstd the
 * reference libzstd compiled to WebAssembly for compressing and fzstd (pure JavaScript) for
 * decompressing. kafkajs-lz4 and @kafkajs/zstd would need native builds at install time. Call it in
 * a beforeAll; kafkajs keeps the codecs in a global table, so once per process is enough.
 */
export async function registerKafkajsCodecs(): Promise<void> {
  await zstdWasmInit()
  CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder: { buffer: Buffer }) => Buffer.from(lz4js.compress(encoder.buffer)),
    decompress: async (buffer: Buffer) => Buffer.from(lz4js.decompress(buffer)),
  })
  CompressionCodecs[CompressionTypes.ZSTD] = () => ({
    compress: async (encoder: { buffer: Buffer }) => Buffer.from(zstdWasmCompress(encoder.buffer, 3)),
    decompress: async (buffer: Buffer) => Buffer.from(fzstdDecompress(buffer)),
  })
}
