// Tributary vs kafkajs vs @platformatic/kafka, on one cluster, in one run, on Node 24 by default.
//
// The brokers run in their own processes (by default the "sink": one process per broker that checks
// framing and counts records, see sink-broker.ts; `--broker mock` for the full mock cluster of
// @tributary/testing, all brokers in one process), so broker work never shares the clients' event
// loop. Every (case, client, round) runs in a fresh child process, one at a time, so JIT and GC state
// never leak between clients; rounds interleave the clients (in a rotating order) and the tables
// report medians and the ratio Tributary/peer, which is what survives a noisy shared machine. Every
// run is checked against the cluster's high watermarks: a lost or duplicated record fails it.
//
//   npm run bench                      # full: see bench/README.md
//   npm run bench:quick                # 20,000 records per case (100,000 at 100 B)
//   npm run bench -- --chart           # and write the SVG chart (bench/chart.svg)
//   npm run bench -- --node 20         # on the system's Node 20: @platformatic/kafka 1.x instead of 2.x
//   npm run bench -- --profile tributary --cases keyed-1k --clients tributary-send --rounds 1
//
// Options: --records N, --rounds N, --cases a,b, --clients a,b, --chunk N, --messages-per-send N,
// --warmup N, --broker sink|mock, --node 24|22|<x.y.z>|current, --chart [FILE], --profile tributary,
// --out FILE, --quick.

import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type Admin, Kafka, logLevel } from 'kafkajs'
import { writeChart } from './chart.js'
import { formatSummary, type ProfileSummary, summarize } from './profile-top.js'
import type { SinkControl, SinkReport, SinkStats } from './sink-broker.js'
import {
  CASES,
  type CaseSpec,
  type ChildFailure,
  type ChildPhase,
  type ChildResult,
  type ChildTask,
  type ContenderSpec,
  defaultContenders,
  findCase,
  findContender,
  type LatencySummary,
} from './workload.js'

const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url))
const REPO_ROOT = join(BENCH_DIR, '..')
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))
const SINK = fileURLToPath(new URL('./sink-broker.ts', import.meta.url))
const PARTITIONS = 6
const BROKERS = 3
const CHILD_TIMEOUT_MS = 300_000
/** kafkajs schedules negative timeouts, which Node >= 24 warns about on every run. */
const QUIET = '--disable-warning=TimeoutNegativeWarning'
const SOURCE_FLAGS = ['--conditions=@tributary/source', '--import', 'tsx', QUIET]
const DEFAULT_CHART = join(BENCH_DIR, 'chart.svg')

type Kind = 'throughput' | 'latency' | 'stall'

interface Options {
  records: number
  rounds: number
  cases: CaseSpec[]
  /** Undefined: each case's default lines for its kind and this Node. */
  contenders: ContenderSpec[] | undefined
  chunk: number
  messagesPerSend: number
  warmup: number | undefined
  broker: 'sink' | 'mock'
  chart: string | undefined
  profile: string | undefined
  out: string
  quick: boolean
  argv: string[]
}

export interface RunRecord {
  round: number
  ok: boolean
  error?: string
  seconds?: number
  recordsPerSec?: number
  mbPerSec?: number
  /** Client CPU per record, microseconds. */
  clientCpuUsPerRecord?: number
  /** Broker processes' CPU over the timed part, as a share of one core: all of them, and the busiest one. */
  brokerCpuPct?: number
  busiestBrokerCpuPct?: number
  clientCpuPct?: number
  rssMiB?: number
  peakRssMiB?: number
  rssBeforeStallMiB?: number
  heapUsedMiB?: number
  refusedAtOnce?: boolean
  latencyUs?: LatencySummary
  /** Sink only, over the timed part: records per Produce request and per record batch. */
  recordsPerRequest?: number
  recordsPerBatch?: number
  /** Records the cluster stored for this run (high watermarks after - before). */
  stored?: number
  profile?: string
  timedWindowUs?: readonly [number, number]
}

export interface ContenderResult {
  id: string
  label: string
  runs: RunRecord[]
  median?: {
    recordsPerSec: number
    mbPerSec: number
    clientCpuUsPerRecord: number
    clientCpuPct: number
    brokerCpuPct: number
    busiestBrokerCpuPct: number
    peakRssMiB: number
    rssMiB: number
    rssBeforeStallMiB?: number
    heapUsedMiB?: number
    latencyUs?: LatencySummary
    recordsPerRequest?: number
    recordsPerBatch?: number
  }
  /** (max - min) / median of records/s over the rounds, percent. */
  spreadPct?: number
}

export interface RatioResult {
  tributary: string
  peer: string
  /** Median Tributary records/s ÷ median peer records/s. */
  ratio: number
  /** The same ratio within each round (paired runs), for the spread. */
  perRound: number[]
  /** Median peer client CPU per record ÷ median Tributary client CPU per record (> 1: Tributary cheaper). */
  cpuRatio: number
}

export interface CaseResult {
  id: string
  title: string
  kind: Kind
  records: number
  valueBytes: number
  contenders: ContenderResult[]
  ratios: RatioResult[]
}

export interface BenchReport {
  date: string
  command: string
  machine: {
    node: string
    cpus: number
    cpuModel: string
    memoryGiB: number
    platform: string
    loadAverage: { start: number; end: number }
  }
  versions: Record<string, string>
  commit: string
  options: Record<string, unknown>
  minutes: number
  cases: CaseResult[]
  profiles: unknown[]
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      records: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      cases: { type: 'string' },
      clients: { type: 'string' },
      chunk: { type: 'string', default: '10000' },
      'messages-per-send': { type: 'string', default: '1000' },
      warmup: { type: 'string' },
      broker: { type: 'string', default: 'sink' },
      node: { type: 'string', default: '24' },
      chart: { type: 'string' },
      profile: { type: 'string' },
      out: { type: 'string' },
    },
    // `--chart` alone takes the default path.
    args: process.argv.slice(2).flatMap((a, i, all) => {
      if (a !== '--chart') return [a]
      const next = all[i + 1]
      return next === undefined || next.startsWith('--') ? [a, DEFAULT_CHART] : [a]
    }),
  })
  const int = (text: string | undefined, name: string, fallback: number): number => {
    if (text === undefined) return fallback
    const n = Number(text)
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${text}`)
    return n
  }
  if (values.profile !== undefined && values.profile !== 'tributary') {
    throw new Error(`--profile takes 'tributary' (the client whose child gets --cpu-prof), got ${values.profile}`)
  }
  if (values.broker !== 'sink' && values.broker !== 'mock') {
    throw new Error(`--broker takes sink or mock, got ${values.broker}`)
  }
  const cases =
    values.cases === undefined
      ? CASES.filter((c) => c.extra !== true)
      : values.cases.split(',').map((c) => findCase(c.trim()))
  if (values.broker === 'mock' && cases.some((c) => c.kind === 'stall')) {
    throw new Error('the stall case needs --broker sink (the brokers must stop answering on cue)')
  }
  return {
    quick: values.quick,
    records: int(values.records, 'records', values.quick ? 20_000 : 200_000),
    rounds: int(values.rounds, 'rounds', 3),
    cases,
    contenders:
      values.clients === undefined ? undefined : values.clients.split(',').map((c) => findContender(c.trim())),
    chunk: int(values.chunk, 'chunk', 10_000),
    messagesPerSend: int(values['messages-per-send'], 'messages-per-send', 1000),
    warmup: values.warmup === undefined ? undefined : Number(values.warmup),
    broker: values.broker,
    chart: values.chart === undefined ? undefined : resolve(values.chart),
    profile: values.profile,
    out: values.out ?? join(BENCH_DIR, 'results', 'latest.json'),
    argv: process.argv.slice(2),
  }
}

/**
 * `--node 24` (the default) runs the whole bench on Node 24, installed from the npm registry by
 * scripts/with-node.mjs: when this process runs on another Node, it starts itself again through
 * that script and exits with its code. `--node current` (or the running major) stays here.
 */
function reexecOnWantedNode(): boolean {
  const at = process.argv.indexOf('--node')
  const wanted = at >= 0 ? (process.argv[at + 1] ?? '') : '24'
  const running = process.versions.node
  if (process.env.TRIBUTARY_BENCH_NODE !== undefined) return false
  if (wanted === 'current' || wanted === running || wanted === running.split('.')[0]) return false
  const args = process.argv.slice(2)
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'scripts', 'with-node.mjs'),
      wanted,
      '--',
      'node',
      ...process.execArgv.filter((a) => !a.startsWith('--disable-warning')),
      QUIET,
      fileURLToPath(import.meta.url),
      ...args,
    ],
    // Set: the run on the wanted Node does not start itself again.
    { stdio: 'inherit', env: { ...process.env, TRIBUTARY_BENCH_NODE: wanted } },
  )
  process.on('SIGINT', () => child.kill('SIGINT'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 130)))
  return true
}

// ---------------------------------------------------------------------------------------------
// The brokers, in their own processes

interface Cluster {
  kind: 'sink' | 'mock'
  brokers: string[]
  pids: number[]
  stall(on: boolean): Promise<void>
  /** The sink's counters summed over its brokers; undefined for the mock. */
  stats(): Promise<SinkStats | undefined>
  stop(): void
}

function onExitMidRun(child: ChildProcess, cluster: { stopping: boolean }, what: string): void {
  child.on('exit', (code, signal) => {
    if (cluster.stopping) return
    console.error(`\n!!! ${what} exited (${signal ?? code}) in the middle of the bench`)
    process.exit(1)
  })
}

async function startMock(): Promise<Cluster> {
  const require = createRequire(import.meta.url)
  const cli = join(dirname(require.resolve('@tributary/testing/package.json')), 'src', 'cli.ts')
  const child = spawn(
    process.execPath,
    [...SOURCE_FLAGS, cli, '--port', '0', '--brokers', String(BROKERS), '--partitions', String(PARTITIONS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const brokers = await new Promise<string[]>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`tributary-mock did not start within 30 s:\n${out}`)), 30_000)
    child.once('exit', (code) => reject(new Error(`tributary-mock exited with ${code}:\n${out}`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening on (\S+)/.exec(out)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1].split(','))
      }
    })
  })
  // Keep draining its output so the pipe never fills.
  child.stdout?.resume()
  const state = { stopping: false }
  onExitMidRun(child, state, 'the mock cluster')
  return {
    kind: 'mock',
    brokers,
    pids: [child.pid as number],
    stall: () => Promise.reject(new Error('the mock cluster cannot stall on cue; use --broker sink')),
    stats: () => Promise.resolve(undefined),
    stop() {
      state.stopping = true
      child.kill('SIGTERM')
    },
  }
}

async function startSink(): Promise<Cluster> {
  const state = { stopping: false }
  const children: ChildProcess[] = []
  const next = (child: ChildProcess, type: SinkReport['type']) =>
    new Promise<SinkReport>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`a sink broker did not say '${type}' within 30 s`)), 30_000)
      const on = (message: SinkReport) => {
        if (message.type !== type) return
        clearTimeout(timer)
        child.off('message', on)
        resolve(message)
      }
      child.on('message', on)
    })
  const ports: number[] = []
  for (let id = 1; id <= BROKERS; id++) {
    const child = fork(SINK, ['--node-id', String(id), '--partitions', String(PARTITIONS)], {
      execArgv: SOURCE_FLAGS,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    children.push(child)
    const listening = (await next(child, 'listening')) as { type: 'listening'; port: number }
    ports.push(listening.port)
    onExitMidRun(child, state, `sink broker ${id}`)
  }
  const brokers = ports.map((port, i) => ({ nodeId: i + 1, host: '127.0.0.1', port }))
  await Promise.all(
    children.map((child) => {
      const ready = next(child, 'ready')
      child.send({ type: 'brokers', brokers } satisfies SinkControl)
      return ready
    }),
  )
  return {
    kind: 'sink',
    brokers: brokers.map((b) => `${b.host}:${b.port}`),
    pids: children.map((c) => c.pid as number),
    async stall(on) {
      await Promise.all(
        children.map((child) => {
          const done = next(child, 'stalled')
          child.send({ type: 'stall', on } satisfies SinkControl)
          return done
        }),
      )
    },
    async stats() {
      const all = await Promise.all(
        children.map((child) => {
          const reply = next(child, 'stats')
          child.send({ type: 'stats' } satisfies SinkControl)
          return reply as Promise<{ type: 'stats' } & SinkStats>
        }),
      )
      const sum: SinkStats = { requests: 0, batches: 0, records: 0, bytes: 0 }
      for (const s of all) {
        sum.requests += s.requests
        sum.batches += s.batches
        sum.records += s.records
        sum.bytes += s.bytes
      }
      return sum
    },
    stop() {
      state.stopping = true
      for (const child of children) child.kill('SIGTERM')
    },
  }
}

/** User + system CPU seconds of a process so far (Linux /proc), or NaN elsewhere. */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

// ---------------------------------------------------------------------------------------------
// One run: fresh topic, fresh child, verified against the high watermarks

async function storedRecords(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic)
  if (offsets.length !== PARTITIONS) throw new Error(`${topic} has ${offsets.length} partitions, not ${PARTITIONS}`)
  return offsets.reduce((sum, o) => sum + Number(o.high), 0)
}

async function runOne(
  options: Options,
  cluster: Cluster,
  admin: Admin,
  spec: CaseSpec,
  contender: ContenderSpec,
  round: number,
  records: number,
): Promise<RunRecord> {
  const kind = spec.kind ?? 'throughput'
  const topic = `bench.${spec.id}.${contender.id}.r${round}`
  const warmup = options.warmup ?? Math.min(2000, Math.ceil(records / 10))
  await admin.createTopics({
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: BROKERS }],
    waitForLeaders: true,
  })
  const before = await storedRecords(admin, topic)
  const task: ChildTask = {
    contender: contender.id,
    caseId: spec.id,
    brokers: cluster.brokers,
    topic,
    records,
    warmup,
    // The stall case hands over every record at once.
    chunk: kind === 'stall' ? records : options.chunk,
    messagesPerSend: options.messagesPerSend,
    kind,
  }
  // BENCH_CHILD_FLAGS adds Node flags to every client child (e.g. `--trace-gc`, `--heap-prof`).
  const extra = (process.env.BENCH_CHILD_FLAGS ?? '').split(' ').filter((f) => f.length > 0)
  const execArgv = [...SOURCE_FLAGS, '--expose-gc', ...extra]
  let profile: string | undefined
  let profileDir: string | undefined
  if (options.profile === contender.client) {
    // One directory per run: with `--import tsx` the module hooks run on a second thread, which
    // writes its own profile; the main thread's is the one with thread id 0 in its name.
    profileDir = join(BENCH_DIR, 'results', 'profiles', `${spec.id}.${contender.id}.r${round}`)
    rmSync(profileDir, { recursive: true, force: true })
    mkdirSync(profileDir, { recursive: true })
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`)
  }

  const brokerCpu = () => cluster.pids.map(processCpuSeconds)
  let brokerCpuStart: number[] = []
  let brokerCpuEnd: number[] = []
  let statsStart: Promise<SinkStats | undefined> = Promise.resolve(undefined)
  let statsEnd: Promise<SinkStats | undefined> = Promise.resolve(undefined)
  const outcome = await new Promise<ChildResult | ChildFailure>((resolve) => {
    const child = fork(CHILD, [JSON.stringify(task)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let settled: ChildResult | ChildFailure | undefined
    const timer = setTimeout(() => {
      settled ??= { ok: false, error: `timed out after ${CHILD_TIMEOUT_MS / 1000} s` }
      child.kill('SIGKILL')
    }, CHILD_TIMEOUT_MS)
    child.on('message', (message: ChildResult | ChildFailure | ChildPhase) => {
      if ('phase' in message) {
        if (message.phase === 'timed-start') {
          brokerCpuStart = brokerCpu()
          statsStart = cluster.stats()
          // The child starts timing when told, after the counters were read.
          statsStart.then(
            () => child.send({ go: true }),
            () => child.send({ go: true }),
          )
        }
        if (message.phase === 'timed-end') {
          brokerCpuEnd = brokerCpu()
          statsEnd = cluster.stats()
        }
        if (message.phase === 'stall') {
          cluster.stall(true).then(
            () => child.send({ stalled: true }),
            (error: unknown) => {
              settled ??= { ok: false, error: `could not stall the brokers: ${String(error)}` }
              child.kill('SIGKILL')
            },
          )
        }
        return
      }
      settled ??= message
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(settled ?? { ok: false, error: `child exited with ${signal ?? code} without a result` })
    })
  })
  if (kind === 'stall') await cluster.stall(false)

  let stored: number | undefined
  let verifyError: string | undefined
  try {
    stored = (await storedRecords(admin, topic)) - before
    // The stall case stores the warm-up only: nothing sent during the stall was answered.
    const expected = kind === 'stall' ? warmup : warmup + records
    if (kind === 'stall' ? stored < warmup : stored !== expected) {
      verifyError =
        `the cluster stored ${stored} records, expected ${expected} (${warmup} warm-up + ${kind === 'stall' ? 0 : records}): ` +
        (stored < expected ? `${expected - stored} LOST` : `${stored - expected} DUPLICATED`)
    }
  } catch (error) {
    verifyError = `could not read the high watermarks: ${error instanceof Error ? error.message : String(error)}`
  }
  await admin.deleteTopics({ topics: [topic] }).catch(() => {})

  if (!outcome.ok || verifyError !== undefined) {
    const error = [outcome.ok ? undefined : outcome.error, verifyError].filter(Boolean).join('; ')
    const run: RunRecord = { round, ok: false, error }
    if (stored !== undefined) run.stored = stored
    return run
  }
  const recordsPerSec = records / outcome.seconds
  const brokerDeltas = brokerCpuEnd.map((end, i) => end - (brokerCpuStart[i] as number))
  const run: RunRecord = {
    round,
    ok: true,
    seconds: outcome.seconds,
    recordsPerSec,
    mbPerSec: (recordsPerSec * spec.valueBytes) / 1e6,
    clientCpuUsPerRecord: (outcome.cpuSeconds * 1e6) / records,
    clientCpuPct: (100 * outcome.cpuSeconds) / outcome.seconds,
    brokerCpuPct: (100 * brokerDeltas.reduce((a, b) => a + b, 0)) / outcome.seconds,
    busiestBrokerCpuPct: (100 * Math.max(0, ...brokerDeltas)) / outcome.seconds,
    rssMiB: outcome.rssMiB,
    peakRssMiB: outcome.peakRssMiB,
    stored: stored as number,
  }
  if (outcome.latencyUs !== undefined) run.latencyUs = outcome.latencyUs
  const [s0, s1] = await Promise.all([statsStart, statsEnd]).catch(() => [undefined, undefined])
  if (s0 !== undefined && s1 !== undefined && s1.requests > s0.requests) {
    run.recordsPerRequest = (s1.records - s0.records) / (s1.requests - s0.requests)
    run.recordsPerBatch = (s1.records - s0.records) / (s1.batches - s0.batches)
  }
  if (outcome.rssBeforeStallMiB !== undefined) run.rssBeforeStallMiB = outcome.rssBeforeStallMiB
  if (outcome.heapUsedMiB !== undefined) run.heapUsedMiB = outcome.heapUsedMiB
  if (outcome.refusedAtOnce !== undefined) run.refusedAtOnce = outcome.refusedAtOnce
  if (profileDir !== undefined) {
    const main = readdirSync(profileDir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    if (main !== undefined) {
      profile = join(profileDir, main)
      run.profile = profile
      run.timedWindowUs = outcome.timedWindowUs
    } else {
      console.error(`  no main-thread profile in ${profileDir}: ${readdirSync(profileDir).join(', ')}`)
    }
  }
  return run
}

// ---------------------------------------------------------------------------------------------
// Statistics and output

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

function summarizeContender(c: ContenderResult): void {
  const ok = c.runs.filter((r) => r.ok)
  if (ok.length === 0 || ok.length < c.runs.length) return
  const m = (pick: (r: RunRecord) => number | undefined) => median(ok.map((r) => pick(r) ?? Number.NaN))
  const rps = ok.map((r) => r.recordsPerSec as number)
  c.median = {
    recordsPerSec: median(rps),
    mbPerSec: m((r) => r.mbPerSec),
    clientCpuUsPerRecord: m((r) => r.clientCpuUsPerRecord),
    clientCpuPct: m((r) => r.clientCpuPct),
    brokerCpuPct: m((r) => r.brokerCpuPct),
    busiestBrokerCpuPct: m((r) => r.busiestBrokerCpuPct),
    peakRssMiB: m((r) => r.peakRssMiB),
    rssMiB: m((r) => r.rssMiB),
  }
  if (ok.every((r) => r.recordsPerRequest !== undefined)) {
    c.median.recordsPerRequest = m((r) => r.recordsPerRequest)
    c.median.recordsPerBatch = m((r) => r.recordsPerBatch)
  }
  if (ok[0]?.rssBeforeStallMiB !== undefined) {
    c.median.rssBeforeStallMiB = m((r) => r.rssBeforeStallMiB)
    c.median.heapUsedMiB = m((r) => r.heapUsedMiB)
  }
  if (ok[0]?.latencyUs !== undefined) {
    const l = (pick: (x: LatencySummary) => number) => m((r) => (r.latencyUs ? pick(r.latencyUs) : undefined))
    c.median.latencyUs = {
      n: l((x) => x.n),
      p50: l((x) => x.p50),
      p90: l((x) => x.p90),
      p99: l((x) => x.p99),
      max: l((x) => x.max),
      mean: l((x) => x.mean),
    }
  }
  c.spreadPct = (100 * (Math.max(...rps) - Math.min(...rps))) / c.median.recordsPerSec
}

function ratios(contenders: ContenderResult[]): RatioResult[] {
  const out: RatioResult[] = []
  for (const t of contenders.filter((c) => findContender(c.id).tributary && c.median)) {
    for (const p of contenders.filter((c) => !findContender(c.id).tributary && c.median)) {
      const perRound: number[] = []
      for (const tr of t.runs) {
        const pr = p.runs.find((r) => r.round === tr.round)
        if (pr?.ok && tr.ok) perRound.push((tr.recordsPerSec as number) / (pr.recordsPerSec as number))
      }
      out.push({
        tributary: t.id,
        peer: p.id,
        ratio: (t.median?.recordsPerSec as number) / (p.median?.recordsPerSec as number),
        perRound,
        cpuRatio: (p.median?.clientCpuUsPerRecord as number) / (t.median?.clientCpuUsPerRecord as number),
      })
    }
  }
  return out
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US')
const fmtRatio = (n: number) => `${n.toFixed(2)}×`
const fmtUs = (n: number) => (n >= 10_000 ? fmtInt(n) : n >= 100 ? n.toFixed(0) : n.toFixed(1))

function runsCell(k: ContenderResult, pick: (r: RunRecord) => string): string {
  return k.runs.map((r) => (r.ok ? pick(r) : 'FAILED')).join(', ')
}

function caseTable(c: CaseResult): string {
  if (c.kind === 'latency') return latencyTable(c)
  if (c.kind === 'stall') return stallTable(c)
  const lines = [
    `### ${c.title} (${fmtInt(c.records)} records per run)`,
    '',
    '| client | records/s (median) | spread | MB/s | client CPU µs/record | client CPU | broker CPU (all / busiest) | records per request / batch | peak RSS MiB | runs (records/s) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const k of c.contenders) {
    const runs = runsCell(k, (r) => fmtInt(r.recordsPerSec as number))
    if (k.median === undefined) {
      lines.push(`| ${k.label} | FAILED | | | | | | | | ${runs} |`)
      continue
    }
    const m = k.median
    const perRequest =
      m.recordsPerRequest === undefined
        ? 'n/a'
        : `${fmtInt(m.recordsPerRequest)} / ${fmtInt(m.recordsPerBatch as number)}`
    lines.push(
      `| ${k.label} | ${fmtInt(m.recordsPerSec)} | ${(k.spreadPct as number).toFixed(0)}% | ` +
        `${m.mbPerSec.toFixed(1)} | ${m.clientCpuUsPerRecord.toFixed(2)} | ${m.clientCpuPct.toFixed(0)}% | ` +
        `${m.brokerCpuPct.toFixed(0)}% / ${m.busiestBrokerCpuPct.toFixed(0)}% | ${perRequest} | ${m.peakRssMiB.toFixed(0)} | ${runs} |`,
    )
  }
  return lines.join('\n')
}

function latencyTable(c: CaseResult): string {
  const lines = [
    `### ${c.title} (${fmtInt(c.records)} awaited sends per run, one at a time)`,
    '',
    'Each send is awaited before the next; the times are per send, in microseconds (median over the rounds of each percentile).',
    '',
    '| client | p50 µs | p90 µs | p99 µs | max µs | mean µs | client CPU µs/send | broker CPU (all) | runs (p50 / p99 µs) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const k of c.contenders) {
    const runs = runsCell(
      k,
      (r) => `${fmtUs(r.latencyUs?.p50 ?? Number.NaN)} / ${fmtUs(r.latencyUs?.p99 ?? Number.NaN)}`,
    )
    const l = k.median?.latencyUs
    if (k.median === undefined || l === undefined) {
      lines.push(`| ${k.label} | FAILED | | | | | | | ${runs} |`)
      continue
    }
    lines.push(
      `| ${k.label} | ${fmtUs(l.p50)} | ${fmtUs(l.p90)} | ${fmtUs(l.p99)} | ${fmtUs(l.max)} | ${fmtUs(l.mean)} | ` +
        `${k.median.clientCpuUsPerRecord.toFixed(1)} | ${k.median.brokerCpuPct.toFixed(0)}% | ${runs} |`,
    )
  }
  return lines.join('\n')
}

function stallTable(c: CaseResult): string {
  const lines = [
    `### ${c.title} (${fmtInt(c.records)} records handed over at once)`,
    '',
    'After the warm-up the brokers read and drop everything and answer nothing; the client is then handed every',
    'record without waiting (one chunk) and its RSS is read once it stops growing. "Refused" says whether the',
    'client refused sends at once (Tributary, past `maxWaitingBytes`) rather than holding every record.',
    '',
    '| client | RSS before MiB | RSS stalled MiB | growth MiB | live JS heap MiB (after a full GC) | peak RSS MiB | refused | runs (growth MiB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ]
  for (const k of c.contenders) {
    const runs = runsCell(k, (r) => ((r.rssMiB as number) - (r.rssBeforeStallMiB as number)).toFixed(0))
    const m = k.median
    if (m === undefined || m.rssBeforeStallMiB === undefined) {
      lines.push(`| ${k.label} | FAILED | | | | | | ${runs} |`)
      continue
    }
    const refused = k.runs.some((r) => r.refusedAtOnce === true) ? 'yes' : 'no'
    lines.push(
      `| ${k.label} | ${m.rssBeforeStallMiB.toFixed(0)} | ${m.rssMiB.toFixed(0)} | ${(m.rssMiB - m.rssBeforeStallMiB).toFixed(0)} | ` +
        `${(m.heapUsedMiB ?? Number.NaN).toFixed(0)} | ${m.peakRssMiB.toFixed(0)} | ${refused} | ${runs} |`,
    )
  }
  return lines.join('\n')
}

function ratioTable(results: CaseResult[], cpu = false): string {
  const throughput = results.filter((c) => c.kind === 'throughput')
  const ids = (pick: (r: RatioResult) => string) => [...new Set(throughput.flatMap((c) => c.ratios.map(pick)))]
  const tributaries = ids((r) => r.tributary)
  const peers = ids((r) => r.peer)
  if (peers.length === 0 || tributaries.length === 0) return '(no ratios: select a Tributary line and a peer)'
  const lines = [
    `| case | Tributary line | ${peers.map((p) => `÷ ${p}`).join(' | ')} |`,
    `| --- | --- | ${peers.map(() => '---:').join(' | ')} |`,
  ]
  for (const c of throughput) {
    for (const t of tributaries) {
      if (!c.ratios.some((r) => r.tributary === t)) continue
      const cells = peers.map((p) => {
        const r = c.ratios.find((x) => x.tributary === t && x.peer === p)
        if (r === undefined) return 'n/a'
        if (cpu) return fmtRatio(r.cpuRatio)
        const lo = Math.min(...r.perRound)
        const hi = Math.max(...r.perRound)
        return `**${fmtRatio(r.ratio)}** (${lo.toFixed(2)}–${hi.toFixed(2)})`
      })
      lines.push(`| ${c.id} | ${t} | ${cells.join(' | ')} |`)
    }
  }
  return lines.join('\n')
}

/** The issue's targets, from whichever cases and lines this run has. */
function targetsTable(results: CaseResult[], chunk: number): string {
  const byCase = (id: string) => results.find((c) => c.id === id)
  const med = (caseId: string, client: string) => byCase(caseId)?.contenders.find((k) => k.id === client)?.median
  const ratio = (caseId: string, t: string, p: string) =>
    byCase(caseId)?.ratios.find((r) => r.tributary === t && r.peer === p)
  const platformatic = ['platformatic', 'platformatic-v1'].find((id) =>
    results.some((c) => c.contenders.some((k) => k.id === id && k.median)),
  )
  const rows: string[] = []
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'met' : '**missed**')
  for (const caseId of ['unkeyed-100b', 'keyed-100b', 'keyed-1k']) {
    if (byCase(caseId) === undefined) continue
    const goals: Array<[string, number]> =
      caseId === 'keyed-1k'
        ? [[platformatic ?? 'platformatic', 2]]
        : [
            [platformatic ?? 'platformatic', 3],
            ['kafkajs', 5],
          ]
    for (const [peer, goal] of goals) {
      const r = ratio(caseId, 'tributary-send', peer)
      rows.push(
        `| ${caseId}, send per record ÷ ${peer} | ≥ ${goal}× | ${r ? `${fmtRatio(r.ratio)} (${Math.min(...r.perRound).toFixed(2)}–${Math.max(...r.perRound).toFixed(2)})` : 'n/a'} | ${verdict(r && r.ratio >= goal)} |`,
      )
    }
  }
  for (const caseId of ['unkeyed-100b', 'keyed-100b']) {
    const t = med(caseId, 'tributary-send')
    if (t === undefined) continue
    const p = platformatic === undefined ? undefined : med(caseId, platformatic)
    rows.push(
      `| ${caseId}, client CPU per record | ≤ 1.6 µs | ${t.clientCpuUsPerRecord.toFixed(2)} µs` +
        (p === undefined
          ? ''
          : ` (${platformatic} ${p.clientCpuUsPerRecord.toFixed(2)} µs: ${(t.clientCpuUsPerRecord / p.clientCpuUsPerRecord).toFixed(2)} of it)`) +
        ` | ${verdict(t.clientCpuUsPerRecord <= 1.6)} |`,
    )
  }
  for (const c of results.filter((x) => x.kind === 'throughput')) {
    const t = med(c.id, 'tributary-send')
    const peers = c.contenders.filter((k) => !findContender(k.id).tributary && k.median)
    if (t === undefined || peers.length === 0) continue
    const lowest = Math.min(...peers.map((k) => k.median?.peakRssMiB as number))
    rows.push(
      `| ${c.id}, peak RSS | below every peer's | ${t.peakRssMiB.toFixed(0)} MiB (peers: ${peers.map((k) => `${k.id} ${(k.median?.peakRssMiB ?? Number.NaN).toFixed(0)}`).join(', ')}) | ${verdict(t.peakRssMiB < lowest)} |`,
    )
  }
  const stall = results.find((c) => c.kind === 'stall')
  for (const k of stall?.contenders ?? []) {
    const m = k.median
    if (!findContender(k.id).tributary || m?.rssBeforeStallMiB === undefined) continue
    if (k.id === 'tributary-wait-unbounded') continue
    const bufferMiB = k.id === 'tributary-buffer8m' ? 8 : 32
    const growth = m.rssMiB - m.rssBeforeStallMiB
    rows.push(
      `| stalled brokers, ${k.id}: RSS growth | bounded by bufferBytes + maxWaitingBytes (${bufferMiB} + ${bufferMiB} MiB) | ${growth.toFixed(0)} MiB for ${fmtInt(stall?.records ?? 0)} × ${stall?.valueBytes} B handed over | see the stall table |`,
    )
  }
  for (const c of results.filter((x) => x.kind === 'throughput')) {
    const s = med(c.id, 'tributary-send')
    const b = med(c.id, 'tributary-sendBatch')
    if (s === undefined || b === undefined) continue
    rows.push(
      `| ${c.id}, sendBatch of ${fmtInt(chunk)} ÷ send | faster, by how much | ${fmtRatio(b.recordsPerSec / s.recordsPerSec)} records/s, ${fmtRatio(s.clientCpuUsPerRecord / b.clientCpuUsPerRecord)} less CPU per record | ${verdict(b.recordsPerSec > s.recordsPerSec)} |`,
    )
  }
  const latency = results.find((c) => c.kind === 'latency')
  const lt = latency?.contenders.find((k) => k.id === 'tributary-send')?.median?.latencyUs
  const lp = latency?.contenders.filter((k) => !findContender(k.id).tributary && k.median?.latencyUs)
  if (lt !== undefined && lp !== undefined && lp.length > 0) {
    const best50 = Math.min(...lp.map((k) => k.median?.latencyUs?.p50 as number))
    const best99 = Math.min(...lp.map((k) => k.median?.latencyUs?.p99 as number))
    rows.push(
      `| single awaited send, defaults: p50 / p99 | no worse than the best peer's | ${fmtUs(lt.p50)} / ${fmtUs(lt.p99)} µs (best peer: ${fmtUs(best50)} / ${fmtUs(best99)} µs) | ${verdict(lt.p50 <= best50 && lt.p99 <= best99)} |`,
    )
  }
  if (rows.length === 0) return ''
  return ['| target | goal | this run | |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

function gitDescribe(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT }).toString().trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages/core/src'], { cwd: REPO_ROOT })
      .toString()
      .trim()
    return dirty === '' ? commit : `${commit} (+ uncommitted changes in packages/core/src)`
  } catch {
    return 'unknown'
  }
}

/** The installed version of a package (found from its entry point, so ESM-only packages work too). */
function versionOf(pkg: string): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(pkg))
    while (dir !== dirname(dir)) {
      const file = join(dir, 'package.json')
      if (existsSync(file)) {
        const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
        if (json.version !== undefined && json.name !== undefined) return json.version
      }
      dir = dirname(dir)
    }
  } catch {}
  return '?'
}

function label(c: ContenderSpec): string {
  return c.label.replace('{version}', c.pkg === undefined ? '?' : versionOf(c.pkg))
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions()
  const started = Date.now()
  const nodeMajor = Number(process.versions.node.split('.')[0])
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    /** 1-minute load average at the start and the end: other work on a shared machine shows here. */
    loadAverage: { start: loadavg()[0] as number, end: Number.NaN },
  }
  const contendersOf = (spec: CaseSpec): ContenderSpec[] => {
    const kind = spec.kind ?? 'throughput'
    const chosen = options.contenders ?? defaultContenders(kind, nodeMajor)
    return chosen.filter((c) => {
      if (nodeMajor < (c.minNode ?? 0)) {
        console.error(`  (${c.id} needs Node >= ${c.minNode}; left out on ${process.version})`)
        return false
      }
      // sendBatch of one record is not a latency case.
      return !(kind !== 'throughput' && c.id === 'tributary-sendBatch')
    })
  }
  const all = [...new Set(options.cases.flatMap(contendersOf))]
  const versions: Record<string, string> = { node: process.version }
  for (const c of all) if (c.pkg !== undefined) versions[c.pkg] = versionOf(c.pkg)
  console.log(
    `Tributary bench: ${options.cases.map((c) => c.id).join(', ')}; ${options.rounds} rounds; ` +
      `${fmtInt(options.records)} records per case × its factor; ${options.broker} brokers; ${machine.cpus} CPUs, Node ${machine.node}`,
  )
  console.log(
    `clients: ${Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  )
  if (options.profile !== undefined) console.log(`Profiling the ${options.profile} children: their numbers are slower.`)

  const cluster = options.broker === 'sink' ? await startSink() : await startMock()
  console.log(`${cluster.kind} brokers (pids ${cluster.pids.join(', ')}) on ${cluster.brokers.join(',')}`)
  process.once('SIGINT', () => {
    cluster.stop()
    process.exit(130)
  })
  const kafka = new Kafka({ clientId: 'bench-admin', brokers: cluster.brokers, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()

  const results: CaseResult[] = []
  const profiles: Array<{ file: string; summary: ProfileSummary }> = []
  let failures = 0
  try {
    for (const spec of options.cases) {
      const kind = spec.kind ?? 'throughput'
      const contenders = contendersOf(spec)
      const records = Math.max(1, Math.round(options.records * spec.recordsFactor))
      const result: CaseResult = {
        id: spec.id,
        title: spec.title,
        kind,
        records,
        valueBytes: spec.valueBytes,
        contenders: contenders.map((c) => ({ id: c.id, label: label(c), runs: [] })),
        ratios: [],
      }
      console.log(`\n${spec.title}: ${fmtInt(records)} records`)
      for (let round = 0; round < options.rounds; round++) {
        // Rotate the order each round so no client always runs first (or right after another).
        const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as ContenderSpec)
        for (const contender of order) {
          const run = await runOne(options, cluster, admin, spec, contender, round, records)
          ;(result.contenders.find((c) => c.id === contender.id) as ContenderResult).runs.push(run)
          if (!run.ok) {
            failures++
            console.error(`\n  !!! round ${round + 1} ${contender.id} FAILED: ${run.error}\n`)
          } else if (kind === 'latency') {
            console.log(
              `  round ${round + 1} ${contender.id.padEnd(28)} p50 ${fmtUs(run.latencyUs?.p50 as number).padStart(7)} µs ` +
                `p99 ${fmtUs(run.latencyUs?.p99 as number).padStart(7)} µs  client CPU ${(run.clientCpuUsPerRecord as number).toFixed(0)} µs/send, ` +
                `verified ${fmtInt(run.stored as number)} stored`,
            )
          } else if (kind === 'stall') {
            console.log(
              `  round ${round + 1} ${contender.id.padEnd(28)} RSS ${(run.rssBeforeStallMiB as number).toFixed(0)} → ` +
                `${(run.rssMiB as number).toFixed(0)} MiB (heap ${(run.heapUsedMiB as number).toFixed(0)} MiB) after ${(run.seconds as number).toFixed(1)} s`,
            )
          } else {
            console.log(
              `  round ${round + 1} ${contender.id.padEnd(28)} ${fmtInt(run.recordsPerSec as number).padStart(9)} records/s ` +
                `${(run.mbPerSec as number).toFixed(1).padStart(6)} MB/s  CPU ${(run.clientCpuUsPerRecord as number).toFixed(2)} µs/record ` +
                `(${(run.clientCpuPct as number).toFixed(0)}%), brokers ${(run.brokerCpuPct as number).toFixed(0)}% ` +
                `(busiest ${(run.busiestBrokerCpuPct as number).toFixed(0)}%)` +
                (run.recordsPerRequest === undefined ? '' : `, ${fmtInt(run.recordsPerRequest)} records/request`) +
                `, peak RSS ${(run.peakRssMiB as number).toFixed(0)} MiB, ` +
                `verified ${fmtInt(run.stored as number)} stored`,
            )
          }
          if (run.profile !== undefined) {
            try {
              profiles.push({ file: run.profile, summary: summarize(run.profile, 20, run.timedWindowUs) })
            } catch (error) {
              console.error(`  could not read ${run.profile}: ${String(error)}`)
            }
          }
        }
      }
      for (const c of result.contenders) summarizeContender(c)
      if (kind === 'throughput') result.ratios = ratios(result.contenders)
      results.push(result)
    }
  } finally {
    await admin.disconnect().catch(() => {})
    cluster.stop()
  }

  machine.loadAverage.end = loadavg()[0] as number
  const minutes = (Date.now() - started) / 60_000
  const date = new Date().toISOString()
  const command = `npm run bench${options.argv.length > 0 ? ` -- ${options.argv.filter((a) => a !== DEFAULT_CHART).join(' ')}` : ''}`
  const targets = targetsTable(results, options.chunk)
  const report = [
    '',
    `## Results (${date.slice(0, 10)}, ${machine.cpus} CPUs ${machine.cpuModel}, Node ${machine.node}, ` +
      `commit ${gitDescribe()}, ${options.broker} brokers, ${options.rounds} rounds, ${minutes.toFixed(1)} min, ` +
      `load average ${machine.loadAverage.start.toFixed(1)} → ${machine.loadAverage.end.toFixed(1)})`,
    '',
    `\`${command}\`; ${Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    ...(targets === '' ? [] : ["The issue's targets (medians of the rounds; ratios of one run):", '', targets, '']),
    'Ratio = median Tributary records/s ÷ median peer records/s (> 1: Tributary faster); in brackets the',
    'lowest and highest ratio of the paired runs of one round.',
    '',
    ratioTable(results),
    '',
    'Client CPU per record, peer ÷ Tributary (> 1: Tributary uses less CPU per record; CPU time is less',
    'disturbed by other load than elapsed time, but misses time spent waiting):',
    '',
    ratioTable(results, true),
    '',
    ...results.flatMap((r) => [caseTable(r), '']),
  ]
  if (options.profile !== undefined) report.push('(profiled run: the profiled client is slowed by the profiler)', '')
  for (const p of profiles) report.push(formatSummary(p.file, p.summary), '')
  console.log(report.join('\n'))

  const json: BenchReport = {
    date,
    command,
    machine,
    versions,
    commit: gitDescribe(),
    options: {
      records: options.records,
      rounds: options.rounds,
      chunk: options.chunk,
      messagesPerSend: options.messagesPerSend,
      profile: options.profile ?? null,
      broker: options.broker,
      brokers: BROKERS,
      partitions: PARTITIONS,
    },
    minutes,
    cases: results,
    profiles: profiles.map((p) => ({ file: relative(BENCH_DIR, p.file), ...p.summary })),
  }
  mkdirSync(dirname(options.out), { recursive: true })
  writeFileSync(options.out, `${JSON.stringify(json, null, 2)}\n`)
  console.log(`Wrote ${relative(process.cwd(), options.out) || options.out}`)
  if (options.chart !== undefined) {
    writeChart(json, options.chart)
    console.log(`Wrote ${relative(process.cwd(), options.chart) || options.chart}`)
  }
  if (failures > 0) {
    console.error(`\n${failures} run(s) FAILED (lost, duplicated or unacknowledged records): see above.`)
    process.exitCode = 1
  }
}

if (!reexecOnWantedNode()) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
