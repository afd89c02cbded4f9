#!/usr/bin/env node
// Fails when `npm ci` would print EBADENGINE on a Node.js version the repository supports.
//
// npm warns for every installed package whose `engines.node` the running Node does not satisfy
// (optional packages, such as native binaries for other platforms, are skipped silently instead).
// CI runs one Node version; this checks the lockfile against the lowest release of every major
// line that the root package.json's `engines.node` accepts, so a dependency that drops Node 20 (or
// 22) shows up here before it shows up as warnings on somebody's machine.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const semver = createRequire(join(root, 'package.json'))('semver')
const supported = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))

// The lowest x.y.0 of each major from 20 to 26 that the supported range accepts, plus the running Node.
const versions = new Set([process.versions.node])
for (let major = 20; major <= 26; major++) {
  for (let minor = 0; minor <= 40; minor++) {
    if (semver.satisfies(`${major}.${minor}.0`, supported)) {
      versions.add(`${major}.${minor}.0`)
      break
    }
  }
}

let failures = 0
for (const version of [...versions].sort(semver.compare)) {
  const bad = []
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.optional || entry.link || entry.engines?.node === undefined) continue
    if (!semver.satisfies(version, entry.engines.node)) {
      bad.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version ?? ''} (node ${entry.engines.node})`)
    }
  }
  if (bad.length === 0) {
    console.log(`check-engines: Node ${version}: every package of the lockfile supports it`)
  } else {
    failures++
    console.error(`check-engines: Node ${version} (supported: ${supported}): npm ci would warn EBADENGINE for`)
    for (const line of bad) console.error(`  ${line}`)
  }
}
if (failures > 0) {
  console.error(
    'check-engines: pin a version that supports these Node releases, or move the package out of the root install (see peer-clients/)',
  )
  process.exit(1)
}
