import { until } from '@tributary/test-support/async'
import { useHarness } from '@tributary/test-support/harness'
import { kcatProperties } from '@tributary/test-support/kcat'
import { type RunningChild, start } from '@tributary/test-support/processes'
import { describe, expect, it } from 'vitest'
import type { MockCluster } from '../../src/index.js'

// kcat's balanced consumer (`kcat -G`, librdkafka 2.0's consumer group code) with the eager range
// assignor and the cooperative-sticky one (KIP-429: incremental rebalances, which the clients
// drive; the coordinator only has to run its generations as usual).

const TOPIC = 'orders'

const harness = useHarness()

/** A `kcat -G` member printing `partition offset value` for every record, unbuffered. */
class KcatMember {
  readonly child: RunningChild

  constructor(child: RunningChild) {
    this.child = child
  }

  static async start(cluster: MockCluster, group: string, strategy: string): Promise<KcatMember> {
    const properties = {
      'partition.assignment.strategy': strategy,
      'auto.offset.reset': 'earliest',
      'enable.auto.commit': 'true',
      // kcat commits every 5 s whatever this says (librdkafka's default interval).
      'auto.commit.interval.ms': '100',
      'session.timeout.ms': '6000',
      'heartbeat.interval.ms': '300',
      'fetch.wait.max.ms': '100',
    }
    const args = ['-b', cluster.bootstrapBrokers.join(','), '-q', '-u', '-f', '%p %o %s\\n']
    const child = await start('kcat', [...args, ...kcatProperties(properties), '-G', group, TOPIC])
    return new KcatMember(child)
  }

  values(): string[] {
    return this.child.lines.map((line) => line.split(' ')[2] ?? '')
  }
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
  return [0, 1, 2, 3, 4, 5].every((p) => committed.get(`${TOPIC}:${p}`) === cluster.endOffset(TOPIC, p))
}

describe('kcat balanced consumers', () => {
  it('split the partitions into ranges, hand them over when a member leaves, and commit every end offset', async () => {
    const cluster = await harness.start({ brokers: 3, topics: [{ name: TOPIC, partitions: 6 }] })
    await produce(cluster, 0, 120)
    const a = await KcatMember.start(cluster, 'ranges', 'range')
    const b = await KcatMember.start(cluster, 'ranges', 'range')
    const stable = await until(() => {
      const g = cluster.group('ranges')
      const owned = g?.members.map((m) => m.assignment?.[TOPIC] ?? []) ?? []
      return g?.state === 'Stable' && owned.length === 2 && owned.flat().length === 6 && g
    }, 'two kcat members sharing six partitions')
    expect(stable.protocol).toBe('range')
    // The range assignor: three consecutive partitions each.
    expect(stable.members.map((m) => m.assignment?.[TOPIC]).sort()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ])
    await until(() => new Set([...a.values(), ...b.values()]).size === 120, 'the first records consumed')

    // a stops (on SIGTERM kcat commits what it consumed and leaves the group): b gets all six
    // partitions and the next records.
    await a.child.kill('SIGTERM')
    await until(() => {
      const g = cluster.group('ranges')
      return g?.state === 'Stable' && g.members.length === 1 && g.members[0]?.assignment?.[TOPIC]?.length === 6
    }, 'b owning every partition')
    await produce(cluster, 120, 60)
    await until(
      () => new Set(b.values()).size >= 60 && committedAtEnd(cluster, 'ranges'),
      'b consuming and committing the rest',
    )
    const all = new Set([...a.values(), ...b.values()])
    expect(all.size).toBe(180)
  })

  it('rebalance incrementally with cooperative-sticky: a joining member takes partitions without the others revoking all', async () => {
    const cluster = await harness.start({ brokers: 2, topics: [{ name: TOPIC, partitions: 6 }] })
    const generations: number[] = []
    cluster.on('group', (e) => {
      if (e.type === 'stable' && e.generation !== undefined) generations.push(e.generation)
    })
    await produce(cluster, 0, 60)
    const a = await KcatMember.start(cluster, 'sticky', 'cooperative-sticky')
    await until(() => cluster.group('sticky')?.members[0]?.assignment?.[TOPIC]?.length === 6, 'a owning all six')
    await until(() => new Set(a.values()).size === 60, 'a consuming the first records')
    const b = await KcatMember.start(cluster, 'sticky', 'cooperative-sticky')
    const shared = await until(() => {
      const g = cluster.group('sticky')
      const owned = g?.members.map((m) => m.assignment?.[TOPIC] ?? []) ?? []
      return g?.state === 'Stable' && owned.length === 2 && owned.every((o) => o.length === 3) && g
    }, 'a and b owning three partitions each')
    expect(shared.protocol).toBe('cooperative-sticky')
    // KIP-429: the first rebalance only revokes what moves, a second one assigns it to b.
    expect(generations.length).toBeGreaterThanOrEqual(3)
    await produce(cluster, 60, 60)
    await until(() => new Set([...a.values(), ...b.values()]).size === 120, 'every record consumed')
    await until(() => committedAtEnd(cluster, 'sticky'), 'every end offset committed')
  })
})
