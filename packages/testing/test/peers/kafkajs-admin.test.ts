import { encodeRecordBatch } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { type Admin, ConfigResourceTypes, ConfigSource, Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MockCluster } from '../../src/index.js'
import { Connections, produceOne } from '../helpers.js'

// The kafkajs admin client (its own protocol code) against the mock's CreateTopics configs,
// DescribeConfigs, AlterConfigs, CreatePartitions, DeleteRecords and ListOffsets by timestamp, and
// the kafkajs producer on a LogAppendTime topic.

describe('kafkajs admin against the mock cluster', () => {
  const harness = useHarness()
  const connections = new Connections()
  afterEach(async () => {
    vi.useRealTimers()
    await connections.closeAll()
  })

  function kafka(c: MockCluster): Kafka {
    return new Kafka({
      clientId: 'kafkajs-admin-test',
      brokers: c.bootstrapBrokers,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 20, maxRetryTime: 200, retries: 3 },
    })
  }

  async function admin(c: MockCluster): Promise<Admin> {
    const a = kafka(c).admin()
    harness.defer(() => a.disconnect())
    await a.connect()
    return a
  }

  it('creates a topic with configs, describes and alters them, and describes a broker', async () => {
    const c = await harness.start({ brokers: 3, topics: [], autoCreateTopics: false })
    const a = await admin(c)
    await a.createTopics({
      topics: [
        {
          topic: 'events',
          numPartitions: 3,
          replicationFactor: 2,
          configEntries: [
            { name: 'retention.ms', value: '86400000' },
            { name: 'cleanup.policy', value: 'compact' },
          ],
        },
      ],
    })
    const described = await a.describeConfigs({
      includeSynonyms: true,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'events',
          configNames: ['retention.ms', 'cleanup.policy', 'min.insync.replicas'],
        },
      ],
    })
    const byName = new Map(described.resources[0]?.configEntries.map((e) => [e.configName, e]))
    expect(byName.get('retention.ms')).toMatchObject({
      configValue: '86400000',
      configSource: ConfigSource.TOPIC_CONFIG,
      readOnly: false,
      configSynonyms: [
        { configName: 'retention.ms', configValue: '86400000', configSource: ConfigSource.TOPIC_CONFIG },
      ],
    })
    expect(byName.get('min.insync.replicas')).toMatchObject({
      configValue: '1',
      configSource: ConfigSource.DEFAULT_CONFIG,
      configSynonyms: [
        { configName: 'min.insync.replicas', configValue: '1', configSource: ConfigSource.DEFAULT_CONFIG },
      ],
    })
    await a.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'events',
          configEntries: [{ name: 'max.message.bytes', value: '512' }],
        },
      ],
    })
    expect(c.topicConfig('events')).toMatchObject({
      'max.message.bytes': '512',
      'cleanup.policy': 'delete',
      'retention.ms': '604800000',
    })
    await expect(
      a.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: 'events',
            configEntries: [{ name: 'cleanup.policy', value: 'forever' }],
          },
        ],
      }),
    ).rejects.toMatchObject({ type: 'INVALID_CONFIG' })
    // kafkajs sends a broker resource to that broker.
    const broker = await a.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: '3', configNames: ['node.id', 'message.max.bytes'] }],
    })
    expect(broker.resources[0]?.configEntries.map((e) => [e.configName, e.configValue, e.readOnly]).sort()).toEqual([
      ['message.max.bytes', '1048588', false],
      ['node.id', '3', true],
    ])
    expect(
      c
        .requests()
        .filter((r) => r.apiName === 'DescribeConfigs')
        .map((r) => r.brokerId)
        .at(-1),
    ).toBe(3)
  })

  it('adds partitions, deletes records and lists offsets by timestamp', async () => {
    const c = await harness.start({ brokers: 3, topics: [{ name: 't', partitions: 2 }] })
    const a = await admin(c)
    await a.createPartitions({ topicPartitions: [{ topic: 't', count: 4 }] })
    const { topics } = await a.fetchTopicMetadata({ topics: ['t'] })
    expect(topics[0]?.partitions.map((p) => [p.partitionId, p.leader]).sort()).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 1],
    ])
    await expect(a.createPartitions({ topicPartitions: [{ topic: 't', count: 3 }] })).rejects.toThrow()

    const conn = await connections.to(c, c.leaderOf('t', 0))
    await produceOne(
      conn,
      't',
      0,
      await encodeRecordBatch({
        records: [1000, 2000, 3000, 4000].map((t) => ({ value: Buffer.from(`v${t}`), timestamp: BigInt(t) })),
      }),
    )
    expect(await a.fetchTopicOffsetsByTimestamp('t', 2500)).toContainEqual({ partition: 0, offset: '2' })
    await a.deleteTopicRecords({ topic: 't', partitions: [{ partition: 0, offset: '3' }] })
    expect(c.startOffset('t', 0)).toBe(3n)
    const offsets = await a.fetchTopicOffsets('t')
    expect(offsets.find((o) => o.partition === 0)).toEqual({ partition: 0, offset: '4', high: '4', low: '3' })
    // Below the log start, the first record at or after it is the answer.
    expect(await a.fetchTopicOffsetsByTimestamp('t', 0)).toContainEqual({ partition: 0, offset: '3' })
    const cluster = await a.describeCluster()
    expect(cluster.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3])
    expect(cluster.controller).toBe(1)
  })

  it('gets the broker’s log append time in the record metadata of a LogAppendTime topic', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_700_000_123_456)
    const c = await harness.start({
      topics: [{ name: 'stamped', configs: { 'message.timestamp.type': 'LogAppendTime' } }],
    })
    const p = kafka(c).producer()
    harness.defer(() => p.disconnect())
    await p.connect()
    const [meta] = await p.send({ topic: 'stamped', messages: [{ value: 'a', timestamp: '5' }] })
    expect(meta).toMatchObject({ topicName: 'stamped', partition: 0, logAppendTime: '1700000123456' })
    expect(c.records('stamped').map((r) => r.timestamp)).toEqual([1_700_000_123_456n])
  })
})
