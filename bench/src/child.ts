// One client, one case, one fresh process: connect, warm up, then time `records` records from the
// first send to the last acknowledgement, and report over IPC. Started by run.ts, never by hand.

import diagnosticsChannel from 'node:diagnostics_channel'
import { TRIBUTARY_CHANNELS } from '@tributary/core'
import type { Driver, DriverContext } from './clients/driver.js'
import { kafkajsDriver } from './clients/kafkajs.js'
import { platformaticDriver } from './clients/platformatic.js'
import { tributaryDriver } from './clients/tributary.js'
import { tributaryKafkajsDriver } from './clients/tributary-kafkajs.js'
import { type ChildFailure, type ChildResult, type ChildTask, findCase, valuePool } from './workload.js'

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
      return platformaticDriver(ctx, { idempotent: true, concurrent: false })
    case 'platformatic-concurrent':
      return platformaticDriver(ctx, { idempotent: false, concurrent: true })
    case 'platformatic-idempotent-concurrent':
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
    const warmed = await driver.sendRange(0, task.warmup)
    if (warmed !== task.warmup) throw new Error(`warm-up acknowledged ${warmed} of ${task.warmup} records`)
  }
  // Start from a collected heap so one client's warm-up garbage is not billed to the timed part.
  globalThis.gc?.()

  await phase('timed-start')
  const cpu0 = process.cpuUsage()
  const windowStart = process.hrtime.bigint() / 1000n
  const t0 = performance.now()
  const acked = await driver.sendRange(task.warmup, task.warmup + task.records)
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const windowEnd = process.hrtime.bigint() / 1000n
  await phase('timed-end')
  const rssMiB = process.memoryUsage().rss / 1_048_576

  await driver.close()
  if (acked !== task.records) throw new Error(`the client acknowledged ${acked} of ${task.records} records`)
  const result: ChildResult = {
    ok: true,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssMiB,
    acked,
    timedWindowUs: [Number(windowStart), Number(windowEnd)],
  }
  await report(result)
}

/** Tells the orchestrator where the timed part starts and ends (it samples the broker's CPU). */
function phase(name: 'timed-start' | 'timed-end'): Promise<void> {
  return new Promise((resolve) =>
    process.send === undefined ? resolve() : process.send({ phase: name }, () => resolve()),
  )
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
