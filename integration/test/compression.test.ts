import { lz4 } from '@tributary/compression/lz4'
import { snappy } from '@tributary/compression/snappy'
import { zstd } from '@tributary/compression/zstd'
import { type Codec, Producer, type RecordMetadata } from '@tributary/core'
import { registerKafkajsCodecs } from '@tributary/test-support/kafkajs-codecs'
import { readWithKcat as readKcat } from '@tributary/test-support/kcat'
import { jsonLines, killChildren, run } from '@tributary/test-support/processes'
import { PYTHON_CODEC_MODULES, PYTHON_KAFKA_CLIENTS, python } from '@tributary/test-support/python'
import { prng } from '@tributary/test-support/random'
import { MockCluster, type MockRecord } from '@tributary/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The producer with each codec of @tributary/compression, end to end: records sent through the
// wire protocol into the mock cluster (which keeps the batches as sent), then read back by clients
// that share no code with Tributary: kcat (librdkafka, C), kafka-python and confluent-kafka, and
// kafkajs's record batch decoder with independent codec plugins. Everything is compared exactly:
// partitions, offsets, timestamps, keys, values, headers.

const CASES: ReadonlyArray<{ topic: string; codec: Codec; type: number }> = [
  { topic: 'snappy', codec: snappy(), type: 2 },
  { topic: 'snappy-raw', codec: snappy({ framing: 'raw' }), type: 2 },
  { topic: 'lz4', codec: lz4(), type: 3 },
  { topic: 'zstd', codec: zstd(), type: 4 },
  { topic: 'zstd-19', codec: zstd({ level: 19 }), type: 4 },
]
const TOPICS = CASES.map((c) => c.topic)
const PARTITIONS = 3
const RECORDS = 2_000

interface Sent {
  key: Buffer | null
  value: Buffer | null
  headers: Array<{ key: string; value: Buffer | null }>
  timestamp: number
}

/**
 * Record `i`: JSON-like values (compressible), some large (so batches pass 64 KiB and compress on
 * the thread pool), binary, empty and null ones; keyed mostly, some keyless; headers with a
 * duplicate and a null value.
 */
function makeRecord(i: number, random: () => number): Sent {
  const key = i % 17 === 0 ? null : Buffer.from(`customer-${i % 311}`)
  let value: Buffer | null
  if (i % 97 === 0) value = null
  else if (i % 89 === 0) value = Buffer.alloc(0)
  else if (i % 53 === 0) value = Buffer.from(Array.from({ length: 300 }, () => Math.floor(random() * 256)))
  else {
    const items = Array.from({ length: i % 41 === 0 ? 400 : 3 + (i % 5) }, (_, j) => ({
      sku: `sku-${Math.floor(random() * 1000)}`,
      qty: j + 1,
      note: j % 2 === 0 ? 'express ünïcode ✓' : 'standard',
    }))
    value = Buffer.from(JSON.stringify({ order: i, customer: `c-${i % 311}`, items }))
  }
  const headers = [
    { key: 'seq', value: Buffer.from(String(i)) },
    { key: 'dup', value: Buffer.from('a') },
    { key: 'dup', value: null },
  ]
  return { key, value, headers: i % 5 === 0 ? [] : headers, timestamp: 1_700_000_000_000 + i }
}

/** One record in a comparable form. */
function canonical(r: {
  topic: string
  partition: number
  offset: bigint
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Array<{ key: string; value: Buffer | null }>
}): string {
  const b = (x: Buffer | null) => (x === null ? '-' : x.toString('base64'))
  const headers = r.headers.map((h) => `${Buffer.from(h.key).toString('base64')}=${b(h.value)}`).join(',')
  return `${r.topic}/${r.partition}@${r.offset} ${r.timestamp} ${b(r.key)} ${b(r.value)} [${headers}]`
}

/** Reads a topic with kcat's JSON envelope, CRCs checked (bytes come back as latin1 chars). */
async function readWithKcat(brokers: string[], topic: string): Promise<string[]> {
  const records = await readKcat(brokers, topic, { timeoutMs: 60_000 })
  return records.map((r) => canonical({ ...r, topic, headers: r.headers.map(([key, value]) => ({ key, value })) }))
}

/** Reads topics to their end with kafka-python or confluent-kafka (assigned partitions, no group). */
const PYTHON_READER = `
import base64, ctypes, json, sys, time
lib, bootstrap, topics = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
b64 = lambda b: None if b is None else base64.b64encode(b).decode()
def emit(t, p, o, ts, k, v, h):
    print(json.dumps({"t": t, "p": p, "o": o, "ts": ts, "k": b64(k), "v": b64(v), "h": [[x, b64(y)] for x, y in (h or [])]}))
deadline = time.monotonic() + 60
if lib == "kafka-python":
    from kafka import KafkaConsumer, TopicPartition
    c = KafkaConsumer(bootstrap_servers=bootstrap.split(","), group_id=None, enable_auto_commit=False, auto_offset_reset="earliest")
    tps = [TopicPartition(t, p) for t in topics for p in sorted(c.partitions_for_topic(t))]
    c.assign(tps)
    c.seek_to_beginning(*tps)
    ends = c.end_offsets(tps)
    while any(c.position(tp) < ends[tp] for tp in tps):
        if time.monotonic() > deadline: sys.exit("kafka-python did not reach the end")
        for tp, records in c.poll(timeout_ms=500).items():
            for r in records: emit(tp.topic, tp.partition, r.offset, r.timestamp, r.key, r.value, r.headers)
    c.close(autocommit=False)
else:
    from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "compression-test", "enable.auto.commit": False,
                  "enable.partition.eof": True, "check.crcs": True})
    tps, ends = [], {}
    for t in topics:
        for p in sorted(c.list_topics(t, timeout=30).topics[t].partitions):
            ends[(t, p)] = c.get_watermark_offsets(TopicPartition(t, p), timeout=30)[1]
            tps.append(TopicPartition(t, p, OFFSET_BEGINNING))
    c.assign(tps)
    pending = {k for k, end in ends.items() if end > 0}
    while pending:
        if time.monotonic() > deadline: sys.exit("confluent-kafka did not reach the end")
        m = c.poll(0.5)
        if m is None: continue
        if m.error() is not None:
            if m.error().code() == KafkaError._PARTITION_EOF: continue
            sys.exit("consume failed: %s" % m.error())
        headers = m.headers()
        # confluent-kafka 1.7 drops a reference to None for each null header value (a refcount bug
        # that aborts the interpreter once None's count reaches 0): give those references back.
        for _, value in headers or []:
            if value is None: ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
        emit(m.topic(), m.partition(), m.offset(), m.timestamp()[1], m.key(), m.value(), headers)
        if m.offset() + 1 >= ends[(m.topic(), m.partition())]: pending.discard((m.topic(), m.partition()))
    c.close()
`

/** Both clients, and the codec modules they decompress with. */
const PYTHON_READER_MODULES = [...PYTHON_KAFKA_CLIENTS, ...PYTHON_CODEC_MODULES]

async function readWithPython(library: 'kafka-python' | 'confluent', brokers: string[]): Promise<string[]> {
  const { stdout } = await run(
    python(PYTHON_READER_MODULES),
    ['-c', PYTHON_READER, library, brokers.join(','), TOPICS.join(',')],
    { timeoutMs: 90_000 },
  )
  const unb64 = (s: string | null) => (s === null ? null : Buffer.from(s, 'base64'))
  return jsonLines<{
    t: string
    p: number
    o: number
    ts: number
    k: string | null
    v: string | null
    h: Array<[string, string | null]>
  }>(stdout).map((m) =>
    canonical({
      topic: m.t,
      partition: m.p,
      offset: BigInt(m.o),
      timestamp: BigInt(m.ts),
      key: unb64(m.k),
      value: unb64(m.v),
      headers: m.h.map(([key, value]) => ({ key, value: unb64(value) })),
    }),
  )
}

describe('Producer with snappy, lz4 and zstd, read back by kcat, kafka-python, confluent-kafka and kafkajs', () => {
  let cluster: MockCluster
  /** Every record sent, canonical, per topic in partition/offset order. */
  const expected = new Map<string, string[]>()

  beforeAll(async () => {
    cluster = await MockCluster.start({
      brokers: 2,
      logger: false,
      topics: TOPICS.map((name) => ({ name, partitions: PARTITIONS })),
    })
    for (const { topic, codec } of CASES) {
      const producer = new Producer({
        bootstrapBrokers: cluster.bootstrapBrokers,
        compression: codec,
        lingerMs: 10,
        // Below kafka-python's 1 MiB limit for zstd frames without a content size (as the Java client writes them).
        batchBytes: 256 * 1024,
      })
      const random = prng(topic.length)
      const records = Array.from({ length: RECORDS }, (_, i) => makeRecord(i, random))
      const metas: RecordMetadata[] = []
      // A few single sends (small batches, compressed inline), then the rest in one sendBatch.
      const toSend = (r: Sent) => ({
        topic,
        key: r.key,
        value: r.value,
        timestamp: r.timestamp,
        headers: r.headers.map((h) => [h.key, h.value] as const),
      })
      for (const r of records.slice(0, 5)) metas.push(await producer.send(toSend(r)))
      const results = await producer.sendBatch(records.slice(5).map(toSend))
      for (const result of results) {
        if (!result.ok) throw result.error
        metas.push(result.meta)
      }
      await producer.close()
      expected.set(
        topic,
        records
          .map((r, i) => {
            const m = metas[i] as RecordMetadata
            return {
              sortKey: m.partition * 1e9 + Number(m.offset),
              line: canonical({ ...r, topic, partition: m.partition, offset: m.offset, timestamp: m.timestamp }),
            }
          })
          .sort((a, b) => a.sortKey - b.sortKey)
          .map((x) => x.line),
      )
    }
  })

  afterAll(async () => {
    killChildren()
    await cluster?.stop()
  })

  it.each(CASES)(
    '$topic: the mock stores every batch compressed as sent and records() decodes them exactly',
    ({ topic, type }) => {
      let batches = 0
      for (let p = 0; p < PARTITIONS; p++) {
        for (const b of cluster.batches(topic, p)) {
          expect(b.compression).toBe(type)
          batches++
        }
      }
      expect(batches).toBeGreaterThan(PARTITIONS)
      const stored = cluster.records(topic).map((r: MockRecord) => canonical({ ...r, topic }))
      expect(stored).toEqual(expected.get(topic))
    },
  )

  it('the batches are much smaller than the records (the codecs compress)', () => {
    for (const { topic } of CASES) {
      let compressed = 0
      let raw = 0
      for (let p = 0; p < PARTITIONS; p++) for (const b of cluster.batches(topic, p)) compressed += b.bytes.length
      for (const r of cluster.records(topic)) raw += (r.key?.length ?? 0) + (r.value?.length ?? 0)
      expect(compressed, topic).toBeLessThan(raw / 2)
    }
  })

  it.each(TOPICS)('%s: kcat (librdkafka) reads back exactly what was sent, CRCs checked', async (topic) => {
    const read = await readWithKcat(cluster.bootstrapBrokers, topic)
    const order = (line: string) => line.slice(0, line.indexOf(' '))
    const byPosition = (a: string, b: string) => {
      const [pa, oa] = order(a).split('@') as [string, string]
      const [pb, ob] = order(b).split('@') as [string, string]
      return pa.localeCompare(pb) || Number(oa) - Number(ob)
    }
    expect(read.sort(byPosition)).toEqual(expected.get(topic))
  })

  it.each(['kafka-python', 'confluent'] as const)(
    '%s reads back exactly what was sent, every codec',
    async (library) => {
      const read = await readWithPython(library, cluster.bootstrapBrokers)
      const all = TOPICS.flatMap((t) => expected.get(t) ?? [])
      expect(read.sort()).toEqual([...all].sort())
    },
  )

  it('kafkajs’s record batch decoder, with independent codec plugins, decodes every stored batch', async () => {
    await registerKafkajsCodecs()
    // @ts-expect-error kafkajs ships no types for its internal modules
    const Decoder = (await import('kafkajs/src/protocol/decoder.js')).default as new (buffer: Buffer) => unknown
    // @ts-expect-error kafkajs ships no types for its internal modules
    const decodeBatch = (await import('kafkajs/src/protocol/recordBatch/v0/decoder.js')).default as (
      decoder: unknown,
    ) => Promise<{
      records: Array<{
        offset: string
        timestamp: string
        key: Buffer | null
        value: Buffer | null
        headers: Record<string, Buffer | null | Array<Buffer | null>>
      }>
    }>
    for (const { topic } of CASES) {
      const decoded: string[] = []
      for (let p = 0; p < PARTITIONS; p++) {
        for (const stored of cluster.batches(topic, p)) {
          const batch = await decodeBatch(new Decoder(stored.bytes))
          for (const r of batch.records) {
            // kafkajs folds headers into an object (repeated keys into arrays): unfold in that order.
            const headers = Object.entries(r.headers).flatMap(([key, v]) =>
              (Array.isArray(v) ? v : [v]).map((value) => ({ key, value })),
            )
            decoded.push(
              canonical({
                topic,
                partition: p,
                offset: BigInt(r.offset),
                timestamp: BigInt(r.timestamp),
                key: r.key,
                value: r.value,
                headers,
              }),
            )
          }
        }
      }
      expect(decoded, topic).toEqual(expected.get(topic))
    }
  })
})
