import { MockCluster } from '@tributary/testing'
import type { FaultAction } from './faults.js'
import {
  type BrokerMessage,
  type BrokerProcessConfig,
  type BrokerRequest,
  type ClusterSnapshot,
  NULL_MARK,
  type StoredRecords,
} from './protocol.js'

// The broker side of the chaos suite, in its own process: a MockCluster on fixed ports, driven by
// the harness over the fork IPC channel. It exits when the harness goes away (the channel closes),
// so a killed or crashed harness never leaves it behind.

const config = JSON.parse(process.argv[2] ?? '{}') as BrokerProcessConfig

function send(message: BrokerMessage): void {
  process.send?.(message)
}

process.on('disconnect', () => process.exit(0))

const warnings = new Map<string, number>()
const requests = new Map<string, number>()

let cluster: MockCluster
try {
  cluster = await MockCluster.start({
    brokers: config.brokers,
    ports: config.ports,
    topics: [{ name: config.topic, partitions: config.partitions, replicationFactor: config.brokers }],
    autoCreateTopics: false,
    logger: {
      info: () => {},
      warn: (message) => {
        const kind = message.replace(/\d+(\.\d+)*(:\d+)?/g, '#')
        warnings.set(kind, (warnings.get(kind) ?? 0) + 1)
      },
    },
  })
} catch (error) {
  const e = error as NodeJS.ErrnoException
  send({ type: 'start-failed', error: String(e?.stack ?? e), addressInUse: e?.code === 'EADDRINUSE' })
  process.exit(1)
}
cluster.on('request', (entry) => requests.set(entry.apiName, (requests.get(entry.apiName) ?? 0) + 1))

/** Brokers this process stopped and has not started again. */
const stopped = new Set<number>()

async function apply(action: FaultAction): Promise<void> {
  switch (action.op) {
    case 'failNext':
      cluster.failNext(action.api, {
        errorCode: action.errorCode,
        count: action.count,
        ...(action.partition === undefined ? {} : { topic: config.topic, partition: action.partition }),
        ...(action.brokerId === undefined ? {} : { brokerId: action.brokerId }),
      })
      return
    case 'clearFailures':
      cluster.clearFailures()
      return
    case 'setLatency':
      cluster.setLatency(action.brokerId, action.ms)
      return
    case 'dropConnections':
      cluster.dropConnections(action.brokerId)
      return
    case 'moveLeader':
      cluster.moveLeader(config.topic, action.partition, action.brokerId)
      return
    case 'stopBroker':
      stopped.add(action.brokerId)
      await cluster.stopBroker(action.brokerId)
      return
    case 'startBroker':
      stopped.delete(action.brokerId)
      await cluster.startBroker(action.brokerId)
      return
  }
}

async function heal(): Promise<void> {
  cluster.clearFailures()
  for (let b = 1; b <= config.brokers; b++) cluster.setLatency(b, 0)
  for (const b of [...stopped]) {
    stopped.delete(b)
    await cluster.startBroker(b)
  }
}

function snapshot(): ClusterSnapshot {
  const leaders: number[] = []
  const endOffsets: number[] = []
  for (let p = 0; p < config.partitions; p++) {
    leaders.push(cluster.leaderOf(config.topic, p))
    endOffsets.push(Number(cluster.endOffset(config.topic, p)))
  }
  return {
    leaders,
    endOffsets,
    running: cluster.brokers.map((b) => b.running),
    requests: Object.fromEntries(requests),
    warnings: Object.fromEntries(warnings),
  }
}

function records(): StoredRecords {
  const all = cluster.records(config.topic)
  const partition = new Int32Array(all.length)
  const offset = new Float64Array(all.length)
  const epoch = new Int16Array(all.length)
  const sequence = new Int32Array(all.length)
  const keys: string[] = new Array(all.length)
  const values: string[] = new Array(all.length)
  for (let i = 0; i < all.length; i++) {
    const r = all[i] as (typeof all)[number]
    partition[i] = r.partition
    offset[i] = Number(r.offset)
    epoch[i] = r.producerEpoch
    sequence[i] = r.sequence
    keys[i] = r.key === null ? NULL_MARK : r.key.toString('utf8')
    values[i] = r.value === null ? NULL_MARK : r.value.toString('utf8')
  }
  return { partition, offset, epoch, sequence, keys: keys.join('\n'), values: values.join('\n') }
}

/** Requests run one at a time, in the order they came. */
let queue: Promise<void> = Promise.resolve()

process.on('message', (message: BrokerRequest) => {
  queue = queue.then(() => handle(message))
})

async function handle(message: BrokerRequest): Promise<void> {
  try {
    let result: unknown
    switch (message.type) {
      case 'apply':
        for (const action of message.actions) await apply(action)
        break
      case 'heal':
        await heal()
        break
      case 'snapshot':
        result = snapshot()
        break
      case 'records':
        result = records()
        break
      case 'shutdown':
        await cluster.stop()
        process.send?.({ type: 'reply', id: message.id, ok: true } satisfies BrokerMessage, () => process.exit(0))
        return
    }
    send({ type: 'reply', id: message.id, ok: true, result })
  } catch (error) {
    send({ type: 'reply', id: message.id, ok: false, error: String((error as Error)?.stack ?? error) })
  }
}

send({ type: 'ready', bootstrapBrokers: cluster.bootstrapBrokers })
