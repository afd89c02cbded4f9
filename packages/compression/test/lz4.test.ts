import { Buffer } from 'node:buffer'
import * as lz4js from 'lz4js'
import * as xxh32 from 'lz4js/xxh32.js'
import { describe, expect, it } from 'vitest'
import { lz4 } from '../src/lz4.js'
import { expectBytes, fixture, fixtureInput, incompressible, jsonValues } from './helpers.js'

/** Reads a frame's blocks, independently of the codec under test. */
function frameBlocks(frame: Buffer): Array<{ length: number; raw: boolean }> {
  const blocks: Array<{ length: number; raw: boolean }> = []
  let offset = 7
  for (;;) {
    const word = frame.readUInt32LE(offset)
    offset += 4
    if (word === 0) break
    const length = word & 0x7fffffff
    blocks.push({ length, raw: (word & 0x80000000) !== 0 })
    offset += length
  }
  expect(offset).toBe(frame.length) // no content checksum after the end mark
  return blocks
}

describe('lz4', () => {
  it('is compression type 3 named lz4', () => {
    expect(lz4()).toMatchObject({ name: 'lz4', type: 3 })
  })

  it('writes the frame header Kafka expects (KIP-57): independent blocks, 64 KiB, correct checksum', () => {
    const out = lz4().compress(jsonValues(8)) as Buffer
    expect(out.subarray(0, 4)).toEqual(Buffer.from([0x04, 0x22, 0x4d, 0x18]))
    const flg = out[4] as number
    expect(flg >> 6).toBe(1) // version 01
    expect((flg >> 5) & 1).toBe(1) // block independence, which the Java client requires
    expect((flg >> 4) & 1).toBe(0) // no block checksums
    expect((flg >> 3) & 1).toBe(0) // no content size
    expect((flg >> 2) & 1).toBe(0) // no content checksum
    expect(out[5]).toBe(0x40) // 64 KiB blocks
    // The header checksum is the second byte of XXH32 over the descriptor only (not the magic: KIP-57).
    expect(out[6]).toBe((xxh32.hash(0, out, 4, 2) >> 8) & 0xff)
  })

  it('splits input into blocks of at most 64 KiB, compressed on the thread pool when large', async () => {
    const input = jsonValues(200) // 200 KiB
    const pending = lz4().compress(input)
    expect(pending).toBeInstanceOf(Promise)
    const out = await pending
    const blocks = frameBlocks(out)
    expect(blocks).toHaveLength(4)
    expect(blocks.every((b) => !b.raw)).toBe(true)
    expectBytes(Buffer.from(lz4js.decompress(out)), input)
  })

  it('stores a block that would not shrink as is, flagged uncompressed', async () => {
    const input = incompressible(100_000)
    const out = await lz4().compress(input)
    expect(frameBlocks(out)).toEqual([
      { length: 65536, raw: true },
      { length: 100_000 - 65536, raw: true },
    ])
    expectBytes(Buffer.from(lz4js.decompress(out)), input)
    expectBytes(lz4().decompress(out), input)
  })

  it('writes the header and end mark alone for empty input', () => {
    const out = lz4().compress(Buffer.alloc(0)) as Buffer
    expect(out).toEqual(Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82, 0, 0, 0, 0]))
    expectBytes(lz4().decompress(out), Buffer.alloc(0))
  })

  it('reads frames in every flag combination python-lz4 (the reference C library) writes', () => {
    const codec = lz4()
    const input = fixtureInput()
    for (const name of [
      'lz4-linked.bin',
      'lz4-independent.bin',
      'lz4-checksums-size.bin',
      'lz4-4mb-blocks.bin',
      'lz4-hc.bin',
    ]) {
      expectBytes(codec.decompress(fixture(name)), input, name)
    }
  })

  it('reads frames written by lz4js', () => {
    const input = jsonValues(100)
    expectBytes(lz4().decompress(Buffer.from(lz4js.compress(input))), input)
  })

  it('round-trips data of every size around the block and async thresholds', async () => {
    const codec = lz4()
    for (const size of [1, 100, 65535, 65536, 65537, 131072, 300_000]) {
      for (const input of [incompressible(size), jsonValues(Math.ceil(size / 1024)).subarray(0, size)]) {
        expectBytes(codec.decompress(await codec.compress(input)), input)
      }
    }
  })

  it('compresses a view of a larger buffer without reading outside it', async () => {
    const whole = Buffer.concat([Buffer.alloc(100, 1), jsonValues(5), Buffer.alloc(100, 2)])
    const view = whole.subarray(100, whole.length - 100)
    expectBytes(lz4().decompress(await lz4().compress(view)), view)
  })

  it('throws on corrupt input', async () => {
    const codec = lz4()
    const out = (await codec.compress(jsonValues(20))) as Buffer
    expect(() => codec.decompress(out.subarray(0, out.length - 20))).toThrow()
    const badChecksum = Buffer.from(out)
    badChecksum[6] = (badChecksum[6] as number) ^ 0xff
    expect(() => codec.decompress(badChecksum)).toThrow()
    expect(() => codec.decompress(Buffer.from('not an lz4 frame'))).toThrow()
  })

  it('takes no options', () => {
    expect(() => lz4({ level: 9 } as never)).toThrow(/lz4 takes no options, got level/)
  })
})
