import {
  type ApiDefinition,
  Connection,
  type FetchRequest,
  type FetchResponse,
  fetch,
  type ProduceRequest,
  type ProduceResponse,
  produce,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it } from 'vitest'
import type { MockCluster } from '../src/index.js'
import { rawBatch } from './record-bytes.js'

// A long-polling Fetch must not outlive what it waits for: it stops waiting when its connection
// closes, and leaves no timer behind on the partitions that did not wake it. A hostile maxWaitMs
// (beyond what setTimeout can hold) must not make it spin.

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

async function settle(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (check()) return true
    await new Promise((r) => setImmediate(r))
  }
  return check()
}

function fetchRequest(maxWaitMs: number, partitions: number[]): FetchRequest {
  return {
    replicaId: -1,
    maxWaitMs,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: 't',
        partitions: partitions.map((partition) => ({
          partition,
          currentLeaderEpoch: -1,
          fetchOffset: 0n,
          logStartOffset: -1n,
          partitionMaxBytes: 1 << 20,
        })),
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  }
}

describe('Fetch long polling', () => {
  const { start, defer } = useHarness()

  async function connect(c: MockCluster): Promise<Connection> {
    const broker = c.brokers[0]
    if (broker === undefined) throw new Error('no broker')
    const conn = await Connection.connect({
      host: broker.host,
      port: broker.port,
      clientId: 'fetch',
      requestTimeoutMs: 60_000,
    })
    defer(() => conn.close())
    return conn
  }

  function fetchArrived(c: MockCluster): Promise<void> {
    return new Promise((resolve) => c.on('request', (r) => r.apiName === 'Fetch' && resolve()))
  }

  it('stops waiting when the fetching connection closes, even with a maxWaitMs past what a timer holds', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    const conn = await connect(c)
    const baseline = timers()
    const arrived = fetchArrived(c)
    const pending = conn
      .send(fetch as ApiDefinition<FetchRequest, FetchResponse>, 12, fetchRequest(0x7fffffff, [0]))
      .catch(() => 'closed')
    await arrived
    await conn.close()
    expect(await pending).toBe('closed')
    expect(await settle(() => timers() <= baseline)).toBe(true)
  })

  it('leaves no timer on the partitions that did not wake it', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 3 }] })
    const fetcher = await connect(c)
    const producer = await connect(c)
    const baseline = timers()
    const arrived = fetchArrived(c)
    const answer = fetcher.send(
      fetch as ApiDefinition<FetchRequest, FetchResponse>,
      12,
      fetchRequest(600_000, [0, 1, 2]),
    )
    await arrived
    const produced = await producer.send(produce as ApiDefinition<ProduceRequest, ProduceResponse>, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: [{ index: 1, records: rawBatch() }] }],
    })
    expect(produced.responses[0]?.partitionResponses[0]?.errorCode).toBe(0)
    const response = await answer
    expect(response.responses[0]?.partitions.map((p) => p.records?.length ?? 0).filter((n) => n > 0)).toHaveLength(1)
    expect(await settle(() => timers() <= baseline)).toBe(true)
  })
})
