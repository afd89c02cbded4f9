import { fileURLToPath } from 'node:url'
import { encodeRecordBatch } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { jsonLines, run } from '@tributary/test-support/processes'
import { python } from '@tributary/test-support/python'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MockCluster } from '../../src/index.js'
import { Connections, produceOne } from '../helpers.js'

// confluent-kafka 1.7 (AdminClient, Consumer with assign; librdkafka 2.0) and kafka-python 2.0.2
// (KafkaAdminClient, KafkaConsumer with assign) against the mock's DescribeConfigs, AlterConfigs,
// CreatePartitions, ListOffsets, DeleteRecords and LogAppendTime topics, through
// python/admin.py. confluent-kafka 1.7 has no incremental_alter_configs (added in 2.2).

const ADMIN = fileURLToPath(new URL('./python/admin.py', import.meta.url))
const LIBRARIES = ['confluent', 'kafka-python'] as const
type Library = (typeof LIBRARIES)[number]

/** Runs the steps with one client; one parsed JSON line per step. */
async function admin(library: Library, c: MockCluster, steps: object[]): Promise<unknown[]> {
  const { stdout } = await run(
    python(),
    [ADMIN, library, c.bootstrapBrokers.join(','), ...steps.map((s) => JSON.stringify(s))],
    {
      timeoutMs: 60_000,
    },
  )
  return jsonLines(stdout)
}

/** How each client numbers timestamp types: CreateTime, LogAppendTime. */
const TIMESTAMP_TYPES: Record<Library, [number, number]> = { confluent: [1, 2], 'kafka-python': [0, 1] }

describe.each(LIBRARIES)('%s admin and offset lookups against the mock cluster', (library) => {
  const { start } = useHarness()
  const connections = new Connections()
  afterEach(async () => {
    vi.useRealTimers()
    await connections.closeAll()
  })

  it('describes topic and broker configs with their sources and synonyms, and alters and grows a topic', async () => {
    const c = await start({
      brokers: 3,
      maxMessageBytes: 2_000_000,
      topics: [{ name: 't', partitions: 2, configs: { 'retention.ms': '1000', 'cleanup.policy': 'compact' } }],
    })
    const [topic, broker, altered, refused, after, grown, shrink, dry] = await admin(library, c, [
      {
        call: 'describe_topic',
        topic: 't',
        keys: ['retention.ms', 'cleanup.policy', 'max.message.bytes', 'message.timestamp.type'],
      },
      { call: 'describe_broker', broker: '2', keys: ['node.id', 'num.partitions', 'log.retention.hours'] },
      { call: 'alter_topic', topic: 't', configs: { 'message.timestamp.type': 'LogAppendTime' } },
      { call: 'alter_topic', topic: 't', configs: { 'retention.ms': 'soon' }, expect_error: true },
      { call: 'describe_topic', topic: 't', keys: ['retention.ms', 'message.timestamp.type'] },
      { call: 'create_partitions', topic: 't', count: 5 },
      { call: 'create_partitions', topic: 't', count: 4, expect_error: true },
      { call: 'create_partitions', topic: 't', count: 9, validate_only: true },
    ])
    expect(topic).toMatchObject({
      'retention.ms': { value: '1000', source: 1, read_only: false, synonyms: [['retention.ms', '1000', 1]] },
      'cleanup.policy': {
        value: 'compact',
        source: 1,
        synonyms: [
          ['cleanup.policy', 'compact', 1],
          ['log.cleanup.policy', 'delete', 5],
        ],
      },
      // The mock's maxMessageBytes is the brokers' static message.max.bytes.
      'max.message.bytes': { value: '2000000', source: 4 },
      'message.timestamp.type': {
        value: 'CreateTime',
        source: 5,
        synonyms: [['log.message.timestamp.type', 'CreateTime', 5]],
      },
    })
    expect(broker).toMatchObject({
      'node.id': { value: '2', source: 4, read_only: true },
      'num.partitions': { value: '1', source: 5, read_only: true },
      'log.retention.hours': { value: '168', source: 5, read_only: false },
    })
    expect(altered).toEqual({ ok: true })
    expect(refused).toMatchObject({
      message: 'Invalid value soon for configuration retention.ms: Not a number of type LONG',
    })
    expect((refused as { error: unknown }).error).toBe(library === 'confluent' ? 'INVALID_CONFIG' : 40)
    // AlterConfigs replaces a topic's overrides: retention.ms and cleanup.policy are back to their defaults.
    expect(after).toMatchObject({
      'retention.ms': { value: '604800000', source: 5 },
      'message.timestamp.type': { value: 'LogAppendTime', source: 1 },
    })
    expect(c.topicConfig('t')['cleanup.policy']).toBe('delete')
    expect(grown).toEqual({ ok: true })
    expect(shrink).toMatchObject({
      message: expect.stringContaining('The topic t currently has 5 partition(s); 4 would not be an increase.'),
    })
    expect(dry).toEqual({ ok: true })
    expect([0, 1, 2, 3, 4].map((p) => c.leaderOf('t', p))).toEqual([1, 2, 3, 1, 2])
    expect(() => c.leaderOf('t', 5)).toThrow()
  })

  it('looks offsets up by timestamp at record granularity and reads from the log start after DeleteRecords', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 1 }] })
    const conn = await connections.to(c, c.leaderOf('t', 0))
    const timed = (...ts: number[]) =>
      encodeRecordBatch({ records: ts.map((t) => ({ value: Buffer.from(`at-${t}`), timestamp: BigInt(t) })) })
    await produceOne(conn, 't', 0, await timed(1000, 2000, 3000))
    await produceOne(conn, 't', 0, await timed(4000, 5000))
    const [inside, beyond, before] = await admin(library, c, [
      { call: 'offsets_for_times', topic: 't', partition: 0, timestamp: 1500 },
      { call: 'offsets_for_times', topic: 't', partition: 0, timestamp: 9000 },
      { call: 'watermarks', topic: 't', partition: 0 },
    ])
    expect(inside).toMatchObject({ offset: 1 })
    expect(beyond).toEqual(library === 'confluent' ? { offset: -1, error: null } : null)
    expect(before).toEqual({ low: 0, high: 5 })
    c.deleteRecords('t', 0, 4n)
    const [watermarks, read, earliest] = await admin(library, c, [
      { call: 'watermarks', topic: 't', partition: 0 },
      { call: 'consume', topic: 't', partition: 0, offset: 'beginning', count: 1 },
      { call: 'offsets_for_times', topic: 't', partition: 0, timestamp: 0 },
    ])
    expect(watermarks).toEqual({ low: 4, high: 5 })
    expect(read).toEqual([{ offset: 4, timestamp: 5000, type: TIMESTAMP_TYPES[library][0], value: 'at-5000' }])
    // Records below the log start are not found by timestamp either.
    expect(earliest).toMatchObject({ offset: 4 })
  })

  it('reads the broker’s clock as the timestamp of records on a LogAppendTime topic', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_650_000_000_000)
    const c = await start({ topics: [{ name: 'stamped', configs: { 'message.timestamp.type': 'LogAppendTime' } }] })
    const conn = await connections.to(c)
    await produceOne(
      conn,
      'stamped',
      0,
      await encodeRecordBatch({
        records: [
          { value: Buffer.from('a'), timestamp: 5n },
          { value: Buffer.from('b'), timestamp: 6n },
        ],
      }),
    )
    const [read, found] = await admin(library, c, [
      { call: 'consume', topic: 'stamped', partition: 0, offset: 'beginning', count: 2 },
      { call: 'offsets_for_times', topic: 'stamped', partition: 0, timestamp: 1_600_000_000_000 },
    ])
    const logAppendTime = TIMESTAMP_TYPES[library][1]
    expect(read).toEqual([
      { offset: 0, timestamp: 1_650_000_000_000, type: logAppendTime, value: 'a' },
      { offset: 1, timestamp: 1_650_000_000_000, type: logAppendTime, value: 'b' },
    ])
    expect(found).toMatchObject({ offset: 0 })
  })
})
