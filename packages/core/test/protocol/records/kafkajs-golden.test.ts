import { Buffer } from 'node:buffer'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { gzip } from '../../../src/compression/gzip.js'
import {
  decodeRecordBatch,
  encodeControlRecordBatch,
  encodeRecordBatch,
  encodeRecordBatchSync,
  type RecordHeader,
  type RecordInput,
  recordOffset,
  recordTimestamp,
  verifyRecordBatchCrc,
} from '../../../src/protocol/records/index.js'

// kafkajs's own record batch encoder and decoder, loaded from its CommonJS sources.
const require = createRequire(import.meta.url)

interface KafkajsEncoder {
  buffer: Buffer
}
interface KafkajsRecord {
  offset: string
  timestamp: string
  key: Buffer | null
  value: Buffer | null
  headers: Record<string, Buffer | Buffer[] | null>
  attributes: number
}
interface KafkajsBatch {
  firstOffset: string
  firstTimestamp: string
  maxTimestamp: string
  partitionLeaderEpoch: number
  inTransaction: boolean
  isControlBatch: boolean
  lastOffsetDelta: number
  producerId: string
  producerEpoch: number
  firstSequence: number
  records: KafkajsRecord[]
}
interface KafkajsLong {
  toString(): string
}

const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (input: Record<string, unknown>) => Promise<KafkajsEncoder>
}
const KafkajsRecordEncoder = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (
  input: Record<string, unknown>,
) => KafkajsEncoder
const decodeKafkajsBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: unknown,
) => Promise<KafkajsBatch>
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown
const Long = require('kafkajs/src/utils/long.js') as { fromValue(value: string | number): KafkajsLong }
const { Types: KafkajsCompression } = require('kafkajs/src/protocol/message/compression/index.js') as {
  Types: { None: number; GZIP: number }
}

const T0 = 1_700_000_000_000n

interface Fixture {
  key: Buffer | null
  value: Buffer | null
  /** In kafkajs's shape: repeated keys become arrays, in order. */
  headers: Record<string, Buffer | Buffer[]>
  timestamp: bigint
}

/** Fixed records; timestamps ascend so kafkajs's firstTimestamp (its smallest) is the first record's. */
const FIXTURES: Fixture[] = [
  { key: Buffer.from('order-1'), value: Buffer.from('{"amount":10}'), headers: {}, timestamp: T0 },
  {
    key: null,
    value: Buffer.from('no key here'),
    headers: { source: Buffer.from('web'), trace: [Buffer.from('a'), Buffer.from('b')] },
    timestamp: T0 + 5n,
  },
  { key: Buffer.from('ключ'), value: Buffer.alloc(0), headers: { 'clé-🔑': Buffer.from('ü') }, timestamp: T0 + 5n },
  { key: Buffer.from('k'), value: null, headers: {}, timestamp: T0 + 100_000n },
  {
    key: Buffer.alloc(300, 1),
    value: Buffer.alloc(5000, 2),
    headers: { big: Buffer.alloc(200, 3) },
    timestamp: T0 + 3n,
  },
]

function toHeaderList(headers: Fixture['headers']): RecordHeader[] {
  return Object.entries(headers).flatMap(([key, value]) =>
    Array.isArray(value) ? value.map((v) => ({ key, value: v })) : [{ key, value }],
  )
}

function ourRecords(): RecordInput[] {
  return FIXTURES.map((f) => ({ key: f.key, value: f.value, headers: toHeaderList(f.headers), timestamp: f.timestamp }))
}

const PRODUCER = { producerId: 123_456_789_012n, producerEpoch: 7, baseSequence: 1000 }
let maxTimestamp = T0
for (const f of FIXTURES) if (f.timestamp > maxTimestamp) maxTimestamp = f.timestamp

async function encodeWithKafkajs(compression: number, baseOffset = 0n, transactional = false): Promise<Buffer> {
  const records = FIXTURES.map((f, i) =>
    KafkajsRecordEncoder({
      offsetDelta: i,
      timestampDelta: Number(f.timestamp - T0),
      key: f.key,
      value: f.value,
      headers: f.headers,
    }),
  )
  const encoder = await RecordBatch({
    compression,
    firstOffset: Long.fromValue(baseOffset.toString()),
    firstTimestamp: Number(T0),
    maxTimestamp: Number(maxTimestamp),
    partitionLeaderEpoch: 0,
    lastOffsetDelta: records.length - 1,
    transactional,
    producerId: Long.fromValue(PRODUCER.producerId.toString()),
    producerEpoch: PRODUCER.producerEpoch,
    firstSequence: PRODUCER.baseSequence,
    records,
  })
  return encoder.buffer
}

function expectKafkajsSeesFixtures(batch: KafkajsBatch, baseOffset: bigint): void {
  expect(batch.firstOffset).toBe(baseOffset.toString())
  expect(batch.firstTimestamp).toBe(T0.toString())
  expect(batch.maxTimestamp).toBe(maxTimestamp.toString())
  expect(batch.producerId).toBe(PRODUCER.producerId.toString())
  expect(batch.producerEpoch).toBe(PRODUCER.producerEpoch)
  expect(batch.firstSequence).toBe(PRODUCER.baseSequence)
  expect(batch.lastOffsetDelta).toBe(FIXTURES.length - 1)
  expect(batch.records).toHaveLength(FIXTURES.length)
  for (const [i, record] of batch.records.entries()) {
    const fixture = FIXTURES[i] as Fixture
    expect(record.offset).toBe((baseOffset + BigInt(i)).toString())
    expect(record.timestamp).toBe(fixture.timestamp.toString())
    expect(record.key).toEqual(fixture.key)
    expect(record.value).toEqual(fixture.value)
    expect(record.headers).toEqual(fixture.headers)
    expect(record.attributes).toBe(0)
  }
}

describe('record batches against kafkajs 2.2.4', () => {
  it('encodes uncompressed batches byte for byte like kafkajs', async () => {
    const theirs = await encodeWithKafkajs(KafkajsCompression.None, 42n)
    const ours = encodeRecordBatchSync({ baseOffset: 42n, partitionLeaderEpoch: 0, ...PRODUCER, records: ourRecords() })
    expect(ours.toString('hex')).toBe(theirs.toString('hex'))
  })

  it('encodes transactional batches byte for byte like kafkajs', async () => {
    const theirs = await encodeWithKafkajs(KafkajsCompression.None, 0n, true)
    const ours = encodeRecordBatchSync({
      partitionLeaderEpoch: 0,
      isTransactional: true,
      ...PRODUCER,
      records: ourRecords(),
    })
    expect(ours.equals(theirs)).toBe(true)
  })

  it('encodes gzip batches byte for byte like kafkajs (same zlib, default level)', async () => {
    const theirs = await encodeWithKafkajs(KafkajsCompression.GZIP, 9n)
    const ours = await encodeRecordBatch({
      baseOffset: 9n,
      partitionLeaderEpoch: 0,
      codec: gzip(),
      ...PRODUCER,
      records: ourRecords(),
    })
    expect(ours.toString('hex')).toBe(theirs.toString('hex'))
  })

  it('decodes what kafkajs encodes, uncompressed and gzip', async () => {
    for (const compression of [KafkajsCompression.None, KafkajsCompression.GZIP]) {
      const bytes = await encodeWithKafkajs(compression, 1_000_000_000_000n)
      expect(verifyRecordBatchCrc(bytes)).toBe(true)
      const { header, records } = decodeRecordBatch(bytes)
      expect(header.attributes & 7).toBe(compression)
      expect(header.producerId).toBe(PRODUCER.producerId)
      expect(header.producerEpoch).toBe(PRODUCER.producerEpoch)
      expect(header.baseSequence).toBe(PRODUCER.baseSequence)
      expect(header.partitionLeaderEpoch).toBe(0)
      expect(records.map((r) => recordOffset(header, r))).toEqual(
        FIXTURES.map((_, i) => 1_000_000_000_000n + BigInt(i)),
      )
      expect(records.map((r) => recordTimestamp(header, r))).toEqual(FIXTURES.map((f) => f.timestamp))
      expect(records.map((r) => r.key)).toEqual(FIXTURES.map((f) => f.key))
      expect(records.map((r) => r.value)).toEqual(FIXTURES.map((f) => f.value))
      expect(records.map((r) => r.headers)).toEqual(FIXTURES.map((f) => toHeaderList(f.headers)))
    }
  })

  it('produces batches kafkajs decodes to the same records, uncompressed and gzip', async () => {
    for (const codec of [undefined, gzip()]) {
      const baseOffset = 77n
      const bytes = await encodeRecordBatch({ baseOffset, codec, ...PRODUCER, records: ourRecords() })
      const batch = await decodeKafkajsBatch(new KafkajsDecoder(bytes))
      expectKafkajsSeesFixtures(batch, baseOffset)
      expect(batch.inTransaction).toBe(false)
      expect(batch.isControlBatch).toBe(false)
      expect(batch.partitionLeaderEpoch).toBe(-1)
    }
  })

  it('produces control batches kafkajs recognises as transactional control batches', async () => {
    const bytes = encodeControlRecordBatch({
      type: 'commit',
      producerId: 5n,
      producerEpoch: 1,
      coordinatorEpoch: 3,
      timestamp: T0,
      baseOffset: 10n,
    })
    const batch = await decodeKafkajsBatch(new KafkajsDecoder(bytes))
    expect(batch.inTransaction).toBe(true)
    expect(batch.isControlBatch).toBe(true)
    expect(batch.records[0]?.key).toEqual(Buffer.from([0, 0, 0, 1]))
    expect(batch.records[0]?.offset).toBe('10')
  })
})
