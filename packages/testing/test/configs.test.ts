import {
  type AlterConfigsRequest,
  type AlterConfigsResponse,
  type ApiDefinition,
  alterConfigs,
  type Connection,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
  createTopics,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
  describeConfigs,
  ErrorCodes,
  encodeRecordBatch,
  type IncrementalAlterConfigsRequest,
  type IncrementalAlterConfigsResponse,
  incrementalAlterConfigs,
  readRecordBatchHeader,
  TIMESTAMP_TYPE_LOG_APPEND,
  verifyRecordBatchCrc,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MockCluster } from '../src/index.js'
import { Connections, produceOne } from './helpers.js'

// Topic and broker configs as Kafka reports and changes them (ConfigHelper, ConfigAdminManager,
// ConfigurationControlManager, LogConfig), and what the log does with them on Produce.

const describeApi = describeConfigs as ApiDefinition<DescribeConfigsRequest, DescribeConfigsResponse>
const alterApi = alterConfigs as ApiDefinition<AlterConfigsRequest, AlterConfigsResponse>
const incrementalApi = incrementalAlterConfigs as ApiDefinition<
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse
>
const createApi = createTopics as ApiDefinition<CreateTopicsRequest, CreateTopicsResponse>

const TOPIC = 2
const BROKER = 4
const SET = 0
const DELETE = 1
const APPEND = 2
const SUBTRACT = 3

function describe_(conn: Connection, resources: Array<[number, string, string[] | null]>, includeSynonyms = true) {
  return conn.send(describeApi, 4, {
    resources: resources.map(([resourceType, resourceName, configurationKeys]) => ({
      resourceType,
      resourceName,
      configurationKeys,
    })),
    includeSynonyms,
    includeDocumentation: false,
  })
}

async function entries(conn: Connection, type: number, name: string, keys: string[] | null = null) {
  const response = await describe_(conn, [[type, name, keys]])
  const result = response.results[0]
  return new Map((result?.configs ?? []).map((c) => [c.name, c]))
}

const incremental = (
  conn: Connection,
  resources: Array<[number, string, Array<[string, number, string | null]>]>,
  validateOnly = false,
) =>
  conn.send(incrementalApi, 1, {
    resources: resources.map(([resourceType, resourceName, configs]) => ({
      resourceType,
      resourceName,
      configs: configs.map(([name, configOperation, value]) => ({ name, configOperation, value })),
    })),
    validateOnly,
  })

const errorsOf = (r: { responses: Array<{ errorCode: number; errorMessage: string | null }> }) =>
  r.responses.map((x) => [x.errorCode, x.errorMessage])

describe('Topic and broker configs', () => {
  const { start } = useHarness()
  const connections = new Connections()
  afterEach(async () => {
    vi.useRealTimers()
    await connections.closeAll()
  })

  async function setup(options: Parameters<typeof start>[0] = {}): Promise<{ c: MockCluster; conn: Connection }> {
    const c = await start({ topics: [{ name: 't', partitions: 1 }], ...options })
    return { c, conn: await connections.to(c) }
  }

  it('describes a topic with each config’s source and synonyms as Kafka reports them', async () => {
    const { c, conn } = await setup({
      maxMessageBytes: 500_000,
      topics: [{ name: 't', configs: { 'retention.ms': '3600000', 'cleanup.policy': 'compact, delete' } }],
    })
    const configs = await entries(conn, TOPIC, 't')
    expect(configs.size).toBe(36)
    expect(configs.get('retention.ms')).toMatchObject({
      name: 'retention.ms',
      value: '3600000',
      readOnly: false,
      configSource: 1,
      isSensitive: false,
      synonyms: [{ name: 'retention.ms', value: '3600000', source: 1 }],
      configType: 5,
      documentation: null,
    })
    // Values are reported parsed: the list without its spaces.
    expect(configs.get('cleanup.policy')).toMatchObject({
      value: 'compact,delete',
      configSource: 1,
      synonyms: [
        { name: 'cleanup.policy', value: 'compact,delete', source: 1 },
        { name: 'log.cleanup.policy', value: 'delete', source: 5 },
      ],
      configType: 7,
    })
    // The broker's message.max.bytes (from maxMessageBytes) is a static broker config.
    expect(configs.get('max.message.bytes')).toMatchObject({
      value: '500000',
      configSource: 4,
      synonyms: [
        { name: 'message.max.bytes', value: '500000', source: 4 },
        { name: 'message.max.bytes', value: '1048588', source: 5 },
      ],
    })
    expect(configs.get('segment.bytes')).toMatchObject({
      value: '1073741824',
      configSource: 5,
      synonyms: [{ name: 'log.segment.bytes', value: '1073741824', source: 5 }],
    })
    expect(configs.get('message.timestamp.type')).toMatchObject({ value: 'CreateTime', configType: 2 })
    expect(configs.get('min.insync.replicas')).toMatchObject({ value: '1', configType: 3 })
    expect(configs.get('min.cleanable.dirty.ratio')).toMatchObject({ value: '0.5', configType: 6 })
    // Without a setting, Kafka drops the synonyms before log.retention.ms: log.retention.hours is not listed.
    c.setTopicConfig('t', 'retention.ms', null)
    expect((await entries(conn, TOPIC, 't')).get('retention.ms')).toMatchObject({
      value: '604800000',
      configSource: 5,
      synonyms: [],
    })
    // configurationKeys filters, and includeSynonyms false leaves them out.
    const only = await describe_(conn, [[TOPIC, 't', ['max.message.bytes', 'nope']]], false)
    expect(only.results[0]?.configs.map((e) => [e.name, e.synonyms])).toEqual([['max.message.bytes', []]])
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION, and INVALID_REQUEST for another broker’s resource', async () => {
    const { conn } = await setup({ brokers: 2 })
    const response = await describe_(conn, [
      [TOPIC, 'missing', null],
      [TOPIC, 'bad name', null],
      [BROKER, '2', null],
      [BROKER, 'one', null],
    ])
    expect(response.results.map((r) => [r.resourceName, r.errorCode, r.errorMessage])).toEqual([
      ['missing', ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, null],
      [
        'bad name',
        ErrorCodes.INVALID_TOPIC_EXCEPTION,
        "Topic name is invalid: 'bad name' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
      ],
      ['2', ErrorCodes.INVALID_REQUEST, 'Unexpected broker id, expected 1 or empty string, but received 2'],
      ['one', ErrorCodes.INVALID_REQUEST, 'Broker id must be an integer, but it is: one'],
    ])
  })

  it('describes a broker’s configs with read-only flags and the cluster-wide dynamic ones under the empty name', async () => {
    const { c, conn } = await setup({ defaultPartitions: 3 })
    c.setBrokerConfig('log.retention.hours', '24')
    c.setBrokerConfig('log.retention.ms', '1000', 1)
    const broker = await entries(conn, BROKER, '1')
    expect(broker.get('node.id')).toMatchObject({ value: '1', readOnly: true, configSource: 4 })
    expect(broker.get('num.partitions')).toMatchObject({
      value: '3',
      readOnly: true,
      configSource: 4,
      synonyms: [
        { name: 'num.partitions', value: '3', source: 4 },
        { name: 'num.partitions', value: '1', source: 5 },
      ],
    })
    expect(broker.get('log.retention.hours')).toMatchObject({
      value: '24',
      readOnly: false,
      configSource: 3,
      synonyms: [
        { name: 'log.retention.hours', value: '24', source: 3 },
        { name: 'log.retention.hours', value: '168', source: 5 },
      ],
    })
    expect(broker.get('log.retention.ms')).toMatchObject({
      value: '1000',
      configSource: 2,
      synonyms: [
        { name: 'log.retention.ms', value: '1000', source: 2 },
        { name: 'log.retention.hours', value: '24', source: 3 },
        { name: 'log.retention.hours', value: '168', source: 5 },
      ],
    })
    // The topic follows the broker's own setting first.
    expect(c.topicConfig('t')['retention.ms']).toBe('1000')
    const cluster = await entries(conn, BROKER, '')
    expect([...cluster.keys()]).toEqual(['log.retention.hours'])
    expect(cluster.get('log.retention.hours')?.synonyms).toEqual([
      { name: 'log.retention.hours', value: '24', source: 3 },
    ])
  })

  it('replaces a topic’s configs with AlterConfigs and changes them one by one with IncrementalAlterConfigs', async () => {
    const { c, conn } = await setup()
    c.setTopicConfig('t', 'retention.ms', '1000')
    const legacy = await conn.send(alterApi, 2, {
      resources: [{ resourceType: TOPIC, resourceName: 't', configs: [{ name: 'segment.ms', value: '5000' }] }],
      validateOnly: false,
    })
    expect(errorsOf(legacy)).toEqual([[0, null]])
    // The legacy API replaces the set: retention.ms is back to its default.
    expect(c.topicConfig('t')).toMatchObject({ 'segment.ms': '5000', 'retention.ms': '604800000' })
    const changed = await incremental(conn, [
      [
        TOPIC,
        't',
        [
          ['retention.ms', SET, '2000'],
          ['segment.ms', DELETE, null],
          ['cleanup.policy', APPEND, 'compact'],
          ['leader.replication.throttled.replicas', APPEND, '0:1,1:2'],
        ],
      ],
    ])
    expect(errorsOf(changed)).toEqual([[0, null]])
    expect(c.topicConfig('t')).toMatchObject({
      'retention.ms': '2000',
      'segment.ms': '604800000',
      'cleanup.policy': 'delete,compact',
      'leader.replication.throttled.replicas': '0:1,1:2',
    })
    await incremental(conn, [[TOPIC, 't', [['cleanup.policy', SUBTRACT, 'delete']]]])
    expect(c.topicConfig('t')['cleanup.policy']).toBe('compact')
    // validateOnly changes nothing.
    const dry = await incremental(conn, [[TOPIC, 't', [['retention.ms', SET, '3000']]]], true)
    expect(errorsOf(dry)).toEqual([[0, null]])
    expect(c.topicConfig('t')['retention.ms']).toBe('2000')
  })

  it('refuses what Kafka refuses, with its error codes and messages, changing nothing', async () => {
    const { c, conn } = await setup()
    const response = await incremental(conn, [
      [TOPIC, 't', [['retention.ms', SET, 'soon']]],
      [TOPIC, 'missing', [['retention.ms', SET, '1']]],
      [TOPIC, 'missing', [['retention.ms', SET, '2']]],
    ])
    expect(errorsOf(response)).toEqual([
      [ErrorCodes.INVALID_CONFIG, 'Invalid value soon for configuration retention.ms: Not a number of type LONG'],
      [ErrorCodes.INVALID_REQUEST, 'Each resource must appear at most once.'],
      [ErrorCodes.INVALID_REQUEST, 'Each resource must appear at most once.'],
    ])
    const cases: Array<[Array<[string, number, string | null]>, number, string]> = [
      [
        [['retention.ms', SET, '-2']],
        ErrorCodes.INVALID_CONFIG,
        'Invalid value -2 for configuration retention.ms: Value must be at least -1',
      ],
      [[['no.such.config', SET, '1']], ErrorCodes.INVALID_CONFIG, 'Unknown topic config name: no.such.config'],
      [
        [['message.timestamp.type', SET, 'Whenever']],
        ErrorCodes.INVALID_CONFIG,
        'Invalid value Whenever for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime',
      ],
      [
        [['cleanup.policy', SET, 'compact,forever']],
        ErrorCodes.INVALID_CONFIG,
        'Invalid value forever for configuration cleanup.policy: String must be one of: compact, delete',
      ],
      [
        [['min.cleanable.dirty.ratio', SET, '2']],
        ErrorCodes.INVALID_CONFIG,
        'Invalid value 2.0 for configuration min.cleanable.dirty.ratio: Value must be no more than 1',
      ],
      [
        [['retention.ms', APPEND, '1']],
        ErrorCodes.INVALID_CONFIG,
        "Can't APPEND to key retention.ms because its type is not LIST.",
      ],
      [[['retention.ms', SET, null]], ErrorCodes.INVALID_REQUEST, 'Null value not supported for : retention.ms'],
      [
        [
          ['retention.ms', SET, '1'],
          ['retention.ms', SET, '2'],
        ],
        ErrorCodes.INVALID_REQUEST,
        'Error due to duplicate config keys',
      ],
      [
        [
          ['min.compaction.lag.ms', SET, '10'],
          ['max.compaction.lag.ms', SET, '5'],
        ],
        ErrorCodes.INVALID_CONFIG,
        'conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)',
      ],
    ]
    for (const [configs, code, message] of cases) {
      expect(errorsOf(await incremental(conn, [[TOPIC, 't', configs]]))).toEqual([[code, message]])
    }
    const unknown = await incremental(conn, [[TOPIC, 'missing', [['retention.ms', SET, '1']]]])
    expect(errorsOf(unknown)).toEqual([[ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, "The topic 'missing' does not exist."]])
    expect(c.topicConfig('t')['retention.ms']).toBe('604800000')
    // Broker configs: what cannot change dynamically, and bad values, are INVALID_REQUEST (KAFKA-13609).
    const broker = await incremental(conn, [[BROKER, '1', [['num.partitions', SET, '4']]]])
    expect(errorsOf(broker)).toEqual([
      [ErrorCodes.INVALID_REQUEST, 'Cannot update these configs dynamically: Set(num.partitions)'],
    ])
    const badValue = await incremental(conn, [[BROKER, '', [['message.max.bytes', SET, 'big']]]])
    expect(errorsOf(badValue)).toEqual([
      [ErrorCodes.INVALID_REQUEST, 'Invalid value big for configuration message.max.bytes: Not a number of type INT'],
    ])
    const other = await incremental(conn, [[BROKER, '2', [['message.max.bytes', SET, '100']]]])
    expect(errorsOf(other)).toEqual([[ErrorCodes.INVALID_REQUEST, 'Unexpected broker id, expected 1, but received 2']])
  })

  it('creates topics with the configs CreateTopics names, answering their effective configs, or INVALID_CONFIG', async () => {
    const { c, conn } = await setup()
    const topic = (name: string, configs: Array<[string, string | null]>) => ({
      name,
      numPartitions: 1,
      replicationFactor: 1,
      assignments: [],
      configs: configs.map(([n, value]) => ({ name: n, value })),
    })
    const response = await conn.send(createApi, 7, {
      topics: [
        topic('stamped', [['message.timestamp.type', 'LogAppendTime']]),
        topic('bad', [['retention.ms', 'never']]),
        topic('nulls', [['retention.ms', null]]),
      ],
      timeoutMs: 1000,
      validateOnly: false,
    })
    const [stamped, bad, nulls] = response.topics
    expect(stamped?.errorCode).toBe(0)
    expect(stamped?.configs?.find((e) => e.name === 'message.timestamp.type')).toEqual({
      name: 'message.timestamp.type',
      value: 'LogAppendTime',
      readOnly: false,
      configSource: 1,
      isSensitive: false,
    })
    expect(stamped?.configs?.find((e) => e.name === 'segment.bytes')).toMatchObject({
      value: '1073741824',
      configSource: 5,
    })
    expect(stamped?.configs?.map((e) => e.name)).toEqual([...(stamped?.configs?.map((e) => e.name) ?? [])].sort())
    expect([bad?.errorCode, bad?.errorMessage]).toEqual([
      ErrorCodes.INVALID_CONFIG,
      'Invalid value never for configuration retention.ms: Not a number of type LONG',
    ])
    expect([nulls?.errorCode, nulls?.errorMessage]).toEqual([
      ErrorCodes.INVALID_CONFIG,
      'Null value not supported for topic configs: retention.ms',
    ])
    expect(c.topics().sort()).toEqual(['stamped', 't'])
    expect(c.topicConfig('stamped')['message.timestamp.type']).toBe('LogAppendTime')
    expect(() => c.createTopic('x', 1, 1, { 'segment.bytes': '1' })).toThrow(
      'Invalid value 1 for configuration segment.bytes: Value must be at least 14',
    )
  })

  it('applies a topic’s max.message.bytes to Produce, and the broker’s message.max.bytes to topics without one', async () => {
    const { c, conn } = await setup({
      topics: [{ name: 't' }, { name: 'small', configs: { 'max.message.bytes': '200' } }],
    })
    const big = await encodeRecordBatch({ records: [{ value: Buffer.alloc(300, 1) }] })
    expect((await produceOne(conn, 'small', 0, big)).errorCode).toBe(ErrorCodes.MESSAGE_TOO_LARGE)
    expect((await produceOne(conn, 't', 0, big)).errorCode).toBe(0)
    c.setBrokerConfig('message.max.bytes', '250')
    expect((await produceOne(conn, 't', 0, big)).errorCode).toBe(ErrorCodes.MESSAGE_TOO_LARGE)
    c.setTopicConfig('small', 'max.message.bytes', '1000')
    expect((await produceOne(conn, 'small', 0, big)).errorCode).toBe(0)
    expect(c.records('small')).toHaveLength(1)
  })

  it('stamps a LogAppendTime topic’s batches with the broker time, the timestamp type bit and a new CRC, answering log_append_time_ms', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_234_567)
    const { c, conn } = await setup({ topics: [{ name: 't', configs: { 'message.timestamp.type': 'LogAppendTime' } }] })
    const sent = await encodeRecordBatch({
      isTransactional: false,
      records: [
        { value: Buffer.from('a'), timestamp: 5n },
        { value: Buffer.from('b'), timestamp: 7n },
      ],
    })
    const answer = await produceOne(conn, 't', 0, sent)
    expect(answer).toMatchObject({ errorCode: 0, baseOffset: 0n, logAppendTimeMs: 1_234_567n })
    const stored = c.batches('t', 0)[0]?.bytes as Buffer
    const header = readRecordBatchHeader(stored)
    expect(header.attributes & TIMESTAMP_TYPE_LOG_APPEND).toBe(TIMESTAMP_TYPE_LOG_APPEND)
    expect(header.maxTimestamp).toBe(1_234_567n)
    expect(verifyRecordBatchCrc(stored)).toBe(true)
    expect(c.records('t').map((r) => r.timestamp)).toEqual([1_234_567n, 1_234_567n])
    // A CreateTime topic answers -1.
    c.setTopicConfig('t', 'message.timestamp.type', 'CreateTime')
    expect((await produceOne(conn, 't', 0, sent)).logAppendTimeMs).toBe(-1n)
    // A producer must not claim LogAppendTime on a LogAppendTime topic: every record is refused.
    c.setTopicConfig('t', 'message.timestamp.type', 'LogAppendTime')
    const claims = await encodeRecordBatch({
      timestampType: 'log-append',
      maxTimestamp: 99n,
      records: [{ value: Buffer.from('a'), timestamp: 99n }],
    })
    const refused = await produceOne(conn, 't', 0, claims)
    expect(refused.errorCode).toBe(ErrorCodes.INVALID_TIMESTAMP)
    expect(refused.errorMessage).toBe('One or more records have been rejected due to invalid timestamp')
    expect(refused.recordErrors).toEqual([
      {
        batchIndex: 0,
        batchIndexErrorMessage:
          'Invalid timestamp type in message DefaultRecord(offset=0, timestamp=99, key=0 bytes, value=1 bytes). Producer should not set timestamp type to LogAppendTime.',
      },
    ])
    expect(c.endOffset('t', 0)).toBe(4n)
  })

  it('refuses records without a key on a compacted topic, and timestamps outside the topic’s bounds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_000_000)
    const { c, conn } = await setup({
      topics: [
        { name: 'compacted', configs: { 'cleanup.policy': 'compact' } },
        {
          name: 'bounded',
          configs: { 'message.timestamp.before.max.ms': '1000', 'message.timestamp.after.max.ms': '10' },
        },
      ],
    })
    const keyless = await encodeRecordBatch({
      records: [
        { key: Buffer.from('k'), value: Buffer.from('a') },
        { key: null, value: Buffer.from('b') },
      ],
    })
    const noKey = await produceOne(conn, 'compacted', 0, keyless)
    expect(noKey.errorCode).toBe(ErrorCodes.INVALID_RECORD)
    const error = 'Compacted topic cannot accept message without key in topic partition compacted-0'
    expect(noKey.recordErrors).toEqual([{ batchIndex: 1, batchIndexErrorMessage: error }])
    expect(noKey.errorMessage).toBe(
      `One or more records have been rejected due to 1 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=1, message='${error}')]`,
    )
    const times = (...ts: number[]) =>
      encodeRecordBatch({ records: ts.map((t) => ({ value: Buffer.from('v'), timestamp: BigInt(t) })) })
    const outside = await produceOne(conn, 'bounded', 0, await times(999_999, 998_000, 1_000_011))
    expect(outside.errorCode).toBe(ErrorCodes.INVALID_TIMESTAMP)
    expect(outside.recordErrors?.map((e) => e.batchIndex)).toEqual([1, 2])
    expect(outside.recordErrors?.[0]?.batchIndexErrorMessage).toBe(
      'Timestamp 998000 of message with offset 1 is out of range. The timestamp should be within [999000, 1000010]',
    )
    expect((await produceOne(conn, 'bounded', 0, await times(999_000, 1_000_010))).errorCode).toBe(0)
    expect(c.records('compacted')).toHaveLength(0)
    expect(c.records('bounded')).toHaveLength(2)
  })
})
