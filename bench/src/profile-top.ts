// Top self-time functions of a V8 .cpuprofile (as written by `node --cpu-prof`).
// Usage: node --import tsx src/profile-top.ts <file.cpuprofile> [count]

import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  hitCount?: number
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

export interface HotSpot {
  /** `name (file:line)`. */
  readonly where: string
  readonly selfMs: number
  readonly selfPct: number
}

export interface ProfileSummary {
  /** Sampled time summarized (the timed window only, when one was given and overlaps). */
  readonly totalMs: number
  /** Whether only the samples within the given window were counted. */
  readonly windowed: boolean
  /** Share of samples in the program rather than idle or GC. */
  readonly idlePct: number
  readonly gcPct: number
  readonly top: HotSpot[]
  /** Self time per source area (tributary core files, kafkajs, node internals, ...). */
  readonly byArea: Array<{ area: string; selfPct: number }>
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function shortUrl(url: string): string {
  if (url === '') return '(native)'
  let path = url
  if (url.startsWith('file://')) path = fileURLToPath(url)
  if (path.startsWith('/')) {
    const rel = relative(ROOT, path)
    return rel.startsWith('..') ? path : rel
  }
  return path
}

function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC'
  if (name === '(idle)' || name === '(program)') return name
  const u = shortUrl(url)
  if (u === '(native)') return 'native (V8 builtins, C++)'
  if (u.startsWith('node:')) return `node internals (${u.split('/')[0]?.replace(/^node:/, '') ?? u})`
  const pkg = /^packages\/([^/]+)\/src\/([^/]+)/.exec(u)
  if (pkg) return `@tributary/${pkg[1]} ${pkg[2]}/`
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)
  if (mod) return mod[1] as string
  return u
}

/**
 * Self time per function (merged over call sites), biggest first. With `windowUs` (monotonic
 * microseconds, V8's profile clock on Linux) only samples inside it count.
 */
export function summarize(file: string, count = 15, windowUs?: readonly [number, number]): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map<number, ProfileNode>()
  for (const n of profile.nodes) byId.set(n.id, n)
  // Self time from samples and time deltas (more exact than hitCount × interval).
  const selfUs = new Map<number, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  const windowed =
    windowUs !== undefined &&
    windowUs[0] < profile.endTime &&
    windowUs[1] > profile.startTime &&
    windowUs[1] > windowUs[0]
  let at = profile.startTime
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0
    if (windowed && (at < (windowUs as [number, number])[0] || at > (windowUs as [number, number])[1])) continue
    const next = deltas[i + 1] ?? 0
    const id = samples[i] as number
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, next))
  }
  let total = 0
  const perFunction = new Map<string, number>()
  const perArea = new Map<string, number>()
  let idle = 0
  let gc = 0
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (node === undefined) continue
    total += us
    const { functionName, url, lineNumber } = node.callFrame
    const name = functionName || '(anonymous)'
    if (name === '(idle)') idle += us
    if (name === '(garbage collector)') gc += us
    // Lines of TypeScript files are positions in tsx's output, not the source: leave them out.
    const where =
      url === ''
        ? name
        : url.endsWith('.ts')
          ? `${name} (${shortUrl(url)})`
          : `${name} (${shortUrl(url)}:${lineNumber + 1})`
    perFunction.set(where, (perFunction.get(where) ?? 0) + us)
    const a = area(url, name)
    perArea.set(a, (perArea.get(a) ?? 0) + us)
  }
  const pct = (us: number) => (total === 0 ? 0 : (100 * us) / total)
  const top = [...perFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, us]) => ({ where, selfMs: us / 1000, selfPct: pct(us) }))
  const byArea = [...perArea.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([a, us]) => ({ area: a, selfPct: pct(us) }))
  return { totalMs: total / 1000, windowed, idlePct: pct(idle), gcPct: pct(gc), top, byArea }
}

export function formatSummary(file: string, s: ProfileSummary): string {
  const lines = [
    `CPU profile ${shortUrl(pathToFileURL(file).href)}: ${s.totalMs.toFixed(0)} ms sampled` +
      `${s.windowed ? ' in the timed part' : ' (whole process)'}, idle ${s.idlePct.toFixed(1)}%, GC ${s.gcPct.toFixed(1)}%`,
    '',
    '| self % | self ms | function |',
    '| ---: | ---: | --- |',
    ...s.top.map((t) => `| ${t.selfPct.toFixed(1)} | ${t.selfMs.toFixed(0)} | ${t.where.replaceAll('|', '\\|')} |`),
    '',
    '| self % | area |',
    '| ---: | --- |',
    ...s.byArea.map((a) => `| ${a.selfPct.toFixed(1)} | ${a.area} |`),
  ]
  return lines.join('\n')
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2]
  if (file === undefined) {
    console.error('usage: profile-top <file.cpuprofile> [count]')
    process.exit(2)
  }
  // Optional third and fourth arguments: the timed window (latest.json has it per profiled run).
  const from = process.argv[4]
  const to = process.argv[5]
  const window = from !== undefined && to !== undefined ? ([Number(from), Number(to)] as const) : undefined
  console.log(formatSummary(file, summarize(file, Number(process.argv[3] ?? 25), window)))
}
