import {
  type ApiDefinition,
  Connection,
  ErrorCodes,
  encodeRecordBatch,
  IS_CONTROL,
  IS_TRANSACTIONAL,
  type ProduceRequest,
  type ProduceResponse,
  produce,
  readRecordBatchHeader,
  TIMESTAMP_TYPE_LOG_APPEND,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { beforeEach, describe, expect, it } from 'vitest'
import type { MockCluster } from '../src/index.js'
import { type RawBatch, type RawRecord, rawBatch, rawRecords } from './record-bytes.js'

// Produce is validated as a Kafka 4 broker validates it (KafkaApis.handleProduceRequest,
// ProduceRequest.validateRecords, UnifiedLog.analyzeAndValidateRecords, LogValidator,
// DefaultRecordBatch and DefaultRecord): every malformed batch gets the error code Kafka answers,
// nothing of it is stored, and records() keeps working. Before this validation the mock stored
// most of these batches and acknowledged them, after which records() threw.

const { CORRUPT_MESSAGE, INVALID_RECORD, INVALID_TIMESTAMP, UNKNOWN_SERVER_ERROR } = ErrorCodes

interface Target {
  topic: string
  partition: number
  records: Buffer | null
}

describe('Produce validation', () => {
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
      clientId: 'produce-validation',
      requestTimeoutMs: 10_000,
    })
    connections.push(connection)
    return connection
  }

  async function send(
    c: MockCluster,
    targets: Target[],
    options: { version?: number; acks?: number; transactionalId?: string | null } = {},
  ): Promise<ProduceResponse> {
    const byTopic = new Map<string, Target[]>()
    for (const t of targets) byTopic.set(t.topic, [...(byTopic.get(t.topic) ?? []), t])
    const request: ProduceRequest = {
      transactionalId: options.transactionalId ?? null,
      acks: options.acks ?? -1,
      timeoutMs: 5000,
      topicData: [...byTopic].map(([name, ts]) => ({
        name,
        partitionData: ts.map((t) => ({ index: t.partition, records: t.records })),
      })),
    }
    const conn = await connect(c)
    return conn.send(produce as ApiDefinition<ProduceRequest, ProduceResponse>, options.version ?? 9, request)
  }

  async function produceTo(c: MockCluster, records: Buffer | null, version = 9) {
    const response = await send(c, [{ topic: 't', partition: 0, records }], { version })
    const answer = response.responses[0]?.partitionResponses[0]
    if (answer === undefined) throw new Error('no partition in the response')
    return answer
  }

  /** A cluster with topic 't' (one partition) holding one valid batch, to check nothing more gets in. */
  async function clusterWithOneBatch(options: Parameters<typeof start>[0] = {}): Promise<MockCluster> {
    const c = await start({ topics: [{ name: 't', partitions: 1 }], ...options })
    expect((await produceTo(c, rawBatch())).errorCode).toBe(ErrorCodes.NONE)
    return c
  }

  function expectUnchanged(c: MockCluster): void {
    expect(c.batches('t', 0)).toHaveLength(1)
    expect(c.endOffset('t', 0)).toBe(3n)
    expect(c.records('t').map((r) => r.value?.toString())).toEqual(['value-0', 'value-1', 'value-2'])
  }

  const record = (fields: RawRecord): RawRecord[] => [{}, fields, {}]
  const overlong = (n: number) => Buffer.from([...Array(n - 1).fill(0x80), 0x00])

  const cases: Array<{ what: string; code: number; batch: () => Buffer | null; version?: number }> = [
    // ProduceRequest.validateRecords and the batch iteration before it
    { what: 'an empty records field', code: INVALID_RECORD, batch: () => Buffer.alloc(0) },
    { what: 'a null records field', code: INVALID_RECORD, batch: () => null },
    { what: 'a batch cut off before its end', code: INVALID_RECORD, batch: () => rawBatch().subarray(0, 70) },
    { what: 'a batch of magic 1', code: INVALID_RECORD, batch: () => rawBatch({ magic: 1 }) },
    {
      what: 'two batches for one partition',
      code: INVALID_RECORD,
      batch: () => Buffer.concat([rawBatch(), rawBatch()]),
    },
    {
      what: 'a second batch whose size field is below 14',
      code: CORRUPT_MESSAGE,
      batch: () => Buffer.concat([rawBatch(), rawBatch({ batchLength: 13 })]),
    },
    {
      what: 'zstd compression in Produce v6',
      code: ErrorCodes.UNSUPPORTED_COMPRESSION_TYPE,
      batch: () => rawBatch({ attributes: 4 }),
      version: 6,
    },
    // UnifiedLog.analyzeAndValidateRecords
    { what: 'a base offset other than 0', code: INVALID_RECORD, batch: () => rawBatch({ baseOffset: 7n }) },
    {
      what: 'a batch shorter than the 61-byte header',
      code: CORRUPT_MESSAGE,
      batch: () => {
        const b = rawBatch().subarray(0, 40)
        b.writeInt32BE(28, 8)
        return b
      },
    },
    { what: 'a CRC that does not match', code: CORRUPT_MESSAGE, batch: () => rawBatch({ crc: 12345 }) },
    { what: 'compression type 5', code: UNKNOWN_SERVER_ERROR, batch: () => rawBatch({ attributes: 5 }) },
    { what: 'compression type 7', code: UNKNOWN_SERVER_ERROR, batch: () => rawBatch({ attributes: 7 }) },
    // LogValidator.validateBatch
    { what: 'lastOffsetDelta -1', code: INVALID_RECORD, batch: () => rawBatch({ lastOffsetDelta: -1 }) },
    {
      what: 'a record count of 0',
      code: INVALID_RECORD,
      batch: () => rawBatch({ recordCount: 0, lastOffsetDelta: -1 }),
    },
    { what: 'a negative record count', code: INVALID_RECORD, batch: () => rawBatch({ recordCount: -3 }) },
    {
      what: 'lastOffsetDelta disagreeing with the record count',
      code: INVALID_RECORD,
      batch: () => rawBatch({ lastOffsetDelta: 5 }),
    },
    {
      what: 'a control batch from a client',
      code: INVALID_RECORD,
      batch: () => rawBatch({ attributes: IS_CONTROL, records: [{}] }),
    },
    {
      what: 'a producer id without a base sequence',
      code: INVALID_RECORD,
      batch: () => rawBatch({ producerId: 1000n, producerEpoch: 0, baseSequence: -1 }),
    },
    // DefaultRecordBatch's iterators and DefaultRecord.readFrom
    {
      what: 'a record count above the records present',
      code: INVALID_RECORD,
      batch: () => rawBatch({ recordCount: 4, lastOffsetDelta: 3 }),
    },
    {
      what: 'a record count below the records present',
      code: INVALID_RECORD,
      batch: () => rawBatch({ recordCount: 2, lastOffsetDelta: 1 }),
    },
    {
      what: 'bytes after the last record',
      code: INVALID_RECORD,
      batch: () => rawBatch({ records: Buffer.concat([rawRecords([{}]), Buffer.from([0])]) }),
    },
    {
      what: 'a record length past the end',
      code: INVALID_RECORD,
      batch: () => rawBatch({ records: record({ length: 200 }) }),
    },
    {
      what: 'a negative record length',
      code: INVALID_RECORD,
      batch: () => rawBatch({ records: record({ length: -4 }) }),
    },
    {
      what: 'a record length longer than its fields',
      code: INVALID_RECORD,
      batch: () => rawBatch({ records: [{}, { length: 12, value: Buffer.from('x') }, { body: Buffer.alloc(0) }] }),
    },
    {
      what: 'record fields longer than the record length',
      code: INVALID_RECORD,
      batch: () => rawBatch({ records: [{ length: 5 }] }),
    },
    {
      what: 'an offset delta varint of six bytes',
      code: INVALID_RECORD,
      batch: () =>
        rawBatch({ records: [{ body: Buffer.concat([Buffer.from([0, 0]), overlong(6), Buffer.from([1, 1, 0])]) }] }),
    },
    {
      what: 'a timestamp delta varlong of eleven bytes',
      code: INVALID_RECORD,
      batch: () =>
        rawBatch({ records: [{ body: Buffer.concat([Buffer.from([0]), overlong(11), Buffer.from([0, 1, 1, 0])]) }] }),
    },
    {
      what: 'offset deltas that do not count up from 0',
      code: INVALID_RECORD,
      batch: () => rawBatch({ records: record({ offsetDelta: 2 }) }),
    },
    { what: 'a key length of -2', code: INVALID_RECORD, batch: () => rawBatch({ records: record({ keyLength: -2 }) }) },
    {
      what: 'a value running past its record',
      code: INVALID_RECORD,
      batch: () => rawBatch({ records: record({ valueLength: 60 }) }),
    },
    {
      what: 'a header count of -1',
      code: INVALID_RECORD,
      batch: () => rawBatch({ records: record({ headerCount: -1 }) }),
    },
    {
      what: 'more headers than bytes in the record',
      code: INVALID_RECORD,
      batch: () => rawBatch({ records: record({ headerCount: 40 }) }),
    },
    {
      what: 'a negative header key length',
      code: INVALID_RECORD,
      batch: () => rawBatch({ records: record({ headers: [{ key: Buffer.alloc(0), keyLength: -1, value: null }] }) }),
    },
    {
      what: 'a header value length of -3',
      code: INVALID_RECORD,
      batch: () =>
        rawBatch({ records: record({ headers: [{ key: Buffer.from('h'), value: null, valueLength: -3 }] }) }),
    },
    // Compressed batches: the payload must decompress, and then the records must be valid.
    {
      what: 'a gzip batch whose payload is not gzip',
      code: UNKNOWN_SERVER_ERROR,
      batch: () => rawBatch({ attributes: 1, records: Buffer.from('not gzip at all') }),
    },
    {
      what: 'a gzip batch whose records are malformed',
      code: INVALID_RECORD,
      batch: () => rawBatch({ gzip: true, records: record({ keyLength: -9 }) }),
    },
    {
      what: 'a gzip batch with fewer records than its count',
      code: INVALID_RECORD,
      batch: () => rawBatch({ gzip: true, recordCount: 5, lastOffsetDelta: 4 }),
    },
    // LogValidator.validateTimestamp with Kafka's default message.timestamp.* settings
    {
      what: 'the LogAppendTime type with maxTimestamp -1',
      code: INVALID_TIMESTAMP,
      batch: () => rawBatch({ attributes: TIMESTAMP_TYPE_LOG_APPEND, maxTimestamp: -1n }),
    },
  ]

  it.each(cases)(
    'answers error $code for $what, stores nothing and keeps records() working',
    async ({ code, batch, version }) => {
      const c = await clusterWithOneBatch()
      const answer = await produceTo(c, batch(), version)
      expect(answer.errorCode).toBe(code)
      expect(answer.baseOffset).toBe(-1n)
      expectUnchanged(c)
    },
  )

  it('lists every record of a LogAppendTime batch in record_errors, as Kafka does', async () => {
    const c = await clusterWithOneBatch()
    const answer = await produceTo(c, rawBatch({ attributes: TIMESTAMP_TYPE_LOG_APPEND, maxTimestamp: -1n }))
    expect(answer.recordErrors?.map((e) => e.batchIndex)).toEqual([0, 1, 2])
    expect(answer.errorMessage).toMatch(/invalid timestamp/)
  })

  it('closes the whole request with CORRUPT_MESSAGE when any partition has a batch size below 14, as Kafka does', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 2 }] })
    const response = await send(c, [
      { topic: 't', partition: 0, records: rawBatch() },
      { topic: 't', partition: 1, records: rawBatch({ batchLength: 10 }) },
    ])
    expect(response.responses.flatMap((t) => t.partitionResponses.map((p) => p.errorCode))).toEqual([
      CORRUPT_MESSAGE,
      CORRUPT_MESSAGE,
    ])
    expect(c.endOffset('t', 0)).toBe(0n)
  })

  it('fails every partition with CORRUPT_MESSAGE for an invalid magic in any of them', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 2 }] })
    const response = await send(c, [
      { topic: 't', partition: 0, records: rawBatch() },
      { topic: 't', partition: 1, records: rawBatch({ magic: 3 }) },
    ])
    expect(response.responses[0]?.partitionResponses.map((p) => p.errorCode)).toEqual([
      CORRUPT_MESSAGE,
      CORRUPT_MESSAGE,
    ])
    expect(c.endOffset('t', 0)).toBe(0n)
  })

  it('fails a request carrying a transactional batch without a transactional id with TRANSACTIONAL_ID_AUTHORIZATION_FAILED', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 2 }] })
    const transactional = rawBatch({ attributes: IS_TRANSACTIONAL, producerId: 5n, producerEpoch: 0, baseSequence: 0 })
    const response = await send(c, [
      { topic: 't', partition: 0, records: rawBatch() },
      { topic: 't', partition: 1, records: transactional },
    ])
    expect(response.responses[0]?.partitionResponses.map((p) => p.errorCode)).toEqual([
      ErrorCodes.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      ErrorCodes.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    ])
    expect(c.endOffset('t', 0)).toBe(0n)
    expect(c.endOffset('t', 1)).toBe(0n)
  })

  it('stores a transactional batch without a producer id without holding back read_committed readers', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    const response = await send(
      c,
      [{ topic: 't', partition: 0, records: rawBatch({ attributes: IS_TRANSACTIONAL }) }],
      {
        transactionalId: 'tx',
      },
    )
    expect(response.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCodes.NONE)
    expect((await produceTo(c, rawBatch())).errorCode).toBe(ErrorCodes.NONE)
    expect(c.records('t', { isolation: 'read_committed' })).toHaveLength(6)
  })

  it('appends the first batch and drops a cut-off batch after it, as Kafka trims a partial batch', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    const answer = await produceTo(c, Buffer.concat([rawBatch(), rawBatch().subarray(0, 30)]))
    expect(answer.errorCode).toBe(ErrorCodes.NONE)
    expect(c.batches('t', 0)).toHaveLength(1)
    expect(c.batches('t', 0)[0]?.bytes.length).toBe(rawBatch().length)
    expect(c.records('t')).toHaveLength(3)
  })

  it('stores a CreateTime batch with the largest record timestamp as its maxTimestamp, as Kafka rewrites it', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    const records: RawRecord[] = [{ timestampDelta: 5n }, { timestampDelta: 900n }, { timestampDelta: -3n }]
    expect((await produceTo(c, rawBatch({ records, maxTimestamp: 1n }))).errorCode).toBe(ErrorCodes.NONE)
    const stored = readRecordBatchHeader(c.batches('t', 0)[0]?.bytes as Buffer)
    expect(stored.maxTimestamp).toBe(1_700_000_000_900n)
    expect(c.records('t').map((r) => r.timestamp)).toEqual([1_700_000_000_005n, 1_700_000_000_900n, 1_699_999_999_997n])
  })

  it('stores a producer’s LogAppendTime batch as CreateTime with its maxTimestamp, as Kafka does for a CreateTime topic', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    const batch = rawBatch({ attributes: TIMESTAMP_TYPE_LOG_APPEND, maxTimestamp: 1_800_000_000_000n })
    expect((await produceTo(c, batch)).errorCode).toBe(ErrorCodes.NONE)
    const stored = readRecordBatchHeader(c.batches('t', 0)[0]?.bytes as Buffer)
    expect(stored.attributes & TIMESTAMP_TYPE_LOG_APPEND).toBe(0)
    expect(stored.maxTimestamp).toBe(1_800_000_000_000n)
  })

  it('accepts key, value and header edge cases Kafka accepts: nulls, empty bytes, repeated header keys', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    const records: RawRecord[] = [
      { key: null, value: null },
      { key: Buffer.alloc(0), value: Buffer.alloc(0) },
      {
        headers: [
          { key: Buffer.from('h'), value: null },
          { key: Buffer.from('h'), value: Buffer.alloc(0) },
        ],
      },
      { attributes: 0x7f },
    ]
    for (const spec of [{ records }, { records, gzip: true }] satisfies RawBatch[]) {
      expect((await produceTo(c, rawBatch(spec))).errorCode).toBe(ErrorCodes.NONE)
    }
    expect(c.records('t').map((r) => r.headers.length)).toEqual([0, 0, 2, 0, 0, 0, 2, 0])
  })

  it('refuses a batch compressed with a codec it has not loaded with UNKNOWN_SERVER_ERROR naming the package to install', async () => {
    const c = await clusterWithOneBatch({ loadCodecs: false })
    const { zstd } = await import('@tributary/compression/zstd')
    const batch = await encodeRecordBatch({ codec: zstd(), records: [{ value: Buffer.from('z') }] })
    const answer = await produceTo(c, batch)
    expect(answer.errorCode).toBe(UNKNOWN_SERVER_ERROR)
    expect(answer.errorMessage).toMatch(/zstd \(compression type 4\).*npm install --save-dev @tributary\/compression/)
    expectUnchanged(c)
  })

  it('closes the connection of an acks=0 Produce that failed, as Kafka does to tell the producer', async () => {
    const c = await clusterWithOneBatch()
    const conn = await connect(c)
    const closed = new Promise<Error>((resolve) => conn.onClose(resolve))
    conn.sendWithoutResponse(produce, 9, {
      transactionalId: null,
      acks: 0,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records: rawBatch({ crc: 1 }) }] }],
    })
    await closed
    expect(conn.open).toBe(false)
    expectUnchanged(c)
  })
})
