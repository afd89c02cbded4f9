import { ConfigError, murmur2, type Partitioner, Producer } from '@tributary/core'
import {
  byHeader,
  consistent,
  consistentRandom,
  explicit,
  fnv1aRandom,
  murmur2Random,
  toKafkajs,
} from '@tributary/partitioners'
import { produceWithKcat } from '@tributary/test-support/kcat'
import { killChildren, run } from '@tributary/test-support/processes'
import { python } from '@tributary/test-support/python'
import { prng } from '@tributary/test-support/random'
import { MockCluster } from '@tributary/testing'
import { Kafka, logLevel, Partitioners } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The partitioners of @tributary/partitioners against the clients they are named after, where
// those clients run here: librdkafka through kcat and confluent-kafka for Python, producing keyed
// records to the mock cluster, which shows the partition each key landed on. A Tributary producer
// (and a kafkajs producer through toKafkajs) given the same keys must put each on the same
// partition. kafkajs's and the Java client's partitioners are compared in the package's own tests.

type LibrdkafkaName = 'murmur2_random' | 'consistent_random' | 'fnv1a_random' | 'consistent'

const PARTITIONERS: ReadonlyArray<{ name: LibrdkafkaName; ours: () => Partitioner }> = [
  { name: 'murmur2_random', ours: murmur2Random },
  { name: 'consistent_random', ours: consistentRandom },
  { name: 'fnv1a_random', ours: fnv1aRandom },
  { name: 'consistent', ours: consistent },
]
const COUNTS = [1, 3, 7, 16, 64]
const KEYS_PER_RUN = 500

/**
 * Keys as kcat reads them from `key<TAB>value` lines: printable ASCII and UTF-8 text of 1 to 48
 * bytes (no tab or newline), a few empty keys (a line starting with the tab) and a few null keys
 * (a line without one).
 */
function makeKeys(count: number, seed: number): Array<string | null> {
  const random = prng(seed)
  const keys: Array<string | null> = []
  for (let i = 0; i < count; i++) {
    if (i % 100 === 10) keys.push(null)
    else if (i % 100 === 20) keys.push('')
    else if (i % 3 === 0) keys.push(`user-${Math.floor(random() * 1e9)}-ü€-${i}`)
    else {
      const length = 1 + Math.floor(random() * 48)
      keys.push(String.fromCharCode(...Array.from({ length }, () => 32 + Math.floor(random() * 95))))
    }
  }
  return keys
}

/** Whether the client's choice for this key is deterministic (else it is random, possibly sticky). */
function hashed(name: LibrdkafkaName, key: string | null): boolean {
  if (key === null) return name === 'consistent'
  if (key === '') return name !== 'consistent_random'
  return true
}

/** A partitioner hashing differently from `name`'s, for checking that the comparison can fail. */
const other = (name: LibrdkafkaName): (() => Partitioner) => (name === 'murmur2_random' ? consistent : murmur2Random)

const keyBytes = (key: string | null) => (key === null ? null : Buffer.from(key, 'utf8'))

/** Where each record landed, by its value (the index of its key). */
function landed(cluster: MockCluster, topic: string): Map<number, number> {
  return new Map(cluster.records(topic).map((r) => [Number(r.value?.toString()), r.partition]))
}

/** The keys whose partition differs from what `ours` computes (only where the client hashes). */
function mismatches(
  name: LibrdkafkaName,
  keys: Array<string | null>,
  partitions: Map<number, number>,
  count: number,
  ours: Partitioner,
): string[] {
  const out: string[] = []
  keys.forEach((key, i) => {
    const theirs = partitions.get(i)
    if (theirs === undefined) {
      out.push(`key #${i} was not stored`)
      return
    }
    if (!(theirs >= 0 && theirs < count)) out.push(`key #${i} on partition ${theirs} of ${count}`)
    if (!hashed(name, key)) return
    const mine = ours.partition({ topic: 't', key: keyBytes(key), value: null, partitionCount: count })
    if (mine !== theirs) out.push(`${JSON.stringify(key)}: ${name} chose ${theirs}, ours ${mine} (of ${count})`)
  })
  return out
}

/** confluent-kafka producing `i` as the value of key i, one producer per partitioner (a topic each). */
const CONFLUENT_PRODUCER = `
import json, sys
from confluent_kafka import Producer
bootstrap, names, count = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
keys = [json.loads(line) for line in sys.stdin if line.strip()]
for name in names:
    p = Producer({"bootstrap.servers": bootstrap, "partitioner": name, "linger.ms": 5})
    errors = []
    for i, key in enumerate(keys):
        p.produce("py-%s-%s" % (name, count), key=None if key is None else key.encode(), value=str(i).encode(),
                  on_delivery=lambda err, msg: err and errors.append(str(err)))
        p.poll(0)
    if p.flush(30) > 0 or errors:
        sys.exit("not delivered: %s" % errors[:5])
`

describe('partitioners against librdkafka (kcat, confluent-kafka) through the mock cluster', () => {
  let cluster: MockCluster

  beforeAll(async () => {
    cluster = await MockCluster.start({ brokers: 3, logger: false, autoCreateTopics: false })
  })

  afterAll(async () => {
    killChildren()
    await cluster?.stop()
  })

  it.each(PARTITIONERS)(
    'kcat -X partitioner=$name: every hashed key lands where ours puts it, for 1, 3, 7, 16 and 64 partitions',
    async ({ name, ours }) => {
      await Promise.all(
        COUNTS.map(async (count) => {
          const topic = `kcat-${name}-${count}`
          cluster.createTopic(topic, count)
          const keys = makeKeys(KEYS_PER_RUN, count * 1000 + name.length)
          const input = keys.map((key, i) => (key === null ? `${i}\n` : `${key}\t${i}\n`)).join('')
          await produceWithKcat(cluster.bootstrapBrokers, topic, input, { properties: { partitioner: name } })
          // kcat reads null and empty keys as intended: the stored keys are exactly the ones given.
          const stored = new Map(cluster.records(topic).map((r) => [Number(r.value?.toString()), r.key]))
          expect(keys.map((_, i) => stored.get(i)?.toString() ?? null)).toEqual(keys)
          const partitions = landed(cluster, topic)
          expect(mismatches(name, keys, partitions, count, ours())).toEqual([])
          // The comparison tells partitioners apart: another one disagrees with this client.
          if (count >= 7) expect(mismatches(name, keys, partitions, count, other(name)()).length).toBeGreaterThan(100)
        }),
      )
    },
  )

  it('the default partitioner hashes string keys, ASCII or not, where a kafkajs producer (Java-compatible) puts them', async () => {
    // Tributary hashes a string key from its characters (or a reused buffer when not ASCII), never
    // from a Buffer of its own: kafkajs's DefaultPartitioner, given the same keys, is the reference.
    const count = 16
    cluster.createTopic('default-ours', count)
    cluster.createTopic('default-kafkajs', count)
    const keys = makeKeys(KEYS_PER_RUN, 4242).map((k, i) => k ?? `concatenated-${i}-${'é'.repeat(i % 3)}`)
    const producer = new Producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    try {
      const results = await producer.sendBatch(keys.map((key, i) => ({ topic: 'default-ours', key, value: String(i) })))
      expect(results.every((r) => r.ok)).toBe(true)
    } finally {
      await producer.close()
    }
    const kafka = new Kafka({ brokers: cluster.bootstrapBrokers, logLevel: logLevel.NOTHING })
    const peer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
    await peer.connect()
    try {
      await peer.send({ topic: 'default-kafkajs', messages: keys.map((key, i) => ({ key, value: String(i) })) })
    } finally {
      await peer.disconnect()
    }
    const ours = landed(cluster, 'default-ours')
    const theirs = landed(cluster, 'default-kafkajs')
    expect(ours.size).toBe(keys.length)
    expect(keys.filter((_, i) => ours.get(i) !== theirs.get(i))).toEqual([])
    // The keys spread: a wrong hash could not agree by accident.
    expect(new Set(ours.values()).size).toBe(count)
  })

  it('confluent-kafka for Python puts every hashed key where ours does, for each partitioner', async () => {
    const count = 16
    for (const { name } of PARTITIONERS) cluster.createTopic(`py-${name}-${count}`, count)
    const keys = makeKeys(KEYS_PER_RUN, 77)
    await run(
      python(),
      [
        '-c',
        CONFLUENT_PRODUCER,
        cluster.bootstrapBrokers.join(','),
        PARTITIONERS.map((p) => p.name).join(','),
        String(count),
      ],
      { input: keys.map((k) => `${JSON.stringify(k)}\n`).join(''), timeoutMs: 90_000 },
    )
    for (const { name, ours } of PARTITIONERS) {
      expect(mismatches(name, keys, landed(cluster, `py-${name}-${count}`), count, ours()), name).toEqual([])
    }
  })

  it.each(PARTITIONERS)(
    'a Tributary producer with the $name partitioner puts each key where librdkafka does',
    async ({ name, ours }) => {
      const count = 16
      const topic = `tributary-${name}`
      cluster.createTopic(topic, count)
      const keys = makeKeys(KEYS_PER_RUN, count * 1000 + name.length)
      const producer = new Producer({ bootstrapBrokers: cluster.bootstrapBrokers, partitioner: ours() })
      try {
        const results = await producer.sendBatch(keys.map((key, i) => ({ topic, key, value: String(i) })))
        expect(results.every((r) => r.ok)).toBe(true)
      } finally {
        await producer.close()
      }
      // The same keys as the kcat run for 16 partitions, which matched ours key for key.
      expect(mismatches(name, keys, landed(cluster, topic), count, ours())).toEqual([])
    },
  )

  it('a kafkajs producer given toKafkajs(murmur2Random) and toKafkajs(consistentRandom) agrees with kcat', async () => {
    const count = 16
    const kafka = new Kafka({
      clientId: 'partitioners-test',
      brokers: cluster.bootstrapBrokers,
      logLevel: logLevel.NOTHING,
    })
    for (const { name, ours } of PARTITIONERS.filter(
      (p) => p.name === 'murmur2_random' || p.name === 'consistent_random',
    )) {
      const topic = `kafkajs-${name}`
      cluster.createTopic(topic, count)
      const keys = makeKeys(KEYS_PER_RUN, count * 1000 + name.length)
      const producer = kafka.producer({ createPartitioner: toKafkajs(ours), allowAutoTopicCreation: false })
      await producer.connect()
      try {
        await producer.send({ topic, messages: keys.map((key, i) => ({ key, value: String(i) })) })
      } finally {
        await producer.disconnect()
      }
      expect(mismatches(name, keys, landed(cluster, topic), count, ours()), name).toEqual([])
    }
  })
})

describe('routing partitioners with the Tributary producer', () => {
  let cluster: MockCluster

  beforeAll(async () => {
    cluster = await MockCluster.start({ logger: false, topics: [{ name: 'routed', partitions: 12 }] })
  })

  afterAll(async () => {
    await cluster?.stop()
  })

  it('byHeader: records with the header land by its hash, the others by their key', async () => {
    const producer = new Producer({ bootstrapBrokers: cluster.bootstrapBrokers, partitioner: byHeader('tenant') })
    try {
      const metas = await Promise.all([
        producer.send({ topic: 'routed', key: 'k-1', value: 'a', headers: { tenant: 'acme' } }),
        producer.send({ topic: 'routed', key: 'k-2', value: 'b', headers: { tenant: 'acme' } }),
        producer.send({ topic: 'routed', key: 'k-3', value: 'c', headers: { tenant: 'globex' } }),
        producer.send({ topic: 'routed', key: 'k-4', value: 'd' }),
      ])
      const byHash = (s: string) => (murmur2(Buffer.from(s)) & 0x7fffffff) % 12
      expect(metas.map((m) => m.partition)).toEqual([byHash('acme'), byHash('acme'), byHash('globex'), byHash('k-4')])
    } finally {
      await producer.close()
    }
  })

  it('explicit: a header names the partition; a record naming none fails alone with a ConfigError', async () => {
    const producer = new Producer({
      bootstrapBrokers: cluster.bootstrapBrokers,
      partitioner: explicit({ header: 'partition' }),
    })
    try {
      const results = await producer.sendBatch([
        { topic: 'routed', value: 'to-7', headers: { partition: '7' } },
        { topic: 'routed', value: 'nowhere' },
        { topic: 'routed', value: 'field-3', partition: 3 },
      ])
      expect(results[0]).toMatchObject({ ok: true, meta: { partition: 7 } })
      expect(results[1]?.ok).toBe(false)
      if (results[1]?.ok === false) {
        expect(ConfigError.isInstance(results[1].error)).toBe(true)
        expect(results[1].error.message).toMatch(/names no partition/)
      }
      expect(results[2]).toMatchObject({ ok: true, meta: { partition: 3 } })
    } finally {
      await producer.close()
    }
  })
})
