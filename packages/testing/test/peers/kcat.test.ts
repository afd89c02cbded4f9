import { crc32 } from 'node:zlib'
import { useHarness } from '@tributary/test-support/harness'
import { consumeWithKcat, type KcatMessage, kcatHeaders, produceWithKcat } from '@tributary/test-support/kcat'
import type { RunResult } from '@tributary/test-support/processes'
import { describe, expect, it } from 'vitest'
import type { MockCluster, MockRecord } from '../../src/index.js'

// kcat (librdkafka 2.0, an independent C client) against the mock cluster: what kcat produced
// must be exactly what the mock stored, and what kcat consumes back must be exactly that again.
// Set KCAT_DEBUG (e.g. KCAT_DEBUG=feature,msg,protocol) to see librdkafka's debug log in failures.

/** A record as kcat sees it: key, value and headers as strings (the inputs are UTF-8 text). */
interface TextRecord {
  key: string | null
  value: string | null
  /** Headers in order, duplicates kept; null for a header without a value. */
  headers: Array<[string, string | null]>
}

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'))

const asText = (r: MockRecord): TextRecord => ({
  key: text(r.key),
  value: text(r.value),
  headers: r.headers.map((h): [string, string | null] => [h.key, text(h.value)]),
})

/** `-H` arguments giving every message the same headers; kcat 1.7 has no per-message headers. */
function headerArgs(headers: Array<[string, string | null]>): string[] {
  // `-H name` without `=` sends a header with a null value; `-H name=` an empty one.
  return headers.flatMap(([key, value]) => ['-H', value === null ? key : `${key}=${value}`])
}

/**
 * Generous (10,000 records take about a second to produce or consume), and well under the test timeout
 * so that a hang fails with kcat's stderr rather than a bare test timeout.
 */
const KCAT_TIMEOUT_MS = 20_000

/** Produces `input` (one message per line, key and value separated by a tab) with an idempotent kcat. */
function kcatProduce(cluster: MockCluster, topic: string, input: string, extra: string[] = []): Promise<RunResult> {
  return produceWithKcat(cluster.bootstrapBrokers, topic, input, {
    properties: { 'enable.idempotence': 'true', acks: 'all' },
    args: extra,
    timeoutMs: KCAT_TIMEOUT_MS,
  })
}

/** Consumes a topic (or one partition) from the beginning to its end with kcat, as JSON. */
function kcatConsume(cluster: MockCluster, topic: string, partition?: number): Promise<KcatMessage[]> {
  return consumeWithKcat(cluster.bootstrapBrokers, topic, {
    ...(partition === undefined ? {} : { partition }),
    timeoutMs: KCAT_TIMEOUT_MS,
  })
}

/** A consumed record in the comparable form, headers paired up from kcat's flat list. */
function fromKcat(json: KcatMessage): TextRecord {
  return { key: json.key, value: json.payload, headers: kcatHeaders(json) }
}

/**
 * The partition librdkafka's default partitioner (consistent_random) picks for a non-empty key:
 * CRC-32 of the key modulo the partition count. Empty and null keys go to a random partition.
 */
const librdkafkaPartition = (key: string, partitions: number) => crc32(Buffer.from(key)) % partitions

/** The input lines of messages, each `key\tvalue`, or just `value` for a message without a key. */
function inputLines(messages: Array<{ key: string | null; value: string }>): string {
  return `${messages.map((m) => (m.key === null ? m.value : `${m.key}\t${m.value}`)).join('\n')}\n`
}

const HEADERS: Array<[string, string | null]> = [
  ['trace-id', 'kcat-peer-test'],
  ['dup', 'first'],
  ['dup', 'second'],
  ['empty', ''],
  ['no-value', null],
  ['ünïcode', 'välue ✓'],
]

describe('kcat (librdkafka) against the mock cluster', () => {
  const { start } = useHarness()

  it('stores 10,000 keyed records with headers from an idempotent kcat producer exactly as sent, and kcat reads them back identically', async () => {
    const c = await start({ brokers: 3, topics: [{ name: 'events', partitions: 6 }] })
    const count = 10_000
    // Mostly keyed messages; every thousandth has no key, another every thousandth an empty key
    // (both partitioned at random by librdkafka); one has an empty value. Values are unique.
    const messages = Array.from({ length: count }, (_, i) => {
      if (i % 1000 === 999) return { key: null, value: `no-key-${i}` }
      if (i % 1000 === 499) return { key: '', value: `empty-key-${i}` }
      if (i === 5000) return { key: 'empty-value', value: '' }
      return { key: `customer-${i % 257}`, value: JSON.stringify({ n: i, note: 'ünïcode ✓', pad: 'x'.repeat(i % 50) }) }
    })
    const produced = await kcatProduce(c, 'events', inputLines(messages), headerArgs(HEADERS))

    const stored = c.records('events')
    expect(stored).toHaveLength(count)

    // Where each message went: keyed ones where librdkafka's partitioner puts their key, the
    // randomly partitioned ones found by their unique value.
    const partitionOfValue = new Map(stored.map((r) => [text(r.value), r.partition]))
    const expectedPartition = messages.map((m) =>
      m.key === null || m.key === '' ? partitionOfValue.get(m.value) : librdkafkaPartition(m.key, 6),
    )
    expect(expectedPartition.every((p) => p !== undefined)).toBe(true)
    const keyPartitions = new Map<string, Set<number>>()
    for (const r of stored) {
      const key = text(r.key)
      if (key === null || key === '') continue
      keyPartitions.set(key, (keyPartitions.get(key) ?? new Set()).add(r.partition))
    }
    expect([...keyPartitions.values()].every((partitions) => partitions.size === 1)).toBe(true)
    expect(new Set(stored.map((r) => r.partition))).toEqual(new Set([0, 1, 2, 3, 4, 5]))

    for (let p = 0; p < 6; p++) {
      // In input order within the partition, at offsets 0..n-1, keys, values and headers intact.
      const expected = messages
        .filter((_, i) => expectedPartition[i] === p)
        .map((m): TextRecord => ({ key: m.key, value: m.value, headers: HEADERS }))
      const inPartition = c.records('events', p)
      expect(inPartition.map(asText)).toEqual(expected)
      expect(inPartition.map((r) => r.offset)).toEqual(expected.map((_, i) => BigInt(i)))
      // One idempotent producer: its id and epoch on every batch, sequences 0..n-1 per partition.
      expect(inPartition.map((r) => r.sequence)).toEqual(expected.map((_, i) => i))
    }
    const producerIds = new Set(stored.map((r) => `${r.producerId}/${r.producerEpoch}`))
    expect(producerIds.size).toBe(1)
    expect(stored[0]?.producerId).toBeGreaterThanOrEqual(0n)
    expect(stored.every((r) => r.compression === 0)).toBe(true)
    // librdkafka stamps each message with its creation time, within the run's wall-clock window.
    for (const r of stored) {
      expect(r.timestamp).toBeGreaterThanOrEqual(BigInt(produced.startedAt))
      expect(r.timestamp).toBeLessThanOrEqual(BigInt(produced.endedAt))
    }
    expect(c.requests().some((r) => r.apiName === 'InitProducerId')).toBe(true)

    const consumed = await Promise.all([0, 1, 2, 3, 4, 5].map((p) => kcatConsume(c, 'events', p)))
    for (let p = 0; p < 6; p++) {
      const fromMock = c.records('events', p)
      const read = consumed[p] ?? []
      expect(read.map(fromKcat)).toEqual(fromMock.map(asText))
      expect(read.map((j) => [j.topic, j.partition, j.offset, j.tstype, j.ts])).toEqual(
        fromMock.map((r) => ['events', p, Number(r.offset), 'create', Number(r.timestamp)]),
      )
    }
  })

  it.each([
    { codec: 'gzip', type: 1 },
    { codec: 'snappy', type: 2 },
    { codec: 'lz4', type: 3 },
    { codec: 'zstd', type: 4 },
  ])(
    'makes kcat -z $codec send batches with compression type $type, served back to kcat as stored',
    async ({ codec, type }) => {
      const c = await start({ brokers: 3, topics: [{ name: 'compressed', partitions: 3 }] })
      const count = 600
      // Values compress well even alone: librdkafka sends a batch uncompressed when compressing
      // does not make it smaller.
      const messages = Array.from({ length: count }, (_, i) => ({
        key: `key-${i % 11}`,
        value: `${i}:${'compressible '.repeat(40)}`,
      }))
      const headers: Array<[string, string | null]> = [['codec', codec]]
      await kcatProduce(c, 'compressed', inputLines(messages), [
        '-z',
        codec,
        '-X',
        'linger.ms=20',
        ...headerArgs(headers),
      ])

      let total = 0n
      for (let p = 0; p < 3; p++) {
        const batches = c.batches('compressed', p)
        expect(batches.length).toBeGreaterThan(0)
        // librdkafka silently sends uncompressed batches when the ApiVersions ranges make it think
        // the broker lacks the codec (e.g. Produce v0 not advertised, KAFKA-18659).
        expect(
          batches.map((b) => b.compression),
          `compression of the batches of partition ${p}`,
        ).toEqual(batches.map(() => type))
        total += c.endOffset('compressed', p)
      }
      expect(total).toBe(BigInt(count))
      if (codec === 'zstd') {
        // Kafka accepts zstd only from Produce v7 (KIP-110).
        const versions = c
          .requests()
          .filter((r) => r.apiName === 'Produce')
          .map((r) => r.apiVersion)
        expect(Math.min(...versions)).toBeGreaterThanOrEqual(7)
      }

      const expected = (p: number): TextRecord[] =>
        messages
          .filter((m) => librdkafkaPartition(m.key, 3) === p)
          .map((m): TextRecord => ({ key: m.key, value: m.value, headers }))
      if (type === 1) {
        // gzip is always available to records().
        for (let p = 0; p < 3; p++) {
          const stored = c.records('compressed', p)
          expect(stored.map(asText)).toEqual(expected(p))
          expect(stored.every((r) => r.compression === 1)).toBe(true)
        }
      }

      const consumed = await kcatConsume(c, 'compressed')
      for (let p = 0; p < 3; p++) {
        const read = consumed.filter((j) => j.partition === p).sort((a, b) => a.offset - b.offset)
        expect(read.map(fromKcat)).toEqual(expected(p))
        expect(read.map((j) => j.offset)).toEqual(expected(p).map((_, i) => i))
      }
    },
  )
})
