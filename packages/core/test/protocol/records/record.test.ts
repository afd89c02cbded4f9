import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../../src/errors/protocol-error.js'
import { Reader } from '../../../src/protocol/buffer/reader.js'
import { Writer } from '../../../src/protocol/buffer/writer.js'
import {
  type KafkaRecord,
  type RecordHeader,
  readRecord,
  recordSize,
  writeRecord,
} from '../../../src/protocol/records/record.js'

function roundTrip(
  offsetDelta: number,
  timestampDelta: bigint | number,
  key: Buffer | null,
  value: Buffer | null,
  headers: RecordHeader[] = [],
): { record: KafkaRecord; bytes: Buffer } {
  const w = new Writer(16)
  const written = writeRecord(w, offsetDelta, timestampDelta, key, value, headers)
  const bytes = Buffer.from(w.toBuffer())
  expect(written).toBe(bytes.length)
  expect(recordSize(offsetDelta, timestampDelta, key, value, headers)).toBe(bytes.length)
  const r = new Reader(bytes)
  const record = readRecord(r)
  expect(r.remaining).toBe(0)
  return { record, bytes }
}

/** Builds a record by hand from already-encoded fields, with a chosen declared length. */
function rawRecord(declaredLength: number, body: number[]): Buffer {
  const w = new Writer()
  w.writeVarInt(declaredLength)
  w.writeRaw(Buffer.from(body))
  return Buffer.from(w.toBuffer())
}

/** Zig-zag varint bytes of a small signed value. */
function zz(n: number): number[] {
  const w = new Writer()
  w.writeVarInt(n)
  return [...w.toBuffer()]
}

function expectProtocolError(fn: () => unknown, message?: RegExp): void {
  let caught: unknown
  try {
    fn()
  } catch (error) {
    caught = error
  }
  expect(ProtocolError.isInstance(caught), `expected a ProtocolError, got ${String(caught)}`).toBe(true)
  if (message !== undefined) expect((caught as Error).message).toMatch(message)
}

describe('record encoding', () => {
  it('round-trips a record with null key and null value', () => {
    const { record } = roundTrip(0, 0, null, null)
    expect(record).toEqual({ attributes: 0, timestampDelta: 0n, offsetDelta: 0, key: null, value: null, headers: [] })
  })

  it('keeps an empty value distinct from a null one', () => {
    const { record } = roundTrip(3, 5, Buffer.alloc(0), Buffer.alloc(0))
    expect(record.key).toEqual(Buffer.alloc(0))
    expect(record.value).toEqual(Buffer.alloc(0))
  })

  it('round-trips key, value and headers with unicode keys', () => {
    const headers = [
      { key: 'clé', value: Buffer.from('v1') },
      { key: 'ключ', value: Buffer.from([0, 1, 2]) },
      { key: '🔑 emoji', value: null },
      { key: '', value: Buffer.alloc(0) },
    ]
    const { record } = roundTrip(1, 2, Buffer.from('k'), Buffer.from('value'), headers)
    expect(record.key).toEqual(Buffer.from('k'))
    expect(record.value).toEqual(Buffer.from('value'))
    expect(record.headers).toEqual(headers)
  })

  it('keeps duplicate header keys in their order', () => {
    const headers = [
      { key: 'trace', value: Buffer.from('a') },
      { key: 'other', value: Buffer.from('b') },
      { key: 'trace', value: Buffer.from('c') },
      { key: 'trace', value: null },
    ]
    expect(roundTrip(0, 0, null, Buffer.from('x'), headers).record.headers).toEqual(headers)
  })

  it('round-trips negative timestamp deltas given as numbers and as bigints', () => {
    for (const delta of [-1, -64, -65, -1000, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 40), Number.MIN_SAFE_INTEGER]) {
      expect(roundTrip(0, delta, null, null).record.timestampDelta).toBe(BigInt(delta))
      expect(roundTrip(0, BigInt(delta), null, null).record.timestampDelta).toBe(BigInt(delta))
    }
    const min = -(2n ** 63n)
    expect(roundTrip(0, min, null, null).record.timestampDelta).toBe(min)
  })

  it('encodes a number timestamp delta to the same bytes as the equal bigint', () => {
    for (const delta of [0, 1, -1, 63, 64, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 45, Number.MAX_SAFE_INTEGER]) {
      expect(roundTrip(0, delta, null, null).bytes).toEqual(roundTrip(0, BigInt(delta), null, null).bytes)
    }
  })

  it('round-trips large offset deltas and timestamp deltas', () => {
    const max = 2n ** 63n - 1n
    const { record } = roundTrip(2 ** 31 - 1, max, null, Buffer.from('v'))
    expect(record.offsetDelta).toBe(2 ** 31 - 1)
    expect(record.timestampDelta).toBe(max)
  })

  it('round-trips values long enough to need multi-byte length prefixes', () => {
    const value = Buffer.alloc(300_000, 7)
    const key = Buffer.alloc(200, 1)
    const { record } = roundTrip(0, 0, key, value)
    expect(record.value?.equals(value)).toBe(true)
    expect(record.key?.equals(key)).toBe(true)
  })

  it('writes the record attributes it is given', () => {
    const w = new Writer()
    writeRecord(w, 0, 0, null, null, [], 5)
    expect(readRecord(new Reader(w.toBuffer())).attributes).toBe(5)
  })

  it('matches the byte layout of the Kafka record format', () => {
    const w = new Writer()
    writeRecord(w, 1, -1, Buffer.from('k'), null, [{ key: 'h', value: Buffer.from('v') }])
    // length 11 (zig-zag 22), attributes 0, tsDelta -1, offsetDelta 1, key len 1 'k', value -1, 1 header: 'h' 'v'
    expect([...w.toBuffer()]).toEqual([22, 0, 1, 2, 2, 0x6b, 1, 2, 2, 0x68, 2, 0x76])
  })

  it('returns views into the source buffer rather than copies', () => {
    const { bytes } = roundTrip(0, 0, Buffer.from('key'), Buffer.from('value'))
    const record = readRecord(new Reader(bytes))
    expect(record.value?.buffer).toBe(bytes.buffer)
  })

  it('reads consecutive records from one reader', () => {
    const w = new Writer()
    writeRecord(w, 0, 0, null, Buffer.from('a'))
    writeRecord(w, 1, 10, null, Buffer.from('b'))
    const r = new Reader(Buffer.from(w.toBuffer()))
    expect(readRecord(r).value).toEqual(Buffer.from('a'))
    expect(readRecord(r).value).toEqual(Buffer.from('b'))
    expect(r.remaining).toBe(0)
  })
})

describe('record decoding of malformed input', () => {
  // A valid body: attributes 0, tsDelta 0, offsetDelta 0, key null, value null, 0 headers.
  const body = [0, 0, 0, 1, 1, 0]

  it('reads the minimal valid record', () => {
    expect(readRecord(new Reader(rawRecord(6, body))).headers).toEqual([])
  })

  it('rejects a negative record length', () => {
    expectProtocolError(() => readRecord(new Reader(rawRecord(-3, body))), /negative record length/)
  })

  it('rejects a declared length longer than the fields', () => {
    expectProtocolError(
      () => readRecord(new Reader(rawRecord(7, [...body, 0]))),
      /declares 7 byte\(s\) but its fields take 6/,
    )
  })

  it('rejects a declared length shorter than the fields', () => {
    expectProtocolError(() => readRecord(new Reader(rawRecord(5, body))), /invalid record/)
  })

  it('rejects a declared length past the end of the input', () => {
    expectProtocolError(() => readRecord(new Reader(rawRecord(50, body))), /only 6 remain/)
  })

  it('rejects a key length below -1', () => {
    expectProtocolError(() => readRecord(new Reader(rawRecord(6, [0, 0, 0, ...zz(-2), 1, 0]))), /negative length -2/)
  })

  it('rejects a value length below -1', () => {
    expectProtocolError(() => readRecord(new Reader(rawRecord(6, [0, 0, 0, 1, ...zz(-5), 0]))), /negative length -5/)
  })

  it('rejects a negative header count', () => {
    expectProtocolError(
      () => readRecord(new Reader(rawRecord(6, [0, 0, 0, 1, 1, ...zz(-1)]))),
      /negative record header count/,
    )
  })

  it('rejects a header count larger than the record can hold', () => {
    const tooMany = zz(1_000_000)
    expectProtocolError(
      () => readRecord(new Reader(rawRecord(5 + tooMany.length, [0, 0, 0, 1, 1, ...tooMany]))),
      /header count 1000000/,
    )
  })

  it('rejects a null header key', () => {
    expectProtocolError(
      () => readRecord(new Reader(rawRecord(8, [0, 0, 0, 1, 1, ...zz(1), 1, 1]))),
      /null or negative key/,
    )
  })

  it('rejects a varint that never ends', () => {
    expectProtocolError(() => readRecord(new Reader(Buffer.from([0x80, 0x80, 0x80]))), /truncated/)
    expectProtocolError(
      () => readRecord(new Reader(rawRecord(12, [0, ...Array(11).fill(0xff)]))),
      /longer than 64 bits/,
    )
  })

  it('leaves the reader bounded by the outer end after an error', () => {
    const bytes = Buffer.concat([rawRecord(5, body), Buffer.alloc(4)])
    const r = new Reader(bytes)
    expectProtocolError(() => readRecord(r))
    expect(r.end).toBe(bytes.length)
  })
})

describe('writeRecord with strings', () => {
  const texts = ['', 'plain', 'émoji 🦀 and ünïcode', 'x'.repeat(300), '\uD800 lone surrogate']

  it('writes a string key, value and header value as the same bytes as their UTF-8 Buffers', () => {
    for (const text of texts) {
      const fromStrings = new Writer(16)
      const fromBuffers = new Writer(16)
      const size = recordSize(3, 7, text, text, [{ key: 'h', value: text }])
      const written = writeRecord(fromStrings, 3, 7, text, text, [{ key: 'h', value: text }])
      const utf8 = Buffer.from(text, 'utf8')
      writeRecord(fromBuffers, 3, 7, utf8, utf8, [{ key: 'h', value: utf8 }])
      expect(fromStrings.toBuffer()).toEqual(fromBuffers.toBuffer())
      expect(written).toBe(size)
      const decoded = readRecord(new Reader(fromStrings.toBuffer()))
      expect(decoded.value?.toString('utf8')).toBe(utf8.toString('utf8'))
      expect(decoded.headers[0]?.value).toEqual(utf8)
    }
  })

  it('writes header strings that repeat from record to record as the same bytes as fresh ones', () => {
    // The first headers' strings seen twice in a row are copied from kept bytes: switching strings,
    // Buffers and nulls in those places must never write stale bytes.
    const values: Array<string | Buffer | null> = ['application/json', 'application/json', 'ünï', 'ünï', null, 'a']
    values.push(Buffer.from('raw'), 'application/json', 'y'.repeat(64), 'y'.repeat(64), 'z'.repeat(65), 'z'.repeat(65))
    const keys = ['content-type', 'content-type', 'trace', 'trace', 'content-type', 'ключ', 'ключ']
    for (let i = 0; i < 40; i++) {
      const headers = [
        { key: keys[i % keys.length] as string, value: values[i % values.length] as string | Buffer | null },
        { key: `k${i % 3}`, value: values[(i * 7) % values.length] as string | Buffer | null },
        { key: 'third', value: values[(i * 5) % values.length] as string | Buffer | null },
      ]
      const fromStrings = new Writer(16)
      const written = writeRecord(fromStrings, i, i, 'key', 'value', headers)
      const asBuffers = headers.map((h) => ({
        key: h.key,
        value: typeof h.value === 'string' ? Buffer.from(h.value, 'utf8') : h.value,
      }))
      const fromBuffers = new Writer(16)
      writeRecord(fromBuffers, i, i, 'key', 'value', asBuffers)
      expect(fromStrings.toBuffer(), `record ${i}`).toEqual(fromBuffers.toBuffer())
      expect(written).toBe(recordSize(i, i, 'key', 'value', headers))
      const decoded = readRecord(new Reader(fromStrings.toBuffer()))
      expect(decoded.headers.map((h) => h.key)).toEqual(headers.map((h) => h.key))
      expect(decoded.headers.map((h) => h.value)).toEqual(asBuffers.map((h) => h.value))
    }
  })

  it('writes string fields into a writer with room for exactly the record, without growing it', () => {
    // writeRecord asks for the record's largest size when it fits and its exact size otherwise; the
    // strings must then be written within the exact room, whatever their bound at 3 bytes a unit.
    for (const text of [...texts, 'ascii only value of some length', 'ü'.repeat(70), '🦀'.repeat(40)]) {
      const headers = [
        { key: 'content-type', value: text },
        { key: 'k', value: text },
        { key: 'third', value: text },
      ]
      for (let i = 0; i < 3; i++) {
        const size = recordSize(1, 2, text, text, headers)
        const exact = new Writer(size)
        expect(writeRecord(exact, 1, 2, text, text, headers)).toBe(size)
        expect(exact.buffer.length).toBe(size)
        const utf8 = Buffer.from(text, 'utf8')
        const fromBuffers = new Writer(16)
        writeRecord(
          fromBuffers,
          1,
          2,
          utf8,
          utf8,
          headers.map((h) => ({ key: h.key, value: utf8 })),
        )
        expect(exact.toBuffer()).toEqual(fromBuffers.toBuffer())
      }
    }
  })

  it('writes short strings with a character past ASCII anywhere in them exactly as their UTF-8 bytes', () => {
    // Short ASCII strings are copied a unit at a time; one that turns out not to be ASCII is written again as UTF-8.
    const cases: string[] = []
    for (let length = 0; length <= 40; length++) {
      cases.push('k'.repeat(length))
      for (const odd of ['é', '€', '🦀', '\u007f', '\u0080']) {
        for (const at of [0, Math.floor(length / 2), length]) cases.push('k'.repeat(at) + odd + 'k'.repeat(length - at))
      }
    }
    for (const text of cases) {
      const size = recordSize(0, 0, text, null)
      const exact = new Writer(size)
      expect(writeRecord(exact, 0, 0, text, null)).toBe(size)
      const decoded = readRecord(new Reader(exact.toBuffer()))
      expect(decoded.key?.toString('utf8'), JSON.stringify(text)).toBe(text)
      expect(decoded.key?.equals(Buffer.from(text, 'utf8'))).toBe(true)
    }
  })
})
