import { decodeRecordBatch, IS_CONTROL, IS_TRANSACTIONAL, recordTimestamp } from '@tributary/core/protocol'
import type { ClusterState, PartitionState } from '../mock-cluster/cluster-state.js'
import { type SchemaDecoder, type ShownBytes, showBytes } from './bytes.js'

/** What `GET /api/records` asks for. */
export interface RecordsQuery {
  topic: string
  /** One partition; all of the topic's when undefined. */
  partition: number | undefined
  /** Per partition, the offset to read below (exclusive); a partition not named reads from its end. */
  before: Map<number, bigint>
  /** Records per page. */
  limit: number
  /** Only records whose key, as UTF-8 text, contains this (case-insensitive). */
  key: string | undefined
  /** Leave out records of aborted and open transactions. */
  committedOnly: boolean
}

/** One record as the page shows it. */
export interface RecordView {
  partition: number
  offset: string
  /** Milliseconds since the epoch. */
  timestamp: string
  key: ShownBytes
  value: ShownBytes
  headers: Array<{ key: string; value: ShownBytes }>
  producerId: string
  producerEpoch: number
  sequence: number
  compression: string
  transactional: boolean
  /** In an aborted transaction or one still open (read_committed consumers skip it). */
  uncommitted: boolean
}

/** A page of records, newest first (by timestamp across partitions, by offset within one). */
export interface RecordsPage {
  topic: string
  records: RecordView[]
  /** The `before` cursor of the next (older) page; null when there is nothing older. */
  next: string | null
  /** Records examined (a key search may examine many to fill a page). */
  scanned: number
  /** Batches that could not be decoded, e.g. a codec that is not installed. */
  errors: string[]
}

const COMPRESSION = ['none', 'gzip', 'snappy', 'lz4', 'zstd']
/** Records examined per request at most, so that a key search over a large log stays short. */
const SCAN_LIMIT = 200_000

/** Parses a `before` cursor: `partition:offset` pairs separated by commas. */
export function parseCursor(text: string | null): Map<number, bigint> {
  const out = new Map<number, bigint>()
  if (text === null || text === '') return out
  for (const part of text.split(',')) {
    const match = /^(\d+):(\d+)$/.exec(part)
    if (match === null) throw new RangeError(`invalid cursor part '${part}' (want partition:offset)`)
    out.set(Number(match[1]), BigInt(match[2] as string))
  }
  return out
}

interface Candidate {
  partition: PartitionState
  offset: bigint
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Array<{ key: string; value: Buffer | null }>
  producerId: bigint
  producerEpoch: number
  sequence: number
  compression: number
  transactional: boolean
  uncommitted: boolean
}

/** Reads one page of a topic's records, newest first, decoding only the batches it needs. */
export async function readRecords(
  state: ClusterState,
  query: RecordsQuery,
  decoder: SchemaDecoder | undefined,
): Promise<RecordsPage> {
  const topic = state.topics.get(query.topic)
  if (topic === undefined) throw new RangeError(`unknown topic '${query.topic}'`)
  let partitions: PartitionState[] = topic.partitions
  if (query.partition !== undefined) {
    const p = topic.partitions[query.partition]
    if (p === undefined) throw new RangeError(`unknown partition ${query.topic}-${query.partition}`)
    partitions = [p]
  }
  const needle = query.key?.toLowerCase()
  const errors: string[] = []
  const perPartitionScan = Math.max(1000, Math.floor(SCAN_LIMIT / partitions.length))
  let scanned = 0
  // Per partition: the matching records from newest down (at most `limit`), and the offset below which
  // nothing was examined yet.
  const lists = partitions.map((p) => {
    const log = p.log
    const bound = query.before.get(p.index) ?? log.logEndOffset
    const found: Candidate[] = []
    let low = maxOffset(bound, log.logStartOffset)
    let examined = 0
    // The last batch that starts below the bound, then older ones.
    let i = lastBatchBelow(p, bound)
    for (; i >= 0 && found.length < query.limit && examined < perPartitionScan; i--) {
      const batch = log.batches[i]
      if (batch === undefined || batch.lastOffset < log.logStartOffset) break
      const h = batch.header
      low = maxOffset(batch.baseOffset, log.logStartOffset)
      if ((h.attributes & IS_CONTROL) !== 0) continue
      const uncommitted = log.isUncommitted(batch)
      if (uncommitted && query.committedOnly) continue
      let records: ReturnType<typeof decodeRecordBatch>['records']
      try {
        records = decodeRecordBatch(batch.bytes, (type) => state.codecFor(type)).records
      } catch (error) {
        errors.push(
          `${query.topic}-${p.index} at offset ${batch.baseOffset}: ${error instanceof Error ? error.message : String(error)}`,
        )
        continue
      }
      for (let r = records.length - 1; r >= 0; r--) {
        const record = records[r]
        if (record === undefined) continue
        const offset = batch.baseOffset + BigInt(record.offsetDelta)
        if (offset >= bound || offset < log.logStartOffset) continue
        examined++
        if (needle !== undefined && !(record.key?.toString('utf8').toLowerCase().includes(needle) ?? false)) continue
        found.push({
          partition: p,
          offset,
          timestamp: recordTimestamp(h, record),
          key: record.key,
          value: record.value,
          headers: record.headers,
          producerId: h.producerId,
          producerEpoch: h.producerEpoch,
          sequence: h.producerId < 0n || h.baseSequence < 0 ? -1 : (h.baseSequence + record.offsetDelta) % 0x80000000,
          compression: h.attributes & 0x07,
          transactional: (h.attributes & IS_TRANSACTIONAL) !== 0,
          uncommitted,
        })
        if (found.length >= query.limit) {
          low = offset
          break
        }
      }
    }
    scanned += examined
    // Nothing older left when the scan went past the first batch (or the log start).
    const exhausted = i < 0 || (log.batches[i]?.lastOffset ?? -1n) < log.logStartOffset
    return { p, found, low: found.length >= query.limit ? low : exhausted ? log.logStartOffset : low, bound }
  })

  // Merge the partitions' lists (each newest offset first) by timestamp, keeping each list's order, so
  // that every partition's taken records are a prefix of its list and the cursor can resume below them.
  const taken: Candidate[] = []
  const heads = lists.map(() => 0)
  while (taken.length < query.limit) {
    let best = -1
    for (let l = 0; l < lists.length; l++) {
      const head = lists[l]?.found[heads[l] as number]
      if (head === undefined) continue
      const current = best < 0 ? undefined : lists[best]?.found[heads[best] as number]
      if (current === undefined || head.timestamp > current.timestamp) best = l
    }
    if (best < 0) break
    taken.push(lists[best]?.found[heads[best] as number] as Candidate)
    heads[best] = (heads[best] as number) + 1
  }

  let more = false
  const cursor = lists.map((list, l) => {
    const used = heads[l] as number
    let next: bigint
    if (used < list.found.length) next = (list.found[used - 1]?.offset ?? list.bound) as bigint
    else next = list.low
    if (used < list.found.length || next > list.p.log.logStartOffset) more = true
    return `${list.p.index}:${next}`
  })

  const records: RecordView[] = []
  for (const c of taken) {
    records.push({
      partition: c.partition.index,
      offset: c.offset.toString(),
      timestamp: c.timestamp.toString(),
      key: await showBytes(c.key, decoder),
      value: await showBytes(c.value, decoder),
      headers: await Promise.all(
        c.headers.map(async (h) => ({ key: h.key, value: await showBytes(h.value, undefined) })),
      ),
      producerId: c.producerId.toString(),
      producerEpoch: c.producerEpoch,
      sequence: c.sequence,
      compression: COMPRESSION[c.compression] ?? String(c.compression),
      transactional: c.transactional,
      uncommitted: c.uncommitted,
    })
  }
  return { topic: query.topic, records, next: more ? cursor.join(',') : null, scanned, errors }
}

function maxOffset(a: bigint, b: bigint): bigint {
  return a > b ? a : b
}

/** Index of the last batch whose base offset is below `offset` (binary search), -1 when none is. */
function lastBatchBelow(p: PartitionState, offset: bigint): number {
  const batches = p.log.batches
  let lo = 0
  let hi = batches.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((batches[mid]?.baseOffset ?? 0n) < offset) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}
