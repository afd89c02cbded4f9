import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import type { Codec } from '../../../src/compression/codec.js'
import { gzip } from '../../../src/compression/gzip.js'
import { crc32c } from '../../../src/protocol/buffer/crc32c.js'
import { Writer } from '../../../src/protocol/buffer/writer.js'
import { ErrorCodes } from '../../../src/protocol/error-codes.js'
import {
  decodeRecordBatch,
  encodeControlRecordBatch,
  encodeRecordBatch,
  encodeRecordBatchSync,
  readRecordBatchHeader,
  recordTimestamp,
  setCreateTimeMaxTimestamp,
  TIMESTAMP_TYPE_LOG_APPEND,
  validateRecordBatch,
} from '../../../src/protocol/records/index.js'

const T0 = 1_700_000_000_000n

function batchOf(timestamps: bigint[], base?: bigint): Buffer {
  return encodeRecordBatchSync({
    baseTimestamp: base,
    records: timestamps.map((timestamp, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp })),
  })
}

/** A batch whose records section is `section` (raw bytes), CRC fixed. */
function withSection(section: Buffer, count: number, attributes = 0): Buffer {
  const buf = Buffer.alloc(61 + section.length)
  buf.writeInt32BE(buf.length - 12, 8)
  buf.writeInt32BE(-1, 12)
  buf.writeInt8(2, 16)
  buf.writeInt16BE(attributes, 21)
  buf.writeInt32BE(count - 1, 23)
  buf.writeBigInt64BE(T0, 27)
  buf.writeBigInt64BE(T0, 35)
  buf.writeBigInt64BE(-1n, 43)
  buf.writeInt16BE(-1, 51)
  buf.writeInt32BE(-1, 53)
  buf.writeInt32BE(count, 57)
  section.copy(buf, 61)
  buf.writeUInt32BE(crc32c(buf, 21, buf.length), 17)
  return buf
}

/** A records section of null-key records with these timestamp deltas. */
function section(deltas: bigint[]): Buffer {
  const w = new Writer(64)
  deltas.forEach((delta, i) => {
    const body = new Writer(32)
    body.writeInt8(0).writeVarLong(delta).writeVarInt(i).writeVarInt(-1).writeVarInt(2)
    body.writeRaw(Buffer.from(`v${i}`)).writeVarInt(0)
    w.writeVarInt(body.offset).writeRaw(body.toBufferCopy())
  })
  return w.toBufferCopy()
}

describe('validateRecordBatch', () => {
  it('accepts what encodeRecordBatch writes, compressed or not, and every batch it accepts decodes', async () => {
    const records = [
      { key: Buffer.from('k'), value: Buffer.from('v'), headers: [{ key: 'h', value: null }], timestamp: T0 },
      { key: null, value: null, timestamp: T0 + 5n },
    ]
    for (const batch of [encodeRecordBatchSync({ records }), await encodeRecordBatch({ records, codec: gzip() })]) {
      expect(validateRecordBatch(batch)).toMatchObject({ errorCode: ErrorCodes.NONE, message: null })
      expect(decodeRecordBatch(batch).records).toHaveLength(2)
    }
  })

  it('answers the largest record timestamp as the maxTimestamp Kafka stores, never below -1', () => {
    expect(validateRecordBatch(batchOf([T0 + 3n, T0 + 90n, T0 - 2n])).maxTimestamp).toBe(T0 + 90n)
    expect(validateRecordBatch(batchOf([-5n, -9n])).maxTimestamp).toBe(-1n)
  })

  it('computes timestamps past 2^53 and wrapping around int64 exactly, as Kafka’s long arithmetic does', () => {
    const far = 2n ** 60n
    expect(validateRecordBatch(batchOf([far, far + 1n], 0n)).maxTimestamp).toBe(far + 1n)
    // baseTimestamp near the top of int64: base + delta wraps to a negative timestamp, as in Java.
    const top = 2n ** 63n - 10n
    const wrapped = withSection(section([0n, 20n]), 2)
    wrapped.writeBigInt64BE(top, 27)
    wrapped.writeUInt32BE(crc32c(wrapped, 21, wrapped.length), 17)
    const result = validateRecordBatch(wrapped)
    expect(result.errorCode).toBe(ErrorCodes.NONE)
    expect(result.maxTimestamp).toBe(top)
    const decoded = decodeRecordBatch(wrapped)
    const second = decoded.records[1]
    expect(second === undefined ? undefined : recordTimestamp(decoded.header, second)).toBe(
      BigInt.asIntN(64, top + 20n),
    )
  })

  it('checks the base offset, control batches and sequences only for appends from clients', () => {
    const control = encodeControlRecordBatch({ type: 'commit', producerId: 1n, producerEpoch: 0, coordinatorEpoch: 0 })
    expect(validateRecordBatch(control).errorCode).toBe(ErrorCodes.INVALID_RECORD)
    expect(validateRecordBatch(control, { fromClient: false }).errorCode).toBe(ErrorCodes.NONE)
    const moved = encodeRecordBatchSync({ baseOffset: 42n, records: [{ value: Buffer.from('x') }] })
    expect(validateRecordBatch(moved).errorCode).toBe(ErrorCodes.INVALID_RECORD)
    expect(validateRecordBatch(moved, { fromClient: false }).errorCode).toBe(ErrorCodes.NONE)
  })

  it('skips the CRC when told to, and still checks every record', () => {
    const batch = batchOf([T0])
    batch.writeUInt32BE(0, 17)
    expect(validateRecordBatch(batch).errorCode).toBe(ErrorCodes.CORRUPT_MESSAGE)
    expect(validateRecordBatch(batch, { verifyCrc: false }).errorCode).toBe(ErrorCodes.NONE)
    batch.writeInt32BE(2, 57)
    expect(validateRecordBatch(batch, { verifyCrc: false }).errorCode).toBe(ErrorCodes.INVALID_RECORD)
  })

  it('checks the size limit before the CRC, as Kafka does', () => {
    const batch = batchOf([T0])
    batch.writeUInt32BE(0, 17)
    expect(validateRecordBatch(batch, { maxBatchBytes: batch.length }).errorCode).toBe(ErrorCodes.CORRUPT_MESSAGE)
    expect(validateRecordBatch(batch, { maxBatchBytes: batch.length - 1 }).errorCode).toBe(ErrorCodes.MESSAGE_TOO_LARGE)
  })

  it('answers UNKNOWN_SERVER_ERROR with the codec lookup’s own message when a codec cannot be had', () => {
    const batch = withSection(Buffer.from('compressed?'), 1, 2)
    const missing = validateRecordBatch(batch, {
      codecs: () => {
        throw new Error('install the snappy codec')
      },
    })
    expect(missing).toMatchObject({ errorCode: ErrorCodes.UNKNOWN_SERVER_ERROR, message: 'install the snappy codec' })
    expect(validateRecordBatch(batch).message).toMatch(/no snappy codec is available/)
    const failing: Codec = {
      ...gzip(),
      type: 2,
      name: 'snappy',
      decompress: () => {
        throw new Error('bad frame')
      },
    }
    expect(validateRecordBatch(batch, { codecs: () => failing }).message).toMatch(
      /failed to decompress a snappy.*bad frame/,
    )
  })

  it('accepts a ten-byte varlong timestamp delta, dropping bits past the 64th as Kafka does', () => {
    const w = new Writer(64)
    const body = Buffer.from([0, ...Array(9).fill(0xff), 0x7f, 0, 1, 1, 0])
    w.writeVarInt(body.length).writeRaw(body)
    const batch = withSection(w.toBufferCopy(), 1)
    expect(validateRecordBatch(batch).errorCode).toBe(ErrorCodes.NONE)
    // 0xff x9 then 0x7f: the low 64 bits are all ones, zig-zag -2^63.
    expect(decodeRecordBatch(batch).records[0]?.timestampDelta).toBe(-(2n ** 63n))
  })

  it('refuses a five-byte varint above 32 bits, which the decoder would refuse too', () => {
    const w = new Writer(64)
    const body = Buffer.from([0, 0, 0x80, 0x80, 0x80, 0x80, 0x10, 1, 1, 0])
    w.writeVarInt(body.length).writeRaw(body)
    const batch = withSection(w.toBufferCopy(), 1)
    expect(validateRecordBatch(batch)).toMatchObject({ errorCode: ErrorCodes.INVALID_RECORD })
    expect(validateRecordBatch(batch).message).toMatch(/offset delta of record 0 .* longer than its type allows/)
    expect(() => decodeRecordBatch(batch)).toThrow()
  })
})

describe('validateRecordBatch and a producer’s LogAppendTime batch', () => {
  it('answers the maxTimestamp Kafka stores for it as CreateTime: its own, but never below -1', () => {
    const batch = batchOf([T0, T0 + 1n])
    batch.writeInt16BE(TIMESTAMP_TYPE_LOG_APPEND, 21)
    for (const [sent, stored] of [
      [T0 + 50n, T0 + 50n],
      [-5n, -1n],
    ] as const) {
      batch.writeBigInt64BE(sent, 35)
      batch.writeUInt32BE(crc32c(batch, 21, batch.length), 17)
      expect(validateRecordBatch(batch)).toMatchObject({ errorCode: ErrorCodes.NONE, maxTimestamp: stored })
    }
  })
})

describe('setCreateTimeMaxTimestamp', () => {
  it('rewrites the timestamp type and maxTimestamp and fixes the CRC, or changes nothing when they already agree', () => {
    const batch = batchOf([T0, T0 + 7n])
    const before = Buffer.from(batch)
    expect(setCreateTimeMaxTimestamp(batch, T0 + 7n)).toBe(false)
    expect(batch).toEqual(before)
    batch.writeInt16BE(TIMESTAMP_TYPE_LOG_APPEND | 0x80, 21)
    expect(setCreateTimeMaxTimestamp(batch, T0 + 9n)).toBe(true)
    const header = readRecordBatchHeader(batch)
    expect(header.attributes).toBe(0)
    expect(header.maxTimestamp).toBe(T0 + 9n)
    expect(validateRecordBatch(batch).errorCode).toBe(ErrorCodes.NONE)
  })
})
