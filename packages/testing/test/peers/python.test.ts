import { fileURLToPath } from 'node:url'
import { useHarness } from '@tributary/test-support/harness'
import { jsonLines, run } from '@tributary/test-support/processes'
import { python } from '@tributary/test-support/python'
import { describe, expect, it } from 'vitest'
import type { MockRecord } from '../../src/index.js'

// Python clients against the mock cluster: confluent-kafka (librdkafka 2.0, idempotent producer)
// and kafka-python 2.0.2 (its own pure-Python protocol code) each produce records given here,
// report where each was delivered, then read the topic back by assigning its partitions. The
// mock must have stored exactly what Python sent, and Python must read exactly that back.

const PEER = fileURLToPath(new URL('./python/peer.py', import.meta.url))

/** A message as given to peer.py and as compared. */
interface Message {
  key: Buffer | null
  value: Buffer | null
  headers: Array<{ key: string; value: Buffer | null }>
  timestamp: bigint
}

/** A record at its position, as compared between the mock and Python. */
interface Positioned extends Message {
  partition: number
  offset: bigint
}

/** The JSON lines peer.py prints. */
type PeerEvent =
  | { event: 'delivered'; index: number; partition: number; offset: number }
  | {
      event: 'consumed'
      partition: number
      offset: number
      timestamp: number
      timestampType: number
      key: string | null
      value: string | null
      headers: Array<[string, string | null]>
    }

const b64 = (b: Buffer | null) => (b === null ? null : b.toString('base64'))
const unb64 = (s: string | null) => (s === null ? null : Buffer.from(s, 'base64'))

const positioned = (r: MockRecord): Positioned => ({
  partition: r.partition,
  offset: r.offset,
  key: r.key,
  value: r.value,
  headers: r.headers,
  timestamp: r.timestamp,
})

/**
 * Varied messages: keyed by text and by binary keys, keyless, tombstones, empty and binary values,
 * no headers, duplicate, empty and non-ASCII header names and values. kafka-python cannot send a
 * header without a value, so only the librdkafka client gets those.
 */
function messagesFor(library: string, count: number, nullHeaderValues: boolean): Message[] {
  return Array.from({ length: count }, (_, i): Message => {
    let key: Buffer | null = Buffer.from(`user-${i % 43}`)
    if (i % 100 === 7) key = null
    else if (i % 100 === 13) key = Buffer.from([0, 0xff, 0x80, i % 7])
    let value: Buffer | null = Buffer.from(JSON.stringify({ library, n: i, note: 'ünïcode ✓' }))
    if (i % 250 === 17) value = null
    else if (i % 250 === 42) value = Buffer.alloc(0)
    else if (i % 100 === 55) value = Buffer.from(Array.from({ length: 64 }, (_, j) => (i * 31 + j * 7) & 0xff))
    const headers: Message['headers'] = [
      { key: 'seq', value: Buffer.from(String(i)) },
      { key: 'library', value: Buffer.from(library) },
    ]
    if (i % 10 === 0) headers.push({ key: 'dup', value: Buffer.from('a') }, { key: 'dup', value: Buffer.from('b') })
    if (i % 10 === 2) headers.push({ key: 'ünï', value: Buffer.from('cødé ✓') })
    if (i % 10 === 3) headers.push({ key: 'empty', value: Buffer.alloc(0) })
    if (i % 10 === 4 && nullHeaderValues) headers.push({ key: 'no-value', value: null })
    return {
      key,
      value,
      headers: i % 10 === 1 ? [] : headers,
      timestamp: 1_700_000_000_000n + BigInt(i) * 1000n,
    }
  })
}

const toInput = (messages: Message[]) =>
  messages
    .map((m) =>
      JSON.stringify({
        key: b64(m.key),
        value: b64(m.value),
        headers: m.headers.map((h) => [h.key, b64(h.value)]),
        timestamp: Number(m.timestamp),
      }),
    )
    .join('\n')

describe('Python clients against the mock cluster', () => {
  const { start } = useHarness()

  it.each([
    { library: 'confluent', idempotent: true, createTimeType: 1 },
    { library: 'kafka-python', idempotent: false, createTimeType: 0 },
  ])(
    'stores 1,000 records from $library exactly as sent and $library reads the same records back',
    async ({ library, idempotent, createTimeType }) => {
      const topic = `from-${library}`
      const c = await start({ brokers: 3, topics: [{ name: topic, partitions: 6 }] })
      const count = 1000
      const messages = messagesFor(library, count, library === 'confluent')
      const { stdout } = await run(python(), [PEER, library, c.bootstrapBrokers.join(','), topic], {
        input: toInput(messages),
        timeoutMs: 50_000,
      })
      const events = jsonLines<PeerEvent>(stdout)
      const delivered = events.filter((e) => e.event === 'delivered')
      const consumed = events.filter((e) => e.event === 'consumed')
      expect(delivered.map((d) => d.index)).toEqual(messages.map((_, i) => i))

      // What Python sent, where its delivery reports say it went, in the mock's order.
      const sent: Positioned[] = messages
        .map((m, i) => ({ ...m, partition: delivered[i]?.partition ?? -1, offset: BigInt(delivered[i]?.offset ?? -1) }))
        .sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset))
      const stored = c.records(topic)
      expect(stored.map(positioned)).toEqual(sent)

      // Per partition: offsets 0..n-1 in the order the messages were produced.
      for (let p = 0; p < 6; p++) {
        const indexes = delivered.filter((d) => d.partition === p).sort((a, b) => a.offset - b.offset)
        expect(indexes.map((d) => d.offset)).toEqual(indexes.map((_, i) => i))
        expect(indexes.map((d) => d.index)).toEqual(indexes.map((d) => d.index).sort((a, b) => a - b))
      }
      // Every key in one partition (null keys are spread at random).
      const partitionsOfKey = new Map<string, Set<number>>()
      for (const r of stored) {
        if (r.key === null) continue
        const id = r.key.toString('hex')
        partitionsOfKey.set(id, (partitionsOfKey.get(id) ?? new Set()).add(r.partition))
      }
      expect([...partitionsOfKey.values()].filter((s) => s.size > 1)).toEqual([])

      if (idempotent) {
        expect(new Set(stored.map((r) => `${r.producerId}/${r.producerEpoch}`)).size).toBe(1)
        expect(stored[0]?.producerId).toBeGreaterThanOrEqual(0n)
        for (let p = 0; p < 6; p++) {
          const inPartition = stored.filter((r) => r.partition === p)
          expect(inPartition.map((r) => r.sequence)).toEqual(inPartition.map((_, i) => i))
        }
      } else {
        expect(stored.every((r) => r.producerId === -1n && r.sequence === -1)).toBe(true)
      }

      // Read back by assignment: exactly what the mock holds, create-time timestamps included.
      const read = consumed
        .map(
          (e): Positioned => ({
            partition: e.partition,
            offset: BigInt(e.offset),
            key: unb64(e.key),
            value: unb64(e.value),
            headers: e.headers.map(([key, value]) => ({ key, value: unb64(value) })),
            timestamp: BigInt(e.timestamp),
          }),
        )
        .sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset))
      expect(read).toEqual(stored.map(positioned))
      expect(consumed.every((e) => e.timestampType === createTimeType)).toBe(true)
    },
  )
})
