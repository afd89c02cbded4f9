import { type ChildProcess, spawn } from 'node:child_process'

/** What a finished child process printed. */
export interface RunResult {
  stdout: string
  stderr: string
  /** Wall-clock milliseconds just before the spawn and just after the exit. */
  startedAt: number
  endedAt: number
}

/** Options of `run`. */
export interface RunOptions {
  /** Written to the child's stdin, which is then closed. */
  input?: string
  /** Killed (SIGKILL) and rejected after this many milliseconds. Default 30,000. */
  timeoutMs?: number
  env?: NodeJS.ProcessEnv
}

/**
 * Child processes started by `run` and not yet exited. A test's afterEach kills them with
 * `killRunning`, so a failed or timed-out test leaves nothing behind.
 */
const running = new Set<ChildProcess>()

/**
 * Runs a command to completion and resolves with its output; rejects with its exit status and
 * stderr when it fails, or kills it and rejects when it outlives `timeoutMs`.
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const startedAt = Date.now()
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    })
    running.add(child)
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))
    const describe = () => `${command} ${args.join(' ')}`
    const errorOutput = () => Buffer.concat(stderr).toString('utf8').trim().slice(-4000)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      running.delete(child)
      const hint = 'code' in error && error.code === 'ENOENT' ? ' (scripts/install-system-deps.sh installs it)' : ''
      reject(new Error(`could not run ${describe()}: ${error.message}${hint}`))
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      running.delete(child)
      const endedAt = Date.now()
      if (timedOut) {
        reject(new Error(`${describe()} timed out after ${timeoutMs} ms; stderr:\n${errorOutput()}`))
      } else if (code !== 0) {
        reject(new Error(`${describe()} exited with ${code ?? signal}; stderr:\n${errorOutput()}`))
      } else {
        resolve({
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          startedAt,
          endedAt,
        })
      }
    })
    if (options.input !== undefined && child.stdin !== null) {
      // A child that exits early (bad arguments) closes its stdin: the close handler reports that.
      child.stdin.on('error', () => {})
      child.stdin.end(options.input)
    }
  })
}

/** Kills every child process `run` started that is still running. */
export function killRunning(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

/** The lines of a command's output, without the empty last one. */
export function lines(output: string): string[] {
  return output.split('\n').filter((line) => line.length > 0)
}
