import { IS_CONTROL } from '@tributary/core/protocol'
import type { PartitionState } from './cluster-state.js'
import { decodeRecords, type RecordDeserializers } from './decoded-records.js'
import type { MockRecord, RecordsOptions } from './mock-cluster.js'
import { formatRecord, lastRecords } from './record-format.js'

/** Options of `MockCluster.waitForRecords`. */
export interface WaitForRecordsOptions extends RecordsOptions {
  /** How many records to wait for (in the partition when one is given, else in the whole topic). */
  count: number
  /**
   * Rejects (a WaitForRecordsTimeoutError saying what did arrive) after this many milliseconds.
   * Default 4,000: below Vitest's and Jest's default test timeout (5 s), so a test that waits in
   * vain fails with this message rather than a bare test timeout. `Infinity` waits without a timer.
   * Fake timers that fake `setTimeout` drive it.
   */
  timeoutMs?: number | undefined
  /** Stops waiting (rejecting with the signal's reason) when it aborts. */
  signal?: AbortSignal | undefined
}

/** The default `timeoutMs` of `waitForRecords`. */
export const DEFAULT_WAIT_TIMEOUT_MS = 4000

const MAX_TIMER_MS = 0x7fffffff

/** How many of the last records a timeout message shows. */
const LAST_SHOWN = 5

/** `waitForRecords` gave up: the message says what did arrive; `records` holds it. */
export class WaitForRecordsTimeoutError extends Error {
  override readonly name = 'WaitForRecordsTimeoutError'
  readonly topic: string
  /** The count waited for. */
  readonly expected: number
  /** The matching records present when it gave up (fewer than `expected`). */
  readonly records: MockRecord[]

  constructor(message: string, topic: string, expected: number, records: MockRecord[]) {
    super(message)
    this.topic = topic
    this.expected = expected
    this.records = records
  }
}

/** What `waitForRecords` needs of a cluster. */
export interface RecordWaitSource {
  /** The partitions of a topic, or undefined when it does not exist. */
  partitionsOf(topic: string): readonly PartitionState[] | undefined
  /** Every topic's name (for the message when the topic does not exist). */
  topicNames(): string[]
  records(topic: string, options: RecordsOptions): MockRecord[]
  /** Calls the listener once at the next topic or partition creation or deletion, or at stop. */
  onStructureChange(listener: () => void): () => void
  stopped(): boolean
}

/**
 * Waits until the topic (or one partition) holds `count` records, woken by appends (each
 * partition log's `onAppend`, as a long-polling fetch is) and by topics or partitions being
 * created: no polling. Resolves with every matching record present then (at least `count`), in
 * partition order, decoded when `deserializers` are given.
 */
export function waitForRecords(
  source: RecordWaitSource,
  topic: string,
  options: WaitForRecordsOptions & { deserializers?: RecordDeserializers | undefined },
): Promise<unknown[]> {
  const { count, partition, isolation, signal, deserializers } = options
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
  if (!Number.isInteger(count) || count < 0) {
    return Promise.reject(new RangeError(`count must be a non-negative integer, got ${String(count)}`))
  }
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    return Promise.reject(new RangeError(`timeoutMs must be a non-negative number, got ${String(timeoutMs)}`))
  }
  if (partition !== undefined && (!Number.isInteger(partition) || partition < 0)) {
    return Promise.reject(new RangeError(`partition must be a non-negative integer, got ${String(partition)}`))
  }
  if (signal?.aborted) return Promise.reject(signal.reason)
  const committedOnly = isolation === 'read_committed'
  const what = describeCall(topic, options)

  return new Promise<MockRecord[]>((resolve, reject) => {
    let settled = false
    let scheduled = false
    let cancels: Array<() => void> = []
    let timer: ReturnType<typeof setTimeout> | undefined

    const unsubscribe = () => {
      for (const cancel of cancels) cancel()
      cancels = []
    }
    const settle = (error: unknown, records?: MockRecord[]) => {
      if (settled) return
      settled = true
      unsubscribe()
      if (timer !== undefined) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (records === undefined) reject(error)
      else resolve(records)
    }
    const onAbort = () => settle(signal?.reason)
    const wake = () => {
      unsubscribe()
      if (scheduled) return
      scheduled = true
      // One check per burst: a Produce request appends to several partitions in one go.
      queueMicrotask(() => {
        scheduled = false
        check()
      })
    }
    const selected = (): readonly PartitionState[] | undefined => {
      const partitions = source.partitionsOf(topic)
      if (partitions === undefined) return undefined
      if (partition === undefined) return partitions
      const p = partitions[partition]
      return p === undefined ? undefined : [p]
    }
    const check = () => {
      if (settled) return
      if (source.stopped()) {
        settle(new Error(`${what}: the cluster was stopped while waiting; ${progress(source, topic, options)}`))
        return
      }
      const partitions = selected()
      try {
        if (partitions !== undefined && countRecords(partitions, committedOnly) >= count) {
          const records = source.records(topic, { partition, isolation })
          if (records.length >= count) {
            settle(undefined, records)
            return
          }
        }
      } catch (error) {
        settle(error)
        return
      }
      cancels = [source.onStructureChange(wake), ...(partitions ?? []).map((p) => p.log.onAppend(wake))]
    }

    signal?.addEventListener('abort', onAbort, { once: true })
    if (Number.isFinite(timeoutMs)) {
      // setTimeout fires at once past 2^31 - 1 ms (about 24.8 days): wait that long at most.
      timer = setTimeout(
        () => {
          if (settled) return
          let records: MockRecord[] = []
          try {
            if (selected() !== undefined) records = source.records(topic, { partition, isolation })
          } catch {}
          settle(
            new WaitForRecordsTimeoutError(
              `${what} timed out after ${timeoutMs} ms: ${progress(source, topic, options)}`,
              topic,
              count,
              records,
            ),
          )
        },
        Math.min(timeoutMs, MAX_TIMER_MS),
      )
    }
    check()
  }).then((records) => (deserializers === undefined ? records : decodeRecords(records, deserializers)))
}

/** Records in the partitions, counted from the batch headers (no decoding), as `records()` lists them. */
function countRecords(partitions: readonly PartitionState[], committedOnly: boolean): number {
  let n = 0
  for (const p of partitions) {
    const log = p.log
    const start = log.logStartOffset
    for (const batch of log.batches) {
      if ((batch.header.attributes & IS_CONTROL) !== 0 || batch.lastOffset < start) continue
      if (committedOnly && log.isUncommitted(batch)) continue
      // Produce validation makes offset deltas 0, 1, 2, ... and lastOffsetDelta + 1 the record count.
      const deleted = start > batch.baseOffset ? start - batch.baseOffset : 0n
      n += Number(batch.lastOffset - batch.baseOffset + 1n - deleted)
    }
  }
  return n
}

/** `waitForRecords('orders', { count: 3, partition: 1 })` */
function describeCall(topic: string, options: WaitForRecordsOptions): string {
  const parts = [`count: ${options.count}`]
  if (options.partition !== undefined) parts.push(`partition: ${options.partition}`)
  if (options.isolation !== undefined) parts.push(`isolation: '${options.isolation}'`)
  return `waitForRecords('${topic}', { ${parts.join(', ')} })`
}

/** What did arrive: counts per partition, the records held back by transactions, the last few records. */
function progress(source: RecordWaitSource, topic: string, options: WaitForRecordsOptions): string {
  const partitions = source.partitionsOf(topic)
  if (partitions === undefined) {
    const others = source.topicNames()
    const list = others.length === 0 ? 'there are no topics' : `topics: ${others.map((t) => `'${t}'`).join(', ')}`
    return `topic '${topic}' does not exist (${list})`
  }
  const { partition, isolation } = options
  if (partition !== undefined && partitions[partition] === undefined) {
    return `partition ${partition} does not exist ('${topic}' has ${partitions.length})`
  }
  const committedOnly = isolation === 'read_committed'
  const shown = partition === undefined ? partitions : [partitions[partition] as PartitionState]
  const perPartition = shown.map((p) => `${topic}-${p.index}: ${countRecords([p], committedOnly)}`)
  const total = countRecords(shown, committedOnly)
  let text = `${total} of ${options.count} record(s) arrived (${perPartition.join(', ')})`
  if (committedOnly) {
    const held = countRecords(shown, false) - total
    if (held > 0) text += `; ${held} more in open or aborted transactions`
  }
  const cleared = shown.filter((p) => p.log.logStartOffset > 0n)
  if (cleared.length > 0) {
    text += `; log start moved (clear() or DeleteRecords) on ${cleared.map((p) => `${topic}-${p.index} to ${p.log.logStartOffset}`).join(', ')}`
  }
  if (total > 0) {
    let records: MockRecord[] = []
    try {
      records = source.records(topic, { partition, isolation })
    } catch {}
    const last = lastRecords(records, LAST_SHOWN)
    if (last.length > 0) text += `; last: ${last.map(formatRecord).join('; ')}`
  }
  return text
}
