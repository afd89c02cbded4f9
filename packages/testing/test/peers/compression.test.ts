import { useHarness } from '@tributary/test-support/harness'
import { registerKafkajsCodecs } from '@tributary/test-support/kafkajs-codecs'
import { consumeWithKcat, produceWithKcat } from '@tributary/test-support/kcat'
import { run } from '@tributary/test-support/processes'
import { python } from '@tributary/test-support/python'
import { CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { MockCluster, MockRecord } from '../../src/index.js'

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
  return produceWithKcat(cluster.bootstrapBrokers, topic, input, {
    properties: { 'linger.ms': '20' },
    args: extra,
    timeoutMs: KCAT_TIMEOUT_MS,
  })
}

async function kcatConsume(cluster: MockCluster, topic: string): Promise<TextRecord[]> {
  const read = await consumeWithKcat(cluster.bootstrapBrokers, topic, { timeoutMs: KCAT_TIMEOUT_MS })
  return read
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset)
    .map((j) => ({ key: j.key, value: j.payload, headers: [] }))
}

const KAFKAJS_TYPES: Record<CodecName, CompressionTypes> = {
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
}

/** kafka-python and the snappy, lz4 and zstandard modules it compresses with (Debian's). */
const PYTHON_WITH_CODECS = ['kafka', 'snappy', 'lz4.frame', 'zstandard']

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
  const { start, defer } = useHarness()

  beforeAll(registerKafkajsCodecs)

  async function kafkajsProducer(c: MockCluster): Promise<Producer> {
    const kafka = new Kafka({ clientId: 'compression-test', brokers: c.bootstrapBrokers, logLevel: logLevel.NOTHING })
    const producer = kafka.producer({ allowAutoTopicCreation: false })
    defer(() => producer.disconnect())
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
    await run(
      python(PYTHON_WITH_CODECS),
      ['-c', KAFKA_PYTHON_PRODUCER, c.bootstrapBrokers.join(','), 'snappy,lz4,zstd'],
      {
        input: sent.map((m) => `${JSON.stringify(m)}\n`).join(''),
        timeoutMs: 60_000,
      },
    )
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

  it('refuses batches it has no codec to validate, as Kafka answers when a codec fails to load, and stores none', async () => {
    // The error message naming the package to install is checked in test/produce-validation.test.ts.
    const c = await start({ loadCodecs: false, topics: [{ name: 'z', partitions: 1 }] })
    const input = messages(50, 'z')
      .map((m) => `${m.key}\t${m.value}\n`)
      .join('')
    await expect(kcatProduce(c, 'z', input, ['-z', 'zstd'])).rejects.toThrow(/Unknown broker error/)
    expect(c.batches('z', 0)).toEqual([])
    expect(c.records('z')).toEqual([])
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
    // Once to validate each batch when it is appended, once to decode it for records().
    expect(calls).toBe(2 * c.batches('z', 0).length)
  })
})
