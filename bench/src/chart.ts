// The benchmark's chart: one plain SVG, generated here (no dependency), of a run's medians per case
// and client: records/s on the left, client CPU per record on the right, each case on its own
// scale. The command, machine, Node and client versions are written into the picture.
//
//   npm run bench -- --chart [FILE]                      # after a run (default bench/chart.svg)
//   node --import tsx src/chart.ts [results/latest.json] [chart.svg]   # from a saved run

import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { BenchReport, CaseResult } from './run.js'

const WIDTH = 980
const LABEL_W = 250
const PANEL_GAP = 30
const ROW_H = 19
const CASE_H = 26
const BAR_H = 13

const COLORS: Record<string, string> = {
  'tributary-send': '#1f6feb',
  'tributary-sendBatch': '#0a3069',
  'tributary-linger5': '#54aeff',
  kafkajs: '#bf8700',
  'kafkajs-idempotent': '#e3b341',
  platformatic: '#8250df',
  'platformatic-v1': '#c297ff',
}
const colorOf = (id: string) => COLORS[id] ?? (id.startsWith('tributary') ? '#54aeff' : '#8c959f')

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function shortLabel(id: string, versions: Record<string, string>, label: string): string {
  const v = (pkg: string) => versions[pkg] ?? '?'
  switch (id) {
    case 'tributary-send':
      return 'Tributary send()'
    case 'tributary-sendBatch':
      return 'Tributary sendBatch()'
    case 'tributary-linger5':
      return 'Tributary send(), lingerMs 5'
    case 'kafkajs':
      return `kafkajs ${v('kafkajs')}`
    case 'kafkajs-idempotent':
      return `kafkajs ${v('kafkajs')} idempotent`
    case 'platformatic':
      return `@platformatic/kafka ${v('platformatic-kafka-2')}`
    case 'platformatic-v1':
      return `@platformatic/kafka ${v('@platformatic/kafka')}`
    default:
      return label.length > 38 ? `${label.slice(0, 37)}…` : label
  }
}

function niceNumber(n: number, unit: 'records/s' | 'µs' | 'µs '): string {
  if (unit === 'records/s') return n >= 1000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)}k` : n.toFixed(0)
  // Latencies: whole microseconds.
  if (unit === 'µs ') return `${Math.round(n).toLocaleString('en-US')} µs`
  return n.toFixed(n >= 10 ? 1 : 2)
}

/** Splits a line of text at spaces into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(line)
  return lines
}

/** One panel: a bar per client per case, each case scaled to its own largest value. */
function panel(
  cases: CaseResult[],
  x0: number,
  width: number,
  title: string,
  pick: (c: CaseResult, id: string) => number | undefined,
  top: number,
): string[] {
  const out: string[] = [`<text x="${x0}" y="${top - 8}" font-weight="600">${escapeXml(title)}</text>`]
  let y = top
  for (const c of cases) {
    y += CASE_H
    const values = c.contenders.map((k) => pick(c, k.id) ?? 0)
    const max = Math.max(...values, 1e-9)
    for (const k of c.contenders) {
      const value = pick(c, k.id)
      const w = value === undefined ? 0 : Math.max(1, ((width - 70) * value) / max)
      out.push(
        `<rect x="${x0}" y="${y + (ROW_H - BAR_H) / 2}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${colorOf(k.id)}"/>`,
        `<text x="${(x0 + w + 4).toFixed(1)}" y="${y + ROW_H / 2 + 4}" font-size="11">${value === undefined ? 'failed' : escapeXml(niceNumber(value, c.kind === 'latency' ? 'µs ' : title.startsWith('records') ? 'records/s' : 'µs'))}</text>`,
      )
      y += ROW_H
    }
  }
  return out
}

export function renderChart(report: BenchReport): string {
  const cases = report.cases.filter(
    (c) => (c.kind === 'throughput' || c.kind === 'latency') && c.contenders.some((k) => k.median),
  )
  const panelW = (WIDTH - LABEL_W - PANEL_GAP - 20) / 2
  const m = report.machine
  const versions = Object.entries(report.versions)
    .filter(([k]) => k !== 'node')
    .map(([k, v]) => `${k === 'platformatic-kafka-2' ? '@platformatic/kafka' : k} ${v}`)
    .join(', ')
  const caption = [
    `Median of ${report.options.rounds} interleaved rounds per client and case, each run in a fresh process and verified against the brokers' high watermarks. Each case has its own scale.`,
    `Command: ${report.command}`,
    `Machine: ${m.cpus} vCPUs ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, shared (load average ${m.loadAverage.start.toFixed(1)} → ${m.loadAverage.end.toFixed(1)}); Node ${m.node}; ${report.date.slice(0, 10)}; ${String(report.options.broker)} brokers (3 processes).`,
    `Clients: ${versions}; Tributary at ${report.commit}.`,
  ].flatMap((line) => wrap(line, 150))
  const header = 36 + caption.length * 15 + 22
  const rows = cases.reduce((n, c) => n + CASE_H + c.contenders.length * ROW_H, 0)
  const height = header + rows + 44
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12" fill="#1f2328">`,
    `<title>${escapeXml(`Tributary benchmark, ${report.date.slice(0, 10)}: records/s and client CPU per record per client and case`)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="16" font-weight="600">Producing to Kafka from Node.js: Tributary, kafkajs and @platformatic/kafka</text>`,
    ...caption.map((line, i) => `<text x="10" y="${42 + i * 15}" fill="#57606a">${escapeXml(line)}</text>`),
  ]
  const top = header + 10
  // Row labels.
  let y = top
  for (const c of cases) {
    y += CASE_H
    const title =
      c.kind === 'latency'
        ? `${c.title}: p50 µs (left), p99 µs (right), lower is better`
        : `${c.title} (${c.records.toLocaleString('en-US')} records)`
    out.push(`<text x="10" y="${y - 7}" font-weight="600">${escapeXml(title)}</text>`)
    for (const k of c.contenders) {
      out.push(`<text x="18" y="${y + ROW_H / 2 + 4}">${escapeXml(shortLabel(k.id, report.versions, k.label))}</text>`)
      y += ROW_H
    }
  }
  const median = (c: CaseResult, id: string) => c.contenders.find((k) => k.id === id)?.median
  const left = (c: CaseResult, id: string) =>
    c.kind === 'latency' ? median(c, id)?.latencyUs?.p50 : median(c, id)?.recordsPerSec
  const right = (c: CaseResult, id: string) =>
    c.kind === 'latency' ? median(c, id)?.latencyUs?.p99 : median(c, id)?.clientCpuUsPerRecord
  out.push(...panel(cases, LABEL_W, panelW, 'records/s (higher is better)', left, top))
  out.push(
    ...panel(cases, LABEL_W + panelW + PANEL_GAP, panelW, 'client CPU µs per record (lower is better)', right, top),
  )
  out.push(
    `<text x="10" y="${height - 14}" fill="#57606a" font-size="11">${escapeXml('Loopback on a shared 2-vCPU machine: absolute numbers say little about a real cluster; the ratios between clients are what the bench measures. See bench/README.md.')}</text>`,
    '</svg>',
  )
  return `${out.join('\n')}\n`
}

export function writeChart(report: BenchReport, file: string): void {
  writeFileSync(file, renderChart(report))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const input = process.argv[2] ?? fileURLToPath(new URL('../results/latest.json', import.meta.url))
  const output = process.argv[3] ?? fileURLToPath(new URL('../chart.svg', import.meta.url))
  writeChart(JSON.parse(readFileSync(input, 'utf8')) as BenchReport, output)
  console.log(`Wrote ${output}`)
}
