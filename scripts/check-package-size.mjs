#!/usr/bin/env node
// Checks what each published package would put in its npm tarball (`npm pack --dry-run --json`,
// after a build): packed and unpacked size against the budgets in package-size-budgets.json, every
// entry point present (a package packed without its build would be small, not fine), every source
// map pointing at files the tarball ships, and no tests or fixtures shipped.
//
//   node scripts/check-package-size.mjs           check every public package under packages/
//   node scripts/check-package-size.mjs --files   also list each tarball's files with their sizes
//
// Raising a budget is a decision: note the reason in the commit, and update `measured` with the
// figures this script prints.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const budgetsFile = join(root, 'scripts', 'package-size-budgets.json')
const budgets = JSON.parse(readFileSync(budgetsFile, 'utf8')).packages
const listFiles = process.argv.includes('--files')

const dirs = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => join('packages', d.name))
  .filter((dir) => {
    try {
      return JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).private !== true
    } catch {
      return false
    }
  })

// One npm process for every package; --ignore-scripts so no prepack/prepare runs.
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', ...dirs.flatMap((d) => ['-w', d])], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  }),
)

const kb = (bytes) => (bytes / 1000).toFixed(1)
const problems = []
const rows = []

for (const dir of dirs) {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
  const result = packed.find((p) => p.name === manifest.name)
  if (result === undefined) {
    problems.push(`${manifest.name}: npm pack reported nothing`)
    continue
  }
  const files = new Map(result.files.map((f) => [f.path, f.size]))

  // Entry points: exports targets (every condition), main, module, types, bin.
  const entries = new Set()
  const walk = (value) => {
    if (typeof value === 'string') entries.add(posix.normalize(value))
    else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) walk(v)
  }
  walk(manifest.exports)
  for (const field of ['main', 'module', 'types']) if (manifest[field]) entries.add(posix.normalize(manifest[field]))
  walk(manifest.bin)
  for (const entry of entries) {
    if (!files.has(entry))
      problems.push(`${manifest.name}: ${entry} is an entry point but not in the tarball (build first?)`)
  }

  // Source maps: every source they name is shipped, so debuggers and --enable-source-maps find it.
  // Exception: the few lines tsup injects for `shims` (import.meta.url in CommonJS) map to tsup's own
  // assets, which are not the package's code.
  for (const path of files.keys()) {
    if (!path.endsWith('.map')) continue
    const map = JSON.parse(readFileSync(join(root, dir, path), 'utf8'))
    for (const source of map.sources ?? []) {
      if (/(^|\/)node_modules\/tsup\/assets\/[\w-]+\.js$/.test(source)) continue
      const target = posix.normalize(posix.join(posix.dirname(path), source))
      if (!files.has(target))
        problems.push(`${manifest.name}: ${path} names ${source}, which the tarball does not ship`)
    }
  }

  // Nothing that only the repository needs.
  for (const path of files.keys()) {
    if (/(^|\/)(test|tests|__tests__|fixtures)\//.test(path) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(path)) {
      problems.push(`${manifest.name}: ships ${path}, a test file`)
    }
    if (/\.tsbuildinfo$|(^|\/)tsconfig(\.[\w-]+)?\.json$|(^|\/)(vitest|tsup)\.config\.[cm]?ts$/.test(path)) {
      problems.push(`${manifest.name}: ships ${path}, a build or test configuration`)
    }
  }

  const budget = budgets[manifest.name]
  const measured = `"packedKb": ${Math.ceil(result.size / 1000)}, "unpackedKb": ${Math.ceil(result.unpackedSize / 1000)}, "files": ${result.entryCount}`
  if (budget === undefined) {
    problems.push(`${manifest.name}: no budget in scripts/package-size-budgets.json (measured: ${measured})`)
  } else {
    if (result.size > budget.packedKb * 1000) {
      problems.push(`${manifest.name}: packed ${kb(result.size)} kB is over its budget of ${budget.packedKb} kB`)
    }
    if (result.unpackedSize > budget.unpackedKb * 1000) {
      problems.push(
        `${manifest.name}: unpacked ${kb(result.unpackedSize)} kB is over its budget of ${budget.unpackedKb} kB`,
      )
    }
  }
  rows.push({
    name: manifest.name,
    packed: result.size,
    unpacked: result.unpackedSize,
    files: result.entryCount,
    budget,
  })
  if (listFiles) {
    console.log(`\n${manifest.name} (${result.filename})`)
    for (const [path, size] of [...files].sort((a, b) => a[0].localeCompare(b[0]))) {
      console.log(`  ${String(size).padStart(9)}  ${path}`)
    }
  }
}

const pct = (value, budgetKb) =>
  budgetKb === undefined ? '   -' : `${Math.round((value / (budgetKb * 1000)) * 100)}%`.padStart(4)
console.log('package                         packed kB (budget, used)     unpacked kB (budget, used)    files')
for (const r of rows) {
  console.log(
    `${r.name.padEnd(31)} ${kb(r.packed).padStart(8)} (${String(r.budget?.packedKb ?? '-').padStart(5)}, ${pct(r.packed, r.budget?.packedKb)})` +
      `     ${kb(r.unpacked).padStart(8)} (${String(r.budget?.unpackedKb ?? '-').padStart(5)}, ${pct(r.unpacked, r.budget?.unpackedKb)})` +
      `   ${String(r.files).padStart(5)}`,
  )
}

if (problems.length > 0) {
  console.error(`\ncheck-package-size: ${problems.length} problem(s):`)
  for (const p of problems) console.error(`  ${p}`)
  process.exit(1)
}
console.log('\ncheck-package-size: every package is within its budget')
