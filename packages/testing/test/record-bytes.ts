import { Buffer } from 'node:buffer'
import { gzipSync } from 'node:zlib'
import { crc32c, Writer } from '@tributary/core/protocol'

// Record batches byte by byte, with any field set to anything, for tests that must make a broker
// see exactly the malformed input they name. The CRC is computed over the result (unless told
// otherwise), so that it is the broker's record validation, not its CRC check, that must object.

/** One record's fields; any of them may be made inconsistent with the others. */
export interface RawRecord {
  /** The record's length prefix; defaults to the true length of the fields. */
  length?: number
  attributes?: number
  timestampDelta?: bigint
  offsetDelta?: number
  key?: Buffer | null
  /** The key's length prefix; defaults to the key's length (-1 for null). */
  keyLength?: number
  value?: Buffer | null
  valueLength?: number
  headers?: Array<{ key: Buffer; keyLength?: number; value: Buffer | null; valueLength?: number }>
  /** The header count; defaults to the number of headers. */
  headerCount?: number
  /** Bytes written after the headers, inside the record (counted by the default length). */
  trailing?: Buffer
  /** Replaces every field after the length prefix. */
  body?: Buffer
}

/** Encodes records as they appear in a batch's records section (before any compression). */
export function rawRecords(records: readonly RawRecord[]): Buffer {
  const out: Buffer[] = []
  records.forEach((r, i) => {
    const w = new Writer(64)
    if (r.body !== undefined) w.writeRaw(r.body)
    else {
      w.writeInt8(r.attributes ?? 0)
      w.writeVarLong(r.timestampDelta ?? BigInt(i))
      w.writeVarInt(r.offsetDelta ?? i)
      const key = r.key === undefined ? null : r.key
      w.writeVarInt(r.keyLength ?? (key === null ? -1 : key.length))
      if (key !== null) w.writeRaw(key)
      const value = r.value === undefined ? Buffer.from(`value-${i}`) : r.value
      w.writeVarInt(r.valueLength ?? (value === null ? -1 : value.length))
      if (value !== null) w.writeRaw(value)
      const headers = r.headers ?? []
      w.writeVarInt(r.headerCount ?? headers.length)
      for (const h of headers) {
        w.writeVarInt(h.keyLength ?? h.key.length)
        w.writeRaw(h.key)
        w.writeVarInt(h.valueLength ?? (h.value === null ? -1 : h.value.length))
        if (h.value !== null) w.writeRaw(h.value)
      }
      if (r.trailing !== undefined) w.writeRaw(r.trailing)
    }
    const body = w.toBufferCopy()
    const prefix = new Writer(8).writeVarInt(r.length ?? body.length).toBufferCopy()
    out.push(prefix, body)
  })
  return Buffer.concat(out)
}

/** A batch's header fields and its records section, each settable to anything. */
export interface RawBatch {
  baseOffset?: bigint
  /** Defaults to the true length. */
  batchLength?: number
  partitionLeaderEpoch?: number
  magic?: number
  /** Defaults to the CRC-32C of the batch from its attributes on. */
  crc?: number
  attributes?: number
  /** Defaults to the number of records - 1. */
  lastOffsetDelta?: number
  baseTimestamp?: bigint
  /** Defaults to baseTimestamp + the number of records - 1 (the records' default timestamps). */
  maxTimestamp?: bigint
  producerId?: bigint
  producerEpoch?: number
  baseSequence?: number
  /** Defaults to the number of records. */
  recordCount?: number
  /** The records, or the raw records section (already compressed, if the attributes say so). */
  records?: readonly RawRecord[] | Buffer
  /** gzip the records section and set compression type 1 (unless `attributes` is given). */
  gzip?: boolean
}

/** Encodes a record batch with exactly the fields given. */
export function rawBatch(spec: RawBatch = {}): Buffer {
  const recordList = spec.records === undefined ? [{}, {}, {}] : spec.records
  let section = Buffer.isBuffer(recordList) ? recordList : rawRecords(recordList)
  if (spec.gzip === true) section = gzipSync(section)
  const count = Buffer.isBuffer(recordList) ? 1 : recordList.length
  const baseTimestamp = spec.baseTimestamp ?? 1_700_000_000_000n
  const buf = Buffer.alloc(61 + section.length)
  buf.writeBigInt64BE(spec.baseOffset ?? 0n, 0)
  buf.writeInt32BE(spec.batchLength ?? buf.length - 12, 8)
  buf.writeInt32BE(spec.partitionLeaderEpoch ?? -1, 12)
  buf.writeInt8(spec.magic ?? 2, 16)
  buf.writeInt16BE(spec.attributes ?? (spec.gzip === true ? 1 : 0), 21)
  buf.writeInt32BE(spec.lastOffsetDelta ?? count - 1, 23)
  buf.writeBigInt64BE(baseTimestamp, 27)
  buf.writeBigInt64BE(spec.maxTimestamp ?? baseTimestamp + BigInt(Math.max(count - 1, 0)), 35)
  buf.writeBigInt64BE(spec.producerId ?? -1n, 43)
  buf.writeInt16BE(spec.producerEpoch ?? -1, 51)
  buf.writeInt32BE(spec.baseSequence ?? -1, 53)
  buf.writeInt32BE(spec.recordCount ?? count, 57)
  section.copy(buf, 61)
  buf.writeUInt32BE(spec.crc ?? crc32c(buf, 21, buf.length), 17)
  return buf
}

/** Recomputes the CRC of a batch in place (after changing bytes it covers); returns the batch. */
export function fixCrc(batch: Buffer): Buffer {
  if (batch.length >= 21) batch.writeUInt32BE(crc32c(batch, 21, batch.length), 17)
  return batch
}
