import { Buffer } from 'node:buffer'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { CompressionType, compressionTypeName } from '../../src/compression/codec.js'
import { gzip } from '../../src/compression/gzip.js'

describe('gzip codec', () => {
  it('has the gzip name and compression type 1', () => {
    const codec = gzip()
    expect(codec.name).toBe('gzip')
    expect(codec.type).toBe(CompressionType.gzip)
    expect(compressionTypeName(codec.type)).toBe('gzip')
  })

  it('round-trips small inputs compressed synchronously', async () => {
    const codec = gzip()
    const data = Buffer.from('hello hello hello hello')
    const compressed = await codec.compress(data)
    expect(Buffer.isBuffer(compressed)).toBe(true)
    expect(codec.decompress(compressed)).toEqual(data)
  })

  it('round-trips large inputs compressed on the thread pool', async () => {
    const codec = gzip({ level: 1 })
    const data = Buffer.from('abcdefgh'.repeat(100_000))
    const result = codec.compress(data)
    expect(result).toBeInstanceOf(Promise)
    const compressed = await result
    expect(compressed.length).toBeLessThan(data.length / 10)
    expect(gunzipSync(compressed).equals(data)).toBe(true)
    expect(codec.decompress(compressed).equals(data)).toBe(true)
  })

  it('rejects a level outside -1..9', () => {
    expect(() => gzip({ level: 10 })).toThrow(/gzip level/)
    expect(() => gzip({ level: 1.5 })).toThrow(/gzip level/)
  })

  it('throws from decompress on corrupt input', () => {
    expect(() => gzip().decompress(Buffer.from('not gzip at all'))).toThrow()
  })

  it('refuses to inflate past maxDecompressedBytes (a gzip bomb), with a message naming the limit', () => {
    const bomb = gunzipSafe(16 * 1024 * 1024)
    expect(() => gzip({ maxDecompressedBytes: 1024 * 1024 }).decompress(bomb)).toThrow(
      /inflates past maxDecompressedBytes \(1048576 bytes\)/,
    )
    expect(gzip().decompress(bomb)).toHaveLength(16 * 1024 * 1024)
    expect(() => gzip({ maxDecompressedBytes: 0 })).toThrow(/maxDecompressedBytes/)
  })

  it('names every Kafka compression type', () => {
    expect([0, 1, 2, 3, 4, 5].map(compressionTypeName)).toEqual([
      'none',
      'gzip',
      'snappy',
      'lz4',
      'zstd',
      'unknown (5)',
    ])
  })
})

/** `n` zero bytes, gzip-compressed (a few KiB that inflate to n). */
function gunzipSafe(n: number): Buffer {
  return gzipSync(Buffer.alloc(n))
}
