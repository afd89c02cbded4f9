import { Buffer } from 'node:buffer'
import { decompress as fzstdDecompress } from 'fzstd'
import { describe, expect, it } from 'vitest'
import { zstd } from '../src/zstd.js'
import { expectBytes, fixture, fixtureInput, incompressible, jsonValues } from './helpers.js'

describe('zstd', () => {
  it('is compression type 4 named zstd', () => {
    expect(zstd()).toMatchObject({ name: 'zstd', type: 4 })
  })

  it('writes zstd frames that an independent decoder (fzstd) reads, small ones synchronously', async () => {
    const codec = zstd()
    const small = jsonValues(16)
    const out = codec.compress(small)
    expect(Buffer.isBuffer(out)).toBe(true)
    expect((out as Buffer).readUInt32LE(0)).toBe(0xfd2fb528) // zstd frame magic
    expectBytes(Buffer.from(fzstdDecompress(out as Buffer)), small)
    const large = jsonValues(300)
    const pending = codec.compress(large)
    expect(pending).toBeInstanceOf(Promise)
    expectBytes(Buffer.from(fzstdDecompress(await pending)), large)
  })

  it('compresses harder at higher levels and faster at negative ones', async () => {
    const input = fixtureInput()
    const size = async (level: number) => (await zstd({ level }).compress(input)).length
    const [fast, normal, strong] = [await size(-5), await size(3), await size(19)]
    expect(strong).toBeLessThan(normal)
    expect(normal).toBeLessThan(fast)
    expectBytes(zstd().decompress(await zstd({ level: 19 }).compress(input)), input)
    expectBytes(zstd().decompress(await zstd({ level: -5 }).compress(input)), input)
  })

  it('reads frames python-zstandard (the reference C library) writes: with and without content size, checksums, streamed, several frames', () => {
    const codec = zstd()
    const input = fixtureInput()
    for (const name of [
      'zstd-content-size.bin',
      'zstd-no-content-size.bin',
      'zstd-checksum.bin',
      'zstd-streamed.bin',
      'zstd-two-frames.bin',
    ]) {
      expectBytes(codec.decompress(fixture(name)), input, name)
    }
  })

  it('round-trips empty, tiny and incompressible inputs', async () => {
    const codec = zstd()
    for (const input of [Buffer.alloc(0), Buffer.from('x'), incompressible(100_000), incompressible(70_000)]) {
      expectBytes(codec.decompress(await codec.compress(input)), input)
    }
  })

  it('compresses a view of a larger buffer without reading outside it', async () => {
    const whole = Buffer.concat([Buffer.alloc(100, 1), jsonValues(5), Buffer.alloc(100, 2)])
    const view = whole.subarray(100, whole.length - 100)
    expectBytes(zstd().decompress(await zstd().compress(view)), view)
  })

  it('throws on corrupt input', async () => {
    const codec = zstd()
    const out = (await codec.compress(jsonValues(20))) as Buffer
    expect(() => codec.decompress(out.subarray(0, out.length - 20))).toThrow()
    expect(() => codec.decompress(Buffer.from('not a zstd frame'))).toThrow()
  })

  it('validates the level', () => {
    for (const level of [23, -131073, 1.5, Number.NaN]) {
      expect(() => zstd({ level }), String(level)).toThrow(/zstd level must be an integer from -131072 to 22/)
    }
    expect(() => zstd({ level: 0 })).not.toThrow()
  })
})
