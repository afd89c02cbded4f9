import { type ChildProcess, spawn } from 'node:child_process'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'

// The tributary-mock CLI run from its TypeScript source, as a separate process: tsx loads the
// sources and the @tributary/source condition maps @tributary/core to its sources too, so no build
// is needed.

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
/** Generous: the first tsx start compiles the sources; nothing waits this long when all is well. */
const STARTUP_MS = 30_000

interface Cli {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what()}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

describe('the tributary-mock CLI', () => {
  const started: ChildProcess[] = []

  afterEach(async () => {
    // Only reached with a process still running when a test failed half-way.
    for (const child of started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  })

  function run(args: string[]): Cli {
    const child = spawn(process.execPath, ['--conditions=@tributary/source', '--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    started.push(child)
    let out = ''
    let err = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
    })
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk
    })
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('close', (code, signal) => resolve({ code, signal }))
    })
    return { child, stdout: () => out, stderr: () => err, exited }
  }

  /** Resolves with the broker addresses once the CLI has printed its start-up lines, the last one included. */
  function listening(cli: Cli): Promise<string[]> {
    const describeOutput = () => `"listening on"; stdout: ${cli.stdout()} stderr: ${cli.stderr()}`
    const seen = new Promise<string[]>((resolve, reject) => {
      const check = () => {
        const match = /listening on (\S+)/.exec(cli.stdout())
        if (match?.[1] === undefined || !cli.stdout().includes('Press Ctrl-C to stop.')) return
        cli.child.stdout?.off('data', check)
        resolve(match[1].split(','))
      }
      cli.child.stdout?.on('data', check)
      check()
      void cli.exited.then(({ code }) => reject(new Error(`CLI exited with ${code} before ${describeOutput()}`)))
    })
    return within(seen, STARTUP_MS, describeOutput)
  }

  function connectResult(address: string): Promise<string> {
    const [host, port] = address.split(':')
    return new Promise((resolve) => {
      const socket = net.connect({ host: host as string, port: Number(port) })
      socket.once('connect', () => {
        socket.destroy()
        resolve('connected')
      })
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    })
  }

  it('serves produced records on the ports it prints, then exits 0 on SIGINT and frees them', async () => {
    const cli = run(['--port', '0', '--brokers', '2', '--topic', 'orders:3'])
    const addresses = await listening(cli)
    expect(addresses).toHaveLength(2)
    for (const address of addresses) expect(address).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(cli.stdout()).toMatch(/topic orders \(3 partition\(s\)\)/)

    const kafka = new Kafka({
      clientId: 'cli-test',
      brokers: addresses,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 20, maxRetryTime: 200, retries: 5 },
    })
    const admin = kafka.admin()
    const producer = kafka.producer({ allowAutoTopicCreation: false })
    try {
      await admin.connect()
      await producer.connect()
      const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] })
      expect(topics[0]?.partitions).toHaveLength(3)
      expect(new Set(topics[0]?.partitions.map((p) => p.leader))).toEqual(new Set([1, 2]))

      const sent = await producer.send({
        topic: 'orders',
        acks: -1,
        messages: [0, 0, 1, 2, 2, 2].map((partition, i) => ({
          key: `k${i}`,
          value: `v${i}`,
          headers: { source: 'cli-test' },
          partition,
        })),
      })
      expect(sent.map((m) => [m.partition, m.baseOffset]).sort()).toEqual([
        [0, '0'],
        [1, '0'],
        [2, '0'],
      ])
      // No consumer group coordination in the mock, so read the end offsets back instead.
      const offsets = await admin.fetchTopicOffsets('orders')
      expect(offsets.sort((a, b) => a.partition - b.partition).map((o) => [o.partition, o.low, o.high])).toEqual([
        [0, '0', '2'],
        [1, '0', '1'],
        [2, '0', '3'],
      ])
    } finally {
      await producer.disconnect()
      await admin.disconnect()
    }

    cli.child.kill('SIGINT')
    const { code, signal } = await within(cli.exited, 10_000, () => `exit after SIGINT; stderr: ${cli.stderr()}`)
    expect({ code, signal }).toEqual({ code: 0, signal: null })
    for (const address of addresses) expect(await connectResult(address)).toBe('ECONNREFUSED')
  })

  it('prints its usage for --help and exits 0', async () => {
    const cli = run(['--help'])
    const { code } = await within(cli.exited, STARTUP_MS, () => 'exit after --help')
    expect(code).toBe(0)
    expect(cli.stdout()).toMatch(/^Usage: tributary-mock \[options\]$/m)
    for (const flag of ['--port', '--brokers', '--topic', '--partitions', '--no-auto-create', '--host', '--help']) {
      expect(cli.stdout()).toContain(flag)
    }
    expect(cli.stderr()).toBe('')
  })

  it.each([
    { args: ['--brokers', 'zero'], message: /brokers must be a positive integer, got zero/ },
    { args: ['--brokers', '0'], message: /brokers must be a positive integer, got 0/ },
    { args: ['--port', '70000'], message: /invalid --port 70000/ },
    { args: ['--topic', 'orders:none'], message: /partitions of orders must be a positive integer, got none/ },
    { args: ['--partitions=-3'], message: /partitions must be a positive integer, got -3/ },
  ])('exits 2 naming the bad value in $args', async ({ args, message }) => {
    const cli = run(args)
    const { code } = await within(cli.exited, STARTUP_MS, () => `exit after ${args.join(' ')}`)
    expect(code).toBe(2)
    expect(cli.stderr()).toMatch(message)
    expect(cli.stdout()).not.toMatch(/listening on/)
  })
})
