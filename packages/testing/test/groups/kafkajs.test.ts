import { until } from '@tributary/test-support/async'
import { useHarness } from '@tributary/test-support/harness'
import { type Consumer, type ConsumerConfig, type EachMessagePayload, Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import type { MockCluster } from '../../src/index.js'

// kafkajs 2.2.4 (its own protocol code and its own assignor, run by the group leader) as consumer
// group members and as an admin against the mock group coordinator.

const harness = useHarness()

const TOPIC = 'orders'

function kafkaFor(cluster: MockCluster, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: cluster.bootstrapBrokers, logLevel: logLevel.NOTHING, retry: { retries: 20 } })
}

function consumerFor(cluster: MockCluster, clientId: string, config: Partial<ConsumerConfig> = {}): Consumer {
  const consumer = kafkaFor(cluster, clientId).consumer({
    groupId: 'shop',
    sessionTimeout: 10_000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 100,
    retry: { retries: 20, initialRetryTime: 50 },
    ...config,
  })
  harness.defer(() => consumer.disconnect())
  return consumer
}

/** Produces `count` keyed records with Tributary's producer; returns them as `key => value`. */
async function produce(cluster: MockCluster, from: number, count: number): Promise<void> {
  const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
  const results = await producer.sendBatch(
    Array.from({ length: count }, (_, i) => ({ topic: TOPIC, key: `k-${from + i}`, value: `v-${from + i}` })),
  )
  expect(results.every((r) => r.ok)).toBe(true)
}

function endOffsets(cluster: MockCluster, partitions = 6): Map<string, bigint> {
  return new Map(Array.from({ length: partitions }, (_, p) => [`${TOPIC}:${p}`, cluster.endOffset(TOPIC, p)]))
}

/** Consumed records, as `partition:offset` with the consumer that got each. */
class Seen {
  readonly all: Array<{ who: string; partition: number; offset: string; value: string }> = []

  record(who: string) {
    return async ({ partition, message }: EachMessagePayload) => {
      this.all.push({ who, partition, offset: message.offset, value: message.value?.toString() ?? '' })
    }
  }

  distinctValues(): Set<string> {
    return new Set(this.all.map((r) => r.value))
  }
}

describe('kafkajs consumers in a group', () => {
  it('share six partitions among three members, keep consuming when one leaves, and commit every end offset', async () => {
    const cluster = await harness.start({ brokers: 3, topics: [{ name: TOPIC, partitions: 6 }] })
    const seen = new Seen()
    const members = ['a', 'b', 'c'].map((name) => ({ name, consumer: consumerFor(cluster, `member-${name}`) }))
    for (const { name, consumer } of members) {
      await consumer.connect()
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true })
      await consumer.run({ eachMessage: seen.record(name) })
    }
    const stable = await until(() => {
      const g = cluster.group('shop')
      return g?.state === 'Stable' && g.members.length === 3 && g.members.every((m) => m.assignment !== undefined) && g
    }, 'three members in a stable group')
    // kafkajs's round-robin assignor, run by the leader: two partitions each, all six assigned once.
    expect(stable.protocolType).toBe('consumer')
    expect(stable.protocol).toBe('RoundRobinAssigner')
    const assigned = stable.members.flatMap((m) => m.assignment?.[TOPIC] ?? []).sort()
    expect(assigned).toEqual([0, 1, 2, 3, 4, 5])
    expect(stable.members.map((m) => m.assignment?.[TOPIC]?.length)).toEqual([2, 2, 2])

    await produce(cluster, 0, 300)
    await until(() => seen.distinctValues().size >= 150, 'half of the first records consumed')
    const generation = stable.generation
    // Member c leaves mid-stream (LeaveGroup): the others rebalance and take its partitions.
    await (members[2] as { consumer: Consumer }).consumer.disconnect()
    await until(() => {
      const g = cluster.group('shop')
      return g?.state === 'Stable' && g.members.length === 2 && g.generation > generation
    }, 'a stable group of two after the leave')
    await produce(cluster, 300, 300)
    await until(() => seen.distinctValues().size === 600, 'all 600 records consumed')
    await until(
      () => [...endOffsets(cluster)].every(([tp, end]) => cluster.committedOffsets('shop').get(tp) === end),
      'committed offsets at the end offsets',
    )
    expect(cluster.committedOffsets('shop')).toEqual(endOffsets(cluster))
    expect([...cluster.lag('shop').values()].every((lag) => lag === 0n)).toBe(true)
    // After the leave, only a and b consumed.
    const afterLeave = seen.all.filter((r) => Number(r.value.slice(2)) >= 300)
    expect(new Set(afterLeave.map((r) => r.who))).toEqual(new Set(['a', 'b']))

    // Everyone stops; a consumer started later resumes from the committed offsets: no repeats.
    for (const { consumer } of members.slice(0, 2)) await consumer.disconnect()
    await until(() => cluster.group('shop')?.state === 'Empty', 'an empty group')
    await produce(cluster, 600, 60)
    const resumed = new Seen()
    const again = consumerFor(cluster, 'member-d')
    await again.connect()
    await again.subscribe({ topic: TOPIC, fromBeginning: true })
    await again.run({ eachMessage: resumed.record('d') })
    await until(() => resumed.all.length >= 60, 'the 60 new records consumed')
    await until(
      () => [...endOffsets(cluster)].every(([tp, end]) => cluster.committedOffsets('shop').get(tp) === end),
      'the new end offsets committed',
    )
    expect(resumed.all.map((r) => Number(r.value.slice(2))).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 60 }, (_, i) => 600 + i),
    )
  })

  it('consume with eachBatch, resolving offsets and heartbeating, and commit what they resolved', async () => {
    const cluster = await harness.start({ topics: [{ name: TOPIC, partitions: 3 }] })
    await produce(cluster, 0, 90)
    const consumer = consumerFor(cluster, 'batcher')
    await consumer.connect()
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true })
    const values: string[] = []
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
        for (const message of batch.messages) {
          values.push(message.value?.toString() ?? '')
          resolveOffset(message.offset)
        }
        await heartbeat()
        await commitOffsetsIfNecessary()
      },
    })
    await until(() => values.length === 90, 'every record in batches')
    await until(
      () => [...endOffsets(cluster, 3)].every(([tp, end]) => cluster.committedOffsets('shop').get(tp) === end),
      'the resolved offsets committed',
    )
    expect(new Set(values).size).toBe(90)
    const offsets = cluster.groupOffsets('shop')
    expect(offsets.every((o) => o.metadata === '' && o.commitTimestamp > 0 && !o.transactional)).toBe(true)
  })

  it('seek back to an offset and read from there again', async () => {
    const cluster = await harness.start({ topics: [{ name: TOPIC, partitions: 1 }] })
    await produce(cluster, 0, 20)
    const consumer = consumerFor(cluster, 'seeker')
    await consumer.connect()
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true })
    const offsets: number[] = []
    await consumer.run({
      eachMessage: async ({ message }) => {
        offsets.push(Number(message.offset))
      },
    })
    await until(() => offsets.length >= 20, 'the first pass')
    consumer.seek({ topic: TOPIC, partition: 0, offset: '15' })
    await until(() => offsets.length >= 25, 'the records after the seek')
    expect(offsets.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(offsets.slice(20, 25)).toEqual([15, 16, 17, 18, 19])
  })

  it('stop fetching a paused partition and pick it up again on resume', async () => {
    const cluster = await harness.start({ topics: [{ name: TOPIC, partitions: 2 }] })
    const consumer = consumerFor(cluster, 'pauser')
    await consumer.connect()
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true })
    const got: Array<{ partition: number; value: string }> = []
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        got.push({ partition, value: message.value?.toString() ?? '' })
      },
    })
    await until(() => cluster.group('shop')?.state === 'Stable', 'the consumer in a stable group')
    consumer.pause([{ topic: TOPIC, partitions: [1] }])
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    // Partition 1's records are written first: any fetch that brought partition 0's would have
    // brought them too, had partition 1 not been paused.
    for (const i of [1, 3, 5, 7, 9, 0, 2, 4, 6, 8])
      await producer.send({ topic: TOPIC, partition: i % 2, value: `p${i % 2}-${i}` })
    await until(() => got.filter((g) => g.partition === 0).length === 5, 'partition 0 consumed while 1 is paused')
    expect(got.filter((g) => g.partition === 1)).toEqual([])
    expect(consumer.paused()).toEqual([{ topic: TOPIC, partitions: [1] }])
    consumer.resume([{ topic: TOPIC, partitions: [1] }])
    await until(() => got.filter((g) => g.partition === 1).length === 5, 'partition 1 consumed after resume')
    expect(got.filter((g) => g.partition === 1).map((g) => g.value)).toEqual(['p1-1', 'p1-3', 'p1-5', 'p1-7', 'p1-9'])
  })
})

describe('the kafkajs admin client', () => {
  it('lists, describes, fetches the offsets of and deletes groups', async () => {
    const cluster = await harness.start({ brokers: 3, topics: [{ name: TOPIC, partitions: 3 }] })
    await produce(cluster, 0, 30)
    const consumer = consumerFor(cluster, 'described', { groupId: 'audit' })
    await consumer.connect()
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true })
    let count = 0
    await consumer.run({
      eachMessage: async () => {
        count++
      },
    })
    await until(() => count === 30, 'the records consumed')
    await until(() => cluster.committedOffsets('audit').size === 3, 'offsets committed for the three partitions')
    const admin = kafkaFor(cluster, 'admin').admin()
    harness.defer(() => admin.disconnect())
    await admin.connect()

    // Groups are spread over the three coordinators; kafkajs asks every broker.
    const idle = consumerFor(cluster, 'idle', { groupId: 'idle' })
    await idle.connect()
    await idle.subscribe({ topic: TOPIC })
    await idle.run({ eachMessage: async () => {} })
    await until(() => cluster.group('idle')?.state === 'Stable', 'the second group stable')
    const listed = await admin.listGroups()
    expect(listed.groups.sort((x, y) => x.groupId.localeCompare(y.groupId))).toEqual([
      { groupId: 'audit', protocolType: 'consumer' },
      { groupId: 'idle', protocolType: 'consumer' },
    ])

    const described = await admin.describeGroups(['audit', 'nobody'])
    const audit = described.groups.find((g) => g.groupId === 'audit')
    expect(audit).toMatchObject({
      errorCode: 0,
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'RoundRobinAssigner',
    })
    expect(audit?.members).toHaveLength(1)
    expect(audit?.members[0]).toMatchObject({ clientId: 'described', clientHost: '/127.0.0.1' })
    expect(described.groups.find((g) => g.groupId === 'nobody')).toMatchObject({ errorCode: 0, state: 'Dead' })

    const fetched = await admin.fetchOffsets({ groupId: 'audit', topics: [TOPIC] })
    expect(fetched).toEqual([
      {
        topic: TOPIC,
        partitions: [0, 1, 2].map((p) => ({
          partition: p,
          offset: String(cluster.endOffset(TOPIC, p)),
          metadata: null,
        })),
      },
    ])

    // A group with members cannot be deleted (NON_EMPTY_GROUP); once empty it can, offsets and all.
    await expect(admin.deleteGroups(['audit'])).rejects.toMatchObject({
      groups: [{ groupId: 'audit', errorCode: 68 }],
    })
    await consumer.disconnect()
    await until(() => cluster.group('audit')?.state === 'Empty', 'the group empty after its member left')
    expect(await admin.deleteGroups(['audit'])).toEqual([{ groupId: 'audit', errorCode: 0 }])
    expect(cluster.group('audit')).toBeUndefined()
    expect(cluster.committedOffsets('audit').size).toBe(0)
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toEqual(['idle'])
  })
})
