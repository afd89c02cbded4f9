import { useHarness } from '@tributary/test-support/harness'
import {
  type Admin,
  CompressionTypes,
  type ICustomPartitioner,
  Kafka,
  logLevel,
  type Message,
  Partitioners,
  type Producer,
  type ProducerConfig,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs'
import { describe, expect, it } from 'vitest'
import type { MockCluster, MockClusterOptions, MockRecord } from '../../src/index.js'

// kafkajs (an independent client with its own protocol code) against the mock cluster: what
// kafkajs says it wrote must be exactly what the mock stored, and kafkajs's admin and retry paths
// must work against it.

/** A record as compared: what a consumer would see, without the batch-level fields. */
interface SeenRecord {
  topic: string
  partition: number
  offset: bigint
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Array<{ key: string; value: Buffer | null }>
}

const seen = (r: MockRecord): SeenRecord => ({
  topic: r.topic,
  partition: r.partition,
  offset: r.offset,
  timestamp: r.timestamp,
  key: r.key,
  value: r.value,
  headers: r.headers,
})

const toBuffer = (v: Buffer | string | null | undefined): Buffer | null =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v)

/** The headers kafkajs writes for a message: keys in order, an array value as repeated keys. */
function headersOf(message: Message): SeenRecord['headers'] {
  return Object.entries(message.headers ?? {}).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => ({ key, value: toBuffer(v) })),
  )
}

/** kafkajs's default partitioner, noting which partition it chose for each message. */
function recordingPartitioner(chosen: Map<Message, number>): ICustomPartitioner {
  return () => {
    const partition = Partitioners.DefaultPartitioner()
    return (args) => {
      const p = partition(args)
      chosen.set(args.message, p)
      return p
    }
  }
}

/**
 * The records a sendBatch must have stored: per topic-partition, the messages in the order sent,
 * at the base offset kafkajs reported for that partition plus their index.
 */
function expectedRecords(
  batch: TopicMessages[],
  chosen: Map<Message, number>,
  metadata: RecordMetadata[],
): SeenRecord[] {
  const groups = new Map<string, { topic: string; partition: number; messages: Message[] }>()
  for (const { topic, messages } of batch) {
    for (const message of messages) {
      const partition = chosen.get(message)
      if (partition === undefined) throw new Error(`kafkajs did not partition a message of ${topic}`)
      const id = `${topic}/${partition}`
      const group = groups.get(id) ?? { topic, partition, messages: [] }
      group.messages.push(message)
      groups.set(id, group)
    }
  }
  // kafkajs answers one RecordMetadata per topic-partition it wrote to, each without error.
  expect(metadata.map((m) => `${m.topicName}/${m.partition}`).sort()).toEqual([...groups.keys()].sort())
  expect(metadata.every((m) => m.errorCode === 0)).toBe(true)
  return metadata.flatMap((m) => {
    const group = groups.get(`${m.topicName}/${m.partition}`)
    if (group === undefined || m.baseOffset === undefined) throw new Error(`no base offset for ${m.topicName}`)
    const base = BigInt(m.baseOffset)
    return group.messages.map(
      (message, i): SeenRecord => ({
        topic: group.topic,
        partition: group.partition,
        offset: base + BigInt(i),
        timestamp: BigInt(message.timestamp as string),
        key: toBuffer(message.key),
        value: toBuffer(message.value),
        headers: headersOf(message),
      }),
    )
  })
}

/** Everything stored in these topics, in partition and offset order. */
function storedRecords(cluster: MockCluster, topics: string[]): SeenRecord[] {
  return topics.flatMap((t) => cluster.records(t).map(seen))
}

const byPosition = (a: SeenRecord, b: SeenRecord) =>
  a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(a.offset - b.offset)

let clock = 1_700_000_000_000
/** Explicit timestamps, so the stored ones can be compared exactly. */
const nextTimestamp = () => String(clock++)

/** A varied batch for two topics: keyed, explicitly partitioned, keyless, a tombstone, binary data. */
function mixedBatch(tag: string): TopicMessages[] {
  const orders: Message[] = Array.from({ length: 12 }, (_, i) => ({
    key: `customer-${i % 5}`,
    value: JSON.stringify({ order: `${tag}-${i}`, amount: i * 10 }),
    headers: { 'trace-id': `${tag}-trace-${i}`, tag: ['first', 'second'], 'content-type': 'application/json' },
    timestamp: nextTimestamp(),
  }))
  orders.push({ key: 'pinned', value: `${tag}-pinned`, partition: 5, timestamp: nextTimestamp() })
  orders.push({ key: 'customer-0', value: null, timestamp: nextTimestamp() })
  const payments: Message[] = [
    { value: `${tag}-no-key`, partition: 0, timestamp: nextTimestamp() },
    { key: Buffer.from([0, 1, 2, 0xff]), value: Buffer.from([0xde, 0xad, 0xbe, 0xef]), timestamp: nextTimestamp() },
    { key: 'p', value: '', headers: { empty: '' }, partition: 2, timestamp: nextTimestamp() },
    { key: 'p', value: 'ü'.repeat(300), headers: { ünïcode: 'välue' }, partition: 1, timestamp: nextTimestamp() },
  ]
  return [
    { topic: 'orders', messages: orders },
    { topic: 'payments', messages: payments },
  ]
}

describe('kafkajs against the mock cluster', () => {
  const harness = useHarness()

  function start(options: MockClusterOptions = {}): Promise<MockCluster> {
    return harness.start({
      brokers: 3,
      topics: [
        { name: 'orders', partitions: 6 },
        { name: 'payments', partitions: 3 },
      ],
      ...options,
    })
  }

  function kafka(c: MockCluster): Kafka {
    return new Kafka({
      clientId: 'kafkajs-peer-test',
      brokers: c.bootstrapBrokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 5000,
      requestTimeout: 10_000,
      retry: { initialRetryTime: 20, maxRetryTime: 200, retries: 5 },
    })
  }

  async function producer(
    c: MockCluster,
    chosen: Map<Message, number>,
    config: Omit<ProducerConfig, 'createPartitioner'> = {},
  ): Promise<Producer> {
    const p = kafka(c).producer({ createPartitioner: recordingPartitioner(chosen), ...config })
    harness.defer(() => p.disconnect())
    await p.connect()
    return p
  }

  async function admin(c: MockCluster): Promise<Admin> {
    const a = kafka(c).admin()
    harness.defer(() => a.disconnect())
    await a.connect()
    return a
  }

  const produceRequests = (c: MockCluster, since = 0) =>
    c
      .requests()
      .slice(since)
      .filter((r) => r.apiName === 'Produce')

  it.each([
    { acks: -1, idempotent: false },
    { acks: 1, idempotent: false },
    { acks: -1, idempotent: true },
  ])(
    'stores sendBatch records (acks $acks, idempotent $idempotent) with keys, values, headers and timestamps at the offsets kafkajs reports',
    async ({ acks, idempotent }) => {
      const c = await start()
      const chosen = new Map<Message, number>()
      const p = await producer(c, chosen, idempotent ? { idempotent: true, maxInFlightRequests: 1 } : {})
      const expected: SeenRecord[] = []
      for (const tag of ['first', 'second']) {
        const batch = mixedBatch(tag)
        const metadata = await p.sendBatch({ acks, topicMessages: batch })
        expected.push(...expectedRecords(batch, chosen, metadata))
      }
      expect(storedRecords(c, ['orders', 'payments'])).toEqual(expected.sort(byPosition))
      // Keyed messages went to several partitions on every broker, and kafkajs used the newer Produce versions.
      expect(new Set(expected.map((r) => `${r.topic}/${r.partition}`)).size).toBeGreaterThanOrEqual(6)
      expect(new Set(produceRequests(c).map((r) => r.brokerId))).toEqual(new Set([1, 2, 3]))
      expect(produceRequests(c).every((r) => r.apiVersion >= 3)).toBe(true)
    },
  )

  it('stamps the producer id from InitProducerId and consecutive sequences per partition on idempotent batches', async () => {
    const c = await start()
    const chosen = new Map<Message, number>()
    const p = await producer(c, chosen, { idempotent: true, maxInFlightRequests: 1 })
    for (const tag of ['a', 'b', 'c']) await p.sendBatch({ acks: -1, topicMessages: mixedBatch(tag) })
    const all = [...c.records('orders'), ...c.records('payments')]
    expect(all).toHaveLength(3 * 18)
    expect(new Set(all.map((r) => r.producerId))).toHaveLength(1)
    expect(all[0]?.producerId).toBeGreaterThanOrEqual(0n)
    expect(all.every((r) => r.producerEpoch === 0)).toBe(true)
    for (const topic of ['orders', 'payments']) {
      for (let partition = 0; partition < (topic === 'orders' ? 6 : 3); partition++) {
        const sequences = c.records(topic, partition).map((r) => r.sequence)
        expect(sequences).toEqual(sequences.map((_, i) => i))
      }
    }
    expect(c.requests().some((r) => r.apiName === 'InitProducerId')).toBe(true)
  })

  it('sends gzip batches that the mock stores compressed and decodes to the records sent', async () => {
    const c = await start()
    const chosen = new Map<Message, number>()
    const p = await producer(c, chosen)
    const batch = mixedBatch('gzip')
    const metadata = await p.sendBatch({ acks: -1, compression: CompressionTypes.GZIP, topicMessages: batch })
    const expected = expectedRecords(batch, chosen, metadata).sort(byPosition)
    expect(storedRecords(c, ['orders', 'payments'])).toEqual(expected)
    const stored = [...c.records('orders'), ...c.records('payments')]
    expect(stored.every((r) => r.compression === 1)).toBe(true)
    for (const m of metadata) {
      expect(c.batches(m.topicName, m.partition).map((b) => b.compression)).toEqual([1])
    }
  })

  it('retries a produce answered with an injected NOT_LEADER_OR_FOLLOWER and stores every record once', async () => {
    const c = await start()
    const chosen = new Map<Message, number>()
    const p = await producer(c, chosen, { idempotent: true, maxInFlightRequests: 1 })
    // One message per partition of orders: each broker leads two, so the failing partition shares
    // its request with one that succeeds, and kafkajs resends both; the mock must drop the duplicate.
    const batch: TopicMessages[] = [
      {
        topic: 'orders',
        messages: Array.from({ length: 6 }, (_, i) => ({
          key: `k${i}`,
          value: `v${i}`,
          partition: i,
          headers: { attempt: 'one' },
          timestamp: nextTimestamp(),
        })),
      },
    ]
    c.failNext('Produce', { errorCode: 6 /* NOT_LEADER_OR_FOLLOWER */, topic: 'orders', partition: 4 })
    const metadata = await p.sendBatch({ acks: -1, topicMessages: batch })
    expect(storedRecords(c, ['orders'])).toEqual(expectedRecords(batch, chosen, metadata).sort(byPosition))
    expect(c.records('orders').map((r) => r.offset)).toEqual([0n, 0n, 0n, 0n, 0n, 0n])
    // Four first attempts would have sufficed; the leader of partition 4 was asked again.
    const leader4 = c.leaderOf('orders', 4)
    expect(produceRequests(c).filter((r) => r.brokerId === leader4).length).toBeGreaterThanOrEqual(2)
  })

  it('follows a moved partition leader and stores every record once', async () => {
    const c = await start()
    const chosen = new Map<Message, number>()
    const p = await producer(c, chosen, { idempotent: true, maxInFlightRequests: 1 })
    const send = async (tag: string) => {
      const batch: TopicMessages[] = [
        {
          topic: 'orders',
          messages: ['x', 'y', 'z'].map((v) => ({
            key: v,
            value: `${tag}-${v}`,
            partition: 1,
            timestamp: nextTimestamp(),
          })),
        },
      ]
      return expectedRecords(batch, chosen, await p.sendBatch({ acks: -1, topicMessages: batch }))
    }
    const expected = await send('before')
    const oldLeader = c.leaderOf('orders', 1)
    const newLeader = (oldLeader % 3) + 1
    c.moveLeader('orders', 1, newLeader)
    const mark = c.requests().length
    expected.push(...(await send('after')))
    expect(storedRecords(c, ['orders'])).toEqual(expected)
    expect(expected.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n, 4n, 5n])
    expect(c.records('orders', 1).map((r) => r.sequence)).toEqual([0, 1, 2, 3, 4, 5])
    // kafkajs first tried its cached leader, then the one the refreshed metadata named.
    const after = produceRequests(c, mark).map((r) => r.brokerId)
    expect(after[0]).toBe(oldLeader)
    expect(after.at(-1)).toBe(newLeader)
  })

  it('resends a batch whose response was lost and the mock keeps it once, answering its first offset', async () => {
    const c = await start()
    const chosen = new Map<Message, number>()
    const p = await producer(c, chosen, { idempotent: true, maxInFlightRequests: 1 })
    const leader = c.leaderOf('payments', 0)
    // Warm up so the lost request is a later batch of a known producer, not its first.
    const warmUp: TopicMessages[] = [
      { topic: 'payments', messages: [{ value: 'w', partition: 0, timestamp: nextTimestamp() }] },
    ]
    const expected = expectedRecords(warmUp, chosen, await p.sendBatch({ acks: -1, topicMessages: warmUp }))

    // The leader appends the next batch but the connection drops before its (delayed) answer.
    c.setLatency(leader, 500)
    let dropped = 0
    c.on('request', (r) => {
      if (r.apiName !== 'Produce' || dropped++ > 0) return
      setImmediate(() => {
        c.setLatency(leader, 0)
        c.dropConnections(leader)
      })
    })
    const batch: TopicMessages[] = [
      {
        topic: 'payments',
        messages: ['r1', 'r2', 'r3'].map((v) => ({ key: 'k', value: v, partition: 0, timestamp: nextTimestamp() })),
      },
    ]
    const metadata = await p.sendBatch({ acks: -1, topicMessages: batch })
    expected.push(...expectedRecords(batch, chosen, metadata))
    expect(metadata[0]?.baseOffset).toBe('1')
    expect(storedRecords(c, ['payments'])).toEqual(expected)
    expect(c.records('payments', 0).map((r) => r.sequence)).toEqual([0, 1, 2, 3])
    expect(produceRequests(c).filter((r) => r.brokerId === leader).length).toBeGreaterThanOrEqual(3)
  })

  it('creates topics, describes them, lists their offsets and deletes them with the kafkajs admin', async () => {
    const c = await start({ topics: [], autoCreateTopics: false })
    const a = await admin(c)
    const created = await a.createTopics({
      topics: [
        { topic: 'events', numPartitions: 4, replicationFactor: 3 },
        { topic: 'audit', numPartitions: 1, replicationFactor: 2 },
      ],
      waitForLeaders: true,
    })
    expect(created).toBe(true)
    expect(c.topics().sort()).toEqual(['audit', 'events'])
    // kafkajs answers false, not an error, for a topic that already exists.
    expect(await a.createTopics({ topics: [{ topic: 'events', numPartitions: 4 }] })).toBe(false)
    expect((await a.listTopics()).sort()).toEqual(['audit', 'events'])

    const { topics } = await a.fetchTopicMetadata({ topics: ['events', 'audit'] })
    const events = topics.find((t) => t.name === 'events')
    expect(events?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3])
    for (const p of events?.partitions ?? []) {
      expect(p.leader).toBe(c.leaderOf('events', p.partitionId))
      expect(p.replicas).toHaveLength(3)
      expect(p.replicas).toContain(p.leader)
      expect(p.partitionErrorCode).toBe(0)
    }
    expect(new Set(events?.partitions.map((p) => p.leader))).toEqual(new Set([1, 2, 3]))
    expect(topics.find((t) => t.name === 'audit')?.partitions[0]?.replicas).toHaveLength(2)

    const chosen = new Map<Message, number>()
    const p = await producer(c, chosen)
    await p.sendBatch({
      topicMessages: [
        {
          topic: 'events',
          messages: [0, 0, 0, 2, 3, 3].map((partition, i) => ({ value: `e${i}`, partition })),
        },
      ],
    })
    const offsets = await a.fetchTopicOffsets('events')
    expect(offsets.sort((x, y) => x.partition - y.partition)).toEqual([
      { partition: 0, offset: '3', high: '3', low: '0' },
      { partition: 1, offset: '0', high: '0', low: '0' },
      { partition: 2, offset: '1', high: '1', low: '0' },
      { partition: 3, offset: '2', high: '2', low: '0' },
    ])

    await a.deleteTopics({ topics: ['events'] })
    expect(c.topics()).toEqual(['audit'])
    expect(await a.listTopics()).toEqual(['audit'])
    await expect(a.fetchTopicMetadata({ topics: ['events'] })).rejects.toThrow(/does not host this topic-partition/)
  })
})
