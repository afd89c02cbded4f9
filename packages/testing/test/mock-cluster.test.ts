import net from 'node:net'
import {
  type ApiDefinition,
  apiVersions,
  ErrorCodes,
  type FetchRequest,
  type FetchResponse,
  fetch,
  initProducerId,
  listOffsets,
  type MetadataRequest,
  type MetadataResponse,
  metadata,
  splitRecordBatches,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { MockCluster } from '../src/index.js'
import { batch, Connections, produceOne } from './helpers.js'

describe('MockCluster', () => {
  const { start, defer } = useHarness()
  const connections = new Connections()
  beforeEach(() => defer(() => connections.closeAll()))

  function metadataOf(c: MockCluster, topics: string[] | null, version = 12) {
    return connections.to(c).then((conn) =>
      conn.send(metadata as ApiDefinition<MetadataRequest, MetadataResponse>, version, {
        topics: topics === null ? null : topics.map((name) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' })),
        allowAutoTopicCreation: true,
        includeTopicAuthorizedOperations: false,
      }),
    )
  }

  it('listens on free loopback ports and lists every broker in metadata', async () => {
    const c = await start({ brokers: 3, topics: [{ name: 'orders', partitions: 6 }] })
    expect(c.bootstrapBrokers).toHaveLength(3)
    for (const address of c.bootstrapBrokers) expect(address).toMatch(/^127\.0\.0\.1:\d+$/)
    const response = await metadataOf(c, null)
    expect(response.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3])
    const topic = response.topics.find((t) => t.name === 'orders')
    expect(topic?.partitions).toHaveLength(6)
    const leaders = new Set(topic?.partitions.map((p) => p.leaderId))
    expect(leaders).toEqual(new Set([1, 2, 3]))
    expect(response.clusterId).toBe('tributary-mock-cluster')
  })

  it('advertises Produce from v0 (KAFKA-18659) and Fetch from v4, as a Kafka 4 broker does', async () => {
    const c = await start()
    const conn = await connections.to(c)
    const response = await conn.send(apiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' })
    const range = (key: number) => response.apiKeys.find((k) => k.apiKey === key)
    expect(range(0)).toMatchObject({ minVersion: 0 })
    expect(range(0)?.maxVersion).toBeGreaterThanOrEqual(9)
    expect(range(1)).toMatchObject({ minVersion: 4 })
    expect(range(18)).toMatchObject({ minVersion: 0 })
    // Advertised only: like Kafka 4, a Produce below v3 (message format v0/v1) closes the connection.
    await expect(produceOne(conn, 't', 0, await batch(['old']), 2)).rejects.toThrow(/closed|failed/)
  })

  it('auto-creates topics named in metadata unless auto-creation is off', async () => {
    const c = await start({ defaultPartitions: 4 })
    const created = await metadataOf(c, ['fresh'])
    expect(created.topics[0]).toMatchObject({ name: 'fresh', errorCode: 0 })
    expect(created.topics[0]?.partitions).toHaveLength(4)
    await c.stop()
    const strict = await start({ autoCreateTopics: false })
    const missing = await metadataOf(strict, ['absent'])
    expect(missing.topics[0]?.errorCode).toBe(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)
  })

  it('assigns consecutive offsets and returns the produced records decoded', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    const conn = await connections.to(c)
    const first = await produceOne(conn, 't', 0, await batch(['a', 'b', 'c'], { key: 'k' }))
    const second = await produceOne(conn, 't', 0, await batch(['d']), 3)
    expect(first).toMatchObject({ errorCode: 0, baseOffset: 0n })
    expect(second).toMatchObject({ errorCode: 0, baseOffset: 3n })
    const records = c.records('t')
    expect(records.map((r) => r.value?.toString())).toEqual(['a', 'b', 'c', 'd'])
    expect(records.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n])
    expect(records[0]?.key?.toString()).toBe('k')
    expect(records[1]?.headers).toEqual([{ key: 'i', value: Buffer.from('1') }])
    expect(records[2]?.timestamp).toBe(1_700_000_000_002n)
  })

  it('sends no response to acks=0 and keeps answering later requests in order', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const conn = await connections.to(c)
    const { produce } = await import('@tributary/core/protocol')
    conn.sendWithoutResponse(produce, 9, {
      transactionalId: null,
      acks: 0,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records: await batch(['fire-and-forget']) }] }],
    })
    const next = await produceOne(conn, 't', 0, await batch(['acked']))
    expect(next.baseOffset).toBe(1n)
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['fire-and-forget', 'acked'])
  })

  it('answers NOT_LEADER_OR_FOLLOWER from a broker that does not lead the partition', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 2 }] })
    const leader = c.leaderOf('t', 0)
    const other = leader === 1 ? 2 : 1
    const conn = await connections.to(c, other)
    const answer = await produceOne(conn, 't', 0, await batch(['x']))
    expect(answer.errorCode).toBe(ErrorCodes.NOT_LEADER_OR_FOLLOWER)
    expect(c.records('t', 0)).toHaveLength(0)
  })

  it('rejects a batch whose CRC does not match with CORRUPT_MESSAGE', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const conn = await connections.to(c)
    const bytes = await batch(['payload'])
    bytes.writeUInt8((bytes.at(-1) as number) ^ 0xff, bytes.length - 1)
    const answer = await produceOne(conn, 't', 0, bytes)
    expect(answer.errorCode).toBe(ErrorCodes.CORRUPT_MESSAGE)
    expect(c.records('t')).toHaveLength(0)
  })

  it('rejects a batch larger than maxMessageBytes with MESSAGE_TOO_LARGE', async () => {
    const c = await start({ topics: [{ name: 't' }], maxMessageBytes: 1000 })
    const conn = await connections.to(c)
    const answer = await produceOne(conn, 't', 0, await batch(['x'.repeat(2000)]))
    expect(answer.errorCode).toBe(ErrorCodes.MESSAGE_TOO_LARGE)
  })

  it('checks idempotent sequences like Kafka: duplicates answer the first offset, gaps are out of order', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const conn = await connections.to(c)
    const init = await conn.send(initProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 60000,
      producerId: -1n,
      producerEpoch: -1,
    })
    expect(init.errorCode).toBe(0)
    const pid = init.producerId
    const epoch = init.producerEpoch
    const first = await produceOne(
      conn,
      't',
      0,
      await batch(['a', 'b'], { producerId: pid, producerEpoch: epoch, baseSequence: 0 }),
    )
    expect(first).toMatchObject({ errorCode: 0, baseOffset: 0n })
    const retried = await produceOne(
      conn,
      't',
      0,
      await batch(['a', 'b'], { producerId: pid, producerEpoch: epoch, baseSequence: 0 }),
    )
    expect(retried).toMatchObject({ errorCode: 0, baseOffset: 0n })
    const gap = await produceOne(
      conn,
      't',
      0,
      await batch(['z'], { producerId: pid, producerEpoch: epoch, baseSequence: 5 }),
    )
    expect(gap.errorCode).toBe(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER)
    const next = await produceOne(
      conn,
      't',
      0,
      await batch(['c'], { producerId: pid, producerEpoch: epoch, baseSequence: 2 }),
    )
    expect(next).toMatchObject({ errorCode: 0, baseOffset: 2n })
    const unknown = await produceOne(
      conn,
      't',
      0,
      await batch(['q'], { producerId: 999_999n, producerEpoch: 0, baseSequence: 7 }),
    )
    expect(unknown.errorCode).toBe(ErrorCodes.UNKNOWN_PRODUCER_ID)
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['a', 'b', 'c'])
  })

  it('answers an old epoch of a bumped producer with INVALID_PRODUCER_EPOCH', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const conn = await connections.to(c)
    const init = await conn.send(initProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 1,
      producerId: -1n,
      producerEpoch: -1,
    })
    const pid = init.producerId
    await produceOne(conn, 't', 0, await batch(['a'], { producerId: pid, producerEpoch: 0, baseSequence: 0 }))
    const bumped = await conn.send(initProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 1,
      producerId: pid,
      producerEpoch: 0,
    })
    expect(bumped).toMatchObject({ producerId: pid, producerEpoch: 1 })
    await produceOne(conn, 't', 0, await batch(['b'], { producerId: pid, producerEpoch: 1, baseSequence: 0 }))
    const stale = await produceOne(
      conn,
      't',
      0,
      await batch(['c'], { producerId: pid, producerEpoch: 0, baseSequence: 1 }),
    )
    expect(stale.errorCode).toBe(ErrorCodes.INVALID_PRODUCER_EPOCH)
  })

  it('fails the next N produce requests for one partition with an injected error', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 2 }] })
    c.failNext('Produce', { errorCode: ErrorCodes.NOT_ENOUGH_REPLICAS, count: 2, topic: 't', partition: 0 })
    const conn = await connections.to(c)
    const other = await produceOne(conn, 't', 1, await batch(['ok']))
    expect(other.errorCode).toBe(0)
    expect((await produceOne(conn, 't', 0, await batch(['x']))).errorCode).toBe(ErrorCodes.NOT_ENOUGH_REPLICAS)
    expect((await produceOne(conn, 't', 0, await batch(['x']))).errorCode).toBe(ErrorCodes.NOT_ENOUGH_REPLICAS)
    expect((await produceOne(conn, 't', 0, await batch(['x']))).errorCode).toBe(0)
  })

  it('fails metadata requests with an injected error code on every topic', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    c.failNext('Metadata', { errorCode: ErrorCodes.LEADER_NOT_AVAILABLE })
    expect((await metadataOf(c, ['t'])).topics[0]?.errorCode).toBe(ErrorCodes.LEADER_NOT_AVAILABLE)
    expect((await metadataOf(c, ['t'])).topics[0]?.errorCode).toBe(0)
  })

  it('rejects failure injection into an API it cannot fail, naming the ones it can', async () => {
    const c = await start()
    expect(() => c.failNext('ApiVersions', { errorCode: 1 })).toThrow(/Produce/)
  })

  it('records every request with its API key and version', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const seen: string[] = []
    c.on('request', (r) => seen.push(`${r.apiName}v${r.apiVersion}`))
    await metadataOf(c, ['t'], 9)
    expect(c.requests().map((r) => [r.apiKey, r.apiVersion, r.clientId])).toEqual([[3, 9, 'mock-test']])
    expect(seen).toEqual(['Metadatav9'])
  })

  it('delays responses by the latency set for a broker', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const conn = await connections.to(c)
    c.setLatency(1, 150)
    const started = performance.now()
    await produceOne(conn, 't', 0, await batch(['slow']))
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('drops open connections on request and accepts new ones', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const conn = await connections.to(c)
    c.dropConnections(1)
    await expect(produceOne(conn, 't', 0, await batch(['x']))).rejects.toThrow(/closed|failed/)
    const again = await connections.to(c)
    expect((await produceOne(again, 't', 0, await batch(['y']))).errorCode).toBe(0)
  })

  it('moves a partition leader so the old leader answers NOT_LEADER_OR_FOLLOWER', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't' }] })
    const oldLeader = c.leaderOf('t', 0)
    const newLeader = oldLeader === 1 ? 2 : 1
    c.moveLeader('t', 0, newLeader)
    const old = await connections.to(c, oldLeader)
    expect((await produceOne(old, 't', 0, await batch(['x']))).errorCode).toBe(ErrorCodes.NOT_LEADER_OR_FOLLOWER)
    const fresh = await connections.to(c, newLeader)
    expect((await produceOne(fresh, 't', 0, await batch(['x']))).errorCode).toBe(0)
    const md = await metadataOf(c, ['t'])
    expect(md.topics[0]?.partitions[0]).toMatchObject({ leaderId: newLeader, leaderEpoch: 1 })
  })

  it('refuses connections while a broker is stopped and serves again on the same port after restart', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 2 }] })
    const port = c.brokers[1]?.port as number
    await c.stopBroker(2)
    await expect(connections.to(c, 2)).rejects.toThrow(/ECONNREFUSED/)
    const md = await metadataOf(c, ['t'])
    expect(md.brokers.map((b) => b.nodeId)).toEqual([1])
    expect(md.topics[0]?.partitions.every((p) => p.leaderId === 1)).toBe(true)
    await c.startBroker(2)
    expect(c.brokers[1]?.port).toBe(port)
    const conn = await connections.to(c, 2)
    expect((await metadataOf(c, ['t'])).brokers).toHaveLength(2)
    expect(conn.open).toBe(true)
  })

  it('closes a connection that sends a malformed frame and keeps serving the others', async () => {
    const warnings: string[] = []
    const c = await start({ topics: [{ name: 't' }], logger: { info: () => {}, warn: (m) => warnings.push(m) } })
    const healthy = await connections.to(c)
    const port = c.brokers[0]?.port as number
    // The client never ends the connection, so its 'close' is the mock closing it (no wall-clock
    // limit: a mock that kept it open would leave the test to its timeout).
    await new Promise<void>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        // A frame of 8 bytes: api key 0x7fff (unknown), version 0, then nothing.
        socket.write(Buffer.from([0, 0, 0, 8, 0x7f, 0xff, 0, 0, 0, 0, 0, 1]))
      })
      socket.on('close', () => resolve())
      socket.on('error', () => {})
    })
    expect(warnings.join('\n')).toMatch(/closing connection/)
    expect((await produceOne(healthy, 't', 0, await batch(['still fine']))).errorCode).toBe(0)
  })

  it('closes a connection that announces a negative frame size', async () => {
    const warnings: string[] = []
    const c = await start({ logger: { info: () => {}, warn: (m) => warnings.push(m) } })
    const port = c.brokers[0]?.port as number
    // As above: 'close' is the mock closing the connection.
    await new Promise<void>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(Buffer.from([0xff, 0xff, 0xff, 0xfe])))
      socket.on('close', () => resolve())
      socket.on('error', () => {})
    })
    expect(warnings).toHaveLength(1)
  })

  it('serves fetches with the stored batches and long-polls until data arrives', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const conn = await connections.to(c)
    await produceOne(conn, 't', 0, await batch(['one', 'two']))
    const fetchApi = fetch as ApiDefinition<FetchRequest, FetchResponse>
    const request = (offset: bigint, maxWaitMs: number): FetchRequest => ({
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
          topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
          partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    })
    const first = await conn.send(fetchApi, 11, request(0n, 0))
    const part = first.responses[0]?.partitions[0]
    expect(part?.highWatermark).toBe(2n)
    const batches = splitRecordBatches(part?.records as Buffer)
    expect(batches).toHaveLength(1)
    expect(batches[0]?.header.baseOffset).toBe(0n)

    const other = await connections.to(c)
    // The long poll's deadline runs on a fake clock that never moves (only setTimeout, clearTimeout
    // and Date are faked; the sockets are real), so an answer can come only from the data arriving,
    // and the produce goes out once the mock holds the fetch, not after a wall-clock delay.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    defer(() => vi.useRealTimers())
    const waiting = conn.send(fetchApi, 11, request(2n, 5000))
    await expect.poll(() => c.requests().filter((r) => r.apiName === 'Fetch').length).toBe(2)
    await produceOne(other, 't', 0, await batch(['three']))
    const woken = await waiting
    expect(splitRecordBatches(woken.responses[0]?.partitions[0]?.records as Buffer)[0]?.header.baseOffset).toBe(2n)
  })

  it('answers earliest and latest offsets', async () => {
    const c = await start({ topics: [{ name: 't' }] })
    const conn = await connections.to(c)
    await produceOne(conn, 't', 0, await batch(['a', 'b', 'c']))
    // One request per timestamp: Kafka answers INVALID_REQUEST for a partition named twice.
    const offsets: bigint[] = []
    for (const timestamp of [-1n, -2n]) {
      const response = await conn.send(listOffsets, 7, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }],
      })
      offsets.push(response.topics[0]?.partitions[0]?.offset ?? -1n)
    }
    expect(offsets).toEqual([3n, 0n])
  })
})
