import { Producer, type ProducerOptions, type RecordMetadata, type SendResult } from '@tributary/core'
import {
  type CheckResult,
  recoveryCheck,
  type SettleOutcome,
  settledCheck,
  storageChecks,
  typedErrorsCheck,
} from './checks.js'
import { ChaosCluster } from './cluster.js'
import { FAULT_KINDS, type FaultKind, type FaultStep, faultSchedule, scheduleDigest } from './faults.js'
import { Ledger, type Mode, recordKey, recordValue } from './ledger.js'
import { Prng } from './prng.js'
import type { ClusterSnapshot } from './protocol.js'

// One chaos run: a mock cluster in its own process, a producer here sending keyed records with a
// per-key sequence number while the seeded schedule injects faults, then a quiet phase (the cluster
// healed, a marker batch that must be acknowledged), then the checks against what the cluster stored.

export interface ChaosConfig {
  seed: number
  /** Records sent in the fault phase. */
  records: number
  /** The fault phase's planned length: records are paced to spread over it. */
  durationMs: number
  keys: number
  partitions: number
  brokers: number
  deliveryTimeoutMs: number
  requestTimeoutMs: number
  /** Slack on top of deliveryTimeoutMs before an unsettled record counts as wedged. */
  marginMs: number
  /** At most this many records unsettled at once; sending waits below it. */
  maxOutstanding: number
  /** Fault kinds to inject; the others' steps are skipped (the schedule itself is unchanged). */
  kinds: FaultKind[]
  /** Only the schedule's first N steps inject faults; later ones only restore. */
  maxFaults: number
  /** Print every fault as it is applied. */
  printFaults: boolean
  /** Print the producer's warnings as they come. */
  verbose: boolean
}

export const DEFAULT_CONFIG: ChaosConfig = {
  seed: 0,
  records: 1_000_000,
  durationMs: 60_000,
  keys: 4000,
  partitions: 12,
  brokers: 3,
  deliveryTimeoutMs: 4000,
  requestTimeoutMs: 1000,
  marginMs: 5000,
  maxOutstanding: 200_000,
  kinds: [...FAULT_KINDS],
  maxFaults: Number.POSITIVE_INFINITY,
  printFaults: false,
  verbose: false,
}

export const TOPIC = 'chaos'

/** The producer options of every run; only the bootstrap list and the two timeouts vary. */
export function producerOptions(
  config: ChaosConfig,
  bootstrapBrokers: string[],
): ProducerOptions<string, string> & Record<string, unknown> {
  return {
    clientId: 'tributary-chaos',
    bootstrapBrokers,
    acks: 'all',
    idempotent: true,
    compression: 'none',
    lingerMs: 5,
    batchBytes: 16_384,
    bufferBytes: 33_554_432,
    maxBlockMs: config.deliveryTimeoutMs,
    maxInFlight: 5,
    requestTimeoutMs: config.requestTimeoutMs,
    deliveryTimeoutMs: config.deliveryTimeoutMs,
    retryBackoffMs: 50,
    retryBackoffMaxMs: 500,
    metadataMaxAgeMs: 10_000,
    connectTimeoutMs: 1000,
  }
}

export interface AppliedFault {
  /** Milliseconds since the run started. */
  atMs: number
  index: number
  kind: FaultKind
  restore: boolean
  label: string
}

export interface ChaosReport {
  ok: boolean
  seed: number
  config: ChaosConfig
  producerOptions: Record<string, unknown>
  checks: CheckResult[]
  faults: {
    /** Schedule steps reached, applied or skipped. */
    steps: number
    applied: number
    /** Faults applied (not restorations), by kind. */
    byKind: Record<string, number>
    digest: string
    errors: string[]
    timeline: AppliedFault[]
  }
  timings: { sendPhaseMs: number; settleMs: number; markerMs: number; totalMs: number }
  recordsPerSecond: number
  producerLog: Record<string, number>
  cluster: ClusterSnapshot | undefined
  summary: string
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** One run of the chaos suite. `log` gets every line meant for the console. */
export class ChaosRun {
  phase = 'starting'
  private readonly config: ChaosConfig
  private readonly log: (line: string) => void
  private readonly t0 = performance.now()
  private readonly ledger: Ledger
  private cluster: ChaosCluster | undefined
  private producer: Producer<string, string> | undefined
  private readonly timeline: AppliedFault[] = []
  private readonly faultErrors: string[] = []
  private readonly producerLog = new Map<string, number>()
  private readonly recentProducerLog: string[] = []
  /** Every producer log line with its time (capped), to show those around a failure. */
  private readonly producerLogLines: Array<{ atMs: number; line: string }> = []

  constructor(config: ChaosConfig, log: (line: string) => void) {
    this.config = config
    this.log = log
    this.ledger = new Ledger(
      config.records + config.partitions,
      config.keys,
      config.partitions,
      config.partitions,
      this.t0,
    )
  }

  private now(): number {
    return performance.now() - this.t0
  }

  private onProducerLog(level: string, message: string): void {
    const kind = `${level}: ${message.replace(/\d+/g, '#').slice(0, 160)}`
    this.producerLog.set(kind, (this.producerLog.get(kind) ?? 0) + 1)
    const line = `[${Math.round(this.now())} ms] producer ${level}: ${message}`
    this.recentProducerLog.push(line)
    if (this.producerLogLines.length < 20_000) this.producerLogLines.push({ atMs: this.now(), line })
    if (this.recentProducerLog.length > 30) this.recentProducerLog.shift()
    if (this.config.verbose) this.log(line)
  }

  /** What the run is doing and what is stuck, for the watchdog. */
  describeState(): string[] {
    const lines = [
      `phase: ${this.phase}, ${Math.round(this.now())} ms since start`,
      `records: sent ${this.ledger.sent}, acked ${this.ledger.acked}, failed ${this.ledger.failed}, unsettled ${this.ledger.unsettled}`,
      ...this.ledger.describeUnsettled(),
      'last faults:',
      ...this.timeline.slice(-15).map(describeFault),
      'last producer log lines:',
      ...this.recentProducerLog.slice(-15).map((l) => `  ${l}`),
    ]
    return lines
  }

  /** Kills the broker process (the watchdog's last resort). */
  kill(): void {
    this.cluster?.kill()
  }

  async run(): Promise<ChaosReport> {
    const config = this.config
    const ledger = this.ledger
    this.phase = 'starting the broker process'
    const cluster = await ChaosCluster.start({ brokers: config.brokers, topic: TOPIC, partitions: config.partitions })
    this.cluster = cluster
    try {
      return await this.runWith(cluster, ledger)
    } finally {
      this.phase = 'shutting down'
      await cluster.shutdown()
    }
  }

  private async runWith(cluster: ChaosCluster, ledger: Ledger): Promise<ChaosReport> {
    const config = this.config
    const options = producerOptions(config, cluster.bootstrapBrokers)
    const { bootstrapBrokers: _, ...shown } = options
    this.log(
      `chaos: seed ${config.seed}, ${config.records} records over ~${config.durationMs / 1000} s, ${config.keys} keys, topic '${TOPIC}' with ${config.partitions} partitions on ${config.brokers} brokers (broker process pid ${cluster.pid}, ${cluster.bootstrapBrokers.join(',')})`,
    )
    this.log(`producer options: ${JSON.stringify(shown)}`)
    if (config.kinds.length !== FAULT_KINDS.length || config.maxFaults !== Number.POSITIVE_INFINITY) {
      this.log(
        `faults: only ${config.kinds.join(',')}${config.maxFaults === Number.POSITIVE_INFINITY ? '' : `, only in the first ${config.maxFaults} steps`}`,
      )
    }
    const producer = new Producer<string, string>({
      ...options,
      logger: {
        warn: (m) => this.onProducerLog('warn', m),
        error: (m) => this.onProducerLog('error', m),
      },
    })
    this.producer = producer
    this.phase = 'connecting'
    await withTimeout(producer.connect(), 30_000, 'producer.connect()')

    // Fault phase: the schedule runs while the records are sent.
    this.phase = 'fault phase'
    const sendStart = this.now()
    let stopFaults!: () => void
    const faultsStopped = new Promise<void>((resolve) => {
      stopFaults = resolve
    })
    const steps: FaultStep[] = []
    const injector = this.injectFaults(cluster, steps, faultsStopped)
    const stall = await this.sendRecords(producer, ledger)
    const sendEnd = this.now()
    stopFaults()
    const applied = await injector

    // Quiet phase: heal the cluster, wait for every record to settle, then send the marker batch.
    this.phase = 'quiet phase: healing'
    await cluster.heal()
    this.timeline.push({
      atMs: this.now(),
      index: -1,
      kind: 'storm',
      restore: true,
      label: 'heal: no failures, no latency, every broker running',
    })
    if (config.printFaults) this.log(describeFault(this.timeline[this.timeline.length - 1] as AppliedFault))
    this.phase = 'quiet phase: waiting for every record to settle'
    const settleDeadline = ledger.lastSendAt + config.deliveryTimeoutMs + config.marginMs
    await waitFor(() => ledger.unsettled === 0, settleDeadline - this.now())
    const settleEnd = this.now()
    const unsettledAtDeadline = ledger.unsettled
    const settle: SettleOutcome = {
      unsettledAtDeadline,
      unsettledLines: unsettledAtDeadline === 0 ? [] : this.wedgeReport(),
      deadlineMs: config.deliveryTimeoutMs + config.marginMs,
    }
    if (stall !== undefined) settle.unsettledLines.unshift(`  ${stall}`)

    this.phase = 'quiet phase: marker batch'
    const markerIds: number[] = []
    const markerRecords = []
    for (let p = 0; p < config.partitions; p++) {
      const k = config.keys + p
      const id = ledger.add(k, 'marker')
      markerIds.push(id)
      markerRecords.push({
        topic: TOPIC,
        partition: p,
        key: recordKey(k),
        value: recordValue(id, k, ledger.seq[id] as number),
      })
    }
    const markerStart = this.now()
    let markerSettledIn: number | undefined
    this.sendBatch(producer, markerIds, markerRecords)
    const markerBound = config.deliveryTimeoutMs + config.marginMs
    await waitFor(() => markerIds.every((id) => ledger.state[id] !== 1), markerBound)
    if (markerIds.every((id) => ledger.state[id] !== 1)) markerSettledIn = this.now() - markerStart
    const markerEnd = this.now()
    const settledCheckResult = settledCheck(ledger, settle, config.deliveryTimeoutMs + config.marginMs)
    const recovery = recoveryCheck(ledger, markerIds, markerBound, markerSettledIn)
    const atDeadline = { acked: ledger.acked, failed: ledger.failed, unsettled: ledger.unsettled }

    // Storage: read after the producer is closed (or given up on), acks frozen before the read.
    this.phase = 'closing the producer'
    const closed = await withTimeout(producer.close({ timeoutMs: 2000 }), 10_000, 'producer.close()').then(
      () => undefined,
      (error: unknown) => String(error),
    )
    if (closed !== undefined) this.log(`note: ${closed}; the producer is abandoned`)
    this.phase = 'reading the storage'
    const stateAtRead = ledger.state.slice(0, ledger.sent)
    const stored = await cluster.records()
    const snapshot = await cluster.snapshot()
    this.phase = 'checking'
    // Errors are checked after close: records that close() failed must carry a typed error too.
    const checks: CheckResult[] = [
      settledCheckResult,
      typedErrorsCheck(ledger, ledger.failed - atDeadline.failed),
      ...storageChecks(ledger, stateAtRead, stored),
      recovery,
    ]

    for (const c of checks) {
      if (c.ok || c.firstId === undefined) continue
      const at = ledger.sentAt[c.firstId] as number
      const window = config.deliveryTimeoutMs
      c.details.push(
        `  faults from ${window} ms before to ${window} ms after #${c.firstId} was sent (${Math.round(at)} ms):`,
      )
      for (const f of this.timeline)
        if (f.atMs >= at - window && f.atMs <= at + window) c.details.push(`  ${describeFault(f)}`)
      const logged = this.producerLogLines.filter((l) => l.atMs >= at - window && l.atMs <= at + window)
      if (logged.length > 0) c.details.push('  producer log lines then:')
      for (const l of logged.slice(0, 20)) c.details.push(`    ${l.line}`)
    }
    const byKind: Record<string, number> = {}
    for (const f of this.timeline) if (!f.restore) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1
    const sendPhaseMs = sendEnd - sendStart
    const recordsPerSecond = Math.round((ledger.sent - markerIds.length) / (sendPhaseMs / 1000))
    const ok = checks.every((c) => c.ok)
    const failedChecks = checks.filter((c) => !c.ok).map((c) => c.name)
    const summary = `chaos ${ok ? 'PASSED' : 'FAILED'}: seed ${config.seed}, ${ledger.sent - markerIds.length} records in ${(sendPhaseMs / 1000).toFixed(1)} s (${recordsPerSecond} records/s), acked ${atDeadline.acked}, failed ${atDeadline.failed}, unsettled ${atDeadline.unsettled}; ${applied} faults [${Object.entries(
      byKind,
    )
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}=${n}`)
      .join(
        ' ',
      )}]; ${checks.length - failedChecks.length}/${checks.length} checks passed${failedChecks.length === 0 ? '' : ` (failed: ${failedChecks.join(', ')})`}`
    return {
      ok,
      seed: config.seed,
      config,
      producerOptions: shown,
      checks,
      faults: {
        steps: steps.length,
        applied,
        byKind,
        digest: scheduleDigest(steps),
        errors: this.faultErrors,
        timeline: this.timeline,
      },
      timings: {
        sendPhaseMs: Math.round(sendPhaseMs),
        settleMs: Math.round(settleEnd - sendEnd),
        markerMs: Math.round(markerEnd - markerStart),
        totalMs: Math.round(this.now()),
      },
      recordsPerSecond,
      producerLog: Object.fromEntries(this.producerLog),
      cluster: snapshot,
      summary,
    }
  }

  /** The unsettled records and the faults around the oldest one's send. */
  private wedgeReport(): string[] {
    const lines = this.ledger.describeUnsettled().map((l) => `  ${l}`)
    const oldest = this.ledger.unsettledIds(1)[0]
    if (oldest !== undefined) {
      const at = this.ledger.sentAt[oldest] as number
      const window = this.config.deliveryTimeoutMs
      lines.push(`  faults from ${window} ms before to ${window} ms after the oldest unsettled record was sent:`)
      for (const f of this.timeline)
        if (f.atMs >= at - window && f.atMs <= at + window) lines.push(`  ${describeFault(f)}`)
      lines.push('  last producer log lines:')
      for (const l of this.recentProducerLog.slice(-10)) lines.push(`    ${l}`)
    }
    return lines
  }

  /** Runs the schedule until `stopped`; resolves with the number of faults applied. */
  private async injectFaults(cluster: ChaosCluster, steps: FaultStep[], stopped: Promise<void>): Promise<number> {
    const config = this.config
    const kinds = new Set<FaultKind>(config.kinds)
    const schedule = faultSchedule(config.seed, {
      brokers: config.brokers,
      partitions: config.partitions,
      deliveryTimeoutMs: config.deliveryTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
    })
    const appliedSteps = new Set<number>()
    let applied = 0
    let stop = false
    void stopped.then(() => {
      stop = true
    })
    while (!stop) {
      const step = schedule.next().value
      await Promise.race([sleep(step.delayMs), stopped])
      if (stop) break
      steps.push(step)
      const apply =
        step.restores === undefined
          ? kinds.has(step.kind) && step.index < config.maxFaults
          : appliedSteps.has(step.restores)
      if (!apply) continue
      appliedSteps.add(step.index)
      const entry: AppliedFault = {
        atMs: this.now(),
        index: step.index,
        kind: step.kind,
        restore: step.restores !== undefined,
        label: step.label,
      }
      this.timeline.push(entry)
      if (!entry.restore) applied++
      if (config.printFaults) this.log(describeFault(entry))
      try {
        await cluster.apply(step.actions)
      } catch (error) {
        const message = `step ${step.index} (${step.label}) failed: ${(error as Error).message}`
        this.faultErrors.push(message)
        this.log(`fault error: ${message}`)
      }
    }
    return applied
  }

  /**
   * Sends the records, paced over the planned duration, mixing send (promise), send (callback)
   * and sendBatch. Resolves when all are sent, or with a message when sending stalled: the
   * outstanding limit reached and nothing settled for deliveryTimeoutMs + margin.
   */
  private async sendRecords(producer: Producer<string, string>, ledger: Ledger): Promise<string | undefined> {
    const config = this.config
    const rng = new Prng(config.seed, 2)
    const hot = Math.min(config.keys, 50)
    const perMs = config.records / config.durationMs
    const start = this.now()
    const stallAfter = config.deliveryTimeoutMs + config.marginMs
    let sent = 0
    while (sent < config.records) {
      const due = Math.min(config.records, Math.ceil(perMs * (this.now() - start)))
      if (due <= sent) {
        await sleep(2)
        continue
      }
      if (ledger.unsettled >= config.maxOutstanding) {
        const quietFor = this.now() - Math.max(ledger.lastSettleAt, ledger.lastSendAt)
        if (quietFor > stallAfter) {
          const message = `sending stalled after ${sent} records: ${ledger.unsettled} unsettled and none settled for ${Math.round(quietFor)} ms`
          this.log(message)
          return message
        }
        await sleep(5)
        continue
      }
      let budget = Math.min(due - sent, 2000, config.maxOutstanding - ledger.unsettled)
      while (budget > 0) {
        const r = rng.next()
        const pickKey = (): number => (rng.chance(0.3) ? rng.int(0, hot - 1) : rng.int(0, config.keys - 1))
        if (r < 0.35 || r < 0.7) {
          const mode: Mode = r < 0.35 ? 'send' : 'send-callback'
          const k = pickKey()
          const id = ledger.add(k, mode)
          const record = { topic: TOPIC, key: recordKey(k), value: recordValue(id, k, ledger.seq[id] as number) }
          if (mode === 'send') this.sendPromise(producer, id, record)
          else this.sendCallback(producer, id, record)
          budget--
          sent++
        } else {
          const n = Math.min(rng.int(2, 40), budget)
          const ids: number[] = []
          const records: Array<{ topic: string; key: string; value: string }> = []
          for (let i = 0; i < n; i++) {
            const k = pickKey()
            const id = ledger.add(k, 'sendBatch')
            ids.push(id)
            records.push({ topic: TOPIC, key: recordKey(k), value: recordValue(id, k, ledger.seq[id] as number) })
          }
          this.sendBatch(producer, ids, records)
          budget -= n
          sent += n
        }
      }
      await tick()
    }
    return undefined
  }

  private sendPromise(
    producer: Producer<string, string>,
    id: number,
    record: { topic: string; key: string; value: string },
  ): void {
    const ledger = this.ledger
    let promise: Promise<RecordMetadata>
    try {
      promise = producer.send(record)
    } catch (error) {
      ledger.fail(id, error)
      return
    }
    promise.then(
      (meta) => ledger.ack(id, meta.partition, meta.offset),
      (error: unknown) => ledger.fail(id, error),
    )
  }

  private sendCallback(
    producer: Producer<string, string>,
    id: number,
    record: { topic: string; key: string; value: string },
  ): void {
    const ledger = this.ledger
    try {
      producer.send(record, (error: Error | null, meta?: RecordMetadata) => {
        if (error !== null) ledger.fail(id, error)
        else if (meta === undefined) ledger.fail(id, new Error('send callback without error or metadata'))
        else ledger.ack(id, meta.partition, meta.offset)
      })
    } catch (error) {
      ledger.fail(id, error)
    }
  }

  private sendBatch(
    producer: Producer<string, string>,
    ids: number[],
    records: Array<{ topic: string; key: string; value: string; partition?: number }>,
  ): void {
    const ledger = this.ledger
    let promise: Promise<SendResult[]>
    try {
      promise = producer.sendBatch(records)
    } catch (error) {
      for (const id of ids) ledger.fail(id, error)
      return
    }
    promise.then(
      (results) => {
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i] as number
          const result = results[i]
          if (result === undefined)
            ledger.fail(id, new Error(`sendBatch gave no result for record ${i} of ${ids.length}`))
          else if (result.ok) ledger.ack(id, result.meta.partition, result.meta.offset)
          else ledger.fail(id, result.error)
        }
      },
      (error: unknown) => {
        // sendBatch never rejects for a record's failure; a rejection is a bug, counted as untyped.
        const wrapped = new Error(`sendBatch rejected: ${(error as Error)?.message ?? String(error)}`)
        for (const id of ids) ledger.fail(id, wrapped)
      },
    )
  }
}

export function describeFault(f: AppliedFault): string {
  const at = `${(f.atMs / 1000).toFixed(3).padStart(8)} s`
  return f.index < 0
    ? `  ${at}  ${f.label}`
    : `  ${at}  step ${String(f.index).padStart(4)} ${f.restore ? 'restore' : f.kind.padEnd(7)}: ${f.label}`
}

function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = performance.now() + Math.max(0, timeoutMs)
  return new Promise((resolve) => {
    const poll = (): void => {
      if (condition() || performance.now() >= until) resolve()
      else setTimeout(poll, 20)
    }
    poll()
  })
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
