import {
  type CompressionAlgorithmValue,
  compressionsAlgorithms,
  defaultPartitioner,
  type MessageToProduce,
  type ProduceResult,
  Producer,
  type ProducerOptions,
  stringSerializers,
} from '@platformatic/kafka'
import type { Codec } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it } from 'vitest'
import type { MockCluster, MockClusterOptions, MockRecord } from '../../src/index.js'

// @platformatic/kafka 1.x (its own protocol code, newest API versions) against the mock cluster:
// what its Producer reports writing must be exactly what the mock stored.

type StringMessage = MessageToProduce<string, string, string, string>
type BufferMessage = MessageToProduce<Buffer, Buffer, Buffer, Buffer>
type AnyMessage = StringMessage | BufferMessage

interface SeenRecord {
  topic: string
  partition: number
  offset: bigint
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Array<{ key: string; value: Buffer | null }>
}

const PARTITIONS: Record<string, number> = { orders: 6, payments: 3 }

const seen = (r: MockRecord): SeenRecord => ({
  topic: r.topic,
  partition: r.partition,
  offset: r.offset,
  timestamp: r.timestamp,
  key: r.key,
  value: r.value,
  headers: r.headers,
})

const toBuffer = (v: Buffer | string | undefined): Buffer | null =>
  v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v)

function headersOf(message: AnyMessage): SeenRecord['headers'] {
  const headers = message.headers
  if (headers === undefined) return []
  const entries: Array<[Buffer | string, Buffer | string]> =
    headers instanceof Map ? [...headers.entries()] : Object.entries(headers)
  return entries.map(([key, value]) => ({ key: key.toString(), value: toBuffer(value) }))
}

/**
 * The records a send must have stored: per topic-partition the messages in the order given, at the
 * base offset platformatic reported for that partition plus their index.
 */
function expectedRecords(messages: AnyMessage[], chosen: Map<AnyMessage, number>, result: ProduceResult): SeenRecord[] {
  const groups = new Map<string, AnyMessage[]>()
  for (const message of messages) {
    const raw = message.partition ?? chosen.get(message)
    if (raw === undefined) throw new Error('platformatic did not partition a message')
    // platformatic takes the partitioner's answer modulo the partition count, as Kafka clients do.
    const id = `${message.topic}/${raw % (PARTITIONS[message.topic] as number)}`
    groups.set(id, [...(groups.get(id) ?? []), message])
  }
  const offsets = result.offsets ?? []
  expect(offsets.map((o) => `${o.topic}/${o.partition}`).sort()).toEqual([...groups.keys()].sort())
  return offsets.flatMap(({ topic, partition, offset }) =>
    (groups.get(`${topic}/${partition}`) ?? []).map(
      (message, i): SeenRecord => ({
        topic,
        partition,
        offset: offset + BigInt(i),
        timestamp: message.timestamp as bigint,
        key: toBuffer(message.key),
        value: toBuffer(message.value),
        headers: headersOf(message),
      }),
    ),
  )
}

const byPosition = (a: SeenRecord, b: SeenRecord) =>
  a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(a.offset - b.offset)

let clock = 1_700_000_000_000n
const nextTimestamp = () => clock++

function keyedMessages(tag: string): StringMessage[] {
  const orders: StringMessage[] = Array.from({ length: 15 }, (_, i) => ({
    topic: 'orders',
    key: `customer-${i % 7}`,
    value: JSON.stringify({ order: `${tag}-${i}`, lines: Array.from({ length: i }, (_, j) => `item-${j}`) }),
    headers: { 'trace-id': `${tag}-${i}`, 'content-type': 'application/json', ünïcode: 'välue' },
    timestamp: nextTimestamp(),
  }))
  const payments: StringMessage[] = [0, 1, 2, 2, 1].map((partition, i) => ({
    topic: 'payments',
    key: `payer-${i}`,
    value: i === 3 ? '' : `${tag}-payment-${i}`,
    headers: i === 4 ? {} : { currency: i % 2 === 0 ? 'EUR' : 'USD', empty: '' },
    partition,
    timestamp: nextTimestamp(),
  }))
  // Interleave so one send mixes topics and partitions.
  return orders.flatMap((o, i) => (payments[i] === undefined ? [o] : [o, payments[i] as StringMessage]))
}

/** platformatic's own decompressors, so the mock can decode the codecs core does not ship. */
function platformaticCodec(name: 'snappy' | 'lz4'): Codec {
  const algorithm = compressionsAlgorithms[name]
  return {
    name,
    type: algorithm.bitmask as 2 | 3,
    compress: (data) => algorithm.compressSync(data),
    decompress: (data) => algorithm.decompressSync(data),
  }
}

describe('@platformatic/kafka against the mock cluster', () => {
  const harness = useHarness()
  let warnings: string[] = []

  function start(options: MockClusterOptions = {}): Promise<MockCluster> {
    warnings = []
    return harness.start({
      brokers: 3,
      topics: Object.entries(PARTITIONS).map(([name, partitions]) => ({ name, partitions })),
      logger: { info: () => {}, warn: (m) => warnings.push(m) },
      ...options,
    })
  }

  /** The default partitioner, noting what it answered for each message. */
  function recordingPartitioner<M extends AnyMessage>(chosen: Map<AnyMessage, number>) {
    return (message: M, key: Buffer | undefined) => {
      const p = defaultPartitioner(message as MessageToProduce, key)
      chosen.set(message, p)
      return p
    }
  }

  function stringProducer(
    c: MockCluster,
    chosen: Map<AnyMessage, number>,
    options: Partial<ProducerOptions<string, string, string, string>> = {},
  ): Producer<string, string, string, string> {
    const p = new Producer<string, string, string, string>({
      clientId: 'platformatic-peer-test',
      bootstrapBrokers: c.bootstrapBrokers,
      serializers: stringSerializers,
      partitioner: recordingPartitioner(chosen),
      timeout: 10_000,
      retries: 5,
      retryDelay: 20,
      ...options,
    })
    harness.defer(() => p.close(true))
    return p
  }

  it.each([
    { acks: -1, idempotent: true, compression: 'gzip' },
    { acks: -1, idempotent: true, compression: 'none' },
    { acks: 1, idempotent: false, compression: 'gzip' },
  ] as const)(
    'stores keyed records with headers (acks $acks, idempotent $idempotent, $compression) exactly as sent, at the offsets platformatic reports',
    async ({ acks, idempotent, compression }) => {
      const c = await start()
      const chosen = new Map<AnyMessage, number>()
      const p = stringProducer(c, chosen, { idempotent, acks, compression })
      const expected: SeenRecord[] = []
      for (const tag of ['first', 'second', 'third']) {
        const messages = keyedMessages(tag)
        expected.push(...expectedRecords(messages, chosen, await p.send({ messages })))
      }
      const stored = [...c.records('orders'), ...c.records('payments')]
      expect(stored.map(seen)).toEqual(expected.sort(byPosition))
      expect(new Set(stored.map((r) => r.compression))).toEqual(new Set([compression === 'gzip' ? 1 : 0]))
      if (idempotent) {
        expect(new Set(stored.map((r) => r.producerId)).size).toBe(1)
        expect(stored[0]?.producerId).toBeGreaterThanOrEqual(0n)
        for (const [topic, count] of Object.entries(PARTITIONS)) {
          for (let partition = 0; partition < count; partition++) {
            const sequences = c.records(topic, partition).map((r) => r.sequence)
            expect(sequences).toEqual(sequences.map((_, i) => i))
          }
        }
      } else {
        expect(stored.every((r) => r.producerId === -1n && r.sequence === -1)).toBe(true)
      }
      // Every request platformatic sent was one the mock serves, on all three brokers.
      expect(warnings).toEqual([])
      const produces = c.requests().filter((r) => r.apiName === 'Produce')
      expect(new Set(produces.map((r) => r.brokerId))).toEqual(new Set([1, 2, 3]))
    },
  )

  it('stores binary keys, values and repeated header keys given as a Map of Buffers', async () => {
    const c = await start()
    const chosen = new Map<AnyMessage, number>()
    const p = new Producer<Buffer, Buffer, Buffer, Buffer>({
      clientId: 'platformatic-peer-test',
      bootstrapBrokers: c.bootstrapBrokers,
      partitioner: recordingPartitioner(chosen),
      idempotent: true,
      retries: 5,
      retryDelay: 20,
    })
    harness.defer(() => p.close(true))
    // Map keys are compared by identity, so two Buffers with the same bytes give a repeated header.
    const messages: BufferMessage[] = [
      {
        topic: 'payments',
        key: Buffer.from([0, 0xff, 0x10]),
        value: Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
        headers: new Map([
          [Buffer.from('tag'), Buffer.from('one')],
          [Buffer.from('tag'), Buffer.from('two')],
          [Buffer.from('bin'), Buffer.from([0, 1, 2])],
        ]),
        timestamp: nextTimestamp(),
      },
      { topic: 'payments', value: Buffer.from('keyless'), partition: 2, timestamp: nextTimestamp() },
      { topic: 'payments', key: Buffer.from('no-value'), partition: 2, timestamp: nextTimestamp() },
    ]
    const expected = expectedRecords(messages, chosen, await p.send({ messages }))
    expect(c.records('payments').map(seen)).toEqual(expected.sort(byPosition))
    const tagged = c.records('payments').find((r) => r.headers.length === 3)
    expect(tagged?.headers.map((h) => h.key)).toEqual(['tag', 'tag', 'bin'])
    expect(warnings).toEqual([])
  })

  it.each(['snappy', 'lz4'] as const)(
    'stores %s batches as sent, with their compression bits, decodable with that codec',
    async (codec) => {
      const c = await start({ codecs: [platformaticCodec(codec)] })
      const chosen = new Map<AnyMessage, number>()
      const p = stringProducer(c, chosen, { idempotent: true, compression: codec satisfies CompressionAlgorithmValue })
      const messages = keyedMessages(codec)
      const expected = expectedRecords(messages, chosen, await p.send({ messages }))
      expect([...c.records('orders'), ...c.records('payments')].map(seen)).toEqual(expected.sort(byPosition))
      const bits = compressionsAlgorithms[codec].bitmask
      for (const [topic, count] of Object.entries(PARTITIONS)) {
        for (let partition = 0; partition < count; partition++) {
          for (const b of c.batches(topic, partition)) expect(b.compression).toBe(bits)
        }
      }
      expect(warnings).toEqual([])
    },
  )

  it('retries a produce answered with an injected NOT_LEADER_OR_FOLLOWER and stores every record once', async () => {
    const c = await start()
    const chosen = new Map<AnyMessage, number>()
    const p = stringProducer(c, chosen, { idempotent: true })
    // One message per partition of orders: each broker leads two, so the failing partition shares
    // its request with one that succeeds.
    const messages: StringMessage[] = Array.from({ length: 6 }, (_, i) => ({
      topic: 'orders',
      key: `k${i}`,
      value: `v${i}`,
      partition: i,
      headers: { attempt: 'one' },
      timestamp: nextTimestamp(),
    }))
    c.failNext('Produce', { errorCode: 6 /* NOT_LEADER_OR_FOLLOWER */, topic: 'orders', partition: 4 })
    const result = await p.send({ messages })
    expect(c.records('orders').map(seen)).toEqual(expectedRecords(messages, chosen, result).sort(byPosition))
    expect(c.records('orders').map((r) => r.offset)).toEqual([0n, 0n, 0n, 0n, 0n, 0n])
    const leader4 = c.leaderOf('orders', 4)
    const toLeader4 = c.requests().filter((r) => r.apiName === 'Produce' && r.brokerId === leader4)
    expect(toLeader4.length).toBeGreaterThanOrEqual(2)
  })
})
