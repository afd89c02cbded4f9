import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { FAULT_KINDS, firstSteps, scheduleDigest } from '../chaos/faults.js'

// The chaos suite (integration/chaos, `npm run chaos`) in a shorter run: the same code, as a child
// process (so a wedged producer can never hang Vitest; the run's own watchdog ends it), with a fixed
// seed so that a failure here reproduces with `npm run chaos -- <the flags printed>`. CHAOS_SEED
// overrides the seed. Every check of the run is asserted; none is about speed.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI = fileURLToPath(new URL('../chaos/cli.ts', import.meta.url))
/**
 * A seed whose first 15 s hold every kind of fault: broker restarts (two brokers down at once), a
 * storm on one partition that also fails InitProducerId and Metadata (1.2-8.7 s on the schedule's
 * clock), a blackhole (7.1-12.3 s), latencies past the request timeout and a blackout (8.9-13.6 s).
 * With it the run found both the wedge and the duplicates of integration/chaos/repro in every try.
 */
const SEED = process.env.CHAOS_SEED === undefined ? 2505 : Number(process.env.CHAOS_SEED)
const SHAPE = { brokers: 3, partitions: 12, deliveryTimeoutMs: 4000, requestTimeoutMs: 1000 }
/** The run gives up by itself (exit 3) after this long; the test waits a little longer. */
const WATCHDOG_S = 100

interface Check {
  name: string
  ok: boolean
  line: string
  details: string[]
}

describe('the fault schedule', () => {
  it('is a pure function of the seed: the same seed gives the same steps, another seed others', () => {
    const a = firstSteps(SEED, SHAPE, 500)
    const b = firstSteps(SEED, SHAPE, 500)
    expect(b).toEqual(a)
    expect(scheduleDigest(b)).toBe(scheduleDigest(a))
    expect(scheduleDigest(firstSteps(SEED + 1, SHAPE, 500))).not.toBe(scheduleDigest(a))
  })

  it('injects every kind of fault, restores only what it applied, and makes storms outlast the delivery timeout', () => {
    const steps = firstSteps(SEED, SHAPE, 3000)
    const kinds = new Set(steps.filter((s) => s.restores === undefined).map((s) => s.kind))
    expect([...kinds].sort()).toEqual([...FAULT_KINDS].sort())
    for (const s of steps) {
      expect(s.delayMs).toBeGreaterThanOrEqual(50)
      expect(s.delayMs).toBeLessThanOrEqual(200)
      if (s.restores === undefined) continue
      const undone = steps[s.restores]
      expect(undone?.kind).toBe(s.kind)
      expect(undone?.restores).toBeUndefined()
      if (s.kind === 'storm' || s.kind === 'blackout' || s.kind === 'blackhole') {
        expect(s.atMs - (undone?.atMs ?? 0)).toBeGreaterThan(SHAPE.deliveryTimeoutMs)
      }
    }
    // Some storms outlast the delivery timeout, so some records must fail with TimeoutError.
    expect(steps.filter((s) => s.kind === 'storm' && s.restores === undefined).length).toBeGreaterThan(10)
  })
})

describe('the chaos suite, short run', () => {
  let child: ChildProcess | undefined
  const dir = mkdtempSync(join(tmpdir(), 'tributary-chaos-'))

  afterAll(() => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })

  it(
    'every record settles (acked or a typed error) by its deadline, acked records are stored once, in order, at their offsets, and the producer sends again after the storm',
    async () => {
      const reportPath = join(dir, 'report.json')
      const args = [
        '--seed',
        String(SEED),
        '--records',
        '40000',
        '--duration',
        '15',
        '--keys',
        '2000',
        '--watchdog',
        String(WATCHDOG_S),
        '--report-json',
        reportPath,
      ]
      child = spawn(process.execPath, ['--conditions=@tributary/source', '--import', 'tsx', CLI, ...args], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let output = ''
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk
      })
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk
      })
      const code = await new Promise<number | null>((resolve) => {
        child?.once('close', (exitCode) => resolve(exitCode))
      })

      let report: { ok: boolean; summary: string; checks: Check[] } | undefined
      try {
        report = JSON.parse(readFileSync(reportPath, 'utf8'))
      } catch {}
      const tail = output.split('\n').slice(-150).join('\n')
      expect(report, `the run wrote no report (exit code ${code}):\n${tail}`).toBeDefined()
      if (report === undefined) return
      if (!report.ok) console.log(`chaos run (exit code ${code}):\n${output}`)
      for (const check of report.checks) {
        expect.soft(check.ok, `${check.name}: ${check.line}\n${check.details.slice(0, 40).join('\n')}`).toBe(true)
      }
      const names = report.checks.map((c) => c.name)
      expect(names, report.summary).toEqual([
        'settled',
        'typed-errors',
        'no-lost-acks',
        'offsets-match',
        'no-duplicates',
        'order-per-key',
        'order-per-partition',
        'no-unknown-records',
        'sends-after-storm',
      ])
      expect(code, report.summary).toBe(report.ok ? 0 : 1)
    },
    (WATCHDOG_S + 30) * 1000,
  )
})
