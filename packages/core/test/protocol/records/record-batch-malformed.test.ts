import { Buffer } from 'node:buffer'
import { prng } from '@tributary/test-support/random'
import { describe, expect, it } from 'vitest'
import { gzip } from '../../../src/compression/gzip.js'
import { ProtocolError } from '../../../src/errors/protocol-error.js'
import { Writer } from '../../../src/protocol/buffer/writer.js'
import {
  decodeRecordBatch,
  encodeRecordBatch,
  encodeRecordBatchSync,
  RECORD_BATCH_HEADER_SIZE,
  type RecordInput,
  readRecordBatchHeader,
  reserveRecordBatchHeader,
  sealRecordBatch,
  splitRecordBatches,
  verifyRecordBatchCrc,
} from '../../../src/protocol/records/index.js'

const T0 = 1_700_000_000_000n

const RECORDS: RecordInput[] = [
  { key: Buffer.from('k0'), value: Buffer.from('first value'), timestamp: T0 },
  { key: null, value: null, headers: [{ key: 'h', value: Buffer.from('x') }], timestamp: T0 + 1n },
  {
    key: Buffer.alloc(0),
    value: Buffer.from('ü'.repeat(40)),
    headers: [{ key: 'a', value: null }],
    timestamp: T0 - 3n,
  },
]

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}

function expectProtocolError(fn: () => unknown, message?: RegExp): void {
  const error = thrown(fn)
  expect(ProtocolError.isInstance(error), `expected a ProtocolError, got ${String(error)}`).toBe(true)
  if (message !== undefined) expect((error as Error).message).toMatch(message)
}

/** Writes a batch around a hand-made records section, with a correct CRC. */
function batchWithSection(section: Buffer, recordCount: number, attributes = 0): Buffer {
  const w = new Writer()
  const start = reserveRecordBatchHeader(w)
  w.writeRaw(section)
  sealRecordBatch(w, start, {
    baseOffset: 0n,
    partitionLeaderEpoch: -1,
    attributes,
    lastOffsetDelta: Math.max(recordCount - 1, 0),
    baseTimestamp: T0,
    maxTimestamp: T0,
    producerId: -1n,
    producerEpoch: -1,
    baseSequence: -1,
    recordCount,
  })
  return Buffer.from(w.toBuffer())
}

/** Decoding must either succeed or raise a ProtocolError; anything else fails the test. */
function decodeOrProtocolError(bytes: Buffer): 'ok' | 'protocol-error' {
  try {
    for (const { bytes: batch } of splitRecordBatches(bytes)) {
      verifyRecordBatchCrc(batch)
      decodeRecordBatch(batch)
    }
    return 'ok'
  } catch (error) {
    if (ProtocolError.isInstance(error)) return 'protocol-error'
    throw error
  }
}

describe('malformed record batches', () => {
  const valid = encodeRecordBatchSync({ records: RECORDS })

  it('rejects a batch too short to hold its length and magic', () => {
    for (const n of [0, 1, 8, 12, 16]) {
      expectProtocolError(() => readRecordBatchHeader(valid.subarray(0, n)), /truncated record batch/)
    }
  })

  it('rejects a batch cut off before its declared end', () => {
    for (const n of [17, 40, 60, 61, valid.length - 1]) {
      expectProtocolError(() => decodeRecordBatch(valid.subarray(0, n)), /declares batchLength \d+ but only/)
    }
  })

  it('rejects a magic other than 2', () => {
    for (const magic of [0, 1, 3, -1]) {
      const copy = Buffer.from(valid)
      copy.writeInt8(magic, 16)
      expectProtocolError(() => readRecordBatchHeader(copy), new RegExp(`unsupported record batch magic ${magic}`))
    }
  })

  it('rejects a batchLength below the header size', () => {
    for (const length of [0, 48, -1, -2147483648]) {
      const copy = Buffer.from(valid)
      copy.writeInt32BE(length, 8)
      expectProtocolError(() => readRecordBatchHeader(copy), /below the minimum of 49/)
    }
  })

  it('rejects a batchLength past the end of the buffer', () => {
    const copy = Buffer.from(valid)
    copy.writeInt32BE(valid.length, 8)
    expectProtocolError(() => readRecordBatchHeader(copy), /but only \d+ byte\(s\) follow/)
    copy.writeInt32BE(0x7fffffff, 8)
    expectProtocolError(() => splitRecordBatches(copy), /2147483647/)
  })

  it('rejects a negative record count', () => {
    const copy = Buffer.from(valid)
    copy.writeInt32BE(-1, 57)
    expectProtocolError(() => readRecordBatchHeader(copy), /negative record count -1/)
  })

  it('rejects a record count larger than the records section can hold', () => {
    const copy = Buffer.from(valid)
    copy.writeInt32BE(1_000_000_000, 57)
    expectProtocolError(() => decodeRecordBatch(copy), /declares 1000000000 record\(s\)/)
    copy.writeInt32BE(4, 57)
    expectProtocolError(() => decodeRecordBatch(copy), /truncated/)
  })

  it('rejects bytes left over after the declared records', () => {
    const copy = Buffer.from(valid)
    copy.writeInt32BE(2, 57)
    expectProtocolError(() => decodeRecordBatch(copy), /follow the last of them/)
  })

  it('detects a corrupted CRC and corrupted contents with verifyRecordBatchCrc', () => {
    expect(verifyRecordBatchCrc(valid)).toBe(true)
    const badCrc = Buffer.from(valid)
    badCrc.writeUInt32BE((badCrc.readUInt32BE(17) ^ 1) >>> 0, 17)
    expect(verifyRecordBatchCrc(badCrc)).toBe(false)
    for (const at of [21, 30, 60, RECORD_BATCH_HEADER_SIZE + 5, valid.length - 1]) {
      const flipped = Buffer.from(valid)
      flipped[at] = (flipped[at] as number) ^ 0x10
      expect(verifyRecordBatchCrc(flipped), `flip at ${at}`).toBe(false)
    }
  })

  it('rejects records with negative varint lengths', () => {
    // attributes 0, tsDelta 0, offsetDelta 0, key length -7 (zig-zag 13), value null, no headers
    expectProtocolError(
      () => decodeRecordBatch(batchWithSection(Buffer.from([12, 0, 0, 0, 13, 1, 0]), 1)),
      /negative length -7/,
    )
    // a record length of -2 (zig-zag 3)
    expectProtocolError(
      () => decodeRecordBatch(batchWithSection(Buffer.from([3, 0, 0, 0, 1, 1, 0]), 1)),
      /negative record length -2/,
    )
  })

  it('rejects a record whose declared length disagrees with its fields', () => {
    // declared 7 (zig-zag 14) with a 6-byte body plus one stray byte that a second field would need
    expectProtocolError(
      () => decodeRecordBatch(batchWithSection(Buffer.from([14, 0, 0, 0, 1, 1, 0, 0]), 1)),
      /declares 7 byte\(s\) but its fields take 6/,
    )
    // declared 5 (zig-zag 10) for the same 6-byte body
    expectProtocolError(
      () => decodeRecordBatch(batchWithSection(Buffer.from([10, 0, 0, 0, 1, 1, 0, 0]), 1)),
      /invalid record/,
    )
  })

  it('rejects a compressed section that decompresses to garbage', () => {
    expectProtocolError(
      () => decodeRecordBatch(batchWithSection(Buffer.from('definitely not gzip'), 1, 1)),
      /could not decompress/,
    )
  })
})

describe('fuzzing record batch decoding', () => {
  const cases = [
    ['uncompressed', () => Promise.resolve(encodeRecordBatchSync({ records: RECORDS }))],
    ['gzip', () => encodeRecordBatch({ codec: gzip(), records: RECORDS })],
  ] as const

  for (const [name, make] of cases) {
    it(`raises only ProtocolError for every truncation of a ${name} batch`, async () => {
      const batch = await make()
      expect(decodeOrProtocolError(batch)).toBe('ok')
      for (let n = 1; n < batch.length; n++) {
        expect(decodeOrProtocolError(batch.subarray(0, n))).toBe('protocol-error')
        expect(splitRecordBatches(batch.subarray(0, n), { allowPartialTail: true })).toEqual([])
      }
    })

    it(`raises only ProtocolError or decodes cleanly when bytes of a ${name} batch are flipped`, async () => {
      const batch = await make()
      const random = prng(name === 'gzip' ? 7 : 11)
      const outcomes = { ok: 0, 'protocol-error': 0 }
      for (let i = 0; i < 3000; i++) {
        const copy = Buffer.concat([batch, batch])
        const flips = 1 + Math.floor(random() * 4)
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(random() * copy.length)
          copy[at] =
            random() < 0.5 ? (copy[at] as number) ^ (1 << Math.floor(random() * 8)) : Math.floor(random() * 256)
        }
        const cut = random() < 0.3 ? Math.floor(random() * copy.length) : copy.length
        outcomes[decodeOrProtocolError(copy.subarray(0, cut))]++
      }
      expect(outcomes['protocol-error']).toBeGreaterThan(0)
    })
  }

  it('raises only ProtocolError for random bytes', () => {
    const random = prng(99)
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.alloc(Math.floor(random() * 200))
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256)
      if (bytes.length > 16 && random() < 0.7) bytes[16] = 2
      if (bytes.length > 12 && random() < 0.7) bytes.writeInt32BE(bytes.length - 12, 8)
      decodeOrProtocolError(bytes)
    }
  })
})
