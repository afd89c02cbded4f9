import { Consumer, type ConsumerOptions, type Message, stringDeserializers } from '@platformatic/kafka'
import { until } from '@tributary/test-support/async'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it } from 'vitest'
import type { MockCluster } from '../../src/index.js'

// @platformatic/kafka 1.35 (its own protocol code, the newest API versions, its own assignor)
// consuming in a group: the classic protocol (JoinGroup v9, SyncGroup v5, OffsetCommit v9...) and
// the KIP-848 protocol (ConsumerGroupHeartbeat, `groupProtocol: 'consumer'`), where the mock's
// coordinator assigns the partitions.

const harness = useHarness()

const TOPIC = 'orders'

type Options = Partial<ConsumerOptions<string, string, string, string>>

interface Member {
  name: string
  consumer: Consumer<string, string, string, string>
  stop(): Promise<void>
}

/** Starts a consumer in group `shop` reading TOPIC from the committed offsets (else the beginning). */
async function startMember(
  cluster: MockCluster,
  name: string,
  seen: Array<{ who: string; partition: number; offset: bigint; value: string }>,
  options: Options = {},
): Promise<Member> {
  const consumer = new Consumer<string, string, string, string>({
    clientId: `member-${name}`,
    bootstrapBrokers: cluster.bootstrapBrokers,
    groupId: 'shop',
    deserializers: stringDeserializers,
    sessionTimeout: 10_000,
    rebalanceTimeout: 10_000,
    heartbeatInterval: 300,
    maxWaitTime: 100,
    retries: 20,
    retryDelay: 50,
    ...options,
  } as ConsumerOptions<string, string, string, string>)
  let closed = false
  const stop = async () => {
    if (closed) return
    closed = true
    await consumer.close(true)
  }
  harness.defer(stop)
  const stream = await consumer.consume({
    topics: [TOPIC],
    mode: 'committed',
    fallbackMode: 'earliest',
    autocommit: 50,
  })
  stream.on('data', (message: Message<string, string, string, string>) => {
    seen.push({ who: name, partition: message.partition, offset: message.offset, value: message.value })
  })
  stream.on('error', () => {})
  return { name, consumer, stop }
}

async function produce(cluster: MockCluster, from: number, count: number): Promise<void> {
  const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
  const results = await producer.sendBatch(
    Array.from({ length: count }, (_, i) => ({ topic: TOPIC, key: `k-${from + i}`, value: `v-${from + i}` })),
  )
  expect(results.every((r) => r.ok)).toBe(true)
}

function committedAtEnd(cluster: MockCluster): boolean {
  const committed = cluster.committedOffsets('shop')
  return [0, 1, 2, 3, 4, 5].every((p) => committed.get(`${TOPIC}:${p}`) === cluster.endOffset(TOPIC, p))
}

const distinct = (seen: Array<{ value: string }>) => new Set(seen.map((s) => s.value)).size

for (const protocol of ['classic', 'consumer'] as const) {
  describe(`@platformatic/kafka consumers with the ${protocol} group protocol`, () => {
    const options: Options = protocol === 'consumer' ? ({ groupProtocol: 'consumer' } as Options) : {}

    it('share six partitions among three members, carry on when one leaves, and commit every end offset', async () => {
      const cluster = await harness.start({
        brokers: 3,
        topics: [{ name: TOPIC, partitions: 6 }],
        // KIP-848 members heartbeat at the interval the coordinator gives them.
        groups: { consumerHeartbeatIntervalMs: 200 },
      })
      const seen: Array<{ who: string; partition: number; offset: bigint; value: string }> = []
      const members: Member[] = []
      for (const name of ['a', 'b', 'c']) members.push(await startMember(cluster, name, seen, options))
      const stable = await until(() => {
        const g = cluster.group('shop')
        const owned = g?.members.flatMap((m) => m.assignment?.[TOPIC] ?? []) ?? []
        return g?.state === 'Stable' && g.members.length === 3 && owned.length === 6 && g
      }, 'three members sharing the six partitions')
      expect(stable.type).toBe(protocol)
      expect(stable.members.flatMap((m) => m.assignment?.[TOPIC] ?? []).sort()).toEqual([0, 1, 2, 3, 4, 5])
      expect(stable.members.map((m) => m.assignment?.[TOPIC]?.length)).toEqual([2, 2, 2])

      await produce(cluster, 0, 300)
      await until(() => distinct(seen) >= 150, 'half of the first records consumed')
      await (members[2] as Member).stop()
      await until(() => {
        const g = cluster.group('shop')
        const owned = g?.members.flatMap((m) => m.assignment?.[TOPIC] ?? []) ?? []
        return g?.state === 'Stable' && g.members.length === 2 && owned.length === 6
      }, 'two members sharing the six partitions after the leave')
      await produce(cluster, 300, 300)
      await until(() => distinct(seen) === 600, 'all 600 records consumed')
      await until(() => committedAtEnd(cluster), 'committed offsets at the end offsets')
      expect([...cluster.lag('shop').values()]).toEqual([0n, 0n, 0n, 0n, 0n, 0n])
      const late = seen.filter((s) => Number(s.value.slice(2)) >= 300)
      expect(new Set(late.map((s) => s.who))).toEqual(new Set(['a', 'b']))

      for (const m of members) await m.stop()
      await until(() => cluster.group('shop')?.state === 'Empty', 'an empty group')
      await produce(cluster, 600, 60)
      const resumed: Array<{ who: string; partition: number; offset: bigint; value: string }> = []
      await startMember(cluster, 'd', resumed, options)
      await until(() => resumed.length >= 60 && committedAtEnd(cluster), 'the 60 new records consumed and committed')
      expect(resumed.map((s) => Number(s.value.slice(2))).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 60 }, (_, i) => 600 + i),
      )
    })
  })
}
