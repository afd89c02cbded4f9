// The scenario runner of the client fuzz suite: a fake broker with faults, a Producer with small
// timeouts, records in every form (promise, callback, sendBatch), then the invariants of issue 9:
//
//   (a) every record settles by its delivery deadline (plus requestTimeoutMs + 1 s of margin);
//   (b) every error is a typed Tributary error whose message (with its causes) names the problem —
//       never a RangeError or TypeError, never a synchronous throw from send(), never an unhandled
//       rejection or uncaught exception (see `installProcessGuards`);
//   (c) nothing allocates absurdly (heap growth is sampled while the faults are on);
//   (d) after `broker.heal()`, a new send on the same producer is acknowledged and stored, and
//       flush() and close() resolve.
//
// A violation is collected, not thrown, so that one run reports everything that went wrong, with
// the broker's replies, in one assertion message.

import {
  Producer,
  type ProducerOptions,
  type RecordMetadata,
  type SendOptions,
  type SendResult,
  TributaryError,
} from '@tributary/core'
import { FakeBroker, type FakeBrokerOptions, type StoredRecord } from './fake-broker.js'

/** The topic every scenario writes to. */
export const TOPIC = 'fuzz'

/** Small timeouts, so that a scenario that fails everything still ends in a few seconds. */
export interface Timing {
  readonly requestTimeoutMs: number
  readonly deliveryTimeoutMs: number
  readonly maxBlockMs: number
  readonly retryBackoffMs: number
  readonly retryBackoffMaxMs: number
  readonly connectTimeoutMs: number
  readonly lingerMs: number
}

export const DEFAULT_TIMING: Timing = {
  requestTimeoutMs: 500,
  deliveryTimeoutMs: 2000,
  maxBlockMs: 1000,
  retryBackoffMs: 20,
  retryBackoffMaxMs: 200,
  connectTimeoutMs: 500,
  lingerMs: 2,
}

/** The margin past a record's delivery deadline within which it must have settled. */
export function settleMargin(timing: Timing): number {
  return timing.requestTimeoutMs + 1000
}

/** A vitest timeout for one scenario: room for the fault phase, recovery, flush and close, with slack. */
export function scenarioTimeout(timing: Timing = DEFAULT_TIMING): number {
  return 4 * (timing.deliveryTimeoutMs + settleMargin(timing)) + 10_000
}

// -- process guards ------------------------------------------------------------------------------

/** Unhandled rejections and uncaught exceptions seen while the guards are installed. */
export interface ProcessGuards {
  readonly seen: string[]
  /** Entries since the last call (for a per-test check). */
  takeNew(): string[]
  dispose(): void
}

/** Listens for unhandled rejections and uncaught exceptions (install in beforeAll, check in afterEach). */
export function installProcessGuards(): ProcessGuards {
  const seen: string[] = []
  let taken = 0
  const onRejection = (reason: unknown) => {
    seen.push(`unhandledRejection: ${describeError(reason)}`)
  }
  const onException = (error: unknown) => {
    seen.push(`uncaughtException: ${describeError(error)}`)
  }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  return {
    seen,
    takeNew() {
      const fresh = seen.slice(taken)
      taken = seen.length
      return fresh
    },
    dispose() {
      process.off('unhandledRejection', onRejection)
      process.off('uncaughtException', onException)
    },
  }
}

// -- errors --------------------------------------------------------------------------------------

/** `Name: message` of an error and of each of its causes, joined with ' <- '. */
export function describeError(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error || (typeof current === 'object' && 'message' in current)) {
      const e = current as Error
      parts.push(`${e.name}: ${e.message}`)
      current = (e as { cause?: unknown }).cause
    } else {
      parts.push(String(current))
      break
    }
  }
  return parts.join(' <- ')
}

// -- heap ----------------------------------------------------------------------------------------

/** Samples heapUsed + arrayBuffers every few ms; `growth` is the largest rise over the baseline. */
export class HeapWatch {
  private readonly baseline: number
  private max: number
  private readonly timer: NodeJS.Timeout

  constructor() {
    this.baseline = HeapWatch.sample()
    this.max = this.baseline
    this.timer = setInterval(() => this.take(), 10)
  }

  private static sample(): number {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }

  private take(): void {
    const now = HeapWatch.sample()
    if (now > this.max) this.max = now
  }

  /** Stops sampling; the largest rise over the baseline seen, in bytes. */
  stop(): number {
    this.take()
    clearInterval(this.timer)
    return this.max - this.baseline
  }
}

/**
 * Heap growth allowed while a scenario runs. A partition index of 50,000,000 taken at its word
 * allocates at least 400 MB (8 bytes per array slot); a scenario itself needs a few MB.
 */
export const HEAP_LIMIT_BYTES = 128 * 1024 * 1024

// -- sending -------------------------------------------------------------------------------------

export type SendForm = 'promise' | 'callback' | 'batch'

/** How one record fared. */
export interface Outcome {
  readonly form: SendForm
  readonly index: number
  readonly value: string
  readonly sentAt: number
  /** The record's delivery timeout (the producer's deliveryTimeoutMs). */
  readonly timeoutMs: number
  settledAt?: number
  meta?: RecordMetadata
  error?: unknown
  /** send()/sendBatch() threw instead of settling. */
  syncThrow?: unknown
  /** Set when the record settled a second time (how). */
  settledTwice?: string
}

/** Records per form. */
export interface RecordPlan {
  readonly promise: number
  readonly callback: number
  readonly batch: number
}

export const DEFAULT_PLAN: RecordPlan = { promise: 2, callback: 2, batch: 3 }

/** Sends records in every form; `done` resolves when every one has settled. */
export function sendAll(
  producer: Producer<string | null, string>,
  plan: RecordPlan,
  tag: string,
  deliveryTimeoutMs: number,
  options?: SendOptions,
): { outcomes: Outcome[]; done: Promise<void> } {
  const timeoutMs = options?.timeoutMs ?? deliveryTimeoutMs
  const outcomes: Outcome[] = []
  const waits: Array<Promise<void>> = []
  // A mix of routes: explicit partition 0, keyed, and unkeyed (sticky).
  const record = (i: number, value: string) =>
    i % 3 === 0
      ? { topic: TOPIC, value, partition: 0 }
      : i % 3 === 1
        ? { topic: TOPIC, key: `key-${i}`, value }
        : { topic: TOPIC, value }
  const start = (form: SendForm, index: number): Outcome => {
    const o: Outcome = { form, index, value: `${tag}-${form}-${index}`, sentAt: Date.now(), timeoutMs }
    outcomes.push(o)
    return o
  }
  const settle = (o: Outcome, error: unknown, meta: RecordMetadata | undefined) => {
    if (o.settledAt !== undefined) {
      o.settledTwice = `first ${o.meta === undefined ? 'failed' : 'acknowledged'}, then ${meta === undefined ? `failed (${describeError(error)})` : 'acknowledged'}`
      return
    }
    o.settledAt = Date.now()
    if (meta !== undefined) o.meta = meta
    else o.error = error
  }

  for (let i = 0; i < plan.promise; i++) {
    const o = start('promise', i)
    try {
      waits.push(
        producer.send(record(i, o.value), options).then(
          (meta) => settle(o, undefined, meta),
          (error: unknown) => settle(o, error, undefined),
        ),
      )
    } catch (error) {
      o.syncThrow = error
      o.settledAt = Date.now()
    }
  }
  for (let i = 0; i < plan.callback; i++) {
    const o = start('callback', i)
    waits.push(
      new Promise<void>((resolve) => {
        try {
          producer.send(record(i, o.value), options ?? {}, (error, meta) => {
            settle(o, error ?? undefined, error === null ? meta : undefined)
            if (error === null && meta === undefined) o.error = new Error('callback got neither an error nor metadata')
            resolve()
          })
        } catch (error) {
          o.syncThrow = error
          o.settledAt = Date.now()
          resolve()
        }
      }),
    )
  }
  if (plan.batch > 0) {
    const batch: Outcome[] = []
    for (let i = 0; i < plan.batch; i++) batch.push(start('batch', i))
    try {
      waits.push(
        producer
          .sendBatch(
            batch.map((o, i) => record(i, o.value)),
            options,
          )
          .then(
            (results: SendResult[]) => {
              if (results.length !== batch.length) {
                for (const o of batch)
                  settle(
                    o,
                    new Error(`sendBatch gave ${results.length} results for ${batch.length} records`),
                    undefined,
                  )
                return
              }
              results.forEach((r, i) => {
                const o = batch[i] as Outcome
                if (r.ok) settle(o, undefined, r.meta)
                else settle(o, r.error, undefined)
              })
            },
            (error: unknown) => {
              for (const o of batch) settle(o, new Error(`sendBatch rejected: ${describeError(error)}`), undefined)
            },
          ),
      )
    } catch (error) {
      for (const o of batch) {
        o.syncThrow = error
        o.settledAt = Date.now()
      }
    }
  }
  return { outcomes, done: Promise.all(waits).then(() => undefined) }
}

/** Resolves true when `promise` settles within `ms`, false otherwise. */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms))
  })
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      late,
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** What to check of the outcomes of records sent while faults were on. */
export interface OutcomeRules {
  /** Each error's description (message and causes) must match this. */
  readonly problem: RegExp
  /** Settle within the delivery timeout plus this. */
  readonly marginMs: number
  /** The topic's partition count at the broker. */
  readonly partitions: number
  /** False when every record must fail. Default true. */
  readonly allowSuccess?: boolean
  /**
   * What the broker stored, to check that an acknowledged record is stored at the partition and
   * offset it was acknowledged with; undefined when the broker's acknowledgements may lie (faults
   * that change offsets).
   */
  readonly stored?: readonly StoredRecord[] | undefined
}

/** An acknowledged record is stored, at the partition and offset of its acknowledgement. */
function checkStored(who: string, value: string, meta: RecordMetadata, stored: readonly StoredRecord[]): string[] {
  const copies = stored.filter((r) => r.value === value)
  if (copies.length === 0) {
    return [`${who}: acknowledged at ${meta.partition}@${meta.offset}, but the broker never stored it`]
  }
  if (copies.some((r) => r.partition === meta.partition && r.offset === meta.offset)) return []
  const where = copies.map((r) => `${r.partition}@${r.offset}`).join(', ')
  return [`${who}: acknowledged at ${meta.partition}@${meta.offset}, but the broker stored it at ${where}`]
}

/** The violations of invariants (a) and (b) in `outcomes`. */
export function checkOutcomes(outcomes: readonly Outcome[], rules: OutcomeRules): string[] {
  const violations: string[] = []
  for (const o of outcomes) {
    const who = `${o.form} record #${o.index}`
    const limit = o.timeoutMs + rules.marginMs
    if (o.syncThrow !== undefined) {
      violations.push(`${who}: send threw synchronously instead of settling: ${describeError(o.syncThrow)}`)
      continue
    }
    if (o.settledAt === undefined) {
      violations.push(`${who}: not settled ${limit} ms after it was sent (delivery timeout ${o.timeoutMs} ms + margin)`)
      continue
    }
    if (o.settledTwice !== undefined) violations.push(`${who}: settled twice: ${o.settledTwice}`)
    const took = o.settledAt - o.sentAt
    if (took > limit) {
      violations.push(
        `${who}: settled after ${took} ms, past its delivery timeout of ${o.timeoutMs} ms + margin ${rules.marginMs} ms`,
      )
    }
    if (o.meta !== undefined) {
      if (rules.allowSuccess === false) violations.push(`${who}: acknowledged, but every record should have failed`)
      const m = o.meta
      if (m.topic !== TOPIC) violations.push(`${who}: acknowledged for topic ${String(m.topic)}`)
      if (!Number.isInteger(m.partition) || m.partition < 0 || m.partition >= rules.partitions) {
        violations.push(`${who}: acknowledged for partition ${m.partition}, the topic has ${rules.partitions}`)
      }
      if (typeof m.offset !== 'bigint')
        violations.push(`${who}: acknowledged with offset ${String(m.offset)} (not a bigint)`)
      if (rules.stored !== undefined) violations.push(...checkStored(who, o.value, m, rules.stored))
      continue
    }
    const error = o.error
    if (!TributaryError.isInstance(error)) {
      const name = error instanceof Error ? error.name : typeof error
      violations.push(`${who}: failed with a ${name}, not a Tributary error: ${describeError(error)}`)
      continue
    }
    if (error.message.trim() === '') violations.push(`${who}: failed with an empty message (${error.name})`)
    const text = describeError(error)
    if (!rules.problem.test(text))
      violations.push(`${who}: error does not name the problem (${rules.problem}): ${text}`)
  }
  return violations
}

// -- scenarios -----------------------------------------------------------------------------------

/** One scenario: faults on a fresh broker, records, then recovery. */
export interface Scenario {
  /** Installs faults on the broker before the producer starts (they stay until heal()). */
  readonly arrange: (broker: FakeBroker) => void
  /** What every error, with its causes, must name. */
  readonly problem: RegExp
  /** False when every record sent under the faults must fail. Default true. */
  readonly allowSuccess?: boolean
  readonly plan?: RecordPlan
  /** Partitions of the topic at the broker. Default 3. */
  readonly partitions?: number
  readonly timing?: Partial<Timing>
  /** Other producer options (acks, idempotent, ...). */
  readonly producer?: Partial<ProducerOptions<string | null, string>>
  readonly broker?: FakeBrokerOptions
  /** True when the faults make the broker acknowledge with offsets it did not store at. */
  readonly acksMayLie?: boolean
  /** Per-call options of the sends under the faults (e.g. a timeoutMs shorter than deliveryTimeoutMs). */
  readonly sendOptions?: SendOptions
  /**
   * How long past its deadline a record may settle. Default requestTimeoutMs + 1 s: a record whose
   * request is out when its deadline passes may wait for that request to end.
   */
  readonly marginMs?: number
  /** Runs once the records under the faults have settled (or not), before heal(). */
  readonly beforeHeal?: (broker: FakeBroker) => void | Promise<void>
}

/** What a scenario run found. */
export interface ScenarioReport {
  readonly violations: string[]
  readonly outcomes: readonly Outcome[]
  /** The broker's replies, in order, e.g. `Metadata#2@c1 wrong correlation id (+7)`. */
  readonly replies: string[]
  readonly heapGrowthBytes: number
}

/** The producer options of a scenario. */
export function producerOptions(
  broker: FakeBroker,
  timing: Timing,
  extra: Partial<ProducerOptions<string | null, string>> = {},
): ProducerOptions<string | null, string> {
  return {
    clientId: 'fuzz',
    bootstrapBrokers: [broker.address],
    requestTimeoutMs: timing.requestTimeoutMs,
    deliveryTimeoutMs: timing.deliveryTimeoutMs,
    maxBlockMs: timing.maxBlockMs,
    retryBackoffMs: timing.retryBackoffMs,
    retryBackoffMaxMs: timing.retryBackoffMaxMs,
    connectTimeoutMs: timing.connectTimeoutMs,
    lingerMs: timing.lingerMs,
    ...extra,
  }
}

/**
 * Runs a scenario end to end and returns every violation found; the broker and the producer are
 * closed whatever happens.
 */
export async function runScenario(scenario: Scenario): Promise<ScenarioReport> {
  const timing: Timing = { ...DEFAULT_TIMING, ...scenario.timing }
  const partitions = scenario.partitions ?? 3
  const margin = scenario.marginMs ?? settleMargin(timing)
  const broker = await FakeBroker.start({ topics: { [TOPIC]: partitions }, ...scenario.broker })
  const violations: string[] = []
  let outcomes: Outcome[] = []
  let producer: Producer<string | null, string> | undefined
  let heap: HeapWatch | undefined
  let heapGrowthBytes = 0
  try {
    scenario.arrange(broker)
    heap = new HeapWatch()
    producer = new Producer<string | null, string>(producerOptions(broker, timing, scenario.producer))
    const sent = sendAll(
      producer,
      scenario.plan ?? DEFAULT_PLAN,
      'fault',
      timing.deliveryTimeoutMs,
      scenario.sendOptions,
    )
    outcomes = sent.outcomes
    const longest = Math.max(0, ...outcomes.map((o) => o.timeoutMs))
    // A little slack past the limit, so that a record settling right at it is seen as settled.
    await within(sent.done, longest + margin + 250)
    violations.push(
      ...checkOutcomes(outcomes, {
        problem: scenario.problem,
        marginMs: margin,
        partitions,
        ...(scenario.allowSuccess === undefined ? {} : { allowSuccess: scenario.allowSuccess }),
        stored: scenario.acksMayLie === true ? undefined : broker.stored(TOPIC),
      }),
    )
    await scenario.beforeHeal?.(broker)
    heapGrowthBytes = heap.stop()
    heap = undefined
    if (heapGrowthBytes > HEAP_LIMIT_BYTES) {
      violations.push(
        `heap grew by ${(heapGrowthBytes / 2 ** 20).toFixed(0)} MB while the faults were on (limit ${HEAP_LIMIT_BYTES / 2 ** 20} MB)`,
      )
    }
    broker.heal()
    violations.push(...(await recoveryPhase(producer, broker, timing)))
  } finally {
    heap?.stop()
    if (producer !== undefined) {
      // Already closed when recovery got that far; otherwise a bounded close, whatever it does.
      await within(producer.close({ timeoutMs: 200 }), 2000)
    }
    await broker.close()
  }
  violations.push(...broker.problems.map((p) => `fake broker: ${p}`))
  return { violations, outcomes, replies: broker.describeReplies(), heapGrowthBytes }
}

/**
 * Invariant (d): on the same producer, after heal(), a new send is acknowledged and stored, then
 * flush() and close() resolve.
 */
export async function recoveryPhase(
  producer: Producer<string | null, string>,
  broker: FakeBroker,
  timing: Timing,
): Promise<string[]> {
  const violations: string[] = []
  const limit = timing.deliveryTimeoutMs + settleMargin(timing)
  const value = `recovery-${Date.now()}-${Math.floor(Math.random() * 1e9)}`
  let result: { meta?: RecordMetadata; error?: unknown } | undefined
  let sync: unknown
  try {
    const sent = producer.send({ topic: TOPIC, value }).then(
      (meta) => {
        result = { meta }
      },
      (error: unknown) => {
        result = { error }
      },
    )
    await within(sent, limit + 250)
  } catch (error) {
    sync = error
  }
  if (sync !== undefined) {
    violations.push(`recovery: send threw synchronously after heal(): ${describeError(sync)}`)
  } else if (result === undefined) {
    violations.push(
      `recovery: a send after heal() was not settled within ${limit} ms (the producer does not send again)`,
    )
  } else if (result.meta === undefined) {
    violations.push(`recovery: a send after heal() failed: ${describeError(result.error)}`)
  } else {
    violations.push(...checkStored('recovery: a send after heal()', value, result.meta, broker.stored(TOPIC)))
  }
  if (!(await within(producer.flush(), limit)))
    violations.push(`flush() did not resolve within ${limit} ms after heal()`)
  if (!(await within(producer.close(), limit)))
    violations.push(`close() did not resolve within ${limit} ms after heal()`)
  return violations
}

/** Fails with every violation, the broker's replies and a sample of outcomes, when there are any. */
export function assertClean(report: ScenarioReport): void {
  if (report.violations.length === 0) return
  const outcomes = report.outcomes.map((o) => {
    const took = o.settledAt === undefined ? 'unsettled' : `${o.settledAt - o.sentAt} ms`
    const what =
      o.syncThrow !== undefined
        ? `threw ${describeError(o.syncThrow)}`
        : o.meta !== undefined
          ? `ok ${o.meta.topic}-${o.meta.partition}@${o.meta.offset}`
          : o.error !== undefined
            ? describeError(o.error)
            : ''
    return `  ${o.form}#${o.index} (${took}) ${what}`
  })
  const replies =
    report.replies.length > 40
      ? [...report.replies.slice(0, 40), `... ${report.replies.length - 40} more`]
      : report.replies
  throw new Error(
    [
      `${report.violations.length} violation(s):`,
      ...report.violations.map((v) => `  - ${v}`),
      'outcomes:',
      ...outcomes,
      'broker replies:',
      ...replies.map((r) => `  ${r}`),
    ].join('\n'),
  )
}
