import { Buffer } from 'node:buffer'
import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { crc32 } from '../src/hash/crc32.js'
import { fnv1a32 } from '../src/hash/fnv1a.js'
import { kafkajsLegacyMurmur2 } from '../src/hash/kafkajs-legacy-murmur2.js'
import { randomKeys } from './helpers.js'

describe('crc32', () => {
  it('computes the standard CRC-32 (the check value of "123456789" is 0xCBF43926)', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    expect(crc32(Buffer.alloc(0))).toBe(0)
  })

  it('equals zlib’s crc32 for thousands of random keys', () => {
    const zlibCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32
    if (zlibCrc32 === undefined) return // Node before 20.15
    for (const key of randomKeys(5000)) expect(crc32(key)).toBe(zlibCrc32(key))
  })
})

describe('fnv1a32', () => {
  // librdkafka's unittest_fnv1a vectors, computed with Go's hash/fnv and then made non-negative as
  // rd_fnv1a and Sarama's NewHashPartitioner do: int32 results after the absolute value.
  const vectors: ReadonlyArray<readonly [string, number]> = [
    ['kafka', 0xd33c4e1],
    ['giberish123456789', 0x77a58295],
    ['1234', 0x23bdd03],
    ['234', 0x2dea3cd2],
    ['34', 0x740fa83e],
    ['4', 0x310ca263],
    ['PreAmbleWillBeRemoved,ThePrePartThatIs', 0x65cbd69c],
    ['reAmbleWillBeRemoved,ThePrePartThatIs', 0x6e49c79a],
    ['eAmbleWillBeRemoved,ThePrePartThatIs', 0x69eed356],
    ['AmbleWillBeRemoved,ThePrePartThatIs', 0x6abcc023],
    ['', 0x7ee3623b],
  ]

  it.each(vectors)('hashes %j to %i after the absolute value, as Go and librdkafka', (input, expected) => {
    expect(Math.abs(fnv1a32(Buffer.from(input)) | 0)).toBe(expected)
  })

  it('is the FNV-1a offset basis for empty input', () => {
    expect(fnv1a32(Buffer.alloc(0))).toBe(0x811c9dc5)
  })
})

describe('kafkajsLegacyMurmur2', () => {
  it('equals kafkajs’s own legacy murmur2 for thousands of random keys', async () => {
    // @ts-expect-error kafkajs ships no types for its internal modules
    const legacy = (await import('kafkajs/src/producer/partitioners/legacy/murmur2.js')).default as (
      key: Buffer,
    ) => number
    const keys = randomKeys(5000)
    for (const key of keys) expect(kafkajsLegacyMurmur2(key), key.toString('hex')).toBe(legacy(key))
  })
})
