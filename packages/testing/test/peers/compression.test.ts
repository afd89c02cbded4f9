import { execFileSync } from 'node:child_process'
import { compress as zstdWasmCompress, init as zstdWasmInit } from '@bokuweb/zstd-wasm'
import { decompress as fzstdDecompress } from 'fzstd'
import { CompressionCodecs, CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs'
import SnappyCodec from 'kafkajs-snappy'
import * as lz4js from 'lz4js'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MockCluster, type MockClusterOptions, type MockRecord } from '../../src/index.js'
import { killRunning, lines, run } from './run.js'

// The mock cluster stores compressed batches as clients send them and decodes every codec for
// records(): snappy, lz4 and zstd with the codecs of @tributary/compression (an optional peer
// dependency, loaded when installed). Each batch here is compressed by another client's own code:
// librdkafka (kcat), kafkajs with codec plugins, kafka-python (whose snappy is the xerial framing the
// Java client writes), so the test proves the codecs read what the Kafka ecosystem writes, and that
// fetches serve those batches to other clients unchanged.

const CODECS = [
  { codec: 'snappy', type: 2 },
  { codec: 'lz4', type: 3 },
  { codec: 'zstd', type: 4 },
] as const

type CodecName = (typeof CODECS)[number]['codec']

/** A record as compared: key, value and headers as text. */
interface TextRecord {
  key: string | null
  value: string | null
  headers: Array<[string, string | null]>
}

const asText = (r: MockRecord): TextRecord => ({
  key: r.key?.toString('utf8') ?? null,
  value: r.value?.toString('utf8') ?? null,
  headers: r.headers.map((h) => [h.key, h.value?.toString('utf8') ?? null]),
})

/** Compressible JSON-like messages (each compresses well alone: clients skip compression otherwise). */
function messages(count: number, tag: string): Array<{ key: string; value: string }> {
  return Array.from({ length: count }, (_, i) => ({
    key: `key-${i % 13}`,
    value: JSON.stringify({ tag, n: i, note: 'compressible '.repeat(12), items: [{ sku: `s-${i % 7}`, qty: i % 5 }] }),
  }))
}

/** The records of a topic's partitions, in partition then offset order, as text. */
const stored = (cluster: MockCluster, topic: string): TextRecord[] => cluster.records(topic).map(asText)

/** Sorts by key then value, for comparing sets of records whatever their partitions. */
const byContent = (a: TextRecord, b: TextRecord) =>
  String(a.key).localeCompare(String(b.key)) || String(a.value).localeCompare(String(b.value))

const KCAT_TIMEOUT_MS = 30_000

function kcatProduce(cluster: MockCluster, topic: string, input: string, extra: string[]) {
  return run(
    'kcat',
    ['-P', '-b', cluster.bootstrapBrokers.join(','), '-t', topic, '-K', '\\t', '-X', 'linger.ms=20', ...extra],
    { input, timeoutMs: KCAT_TIMEOUT_MS },
  )
}

interface KcatJson {
  partition: number
  offset: number
  key: string | null
  payload: string | null
}

async function kcatConsume(cluster: MockCluster, topic: string): Promise<TextRecord[]> {
  const { stdout } = await run(
    'kcat',
    ['-C', '-b', cluster.bootstrapBrokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-J'],
    { timeoutMs: KCAT_TIMEOUT_MS },
  )
  return lines(stdout)
    .map((line) => JSON.parse(line) as KcatJson)
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset)
    .map((j) => ({ key: j.key, value: j.payload, headers: [] }))
}

/**
 * kafkajs codec plugins on implementations independent of Tributary's: kafkajs-snappy (snappyjs,
 * the plugin kafkajs documents), lz4js and the reference libzstd compiled to WebAssembly for
 * compressing, fzstd (pure JavaScript) for decompressing. kafkajs-lz4 and @kafkajs/zstd would need
 * native builds at install time.
 */
function registerKafkajsCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder: { buffer: Buffer }) => Buffer.from(lz4js.compress(encoder.buffer)),
    decompress: async (buffer: Buffer) => Buffer.from(lz4js.decompress(buffer)),
  })
  CompressionCodecs[CompressionTypes.ZSTD] = () => ({
    compress: async (encoder: { buffer: Buffer }) => Buffer.from(zstdWasmCompress(encoder.buffer, 3)),
    decompress: async (buffer: Buffer) => Buffer.from(fzstdDecompress(buffer)),
  })
}

const KAFKAJS_TYPES: Record<CodecName, CompressionTypes> = {
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
}

/** The first python3 with kafka-python and the snappy, lz4 and zstandard modules (Debian's). */
function pythonWithCodecs(): string {
  for (const candidate of [process.env.PYTHON, 'python3', '/usr/bin/python3']) {
    if (candidate === undefined || candidate === '') continue
    try {
      execFileSync(candidate, ['-c', 'import kafka, snappy, lz4.frame, zstandard'], {
        stdio: 'ignore',
        timeout: 20_000,
      })
      return candidate
    } catch {}
  }
  throw new Error('no python3 with kafka-python, python-snappy, lz4 and zstandard; run scripts/install-system-deps.sh')
}

/**
 * kafka-python producing the messages (JSON lines on stdin) to one topic per codec, each with its own
 * producer: `compression_type` is per producer. kafka-python writes snappy in the xerial framing,
 * as Kafka's Java producer does.
 */
const KAFKA_PYTHON_PRODUCER = `
import json, sys
from kafka import KafkaProducer
bootstrap = sys.argv[1].split(",")
messages = [json.loads(line) for line in sys.stdin if line.strip()]
for codec in sys.argv[2].split(","):
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=20, compression_type=codec)
    futures = [producer.send("py-" + codec, key=m["key"].encode(), value=m["value"].encode()) for m in messages]
    producer.flush(30)
    for f in futures:
        f.get(timeout=30)
    producer.close(30)
`

describe('MockCluster decodes batches compressed by other clients', () => {
  let cluster: MockCluster | undefined
  const producers: Producer[] = []

  beforeAll(async () => {
    await zstdWasmInit()
    registerKafkajsCodecs()
  })

  afterEach(async () => {
    killRunning()
    await Promise.all(producers.splice(0).map((p) => p.disconnect().catch(() => {})))
    await cluster?.stop()
    cluster = undefined
  })

  async function start(options: MockClusterOptions = {}): Promise<MockCluster> {
    cluster = await MockCluster.start({ logger: false, ...options })
    return cluster
  }

  async function kafkajsProducer(c: MockCluster): Promise<Producer> {
    const kafka = new Kafka({ clientId: 'compression-test', brokers: c.bootstrapBrokers, logLevel: logLevel.NOTHING })
    const producer = kafka.producer({ allowAutoTopicCreation: false })
    producers.push(producer)
    await producer.connect()
    return producer
  }

  it.each(CODECS)('records() decodes what kcat (librdkafka) compressed with -z $codec', async ({ codec, type }) => {
    const c = await start({ topics: [{ name: 'kcat', partitions: 3 }] })
    const sent = messages(400, `kcat-${codec}`)
    await kcatProduce(c, 'kcat', sent.map((m) => `${m.key}\t${m.value}\n`).join(''), [
      '-z',
      codec,
      '-H',
      `codec=${codec}`,
    ])
    for (let p = 0; p < 3; p++) {
      const batches = c.batches('kcat', p)
      expect(batches.length).toBeGreaterThan(0)
      expect(batches.every((b) => b.compression === type)).toBe(true)
    }
    const records = c.records('kcat')
    expect(records.every((r) => r.compression === type)).toBe(true)
    expect(records.map(asText).sort(byContent)).toEqual(
      sent.map((m): TextRecord => ({ ...m, headers: [['codec', codec]] })).sort(byContent),
    )
  })

  it.each(CODECS)('records() decodes what kafkajs compressed with $codec (codec plugins)', async ({ codec, type }) => {
    const c = await start({ topics: [{ name: 'kafkajs', partitions: 2 }] })
    const producer = await kafkajsProducer(c)
    const sent = messages(300, `kafkajs-${codec}`)
    await producer.send({
      topic: 'kafkajs',
      compression: KAFKAJS_TYPES[codec],
      messages: sent.map((m) => ({ ...m, headers: { codec } })),
    })
    const batches = [...c.batches('kafkajs', 0), ...c.batches('kafkajs', 1)]
    expect(batches.length).toBeGreaterThan(0)
    expect(batches.every((b) => b.compression === type)).toBe(true)
    expect(stored(c, 'kafkajs').sort(byContent)).toEqual(
      sent.map((m): TextRecord => ({ ...m, headers: [['codec', codec]] })).sort(byContent),
    )
  })

  it('records() decodes what kafka-python compressed: snappy in the Java client’s xerial framing, lz4 and zstd', async () => {
    const c = await start({ topics: CODECS.map((x) => ({ name: `py-${x.codec}`, partitions: 2 })) })
    const sent = messages(300, 'kafka-python')
    await run(pythonWithCodecs(), ['-c', KAFKA_PYTHON_PRODUCER, c.bootstrapBrokers.join(','), 'snappy,lz4,zstd'], {
      input: sent.map((m) => `${JSON.stringify(m)}\n`).join(''),
      timeoutMs: 60_000,
    })
    for (const { codec, type } of CODECS) {
      const topic = `py-${codec}`
      const batches = [...c.batches(topic, 0), ...c.batches(topic, 1)]
      expect(batches.length, topic).toBeGreaterThan(0)
      expect(batches.every((b) => b.compression === type)).toBe(true)
      if (codec === 'snappy') {
        // The records section starts with the xerial magic: this is the Java client's framing.
        const records = (batches[0] as { bytes: Buffer }).bytes.subarray(61)
        expect(records.subarray(0, 8)).toEqual(Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0]))
      }
      expect(stored(c, topic).sort(byContent)).toEqual(
        sent.map((m): TextRecord => ({ ...m, headers: [] })).sort(byContent),
      )
    }
  })

  it('serves compressed batches to fetches as stored: kcat reads back what kafkajs compressed', async () => {
    const c = await start({ topics: CODECS.map((x) => ({ name: `fetch-${x.codec}`, partitions: 1 })) })
    const producer = await kafkajsProducer(c)
    for (const { codec } of CODECS) {
      const sent = messages(200, `fetch-${codec}`)
      await producer.send({ topic: `fetch-${codec}`, compression: KAFKAJS_TYPES[codec], messages: sent })
      const read = await kcatConsume(c, `fetch-${codec}`)
      expect(read).toEqual(sent.map((m): TextRecord => ({ ...m, headers: [] })))
    }
  })

  it('says which codec is missing and what to install when it cannot decode a batch', async () => {
    const c = await start({ loadCodecs: false, topics: [{ name: 'z', partitions: 1 }] })
    await kcatProduce(
      c,
      'z',
      messages(50, 'z')
        .map((m) => `${m.key}\t${m.value}\n`)
        .join(''),
      ['-z', 'zstd'],
    )
    expect(c.batches('z', 0)[0]?.compression).toBe(4)
    expect(() => c.records('z')).toThrow(
      /cannot decode a record batch compressed with zstd \(compression type 4\).*npm install --save-dev @tributary\/compression/,
    )
  })

  it('decodes with a codec passed in codecs in preference to the installed one', async () => {
    const { zstd } = await import('@tributary/compression/zstd')
    const real = zstd()
    let calls = 0
    const counting = {
      ...real,
      decompress: (data: Buffer) => {
        calls++
        return real.decompress(data)
      },
    }
    const c = await start({ codecs: [counting], topics: [{ name: 'z', partitions: 1 }] })
    const sent = messages(50, 'own-codec')
    await kcatProduce(c, 'z', sent.map((m) => `${m.key}\t${m.value}\n`).join(''), ['-z', 'zstd'])
    expect(stored(c, 'z').map((r) => r.value)).toEqual(sent.map((m) => m.value))
    expect(calls).toBe(c.batches('z', 0).length)
  })
})
