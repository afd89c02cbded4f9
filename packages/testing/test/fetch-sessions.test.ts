import { Consumer } from '@platformatic/kafka'
import {
  type ApiDefinition,
  type Connection,
  ErrorCodes,
  encodeRecordBatch,
  type FetchRequest,
  type FetchRequestForgottenTopic,
  type FetchResponse,
  fetch,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MockCluster } from '../src/index.js'
import { Connections, produceOne } from './helpers.js'

// Fetch sessions (KIP-227) as a Kafka broker keeps them, over real sockets with core's codecs:
// epoch 0 opens a session, incremental fetches carry the session id and the next epoch and get only
// the partitions with news, forgotten partitions leave it, errors for unknown sessions and wrong
// epochs, and a cache bounded like max.incremental.fetch.session.cache.slots (8 shards). The
// @platformatic/kafka consumer asks for a session on every fetch (epoch 0): it must be served either way.

const fetchApi = fetch as ApiDefinition<FetchRequest, FetchResponse>

interface Part {
  partition: number
  offset: bigint
}

function sessionFetch(
  session: { id: number; epoch: number },
  topic: string,
  parts: Part[],
  forgotten: FetchRequestForgottenTopic[] = [],
): FetchRequest {
  return {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: session.id,
    sessionEpoch: session.epoch,
    topics:
      parts.length === 0
        ? []
        : [
            {
              topic,
              partitions: parts.map((p) => ({
                partition: p.partition,
                currentLeaderEpoch: -1,
                fetchOffset: p.offset,
                logStartOffset: -1n,
                partitionMaxBytes: 1 << 20,
              })),
            },
          ],
    forgottenTopicsData: forgotten,
    rackId: '',
  }
}

const answered = (r: FetchResponse) =>
  r.responses.flatMap((t) => t.partitions.map((p) => [p.partitionIndex, p.records?.length ?? 0, p.highWatermark]))

const oneRecord = (value: string) => encodeRecordBatch({ records: [{ value: Buffer.from(value), timestamp: 1n }] })

describe('Fetch sessions', () => {
  const { start } = useHarness()
  const connections = new Connections()
  afterEach(async () => {
    vi.useRealTimers()
    await connections.closeAll()
  })

  async function setup(
    options: { fetchSessionCacheSlots?: number } = {},
  ): Promise<{ c: MockCluster; conn: Connection }> {
    const c = await start({ topics: [{ name: 't', partitions: 3 }], ...options })
    return { c, conn: await connections.to(c) }
  }

  it('opens a session on a full fetch with epoch 0, then answers incremental fetches with only the partitions that changed', async () => {
    const { c, conn } = await setup()
    await produceOne(conn, 't', 0, await oneRecord('a'))
    await produceOne(conn, 't', 1, await oneRecord('b'))
    const all = [0, 1, 2].map((partition) => ({ partition, offset: 0n }))
    const full = await conn.send(fetchApi, 12, sessionFetch({ id: 0, epoch: 0 }, 't', all))
    expect(full.errorCode).toBe(0)
    expect(full.sessionId).toBeGreaterThan(0)
    expect(answered(full).map(([p]) => p)).toEqual([0, 1, 2])
    const id = full.sessionId as number
    expect(c.fetchSessions(1)).toEqual([
      {
        sessionId: id,
        epoch: 1,
        partitions: [0, 1, 2].map((partition) => ({ topic: 't', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partition })),
      },
    ])

    // The client moved past what it read: nothing changed, so nothing is answered.
    const quiet = await conn.send(
      fetchApi,
      12,
      sessionFetch({ id, epoch: 1 }, 't', [
        { partition: 0, offset: 1n },
        { partition: 1, offset: 1n },
      ]),
    )
    expect(quiet).toMatchObject({ errorCode: 0, sessionId: id, responses: [] })

    // New records on partition 2 only: an empty incremental request gets partition 2 alone.
    await produceOne(conn, 't', 2, await oneRecord('c'))
    const news = await conn.send(fetchApi, 12, sessionFetch({ id, epoch: 2 }, 't', []))
    expect(answered(news)).toEqual([[2, expect.any(Number), 1n]])
    expect(news.responses[0]?.partitions[0]?.records?.length).toBeGreaterThan(0)
    // Partitions that returned records move to the end of the session (fair to the others, KIP-74).
    expect(c.fetchSessions(1)[0]?.partitions.map((p) => p.partition)).toEqual([0, 1, 2])
    expect(c.fetchSessions(1)[0]?.epoch).toBe(3)

    // A new high watermark is news even when the session's offset reads nothing yet.
    await produceOne(conn, 't', 0, await oneRecord('d'))
    const moved = await conn.send(fetchApi, 12, sessionFetch({ id, epoch: 3 }, 't', [{ partition: 2, offset: 1n }]))
    expect(answered(moved)).toEqual([[0, expect.any(Number), 2n]])
  })

  it('drops forgotten partitions, and closes the session when none is left', async () => {
    const { c, conn } = await setup()
    const full = await conn.send(
      fetchApi,
      12,
      sessionFetch(
        { id: 0, epoch: 0 },
        't',
        [0, 1, 2].map((partition) => ({ partition, offset: 0n })),
      ),
    )
    const id = full.sessionId as number
    await conn.send(fetchApi, 12, sessionFetch({ id, epoch: 1 }, 't', [], [{ topic: 't', partitions: [1] }]))
    expect(c.fetchSessions(1)[0]?.partitions.map((p) => p.partition)).toEqual([0, 2])
    const last = await conn.send(
      fetchApi,
      12,
      sessionFetch({ id, epoch: 2 }, 't', [], [{ topic: 't', partitions: [0, 2] }]),
    )
    expect(last).toMatchObject({ errorCode: 0, sessionId: 0, responses: [] })
    expect(c.fetchSessions(1)).toEqual([])
  })

  it('answers FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH and FETCH_SESSION_TOPIC_ID_ERROR without reading anything', async () => {
    const { c, conn } = await setup()
    await produceOne(conn, 't', 0, await oneRecord('a'))
    const full = await conn.send(fetchApi, 12, sessionFetch({ id: 0, epoch: 0 }, 't', [{ partition: 0, offset: 0n }]))
    const id = full.sessionId as number
    const unknown = await conn.send(fetchApi, 12, sessionFetch({ id: id + 1, epoch: 1 }, 't', []))
    expect(unknown).toMatchObject({ errorCode: ErrorCodes.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] })
    const skipped = await conn.send(fetchApi, 12, sessionFetch({ id, epoch: 2 }, 't', []))
    expect(skipped).toMatchObject({ errorCode: ErrorCodes.INVALID_FETCH_SESSION_EPOCH, sessionId: 0, responses: [] })
    // A session opened with topic names cannot go on with topic ids (v13+).
    const byId = await conn.send(fetchApi, 13, { ...sessionFetch({ id, epoch: 1 }, 't', []), topics: [] })
    expect(byId.errorCode).toBe(ErrorCodes.FETCH_SESSION_TOPIC_ID_ERROR)
    // None of these moved the session on.
    expect(c.fetchSessions(1)[0]?.epoch).toBe(1)
    const good = await conn.send(fetchApi, 12, sessionFetch({ id, epoch: 1 }, 't', []))
    expect(good).toMatchObject({ errorCode: 0, sessionId: id })
    const repeated = await conn.send(fetchApi, 12, sessionFetch({ id, epoch: 1 }, 't', []))
    expect(repeated.errorCode).toBe(ErrorCodes.INVALID_FETCH_SESSION_EPOCH)
  })

  it('closes a session named by a full fetch, opening none for epoch -1 and a new one for epoch 0', async () => {
    const { c, conn } = await setup()
    const parts = [{ partition: 0, offset: 0n }]
    const first = await conn.send(fetchApi, 12, sessionFetch({ id: 0, epoch: 0 }, 't', parts))
    const closing = await conn.send(
      fetchApi,
      12,
      sessionFetch({ id: first.sessionId as number, epoch: -1 }, 't', parts),
    )
    expect(closing.sessionId).toBe(0)
    expect(answered(closing).map(([p]) => p)).toEqual([0])
    expect(c.fetchSessions(1)).toEqual([])
    const second = await conn.send(fetchApi, 12, sessionFetch({ id: 0, epoch: 0 }, 't', parts))
    const replaced = await conn.send(
      fetchApi,
      12,
      sessionFetch({ id: second.sessionId as number, epoch: 0 }, 't', parts),
    )
    expect(replaced.sessionId).not.toBe(second.sessionId)
    expect(c.fetchSessions(1).map((s) => s.sessionId)).toEqual([replaced.sessionId])
  })

  it('keeps sessions by topic id from v13 and answers UNKNOWN_TOPIC_ID for an id it does not know', async () => {
    const { c, conn } = await setup()
    await produceOne(conn, 't', 1, await oneRecord('a'))
    const topicId = c.topicId('t')
    const request = sessionFetch({ id: 0, epoch: 0 }, 't', [])
    const full = await conn.send(fetchApi, 13, {
      ...request,
      topics: [
        { topicId, partitions: [{ partition: 1, fetchOffset: 0n, partitionMaxBytes: 1000 }] },
        { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1000 }] },
      ],
    })
    expect(full.responses.map((t) => [t.topicId, t.partitions[0]?.errorCode])).toEqual([
      [topicId, 0],
      ['AAAAAAAAAAAAAAAAAAAAAQ', ErrorCodes.UNKNOWN_TOPIC_ID],
    ])
    expect(c.fetchSessions(1)[0]?.partitions).toEqual([
      { topic: 't', topicId, partition: 1 },
      { topic: undefined, topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partition: 0 },
    ])
    // Errors are news every time; a partition that is not, is left out.
    const next = await conn.send(fetchApi, 13, {
      ...sessionFetch({ id: full.sessionId as number, epoch: 1 }, 't', []),
      topics: [{ topicId, partitions: [{ partition: 1, fetchOffset: 1n, partitionMaxBytes: 1000 }] }],
    })
    expect(next.responses.map((t) => [t.topicId, t.partitions[0]?.errorCode])).toEqual([
      ['AAAAAAAAAAAAAAAAAAAAAQ', ErrorCodes.UNKNOWN_TOPIC_ID],
    ])
  })

  it('bounds the cache as Kafka does: 8 shards of slots/8 sessions, a full cache answers session id 0, and a session unused for 120 s yields its slot', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { c, conn } = await setup({ fetchSessionCacheSlots: 16 })
    const parts = [{ partition: 0, offset: 0n }]
    const ids: number[] = []
    for (let i = 0; i < 17; i++) {
      ids.push((await conn.send(fetchApi, 12, sessionFetch({ id: 0, epoch: 0 }, 't', parts))).sessionId as number)
    }
    expect(ids.slice(0, 16).every((id) => id > 0)).toBe(true)
    expect(new Set(ids.slice(0, 16)).size).toBe(16)
    // Two per shard, filled round-robin: the 17th finds its shard full of sessions too young to evict.
    expect(ids[16]).toBe(0)
    expect(c.fetchSessions(1)).toHaveLength(16)
    vi.setSystemTime(Date.now() + 120_001)
    const after = (await conn.send(fetchApi, 12, sessionFetch({ id: 0, epoch: 0 }, 't', parts))).sessionId as number
    expect(after).toBeGreaterThan(0)
    expect(c.fetchSessions(1)).toHaveLength(16)
    // The stale session it replaced is gone.
    const evicted = ids.find((id) => !c.fetchSessions(1).some((s) => s.sessionId === id)) as number
    const gone = await conn.send(fetchApi, 12, sessionFetch({ id: evicted, epoch: 1 }, 't', []))
    expect(gone.errorCode).toBe(ErrorCodes.FETCH_SESSION_ID_NOT_FOUND)
  })

  it('declines every session with zero slots, as a Kafka broker with max.incremental.fetch.session.cache.slots=0 does', async () => {
    const { c, conn } = await setup({ fetchSessionCacheSlots: 0 })
    await produceOne(conn, 't', 0, await oneRecord('a'))
    const full = await conn.send(fetchApi, 12, sessionFetch({ id: 0, epoch: 0 }, 't', [{ partition: 0, offset: 0n }]))
    expect(full).toMatchObject({ errorCode: 0, sessionId: 0 })
    expect(answered(full).map(([p, size]) => [p, (size as number) > 0])).toEqual([[0, true]])
    expect(c.fetchSessions(1)).toEqual([])
  })

  it('serves the @platformatic/kafka consumer, which asks for a new session on every fetch, until the cache is full and after', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 1 }], fetchSessionCacheSlots: 8 })
    const conn = await connections.to(c)
    for (let i = 0; i < 12; i++) await produceOne(conn, 't', 0, await oneRecord(`r${i}`))
    const consumer = new Consumer({
      clientId: 'platformatic-session-test',
      groupId: 'unused',
      bootstrapBrokers: c.bootstrapBrokers,
      retries: 0,
    })
    try {
      // platformatic writes topic ids from their UUID text form.
      const hex = Buffer.from(c.topicId('t'), 'base64url').toString('hex')
      const topicId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
      const sessionIds: number[] = []
      const values: string[] = []
      let offset = 0n
      for (let i = 0; i < 12; i++) {
        const response = await consumer.fetch({
          node: c.leaderOf('t', 0),
          maxWaitTime: 0,
          maxBytes: 1 << 20,
          topics: [
            {
              topicId,
              partitions: [
                {
                  partition: 0,
                  currentLeaderEpoch: -1,
                  fetchOffset: offset,
                  lastFetchedEpoch: -1,
                  partitionMaxBytes: 60,
                },
              ],
            },
          ],
        })
        sessionIds.push(response.sessionId)
        const batches = response.responses[0]?.partitions[0]?.records ?? []
        for (const batch of batches) {
          for (const record of batch.records) {
            values.push(String(record.value))
            offset = batch.firstOffset + BigInt(record.offsetDelta) + 1n
          }
        }
      }
      expect(values).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`))
      // One session per fetch while the 8 shards of one slot each have room, then none.
      expect(sessionIds.slice(0, 8).every((id) => id > 0)).toBe(true)
      expect(sessionIds.slice(8)).toEqual([0, 0, 0, 0])
      expect(c.fetchSessions(1)).toHaveLength(8)
      expect(
        c
          .requests()
          .filter((r) => r.apiName === 'Fetch')
          .every((r) => r.apiVersion >= 13),
      ).toBe(true)
    } finally {
      await consumer.close(true)
    }
  })
})
