import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { murmur2, toPositive } from '../../src/partitioners/index.js'
import { murmur2Utf8 } from '../../src/partitioners/murmur2.js'

// The vectors of Apache Kafka's UtilsTest.testMurmur2 (org.apache.kafka.common.utils), the
// signed 32-bit results of Java's Utils.murmur2.
const javaVectors: ReadonlyArray<readonly [string | Uint8Array, number]> = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  [new Uint8Array([0x61, 0x62, 0x63]), 479470107],
]

describe('murmur2', () => {
  it.each(javaVectors)('hashes %s as Java’s Utils.murmur2 does: %i', (input, expected) => {
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
    expect(murmur2(bytes)).toBe(expected)
  })

  it('returns a signed 32-bit integer', () => {
    for (let length = 0; length < 40; length++) {
      const hash = murmur2(Buffer.alloc(length, 0xff))
      expect(Number.isInteger(hash)).toBe(true)
      expect(hash).toBeGreaterThanOrEqual(-(2 ** 31))
      expect(hash).toBeLessThan(2 ** 31)
      expect(hash | 0).toBe(hash)
    }
  })

  it('hashes a plain Uint8Array like a Buffer with the same bytes', () => {
    const buffer = Buffer.from('a-little-bit-longer-string')
    expect(murmur2(new Uint8Array(buffer))).toBe(murmur2(buffer))
  })

  it('hashes only the bytes of a view, not its whole backing memory', () => {
    const backing = Buffer.from('xx21yy')
    expect(murmur2(backing.subarray(2, 4))).toBe(-973932308)
  })
})

describe('toPositive', () => {
  it('clears the sign bit as Kafka’s Utils.toPositive does, rather than taking the absolute value', () => {
    expect(toPositive(0)).toBe(0)
    expect(toPositive(42)).toBe(42)
    expect(toPositive(-1)).toBe(0x7fffffff)
    expect(toPositive(-(2 ** 31))).toBe(0)
    expect(toPositive(-973932308)).toBe(1173551340)
    expect(toPositive(2 ** 31 - 1)).toBe(2 ** 31 - 1)
  })
})

describe('murmur2Utf8', () => {
  it.each(javaVectors.filter((v): v is readonly [string, number] => typeof v[0] === 'string'))(
    'hashes the string %s from its characters as Java hashes its UTF-8 bytes: %i',
    (input, expected) => {
      expect(murmur2Utf8(input)).toBe(expected)
    },
  )

  it('hashes any string as murmur2 of its UTF-8 bytes, non-ASCII and every tail length included', () => {
    const pieces = ['a', 'Z', '~', '\u007f', '\u0080', 'é', '€', '中', '😀', '\ud800', '\udfff', '\u0000']
    let seed = 7
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed % n
    }
    for (let i = 0; i < 2_000; i++) {
      let text = ''
      const length = next(40)
      for (let j = 0; j < length; j++) text += pieces[next(i % 3 === 0 ? 3 : pieces.length)]
      expect(murmur2Utf8(text), JSON.stringify(text)).toBe(murmur2(Buffer.from(text, 'utf8')))
    }
    const long = 'ключ-'.repeat(500)
    const huge = 'ключ-'.repeat(5_000)
    expect(murmur2Utf8(huge)).toBe(murmur2(Buffer.from(huge, 'utf8')))
    expect(murmur2Utf8(long)).toBe(murmur2(Buffer.from(long, 'utf8')))
  })
})
