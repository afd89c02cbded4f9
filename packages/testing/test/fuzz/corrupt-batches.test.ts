import { gzipSync } from 'node:zlib'
import {
  type ApiDefinition,
  Connection,
  crc32c,
  decodeRecordBatch,
  ErrorCodes,
  type ProduceRequest,
  type ProduceResponse,
  produce,
  readRecordBatchHeader,
  TIMESTAMP_TYPE_LOG_APPEND,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it } from 'vitest'
import type { MockCluster } from '../../src/index.js'
import { type RawRecord, rawBatch, rawRecords } from '../record-bytes.js'
import { FUZZ_SCALE, type Random, seeded } from './fuzz-support.js'

// Produce requests whose record batches are corrupted in every field, with the CRC recomputed so
// that the broker's record validation, not its CRC check, has to catch them. Each answer must be
// the error code Kafka answers (see LogValidator, DefaultRecordBatch, DefaultRecord), a refused
// batch must leave nothing behind, and records() must keep decoding everything stored.

const { NONE, CORRUPT_MESSAGE, INVALID_RECORD, UNKNOWN_SERVER_ERROR } = ErrorCodes

const BASE: RawRecord[] = [
  {
    key: Buffer.from('k0'),
    value: Buffer.from('first'),
    headers: [{ key: Buffer.from('h'), value: Buffer.from('x') }],
  },
  { key: null, value: Buffer.from('second'), timestampDelta: 7n },
  {
    key: Buffer.from('k2'),
    value: null,
    timestampDelta: 3n,
    headers: [
      { key: Buffer.from('a'), value: null },
      { key: Buffer.from('b'), value: Buffer.from('yy') },
    ],
  },
]

/** The base batch's maxTimestamp: its records' largest timestamp. */
const BASE_MAX_TIMESTAMP = 1_700_000_000_007n

/** Recomputes the CRC over the batch as its batchLength declares it (when that fits the buffer). */
function recrc(batch: Buffer): Buffer {
  if (batch.length < 21) return batch
  const declared = 12 + batch.readInt32BE(8)
  const end = declared >= 21 && declared <= batch.length ? declared : batch.length
  batch.writeUInt32BE(crc32c(batch, 21, end), 17)
  return batch
}

/** The base batch with one header field overwritten, CRC recomputed. */
function withHeaderField(write: (b: Buffer) => void, spec: Parameters<typeof rawBatch>[0] = {}): Buffer {
  const b = rawBatch({ records: BASE, maxTimestamp: BASE_MAX_TIMESTAMP, ...spec })
  write(b)
  return recrc(b)
}

interface Case {
  what: string
  batch: Buffer
  code: number
  /** Whether the batch is stored (with this many records). */
  stores?: number
  transactionalId?: string | null
}

function headerCases(): Case[] {
  const int64 = (at: number, v: bigint) => (b: Buffer) => b.writeBigInt64BE(v, at)
  const int32 = (at: number, v: number) => (b: Buffer) => b.writeInt32BE(v, at)
  const int16 = (at: number, v: number) => (b: Buffer) => b.writeInt16BE(v, at)
  const int8 = (at: number, v: number) => (b: Buffer) => b.writeInt8(v, at)
  const length = rawBatch({ records: BASE }).length - 12
  const cases: Array<[string, (b: Buffer) => void, number, number?]> = [
    ['baseOffset 1', int64(0, 1n), INVALID_RECORD],
    ['baseOffset -1', int64(0, -1n), INVALID_RECORD],
    ['baseOffset 2^62', int64(0, 2n ** 62n), INVALID_RECORD],
    ['batchLength one past the end', int32(8, length + 1), INVALID_RECORD],
    ['batchLength one short', int32(8, length - 1), INVALID_RECORD],
    ['batchLength 13', int32(8, 13), CORRUPT_MESSAGE],
    ['batchLength 30', int32(8, 30), CORRUPT_MESSAGE],
    ['batchLength -1', int32(8, -1), CORRUPT_MESSAGE],
    ['partitionLeaderEpoch 99', int32(12, 99), NONE, 3],
    ['magic 0', int8(16, 0), INVALID_RECORD],
    ['magic 1', int8(16, 1), INVALID_RECORD],
    ['magic 3', int8(16, 3), CORRUPT_MESSAGE],
    ['magic -1', int8(16, -1), CORRUPT_MESSAGE],
    ['compression type 1 on plain records', int16(21, 1), UNKNOWN_SERVER_ERROR],
    ['compression type 5', int16(21, 5), UNKNOWN_SERVER_ERROR],
    ['compression type 6', int16(21, 6), UNKNOWN_SERVER_ERROR],
    ['compression type 7', int16(21, 7), UNKNOWN_SERVER_ERROR],
    ['the LogAppendTime bit', int16(21, TIMESTAMP_TYPE_LOG_APPEND), NONE, 3],
    ['the control bit', int16(21, 0x20), INVALID_RECORD],
    ['the delete horizon bit', int16(21, 0x40), NONE, 3],
    ['unused attribute bits', int16(21, -0x80), NONE, 3],
    ['lastOffsetDelta 3', int32(23, 3), INVALID_RECORD],
    ['lastOffsetDelta -1', int32(23, -1), INVALID_RECORD],
    ['lastOffsetDelta 2^31-1', int32(23, 0x7fffffff), INVALID_RECORD],
    ['baseTimestamp -1', int64(27, -1n), NONE, 3],
    ['baseTimestamp int64 max', int64(27, 2n ** 63n - 1n), NONE, 3],
    ['maxTimestamp 0', int64(35, 0n), NONE, 3],
    ['maxTimestamp int64 min', int64(35, -(2n ** 63n)), NONE, 3],
    ['producerId 5 without a sequence', int64(43, 5n), INVALID_RECORD],
    ['producerId -2', int64(43, -2n), NONE, 3],
    ['producerEpoch 77', int16(51, 77), NONE, 3],
    ['baseSequence 7 without a producer id', int32(53, 7), NONE, 3],
    ['recordCount 4', int32(57, 4), INVALID_RECORD],
    ['recordCount 2', int32(57, 2), INVALID_RECORD],
    ['recordCount 0', int32(57, 0), INVALID_RECORD],
    ['recordCount -1', int32(57, -1), INVALID_RECORD],
    [
      'recordCount and lastOffsetDelta 4',
      (b) => {
        b.writeInt32BE(4, 57)
        b.writeInt32BE(3, 23)
      },
      INVALID_RECORD,
    ],
    [
      'recordCount and lastOffsetDelta 2',
      (b) => {
        b.writeInt32BE(2, 57)
        b.writeInt32BE(1, 23)
      },
      INVALID_RECORD,
    ],
  ]
  const out: Case[] = cases.map(([what, write, code, stores]) => ({
    what: `header field: ${what}`,
    batch: withHeaderField(write),
    code,
    ...(stores === undefined ? {} : { stores }),
  }))
  out.push({
    what: 'header field: a CRC that does not match',
    batch: (() => {
      const b = rawBatch({ records: BASE })
      b.writeUInt32BE((b.readUInt32BE(17) + 1) >>> 0, 17)
      return b
    })(),
    code: CORRUPT_MESSAGE,
  })
  out.push({
    what: 'header field: the transactional bit in a request without a transactional id',
    batch: withHeaderField(int16(21, 0x10)),
    code: ErrorCodes.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  })
  out.push({
    what: 'header field: the transactional bit in a transactional request',
    batch: withHeaderField(int16(21, 0x10)),
    code: NONE,
    stores: 3,
    transactionalId: 'tx',
  })
  return out
}

/** Every record field of each record, set to values Kafka refuses or accepts. */
function recordCases(): Case[] {
  const out: Case[] = []
  const mutations: Array<[string, (r: RawRecord) => RawRecord, number]> = [
    ['length + 1', (r) => ({ ...r, length: lengthOf(r) + 1 }), INVALID_RECORD],
    ['length - 1', (r) => ({ ...r, length: lengthOf(r) - 1 }), INVALID_RECORD],
    ['length -1', (r) => ({ ...r, length: -1 }), INVALID_RECORD],
    ['length 2^30', (r) => ({ ...r, length: 2 ** 30 }), INVALID_RECORD],
    ['attributes 0x7f', (r) => ({ ...r, attributes: 0x7f }), NONE],
    ['timestamp delta -2^40', (r) => ({ ...r, timestampDelta: -(2n ** 40n) }), NONE],
    ['timestamp delta 2^62', (r) => ({ ...r, timestampDelta: 2n ** 62n }), NONE],
    ['offset delta + 1', (r) => r, INVALID_RECORD],
    ['key length -2', (r) => ({ ...r, keyLength: -2 }), INVALID_RECORD],
    ['key length + 1', (r) => ({ ...r, keyLength: (r.key?.length ?? 0) + 1 }), INVALID_RECORD],
    ['key length 2^30', (r) => ({ ...r, keyLength: 2 ** 30 }), INVALID_RECORD],
    ['value length -5', (r) => ({ ...r, valueLength: -5 }), INVALID_RECORD],
    ['value length + 1', (r) => ({ ...r, valueLength: (r.value?.length ?? 0) + 1 }), INVALID_RECORD],
    ['header count -1', (r) => ({ ...r, headerCount: -1 }), INVALID_RECORD],
    ['header count + 1', (r) => ({ ...r, headerCount: (r.headers?.length ?? 0) + 1 }), INVALID_RECORD],
    ['header count 2^30', (r) => ({ ...r, headerCount: 2 ** 30 }), INVALID_RECORD],
    ['a byte after the headers', (r) => ({ ...r, trailing: Buffer.from([0]) }), INVALID_RECORD],
    [
      'header key length -1',
      (r) => ({ ...r, headers: [{ key: Buffer.alloc(0), keyLength: -1, value: null }] }),
      INVALID_RECORD,
    ],
    [
      'header key length past the record',
      (r) => ({ ...r, headers: [{ key: Buffer.from('k'), keyLength: 40, value: null }] }),
      INVALID_RECORD,
    ],
    [
      'header value length -2',
      (r) => ({ ...r, headers: [{ key: Buffer.from('k'), value: null, valueLength: -2 }] }),
      INVALID_RECORD,
    ],
  ]
  for (const [name, mutate, code] of mutations) {
    for (let index = 0; index < BASE.length; index++) {
      const records = BASE.map((r, i) => (i === index ? mutate({ ...r }) : r))
      if (name === 'offset delta + 1') (records[index] as RawRecord).offsetDelta = index + 1
      for (const gzip of [false, true]) {
        const what = `record ${index} field: ${name}${gzip ? ' (gzip)' : ''}`
        // An accepted timestamp change moves maxTimestamp, which the broker recomputes: leave it as sent.
        const batch = rawBatch({ records, gzip })
        out.push({ what, batch, code, ...(code === NONE ? { stores: 3 } : {}) })
      }
    }
  }
  return out
}

function lengthOf(r: RawRecord): number {
  const encoded = rawRecords([r])
  // The length prefix is a varint of one or two bytes here; the rest is the record.
  return encoded.length - ((encoded[0] as number) >= 0x80 ? 2 : 1)
}

/**
 * Random records, then random bytes of their encoding changed (before compression, for gzip), with
 * the answer Kafka gives predicted by core's object decoder (a different reader than the broker's
 * validator): a batch that decodes with offset deltas 0, 1, 2, ... is stored, any other is refused
 * with INVALID_RECORD.
 */
function randomCases(rnd: Random, count: number): Case[] {
  const out: Case[] = []
  for (let n = 0; n < count; n++) {
    const records: RawRecord[] = Array.from({ length: rnd.int(1, 5) }, () => ({
      key: rnd.chance(0.3) ? null : rnd.bytes(rnd.int(0, 6)),
      value: rnd.chance(0.2) ? null : rnd.bytes(rnd.int(0, 20)),
      timestampDelta: BigInt(rnd.int(-1000, 1000)),
      headers: Array.from({ length: rnd.int(0, 2) }, () => ({
        key: Buffer.from(`h${rnd.int(0, 9)}`),
        value: rnd.chance(0.3) ? null : rnd.bytes(rnd.int(0, 4)),
      })),
    }))
    const section = rawRecords(records)
    for (let flips = rnd.int(1, 3); flips > 0; flips--) section[rnd.int(0, section.length - 1)] = rnd.int(0, 255)
    const gzip = rnd.chance(0.3)
    const batch = rawBatch({
      records: gzip ? gzipSync(section) : section,
      recordCount: records.length,
      lastOffsetDelta: records.length - 1,
      attributes: gzip ? 1 : 0,
    })
    let code: number = INVALID_RECORD
    try {
      const decoded = decodeRecordBatch(batch)
      if (decoded.records.every((r, i) => r.offsetDelta === i)) code = NONE
    } catch {
      code = INVALID_RECORD
    }
    out.push({
      what: `random record bytes #${n}${gzip ? ' (gzip)' : ''}`,
      batch,
      code,
      ...(code === NONE ? { stores: records.length } : {}),
    })
  }
  return out
}

describe('Produce with record batches corrupted in every field', () => {
  const { start, defer } = useHarness()

  it('answers each corruption with Kafka’s error code, stores only the valid batches and keeps records() working', async () => {
    const rnd = seeded('record batches corrupted in every field')
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    const broker = c.brokers[0]
    if (broker === undefined) throw new Error('no broker')
    const conn = await Connection.connect({
      host: broker.host,
      port: broker.port,
      clientId: 'corrupt',
      requestTimeoutMs: 10_000,
    })
    defer(() => conn.close())
    const send = (batch: Buffer, transactionalId: string | null) =>
      conn.send(produce as ApiDefinition<ProduceRequest, ProduceResponse>, 9, {
        transactionalId,
        acks: -1,
        timeoutMs: 1000,
        topicData: [{ name: 't', partitionData: [{ index: 0, records: batch }] }],
      })

    const cases = [...headerCases(), ...recordCases(), ...randomCases(rnd, 400 * FUZZ_SCALE)]
    const wrong: string[] = []
    let expectedRecords = 0
    let accepted = 0
    for (const k of cases) {
      const before = c.endOffset('t', 0)
      const response = await send(k.batch, k.transactionalId ?? null)
      const answer = response.responses[0]?.partitionResponses[0]
      const stored = c.endOffset('t', 0) - before
      if (answer?.errorCode !== k.code) {
        wrong.push(`${k.what}: expected error ${k.code}, got ${answer?.errorCode} (${answer?.errorMessage})`)
      }
      if (stored !== BigInt(k.stores ?? 0)) wrong.push(`${k.what}: stored ${stored} records, expected ${k.stores ?? 0}`)
      expectedRecords += k.stores ?? 0
      if (k.code === NONE) accepted++
    }
    expect(wrong).toEqual([])
    expect(accepted).toBeGreaterThan(0)
    expect(cases.length - accepted).toBeGreaterThan(accepted)
    expect(c.records('t')).toHaveLength(expectedRecords)
    assertStoredBatchesValid(c)
  })
})

/** Every stored batch has a CRC that matches, CreateTime, and the maxTimestamp of its records. */
function assertStoredBatchesValid(c: MockCluster): void {
  for (const { bytes } of c.batches('t', 0)) {
    const header = readRecordBatchHeader(bytes)
    expect(crc32c(bytes, 21, bytes.length)).toBe(header.crc)
    expect(header.attributes & TIMESTAMP_TYPE_LOG_APPEND).toBe(0)
    const decoded = decodeRecordBatch(bytes)
    let max = -1n
    for (const r of decoded.records) {
      const t = BigInt.asIntN(64, header.baseTimestamp + r.timestampDelta)
      if (t > max) max = t
    }
    if ((header.attributes & 0x20) === 0) expect(header.maxTimestamp).toBe(max)
  }
}
