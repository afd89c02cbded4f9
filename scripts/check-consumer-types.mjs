#!/usr/bin/env node
// The consumer type test: does an application that installs only what the READMEs say compile, in
// strict TypeScript, against the packages as they would be published?
//
// 1. builds @tributary/core, schema-registry, serializer-avro, serializer-json-schema and testing
//    (Nx; a cache hit when nothing changed) and packs them with `npm pack`;
// 2. reads the install commands (the first ```sh block) of the READMEs of the packages the app
//    uses, and installs exactly those packages into a throwaway project in a temp directory:
//    @tributary/* from the tarballs (npm `overrides` send their internal @tributary/* dependencies to
//    the tarballs too, in place of the registry), every other package from the registry at the
//    version the repository's lockfile resolved, preferring npm's cache (works offline after `npm ci`);
//    plus typescript, the app's own compiler;
// 3. checks that every package test-consumers/src/app.ts imports is one the READMEs name, then
//    compiles it (strict, skipLibCheck off) under five module settings: nodenext as ESM and as
//    CommonJS, node16 (CommonJS), commonjs with node10 resolution, and bundler;
// 4. compiles once more without @types/node (`types: []`) and expects errors: the check above can
//    only catch a README that forgets @types/node if the declarations need it;
// 5. runs test-consumers/runtime/smoke.{mjs,cjs}: MockSchemaRegistry loads avsc only for an Avro
//    schema, and fails a Protobuf schema naming protobufjs, which this project does not install.
//
//   node scripts/check-consumer-types.mjs [--no-build] [--keep] [--types-node=<version>]
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const consumerDir = join(root, 'test-consumers')
const args = new Set(process.argv.slice(2))
// --types-node=<version or tag>: compile against another @types/node than the repository's (the lowest
// supported major), e.g. `latest` (needs the registry).
const typesNode = process.argv.find((a) => a.startsWith('--types-node='))?.slice('--types-node='.length)
const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`
const say = (message) => console.log(`consumer-types [${elapsed()}]: ${message}`)

/** The packages whose READMEs the app follows, and the internal ones they depend on (packed too). */
const used = ['core', 'serializer-avro', 'serializer-json-schema', 'testing']
const packed = ['core', 'schema-registry', 'serializer-avro', 'serializer-json-schema', 'testing']

const run = (command, argv, options = {}) =>
  execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options })

function fail(message, output) {
  console.error(`consumer-types: FAILED: ${message}`)
  if (output) console.error(output)
  console.error(`consumer-types: the project is kept in ${work}`)
  process.exit(1)
}

/** Runs a command in the project; on failure, prints its output and stops. */
function step(label, command, argv, cwd) {
  try {
    return run(command, argv, { cwd })
  } catch (error) {
    fail(`${label}: ${command} ${argv.join(' ')}`, `${error.stdout ?? ''}${error.stderr ?? ''}`)
  }
}

const work = mkdtempSync(join(tmpdir(), 'tributary-consumer-'))

// 1. Build and pack.
if (!args.has('--no-build')) {
  say('building (nx)')
  step(
    'build',
    'npx',
    [
      'nx',
      'run-many',
      '-t',
      'build',
      `--projects=${packed.map((p) => `@tributary/${p}`).join(',')}`,
      '--output-style=static',
    ],
    root,
  )
}
const tarballs = join(work, 'tarballs')
mkdirSync(tarballs)
const packs = JSON.parse(
  step(
    'pack',
    'npm',
    [
      'pack',
      '--json',
      '--ignore-scripts',
      '--pack-destination',
      tarballs,
      ...packed.flatMap((p) => ['-w', `packages/${p}`]),
    ],
    root,
  ),
)
const tarballOf = new Map(packs.map((p) => [p.name, `file:tarballs/${p.filename}`]))
say(`packed ${packs.map((p) => p.filename).join(', ')}`)

// 2. What the READMEs say to install.
const readmeInstalls = { prod: new Set(), dev: new Set() }
for (const pkg of used) {
  const readme = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8')
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1]
  if (block === undefined) fail(`packages/${pkg}/README.md has no \`\`\`sh install block`)
  for (const line of block.split('\n')) {
    const words = line.replace(/#.*/, '').trim().split(/\s+/)
    if (words[0] !== 'npm' || !['install', 'i', 'add'].includes(words[1])) continue
    const dev = words.includes('-D') || words.includes('--save-dev')
    for (const word of words.slice(2)) if (!word.startsWith('-')) readmeInstalls[dev ? 'dev' : 'prod'].add(word)
  }
}
const named = new Set([...readmeInstalls.prod, ...readmeInstalls.dev])
say(`the READMEs install: ${[...readmeInstalls.prod].join(' ')}; dev: ${[...readmeInstalls.dev].join(' ')}`)

/** A package spec: a tarball for ours, else the version the repository resolved (so npm's cache has it). */
function spec(name) {
  if (tarballOf.has(name)) return `${name}@${tarballOf.get(name)}`
  if (name === '@types/node' && typesNode !== undefined) return `${name}@${typesNode}`
  if (name.includes('@', 1)) return name
  try {
    const { version } = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'))
    return `${name}@${version}`
  } catch {
    return name
  }
}

const app = join(work, 'app')
mkdirSync(app)
writeFileSync(
  join(app, 'package.json'),
  `${JSON.stringify({ name: 'tributary-consumer', private: true, overrides: Object.fromEntries(tarballOf) }, null, 2)}\n`,
)
cpSync(tarballs, join(app, 'tarballs'), { recursive: true })
const npmInstall = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']
say(`npm install ${[...readmeInstalls.prod].map(spec).join(' ')}`)
step('install', 'npm', [...npmInstall, ...[...readmeInstalls.prod].map(spec)], app)
const devSpecs = [...[...readmeInstalls.dev].map(spec), spec('typescript')]
say(`npm install -D ${devSpecs.join(' ')}`)
step('install', 'npm', [...npmInstall, '-D', ...devSpecs], app)

// 3. Every import is a package the READMEs name, then compile under each module setting.
const source = readFileSync(join(consumerDir, 'src', 'app.ts'), 'utf8')
const imported = [...source.matchAll(/\bfrom '([^'.][^']*)'/g)].map((m) =>
  m[1]
    .split('/')
    .slice(0, m[1].startsWith('@') ? 2 : 1)
    .join('/'),
)
const unnamed = [...new Set(imported)].filter((name) => !name.startsWith('node:') && !named.has(name))
if (unnamed.length > 0) {
  fail(`test-consumers/src/app.ts imports ${unnamed.join(', ')}, which no README install line names`)
}

const strict = {
  target: 'ES2022',
  lib: ['ES2022'],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  noEmit: true,
}
const variants = [
  { name: 'esm-nodenext', type: 'module', options: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'cjs-nodenext', type: 'commonjs', options: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'cjs-node16', type: 'commonjs', options: { module: 'node16', moduleResolution: 'node16' } },
  // esModuleInterop as `tsc --init` sets it: the declarations default-import node:tls and avsc, which
  // `module: commonjs` without esModuleInterop (and without skipLibCheck) rejects.
  {
    name: 'cjs-node10',
    type: 'commonjs',
    options: { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true },
  },
  { name: 'esm-bundler', type: 'module', options: { module: 'esnext', moduleResolution: 'bundler' } },
]
const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc')
function compile(variant, extra = {}) {
  const dir = join(app, variant.name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ type: variant.type }, null, 2)}\n`)
  writeFileSync(join(dir, 'app.ts'), source)
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: { ...strict, ...variant.options, ...extra }, files: ['app.ts'] }, null, 2)}\n`,
  )
  try {
    run(process.execPath, [tsc, '-p', dir], { cwd: dir })
    return { ok: true, output: '' }
  } catch (error) {
    return { ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }
  }
}
for (const variant of variants) {
  const result = compile(variant)
  if (!result.ok) fail(`strict tsc, ${variant.name} (${JSON.stringify(variant.options)})`, result.output)
  say(`tsc ${variant.name}: ok`)
}

// 4. The control: without @types/node the packages' declarations must not compile, or step 3 could not
// catch a README that forgets it. (Errors in app.ts itself, such as `console`, do not count.)
const control = compile({ ...variants[0], name: 'control-without-node-types' }, { types: [] })
const ours = control.output.split('\n').filter((l) => l.includes('node_modules/@tributary/') && l.includes('error TS'))
if (ours.length === 0) {
  fail(
    "the packages' declarations compiled without @types/node: drop it from the READMEs, or this test no longer checks that they name it",
    control.output,
  )
}
say(`control without @types/node: ${ours.length} errors in the declarations, as expected (${ours[0].trim()})`)

// 5. Lazy format libraries, at run time, through both builds.
for (const file of readdirSync(join(consumerDir, 'runtime')))
  cpSync(join(consumerDir, 'runtime', file), join(app, file))
for (const script of ['smoke.mjs', 'smoke.cjs']) {
  const output = step(`runtime ${script}`, process.execPath, [script], app)
  say(output.trim())
}

if (args.has('--keep')) say(`kept ${work}`)
else rmSync(work, { recursive: true, force: true })
say('passed')
