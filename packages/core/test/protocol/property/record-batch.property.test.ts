import { Buffer } from 'node:buffer'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Codec } from '../../../src/compression/codec.js'
import { gzip } from '../../../src/compression/gzip.js'
import { ProtocolError } from '../../../src/errors/protocol-error.js'
import { crc32c } from '../../../src/protocol/buffer/crc32c.js'
import { ErrorCodes } from '../../../src/protocol/error-codes.js'
import {
  decodeRecordBatch,
  encodeRecordBatch,
  type RecordInput,
  readRecordBatchHeader,
  recordOffset,
  recordTimestamp,
  splitRecordBatches,
  validateRecordBatch,
} from '../../../src/protocol/records/index.js'

// Properties of record batches: decode(encode(x)) is x for arbitrary records (keys, values,
// headers, timestamps) with every codec core has; the broker-side validator accepts every encoded
// batch; and decoding or validating arbitrary bytes (mutations of valid batches, or noise) returns
// or throws a ProtocolError, never another error, never more records than the bytes can hold, and
// the decoder accepts every batch the validator accepts. FC_SEED replays a failure.

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED)
const runs = Math.max(1, Number(process.env.FC_SCALE ?? 1) || 1)
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: numRuns * runs,
  ...(seed === undefined ? {} : { seed }),
})

const CODECS: ReadonlyArray<Codec | undefined> = [undefined, gzip()]
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

const nullableBytes = (maxLength: number) =>
  fc.option(
    fc.uint8Array({ maxLength }).map((a) => Buffer.from(a)),
    { nil: null },
  )

/** A timestamp, and records whose timestamps stay within int64 of each other (deltas are int64). */
const timestamp = fc.oneof(
  fc.bigInt({ min: -(2n ** 61n), max: 2n ** 61n }),
  fc.bigInt({ min: 1_600_000_000_000n, max: 1_900_000_000_000n }),
  fc.constantFrom(-1n, 0n),
)

const recordInput: fc.Arbitrary<RecordInput> = fc.record({
  key: nullableBytes(40),
  value: nullableBytes(200),
  headers: fc.array(fc.record({ key: fc.string({ unit: 'grapheme', maxLength: 12 }), value: nullableBytes(20) }), {
    maxLength: 4,
  }),
  timestamp,
})

const batchInput = fc.record({
  records: fc.array(recordInput, { minLength: 1, maxLength: 20 }),
  codec: fc.constantFrom(...CODECS),
  producerId: fc.oneof(fc.constant(-1n), fc.bigInt({ min: 0n, max: INT64_MAX })),
  producerEpoch: fc.integer({ min: -1, max: 32767 }),
  baseSequence: fc.integer({ min: 0, max: 0x7fffffff }),
  isTransactional: fc.boolean(),
})

describe('Record batch properties', () => {
  it('decodes what it encodes, for arbitrary records and every codec, and the validator accepts it', async () => {
    await fc.assert(
      fc.asyncProperty(batchInput, async (input) => {
        const batch = await encodeRecordBatch(input)
        const decoded = decodeRecordBatch(batch)
        expect(decoded.header.recordCount).toBe(input.records.length)
        expect(decoded.header.producerId).toBe(input.producerId)
        expect(decoded.header.baseSequence).toBe(input.baseSequence)
        expect(decoded.records.map((r) => recordTimestamp(decoded.header, r))).toEqual(
          input.records.map((r) => r.timestamp),
        )
        expect(decoded.records.map((r) => recordOffset(decoded.header, r))).toEqual(
          input.records.map((_, i) => BigInt(i)),
        )
        expect(
          decoded.records.map((r) => ({
            key: r.key === null ? null : Buffer.from(r.key),
            value: r.value === null ? null : Buffer.from(r.value),
            headers: r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value) })),
          })),
        ).toEqual(input.records.map((r) => ({ key: r.key ?? null, value: r.value, headers: r.headers ?? [] })))
        const validation = validateRecordBatch(batch)
        expect(validation.errorCode).toBe(ErrorCodes.NONE)
        const max = input.records.reduce((m, r) => ((r.timestamp ?? 0n) > m ? (r.timestamp as bigint) : m), -1n)
        expect(validation.maxTimestamp).toBe(max)
      }),
      params(300),
    )
  })

  it('decodes or validates mutated batches without any error but a ProtocolError, and decodes every batch the validator accepts', async () => {
    const mutation = fc.record({
      input: batchInput,
      edits: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), {
        minLength: 1,
        maxLength: 6,
      }),
      // Usually repair the CRC, so that the mutation reaches the record checks.
      fixCrc: fc.boolean(),
      cut: fc.option(fc.nat(), { nil: undefined }),
    })
    await fc.assert(
      fc.asyncProperty(mutation, async ({ input, edits, fixCrc, cut }) => {
        const original = await encodeRecordBatch(input)
        let batch = Buffer.from(original)
        for (const e of edits) batch[e.at % batch.length] = e.byte
        if (cut !== undefined) batch = batch.subarray(0, cut % (batch.length + 1))
        if (fixCrc && batch.length >= 61) batch.writeUInt32BE(crc32c(batch, 21, batch.length), 17)
        checkArbitrary(batch)
      }),
      params(1500),
    )
  })

  it('decodes or validates noise without any error but a ProtocolError', () => {
    const noise = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      // A plausible header in front of the noise, so that the record parsing is reached.
      fc
        .record({
          count: fc.integer({ min: -3, max: 0x7fffffff }),
          attributes: fc.integer({ min: 0, max: 0xffff }),
          tail: fc.uint8Array({ maxLength: 200 }),
        })
        .map(({ count, attributes, tail }) => {
          const b = Buffer.alloc(61 + tail.length)
          b.writeInt32BE(b.length - 12, 8)
          b.writeInt8(2, 16)
          b.writeUInt16BE(attributes, 21)
          b.writeInt32BE(Math.max(count - 1, -1), 23)
          b.writeInt32BE(count, 57)
          b.set(tail, 61)
          b.writeUInt32BE(crc32c(b, 21, b.length), 17)
          return b
        }),
    )
    fc.assert(
      fc.property(noise, (batch) => checkArbitrary(batch)),
      params(3000),
    )
  })
})

/**
 * Whatever `batch` holds: the header reader, splitter, decoder and validator return or throw a
 * ProtocolError (the validator never throws); a decoded batch has no more records than its bytes
 * can hold; and a batch the validator accepts decodes, with offset deltas 0, 1, 2, ...
 */
function checkArbitrary(batch: Buffer): void {
  const protocolErrorOr = <T>(fn: () => T): T | undefined => {
    try {
      return fn()
    } catch (error) {
      if (!ProtocolError.isInstance(error)) throw error
      return undefined
    }
  }
  protocolErrorOr(() => readRecordBatchHeader(batch))
  protocolErrorOr(() => splitRecordBatches(batch))
  protocolErrorOr(() => splitRecordBatches(batch, { allowPartialTail: true }))
  const decoded = protocolErrorOr(() => decodeRecordBatch(batch))
  if (decoded !== undefined && (decoded.header.attributes & 0x07) === 0) {
    // Seven bytes is the smallest record.
    expect(decoded.records.length * 7).toBeLessThanOrEqual(batch.length - 61)
  }
  const validation = validateRecordBatch(batch)
  if (validation.errorCode === ErrorCodes.NONE) {
    expect(decoded, 'the validator accepted a batch the decoder refuses').toBeDefined()
    expect(decoded?.records.map((r) => r.offsetDelta)).toEqual(decoded?.records.map((_, i) => i))
    expect(validation.maxTimestamp).toBeGreaterThanOrEqual(-1n)
    expect(validation.maxTimestamp).toBeLessThanOrEqual(INT64_MAX)
    expect(validation.maxTimestamp).toBeGreaterThanOrEqual(INT64_MIN)
  } else {
    expect(validation.message).toEqual(expect.any(String))
  }
}
