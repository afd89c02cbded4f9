import { type ChildProcess, execFileSync, spawn } from 'node:child_process'

// Child processes for the integration tests: the independent clients (kcat, Python's kafka-python
// and confluent-kafka) that read back or produce what Tributary and the mock cluster exchange.

const INSTALL_HINT = 'scripts/install-system-deps.sh installs it'
const STDERR_TAIL = 2000

const children = new Set<ChildProcess>()

export interface RunOptions {
  /** Killed (SIGKILL) after this long; 60 s unless told. */
  timeoutMs?: number
  /** Written to the child's stdin, then stdin is closed; without it stdin is ignored. */
  input?: string | Buffer
}

/** The command line for an error message, long arguments (inline scripts) cut short. */
function commandLine(command: string, args: readonly string[]): string {
  const shown = args.map((arg) => (arg.length > 80 || arg.includes('\n') ? `<${arg.length} chars>` : arg))
  return [command, ...shown].join(' ')
}

/**
 * Runs a program to completion and resolves with its stdout bytes. Rejects when it exits with a
 * non-zero code or a signal (killed after `timeoutMs`), naming the command, the code or signal and
 * the tail of its stderr; or when it cannot be started (ENOENT: not installed).
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
  const { timeoutMs = 60_000, input } = options
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
    children.add(child)
    const out: Buffer[] = []
    let err = ''
    let timedOut = false
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString()
      if (err.length > 4 * STDERR_TAIL) err = err.slice(-STDERR_TAIL)
    })
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      children.delete(child)
      if (error.code === 'ENOENT') {
        reject(new Error(`${command} not found (spawn ENOENT); ${INSTALL_HINT}`, { cause: error }))
      } else {
        reject(new Error(`${commandLine(command, args)} could not run: ${error.message}`, { cause: error }))
      }
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      children.delete(child)
      if (code === 0) {
        resolve(Buffer.concat(out))
        return
      }
      const how =
        code !== null ? `exit code ${code}` : `signal ${signal}${timedOut ? ` (timed out after ${timeoutMs} ms)` : ''}`
      const tail = err.slice(-STDERR_TAIL).trimEnd()
      reject(new Error(`${commandLine(command, args)} failed with ${how}${tail === '' ? '' : `:\n${tail}`}`))
    })
    if (input !== undefined) {
      child.stdin?.on('error', () => {})
      child.stdin?.end(input)
    }
  })
}

/** Kills (SIGKILL) every child still running; for afterEach/afterAll. */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
}

const pythons = new Map<string, string>()

/**
 * The first of $PYTHON, python3 and /usr/bin/python3 that can import kafka (kafka-python) and
 * confluent_kafka, and the `modules` given; cached. Debian's python3 has them
 * (scripts/install-system-deps.sh); a pyenv python3 first on PATH may not.
 */
export function python(modules: readonly string[] = []): string {
  const wanted = ['kafka', 'confluent_kafka', ...modules]
  const cacheKey = wanted.join(',')
  const cached = pythons.get(cacheKey)
  if (cached !== undefined) return cached
  for (const candidate of [process.env.PYTHON, 'python3', '/usr/bin/python3']) {
    if (candidate === undefined || candidate === '') continue
    try {
      execFileSync(candidate, ['-c', `import ${wanted.join(', ')}`], { stdio: 'ignore', timeout: 20_000 })
      pythons.set(cacheKey, candidate)
      return candidate
    } catch {}
  }
  throw new Error(
    `no python3 (tried $PYTHON, python3, /usr/bin/python3) can import ${wanted.join(', ')}; ${INSTALL_HINT}`,
  )
}

/** One record as kcat's JSON envelope (`-J`) gives it, bytes restored. */
export interface KcatRecord {
  partition: number
  offset: bigint
  /** 'create', 'logappend' or 'unknown'. */
  tstype: string
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Array<[string, Buffer | null]>
}

/**
 * Reads a topic (or one partition of it) from the beginning to its end with kcat's JSON envelope,
 * CRCs checked by librdkafka. kcat writes key, payload and header bytes raw except control
 * characters and quotes, so the output decoded as latin1 and parsed as JSON gives back every byte
 * (one char per byte).
 */
export async function readWithKcat(
  brokers: readonly string[],
  topic: string,
  options: { partition?: number; timeoutMs?: number } = {},
): Promise<KcatRecord[]> {
  const partition = options.partition === undefined ? [] : ['-p', String(options.partition)]
  const output = await run(
    'kcat',
    [
      '-C',
      '-q',
      '-b',
      brokers.join(','),
      '-t',
      topic,
      ...partition,
      '-o',
      'beginning',
      '-e',
      '-J',
      '-X',
      'check.crcs=true',
    ],
    { timeoutMs: options.timeoutMs ?? 60_000 },
  )
  const latin1 = (s: string | null | undefined): Buffer | null =>
    s === null || s === undefined ? null : Buffer.from(s, 'latin1')
  return output
    .toString('latin1')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const m = JSON.parse(line) as {
        partition: number
        offset: number
        tstype: string
        ts: number
        key: string | null
        payload: string | null
        headers?: Array<string | null>
      }
      const flat = m.headers ?? []
      const headers: KcatRecord['headers'] = []
      for (let i = 0; i < flat.length; i += 2) {
        headers.push([(latin1(flat[i]) as Buffer).toString('utf8'), latin1(flat[i + 1])])
      }
      return {
        partition: m.partition,
        offset: BigInt(m.offset),
        tstype: m.tstype,
        timestamp: BigInt(m.ts),
        key: latin1(m.key),
        value: latin1(m.payload),
        headers,
      }
    })
}
