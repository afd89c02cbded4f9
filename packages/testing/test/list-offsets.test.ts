import {
  type ApiDefinition,
  type Connection,
  ErrorCodes,
  encodeRecordBatch,
  type ListOffsetsRequest,
  type ListOffsetsRequestListOffsetsPartition,
  type ListOffsetsResponse,
  listOffsets,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MockCluster } from '../src/index.js'
import { Connections, produceOne } from './helpers.js'

// ListOffsets as Kafka's leader answers it (Partition.fetchOffsetForTimestamp,
// UnifiedLog.fetchOffsetByTimestamp, FileRecords.searchForTimestamp), over real sockets.

const listOffsetsApi = listOffsets as ApiDefinition<ListOffsetsRequest, ListOffsetsResponse>

/** A batch whose records carry these timestamps. */
const timed = (...timestamps: number[]) =>
  encodeRecordBatch({ records: timestamps.map((t, i) => ({ value: Buffer.from(`r${i}`), timestamp: BigInt(t) })) })

function ask(
  conn: Connection,
  partitions: Array<Partial<ListOffsetsRequestListOffsetsPartition> & { timestamp: bigint }>,
  options: { version?: number; isolationLevel?: number; topic?: string } = {},
) {
  return conn.send(listOffsetsApi, options.version ?? 9, {
    replicaId: -1,
    isolationLevel: options.isolationLevel ?? 0,
    topics: [
      {
        name: options.topic ?? 't',
        partitions: partitions.map((p) => ({ partitionIndex: 0, currentLeaderEpoch: -1, ...p })),
      },
    ],
  })
}

async function one(
  conn: Connection,
  timestamp: bigint,
  options: { version?: number; isolationLevel?: number; partition?: number; leaderEpoch?: number } = {},
) {
  const response = await ask(
    conn,
    [{ timestamp, partitionIndex: options.partition ?? 0, currentLeaderEpoch: options.leaderEpoch ?? -1 }],
    options,
  )
  const p = response.topics[0]?.partitions[0]
  return { errorCode: p?.errorCode, offset: p?.offset, timestamp: p?.timestamp, leaderEpoch: p?.leaderEpoch }
}

describe('ListOffsets', () => {
  const { start, producer } = useHarness()
  const connections = new Connections()
  afterEach(async () => {
    vi.useRealTimers()
    await connections.closeAll()
  })

  async function setup(options: Parameters<typeof start>[0] = {}): Promise<{ c: MockCluster; conn: Connection }> {
    const c = await start({ topics: [{ name: 't', partitions: 2 }], ...options })
    return { c, conn: await connections.to(c) }
  }

  it('finds the first record whose timestamp reaches the target, inside the first batch whose maximum does', async () => {
    const { conn } = await setup()
    await produceOne(conn, 't', 0, await timed(1000, 2000, 3000)) // offsets 0-2
    await produceOne(conn, 't', 0, await timed(2500, 4000)) // offsets 3-4
    expect(await one(conn, 0n)).toMatchObject({ offset: 0n, timestamp: 1000n })
    expect(await one(conn, 1500n)).toMatchObject({ offset: 1n, timestamp: 2000n })
    // Kafka stops in the first batch whose maximum reaches 2500: offset 2 (3000), not offset 3 (2500).
    expect(await one(conn, 2500n)).toMatchObject({ offset: 2n, timestamp: 3000n })
    expect(await one(conn, 3500n)).toMatchObject({ offset: 4n, timestamp: 4000n })
    expect(await one(conn, 4001n)).toMatchObject({ errorCode: 0, offset: -1n, timestamp: -1n, leaderEpoch: -1 })
  })

  it('answers the first record with the largest timestamp for max-timestamp (-3) from v7, and UNSUPPORTED_VERSION before', async () => {
    const { conn } = await setup()
    expect(await one(conn, -3n)).toMatchObject({ errorCode: 0, offset: -1n, timestamp: -1n })
    await produceOne(conn, 't', 0, await timed(10, 50, 50, 20))
    await produceOne(conn, 't', 0, await timed(30))
    expect(await one(conn, -3n)).toMatchObject({ offset: 1n, timestamp: 50n, leaderEpoch: 0 })
    expect(await one(conn, -3n, { version: 6 })).toMatchObject({
      errorCode: ErrorCodes.UNSUPPORTED_VERSION,
      offset: -1n,
    })
    // Earliest-local (-4, v8+) is the log start without tiered storage; latest-tiered (-5, v9+) is -1.
    expect(await one(conn, -4n)).toMatchObject({ offset: 0n })
    expect(await one(conn, -5n)).toMatchObject({ errorCode: 0, offset: -1n })
    expect(await one(conn, -5n, { version: 8 })).toMatchObject({ errorCode: ErrorCodes.UNSUPPORTED_VERSION })
  })

  it('stamps batches of a LogAppendTime topic with the broker clock and looks timestamps up by it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { c, conn } = await setup({ topics: [{ name: 't', configs: { 'message.timestamp.type': 'LogAppendTime' } }] })
    vi.setSystemTime(5_000)
    const first = await produceOne(conn, 't', 0, await timed(1, 2))
    vi.setSystemTime(9_000)
    const second = await produceOne(conn, 't', 0, await timed(3, 4))
    expect([first.logAppendTimeMs, second.logAppendTimeMs]).toEqual([5_000n, 9_000n])
    expect(c.records('t').map((r) => [r.offset, r.timestamp])).toEqual([
      [0n, 5_000n],
      [1n, 5_000n],
      [2n, 9_000n],
      [3n, 9_000n],
    ])
    expect(await one(conn, 6_000n)).toMatchObject({ offset: 2n, timestamp: 9_000n })
    expect(await one(conn, 5_000n)).toMatchObject({ offset: 0n, timestamp: 5_000n })
    expect(await one(conn, -3n)).toMatchObject({ offset: 2n, timestamp: 9_000n })
  })

  it('answers latest with the last stable offset for read_committed while a transaction is open', async () => {
    const { c, conn } = await setup()
    await produceOne(conn, 't', 0, await timed(1, 2))
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers, transactionalId: 'lso', lingerMs: 0 })
    await p.connect()
    await p.transaction(async (tx) => {
      await tx.send({ topic: 't', value: 'open', partition: 0, timestamp: 10n })
      expect(await one(conn, -1n, { isolationLevel: 0 })).toMatchObject({ offset: 3n })
      expect(await one(conn, -1n, { isolationLevel: 1 })).toMatchObject({ offset: 2n })
      // A record past the last stable offset is not found for read_committed.
      expect(await one(conn, 5n, { isolationLevel: 1 })).toMatchObject({ offset: -1n })
      expect(await one(conn, 5n, { isolationLevel: 0 })).toMatchObject({ offset: 2n, timestamp: 10n })
    })
    expect(await one(conn, -1n, { isolationLevel: 1 })).toMatchObject({ offset: 4n })
  })

  it('answers the leader epoch of the record found from v4, and the current epoch for latest', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 1, replicationFactor: 2 }] })
    const leader = c.leaderOf('t', 0)
    const other = leader === 1 ? 2 : 1
    const conn = await connections.to(c, leader)
    await produceOne(conn, 't', 0, await timed(100))
    c.moveLeader('t', 0, other)
    c.moveLeader('t', 0, leader)
    await produceOne(conn, 't', 0, await timed(200))
    expect(await one(conn, 150n)).toMatchObject({ offset: 1n, leaderEpoch: 2 })
    expect(await one(conn, 50n)).toMatchObject({ offset: 0n, leaderEpoch: 0 })
    expect(await one(conn, -2n)).toMatchObject({ offset: 0n, leaderEpoch: 0 })
    expect(await one(conn, -1n)).toMatchObject({ offset: 2n, leaderEpoch: 2 })
    expect(await one(conn, 50n, { version: 3 })).toMatchObject({ offset: 0n, leaderEpoch: -1 })
    // Earliest follows DeleteRecords, with the epoch of the batch now first.
    c.deleteRecords('t', 0, 1n)
    expect(await one(conn, -2n)).toMatchObject({ offset: 1n, leaderEpoch: 2 })
    expect(await one(conn, 50n)).toMatchObject({ offset: 1n, timestamp: 200n })
  })

  it('answers INVALID_REQUEST for a partition named twice, and the partition and leadership errors Kafka answers', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 2, replicationFactor: 2 }] })
    const conn = await connections.to(c, c.leaderOf('t', 0))
    await produceOne(conn, 't', 0, await timed(1))
    const twice = await ask(conn, [
      { partitionIndex: 0, timestamp: -1n },
      { partitionIndex: 0, timestamp: -2n },
    ])
    expect(twice.topics[0]?.partitions).toEqual([
      expect.objectContaining({ partitionIndex: 0, errorCode: ErrorCodes.INVALID_REQUEST, offset: -1n }),
    ])
    expect(await one(conn, -1n, { partition: 7 })).toMatchObject({ errorCode: ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION })
    expect(await one(conn, -1n, { partition: 1 })).toMatchObject({ errorCode: ErrorCodes.NOT_LEADER_OR_FOLLOWER })
    c.moveLeader('t', 0, c.leaderOf('t', 1))
    const stale = await connections.to(c, c.leaderOf('t', 0))
    expect(await one(stale, -1n, { leaderEpoch: 0 })).toMatchObject({ errorCode: ErrorCodes.FENCED_LEADER_EPOCH })
    expect(await one(stale, -1n, { leaderEpoch: 2 })).toMatchObject({ errorCode: ErrorCodes.UNKNOWN_LEADER_EPOCH })
    expect(await one(stale, -1n, { leaderEpoch: 1 })).toMatchObject({ errorCode: 0, offset: 1n, leaderEpoch: 1 })
  })
})
