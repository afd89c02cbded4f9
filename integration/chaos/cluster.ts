import { type ChildProcess, fork } from 'node:child_process'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import type { FaultAction } from './faults.js'
import type { BrokerMessage, BrokerProcessConfig, BrokerRequest, ClusterSnapshot, StoredRecords } from './protocol.js'

// The harness's handle on the broker process: starts it on free fixed ports (so a stopped broker
// comes back at the same address), sends it requests, and kills it however the harness ends.

const BROKER_PROCESS = fileURLToPath(new URL('./broker-process.ts', import.meta.url))
/** tsx compiles the sources on first start; generous, nothing waits this long when all is well. */
const STARTUP_MS = 60_000
/** A request the broker process does not answer in this long fails (it never should). */
const REQUEST_MS = 60_000

type Request = BrokerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

/** Free TCP ports on 127.0.0.1, each checked by listening on it. */
async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = []
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer()
      servers.push(server)
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => resolve())
      })
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port)
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
  }
}

const live = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/** The mock cluster in its own process. */
export class ChaosCluster {
  readonly bootstrapBrokers: string[]
  readonly pid: number
  private readonly child: ChildProcess
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  private exitError: Error | undefined
  private readonly exited: Promise<void>

  private constructor(child: ChildProcess, bootstrapBrokers: string[]) {
    this.child = child
    this.pid = child.pid ?? -1
    this.bootstrapBrokers = bootstrapBrokers
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child)
        this.exitError = new Error(`the broker process exited (code ${code}, signal ${signal})`)
        for (const w of this.waiting.values()) w.reject(this.exitError)
        this.waiting.clear()
        resolve()
      })
    })
    child.on('message', (message: BrokerMessage) => {
      if (message.type !== 'reply') return
      const w = this.waiting.get(message.id)
      if (w === undefined) return
      this.waiting.delete(message.id)
      if (message.ok) w.resolve(message.result)
      else w.reject(new Error(`broker process: ${message.error}`))
    })
  }

  /** Starts a cluster of `brokers` brokers with one topic, in a child process; retries on a port clash. */
  static async start(options: { brokers: number; topic: string; partitions: number }): Promise<ChaosCluster> {
    for (let attempt = 1; ; attempt++) {
      const config: BrokerProcessConfig = { ...options, ports: await freePorts(options.brokers) }
      const child = fork(BROKER_PROCESS, [JSON.stringify(config)], {
        execArgv: ['--conditions=@tributary/source', '--import', 'tsx'],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      live.add(child)
      const first = await new Promise<BrokerMessage | Error>((resolve) => {
        const timer = setTimeout(
          () => resolve(new Error(`the broker process did not start in ${STARTUP_MS} ms`)),
          STARTUP_MS,
        )
        child.once('message', (m: BrokerMessage) => {
          clearTimeout(timer)
          resolve(m)
        })
        child.once('exit', (code, signal) => {
          clearTimeout(timer)
          resolve(new Error(`the broker process exited at start (code ${code}, signal ${signal})`))
        })
      })
      if (first instanceof Error || first.type !== 'ready') {
        child.kill('SIGKILL')
        live.delete(child)
        const retry = !(first instanceof Error) && first.type === 'start-failed' && first.addressInUse
        if (retry && attempt < 5) continue
        throw first instanceof Error ? first : new Error(`the broker process failed to start: ${JSON.stringify(first)}`)
      }
      return new ChaosCluster(child, first.bootstrapBrokers)
    }
  }

  private request<T>(request: Request): Promise<T> {
    if (this.exitError !== undefined) return Promise.reject(this.exitError)
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id)
        reject(new Error(`the broker process did not answer ${request.type} in ${REQUEST_MS} ms`))
      }, REQUEST_MS)
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer)
          resolve(value as T)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      this.child.send({ ...request, id } as BrokerRequest)
    })
  }

  /** Applies a fault's actions, in order. */
  apply(actions: FaultAction[]): Promise<void> {
    return this.request({ type: 'apply', actions })
  }

  /** Ends every fault: no injected failures, no latency, every broker running. */
  heal(): Promise<void> {
    return this.request({ type: 'heal' })
  }

  snapshot(): Promise<ClusterSnapshot> {
    return this.request({ type: 'snapshot' })
  }

  /** Every record of the topic as stored. */
  records(): Promise<StoredRecords> {
    return this.request({ type: 'records' })
  }

  /** Stops the cluster and waits for the process to exit; kills it if it takes longer than 10 s. */
  async shutdown(): Promise<void> {
    if (this.exitError !== undefined) return
    this.request({ type: 'shutdown' }).catch(() => {})
    const timer = setTimeout(() => this.kill(), 10_000)
    await this.exited
    clearTimeout(timer)
  }

  /** Kills the process at once. */
  kill(): void {
    this.child.kill('SIGKILL')
  }
}
