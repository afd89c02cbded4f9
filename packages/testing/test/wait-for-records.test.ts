import { jsonSerializer, stringSerializer } from '@tributary/core'
import { offsetCommit } from '@tributary/core/protocol'
import { outcome } from '@tributary/test-support/async'
import { useHarness } from '@tributary/test-support/harness'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type MockCluster, type MockRecord, stringDeserializer, WaitForRecordsTimeoutError } from '../src/index.js'
import { connect } from './groups/raw-group-client.js'

const harness = useHarness()

afterEach(() => {
  vi.useRealTimers()
})

function producerFor(cluster: MockCluster, transactionalId?: string) {
  return harness.producer({
    bootstrapBrokers: cluster.bootstrapBrokers,
    serializers: { key: stringSerializer(), value: jsonSerializer<{ n: number }>() },
    ...(transactionalId === undefined ? {} : { transactionalId }),
  })
}

/** Whether a promise has settled, observed without waiting on a clock. */
function track<T>(promise: Promise<T>): { readonly settled: boolean; promise: Promise<T> } {
  const state = { settled: false, promise }
  promise.then(
    () => {
      state.settled = true
    },
    () => {
      state.settled = true
    },
  )
  return state
}

/** Lets every pending I/O callback and microtask run once. */
const turn = () => new Promise((resolve) => setImmediate(resolve))

describe('MockCluster.waitForRecords', () => {
  it('resolves when the count arrives, woken by the appends, with the records records() returns', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 3 }] })
    const waiting = track(cluster.waitForRecords('orders', { count: 3 }))
    const producer = producerFor(cluster)
    await producer.send({ topic: 'orders', key: 'o-1', value: { n: 1 }, partition: 0 })
    await producer.send({ topic: 'orders', key: 'o-2', value: { n: 2 }, partition: 1 })
    await turn()
    expect(waiting.settled).toBe(false)
    await producer.send({ topic: 'orders', key: 'o-3', value: { n: 3 }, partition: 1 })
    const records = await waiting.promise
    expect(records).toEqual(cluster.records('orders'))
    expect(records.map((r) => [r.partition, r.offset, r.key?.toString()])).toEqual([
      [0, 0n, 'o-1'],
      [1, 0n, 'o-2'],
      [1, 1n, 'o-3'],
    ])
  })

  it('resolves at once when the records are there, with all of them (at least count)', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 1 }] })
    const producer = producerFor(cluster)
    await producer.sendBatch([1, 2, 3].map((n) => ({ topic: 'orders', key: `o-${n}`, value: { n } })))
    expect(await cluster.waitForRecords('orders', { count: 2 })).toHaveLength(3)
    expect(await cluster.waitForRecords('orders', { count: 0 })).toHaveLength(3)
  })

  it('waits for one partition only when given one', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 2 }] })
    const waiting = track(cluster.waitForRecords('orders', { count: 1, partition: 1 }))
    const producer = producerFor(cluster)
    await producer.send({ topic: 'orders', key: 'a', value: { n: 1 }, partition: 0 })
    await turn()
    expect(waiting.settled).toBe(false)
    await producer.send({ topic: 'orders', key: 'b', value: { n: 2 }, partition: 1 })
    expect((await waiting.promise).map((r) => r.key?.toString())).toEqual(['b'])
  })

  it('waits for a topic that does not exist yet (auto-created by the producer) and for added partitions', async () => {
    const cluster = await harness.start()
    const waiting = cluster.waitForRecords('later', { count: 1 })
    const partitionWaiting = track(cluster.waitForRecords('later', { count: 1, partition: 1 }))
    await producerFor(cluster).send({ topic: 'later', key: 'k', value: { n: 1 } })
    expect((await waiting).map((r) => r.topic)).toEqual(['later'])
    await turn()
    expect(partitionWaiting.settled).toBe(false)
    // Another topic's creation wakes the waiter, which finds nothing and waits on.
    cluster.createTopic('other', 2)
    await turn()
    expect(partitionWaiting.settled).toBe(false)
    // CreatePartitions (through kafkajs's admin) adds partition 1; a record to it wakes the waiter.
    const { Kafka, logLevel } = await import('kafkajs')
    const admin = new Kafka({ brokers: cluster.bootstrapBrokers, logLevel: logLevel.NOTHING }).admin()
    harness.defer(() => admin.disconnect())
    await admin.connect()
    await admin.createPartitions({ topicPartitions: [{ topic: 'later', count: 2 }] })
    await turn()
    expect(partitionWaiting.settled).toBe(false)
    await producerFor(cluster).send({ topic: 'later', key: 'k', value: { n: 3 }, partition: 1 })
    expect((await partitionWaiting.promise).map((r) => r.partition)).toEqual([1])
  })

  it('with read_committed, resolves only when the transaction commits', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 1 }] })
    const producer = producerFor(cluster, 'tx-1')
    const committed = track(cluster.waitForRecords('orders', { count: 2, isolation: 'read_committed' }))
    const uncommitted = cluster.waitForRecords('orders', { count: 2 })
    await producer.connect()
    producer.beginTransaction()
    await producer.send({ topic: 'orders', key: 'a', value: { n: 1 } })
    await producer.send({ topic: 'orders', key: 'b', value: { n: 2 } })
    expect(await uncommitted).toHaveLength(2)
    await turn()
    expect(committed.settled).toBe(false)
    await producer.commitTransaction()
    expect((await committed.promise).map((r) => r.key?.toString())).toEqual(['a', 'b'])
  })

  it('rejects after timeoutMs saying what arrived: the count per partition and the last records, shortened', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 3 }] })
    const producer = producerFor(cluster)
    await producer.send({ topic: 'orders', key: 'o-1', value: { n: 1 }, partition: 0, timestamp: 1000n })
    const long = { n: 2, note: 'x'.repeat(200) }
    await producer.send({
      topic: 'orders',
      key: 'o-2',
      value: long as unknown as { n: number },
      partition: 2,
      timestamp: 2000n,
    })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const waiting = outcome(cluster.waitForRecords('orders', { count: 3, timeoutMs: 1000 }))
    await vi.advanceTimersByTimeAsync(1000)
    const error = await waiting
    expect(error).toBeInstanceOf(WaitForRecordsTimeoutError)
    const timeout = error as WaitForRecordsTimeoutError
    expect(timeout.message).toContain("waitForRecords('orders', { count: 3 }) timed out after 1000 ms")
    expect(timeout.message).toContain('2 of 3 record(s) arrived (orders-0: 1, orders-1: 0, orders-2: 1)')
    // Oldest first: o-1 (timestamp 1000) then o-2, its long value cut short with its length.
    expect(timeout.message).toMatch(
      /last: orders-0@0 key "o-1" value "\{\\"n\\":1\}"; orders-2@0 key "o-2" value "\{\\"n\\":2,\\"note\\":\\"x+"… \(\d+ bytes\)$/,
    )
    expect(timeout.records.map((r: MockRecord) => r.key?.toString())).toEqual(['o-1', 'o-2'])
    expect(timeout.expected).toBe(3)
  })

  it('names the topics that exist when the one waited for does not, and the partitions a topic has', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 2 }] })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const typo = outcome(cluster.waitForRecords('order', { count: 1, timeoutMs: 10 }))
    const partition = outcome(cluster.waitForRecords('orders', { count: 1, partition: 5, timeoutMs: 10 }))
    await vi.advanceTimersByTimeAsync(10)
    expect(String(await typo)).toContain("topic 'order' does not exist (topics: 'orders')")
    expect(String(await partition)).toContain("partition 5 does not exist ('orders' has 2)")
  })

  it('says how many records transactions hold back under read_committed', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 1 }] })
    const producer = producerFor(cluster, 'tx-2')
    await producer.connect()
    producer.beginTransaction()
    await producer.send({ topic: 'orders', key: 'a', value: { n: 1 } })
    await producer.flush()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const waiting = outcome(cluster.waitForRecords('orders', { count: 1, isolation: 'read_committed', timeoutMs: 5 }))
    await vi.advanceTimersByTimeAsync(5)
    expect(String(await waiting)).toContain(
      '0 of 1 record(s) arrived (orders-0: 0); 1 more in open or aborted transactions',
    )
    vi.useRealTimers()
    await producer.abortTransaction()
  })

  it('waits without a timer for Infinity, and at most 2^31 - 1 ms for larger timeouts', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders' }] })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const forever = track(cluster.waitForRecords('orders', { count: 1, timeoutMs: Number.POSITIVE_INFINITY }))
    const long = outcome(cluster.waitForRecords('orders', { count: 1, timeoutMs: 2 ** 40 }))
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(0x7fffffff)
    expect(String(await long)).toContain(`timed out after ${2 ** 40} ms`)
    vi.useRealTimers()
    await producerFor(cluster).send({ topic: 'orders', key: 'k', value: { n: 1 } })
    expect(await forever.promise).toHaveLength(1)
  })

  it('rejects when the cluster stops or the signal aborts, and refuses a bad count', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders' }] })
    const controller = new AbortController()
    const aborted = outcome(cluster.waitForRecords('orders', { count: 1, signal: controller.signal }))
    controller.abort(new Error('test over'))
    expect(String(await aborted)).toBe('Error: test over')
    await expect(cluster.waitForRecords('orders', { count: -1 })).rejects.toThrow(RangeError)
    const stopped = outcome(cluster.waitForRecords('orders', { count: 1 }))
    await cluster.stop()
    expect(String(await stopped)).toContain(
      "waitForRecords('orders', { count: 1 }): the cluster was stopped while waiting; 0 of 1 record(s) arrived",
    )
  })

  it('decodes the records when given deserializers', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 1 }] })
    const waiting = cluster.waitForRecords('orders', {
      count: 1,
      deserializers: { key: stringDeserializer(), value: (data: Buffer | null) => data?.length ?? -1 },
    })
    await producerFor(cluster).send({ topic: 'orders', key: 'o-1', value: { n: 1 } })
    const [record] = await waiting
    const key: string | null | undefined = record?.key
    const value: number | undefined = record?.value
    expect([key, value]).toEqual(['o-1', 7])
    expect(record?.raw.value?.toString()).toBe('{"n":1}')
  })
})

describe('MockCluster.clear', () => {
  it('empties every topic, keeping offsets growing as DeleteRecords does', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 2 }, { name: 'audit' }] })
    const producer = producerFor(cluster)
    await producer.send({ topic: 'orders', key: 'a', value: { n: 1 }, partition: 0 })
    await producer.send({ topic: 'orders', key: 'b', value: { n: 2 }, partition: 0 })
    await producer.send({ topic: 'audit', key: 'c', value: { n: 3 } })
    cluster.clear()
    expect(cluster.records('orders')).toEqual([])
    expect(cluster.records('audit')).toEqual([])
    expect(cluster.startOffset('orders', 0)).toBe(2n)
    expect(cluster.endOffset('orders', 0)).toBe(2n)
    // The same producer (same idempotent sequence) goes on; the next record gets the next offset.
    const meta = await producer.send({ topic: 'orders', key: 'd', value: { n: 4 }, partition: 0 })
    expect(meta.offset).toBe(2n)
    const records = await cluster.waitForRecords('orders', { count: 1 })
    expect(records.map((r) => [r.offset, r.key?.toString()])).toEqual([[2n, 'd']])
  })

  it('empties one topic when named, and refuses an unknown one', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders' }, { name: 'audit' }] })
    const producer = producerFor(cluster)
    await producer.send({ topic: 'orders', key: 'a', value: { n: 1 } })
    await producer.send({ topic: 'audit', key: 'b', value: { n: 2 } })
    cluster.clear('orders')
    expect(cluster.records('orders')).toHaveLength(0)
    expect(cluster.records('audit')).toHaveLength(1)
    expect(() => cluster.clear('nope')).toThrow("unknown topic 'nope'")
  })

  it('moves committed offsets below the new log start up to it: lag 0, a group resumes after the cleared records', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 1 }] })
    const producer = producerFor(cluster)
    await producer.sendBatch([1, 2, 3].map((n) => ({ topic: 'orders', key: `k${n}`, value: { n } })))
    // The group committed offset 1 (it read k1), then the test clears the topic.
    const connection = await connect(cluster)
    harness.defer(() => connection.close())
    const commit = await connection.send(offsetCommit, 9, {
      groupId: 'billing',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: 'm' }] }],
    })
    expect(commit.topics[0]?.partitions[0]?.errorCode).toBe(0)
    expect(cluster.lag('billing').get('orders:0')).toBe(2n)
    cluster.clear()
    expect(cluster.committedOffsets('billing').get('orders:0')).toBe(3n)
    expect(cluster.lag('billing').get('orders:0')).toBe(0n)
    expect(cluster.groupOffsets('billing')[0]).toMatchObject({ offset: 3n, metadata: 'm' })

    // A consumer of the group starts at the committed offset: the first record produced after clear().
    await producer.send({ topic: 'orders', key: 'after', value: { n: 4 } })
    const { Kafka, logLevel } = await import('kafkajs')
    const kafka = new Kafka({ brokers: cluster.bootstrapBrokers, logLevel: logLevel.NOTHING })
    const consumer = kafka.consumer({ groupId: 'billing', maxWaitTimeInMs: 100 })
    harness.defer(() => consumer.disconnect())
    const seen: string[] = []
    await consumer.connect()
    await consumer.subscribe({ topic: 'orders', fromBeginning: true })
    let done: () => void = () => {}
    const first = new Promise<void>((resolve) => {
      done = resolve
    })
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.key?.toString() ?? '')
        done()
      },
    })
    await first
    expect(seen).toEqual(['after'])
  })
})

describe('MockCluster.decodedRecords', () => {
  it('reads keys, values and header values with the deserializers, typed by what they return', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 1 }] })
    await producerFor(cluster).send({
      topic: 'orders',
      key: 'o-1',
      value: { n: 12 },
      headers: { source: 'web' },
    })
    await producerFor(cluster).send({ topic: 'orders', key: 'o-2', value: null as unknown as { n: number } })
    const { jsonDeserializer } = await import('../src/index.js')
    const records = await cluster.decodedRecords('orders', {
      deserializers: {
        key: stringDeserializer(),
        value: jsonDeserializer<{ n: number }>(),
        headerValue: async (data) => data?.toString('utf8').toUpperCase(),
      },
    })
    expect(records.map((r) => [r.key, r.value, r.headers])).toEqual([
      ['o-1', { n: 12 }, [{ key: 'source', value: 'WEB' }]],
      ['o-2', null, []],
    ])
    const total: number | undefined = records[0]?.value?.n
    expect(total).toBe(12)
    expect(records[0]).toMatchObject({ topic: 'orders', partition: 0, offset: 0n })
    // Without a deserializer a part stays bytes.
    const raw = await cluster.decodedRecords('orders', { partition: 0, deserializers: { key: stringDeserializer() } })
    const value: Buffer | null | undefined = raw[0]?.value
    expect(value?.toString()).toBe('{"n":12}')
  })

  it('names the record a deserializer fails on, with its bytes', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders', partitions: 1 }] })
    await producerFor(cluster).send({ topic: 'orders', key: 'o-1', value: { n: 1 } })
    const { jsonDeserializer } = await import('../src/index.js')
    const error = await outcome(cluster.decodedRecords('orders', { deserializers: { key: jsonDeserializer() } }))
    expect(String(error)).toMatch(/^Error: could not deserialize the key of orders-0@0 \("o-1"\): .*JSON/)
    expect((error as Error).cause).toBeInstanceOf(SyntaxError)
  })

  it('records() stays synchronous and points at decodedRecords when given deserializers', async () => {
    const cluster = await harness.start({ topics: [{ name: 'orders' }] })
    expect(() =>
      cluster.records('orders', { deserializers: { value: stringDeserializer() } } as unknown as { partition: 0 }),
    ).toThrow(/await decodedRecords/)
  })
})
