import { Buffer } from 'node:buffer'
import * as snappyjs from 'snappyjs'
import { describe, expect, it } from 'vitest'
import { snappy } from '../src/snappy.js'
import { expectBytes, fixture, fixtureInput, incompressible, jsonValues } from './helpers.js'

const MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])

/** Splits a xerial stream into its blocks, independently of the codec under test. */
function xerialBlocks(stream: Buffer): Buffer[] {
  expect(stream.subarray(0, 8)).toEqual(MAGIC)
  expect(stream.readInt32BE(8)).toBe(1) // version
  expect(stream.readInt32BE(12)).toBe(1) // minimum compatible version
  const blocks: Buffer[] = []
  let offset = 16
  while (offset < stream.length) {
    const length = stream.readInt32BE(offset)
    blocks.push(stream.subarray(offset + 4, offset + 4 + length))
    offset += 4 + length
  }
  expect(offset).toBe(stream.length)
  return blocks
}

describe('snappy', () => {
  it('is compression type 2 named snappy', () => {
    expect(snappy()).toMatchObject({ name: 'snappy', type: 2 })
  })

  it('writes the xerial framing the Java client writes: header, then blocks of at most 32 KiB input', async () => {
    const input = jsonValues(100) // 100 KiB: four blocks, compressed on the thread pool
    const out = await snappy().compress(input)
    const blocks = xerialBlocks(out)
    expect(blocks).toHaveLength(4)
    const decoded = blocks.map((b) => Buffer.from(snappyjs.uncompress(b)))
    expect(decoded.map((d) => d.length)).toEqual([32768, 32768, 32768, input.length - 3 * 32768])
    expectBytes(Buffer.concat(decoded), input)
  })

  it('compresses small inputs synchronously into the same framing', () => {
    const input = jsonValues(16)
    const out = snappy().compress(input)
    expect(Buffer.isBuffer(out)).toBe(true)
    const blocks = xerialBlocks(out as Buffer)
    expect(blocks).toHaveLength(1)
    expectBytes(Buffer.from(snappyjs.uncompress(blocks[0] as Buffer)), input)
    expect((out as Buffer).length).toBeLessThan(input.length / 2)
  })

  it('writes a header alone for empty input and reads it back as empty', () => {
    const codec = snappy()
    const out = codec.compress(Buffer.alloc(0)) as Buffer
    expect(out).toEqual(Buffer.concat([MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])]))
    expectBytes(codec.decompress(out), Buffer.alloc(0))
  })

  it("writes one raw block with framing: 'raw', as librdkafka and kafkajs do", async () => {
    const codec = snappy({ framing: 'raw' })
    for (const input of [jsonValues(10), jsonValues(100)]) {
      const out = await codec.compress(input)
      expect(out.subarray(0, 8).equals(MAGIC)).toBe(false)
      expectBytes(Buffer.from(snappyjs.uncompress(out)), input)
      expectBytes(codec.decompress(out), input)
    }
  })

  it('reads xerial streams written by kafka-python (the Java framing) and raw blocks by the C++ library', () => {
    const codec = snappy()
    const input = fixtureInput()
    expectBytes(codec.decompress(fixture('snappy-xerial.bin')), input)
    expectBytes(codec.decompress(fixture('snappy-xerial-small.bin')), input.subarray(0, 1000))
    expectBytes(codec.decompress(fixture('snappy-raw.bin')), input)
  })

  it('reads raw blocks written by snappyjs (kafkajs-snappy)', () => {
    const input = jsonValues(40)
    expectBytes(snappy().decompress(Buffer.from(snappyjs.compress(input))), input)
  })

  it('round-trips incompressible data of every size around the block and async thresholds', async () => {
    const codec = snappy()
    for (const size of [1, 100, 32767, 32768, 32769, 65535, 65536, 200_000]) {
      const input = incompressible(size)
      expectBytes(codec.decompress(await codec.compress(input)), input)
    }
  })

  it('compresses a view of a larger buffer without reading outside it', async () => {
    const whole = Buffer.concat([Buffer.alloc(100, 1), jsonValues(5), Buffer.alloc(100, 2)])
    const view = whole.subarray(100, whole.length - 100)
    expectBytes(snappy().decompress(await snappy().compress(view)), view)
  })

  it('throws on truncated or corrupt input', async () => {
    const codec = snappy()
    const out = await codec.compress(jsonValues(100))
    expect(() => codec.decompress(out.subarray(0, out.length - 10))).toThrow(/truncated xerial snappy stream/)
    expect(() => codec.decompress(out.subarray(0, 18))).toThrow(/truncated/)
    expect(() => codec.decompress(Buffer.from('definitely not snappy data at all'))).toThrow()
  })

  it('rejects an unknown framing', () => {
    expect(() => snappy({ framing: 'hadoop' as 'raw' })).toThrow(/framing must be 'xerial' or 'raw'/)
  })
})
