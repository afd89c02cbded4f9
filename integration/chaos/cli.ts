import { randomInt } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { FAULT_KINDS, type FaultKind, firstSteps, scheduleDigest } from './faults.js'
import { type ChaosConfig, type ChaosReport, ChaosRun, DEFAULT_CONFIG } from './run.js'

// npm run chaos -- [flags]: the seeded chaos suite for the producer. See integration/README.md.
// Exit codes: 0 every check passed, 1 a check failed, 2 bad flags, 3 the watchdog fired (the run
// hung), 4 the harness itself failed.

const USAGE = `Usage: npm run chaos -- [flags]
  --seed N              fault schedule and workload seed (default: random, printed)
  --records N           records sent during the fault phase (default ${DEFAULT_CONFIG.records})
  --duration S          seconds the records are spread over (default ${DEFAULT_CONFIG.durationMs / 1000})
  --keys N              distinct keys (default ${DEFAULT_CONFIG.keys})
  --partitions N        partitions of the topic (default ${DEFAULT_CONFIG.partitions})
  --delivery-timeout MS producer deliveryTimeoutMs (default ${DEFAULT_CONFIG.deliveryTimeoutMs})
  --request-timeout MS  producer requestTimeoutMs (default ${DEFAULT_CONFIG.requestTimeoutMs})
  --margin MS           slack past deliveryTimeoutMs before a record counts as wedged (default ${DEFAULT_CONFIG.marginMs})
  --max-outstanding N   most unsettled records at once (default ${DEFAULT_CONFIG.maxOutstanding})
  --kinds a,b           only these fault kinds (${FAULT_KINDS.join(', ')})
  --max-faults N        only the first N schedule steps inject faults
  --print-faults        print every fault as it is applied
  --verbose             print the producer's warnings as they come
  --schedule N          print the first N steps of the seed's fault schedule and exit
  --watchdog S          give up after S seconds: print what is unsettled, exit 3 (default: from the duration)
  --report-json FILE    write the report as JSON (bigints as strings)
`

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`)
  process.exit(2)
}

function parse(argv: string[]): { config: ChaosConfig; schedule?: number; watchdogMs: number; reportJson?: string } {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        records: { type: 'string' },
        duration: { type: 'string' },
        keys: { type: 'string' },
        partitions: { type: 'string' },
        'delivery-timeout': { type: 'string' },
        'request-timeout': { type: 'string' },
        margin: { type: 'string' },
        'max-outstanding': { type: 'string' },
        kinds: { type: 'string' },
        'max-faults': { type: 'string' },
        'print-faults': { type: 'boolean' },
        verbose: { type: 'boolean' },
        schedule: { type: 'string' },
        watchdog: { type: 'string' },
        'report-json': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }))
  } catch (error) {
    fail((error as Error).message)
  }
  if (values.help) {
    process.stdout.write(USAGE)
    process.exit(0)
  }
  const int = (name: string, fallback: number, min = 1): number => {
    const raw = values[name]
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}, got ${String(raw)}`)
    return n
  }
  const num = (name: string, fallback: number): number => {
    const raw = values[name]
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got ${String(raw)}`)
    return n
  }
  let kinds = [...FAULT_KINDS] as FaultKind[]
  if (typeof values.kinds === 'string') {
    kinds = values.kinds.split(',').map((k) => k.trim()) as FaultKind[]
    for (const k of kinds) if (!FAULT_KINDS.includes(k)) fail(`unknown fault kind '${k}'`)
  }
  const config: ChaosConfig = {
    ...DEFAULT_CONFIG,
    seed: int('seed', randomInt(0, 2 ** 31), 0),
    records: int('records', DEFAULT_CONFIG.records),
    durationMs: Math.round(num('duration', DEFAULT_CONFIG.durationMs / 1000) * 1000),
    keys: int('keys', DEFAULT_CONFIG.keys),
    partitions: int('partitions', DEFAULT_CONFIG.partitions),
    deliveryTimeoutMs: int('delivery-timeout', DEFAULT_CONFIG.deliveryTimeoutMs),
    requestTimeoutMs: int('request-timeout', DEFAULT_CONFIG.requestTimeoutMs),
    marginMs: int('margin', DEFAULT_CONFIG.marginMs, 0),
    maxOutstanding: int('max-outstanding', DEFAULT_CONFIG.maxOutstanding),
    kinds,
    maxFaults: int('max-faults', Number.POSITIVE_INFINITY, 0),
    printFaults: values['print-faults'] === true,
    verbose: values.verbose === true,
  }
  const settle = config.deliveryTimeoutMs + config.marginMs
  const watchdogMs = Math.round(num('watchdog', (2 * config.durationMs + 4 * settle + 90_000) / 1000) * 1000)
  const out: ReturnType<typeof parse> = { config, watchdogMs }
  if (values.schedule !== undefined) out.schedule = int('schedule', 0)
  if (typeof values['report-json'] === 'string') out.reportJson = values['report-json']
  return out
}

function writeReport(path: string | undefined, report: unknown): void {
  if (path === undefined) return
  writeFileSync(
    path,
    JSON.stringify(report, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2),
  )
}

function printReport(report: ChaosReport): void {
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`)
  }
  out('')
  out('checks:')
  for (const c of report.checks) {
    out(`  ${c.ok ? 'PASS' : 'FAIL'} ${c.name.padEnd(20)} ${c.line}`)
    if (!c.ok || c.name === 'typed-errors') for (const d of c.details) out(`       ${d}`)
  }
  out('')
  out(
    `faults: ${report.faults.applied} applied over ${report.faults.steps} schedule steps (digest ${report.faults.digest}); ${report.faults.errors.length} could not be applied`,
  )
  const log = Object.entries(report.producerLog).sort((a, b) => b[1] - a[1])
  if (log.length > 0) {
    out('producer log (count x message, numbers as #):')
    for (const [m, n] of log.slice(0, 12)) out(`  ${String(n).padStart(6)} x ${m}`)
  }
  if (report.cluster !== undefined) {
    const requests = Object.entries(report.cluster.requests)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')
    out(`cluster: requests ${requests}; leaders ${report.cluster.leaders.join(',')}`)
  }
  const t = report.timings
  out(
    `timings: fault phase ${(t.sendPhaseMs / 1000).toFixed(1)} s, settle ${(t.settleMs / 1000).toFixed(1)} s, marker ${(t.markerMs / 1000).toFixed(1)} s, total ${(t.totalMs / 1000).toFixed(1)} s`,
  )
  if (!report.ok) out(`reproduce: npm run chaos -- ${reproFlags(report.config)}`)
  out(report.summary)
}

/** The flags that rerun a configuration. */
export function reproFlags(c: ChaosConfig): string {
  const flags = [`--seed ${c.seed}`, `--records ${c.records}`, `--duration ${c.durationMs / 1000}`]
  if (c.keys !== DEFAULT_CONFIG.keys) flags.push(`--keys ${c.keys}`)
  if (c.partitions !== DEFAULT_CONFIG.partitions) flags.push(`--partitions ${c.partitions}`)
  if (c.deliveryTimeoutMs !== DEFAULT_CONFIG.deliveryTimeoutMs) flags.push(`--delivery-timeout ${c.deliveryTimeoutMs}`)
  if (c.requestTimeoutMs !== DEFAULT_CONFIG.requestTimeoutMs) flags.push(`--request-timeout ${c.requestTimeoutMs}`)
  if (c.kinds.length !== FAULT_KINDS.length) flags.push(`--kinds ${c.kinds.join(',')}`)
  if (c.maxFaults !== Number.POSITIVE_INFINITY) flags.push(`--max-faults ${c.maxFaults}`)
  return flags.join(' ')
}

async function main(): Promise<void> {
  const { config, schedule, watchdogMs, reportJson } = parse(process.argv.slice(2))
  if (schedule !== undefined) {
    const steps = firstSteps(
      config.seed,
      {
        brokers: config.brokers,
        partitions: config.partitions,
        deliveryTimeoutMs: config.deliveryTimeoutMs,
        requestTimeoutMs: config.requestTimeoutMs,
      },
      schedule,
    )
    for (const s of steps) {
      process.stdout.write(
        `step ${String(s.index).padStart(4)} at ${String(s.atMs).padStart(6)} ms ${s.restores === undefined ? s.kind.padEnd(16) : `restore ${String(s.restores).padEnd(8)}`} ${s.label}\n`,
      )
    }
    process.stdout.write(`seed ${config.seed}: first ${schedule} steps, digest ${scheduleDigest(steps)}\n`)
    return
  }

  const run = new ChaosRun(config, (line) => process.stdout.write(`${line}\n`))
  function giveUp(why: string, code: number): never {
    process.stdout.write(`\n${why}\n`)
    for (const line of run.describeState()) process.stdout.write(`  ${line}\n`)
    process.stdout.write(`reproduce: npm run chaos -- ${reproFlags(config)}\n`)
    writeReport(reportJson, {
      ok: false,
      seed: config.seed,
      config,
      checks: [{ name: 'harness', ok: false, line: why, details: run.describeState() }],
      summary: `chaos FAILED: seed ${config.seed}: ${why}`,
    })
    run.kill()
    process.exit(code)
  }
  const watchdog = setTimeout(
    () => giveUp(`WATCHDOG: the run did not finish in ${watchdogMs / 1000} s (phase: ${run.phase})`, 3),
    watchdogMs,
  )
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => giveUp(`interrupted by ${signal}`, 130))
  }
  process.on('uncaughtException', (error) => giveUp(`harness error: ${error.stack ?? error}`, 4))
  process.on('unhandledRejection', (error) =>
    giveUp(`harness error (unhandled rejection): ${(error as Error)?.stack ?? String(error)}`, 4),
  )

  let report: ChaosReport
  try {
    report = await run.run()
  } catch (error) {
    giveUp(`harness error: ${(error as Error)?.stack ?? String(error)}`, 4)
  }
  clearTimeout(watchdog)
  printReport(report)
  writeReport(reportJson, report)
  // Exit at once: an abandoned (wedged) producer may still hold timers or sockets.
  process.exit(report.ok ? 0 : 1)
}

void main()
