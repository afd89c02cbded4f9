import { Buffer } from 'node:buffer'
import { prng } from '@tributary/test-support/random'
import { describe, expect, it } from 'vitest'
import {
  crc32c,
  crc32cImplementation,
  crc32cUpdate,
  crc32cUpdateJs,
  NATIVE_FROM_BYTES,
} from '../../../src/protocol/buffer/crc32c.js'

/** Bit-at-a-time CRC-32C, the definition the table-driven version must agree with. */
function referenceCrc32c(buf: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of buf) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

describe('crc32c', () => {
  it('matches the RFC 3720 vector of 32 zero bytes', () => {
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa)
  })

  it('matches the RFC 3720 vector of 32 0xFF bytes', () => {
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43)
  })

  it('matches the RFC 3720 vector of ascending bytes 0..31', () => {
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e)
  })

  it('matches the RFC 3720 vector of descending bytes 31..0', () => {
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c)
  })

  it('matches the check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789', 'ascii'))).toBe(0xe3069283)
  })

  it('returns 0 for an empty input', () => {
    expect(crc32c(Buffer.alloc(0))).toBe(0)
  })

  it('returns an unsigned 32-bit number', () => {
    const value = crc32c(Buffer.alloc(32, 0))
    expect(value).toBeGreaterThan(0x7fffffff)
    expect(Number.isInteger(value)).toBe(true)
  })

  it('agrees with a bitwise reference on random inputs, lengths and offsets', () => {
    const random = prng(0xc0ffee)
    const data = Buffer.alloc(4096)
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256)
    for (let n = 0; n < 500; n++) {
      const start = Math.floor(random() * 64)
      const length = n < 64 ? n : Math.floor(random() * (data.length - start))
      const end = start + length
      expect(crc32c(data, start, end)).toBe(referenceCrc32c(data.subarray(start, end)))
    }
  })

  it('computes over a view (byteOffset) the same as over a copy', () => {
    const data = Buffer.from('the quick brown fox jumps over the lazy dog, twice over')
    const view = data.subarray(7, 41)
    expect(crc32c(view)).toBe(crc32c(Buffer.from(view)))
    expect(crc32c(view)).toBe(crc32c(data, 7, 41))
  })

  it('continues incrementally across chunks with crc32cUpdate', () => {
    const random = prng(42)
    const data = Buffer.alloc(1000)
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256)
    for (const split of [0, 1, 7, 8, 9, 500, 999, 1000]) {
      const first = crc32c(data, 0, split)
      expect(crc32cUpdate(first, data, split, data.length)).toBe(crc32c(data))
    }
  })

  it('rejects a range outside the buffer', () => {
    expect(() => crc32c(Buffer.alloc(4), 0, 5)).toThrow(RangeError)
    expect(() => crc32c(Buffer.alloc(4), 3, 2)).toThrow(RangeError)
  })
})

describe('crc32c, native and JavaScript implementations', () => {
  // The native one (@node-rs/crc32, an optional dependency) takes checksums of NATIVE_FROM_BYTES or
  // more; the JavaScript one the rest, or everything when the native one is missing.
  const random = prng(17)
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)))

  it('uses the native implementation when @node-rs/crc32 is installed (it is, in this repository)', () => {
    expect(crc32cImplementation()).toBe('native')
  })

  it('gives the same checksums from both, for empty, short, long, unaligned and sub-view inputs', () => {
    const backing = bytes(70_000)
    const inputs: Uint8Array[] = [
      Buffer.alloc(0),
      Buffer.from('123456789'),
      bytes(NATIVE_FROM_BYTES - 1),
      bytes(NATIVE_FROM_BYTES),
      bytes(65_537),
      backing.subarray(3, 40_003),
      new Uint8Array(backing.buffer, backing.byteOffset + 1, 9_999),
    ]
    for (const input of inputs) {
      const expected = referenceCrc32c(input)
      expect(crc32cUpdateJs(0, input)).toBe(expected)
      expect(crc32c(input)).toBe(expected)
      for (const [start, end] of [
        [Math.min(1, input.length), input.length],
        [0, Math.max(0, input.length - 5)],
        [Math.min(7, input.length), input.length],
      ] as const) {
        const slice = referenceCrc32c(input.subarray(start, end))
        expect(crc32c(input, start, end)).toBe(slice)
        expect(crc32cUpdateJs(0, input, start, end)).toBe(slice)
      }
    }
  })

  it('continues a checksum across chunks the same way in both', () => {
    const data = bytes(5_000)
    const whole = referenceCrc32c(data)
    expect(crc32cUpdate(crc32cUpdate(0, data, 0, 2_000), data, 2_000)).toBe(whole)
    expect(crc32cUpdateJs(crc32cUpdateJs(0, data, 0, 2_000), data, 2_000)).toBe(whole)
    expect(crc32cUpdate(crc32cUpdateJs(0, data, 0, 100), data, 100)).toBe(whole)
  })
})
