#!/usr/bin/env node
// Installs the npm peer clients that cannot be in the root install and links them into node_modules.
//
// @platformatic/kafka 1.35 (what the testing package's peer tests and the benchmark run against) says
// it runs on Node >= 20.19.4, but two of its dependencies (@platformatic/dynamic-buffer and
// @platformatic/wasm-utils) say Node >= 22.19, so on Node 20 every `npm ci` that includes it warns
// EBADENGINE. The newest 1.x without them (1.22) fails the peer tests (bugs fixed since). So it lives
// in its own install, peer-clients/ (own package.json and lockfile, pinned), and node_modules gets a
// symlink to it: tests, typechecks and the benchmark import `@platformatic/kafka` as before, and the
// root install stays clean on every supported Node. On Node 20 this install prints the two packages'
// EBADENGINE warnings; the peer tests run there in CI, so they are known to be over-cautious.
//
//   node scripts/peer-clients.mjs                      install when missing or stale, then link
//   node scripts/peer-clients.mjs --link               link; fail with a hint when not installed
//   node scripts/peer-clients.mjs --link-if-installed  link when installed, else only say how (npm `prepare`)
import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const setDir = join(root, 'peer-clients')
const manifest = JSON.parse(readFileSync(join(setDir, 'package.json'), 'utf8'))
const names = Object.keys(manifest.dependencies)
const mode = process.argv[2] ?? '--install'
const say = (message) => console.log(`peer-clients: ${message}`)

/** Installed and matching the lockfile: npm writes the lockfile's packages to node_modules/.package-lock.json. */
function installed() {
  const hidden = join(setDir, 'node_modules', '.package-lock.json')
  if (!existsSync(hidden)) return false
  const wanted = JSON.parse(readFileSync(join(setDir, 'package-lock.json'), 'utf8')).packages
  const have = JSON.parse(readFileSync(hidden, 'utf8')).packages
  return names.every((name) => {
    const key = `node_modules/${name}`
    return wanted[key] !== undefined && have[key]?.version === wanted[key].version
  })
}

function link() {
  for (const name of names) {
    const target = join(setDir, 'node_modules', name)
    const path = join(root, 'node_modules', name)
    const relativeTarget = relative(dirname(path), target)
    let current
    try {
      current = lstatSync(path)
    } catch {}
    if (current?.isSymbolicLink() && readlinkSync(path) === relativeTarget) continue
    if (current !== undefined && !current.isSymbolicLink()) {
      say(`node_modules/${name} is a real install (from the root lockfile?); left as is`)
      continue
    }
    if (current !== undefined) rmSync(path)
    mkdirSync(dirname(path), { recursive: true })
    symlinkSync(relativeTarget, path, 'dir')
    say(`linked node_modules/${name} -> ${relative(root, target)}`)
  }
}

const hint =
  'run `npm run peer-clients` to install them (the @platformatic/kafka peer tests and the benchmark need them)'
if (mode === '--install') {
  if (installed()) {
    say(`up to date: ${names.join(', ')}`)
  } else {
    say(`installing ${names.join(', ')} into peer-clients/ (npm ci)`)
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: setDir, stdio: 'inherit' })
  }
  link()
} else if (mode === '--link' || mode === '--link-if-installed') {
  if (installed()) {
    link()
  } else if (mode === '--link') {
    console.error(`peer-clients: not installed: ${names.join(', ')}; ${hint}`)
    process.exit(1)
  } else {
    say(`not installed: ${names.join(', ')}; ${hint}`)
  }
} else {
  console.error(`peer-clients: unknown option ${mode} (--link, --link-if-installed, or none to install)`)
  process.exit(2)
}
