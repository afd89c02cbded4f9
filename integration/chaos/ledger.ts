import { KafkaProtocolError, murmur2, TimeoutError, TributaryError, toPositive } from '@tributary/core'

// What the harness sent and how each record settled, in flat typed arrays (a million records
// cost a few tens of megabytes). Record i is the i-th record handed to the producer; its key is
// `k<key>` and its value `<i>|<key>|<seq>|<padding>`, so a stored record names itself.

export const PENDING = 1
export const ACKED = 2
export const FAILED = 3

/** How a record was handed to the producer. */
export const MODES = ['send', 'send-callback', 'sendBatch', 'marker'] as const
export type Mode = (typeof MODES)[number]

/** The key of key index `k`. */
export function recordKey(k: number): string {
  return `k${k}`
}

/** The value of record `id` (key index `k`, per-key sequence `seq`). */
export function recordValue(id: number, k: number, seq: number): string {
  return `${id}|${k}|${seq}|${'x'.repeat((k * 7 + seq) % 40)}`
}

/** One kind of failure: its label, how many records got it, and one message. */
export interface ErrorKind {
  label: string
  typed: boolean
  count: number
  sample: string
}

/** A label for an error that tells the kinds apart: class, Kafka error name, and the cause of a timeout. */
export function errorLabel(error: unknown): { label: string; typed: boolean } {
  if (!TributaryError.isInstance(error)) {
    const name = error instanceof Error ? error.name : typeof error
    return { label: `UNTYPED ${name}`, typed: false }
  }
  if (KafkaProtocolError.isInstance(error)) return { label: `KafkaProtocolError ${error.kafkaName}`, typed: true }
  if (TimeoutError.isInstance(error)) {
    const cause = (error as { cause?: unknown }).cause
    let last = ''
    if (KafkaProtocolError.isInstance(cause)) last = ` (last: ${cause.kafkaName})`
    else if (cause instanceof Error) last = ` (last: ${cause.name})`
    return { label: `TimeoutError${last}`, typed: true }
  }
  return { label: error.code === -1 ? error.name : `${error.name} code ${error.code}`, typed: true }
}

/** Every record sent, and its outcome. */
export class Ledger {
  readonly capacity: number
  readonly keys: number
  readonly partitions: number
  /** Key index of each record. */
  readonly key: Int32Array
  /** Per-key sequence number of each record. */
  readonly seq: Int32Array
  /** 0 unsent, PENDING, ACKED or FAILED. */
  readonly state: Uint8Array
  readonly mode: Uint8Array
  /** Times each record was settled (more than once is a bug). */
  readonly settles: Uint8Array
  /** Partition and offset the producer reported (acked records), else -1. */
  readonly partition: Int16Array
  readonly offset: Float64Array
  /** Milliseconds since the run started. */
  readonly sentAt: Float64Array
  readonly settledAt: Float64Array
  /** The failure label index of each failed record. */
  readonly errorOf: Int16Array
  /** The partition each key goes to (markers: their explicit partition). */
  readonly keyPartition: Int16Array
  private readonly nextSeq: Int32Array
  readonly errors: ErrorKind[] = []
  private readonly errorIndex = new Map<string, number>()
  sent = 0
  acked = 0
  failed = 0
  settledTwice = 0
  /** When the last record was sent and settled, in ms since the start. */
  lastSendAt = 0
  lastSettleAt = 0
  private readonly t0: number

  constructor(capacity: number, keys: number, partitions: number, markers: number, t0: number) {
    this.capacity = capacity
    this.keys = keys
    this.partitions = partitions
    this.t0 = t0
    this.key = new Int32Array(capacity)
    this.seq = new Int32Array(capacity)
    this.state = new Uint8Array(capacity)
    this.mode = new Uint8Array(capacity)
    this.settles = new Uint8Array(capacity)
    this.partition = new Int16Array(capacity).fill(-1)
    this.offset = new Float64Array(capacity).fill(-1)
    this.sentAt = new Float64Array(capacity)
    this.settledAt = new Float64Array(capacity)
    this.errorOf = new Int16Array(capacity).fill(-1)
    this.keyPartition = new Int16Array(keys + markers)
    this.nextSeq = new Int32Array(keys + markers)
    for (let k = 0; k < keys; k++) this.keyPartition[k] = toPositive(murmur2(Buffer.from(recordKey(k)))) % partitions
    for (let m = 0; m < markers; m++) this.keyPartition[keys + m] = m % partitions
  }

  now(): number {
    return performance.now() - this.t0
  }

  get unsettled(): number {
    return this.sent - this.acked - this.failed
  }

  /** Records a new record of key `k`; returns its id. */
  add(k: number, mode: Mode): number {
    const id = this.sent++
    if (id >= this.capacity) throw new RangeError(`ledger full (${this.capacity} records)`)
    this.key[id] = k
    const seq = this.nextSeq[k] as number
    this.nextSeq[k] = seq + 1
    this.seq[id] = seq
    this.state[id] = PENDING
    this.mode[id] = MODES.indexOf(mode)
    this.sentAt[id] = this.lastSendAt = this.now()
    return id
  }

  ack(id: number, partition: number, offset: bigint): void {
    if (this.settleOnce(id)) return
    this.state[id] = ACKED
    this.partition[id] = partition
    this.offset[id] = Number(offset)
    this.acked++
  }

  fail(id: number, error: unknown): void {
    if (this.settleOnce(id)) return
    this.state[id] = FAILED
    const { label, typed } = errorLabel(error)
    let i = this.errorIndex.get(label)
    if (i === undefined) {
      i = this.errors.length
      this.errorIndex.set(label, i)
      const sample = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      this.errors.push({ label, typed, count: 0, sample: sample.slice(0, 400) })
    }
    ;(this.errors[i] as ErrorKind).count++
    this.errorOf[id] = i
    this.failed++
  }

  /** Counts a settlement; true when the record was settled before (the second outcome is ignored). */
  private settleOnce(id: number): boolean {
    const n = this.settles[id] as number
    if (n < 255) this.settles[id] = n + 1
    this.settledAt[id] = this.lastSettleAt = this.now()
    if (n > 0) {
      this.settledTwice++
      return true
    }
    return false
  }

  /** Ids of records not settled yet, oldest first. */
  unsettledIds(limit = Number.POSITIVE_INFINITY): number[] {
    const out: number[] = []
    for (let id = 0; id < this.sent && out.length < limit; id++) if (this.state[id] === PENDING) out.push(id)
    return out
  }

  /** One line per record: id, key, seq, partition, how it was sent, and its age. */
  describe(id: number): string {
    const k = this.key[id] as number
    const age = Math.round(this.now() - (this.sentAt[id] as number))
    return `#${id} key ${recordKey(k)} seq ${this.seq[id]} partition ${this.keyPartition[k]} via ${MODES[this.mode[id] as number]}, sent at ${Math.round(this.sentAt[id] as number)} ms (${age} ms ago)`
  }

  /** Unsettled records: how many per partition, and the oldest few. */
  describeUnsettled(limit = 20): string[] {
    const ids = this.unsettledIds()
    if (ids.length === 0) return []
    const perPartition = new Map<number, number>()
    for (const id of ids) {
      const p = this.keyPartition[this.key[id] as number] as number
      perPartition.set(p, (perPartition.get(p) ?? 0) + 1)
    }
    const lines = [
      `${ids.length} unsettled record(s); per partition: ${[...perPartition.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([p, n]) => `p${p}=${n}`)
        .join(' ')}`,
    ]
    for (const id of ids.slice(0, limit)) lines.push(`  ${this.describe(id)}`)
    if (ids.length > limit) lines.push(`  ... and ${ids.length - limit} more`)
    return lines
  }
}
