import { murmur2, Producer, type ProducerRecord, type RecordMetadata } from '@tributary/core'
import { readWithKcat as readKcat } from '@tributary/test-support/kcat'
import { jsonLines, killChildren, run } from '@tributary/test-support/processes'
import { python } from '@tributary/test-support/python'
import { prng } from '@tributary/test-support/random'
import { MockCluster, type MockRecord } from '@tributary/testing'
import { Partitioners, type PartitionMetadata } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The proof of the core producer: 100,000 records through the real wire protocol into the mock
// cluster, then read back by two consumers that share no code with Tributary: kcat (librdkafka, C)
// and kafka-python. Everything is compared byte for byte: keys, values, headers (duplicates and
// null values kept, in order), timestamps, and the offsets `send`/`sendBatch` returned.

type Key = Buffer | string | null
type Value = Buffer | string | null
type SentRecord = ProducerRecord<Key, Value, string, Buffer | string | null>

const TOPIC = 'proof'
const GZIP_TOPIC = 'proof-gzip'
const PARTITIONS = 6
const RECORDS = 100_000
const CHUNK = 1_000
const GZIP_RECORDS = 5_000
const ALL_PARTITIONS = [0, 1, 2, 3, 4, 5]

// ---------------------------------------------------------------------------------------------
// Deterministic records

function bytes(random: () => number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length)
  for (let i = 0; i < length; i++) out[i] = Math.floor(random() * 256)
  return out
}

const TEXT = ['plain', 'ünïcødé ✓ 日本語', 'quote " back\\slash', 'new\nline\ttab', 'ctl \u0001\u001f', '{"json":true}']

/**
 * Record `i` of the proof: always keyed (string or binary key), values of text, binary bytes (0x00
 * and 0xff included), empty, or null (tombstones); headers as pairs with a repeated key and a null
 * value, as an object, or none; every third record with an explicit timestamp years in the past.
 */
function makeRecord(topic: string, i: number, random: () => number): SentRecord {
  const key: Key = i % 11 === 0 ? bytes(random, 1 + (i % 13)) : i % 7 === 0 ? `clé-${i % 997}-✓` : `user-${i % 4999}`
  const kind = i % 20
  const value: Value =
    kind === 0
      ? null
      : kind === 1
        ? ''
        : kind < 6
          ? bytes(random, 1 + Math.floor(random() * 120))
          : `${TEXT[i % TEXT.length]} #${i} ${'x'.repeat(Math.floor(random() * 150))}`
  const h = i % 5
  const headers: SentRecord['headers'] =
    h === 0
      ? undefined
      : h === 1
        ? { source: 'proof', seq: String(i) }
        : h === 2
          ? [
              ['dup', 'first'],
              ['dup', 'second'],
              ['nil', null],
              ['bin', bytes(random, 1 + (i % 9))],
            ]
          : h === 3
            ? [
                ['ключ', 'значение'],
                ['dup', ''],
                ['dup', null],
              ]
            : []
  const record: SentRecord = { topic, key, value }
  if (headers !== undefined) record.headers = headers
  if (i % 3 === 0) record.timestamp = 1_500_000_000_000 + i
  return record
}

function makeRecords(topic: string, count: number, seed: number): SentRecord[] {
  const random = prng(seed)
  return Array.from({ length: count }, (_, i) => makeRecord(topic, i, random))
}

// ---------------------------------------------------------------------------------------------
// Canonical form: one string per record, the same whichever client produced or read it

const toBytes = (v: Buffer | string | null | undefined): Buffer | null =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8')
const hex = (b: Buffer | null): string => (b === null ? 'null' : `0x${b.toString('hex')}`)

interface Canonical {
  partition: number
  offset: bigint
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Array<[string, Buffer | null]>
}

const canonical = (r: Canonical): string =>
  [
    r.partition,
    r.offset,
    r.timestamp,
    hex(r.key),
    hex(r.value),
    r.headers.map(([k, v]) => `${hex(Buffer.from(k, 'utf8'))}=${hex(v)}`).join(','),
  ].join('|')

function headerPairs(headers: SentRecord['headers']): Array<[string, Buffer | null]> {
  if (headers === undefined) return []
  const pairs = Array.isArray(headers)
    ? (headers as ReadonlyArray<readonly [string, Buffer | string | null]>)
    : headers instanceof Map
      ? [...headers.entries()]
      : Object.entries(headers as Record<string, Buffer | string | null>)
  return pairs.map(([k, v]) => [k, toBytes(v)])
}

/** What a consumer must read for a sent record, given where `send` said it landed. */
const expectedOf = (record: SentRecord, meta: RecordMetadata): string =>
  canonical({
    partition: meta.partition,
    offset: meta.offset,
    timestamp: meta.timestamp,
    key: toBytes(record.key),
    value: toBytes(record.value),
    headers: headerPairs(record.headers),
  })

const fromMock = (r: MockRecord): string =>
  canonical({
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key,
    value: r.value,
    headers: r.headers.map((h) => [h.key, h.value]),
  })

/** Compares two long lists of canonical records, reporting the first difference legibly. */
function expectSameRecords(actual: string[], expected: string[]): void {
  const sortedActual = [...actual].sort()
  const sortedExpected = [...expected].sort()
  const firstDifference = sortedExpected.findIndex((e, i) => sortedActual[i] !== e)
  if (firstDifference >= 0 || sortedActual.length !== sortedExpected.length) {
    expect({ count: sortedActual.length, first: sortedActual[firstDifference] }).toEqual({
      count: sortedExpected.length,
      first: sortedExpected[firstDifference],
    })
  }
}

/** The canonical records a consumer must read, given where each record landed. */
const expectedAll = (sent: SentRecord[], metas: RecordMetadata[]): string[] =>
  sent.map((record, i) => expectedOf(record, metas[i] as RecordMetadata))

// ---------------------------------------------------------------------------------------------
// Independent consumers

/** Reads partitions with kcat's JSON envelope, every byte given back; CRCs are checked by librdkafka. */
async function readWithKcat(brokers: string[], topic: string, partitions: number[]): Promise<string[]> {
  const outputs = await Promise.all(
    partitions.map((partition) => readKcat(brokers, topic, { partition, timeoutMs: 60_000 })),
  )
  const records: string[] = []
  for (const output of outputs) {
    for (const m of output) {
      expect(m.tstype).toBe('create')
      records.push(canonical(m))
    }
  }
  return records
}

/** kafka-python, assigned partitions (no group, no commits), from the beginning to the high watermarks. */
const KAFKA_PYTHON_READER = `
import base64, json, sys
from kafka import KafkaConsumer, TopicPartition
brokers, topic = sys.argv[1].split(','), sys.argv[2]
tps = [TopicPartition(topic, int(p)) for p in sys.argv[3].split(',')]
consumer = KafkaConsumer(bootstrap_servers=brokers, group_id=None, enable_auto_commit=False,
                         auto_offset_reset='earliest', check_crcs=True)
consumer.assign(tps)
consumer.seek_to_beginning(*tps)
ends = consumer.end_offsets(tps)
left = {tp for tp in tps if ends[tp] > 0}
b64 = lambda b: None if b is None else base64.b64encode(b).decode('ascii')
out = sys.stdout
while left:
    for tp, messages in consumer.poll(timeout_ms=1000).items():
        for m in messages:
            if m.offset >= ends[tp]:
                continue
            out.write(json.dumps({'p': m.partition, 'o': m.offset, 't': m.timestamp, 'tt': m.timestamp_type,
                                  'k': b64(m.key), 'v': b64(m.value),
                                  'h': [[k, b64(v)] for k, v in m.headers]}) + '\\n')
            if m.offset + 1 >= ends[tp]:
                left.discard(tp)
consumer.close()
`

async function readWithKafkaPython(brokers: string[], topic: string, partitions: number[]): Promise<string[]> {
  const { stdout } = await run(python(), ['-c', KAFKA_PYTHON_READER, brokers.join(','), topic, partitions.join(',')], {
    timeoutMs: 120_000,
  })
  const b64 = (s: string | null): Buffer | null => (s === null ? null : Buffer.from(s, 'base64'))
  return jsonLines<{
    p: number
    o: number
    t: number
    tt: number
    k: string | null
    v: string | null
    h: Array<[string, string | null]>
  }>(stdout).map((m) => {
    expect(m.tt).toBe(0) // create time
    return canonical({
      partition: m.p,
      offset: BigInt(m.o),
      timestamp: BigInt(m.t),
      key: b64(m.k),
      value: b64(m.v),
      headers: m.h.map(([k, v]) => [k, b64(v)]),
    })
  })
}

// ---------------------------------------------------------------------------------------------

describe('Producer proof: 100,000 keyed records with headers, read back by kcat and kafka-python', () => {
  let cluster: MockCluster
  let producer: Producer
  const sent = makeRecords(TOPIC, RECORDS, 20_240_601)
  /** Where each record landed, by index; from `send` or from `sendBatch`. */
  const metas: RecordMetadata[] = new Array(RECORDS)
  const failures: Array<{ index: number; error: unknown }> = []
  /** Order in which `send` promises resolved (record indexes). */
  const resolved: number[] = []

  beforeAll(async () => {
    cluster = await MockCluster.start({
      brokers: 3,
      topics: [
        { name: TOPIC, partitions: PARTITIONS },
        { name: GZIP_TOPIC, partitions: PARTITIONS },
      ],
      logger: false,
    })
    producer = new Producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    // Chunks of 1,000 alternate between 1,000 single sends and one sendBatch, all issued before
    // any is awaited, so tens of thousands of promises and both paths are in flight together.
    const pending: Array<Promise<void>> = []
    for (let start = 0; start < RECORDS; start += CHUNK) {
      const chunk = sent.slice(start, start + CHUNK)
      if ((start / CHUNK) % 2 === 0) {
        chunk.forEach((record, j) => {
          const index = start + j
          pending.push(
            producer.send(record).then(
              (meta) => {
                metas[index] = meta
                resolved.push(index)
              },
              (error: unknown) => {
                failures.push({ index, error })
              },
            ),
          )
        })
      } else {
        pending.push(
          producer.sendBatch(chunk).then((results) => {
            results.forEach((result, j) => {
              if (result.ok) metas[start + j] = result.meta
              else failures.push({ index: start + j, error: result.error })
            })
          }),
        )
      }
    }
    await Promise.all(pending)
  }, 120_000)

  afterAll(async () => {
    killChildren()
    await producer?.close({ timeoutMs: 5000 }).catch(() => {})
    await cluster?.stop()
  })

  it('resolves every send and every sendBatch entry, with the default options (idempotent, acks all)', () => {
    expect(failures.slice(0, 3)).toEqual([])
    expect(metas.filter((m) => m !== undefined)).toHaveLength(RECORDS)
    expect(producer.producerId).toBeGreaterThanOrEqual(0n)
    expect(resolved).toHaveLength(RECORDS / 2)
  })

  it('stores exactly the records sent, at the offsets send and sendBatch returned', () => {
    const stored = cluster.records(TOPIC)
    expect(stored).toHaveLength(RECORDS)
    expectSameRecords(stored.map(fromMock), expectedAll(sent, metas))
    // Exactly once: one idempotent producer, one epoch, sequences without gaps per partition.
    for (let p = 0; p < PARTITIONS; p++) {
      const records = stored.filter((r) => r.partition === p)
      expect(records.map((r) => r.sequence)).toEqual(records.map((_, i) => i))
      expect(new Set(records.map((r) => r.producerEpoch))).toEqual(new Set([0]))
    }
  })

  it('returns the timestamp given, or the one the producer stamped, for each record', () => {
    sent.forEach((record, i) => {
      if (record.timestamp !== undefined) {
        const meta = metas[i] as RecordMetadata
        if (meta.timestamp !== BigInt(record.timestamp as number)) {
          expect({ index: i, timestamp: meta.timestamp }).toEqual({
            index: i,
            timestamp: BigInt(record.timestamp as number),
          })
        }
      }
    })
    const stamped = metas.filter((_, i) => sent[i]?.timestamp === undefined).map((m) => m.timestamp)
    expect(stamped.every((t) => t > 1_700_000_000_000n)).toBe(true)
  })

  it('keeps each partition in send order, with offsets from 0 and no gaps', () => {
    const byPartition = new Map<number, number[]>()
    metas.forEach((meta, index) => {
      const list = byPartition.get(meta.partition) ?? []
      list.push(index)
      byPartition.set(meta.partition, list)
    })
    expect([...byPartition.keys()].sort()).toEqual(ALL_PARTITIONS)
    for (const [partition, indexes] of byPartition) {
      // Send order is index order: offsets must follow it exactly.
      expect(indexes.map((i) => metas[i]?.offset)).toEqual(indexes.map((_, n) => BigInt(n)))
      expect(cluster.endOffset(TOPIC, partition)).toBe(BigInt(indexes.length))
    }
    // Promises of one partition resolved in send order too.
    for (let p = 0; p < PARTITIONS; p++) {
      const order = resolved.filter((i) => metas[i]?.partition === p)
      expect(order).toEqual([...order].sort((a, b) => a - b))
    }
  })

  it("puts each keyed record on Java's partition, (murmur2(key) & 0x7fffffff) % 6, which kafkajs's DefaultPartitioner also chooses", () => {
    const partitionMetadata: PartitionMetadata[] = Array.from({ length: PARTITIONS }, (_, p) => ({
      partitionErrorCode: 0,
      partitionId: p,
      leader: cluster.leaderOf(TOPIC, p),
      replicas: [],
      isr: [],
    }))
    const kafkajs = Partitioners.DefaultPartitioner()
    const mismatches: Array<{ index: number; java: number; kafkajs: number; actual: number }> = []
    sent.forEach((record, index) => {
      const key = toBytes(record.key) as Buffer
      const java = (murmur2(key) & 0x7fffffff) % PARTITIONS
      const chosen = kafkajs({ topic: TOPIC, partitionMetadata, message: { key, value: null } })
      const actual = (metas[index] as RecordMetadata).partition
      if (actual !== java || actual !== chosen) mismatches.push({ index, java, kafkajs: chosen, actual })
    })
    expect(mismatches.slice(0, 5)).toEqual([])
    // Known vectors from Kafka's own UtilsTest.testMurmur2.
    expect(murmur2(Buffer.from('21'))).toBe(-973932308)
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482)
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536)
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829)
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971)
    expect(murmur2(Buffer.from([0x61, 0x62, 0x63]))).toBe(479470107)
  })

  it('reads back identical records with kcat (librdkafka): content, offsets and timestamps, all 100,000', async () => {
    const read = await readWithKcat(cluster.bootstrapBrokers, TOPIC, ALL_PARTITIONS)
    expect(read).toHaveLength(RECORDS)
    expectSameRecords(read, expectedAll(sent, metas))
  }, 120_000)

  it('reads back identical records with kafka-python: content, offsets and timestamps, all 100,000', async () => {
    const read = await readWithKafkaPython(cluster.bootstrapBrokers, TOPIC, ALL_PARTITIONS)
    expect(read).toHaveLength(RECORDS)
    expectSameRecords(read, expectedAll(sent, metas))
  }, 120_000)

  describe('with gzip compression', () => {
    const gzipSent = makeRecords(GZIP_TOPIC, GZIP_RECORDS, 77)
    const gzipMetas: RecordMetadata[] = []

    beforeAll(async () => {
      const p = new Producer({ bootstrapBrokers: cluster.bootstrapBrokers, compression: 'gzip' })
      try {
        const results = await p.sendBatch(gzipSent)
        for (const r of results) {
          if (!r.ok) throw r.error
          gzipMetas.push(r.meta)
        }
      } finally {
        await p.close({ timeoutMs: 5000 })
      }
    })

    it('stores only gzip batches, holding exactly the records sent', () => {
      for (let p = 0; p < PARTITIONS; p++) {
        const batches = cluster.batches(GZIP_TOPIC, p)
        expect(batches.length).toBeGreaterThan(0)
        expect(batches.every((b) => b.compression === 1)).toBe(true)
      }
      expectSameRecords(cluster.records(GZIP_TOPIC).map(fromMock), expectedAll(gzipSent, gzipMetas))
    })

    it('reads back the same gzip-compressed records with kcat', async () => {
      const read = await readWithKcat(cluster.bootstrapBrokers, GZIP_TOPIC, ALL_PARTITIONS)
      expectSameRecords(read, expectedAll(gzipSent, gzipMetas))
    })

    it('reads back the same gzip-compressed records with kafka-python', async () => {
      const read = await readWithKafkaPython(cluster.bootstrapBrokers, GZIP_TOPIC, ALL_PARTITIONS)
      expectSameRecords(read, expectedAll(gzipSent, gzipMetas))
    })
  })
})
