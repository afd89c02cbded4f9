import { Buffer } from 'node:buffer'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { Codec } from '../../../src/compression/codec.js'
import { gzip } from '../../../src/compression/gzip.js'
import { ProtocolError } from '../../../src/errors/protocol-error.js'
import { crc32c } from '../../../src/protocol/buffer/crc32c.js'
import { Writer } from '../../../src/protocol/buffer/writer.js'
import {
  compressionOf,
  decodeRecordBatch,
  encodeControlRecordBatch,
  encodeRecordBatch,
  encodeRecordBatchSync,
  IS_CONTROL,
  IS_TRANSACTIONAL,
  RECORD_BATCH_HEADER_SIZE,
  type RecordInput,
  readControlRecordType,
  readEndTransactionMarker,
  readRecordBatchHeader,
  recordOffset,
  recordTimestamp,
  reserveRecordBatchHeader,
  sealRecordBatch,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  splitRecordBatches,
  TIMESTAMP_TYPE_LOG_APPEND,
  verifyRecordBatchCrc,
  writeRecord,
} from '../../../src/protocol/records/index.js'

const T0 = 1_700_000_000_000n

function sampleRecords(n = 3): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    key: i === 1 ? null : Buffer.from(`key-${i}`),
    value: Buffer.from(`value number ${i} `.repeat(i + 1)),
    headers: [
      { key: 'source', value: Buffer.from('test') },
      { key: 'index', value: Buffer.from(String(i)) },
    ],
    timestamp: T0 + BigInt(i * 10),
  }))
}

async function expectRejectsWithProtocolError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(ProtocolError.isInstance(error), `expected a ProtocolError, got ${String(error)}`).toBe(true)
  expect((error as Error).message).toMatch(message)
}

describe('record batch encoding and decoding', () => {
  it('round-trips an uncompressed batch with every header field', async () => {
    const batch = await encodeRecordBatch({
      baseOffset: 1234n,
      partitionLeaderEpoch: 7,
      producerId: 99n,
      producerEpoch: 3,
      baseSequence: 42,
      records: sampleRecords(),
    })
    const { header, records } = decodeRecordBatch(batch)
    expect(header).toEqual({
      baseOffset: 1234n,
      batchLength: batch.length - 12,
      partitionLeaderEpoch: 7,
      magic: 2,
      crc: crc32c(batch, 21),
      attributes: 0,
      lastOffsetDelta: 2,
      baseTimestamp: T0,
      maxTimestamp: T0 + 20n,
      producerId: 99n,
      producerEpoch: 3,
      baseSequence: 42,
      recordCount: 3,
    })
    expect(verifyRecordBatchCrc(batch, 0, header)).toBe(true)
    expect(records.map((r) => recordOffset(header, r))).toEqual([1234n, 1235n, 1236n])
    expect(records.map((r) => recordTimestamp(header, r))).toEqual([T0, T0 + 10n, T0 + 20n])
    expect(records.map((r) => r.key)).toEqual([Buffer.from('key-0'), null, Buffer.from('key-2')])
    expect(records.map((r) => r.value)).toEqual(sampleRecords().map((r) => r.value))
    expect(records[2]?.headers).toEqual([
      { key: 'source', value: Buffer.from('test') },
      { key: 'index', value: Buffer.from('2') },
    ])
  })

  it('uses the Java producer defaults for unset fields', async () => {
    const before = BigInt(Date.now())
    const batch = await encodeRecordBatch({ records: [{ value: Buffer.from('a') }, { value: Buffer.from('b') }] })
    const after = BigInt(Date.now())
    const header = readRecordBatchHeader(batch)
    expect(header.baseOffset).toBe(0n)
    expect(header.partitionLeaderEpoch).toBe(-1)
    expect(header.producerId).toBe(-1n)
    expect(header.producerEpoch).toBe(-1)
    expect(header.baseSequence).toBe(-1)
    expect(header.lastOffsetDelta).toBe(1)
    expect(header.baseTimestamp).toBeGreaterThanOrEqual(before)
    expect(header.baseTimestamp).toBeLessThanOrEqual(after)
    expect(header.maxTimestamp).toBe(header.baseTimestamp)
  })

  it('takes baseTimestamp from the first record and maxTimestamp from the largest, allowing negative deltas', () => {
    const batch = encodeRecordBatchSync({
      records: [
        { value: Buffer.from('a'), timestamp: T0 },
        { value: Buffer.from('b'), timestamp: T0 - 5000n },
        { value: Buffer.from('c'), timestamp: T0 + 7n },
      ],
    })
    const { header, records } = decodeRecordBatch(batch)
    expect(header.baseTimestamp).toBe(T0)
    expect(header.maxTimestamp).toBe(T0 + 7n)
    expect(records.map((r) => r.timestampDelta)).toEqual([0n, -5000n, 7n])
    expect(records.map((r) => recordTimestamp(header, r))).toEqual([T0, T0 - 5000n, T0 + 7n])
  })

  it('produces the same bytes synchronously and asynchronously without a codec', async () => {
    const input = { baseOffset: 5n, records: sampleRecords(4) }
    expect(encodeRecordBatchSync(input)).toEqual(await encodeRecordBatch(input))
  })

  it('returns a batch in a buffer allocated for its size, not a grown one', async () => {
    // Large enough not to come from Node's shared small-buffer pool.
    const batch = await encodeRecordBatch({ records: sampleRecords(100) })
    expect(batch.length).toBe(readRecordBatchHeader(batch).batchLength + 12)
    expect(batch.length).toBeGreaterThan(8192)
    expect(batch.buffer.byteLength - batch.length).toBeLessThanOrEqual(10)
  })

  it('round-trips large offsets and explicit offset deltas', () => {
    const batch = encodeRecordBatchSync({
      baseOffset: 2n ** 62n,
      records: [
        { value: Buffer.from('a'), offsetDelta: 0, timestamp: T0 },
        { value: Buffer.from('b'), offsetDelta: 1000, timestamp: T0 },
      ],
    })
    const { header, records } = decodeRecordBatch(batch)
    expect(header.lastOffsetDelta).toBe(1000)
    expect(records.map((r) => recordOffset(header, r))).toEqual([2n ** 62n, 2n ** 62n + 1000n])
  })

  it('round-trips an empty batch', () => {
    const batch = encodeRecordBatchSync({ records: [], baseTimestamp: T0 })
    expect(batch.length).toBe(RECORD_BATCH_HEADER_SIZE)
    const { header, records } = decodeRecordBatch(batch)
    expect(header.recordCount).toBe(0)
    expect(records).toEqual([])
  })

  it('round-trips a gzip batch with small records compressed inline', async () => {
    const input = { producerId: 7n, producerEpoch: 1, baseSequence: 0, codec: gzip(), records: sampleRecords(5) }
    const batch = await encodeRecordBatch(input)
    const { header, records } = decodeRecordBatch(batch)
    expect(compressionOf(header.attributes)).toBe(1)
    expect(verifyRecordBatchCrc(batch)).toBe(true)
    const plain = decodeRecordBatch(encodeRecordBatchSync({ ...input, codec: undefined }))
    expect(records).toEqual(plain.records)
    // The records section is one gzip stream of exactly the uncompressed records.
    const uncompressed = encodeRecordBatchSync({ ...input, codec: undefined })
    expect(gunzipSync(batch.subarray(RECORD_BATCH_HEADER_SIZE))).toEqual(
      uncompressed.subarray(RECORD_BATCH_HEADER_SIZE),
    )
  })

  it('round-trips a gzip batch large enough to compress on the thread pool', async () => {
    const records = Array.from({ length: 2000 }, (_, i) => ({
      key: Buffer.from(`k${i}`),
      value: Buffer.from(JSON.stringify({ id: i, name: `customer ${i}`, amount: i * 3.5 })),
      timestamp: T0 + BigInt(i),
    }))
    const batch = await encodeRecordBatch({ codec: gzip(), records })
    expect(batch.length).toBeLessThan(40_000)
    const decoded = decodeRecordBatch(batch)
    expect(decoded.records).toHaveLength(2000)
    expect(decoded.records[1999]?.value?.toString()).toBe(
      JSON.stringify({ id: 1999, name: 'customer 1999', amount: 1999 * 3.5 }),
    )
    expect(decoded.header.maxTimestamp).toBe(T0 + 1999n)
  })

  it('decompresses with a codec supplied by the caller', async () => {
    const calls: string[] = []
    const fake: Codec = {
      name: 'reverse',
      type: 2,
      compress: async (data) => {
        calls.push('compress')
        return Buffer.from(data).reverse()
      },
      decompress: (data) => {
        calls.push('decompress')
        return Buffer.from(data).reverse()
      },
    }
    const batch = await encodeRecordBatch({ codec: fake, records: sampleRecords() })
    expect(compressionOf(readRecordBatchHeader(batch).attributes)).toBe(2)
    const { records } = decodeRecordBatch(batch, (type) => (type === 2 ? fake : undefined))
    expect(records.map((r) => r.key)).toEqual([Buffer.from('key-0'), null, Buffer.from('key-2')])
    expect(calls).toEqual(['compress', 'decompress'])
  })

  it('names the compression type when no codec is available', async () => {
    const fake: Codec = { name: 'zstd', type: 4, compress: (d) => d, decompress: (d) => d }
    const batch = await encodeRecordBatch({ codec: fake, records: sampleRecords() })
    expect(() => decodeRecordBatch(batch)).toThrow(ProtocolError)
    expect(() => decodeRecordBatch(batch)).toThrow(/compressed with zstd \(compression type 4\) but no zstd codec/)
    expect(() => decodeRecordBatch(batch, () => undefined)).toThrow(/zstd/)
  })

  it('rejects an unknown compression type', () => {
    const batch = encodeRecordBatchSync({ records: sampleRecords() })
    batch.writeInt16BE(6, 21)
    expect(() => decodeRecordBatch(batch)).toThrow(/unknown compression type 6/)
  })

  it('sets the transactional, control and log-append attribute bits', () => {
    const batch = encodeRecordBatchSync({
      isTransactional: true,
      isControl: true,
      timestampType: 'log-append',
      records: [{ value: null, timestamp: T0 }],
    })
    const { attributes } = readRecordBatchHeader(batch)
    expect(attributes).toBe(IS_TRANSACTIONAL | IS_CONTROL | TIMESTAMP_TYPE_LOG_APPEND)
    expect(compressionOf(attributes)).toBe(0)
  })

  it('refuses a codec in the synchronous encoder', () => {
    // @ts-expect-error the synchronous encoder accepts no codec
    expect(() => encodeRecordBatchSync({ codec: gzip(), records: [] })).toThrow(/cannot compress/)
  })
})

describe('control batches', () => {
  it('encodes a commit marker as a transactional control batch', () => {
    const batch = encodeControlRecordBatch({
      type: 'commit',
      producerId: 4000n,
      producerEpoch: 2,
      coordinatorEpoch: 17,
      timestamp: T0,
      baseOffset: 88n,
    })
    const { header, records } = decodeRecordBatch(batch)
    expect(header.attributes & (IS_TRANSACTIONAL | IS_CONTROL)).toBe(IS_TRANSACTIONAL | IS_CONTROL)
    expect(header.producerId).toBe(4000n)
    expect(header.producerEpoch).toBe(2)
    expect(header.baseSequence).toBe(-1)
    expect(header.baseOffset).toBe(88n)
    expect(header.baseTimestamp).toBe(T0)
    expect(records).toHaveLength(1)
    const record = records[0] as (typeof records)[number]
    expect(record.key).toEqual(Buffer.from([0, 0, 0, 1]))
    expect(record.value).toEqual(Buffer.from([0, 0, 0, 0, 0, 17]))
    expect(readControlRecordType(record)).toBe('commit')
    expect(readEndTransactionMarker(record)).toEqual({ type: 'commit', coordinatorEpoch: 17 })
    expect(verifyRecordBatchCrc(batch)).toBe(true)
  })

  it('encodes an abort marker', () => {
    const batch = encodeControlRecordBatch({ type: 'abort', producerId: 1n, producerEpoch: 0, coordinatorEpoch: 0 })
    const record = decodeRecordBatch(batch).records[0]
    expect(record && readControlRecordType(record)).toBe('abort')
  })

  it('reports unknown control types and rejects malformed control keys', () => {
    const base = { attributes: 0, timestampDelta: 0n, offsetDelta: 0, value: null, headers: [] }
    expect(readControlRecordType({ ...base, key: Buffer.from([0, 0, 0, 5]) })).toBe('unknown')
    expect(() => readControlRecordType({ ...base, key: null })).toThrow(ProtocolError)
    expect(() => readControlRecordType({ ...base, key: Buffer.from([0, 0, 1]) })).toThrow(/at least 4 bytes/)
    expect(() => readControlRecordType({ ...base, key: Buffer.from([0xff, 0xff, 0, 1]) })).toThrow(/version -1/)
    expect(() => readEndTransactionMarker({ ...base, key: Buffer.from([0, 0, 0, 1]) })).toThrow(/at least 6 bytes/)
  })
})

describe('fields a broker rewrites', () => {
  it('keeps the CRC valid after setBaseOffset and setPartitionLeaderEpoch', async () => {
    const batch = await encodeRecordBatch({ codec: gzip(), records: sampleRecords() })
    const crc = readRecordBatchHeader(batch).crc
    setBaseOffset(batch, 123_456_789_012n)
    setPartitionLeaderEpoch(batch, 12)
    const header = readRecordBatchHeader(batch)
    expect(header.baseOffset).toBe(123_456_789_012n)
    expect(header.partitionLeaderEpoch).toBe(12)
    expect(header.crc).toBe(crc)
    expect(verifyRecordBatchCrc(batch, 0, header)).toBe(true)
    expect(decodeRecordBatch(batch).records.map((r) => recordOffset(header, r))).toEqual([
      123_456_789_012n,
      123_456_789_013n,
      123_456_789_014n,
    ])
  })

  it('rewrites a batch at an offset inside a larger buffer', () => {
    const a = encodeRecordBatchSync({ records: sampleRecords(1) })
    const b = encodeRecordBatchSync({ records: sampleRecords(2) })
    const both = Buffer.concat([a, b])
    setBaseOffset(both, 10n, a.length)
    setPartitionLeaderEpoch(both, 3, a.length)
    const [first, second] = splitRecordBatches(both)
    expect(first?.header.baseOffset).toBe(0n)
    expect(second?.header.baseOffset).toBe(10n)
    expect(second?.header.partitionLeaderEpoch).toBe(3)
    expect(verifyRecordBatchCrc(both, a.length)).toBe(true)
  })

  it('sets log append time, recomputing the CRC', () => {
    const batch = encodeRecordBatchSync({ records: sampleRecords() })
    setLogAppendTime(batch, T0 + 999n)
    const { header, records } = decodeRecordBatch(batch)
    expect(header.attributes & TIMESTAMP_TYPE_LOG_APPEND).toBe(TIMESTAMP_TYPE_LOG_APPEND)
    expect(header.maxTimestamp).toBe(T0 + 999n)
    expect(verifyRecordBatchCrc(batch)).toBe(true)
    expect(records.map((r) => recordTimestamp(header, r))).toEqual([T0 + 999n, T0 + 999n, T0 + 999n])
  })
})

describe('splitting concatenated batches', () => {
  const batches = [1, 2, 3].map((n, i) =>
    encodeRecordBatchSync({ baseOffset: BigInt(i * 10), records: sampleRecords(n) }),
  )
  const all = Buffer.concat(batches)

  it('finds every batch as a view into the input', () => {
    const split = splitRecordBatches(all)
    expect(split.map((s) => s.header.baseOffset)).toEqual([0n, 10n, 20n])
    expect(split.map((s) => s.header.recordCount)).toEqual([1, 2, 3])
    for (const [i, s] of split.entries()) {
      expect(s.bytes).toEqual(batches[i])
      expect(s.bytes.buffer).toBe(all.buffer)
    }
  })

  it('returns no batches for empty input', () => {
    expect(splitRecordBatches(Buffer.alloc(0))).toEqual([])
  })

  it('drops a cut-off last batch when allowPartialTail is set', () => {
    const [first, second, third] = batches as [Buffer, Buffer, Buffer]
    const withoutLast = first.length + second.length
    for (const cut of [1, 11, 12, 20, 61, third.length - 1]) {
      const truncated = all.subarray(0, withoutLast + cut)
      expect(splitRecordBatches(truncated, { allowPartialTail: true }).map((s) => s.header.baseOffset)).toEqual([
        0n,
        10n,
      ])
      expect(() => splitRecordBatches(truncated)).toThrow(ProtocolError)
    }
  })

  it('still rejects a corrupt batch before the tail when allowPartialTail is set', () => {
    const copy = Buffer.from(all)
    copy.writeInt8(1, (batches[0] as Buffer).length + 16)
    expect(() => splitRecordBatches(copy, { allowPartialTail: true })).toThrow(/magic 1/)
  })
})

describe('incremental batch building', () => {
  it('seals a batch whose records were written straight into a writer', () => {
    const w = new Writer(64)
    const start = reserveRecordBatchHeader(w)
    writeRecord(w, 0, 0, Buffer.from('k'), Buffer.from('v1'))
    writeRecord(w, 1, 5, null, Buffer.from('v2'), [{ key: 'h', value: null }])
    sealRecordBatch(w, start, {
      baseOffset: 0n,
      partitionLeaderEpoch: -1,
      attributes: 0,
      lastOffsetDelta: 1,
      baseTimestamp: T0,
      maxTimestamp: T0 + 5n,
      producerId: 5n,
      producerEpoch: 0,
      baseSequence: 10,
      recordCount: 2,
    })
    const built = Buffer.from(w.toBuffer())
    const expected = encodeRecordBatchSync({
      producerId: 5n,
      producerEpoch: 0,
      baseSequence: 10,
      records: [
        { key: Buffer.from('k'), value: Buffer.from('v1'), timestamp: T0 },
        { value: Buffer.from('v2'), headers: [{ key: 'h', value: null }], timestamp: T0 + 5n },
      ],
    })
    expect(built).toEqual(expected)
  })
})

describe('gzip interoperability', () => {
  it('decodes a batch whose records section was gzipped by another implementation', () => {
    const plain = encodeRecordBatchSync({ records: sampleRecords() })
    const compressed = gzipSync(plain.subarray(RECORD_BATCH_HEADER_SIZE), { level: 9 })
    const w = new Writer()
    const start = reserveRecordBatchHeader(w)
    w.writeRaw(compressed)
    const { crc: _crc, batchLength: _len, magic: _magic, ...fields } = readRecordBatchHeader(plain)
    sealRecordBatch(w, start, { ...fields, attributes: 1 })
    const batch = Buffer.from(w.toBuffer())
    expect(decodeRecordBatch(batch).records).toEqual(decodeRecordBatch(plain).records)
  })

  it('reports corrupt gzip data as a ProtocolError', async () => {
    const batch = await encodeRecordBatch({ codec: gzip(), records: sampleRecords() })
    batch.fill(0x55, RECORD_BATCH_HEADER_SIZE + 12, RECORD_BATCH_HEADER_SIZE + 20)
    await expectRejectsWithProtocolError(
      Promise.resolve().then(() => decodeRecordBatch(batch)),
      /could not decompress a gzip record batch/,
    )
  })
})
