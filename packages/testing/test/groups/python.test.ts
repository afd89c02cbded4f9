import { fileURLToPath } from 'node:url'
import { until } from '@tributary/test-support/async'
import { useHarness } from '@tributary/test-support/harness'
import { type RunningChild, start } from '@tributary/test-support/processes'
import { python } from '@tributary/test-support/python'
import { describe, expect, it } from 'vitest'
import type { MockCluster } from '../../src/index.js'

// Python consumers in a group: confluent-kafka 1.7 (librdkafka 2.0's consumer, rebalance callbacks)
// and kafka-python 2.0.2 (its own coordinator code and older API versions: JoinGroup v2, SyncGroup
// v1, OffsetCommit v2, OffsetFetch v1, FindCoordinator v0...). Each member commits every record
// synchronously and reports its rebalance callbacks (group_peer.py).

const PEER = fileURLToPath(new URL('./python/group_peer.py', import.meta.url))
const TOPIC = 'orders'

const harness = useHarness()

type PeerEvent =
  | { event: 'assigned' | 'revoked'; partitions: number[] }
  | { event: 'message'; partition: number; offset: number; value: string }
  | { event: 'committed'; partition: number; offset: number }
  | { event: 'closed' | 'error' | 'commit-failed'; error?: string }

class Peer {
  readonly events: PeerEvent[] = []
  readonly child: RunningChild

  constructor(child: RunningChild) {
    this.child = child
    child.onLine((line) => {
      if (line.startsWith('{')) this.events.push(JSON.parse(line) as PeerEvent)
    })
  }

  values(): string[] {
    return this.events.flatMap((e) => (e.event === 'message' ? [e.value] : []))
  }

  /** The partitions of the last assignment callback, or undefined when the last callback was a revoke. */
  owned(): number[] | undefined {
    const last = [...this.events].reverse().find((e) => e.event === 'assigned' || e.event === 'revoked')
    return last?.event === 'assigned' ? last.partitions : undefined
  }

  /** The rebalance callbacks, without kafka-python's revoke of nothing before its first join. */
  callbacks(): string[] {
    return this.events.flatMap((e) =>
      (e.event === 'assigned' || e.event === 'revoked') && !(e.event === 'revoked' && e.partitions.length === 0)
        ? [`${e.event} ${e.partitions.join(',')}`]
        : [],
    )
  }
}

async function member(cluster: MockCluster, library: string, group: string): Promise<Peer> {
  const child = await start(python(), [PEER, library, cluster.bootstrapBrokers.join(','), group, TOPIC])
  return new Peer(child)
}

async function produce(cluster: MockCluster, from: number, count: number): Promise<void> {
  const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
  const results = await producer.sendBatch(
    Array.from({ length: count }, (_, i) => ({ topic: TOPIC, key: `k-${from + i}`, value: `v-${from + i}` })),
  )
  expect(results.every((r) => r.ok)).toBe(true)
}

function committedAtEnd(cluster: MockCluster, group: string): boolean {
  const committed = cluster.committedOffsets(group)
  return [0, 1, 2, 3].every((p) => committed.get(`${TOPIC}:${p}`) === cluster.endOffset(TOPIC, p))
}

for (const library of ['confluent', 'kafka-python'] as const) {
  describe(`${library} consumers`, () => {
    it('rebalance through their assign and revoke callbacks as members come and go, committing every record', async () => {
      const cluster = await harness.start({ brokers: 2, topics: [{ name: TOPIC, partitions: 4 }] })
      const group = `${library}-group`
      await produce(cluster, 0, 40)
      const a = await member(cluster, library, group)
      await until(() => a.values().length >= 40, `member a consuming the first records (${a.child.stderr()})`)
      expect(a.owned()).toEqual([0, 1, 2, 3])

      // b joins: a gives up its partitions (eager rebalance) and both get half.
      const b = await member(cluster, library, group)
      await until(() => {
        const g = cluster.group(group)
        return g?.state === 'Stable' && g.members.length === 2 && a.owned()?.length === 2 && b.owned()?.length === 2
      }, 'a and b sharing the four partitions')
      expect([...(a.owned() ?? []), ...(b.owned() ?? [])].sort()).toEqual([0, 1, 2, 3])
      expect(a.callbacks().slice(0, 3)).toEqual([
        'assigned 0,1,2,3',
        'revoked 0,1,2,3',
        `assigned ${a.owned()?.join(',')}`,
      ])
      expect(cluster.group(group)?.protocolType).toBe('consumer')

      await produce(cluster, 40, 40)
      await until(() => new Set([...a.values(), ...b.values()]).size === 80, 'the next records consumed by a and b')

      // a stops gracefully (close() leaves the group): b takes every partition.
      await a.child.kill('SIGTERM')
      expect(a.events.at(-1)?.event).toBe('closed')
      await until(() => b.owned()?.length === 4, 'b owning every partition after a left')
      await produce(cluster, 80, 20)
      await until(() => new Set(b.values()).has('v-99'), 'the last records consumed by b')
      await until(() => committedAtEnd(cluster, group), 'every end offset committed')
      const all = new Set([...a.values(), ...b.values()])
      expect(all.size).toBe(100)
      expect(a.events.some((e) => e.event === 'commit-failed' && e.error === undefined)).toBe(false)
      await b.child.kill('SIGTERM')
      expect(cluster.group(group)?.state).toBe('Empty')
      const versions = (api: string) =>
        new Set(
          cluster
            .requests()
            .filter((r) => r.apiName === api)
            .map((r) => r.apiVersion),
        )
      if (library === 'kafka-python') {
        // kafka-python 2.0.2 speaks old versions: FindCoordinator v0, JoinGroup v2 (no MEMBER_ID_REQUIRED).
        expect(versions('FindCoordinator')).toEqual(new Set([0]))
        expect(versions('JoinGroup')).toEqual(new Set([2]))
        expect(versions('OffsetCommit')).toEqual(new Set([2]))
      } else {
        expect(versions('JoinGroup')).toEqual(new Set([5]))
        // librdkafka asks for stable offsets (OffsetFetch v7, require_stable).
        expect(versions('OffsetFetch')).toEqual(new Set([7]))
      }
    })
  })
}
