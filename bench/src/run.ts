// Tributary vs kafkajs vs @platformatic/kafka, on one mock cluster, in one run.
//
// The mock cluster (3 brokers) runs in its own process, so broker work does not share the clients'
// event loop. Every (case, client, round) runs in a fresh child process, one at a time, so JIT and GC
// state never leak between clients; rounds interleave the clients (in a rotating order) and the
// table reports medians and the ratio Tributary/peer, which is what survives a noisy shared machine.
// Every run is checked against the cluster's high watermarks: a lost or duplicated record fails it.
//
//   npm run bench                      # full: 200,000 records per case, 3 rounds
//   npm run bench:quick                # 20,000 records per case
//   npm run bench -- --profile tributary --cases keyed-1k --clients tributary-send --rounds 1
//
// Options: --records N, --rounds N, --cases a,b, --clients a,b, --chunk N, --messages-per-send N,
// --warmup N, --profile tributary, --out FILE, --quick.

import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type Admin, Kafka, logLevel } from 'kafkajs'
import { formatSummary, type ProfileSummary, summarize } from './profile-top.js'
import {
  CASES,
  type CaseSpec,
  type ChildFailure,
  type ChildResult,
  type ChildTask,
  CONTENDERS,
  type ContenderSpec,
  findCase,
  findContender,
} from './workload.js'

const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url))
const REPO_ROOT = join(BENCH_DIR, '..')
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))
const PARTITIONS = 6
const BROKERS = 3
const CHILD_TIMEOUT_MS = 180_000
const SOURCE_FLAGS = ['--conditions=@tributary/source', '--import', 'tsx']

interface Options {
  records: number
  rounds: number
  cases: CaseSpec[]
  contenders: ContenderSpec[]
  chunk: number
  messagesPerSend: number
  warmup: number | undefined
  profile: string | undefined
  out: string
  quick: boolean
}

interface RunRecord {
  round: number
  ok: boolean
  error?: string
  seconds?: number
  recordsPerSec?: number
  mbPerSec?: number
  /** Client CPU per record, microseconds. */
  clientCpuUsPerRecord?: number
  /** Broker process CPU over the timed part, as a share of one core. */
  brokerCpuPct?: number
  clientCpuPct?: number
  rssMiB?: number
  /** Records the cluster stored for this run (high watermarks after - before). */
  stored?: number
  profile?: string
  timedWindowUs?: readonly [number, number]
}

interface ContenderResult {
  id: string
  label: string
  runs: RunRecord[]
  median?: { recordsPerSec: number; mbPerSec: number; clientCpuUsPerRecord: number; brokerCpuPct: number }
  /** (max - min) / median of records/s over the rounds, percent. */
  spreadPct?: number
}

interface RatioResult {
  tributary: string
  peer: string
  /** Median Tributary records/s ÷ median peer records/s. */
  ratio: number
  /** The same ratio within each round (paired runs), for the spread. */
  perRound: number[]
  /** Median peer client CPU per record ÷ median Tributary client CPU per record (> 1: Tributary cheaper). */
  cpuRatio: number
}

interface CaseResult {
  id: string
  title: string
  records: number
  valueBytes: number
  contenders: ContenderResult[]
  ratios: RatioResult[]
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
      profile: { type: 'string' },
      out: { type: 'string' },
    },
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
  return {
    quick: values.quick,
    records: int(values.records, 'records', values.quick ? 20_000 : 200_000),
    rounds: int(values.rounds, 'rounds', 3),
    cases:
      values.cases === undefined
        ? CASES.filter((c) => c.extra !== true)
        : values.cases.split(',').map((c) => findCase(c.trim())),
    contenders:
      values.clients === undefined ? [...CONTENDERS] : values.clients.split(',').map((c) => findContender(c.trim())),
    chunk: int(values.chunk, 'chunk', 10_000),
    messagesPerSend: int(values['messages-per-send'], 'messages-per-send', 1000),
    warmup: values.warmup === undefined ? undefined : Number(values.warmup),
    profile: values.profile,
    out: values.out ?? join(BENCH_DIR, 'results', 'latest.json'),
  }
}

// ---------------------------------------------------------------------------------------------
// The mock cluster, in its own process

interface Cluster {
  child: ChildProcess
  brokers: string[]
  pid: number
  stopping: boolean
}

async function startCluster(): Promise<Cluster> {
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
  const cluster: Cluster = { child, brokers, pid: child.pid as number, stopping: false }
  child.on('exit', (code, signal) => {
    if (cluster.stopping) return
    console.error(`\n!!! the mock cluster exited (${signal ?? code}) in the middle of the bench`)
    process.exit(1)
  })
  // Ctrl-C: the cluster is our child, take it down too.
  process.once('SIGINT', () => {
    cluster.stopping = true
    child.kill('SIGTERM')
    process.exit(130)
  })
  return cluster
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
    chunk: options.chunk,
    messagesPerSend: options.messagesPerSend,
  }
  const execArgv = [...SOURCE_FLAGS, '--expose-gc']
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

  let brokerCpuStart = Number.NaN
  let brokerCpuEnd = Number.NaN
  const outcome = await new Promise<ChildResult | ChildFailure>((resolve) => {
    const child = fork(CHILD, [JSON.stringify(task)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let settled: ChildResult | ChildFailure | undefined
    const timer = setTimeout(() => {
      settled ??= { ok: false, error: `timed out after ${CHILD_TIMEOUT_MS / 1000} s` }
      child.kill('SIGKILL')
    }, CHILD_TIMEOUT_MS)
    child.on('message', (message: ChildResult | ChildFailure | { phase: string }) => {
      if ('phase' in message) {
        if (message.phase === 'timed-start') brokerCpuStart = processCpuSeconds(cluster.pid)
        if (message.phase === 'timed-end') brokerCpuEnd = processCpuSeconds(cluster.pid)
        return
      }
      settled ??= message
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(settled ?? { ok: false, error: `child exited with ${signal ?? code} without a result` })
    })
  })

  let stored: number | undefined
  let verifyError: string | undefined
  try {
    stored = (await storedRecords(admin, topic)) - before
    if (stored !== warmup + records) {
      verifyError =
        `the cluster stored ${stored} records, expected ${warmup + records} (${warmup} warm-up + ${records}): ` +
        (stored < warmup + records ? `${warmup + records - stored} LOST` : `${stored - warmup - records} DUPLICATED`)
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
  const run: RunRecord = {
    round,
    ok: true,
    seconds: outcome.seconds,
    recordsPerSec,
    mbPerSec: (recordsPerSec * spec.valueBytes) / 1e6,
    clientCpuUsPerRecord: (outcome.cpuSeconds * 1e6) / records,
    clientCpuPct: (100 * outcome.cpuSeconds) / outcome.seconds,
    brokerCpuPct: (100 * (brokerCpuEnd - brokerCpuStart)) / outcome.seconds,
    rssMiB: outcome.rssMiB,
    stored: stored as number,
  }
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
  const rps = ok.map((r) => r.recordsPerSec as number)
  c.median = {
    recordsPerSec: median(rps),
    mbPerSec: median(ok.map((r) => r.mbPerSec as number)),
    clientCpuUsPerRecord: median(ok.map((r) => r.clientCpuUsPerRecord as number)),
    brokerCpuPct: median(ok.map((r) => r.brokerCpuPct as number)),
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

function caseTable(c: CaseResult): string {
  const lines = [
    `### ${c.title} (${fmtInt(c.records)} records per run)`,
    '',
    '| client | records/s (median) | spread | MB/s | client CPU µs/record | broker CPU | runs (records/s) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const k of c.contenders) {
    const runs = k.runs.map((r) => (r.ok ? fmtInt(r.recordsPerSec as number) : 'FAILED')).join(', ')
    if (k.median === undefined) {
      lines.push(`| ${k.label} | FAILED | | | | | ${runs} |`)
      continue
    }
    lines.push(
      `| ${k.label} | ${fmtInt(k.median.recordsPerSec)} | ${(k.spreadPct as number).toFixed(0)}% | ` +
        `${k.median.mbPerSec.toFixed(1)} | ${k.median.clientCpuUsPerRecord.toFixed(2)} | ` +
        `${k.median.brokerCpuPct.toFixed(0)}% | ${runs} |`,
    )
  }
  return lines.join('\n')
}

function ratioTable(results: CaseResult[], contenders: ContenderSpec[], cpu = false): string {
  const peers = contenders.filter((c) => !c.tributary)
  if (peers.length === 0 || !contenders.some((c) => c.tributary))
    return '(no ratios: select a Tributary line and a peer)'
  const lines = [
    `| case | Tributary line | ${peers.map((p) => `÷ ${p.id}`).join(' | ')} |`,
    `| --- | --- | ${peers.map(() => '---:').join(' | ')} |`,
  ]
  for (const c of results) {
    for (const t of contenders.filter((x) => x.tributary)) {
      const cells = peers.map((p) => {
        const r = c.ratios.find((x) => x.tributary === t.id && x.peer === p.id)
        if (r === undefined) return 'n/a'
        if (cpu) return fmtRatio(r.cpuRatio)
        const lo = Math.min(...r.perRound)
        const hi = Math.max(...r.perRound)
        return `**${fmtRatio(r.ratio)}** (${lo.toFixed(2)}–${hi.toFixed(2)})`
      })
      lines.push(`| ${c.id} | ${t.id} | ${cells.join(' | ')} |`)
    }
  }
  return lines.join('\n')
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

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions()
  const started = Date.now()
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    /** 1-minute load average at the start and the end: other work on a shared machine shows here. */
    loadAverage: { start: loadavg()[0] as number, end: Number.NaN },
  }
  console.log(
    `Tributary bench: ${options.cases.map((c) => c.id).join(', ')} × ${options.contenders.length} clients × ` +
      `${options.rounds} rounds; ${fmtInt(options.records)} records (gzip ×0.5); ${machine.cpus} CPUs, Node ${machine.node}`,
  )
  if (options.profile !== undefined) console.log(`Profiling the ${options.profile} children: their numbers are slower.`)

  const cluster = await startCluster()
  console.log(`mock cluster (pid ${cluster.pid}) on ${cluster.brokers.join(',')}`)
  const kafka = new Kafka({ clientId: 'bench-admin', brokers: cluster.brokers, logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()

  const results: CaseResult[] = []
  const profiles: Array<{ file: string; summary: ProfileSummary }> = []
  let failures = 0
  try {
    for (const spec of options.cases) {
      const records = Math.max(1, Math.round(options.records * spec.recordsFactor))
      const result: CaseResult = {
        id: spec.id,
        title: spec.title,
        records,
        valueBytes: spec.valueBytes,
        contenders: options.contenders.map((c) => ({ id: c.id, label: c.label, runs: [] })),
        ratios: [],
      }
      console.log(`\n${spec.title}: ${fmtInt(records)} records`)
      for (let round = 0; round < options.rounds; round++) {
        // Rotate the order each round so no client always runs first (or right after another).
        const order = options.contenders.map((_, i) => options.contenders[(i + round) % options.contenders.length])
        for (const contender of order as ContenderSpec[]) {
          const run = await runOne(options, cluster, admin, spec, contender, round, records)
          ;(result.contenders.find((c) => c.id === contender.id) as ContenderResult).runs.push(run)
          if (run.ok) {
            console.log(
              `  round ${round + 1} ${contender.id.padEnd(20)} ${fmtInt(run.recordsPerSec as number).padStart(9)} records/s ` +
                `${(run.mbPerSec as number).toFixed(1).padStart(6)} MB/s  client CPU ${(run.clientCpuPct as number).toFixed(0)}%, ` +
                `broker CPU ${(run.brokerCpuPct as number).toFixed(0)}%, verified ${fmtInt(run.stored as number)} stored`,
            )
          } else {
            failures++
            console.error(`\n  !!! round ${round + 1} ${contender.id} FAILED: ${run.error}\n`)
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
      result.ratios = ratios(result.contenders)
      results.push(result)
    }
  } finally {
    await admin.disconnect().catch(() => {})
    cluster.stopping = true
    cluster.child.kill('SIGTERM')
  }

  machine.loadAverage.end = loadavg()[0] as number
  const minutes = (Date.now() - started) / 60_000
  const date = new Date().toISOString()
  const report = [
    '',
    `## Results (${date.slice(0, 10)}, ${machine.cpus} CPUs ${machine.cpuModel}, Node ${machine.node}, ` +
      `commit ${gitDescribe()}, ${options.rounds} rounds, ${minutes.toFixed(1)} min, ` +
      `load average ${machine.loadAverage.start.toFixed(1)} → ${machine.loadAverage.end.toFixed(1)})`,
    '',
    'Ratio = median Tributary records/s ÷ median peer records/s (> 1: Tributary faster); in brackets the',
    'lowest and highest ratio of the paired runs of one round.',
    '',
    ratioTable(results, options.contenders),
    '',
    'Client CPU per record, peer ÷ Tributary (> 1: Tributary uses less CPU per record; CPU time is less',
    'disturbed by other load than elapsed time, but misses time spent waiting):',
    '',
    ratioTable(results, options.contenders, true),
    '',
    ...results.flatMap((r) => [caseTable(r), '']),
  ]
  if (options.profile !== undefined) report.push('(profiled run: the profiled client is slowed by the profiler)', '')
  for (const p of profiles) report.push(formatSummary(p.file, p.summary), '')
  console.log(report.join('\n'))

  mkdirSync(dirname(options.out), { recursive: true })
  writeFileSync(
    options.out,
    `${JSON.stringify(
      {
        date,
        machine,
        commit: gitDescribe(),
        options: {
          records: options.records,
          rounds: options.rounds,
          chunk: options.chunk,
          messagesPerSend: options.messagesPerSend,
          profile: options.profile ?? null,
          brokers: BROKERS,
          partitions: PARTITIONS,
        },
        minutes,
        cases: results,
        profiles: profiles.map((p) => ({ file: relative(BENCH_DIR, p.file), ...p.summary })),
      },
      null,
      2,
    )}\n`,
  )
  console.log(`Wrote ${relative(process.cwd(), options.out) || options.out}`)
  if (failures > 0) {
    console.error(`\n${failures} run(s) FAILED (lost, duplicated or unacknowledged records): see above.`)
    process.exitCode = 1
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
