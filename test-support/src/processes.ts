import { type ChildProcess, spawn } from 'node:child_process'

// Child processes for tests: the independent clients (kcat, Python's kafka-python and confluent-kafka)
// that produce to or read back from the mock cluster, run to completion with their output collected.

/** What a test should do when a peer client is missing. */
export const INSTALL_HINT = 'scripts/install-system-deps.sh installs it'

/** How much of a failed child's stderr an error message quotes (its end, where the error usually is). */
const STDERR_TAIL = 4000

/** Children started by `run` or `start` and not yet exited; `killChildren` (in an afterEach) kills them. */
const children = new Set<ChildProcess>()

export interface RunOptions {
  /** Written to the child's stdin, which is then closed; without it stdin is ignored. */
  input?: string | Buffer
  /** Killed (SIGKILL) and rejected after this many milliseconds; 60,000 unless told. */
  timeoutMs?: number
  /** The child's environment; this process's unless told. */
  env?: NodeJS.ProcessEnv
}

/** What a child that exited with code 0 printed, and when it ran. */
export interface RunResult {
  /** stdout decoded as UTF-8. */
  stdout: string
  /** stdout as the child wrote it (for output that is not UTF-8 text). */
  stdoutBytes: Buffer
  stderr: string
  /** Wall-clock milliseconds (`Date.now()`) just before the spawn and just after the exit. */
  startedAt: number
  endedAt: number
}

/** The command line for an error message, long arguments (inline scripts) cut short. */
function commandLine(command: string, args: readonly string[]): string {
  const shown = args.map((arg) => (arg.length > 80 || arg.includes('\n') ? `<${arg.length} chars>` : arg))
  return [command, ...shown].join(' ')
}

/**
 * Runs a program to completion and resolves with its output. Rejects when it exits with a non-zero
 * code or a signal (it is killed after `timeoutMs`), naming the command, the code or signal and the
 * tail of its stderr; or when it cannot be started (ENOENT: not installed, with a hint to install it).
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { timeoutMs = 60_000, input, env = process.env } = options
  const startedAt = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env })
    children.add(child)
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      children.delete(child)
      if (error.code === 'ENOENT') {
        reject(new Error(`${command} not found (spawn ENOENT); ${INSTALL_HINT}`, { cause: error }))
      } else {
        reject(new Error(`${commandLine(command, args)} could not run: ${error.message}`, { cause: error }))
      }
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      children.delete(child)
      const endedAt = Date.now()
      const errorText = Buffer.concat(stderr).toString('utf8')
      if (code === 0 && !timedOut) {
        const bytes = Buffer.concat(stdout)
        resolve({ stdout: bytes.toString('utf8'), stdoutBytes: bytes, stderr: errorText, startedAt, endedAt })
        return
      }
      const how = timedOut
        ? `signal ${signal ?? 'SIGKILL'} (timed out after ${timeoutMs} ms)`
        : code !== null
          ? `exit code ${code}`
          : `signal ${signal}`
      const tail = errorText.slice(-STDERR_TAIL).trimEnd()
      reject(new Error(`${commandLine(command, args)} failed with ${how}${tail === '' ? '' : `:\n${tail}`}`))
    })
    if (input !== undefined && child.stdin !== null) {
      // A child that exits early (bad arguments) closes its stdin: the close handler reports that.
      child.stdin.on('error', () => {})
      child.stdin.end(input)
    }
  })
}

/** A child started by `start`, running until it exits or is killed. */
export interface RunningChild {
  readonly child: ChildProcess
  /** Complete stdout lines so far, in order. */
  readonly lines: readonly string[]
  /** stderr so far. */
  stderr(): string
  /** Calls `fn` with every stdout line, those already read first. */
  onLine(fn: (line: string) => void): void
  /** Settles when the child exits, with its exit code or signal; never rejects. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Sends a signal (SIGKILL unless told) if the child still runs; resolves when it exited. */
  kill(signal?: NodeJS.Signals): Promise<void>
}

/**
 * Starts a long-running program (a consumer that runs until killed), collecting its output line by
 * line. `killChildren` kills it too. Rejects when it cannot be started (with an install hint for ENOENT).
 */
export function start(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RunningChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    })
    children.add(child)
    const out: string[] = []
    const listeners: Array<(line: string) => void> = []
    let partial = ''
    let errorText = ''
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      partial += chunk
      let newline = partial.indexOf('\n')
      while (newline >= 0) {
        const line = partial.slice(0, newline)
        partial = partial.slice(newline + 1)
        out.push(line)
        for (const fn of listeners) fn(line)
        newline = partial.indexOf('\n')
      }
    })
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      errorText = (errorText + chunk).slice(-STDERR_TAIL * 4)
    })
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
      child.once('close', (code, signal) => {
        children.delete(child)
        done({ code, signal })
      })
    })
    child.once('error', (error: NodeJS.ErrnoException) => {
      children.delete(child)
      reject(
        error.code === 'ENOENT'
          ? new Error(`${command} not found (spawn ENOENT); ${INSTALL_HINT}`, { cause: error })
          : new Error(`${commandLine(command, args)} could not run: ${error.message}`, { cause: error }),
      )
    })
    child.once('spawn', () => {
      if (options.input !== undefined && child.stdin !== null) {
        child.stdin.on('error', () => {})
        child.stdin.end(options.input)
      }
      resolve({
        child,
        lines: out,
        stderr: () => errorText,
        onLine(fn) {
          for (const line of out) fn(line)
          listeners.push(fn)
        },
        exited,
        async kill(signal = 'SIGKILL') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal)
          await exited
        },
      })
    })
  })
}

/** Kills (SIGKILL) every child `run` or `start` started that is still running; for afterEach/afterAll. */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
}

/** The lines of a command's output, without empty ones (the one after the last newline). */
export function lines(output: string): string[] {
  return output.split('\n').filter((line) => line.length > 0)
}

/** Parses output with one JSON value per line (what the Python and kcat peers print). */
export function jsonLines<T>(output: string): T[] {
  return lines(output).map((line) => JSON.parse(line) as T)
}
