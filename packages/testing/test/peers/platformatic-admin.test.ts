import { Admin } from '@platformatic/kafka'
import { ErrorCodes, encodeRecordBatch } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { afterEach, describe, expect, it } from 'vitest'
import type { MockCluster } from '../../src/index.js'
import { Connections, produceOne } from '../helpers.js'

// The @platformatic/kafka admin client (its own protocol code, DescribeConfigs v4,
// IncrementalAlterConfigs v1, CreatePartitions v3, ListOffsets with leader epochs, DeleteRecords v2)
// against the mock cluster: the peer that exercises IncrementalAlterConfigs, which confluent-kafka
// 1.7 lacks.

const TOPIC = 2
const BROKER = 4
const SET = 0
const DELETE = 1
const APPEND = 2

describe('@platformatic/kafka admin against the mock cluster', () => {
  const { start, defer } = useHarness()
  const connections = new Connections()
  afterEach(() => connections.closeAll())

  function admin(c: MockCluster): Admin {
    const a = new Admin({ clientId: 'platformatic-admin-test', bootstrapBrokers: c.bootstrapBrokers, retries: 0 })
    defer(() => a.close())
    return a
  }

  it('changes topic and broker configs one by one with IncrementalAlterConfigs and describes them', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 1, configs: { 'segment.ms': '60000' } }] })
    const a = admin(c)
    await a.incrementalAlterConfigs({
      resources: [
        {
          resourceType: TOPIC,
          resourceName: 't',
          configs: [
            { name: 'retention.ms', configOperation: SET, value: '1000' },
            { name: 'cleanup.policy', configOperation: APPEND, value: 'compact' },
            { name: 'segment.ms', configOperation: DELETE },
          ],
        },
      ],
    })
    const [described] = await a.describeConfigs({
      resources: [
        { resourceType: TOPIC, resourceName: 't', configurationKeys: ['retention.ms', 'cleanup.policy', 'segment.ms'] },
      ],
      includeSynonyms: true,
    })
    const byName = new Map(described?.configs.map((e) => [e.name, e]))
    expect(byName.get('retention.ms')).toMatchObject({ value: '1000', configSource: 1, readOnly: false, configType: 5 })
    expect(byName.get('cleanup.policy')).toMatchObject({
      value: 'delete,compact',
      configSource: 1,
      synonyms: [
        { name: 'cleanup.policy', value: 'delete,compact', source: 1 },
        { name: 'log.cleanup.policy', value: 'delete', source: 5 },
      ],
    })
    expect(byName.get('segment.ms')).toMatchObject({ value: '604800000', configSource: 5 })

    // A dynamic broker config, on the broker that leads the partition: its log applies it.
    const leader = c.leaderOf('t', 0)
    await a.incrementalAlterConfigs({
      resources: [
        {
          resourceType: BROKER,
          resourceName: String(leader),
          configs: [{ name: 'message.max.bytes', configOperation: SET, value: '100' }],
        },
      ],
    })
    c.setTopicConfig('t', 'cleanup.policy', 'delete')
    const conn = await connections.to(c, leader)
    const big = await encodeRecordBatch({ records: [{ value: Buffer.alloc(200) }] })
    expect((await produceOne(conn, 't', 0, big)).errorCode).toBe(ErrorCodes.MESSAGE_TOO_LARGE)
    const [broker] = await a.describeConfigs({
      resources: [{ resourceType: BROKER, resourceName: String(leader), configurationKeys: ['message.max.bytes'] }],
      includeSynonyms: true,
    })
    expect(broker?.configs[0]).toMatchObject({
      name: 'message.max.bytes',
      value: '100',
      configSource: 2,
      synonyms: [
        { name: 'message.max.bytes', value: '100', source: 2 },
        { name: 'message.max.bytes', value: '1048588', source: 5 },
      ],
    })
    await expect(
      a.incrementalAlterConfigs({
        resources: [
          {
            resourceType: TOPIC,
            resourceName: 't',
            configs: [{ name: 'retention.ms', configOperation: APPEND, value: '5' }],
          },
        ],
      }),
    ).rejects.toThrow()
    expect(c.topicConfig('t')['retention.ms']).toBe('1000')
  })

  it('adds partitions, lists offsets by timestamp with leader epochs, and deletes records', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 1 }] })
    const a = admin(c)
    await a.createPartitions({ topics: [{ name: 't', count: 3 }] })
    expect([0, 1, 2].map((p) => c.leaderOf('t', p))).toEqual([1, 2, 1])
    c.moveLeader('t', 0, 2)
    c.moveLeader('t', 0, 1)
    const conn = await connections.to(c, 1)
    await produceOne(
      conn,
      't',
      0,
      await encodeRecordBatch({
        records: [1000, 2000, 3000].map((t) => ({ value: Buffer.from(`v${t}`), timestamp: BigInt(t) })),
      }),
    )
    const list = async (timestamp: bigint) =>
      (await a.listOffsets({ topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp }] }] }))[0]
        ?.partitions[0]
    expect(await list(1500n)).toEqual({ partitionIndex: 0, offset: 1n, timestamp: 2000n, leaderEpoch: 2 })
    expect(await list(-1n)).toMatchObject({ offset: 3n, leaderEpoch: 2 })
    await a.deleteRecords({ topics: [{ name: 't', partitions: [{ partition: 0, offset: 2n }] }] })
    expect(await list(-2n)).toMatchObject({ offset: 2n })
    expect(await list(0n)).toMatchObject({ offset: 2n, timestamp: 3000n })
  })
})
