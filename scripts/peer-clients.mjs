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
// A second set, peer-clients/node22/, holds the newest peers, which need Node >= 22 (the benchmark
// runs them on Node 24): @platformatic/kafka 2.x and @kafkajs/confluent-schema-registry 4.x, under
// npm alias names (`platformatic-kafka-2`, `confluent-schema-registry-4`) so that they sit beside the
// 1.x and 3.x that the tests use. It is installed and linked the same way, on any Node (the bench's
// typecheck needs its types); on Node < 22 npm's EBADENGINE warnings for it are silenced, since
// nothing runs it there.
//
//   node scripts/peer-clients.mjs                      install when missing or stale, then link
//   node scripts/peer-clients.mjs --link               link; fail with a hint when not installed
//   node scripts/peer-clients.mjs --link-if-installed  link when installed, else only say how (npm `prepare`)
import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const nodeMajor = Number(process.versions.node.split('.')[0])
/** Each set: its folder (own package.json and lockfile) and the Node it needs to run. */
const sets = [
  { dir: join(root, 'peer-clients'), minNode: 20 },
  { dir: join(root, 'peer-clients', 'node22'), minNode: 22 },
].map((set) => ({
  ...set,
  names: Object.keys(JSON.parse(readFileSync(join(set.dir, 'package.json'), 'utf8')).dependencies),
  label: relative(root, set.dir),
}))
const mode = process.argv[2] ?? '--install'
const say = (message) => console.log(`peer-clients: ${message}`)

/** Installed and matching the lockfile: npm writes the lockfile's packages to node_modules/.package-lock.json. */
function installed(set) {
  const hidden = join(set.dir, 'node_modules', '.package-lock.json')
  if (!existsSync(hidden)) return false
  const wanted = JSON.parse(readFileSync(join(set.dir, 'package-lock.json'), 'utf8')).packages
  const have = JSON.parse(readFileSync(hidden, 'utf8')).packages
  return set.names.every((name) => {
    const key = `node_modules/${name}`
    return wanted[key] !== undefined && have[key]?.version === wanted[key].version
  })
}

function link(set) {
  for (const name of set.names) {
    const target = join(set.dir, 'node_modules', name)
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
if (mode !== '--install' && mode !== '--link' && mode !== '--link-if-installed') {
  console.error(`peer-clients: unknown option ${mode} (--link, --link-if-installed, or none to install)`)
  process.exit(2)
}
let missing = 0
for (const set of sets) {
  if (mode === '--install') {
    if (installed(set)) {
      say(`up to date: ${set.names.join(', ')}`)
    } else {
      const quiet = nodeMajor < set.minNode
      say(
        `installing ${set.names.join(', ')} into ${set.label}/ (npm ci)` +
          (quiet
            ? `; they need Node >= ${set.minNode} to run, so npm's EBADENGINE warnings on ${process.version} are silenced`
            : ''),
      )
      execFileSync('npm', ['ci', '--no-audit', '--no-fund', ...(quiet ? ['--loglevel=error'] : [])], {
        cwd: set.dir,
        stdio: 'inherit',
      })
    }
    link(set)
  } else if (installed(set)) {
    link(set)
  } else if (mode === '--link') {
    console.error(`peer-clients: not installed: ${set.names.join(', ')}; ${hint}`)
    missing++
  } else {
    say(`not installed: ${set.names.join(', ')}; ${hint}`)
  }
}
if (missing > 0) process.exit(1)
