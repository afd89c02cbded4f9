import {
  type ApiDefinition,
  type Connection,
  ErrorCodes,
  encodeRecordBatch,
  type FetchRequest,
  type FetchRequestFetchPartition,
  type FetchResponse,
  type FetchResponsePartitionData,
  fetch,
  splitRecordBatches,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { afterEach, describe, expect, it } from 'vitest'
import type { MockCluster } from '../src/index.js'
import { Connections, produceOne } from './helpers.js'

// Fetch as Kafka's ReplicaManager.readFromLog serves it: the request's max_bytes and each
// partition's partition_max_bytes, the first batch of the first non-empty partition whole (KIP-74),
// byte slices that may end inside a batch, offsets out of range, topic ids, leader epochs.

const fetchApi = fetch as ApiDefinition<FetchRequest, FetchResponse>
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/** A batch of `count` records with `size`-byte values. */
function sizedBatch(count: number, size: number, tag = 'v'): Promise<Buffer> {
  return encodeRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({
      value: Buffer.alloc(size, `${tag}${i}`),
      timestamp: 1_700_000_000_000n + BigInt(i),
    })),
  })
}

interface Wanted {
  partition: number
  offset?: bigint
  maxBytes?: number
  leaderEpoch?: number
}

function request(
  topic: { name?: string; id?: string },
  wanted: Wanted[],
  extra: Partial<FetchRequest> = {},
): FetchRequest {
  return {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: topic.name ?? '',
        topicId: topic.id ?? ZERO_UUID,
        partitions: wanted.map(
          (w): FetchRequestFetchPartition => ({
            partition: w.partition,
            currentLeaderEpoch: w.leaderEpoch ?? -1,
            fetchOffset: w.offset ?? 0n,
            logStartOffset: -1n,
            partitionMaxBytes: w.maxBytes ?? 1 << 20,
          }),
        ),
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
    ...extra,
  }
}

const records = (p: FetchResponsePartitionData | undefined): Buffer => (p?.records ?? Buffer.alloc(0)) as Buffer

describe('Fetch limits and errors', () => {
  const { start } = useHarness()
  const connections = new Connections()
  afterEach(() => connections.closeAll())

  async function setup(partitions = 2): Promise<{ c: MockCluster; conn: Connection }> {
    const c = await start({ topics: [{ name: 't', partitions }] })
    return { c, conn: await connections.to(c) }
  }

  it('returns the first batch of the first non-empty partition whole although it is larger than both limits, and nothing of the next partition', async () => {
    const { c, conn } = await setup()
    const big = await sizedBatch(4, 500)
    await produceOne(conn, 't', 0, big)
    await produceOne(conn, 't', 1, await sizedBatch(4, 500, 'w'))
    const response = await conn.send(
      fetchApi,
      12,
      request({ name: 't' }, [
        { partition: 0, maxBytes: 100 },
        { partition: 1, maxBytes: 100 },
      ]),
    )
    const [p0, p1] = response.responses[0]?.partitions ?? []
    expect(records(p0)).toHaveLength(big.length)
    expect(c.batches('t', 0)[0]?.bytes.equals(records(p0))).toBe(true)
    // Once one partition returned data, the limits hold: a first batch that does not fit is not sent.
    expect(p1?.errorCode).toBe(ErrorCodes.NONE)
    expect(records(p1)).toHaveLength(0)
    expect(p1?.highWatermark).toBe(4n)
  })

  it('cuts a partition at partition_max_bytes inside a batch, as Kafka slices its log', async () => {
    const { c, conn } = await setup(1)
    for (const tag of ['a', 'b', 'c']) await produceOne(conn, 't', 0, await sizedBatch(2, 200, tag))
    const first = c.batches('t', 0)[0]?.bytes as Buffer
    const second = c.batches('t', 0)[1]?.bytes as Buffer
    const limit = first.length + 25
    const response = await conn.send(fetchApi, 12, request({ name: 't' }, [{ partition: 0, maxBytes: limit }]))
    const bytes = records(response.responses[0]?.partitions[0])
    expect(bytes).toHaveLength(limit)
    expect(bytes.subarray(0, first.length).equals(first)).toBe(true)
    expect(bytes.subarray(first.length).equals(second.subarray(0, 25))).toBe(true)
    // A client decodes the whole batches and drops the cut-off tail.
    expect(splitRecordBatches(bytes, { allowPartialTail: true })).toHaveLength(1)
  })

  it('shares max_bytes among partitions in the order the request names them', async () => {
    const { conn } = await setup(3)
    const sizes: number[] = []
    for (const p of [0, 1, 2]) {
      const b = await sizedBatch(2, 300, `p${p}`)
      sizes.push(b.length)
      await produceOne(conn, 't', p, b)
      await produceOne(conn, 't', p, b)
    }
    const size = sizes[0] as number
    const ask = (order: number[]) =>
      conn.send(
        fetchApi,
        12,
        request(
          { name: 't' },
          order.map((partition) => ({ partition })),
          { maxBytes: 3 * size + 10 },
        ),
      )
    // The first partition takes what it has, the second the rest (cut), the third nothing.
    const forward = await ask([0, 1, 2])
    expect(forward.responses[0]?.partitions.map((p) => [p.partitionIndex, records(p).length])).toEqual([
      [0, 2 * size],
      [1, size + 10],
      [2, 0],
    ])
    const backward = await ask([2, 1, 0])
    expect(backward.responses[0]?.partitions.map((p) => [p.partitionIndex, records(p).length])).toEqual([
      [2, 2 * size],
      [1, size + 10],
      [0, 0],
    ])
  })

  it('answers OFFSET_OUT_OF_RANGE for an offset past the log end or below the log start, without offsets', async () => {
    const { c, conn } = await setup(1)
    await produceOne(conn, 't', 0, await sizedBatch(5, 10))
    const past = await conn.send(fetchApi, 12, request({ name: 't' }, [{ partition: 0, offset: 6n }]))
    expect(past.responses[0]?.partitions[0]).toMatchObject({
      errorCode: ErrorCodes.OFFSET_OUT_OF_RANGE,
      highWatermark: -1n,
      lastStableOffset: -1n,
      logStartOffset: -1n,
    })
    // The log end itself is in range: nothing to read yet.
    const atEnd = await conn.send(fetchApi, 12, request({ name: 't' }, [{ partition: 0, offset: 5n }]))
    expect(atEnd.responses[0]?.partitions[0]).toMatchObject({ errorCode: 0, highWatermark: 5n })
    c.deleteRecords('t', 0, 3n)
    const below = await conn.send(fetchApi, 12, request({ name: 't' }, [{ partition: 0, offset: 2n }]))
    expect(below.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCodes.OFFSET_OUT_OF_RANGE)
    const from = await conn.send(fetchApi, 12, request({ name: 't' }, [{ partition: 0, offset: 3n }]))
    expect(from.responses[0]?.partitions[0]).toMatchObject({ errorCode: 0, logStartOffset: 3n, highWatermark: 5n })
  })

  it('answers UNKNOWN_TOPIC_ID for a topic id it does not know (v13+), after the partitions it could read', async () => {
    const { c, conn } = await setup(1)
    await produceOne(conn, 't', 0, await sizedBatch(1, 10))
    const known = c.topicId('t')
    const response = await conn.send(fetchApi, 13, {
      ...request({ id: known }, [{ partition: 0 }]),
      topics: [
        { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1000 }] },
        { topicId: known, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1000 }] },
      ],
    })
    expect(response.responses.map((t) => [t.topicId, t.partitions[0]?.errorCode])).toEqual([
      [known, 0],
      ['AAAAAAAAAAAAAAAAAAAAAQ', ErrorCodes.UNKNOWN_TOPIC_ID],
    ])
    // Before topic ids, an unknown name is UNKNOWN_TOPIC_OR_PARTITION.
    const byName = await conn.send(fetchApi, 12, request({ name: 'nope' }, [{ partition: 0 }]))
    expect(byName.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)
  })

  it('fences an older leader epoch, refuses a newer one, and names the new leader when leadership moved (v16)', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 1, replicationFactor: 2 }] })
    const leader = c.leaderOf('t', 0)
    const other = leader === 1 ? 2 : 1
    const conn = await connections.to(c, leader)
    await produceOne(conn, 't', 0, await sizedBatch(1, 10))
    c.moveLeader('t', 0, other)
    c.moveLeader('t', 0, leader)
    // Epoch 2 now; the leader answers by epoch.
    const ask = (epoch: number, version = 12) =>
      conn.send(fetchApi, version, request({ name: 't', id: c.topicId('t') }, [{ partition: 0, leaderEpoch: epoch }]))
    expect((await ask(1)).responses[0]?.partitions[0]?.errorCode).toBe(ErrorCodes.FENCED_LEADER_EPOCH)
    expect((await ask(3)).responses[0]?.partitions[0]?.errorCode).toBe(ErrorCodes.UNKNOWN_LEADER_EPOCH)
    expect((await ask(2)).responses[0]?.partitions[0]?.errorCode).toBe(0)
    c.moveLeader('t', 0, other)
    const moved = await ask(3, 16)
    expect(moved.responses[0]?.partitions[0]).toMatchObject({
      errorCode: ErrorCodes.NOT_LEADER_OR_FOLLOWER,
      currentLeader: { leaderId: other, leaderEpoch: 3 },
    })
    const broker = c.brokers.find((b) => b.nodeId === other)
    expect(moved.nodeEndpoints).toEqual([{ nodeId: other, host: broker?.host, port: broker?.port, rack: null }])
  })
})
