import { ACKED, FAILED, type Ledger, MODES, recordKey, recordValue } from './ledger.js'
import { NULL_MARK, type StoredRecords } from './protocol.js'

// The end-of-run checks. What an idempotent producer (acks all, at most 5 in flight per partition)
// guarantees, and so what is checked:
// - every record settles once: acknowledged, or failed with a typed error;
// - an acknowledged record is stored, once, at the partition and offset it was acknowledged with;
// - no record is stored twice (retries are deduplicated by producer id, epoch and sequence);
// - records of a partition are stored in the order they were sent, so a key's sequence numbers
//   increase with the offset. Records that failed may be missing (gaps are allowed), and a record
//   that failed with a timeout may still have been written (its outcome is unknown): it counts in
//   the order and duplicate checks like any stored record, but not as lost.
// - after the faults stop, the producer sends again.

export interface CheckResult {
  name: string
  ok: boolean
  /** One line with the counts. */
  line: string
  /** Examples of what failed, and breakdowns. */
  details: string[]
  /** The first record a failed check is about, to show the faults around its send. */
  firstId?: number
}

const SAMPLES = 10

function check(name: string, ok: boolean, line: string, details: string[] = [], firstId = -1): CheckResult {
  return firstId < 0 ? { name, ok, line, details } : { name, ok, line, details, firstId }
}

/** The outcome of the settle phase, measured by the runner. */
export interface SettleOutcome {
  /** Records (not markers) unsettled when the deadline passed, with a description of each. */
  unsettledAtDeadline: number
  unsettledLines: string[]
  deadlineMs: number
}

export function settledCheck(ledger: Ledger, outcome: SettleOutcome, boundMs: number): CheckResult {
  // Records that settled, but later than deliveryTimeoutMs + margin after they were sent.
  let late = 0
  let worst = 0
  let slowest = 0
  const lateLines: string[] = []
  for (let id = 0; id < ledger.sent; id++) {
    if (ledger.settles[id] === 0) continue
    const took = (ledger.settledAt[id] as number) - (ledger.sentAt[id] as number)
    if (took > slowest) slowest = took
    if (took <= boundMs) continue
    late++
    worst = Math.max(worst, took)
    if (lateLines.length < SAMPLES)
      lateLines.push(`  settled late: ${ledger.describe(id)}, settled after ${Math.round(took)} ms`)
  }
  const ok = outcome.unsettledAtDeadline === 0 && ledger.settledTwice === 0 && ledger.unsettled === 0 && late === 0
  return check(
    'settled',
    ok,
    `sent ${ledger.sent} = acked ${ledger.acked} + failed ${ledger.failed} + unsettled ${ledger.unsettled}; unsettled ${outcome.deadlineMs} ms after the last send (deliveryTimeoutMs + margin): ${outcome.unsettledAtDeadline}; settled later than that after their send: ${late}${late > 0 ? ` (worst ${Math.round(worst)} ms)` : ''}; settled twice: ${ledger.settledTwice}; slowest settle ${Math.round(slowest)} ms`,
    [...outcome.unsettledLines, ...lateLines],
  )
}

/** `atClose`: how many of the failures came from close() failing what was still unsettled. */
export function typedErrorsCheck(ledger: Ledger, atClose: number): CheckResult {
  let untyped = 0
  const details: string[] = []
  for (const e of [...ledger.errors].sort((a, b) => b.count - a.count)) {
    if (!e.typed) untyped += e.count
    details.push(`  ${e.count} x ${e.label}${e.typed ? '' : ' <- not a TributaryError'}; e.g. ${e.sample}`)
  }
  const breakdown = [...ledger.errors]
    .sort((a, b) => b.count - a.count)
    .map((e) => `${e.label}=${e.count}`)
    .join(', ')
  return check(
    'typed-errors',
    untyped === 0,
    `failed ${ledger.failed}${atClose > 0 ? ` (${atClose} by close())` : ''}, untyped ${untyped}; by error: ${breakdown === '' ? 'none' : breakdown}`,
    details,
  )
}

/** The storage checks: lost, offsets, duplicates, order per key and per partition, unknown records. */
export function storageChecks(ledger: Ledger, stateAtRead: Uint8Array, stored: StoredRecords): CheckResult[] {
  const n = stored.partition.length
  const keys = stored.keys.split('\n')
  const values = stored.values.split('\n')
  if (n === 0) keys.length = values.length = 0
  const copies = new Uint8Array(ledger.sent)
  /** Index in `stored` of the first copy of each record. */
  const where = new Int32Array(ledger.sent).fill(-1)
  const unknown: string[] = []
  let unknownCount = 0
  const recordOf = new Int32Array(n).fill(-1)

  for (let i = 0; i < n; i++) {
    const key = keys[i] as string
    const value = values[i] as string
    const p = stored.partition[i] as number
    const offset = stored.offset[i] as number
    const parts = value === NULL_MARK ? [] : value.split('|')
    const id = Number(parts[0])
    const valid =
      parts.length === 4 &&
      Number.isInteger(id) &&
      id >= 0 &&
      id < ledger.sent &&
      key === recordKey(ledger.key[id] as number) &&
      value === recordValue(id, ledger.key[id] as number, ledger.seq[id] as number) &&
      p === ledger.keyPartition[ledger.key[id] as number]
    if (!valid) {
      unknownCount++
      if (unknown.length < SAMPLES)
        unknown.push(`  p${p}@${offset}: key ${JSON.stringify(key)} value ${JSON.stringify(value.slice(0, 80))}`)
      continue
    }
    recordOf[i] = id
    if ((copies[id] as number) < 255) copies[id] = (copies[id] as number) + 1
    if (where[id] === -1) where[id] = i
  }

  // Lost and offsets: every record acknowledged before the storage was read.
  let ackedAtRead = 0
  let lost = 0
  let wrongOffset = 0
  let firstLost = -1
  let firstWrongOffset = -1
  const lostLines: string[] = []
  const offsetLines: string[] = []
  for (let id = 0; id < ledger.sent; id++) {
    if (stateAtRead[id] !== ACKED) continue
    ackedAtRead++
    if (copies[id] === 0) {
      lost++
      if (firstLost < 0) firstLost = id
      if (lostLines.length < SAMPLES)
        lostLines.push(`  ${ledger.describe(id)}: acked at p${ledger.partition[id]}@${ledger.offset[id]}, not stored`)
      continue
    }
    const first = where[id] as number
    let matches = stored.partition[first] === ledger.partition[id] && stored.offset[first] === ledger.offset[id]
    // A record stored twice (a duplicate, failed below) may have been acknowledged at its second copy.
    for (let i = first + 1; i < n && !matches && (copies[id] as number) > 1; i++) {
      if (recordOf[i] !== id) continue
      matches = stored.partition[i] === ledger.partition[id] && stored.offset[i] === ledger.offset[id]
    }
    if (!matches) {
      wrongOffset++
      if (firstWrongOffset < 0) firstWrongOffset = id
      if (offsetLines.length < SAMPLES) {
        const i = where[id] as number
        offsetLines.push(
          `  ${ledger.describe(id)}: acked at p${ledger.partition[id]}@${ledger.offset[id]}, stored at p${stored.partition[i]}@${stored.offset[i]}`,
        )
      }
    }
  }

  // Duplicates, and failed records that were written anyway (outcome unknown: allowed).
  let duplicated = 0
  let extraCopies = 0
  let failedButStored = 0
  let firstDup = -1
  const dupLines: string[] = []
  const failedStoredBy = new Map<string, number>()
  for (let id = 0; id < ledger.sent; id++) {
    const c = copies[id] as number
    if (c > 1) {
      duplicated++
      if (firstDup < 0) firstDup = id
      extraCopies += c - 1
      if (dupLines.length < SAMPLES) {
        const at: string[] = []
        for (let i = where[id] as number; i < n; i++)
          if (recordOf[i] === id)
            at.push(`p${stored.partition[i]}@${stored.offset[i]} (epoch ${stored.epoch[i]}, seq ${stored.sequence[i]})`)
        dupLines.push(`  ${ledger.describe(id)}: stored ${c} times at ${at.join(', ')}`)
      }
    }
    if (c > 0 && ledger.state[id] === FAILED) {
      failedButStored++
      const label = ledger.errors[ledger.errorOf[id] as number]?.label ?? '?'
      failedStoredBy.set(label, (failedStoredBy.get(label) ?? 0) + 1)
    }
  }

  // Order: per key (seq increases with the offset) and per partition (send order). A second copy
  // of a duplicated record stored after later records counts too; how many of the violations are
  // such copies is told apart, since a duplicate is its own bug.
  const lastSeq = new Int32Array(ledger.keys + ledger.partitions).fill(-1)
  const lastIdOfKey = new Int32Array(ledger.keys + ledger.partitions).fill(-1)
  let keyReordered = 0
  let keyReorderedCopies = 0
  let partitionReordered = 0
  let partitionReorderedCopies = 0
  let firstKeyReorder = -1
  let firstPartitionReorder = -1
  const keyLines: string[] = []
  const keyCopyLines: string[] = []
  const partitionLines: string[] = []
  const partitionCopyLines: string[] = []
  let lastPartition = -1
  let lastOffset = -1
  let lastId = -1
  let offsetsSorted = true
  for (let i = 0; i < n; i++) {
    const p = stored.partition[i] as number
    const offset = stored.offset[i] as number
    if (p !== lastPartition) {
      lastPartition = p
      lastId = -1
    } else if (offset <= lastOffset) offsetsSorted = false
    lastOffset = offset
    const id = recordOf[i] as number
    if (id < 0) continue
    const copy = where[id] !== i
    const k = ledger.key[id] as number
    const seq = ledger.seq[id] as number
    if (seq < (lastSeq[k] as number)) {
      keyReordered++
      if (copy) keyReorderedCopies++
      else if (firstKeyReorder < 0) firstKeyReorder = id
      const lines = copy ? keyCopyLines : keyLines
      if (lines.length < SAMPLES) {
        lines.push(
          `  key ${recordKey(k)}: seq ${seq} (#${id}, ${MODES[ledger.mode[id] as number]}${copy ? ', a second copy' : ''}) stored at p${p}@${offset}, after seq ${lastSeq[k]} (#${lastIdOfKey[k]})`,
        )
      }
    } else if (seq > (lastSeq[k] as number)) {
      lastSeq[k] = seq
      lastIdOfKey[k] = id
    }
    if (id < lastId) {
      partitionReordered++
      if (copy) partitionReorderedCopies++
      else if (firstPartitionReorder < 0) firstPartitionReorder = id
      const lines = copy ? partitionCopyLines : partitionLines
      if (lines.length < SAMPLES)
        lines.push(
          `  p${p}@${offset}: record #${id}${copy ? ' (a second copy)' : ''} stored after record #${lastId}, sent after it`,
        )
    } else lastId = id
  }

  const failedStored = [...failedStoredBy.entries()].map(([l, c]) => `${l}=${c}`).join(', ')
  return [
    check(
      'no-lost-acks',
      lost === 0,
      `acked ${ackedAtRead} (when storage was read), stored ${n}, acked but not stored ${lost}`,
      lostLines,
      firstLost,
    ),
    check(
      'offsets-match',
      wrongOffset === 0,
      `acked and stored ${ackedAtRead - lost}, at another partition/offset than acknowledged ${wrongOffset}`,
      offsetLines,
      firstWrongOffset,
    ),
    check(
      'no-duplicates',
      duplicated === 0,
      `records stored more than once (by key+seq) ${duplicated} (${extraCopies} extra copies); failed but stored (outcome unknown, allowed) ${failedButStored}${failedStored === '' ? '' : ` [${failedStored}]`}`,
      dupLines,
      firstDup,
    ),
    check(
      'order-per-key',
      keyReordered === 0,
      `stored records with a lower seq at a higher offset than a stored higher seq of the same key: ${keyReordered} (${keyReorderedCopies} of them second copies of duplicates)`,
      [...keyLines, ...keyCopyLines].slice(0, SAMPLES),
      firstKeyReorder >= 0 ? firstKeyReorder : firstDup,
    ),
    check(
      'order-per-partition',
      partitionReordered === 0 && offsetsSorted,
      `stored records sent earlier at a higher offset of their partition: ${partitionReordered} (${partitionReorderedCopies} of them second copies of duplicates)${offsetsSorted ? '' : ' (storage offsets not ascending!)'}`,
      [...partitionLines, ...partitionCopyLines].slice(0, SAMPLES),
      firstPartitionReorder >= 0 ? firstPartitionReorder : firstDup,
    ),
    check(
      'no-unknown-records',
      unknownCount === 0,
      `stored records that were never sent (or were altered, or are in the wrong partition): ${unknownCount}`,
      unknown,
    ),
  ]
}

/** The marker batch sent after the faults stopped: every record acknowledged in time. */
export function recoveryCheck(
  ledger: Ledger,
  markerIds: readonly number[],
  boundMs: number,
  settledWithinMs: number | undefined,
): CheckResult {
  let acked = 0
  let failed = 0
  const details: string[] = []
  for (const id of markerIds) {
    if (ledger.state[id] === ACKED) acked++
    else if (ledger.state[id] === FAILED) {
      failed++
      const e = ledger.errors[ledger.errorOf[id] as number]
      if (details.length < SAMPLES) details.push(`  ${ledger.describe(id)} failed: ${e?.sample ?? '?'}`)
    } else if (details.length < SAMPLES) details.push(`  ${ledger.describe(id)} never settled`)
  }
  const ok = acked === markerIds.length
  return check(
    'sends-after-storm',
    ok,
    `marker batch of ${markerIds.length} record(s) (one per partition) after the cluster healed: acked ${acked}, failed ${failed}, unsettled ${markerIds.length - acked - failed}, bound ${boundMs} ms (deliveryTimeoutMs + margin)${settledWithinMs === undefined ? '' : `, settled in ${Math.round(settledWithinMs)} ms`}`,
    details,
  )
}
