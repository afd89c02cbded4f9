import {
  type ApiDefinition,
  Connection,
  type CreateTopicsRequest,
  type CreateTopicsRequestCreatableTopic,
  type CreateTopicsResponse,
  createTopics,
  ErrorCodes,
  type MetadataRequest,
  type MetadataResponse,
  metadata,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { kcat } from '@tributary/test-support/kcat'
import { beforeEach, describe, expect, it } from 'vitest'
import { MockCluster } from '../src/index.js'

// Kafka's rules for topic names (Topic.validate: [a-zA-Z0-9._-], 1-249 characters, not '.' or
// '..'; no collision once '.' and '_' are the same) and for the size of a creation (its controller
// writes at most 10,000 records per operation: a topic and each of its partitions is one), applied
// by Metadata auto-creation, CreateTopics and MockCluster.createTopic alike.

const ILLEGAL = ['', '.', '..', 'a'.repeat(250), 'has space', 'slash/ed', 'ünïcode', 'tab\t', 'star*']
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

describe('Topic rules', () => {
  const { start, defer } = useHarness()
  let connections: Connection[] = []
  beforeEach(() => {
    connections = []
    defer(() => Promise.all(connections.map((c) => c.close())))
  })

  async function connect(c: MockCluster): Promise<Connection> {
    const broker = c.brokers[0]
    if (broker === undefined) throw new Error('no broker')
    const connection = await Connection.connect({
      host: broker.host,
      port: broker.port,
      clientId: 'topics',
      requestTimeoutMs: 20_000,
    })
    connections.push(connection)
    return connection
  }

  async function metadataFor(c: MockCluster, names: string[], allowAutoTopicCreation = true) {
    const conn = await connect(c)
    return conn.send(metadata as ApiDefinition<MetadataRequest, MetadataResponse>, 12, {
      topics: names.map((name) => ({ name, topicId: ZERO_UUID })),
      allowAutoTopicCreation,
      includeTopicAuthorizedOperations: false,
    })
  }

  async function create(
    c: MockCluster,
    topics: Array<Partial<CreateTopicsRequestCreatableTopic> & { name: string }>,
    validateOnly = false,
  ) {
    const conn = await connect(c)
    const response = await conn.send(createTopics as ApiDefinition<CreateTopicsRequest, CreateTopicsResponse>, 7, {
      topics: topics.map((t) => ({ numPartitions: 1, replicationFactor: 1, assignments: [], configs: [], ...t })),
      timeoutMs: 5000,
      validateOnly,
    })
    return response.topics
  }

  it.each(
    ILLEGAL.map((name) => ({
      name,
      shown: JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name),
    })),
  )(
    'answers INVALID_TOPIC_EXCEPTION in metadata for the illegal name $shown instead of creating it',
    async ({ name }) => {
      const c = await start()
      for (const auto of [true, false]) {
        const response = await metadataFor(c, [name], auto)
        expect(response.topics[0]).toMatchObject({
          name,
          errorCode: ErrorCodes.INVALID_TOPIC_EXCEPTION,
          partitions: [],
        })
      }
      expect(c.topics()).toEqual([])
    },
  )

  it('auto-creates a legal name of 249 characters of every allowed kind', async () => {
    const c = await start()
    const name = `aZ09._-${'x'.repeat(242)}`
    const response = await metadataFor(c, [name])
    expect(response.topics[0]).toMatchObject({ name, errorCode: ErrorCodes.NONE })
    expect(c.topics()).toEqual([name])
  })

  it('shows kcat (librdkafka) an invalid topic error for an illegal name, and creates nothing', async () => {
    const c = await start()
    const { stdout } = await kcat(['-L', '-b', c.bootstrapBrokers.join(','), '-t', 'bad!topic', '-J'], {
      timeoutMs: 30_000,
    })
    const listed = JSON.parse(stdout) as { topics: Array<{ topic: string; error?: string }> }
    expect(listed.topics).toEqual([expect.objectContaining({ topic: 'bad!topic', error: 'Broker: Invalid topic' })])
    expect(c.topics()).toEqual([])
  })

  it('refuses to auto-create a name colliding with an existing topic once . and _ count as one', async () => {
    const c = await start({ topics: [{ name: 'orders.eu' }] })
    const response = await metadataFor(c, ['orders_eu'])
    expect(response.topics[0]).toMatchObject({ errorCode: ErrorCodes.INVALID_TOPIC_EXCEPTION })
    expect(c.topics()).toEqual(['orders.eu'])
  })

  it('creates no topic for a metadata request that would create more than 10,000 topics and partitions', async () => {
    const c = await start({ defaultPartitions: 1 })
    const tooMany = Array.from({ length: 5001 }, (_, i) => `t${i}`)
    const refused = await metadataFor(c, tooMany)
    expect(new Set(refused.topics.map((t) => t.errorCode))).toEqual(new Set([ErrorCodes.LEADER_NOT_AVAILABLE]))
    expect(c.topics()).toEqual([])
    const allowed = await metadataFor(c, tooMany.slice(0, 5000))
    expect(new Set(allowed.topics.map((t) => t.errorCode))).toEqual(new Set([ErrorCodes.NONE]))
    expect(c.topics()).toHaveLength(5000)
  })

  it('answers CreateTopics with Kafka’s error for each illegal topic and creates only the legal ones', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 'exists' }, { name: 'a.b' }] })
    const results = await create(c, [
      { name: 'ok' },
      { name: '..' },
      { name: 'sp ace' },
      { name: 'exists' },
      { name: 'a_b' },
      { name: 'twice' },
      { name: 'twice' },
      { name: 'zero', numPartitions: 0 },
      { name: 'minus-two', numPartitions: -2 },
      { name: 'rf-zero', replicationFactor: 0 },
      { name: 'rf-three', replicationFactor: 3 },
      {
        name: 'manual-with-count',
        numPartitions: 2,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [1] }],
      },
      {
        name: 'manual-gap',
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [
          { partitionIndex: 0, brokerIds: [1] },
          { partitionIndex: 2, brokerIds: [2] },
        ],
      },
      {
        name: 'manual',
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [
          { partitionIndex: 1, brokerIds: [2] },
          { partitionIndex: 0, brokerIds: [1] },
        ],
      },
    ])
    const codes = Object.fromEntries(results.map((r) => [r.name, r.errorCode]))
    expect(codes).toEqual({
      ok: ErrorCodes.NONE,
      '..': ErrorCodes.INVALID_TOPIC_EXCEPTION,
      'sp ace': ErrorCodes.INVALID_TOPIC_EXCEPTION,
      exists: ErrorCodes.TOPIC_ALREADY_EXISTS,
      a_b: ErrorCodes.INVALID_TOPIC_EXCEPTION,
      twice: ErrorCodes.INVALID_REQUEST,
      zero: ErrorCodes.INVALID_PARTITIONS,
      'minus-two': ErrorCodes.INVALID_PARTITIONS,
      'rf-zero': ErrorCodes.INVALID_REPLICATION_FACTOR,
      'rf-three': ErrorCodes.INVALID_REPLICATION_FACTOR,
      'manual-with-count': ErrorCodes.INVALID_REQUEST,
      'manual-gap': ErrorCodes.INVALID_REPLICA_ASSIGNMENT,
      manual: ErrorCodes.NONE,
    })
    expect(results.find((r) => r.name === '..')?.errorMessage).toBe("Topic name is invalid: '..' is not allowed")
    expect(c.topics().sort()).toEqual(['a.b', 'exists', 'manual', 'ok'])
  })

  it('fails a CreateTopics request past 10,000 topics and partitions whole with POLICY_VIOLATION, creating nothing', async () => {
    const c = await start()
    const one = await create(c, [{ name: 'huge', numPartitions: 10_000 }])
    expect(one.map((r) => r.errorCode)).toEqual([ErrorCodes.POLICY_VIOLATION])
    const two = await create(c, [
      { name: 'half-a', numPartitions: 5000 },
      { name: 'half-b', numPartitions: 5000 },
    ])
    expect(two.map((r) => r.errorCode)).toEqual([ErrorCodes.POLICY_VIOLATION, ErrorCodes.POLICY_VIOLATION])
    expect(c.topics()).toEqual([])
    const largest = await create(c, [{ name: 'largest', numPartitions: 9_999 }])
    expect(largest.map((r) => r.errorCode)).toEqual([ErrorCodes.NONE])
    expect(c.endOffset('largest', 9_998)).toBe(0n)
  })

  it('creates nothing for a validate-only CreateTopics request and answers what it would create', async () => {
    const c = await start()
    const results = await create(c, [{ name: 'dry', numPartitions: 3 }], true)
    expect(results[0]).toMatchObject({ errorCode: ErrorCodes.NONE, numPartitions: 3 })
    expect(c.topics()).toEqual([])
  })

  it('throws a RangeError naming the rule when createTopic is given what Kafka refuses', async () => {
    const c = await start({ topics: [{ name: 'a.b' }] })
    expect(() => c.createTopic('..')).toThrow(new RangeError("Topic name is invalid: '..' is not allowed"))
    expect(() => c.createTopic('x'.repeat(250))).toThrow(/longer than the max allowed length 249/)
    expect(() => c.createTopic('with space')).toThrow(/other than ASCII alphanumerics, '.', '_' and '-'/)
    expect(() => c.createTopic('a_b')).toThrow("Topic 'a_b' collides with existing topic: a.b")
    expect(() => c.createTopic('big', 10_000)).toThrow(/partitions must be an integer from 1 to 9999, got 10000/)
    c.createTopic('a.b', 5) // an existing topic is left as it is
    expect(c.topics()).toEqual(['a.b'])
  })

  it('rejects start options with an illegal topic name or default partition count', async () => {
    await expect(MockCluster.start({ logger: false, topics: [{ name: 'no good' }] })).rejects.toThrow(RangeError)
    await expect(MockCluster.start({ logger: false, defaultPartitions: 10_000 })).rejects.toThrow(
      /defaultPartitions must be an integer from 1 to 9999/,
    )
  })
})
