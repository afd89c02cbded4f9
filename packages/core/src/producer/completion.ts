import type { RecordMetadata, SendCallback, SendResult } from './types.js'

/** Where a record settled from: its batch, when it got that far. */
export interface SettledFrom {
  readonly partition: number
  /** Produce requests that carried the batch. */
  readonly attempts: number
  /** The broker of the last request that carried it. */
  readonly broker?: { nodeId: number; host: string; port: number } | undefined
}

/** Receives the outcome of records; one target may own many records (a `sendBatch` call). */
export interface CompletionTarget {
  /** Settles record `index` of this target, once. Never throws, whatever user code it runs. */
  settle(index: number, error: Error | null, meta: RecordMetadata | null, from?: SettledFrom): void
}

/** Counts records not yet settled per flush generation, so `flush` waits only for earlier ones. */
export class FlushTracker {
  generation = 0
  /** Unsettled records of the current generation, kept out of the map on the hot path. */
  private current = 0
  private readonly older = new Map<number, number>()
  private waiters: Array<{ generation: number; resolve: () => void }> = []

  add(generation: number, n: number): void {
    if (generation === this.generation) this.current += n
    else this.older.set(generation, (this.older.get(generation) ?? 0) + n)
  }

  done(generation: number): void {
    if (generation === this.generation) {
      this.current--
      if (this.current === 0 && this.waiters.length > 0) this.check()
      return
    }
    const left = (this.older.get(generation) ?? 1) - 1
    if (left > 0) {
      this.older.set(generation, left)
      return
    }
    this.older.delete(generation)
    if (this.waiters.length > 0) this.check()
  }

  /** Records not settled yet, across every generation. */
  get pending(): number {
    let n = this.current
    for (const count of this.older.values()) n += count
    return n
  }

  /** Resolves when every record of this and earlier generations is settled. */
  wait(): Promise<void> {
    const generation = this.generation++
    if (this.current > 0) this.older.set(generation, this.current)
    this.current = 0
    return new Promise((resolve) => {
      this.waiters.push({ generation, resolve })
      this.check()
    })
  }

  private check(): void {
    let oldest = Number.POSITIVE_INFINITY
    for (const g of this.older.keys()) if (g < oldest) oldest = g
    if (this.current > 0 && this.generation < oldest) oldest = this.generation
    const still: typeof this.waiters = []
    for (const w of this.waiters) {
      if (oldest > w.generation) w.resolve()
      else still.push(w)
    }
    this.waiters = still
  }
}

// The resolving functions of the promise being created: one shared executor instead of a closure
// per record.
let capturedResolve: ((meta: RecordMetadata) => void) | undefined
let capturedReject: ((error: Error) => void) | undefined
function capture(resolve: (meta: RecordMetadata) => void, reject: (error: Error) => void): void {
  capturedResolve = resolve
  capturedReject = reject
}

/** `send(record)`: a promise per record. */
export class PromiseTarget implements CompletionTarget {
  readonly promise: Promise<RecordMetadata>
  private readonly resolve: (meta: RecordMetadata) => void
  private readonly reject: (error: Error) => void
  constructor(
    private readonly tracker: FlushTracker,
    readonly generation: number,
  ) {
    this.promise = new Promise(capture)
    this.resolve = capturedResolve as (meta: RecordMetadata) => void
    this.reject = capturedReject as (error: Error) => void
  }
  private settled = false
  settle(_index: number, error: Error | null, meta: RecordMetadata | null): void {
    if (this.settled) return
    this.settled = true
    this.tracker.done(this.generation)
    if (error !== null) this.reject(error)
    else this.resolve(meta as RecordMetadata)
  }
}

/**
 * `send(record, callback)`. A callback that throws is reported to `onError` (the logger) and
 * changes nothing else: the record is settled, and the records after it settle too.
 */
export class CallbackTarget implements CompletionTarget {
  private settled = false
  constructor(
    private readonly tracker: FlushTracker,
    readonly generation: number,
    private readonly callback: SendCallback,
    private readonly onError: (error: unknown) => void,
  ) {}
  settle(_index: number, error: Error | null, meta: RecordMetadata | null): void {
    if (this.settled) return
    this.settled = true
    this.tracker.done(this.generation)
    try {
      if (error !== null) this.callback(error)
      else this.callback(null, meta as RecordMetadata)
    } catch (thrown) {
      this.onError(thrown)
    }
  }
}

/** `sendBatch(records)`: one result per record, in order, resolved when all are settled. */
export class BatchTarget implements CompletionTarget {
  readonly promise: Promise<SendResult[]>
  private readonly results: SendResult[]
  private remaining: number
  private resolve!: (results: SendResult[]) => void
  constructor(
    private readonly tracker: FlushTracker,
    readonly generation: number,
    count: number,
  ) {
    this.results = new Array(count)
    this.remaining = count
    this.promise = new Promise((resolve) => {
      this.resolve = resolve
    })
    if (count === 0) this.resolve(this.results)
  }
  settle(index: number, error: Error | null, meta: RecordMetadata | null): void {
    if (this.results[index] !== undefined) return
    this.tracker.done(this.generation)
    this.results[index] = error !== null ? { ok: false, error } : { ok: true, meta: meta as RecordMetadata }
    if (--this.remaining === 0) this.resolve(this.results)
  }
}
