import {
  type ApiDefinition,
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
  createPartitions,
  type DeleteRecordsRequest,
  type DeleteRecordsResponse,
  type DescribeClusterRequest,
  type DescribeClusterResponse,
  deleteRecords,
  describeCluster,
  ErrorCodes,
  encodeRecordBatch,
  type MetadataRequest,
  type MetadataResponse,
  metadata,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { afterEach, describe, expect, it } from 'vitest'
import { Connections, produceOne } from './helpers.js'

// CreatePartitions, DeleteRecords and DescribeCluster as Kafka answers them, over real sockets.

const createPartitionsApi = createPartitions as ApiDefinition<CreatePartitionsRequest, CreatePartitionsResponse>
const deleteRecordsApi = deleteRecords as ApiDefinition<DeleteRecordsRequest, DeleteRecordsResponse>
const describeClusterApi = describeCluster as ApiDefinition<DescribeClusterRequest, DescribeClusterResponse>
const metadataApi = metadata as ApiDefinition<MetadataRequest, MetadataResponse>

const values = (n: number) =>
  encodeRecordBatch({ records: Array.from({ length: n }, (_, i) => ({ value: Buffer.from(`v${i}`) })) })

describe('Admin APIs', () => {
  const { start } = useHarness()
  const connections = new Connections()
  afterEach(() => connections.closeAll())

  it('adds partitions spread over the brokers with the topic’s replication factor, as Metadata then shows', async () => {
    const c = await start({ brokers: 3, topics: [{ name: 't', partitions: 2, replicationFactor: 2 }] })
    const conn = await connections.to(c)
    const response = await conn.send(createPartitionsApi, 3, {
      topics: [{ name: 't', count: 6, assignments: null }],
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect(response.results).toEqual([{ name: 't', errorCode: 0, errorMessage: null }])
    const meta = await conn.send(metadataApi, 12, { topics: [{ name: 't' }], allowAutoTopicCreation: false })
    const partitions = meta.topics[0]?.partitions ?? []
    expect(partitions.map((p) => [p.partitionIndex, p.leaderId, p.replicaNodes])).toEqual([
      [0, 1, [1, 2]],
      [1, 2, [2, 3]],
      [2, 3, [3, 1]],
      [3, 1, [1, 2]],
      [4, 2, [2, 3]],
      [5, 3, [3, 1]],
    ])
    // The new partitions take records.
    const leader = await connections.to(c, c.leaderOf('t', 5))
    expect((await produceOne(leader, 't', 5, await values(1))).errorCode).toBe(0)
  })

  it('checks without creating for validateOnly, and refuses what Kafka refuses', async () => {
    const c = await start({
      brokers: 2,
      topics: [
        { name: 't', partitions: 3 },
        { name: 'u', partitions: 1 },
      ],
    })
    const conn = await connections.to(c)
    const ask = async (topics: CreatePartitionsRequest['topics'], validateOnly = false) =>
      (await conn.send(createPartitionsApi, 3, { topics, timeoutMs: 1000, validateOnly })).results.map((r) => [
        r.name,
        r.errorCode,
        r.errorMessage,
      ])
    expect(await ask([{ name: 't', count: 5, assignments: null }], true)).toEqual([['t', 0, null]])
    expect(() => c.leaderOf('t', 3)).toThrow('unknown partition t-3')
    expect(await ask([{ name: 't', count: 2, assignments: null }])).toEqual([
      ['t', ErrorCodes.INVALID_PARTITIONS, 'The topic t currently has 3 partition(s); 2 would not be an increase.'],
    ])
    expect(await ask([{ name: 't', count: 3, assignments: null }])).toEqual([
      ['t', ErrorCodes.INVALID_PARTITIONS, 'Topic already has 3 partition(s).'],
    ])
    expect(await ask([{ name: 'missing', count: 3, assignments: null }])).toEqual([
      ['missing', ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, null],
    ])
    expect(await ask([{ name: 't', count: 5, assignments: [{ brokerIds: [1, 2] }] }])).toEqual([
      [
        't',
        ErrorCodes.INVALID_REPLICA_ASSIGNMENT,
        'Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.',
      ],
    ])
    expect(await ask([{ name: 't', count: 4, assignments: [{ brokerIds: [1, 9] }] }])).toEqual([
      [
        't',
        ErrorCodes.INVALID_REPLICA_ASSIGNMENT,
        'The manual partition assignment includes broker 9, but no such broker is registered.',
      ],
    ])
    expect(await ask([{ name: 't', count: 4, assignments: [{ brokerIds: [2, 2] }] }])).toEqual([
      [
        't',
        ErrorCodes.INVALID_REPLICA_ASSIGNMENT,
        'The manual partition assignment includes the broker 2 more than once.',
      ],
    ])
    expect(
      await ask([
        { name: 'u', count: 2, assignments: null },
        { name: 'u', count: 3, assignments: null },
      ]),
    ).toEqual([['u', ErrorCodes.INVALID_REQUEST, 'Duplicate topic name.']])
    expect(await ask([{ name: 't', count: 4, assignments: [{ brokerIds: [2, 1] }] }])).toEqual([['t', 0, null]])
    expect(c.leaderOf('t', 3)).toBe(2)
  })

  it('adds at most 10,000 partitions per request, as Kafka’s controller writes at most 10,000 records per operation', async () => {
    const c = await start({ topics: [{ name: 'a' }, { name: 'b' }] })
    const conn = await connections.to(c)
    const response = await conn.send(createPartitionsApi, 3, {
      topics: [
        { name: 'a', count: 6001, assignments: null },
        { name: 'b', count: 5001, assignments: null },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect(response.results.map((r) => [r.name, r.errorCode])).toEqual([
      ['a', 0],
      ['b', ErrorCodes.UNKNOWN_SERVER_ERROR],
    ])
    const meta = await conn.send(metadataApi, 12, {
      topics: [{ name: 'a' }, { name: 'b' }],
      allowAutoTopicCreation: false,
    })
    expect(meta.topics.map((t) => t.partitions.length)).toEqual([6001, 1])
  })

  it('deletes records below an offset: the log start moves up, never down, and -1 means the high watermark', async () => {
    const c = await start({
      brokers: 2,
      topics: [
        { name: 't', partitions: 2 },
        { name: 'kept', configs: { 'cleanup.policy': 'compact' } },
      ],
    })
    const conn = await connections.to(c, c.leaderOf('t', 0))
    await produceOne(conn, 't', 0, await values(3))
    await produceOne(conn, 't', 0, await values(3))
    const del = async (topic: string, partition: number, offset: bigint) => {
      const r = await conn.send(deleteRecordsApi, 2, {
        topics: [{ name: topic, partitions: [{ partitionIndex: partition, offset }] }],
        timeoutMs: 1000,
      })
      const p = r.topics[0]?.partitions[0]
      return [p?.errorCode, p?.lowWatermark]
    }
    expect(await del('t', 0, 4n)).toEqual([0, 4n])
    expect(c.startOffset('t', 0)).toBe(4n)
    // The first batch (0-2) is gone; the second (3-5) stays, but records below 4 are not served.
    expect(c.batches('t', 0).map((b) => b.baseOffset)).toEqual([3n])
    expect(c.records('t', 0).map((r) => r.offset)).toEqual([4n, 5n])
    expect(await del('t', 0, 2n)).toEqual([0, 4n])
    expect(await del('t', 0, 7n)).toEqual([ErrorCodes.OFFSET_OUT_OF_RANGE, -1n])
    expect(await del('t', 0, -5n)).toEqual([ErrorCodes.OFFSET_OUT_OF_RANGE, -1n])
    expect(await del('t', 0, -1n)).toEqual([0, 6n])
    expect(c.records('t', 0)).toEqual([])
    expect(await del('t', 9, 0n)).toEqual([ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, -1n])
    if (c.leaderOf('t', 1) !== c.leaderOf('t', 0))
      expect(await del('t', 1, 0n)).toEqual([ErrorCodes.NOT_LEADER_OR_FOLLOWER, -1n])
    const compacted = await connections.to(c, c.leaderOf('kept', 0))
    const r = await compacted.send(deleteRecordsApi, 2, {
      topics: [{ name: 'kept', partitions: [{ partitionIndex: 0, offset: 0n }] }],
      timeoutMs: 1000,
    })
    expect(r.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCodes.POLICY_VIOLATION)
  })

  it('describes the running brokers, the controller and, when asked, the authorized cluster operations', async () => {
    const c = await start({ brokers: 3, clusterId: 'described' })
    const conn = await connections.to(c, 2)
    const response = await conn.send(describeClusterApi, 1, {
      includeClusterAuthorizedOperations: true,
      endpointType: 1,
    })
    expect(response).toMatchObject({
      errorCode: 0,
      clusterId: 'described',
      controllerId: 1,
      endpointType: 1,
      // CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE
      clusterAuthorizedOperations: (1 << 5) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12),
    })
    expect(response.brokers.map((b) => [b.brokerId, b.port])).toEqual(c.brokers.map((b) => [b.nodeId, b.port]))
    await c.stopBroker(1)
    const after = await conn.send(describeClusterApi, 0, { includeClusterAuthorizedOperations: false })
    expect(after.brokers.map((b) => b.brokerId)).toEqual([2, 3])
    expect(after.controllerId).toBe(2)
    expect(after.clusterAuthorizedOperations).toBe(-2147483648)
    const controllers = await conn.send(describeClusterApi, 1, {
      includeClusterAuthorizedOperations: false,
      endpointType: 2,
    })
    expect([controllers.errorCode, controllers.brokers]).toEqual([ErrorCodes.MISMATCHED_ENDPOINT_TYPE, []])
    const unknown = await conn.send(describeClusterApi, 1, {
      includeClusterAuthorizedOperations: false,
      endpointType: 7,
    })
    expect(unknown.errorCode).toBe(ErrorCodes.UNSUPPORTED_ENDPOINT_TYPE)
  })
})
