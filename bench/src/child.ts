// One client, one case, one fresh process: connect, warm up, then time `records` records from the
// first send to the last acknowledgement, and report over IPC. Started by run.ts, never by hand.
//
// The latency case times each of `records` single sends, awaited one at a time. The stall case
// hands the client every record at once while the brokers do not answer, and reports its RSS.

import diagnosticsChannel from 'node:diagnostics_channel'
import { TRIBUTARY_CHANNELS } from '@tributary/core'
import type { Driver, DriverContext } from './clients/driver.js'
import { kafkajsDriver } from './clients/kafkajs.js'
import { platformaticDriver } from './clients/platformatic.js'
import { platformatic2Driver } from './clients/platformatic2.js'
import { tributaryDriver } from './clients/tributary.js'
import { tributaryKafkajsDriver } from './clients/tributary-kafkajs.js'
import {
  type ChildFailure,
  type ChildPhase,
  type ChildResult,
  type ChildTask,
  findCase,
  type LatencySummary,
  valuePool,
} from './workload.js'

/** One subscriber that does nothing on Tributary's send and request tracing channels: their cost alone. */
function traceEverything(): void {
  const none = () => {}
  const handlers = { start: none, end: none, asyncStart: none, asyncEnd: none, error: none }
  for (const name of [TRIBUTARY_CHANNELS.send, TRIBUTARY_CHANNELS.request]) {
    diagnosticsChannel.tracingChannel(name).subscribe(handlers)
  }
}

function driverFor(contender: string, ctx: DriverContext): Driver {
  switch (contender) {
    case 'tributary-send':
      return tributaryDriver(ctx, 'send')
    case 'tributary-sendBatch':
      return tributaryDriver(ctx, 'sendBatch')
    case 'tributary-linger5':
      return tributaryDriver(ctx, 'send', { lingerMs: 5 })
    case 'tributary-buffer8m':
      return tributaryDriver(ctx, 'send', { bufferBytes: 8 * 1_048_576, maxWaitingBytes: 8 * 1_048_576 })
    case 'tributary-wait-unbounded':
      return tributaryDriver(ctx, 'send', { maxWaitingBytes: Number.MAX_SAFE_INTEGER })
    case 'tributary-send-jscrc':
      // Read when the first large checksum is computed, after this point.
      process.env.TRIBUTARY_CRC32C = 'js'
      return tributaryDriver(ctx, 'send')
    case 'tributary-send-traced':
      traceEverything()
      return tributaryDriver(ctx, 'send')
    case 'tributary-kafkajs':
      return tributaryKafkajsDriver(ctx, false)
    case 'tributary-kafkajs-idempotent':
      return tributaryKafkajsDriver(ctx, true)
    case 'kafkajs':
      return kafkajsDriver(ctx, false)
    case 'kafkajs-idempotent':
      return kafkajsDriver(ctx, true)
    case 'platformatic':
      return platformatic2Driver(ctx, { idempotent: true, mode: 'concurrent' })
    case 'platformatic-serial':
      return platformatic2Driver(ctx, { idempotent: true, mode: 'serial' })
    case 'platformatic-stream':
      return platformatic2Driver(ctx, { idempotent: true, mode: 'stream' })
    case 'platformatic-not-idempotent':
      return platformatic2Driver(ctx, { idempotent: false, mode: 'concurrent' })
    case 'platformatic-v1':
      return platformaticDriver(ctx, { idempotent: true, concurrent: false })
    case 'platformatic-v1-concurrent':
      return platformaticDriver(ctx, { idempotent: false, concurrent: true })
    case 'platformatic-v1-idempotent-concurrent':
      // Not in the table: shows that concurrent idempotent sends are unsafe in platformatic 1.x.
      return platformaticDriver(ctx, { idempotent: true, concurrent: true })
    default:
      throw new Error(`unknown contender ${contender}`)
  }
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '{}') as ChildTask
  const spec = findCase(task.caseId)
  const values = valuePool(spec.valueBytes)
  const driver = driverFor(task.contender, { task, spec, values })

  await driver.connect()
  if (task.warmup > 0) {
    if (task.kind === 'latency') {
      for (let i = 0; i < task.warmup; i++) await driver.sendOne(i)
    } else {
      const warmed = await driver.sendRange(0, task.warmup)
      if (warmed !== task.warmup) throw new Error(`warm-up acknowledged ${warmed} of ${task.warmup} records`)
    }
  }
  // Start from a collected heap so one client's warm-up garbage is not billed to the timed part.
  globalThis.gc?.()

  if (task.kind === 'stall') {
    await stall(task, driver)
    return
  }

  await phase({ phase: 'timed-start' })
  const cpu0 = process.cpuUsage()
  const windowStart = process.hrtime.bigint() / 1000n
  const t0 = performance.now()
  let acked: number
  let latencyUs: LatencySummary | undefined
  if (task.kind === 'latency') {
    const times = new Float64Array(task.records)
    for (let k = 0; k < task.records; k++) {
      const started = process.hrtime.bigint()
      await driver.sendOne(task.warmup + k)
      times[k] = Number(process.hrtime.bigint() - started) / 1000
    }
    acked = task.records
    latencyUs = summarizeLatency(times)
  } else {
    acked = await driver.sendRange(task.warmup, task.warmup + task.records)
  }
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const windowEnd = process.hrtime.bigint() / 1000n
  await phase({ phase: 'timed-end' })
  const rssMiB = process.memoryUsage().rss / 1_048_576

  await driver.close()
  if (acked !== task.records) throw new Error(`the client acknowledged ${acked} of ${task.records} records`)
  const result: ChildResult = {
    ok: true,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssMiB,
    peakRssMiB: peakRssMiB(),
    acked,
    timedWindowUs: [Number(windowStart), Number(windowEnd)],
    ...(latencyUs === undefined ? {} : { latencyUs }),
  }
  await report(result)
}

/** getrusage's maxrss (KiB on Linux): the highest RSS the process reached. */
function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024
}

function summarizeLatency(times: Float64Array): LatencySummary {
  const sorted = Float64Array.from(times).sort()
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
  let sum = 0
  for (const t of sorted) sum += t
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean: sum / sorted.length }
}

/**
 * The stall case: the orchestrator makes the brokers stop answering, then the client is handed all
 * the records at once (one chunk, nothing awaited) and keeps them while nothing is acknowledged.
 * Reports the RSS once it stops growing (flat within 1% for 2 s, at most 20 s), and whether sends were
 * refused at once (Tributary past `maxWaitingBytes`). The producer is not closed: the process exits
 * with its sends pending.
 */
async function stall(task: ChildTask, driver: Driver): Promise<void> {
  const rssBefore = process.memoryUsage().rss / 1_048_576
  await phase({ phase: 'stall' })
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  let failure: unknown
  let refused = false
  driver.sendRange(task.warmup, task.warmup + task.records).then(
    () => {
      failure = new Error('the records were acknowledged by brokers that should not answer')
    },
    (error: unknown) => {
      // Tributary refuses sends at once past maxWaitingBytes: backpressure, not a failure of the run.
      if ((error as { refusedAtOnce?: unknown } | null)?.refusedAtOnce === true) refused = true
      else failure = error
    },
  )
  let last = process.memoryUsage().rss
  let stableSince = performance.now()
  while (performance.now() - t0 < 20_000 && performance.now() - stableSince < 2_000) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const rss = process.memoryUsage().rss
    if (rss > last * 1.01) {
      last = rss
      stableSince = performance.now()
    }
  }
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  if (failure !== undefined) throw failure
  const rss = process.memoryUsage().rss
  // What is still alive: the records the client holds, without the garbage RSS keeps pages for.
  ;(globalThis as { gc?: () => void }).gc?.()
  const result: ChildResult = {
    ok: true,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssMiB: rss / 1_048_576,
    peakRssMiB: peakRssMiB(),
    rssBeforeStallMiB: rssBefore,
    heapUsedMiB: process.memoryUsage().heapUsed / 1_048_576,
    refusedAtOnce: refused,
    acked: 0,
    timedWindowUs: [0, 0],
  }
  await report(result)
}

/**
 * Tells the orchestrator where the timed part starts and ends (it samples the brokers' CPU and
 * counters); for 'timed-start' and 'stall', waits for its answer (counters read, brokers stalled).
 */
function phase(message: ChildPhase): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      resolve()
    } else if (message.phase === 'stall' || message.phase === 'timed-start') {
      process.once('message', () => resolve())
      process.send(message)
    } else {
      process.send(message, () => resolve())
    }
  })
}

function report(message: ChildResult | ChildFailure): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      console.log(JSON.stringify(message))
      resolve()
    } else {
      process.send(message, () => resolve())
    }
  })
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error)
    await report({ ok: false, error: text })
    process.exit(1)
  },
)
