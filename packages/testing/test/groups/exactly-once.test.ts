import { fileURLToPath } from 'node:url'
import { sleep, until } from '@tributary/test-support/async'
import { useHarness } from '@tributary/test-support/harness'
import { type RunningChild, start } from '@tributary/test-support/processes'
import { describe, expect, it, onTestFailed } from 'vitest'
import type { MockCluster } from '../../src/index.js'

// Consume-transform-produce, exactly once: kafkajs consumers in a group, each with Tributary's
// transactional producer committing its output and its input offsets in one transaction (with the
// consumer's generation and member id, KIP-447). A worker killed mid-stream leaves its open
// transaction, if any, open; its partitions go to the other worker after its session timeout,
// which starts from the last committed offsets (what the killed worker had pending is invisible
// until aborted). Its successor, with the same transactional id, fences it and aborts that
// transaction. The output, read committed, holds each input once.
//
// The input flows only while no live worker loses partitions to another: kafkajs fetches committed
// offsets without requireStable and does not stop a batch of a partition revoked under it, so a
// rebalance between two live workers can double-process a batch, with Kafka as with the mock
// (KIP-447 counts on the new owner's OffsetFetch waiting for pending offsets).

const WORKER = fileURLToPath(new URL('./workers/eos-worker.ts', import.meta.url))
const GROUP = 'transformers'

const harness = useHarness()

async function worker(cluster: MockCluster, transactionalId: string): Promise<RunningChild> {
  return start(process.execPath, [
    '--conditions=@tributary/source',
    '--import',
    'tsx',
    WORKER,
    cluster.bootstrapBrokers.join(','),
    transactionalId,
    GROUP,
    'in',
    'out',
  ])
}

const committedCount = (child: RunningChild) =>
  child.lines
    .filter((l) => l.startsWith('{"event":"committed"'))
    .reduce((n, l) => n + (JSON.parse(l) as { count: number }).count, 0)

describe('a consume-transform-produce loop', () => {
  it('outputs every input exactly once, read committed, although a worker is killed mid-stream', async () => {
    const cluster = await harness.start({
      brokers: 3,
      topics: [
        { name: 'in', partitions: 4 },
        { name: 'out', partitions: 4 },
      ],
      groups: { minSessionTimeoutMs: 1000 },
    })
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    const inputs = Array.from({ length: 400 }, (_, i) => ({ topic: 'in', key: `k-${i}`, value: `v-${i}` }))
    const a = await worker(cluster, 'worker-a')
    const b = await worker(cluster, 'worker-b')
    let successor: RunningChild | undefined
    const t0 = Date.now()
    const log: string[] = []
    cluster.on('group', (e) => log.push(`${Date.now() - t0} ${e.message}`))
    // What happened, should the test fail: the coordinator's events, the workers' words, duplicates.
    onTestFailed(() => {
      console.log(log.join('\n'))
      console.log(cluster.committedOffsets(GROUP), cluster.transaction('worker-a'), cluster.transaction('worker-b'))
      for (const c of [a, b, successor]) {
        console.log(c?.lines.filter((l) => !l.includes('"committed"')).join('\n'), c?.stderr().slice(-2000))
      }
      const seen = new Map<string, string[]>()
      for (const r of cluster.records('out', { isolation: 'read_committed' })) {
        const v = r.value?.toString() ?? ''
        seen.set(v, [...(seen.get(v) ?? []), `p${r.partition}@${r.offset} pid ${r.producerId}/${r.producerEpoch}`])
      }
      console.log([...seen].filter(([, w]) => w.length > 1).slice(0, 20))
    })
    await until(() => {
      const members = cluster.group(GROUP)?.members ?? []
      return members.length === 2 && members.every((m) => m.assignment?.in?.length === 2)
    }, 'both workers with two partitions each')

    // The input arrives in chunks; worker a is killed without warning once it has processed some,
    // and more arrives after the kill.
    let killed: () => void = () => {}
    const afterKill = new Promise<void>((resolve) => {
      killed = resolve
    })
    const send = (async () => {
      for (let from = 0; from < 400; from += 20) {
        if (from === 200) await afterKill
        expect((await producer.sendBatch(inputs.slice(from, from + 20))).every((r) => r.ok)).toBe(true)
        await sleep(20)
      }
    })()
    await until(() => committedCount(a) > 0, 'worker a committing some input')
    await a.kill('SIGKILL')
    killed()
    await until(() => cluster.group(GROUP)?.members.length === 1, "worker a's member evicted after its session timeout")
    await send
    await until(
      () => [0, 1, 2, 3].every((p) => cluster.committedOffsets(GROUP).get(`in:${p}`) === cluster.endOffset('in', p)),
      'every input offset committed',
    )
    // Every input offset was committed with a transaction; b took over a's partitions.
    expect(cluster.groupOffsets(GROUP).map((o) => [o.topic, o.transactional])).toEqual([
      ['in', true],
      ['in', true],
      ['in', true],
      ['in', true],
    ])
    expect(cluster.group(GROUP)?.members[0]?.assignment).toEqual({ in: [0, 1, 2, 3] })
    expect(committedCount(a)).toBeGreaterThan(0)
    expect(committedCount(b)).toBeGreaterThan(0)
    // While a's transaction (if it was killed in one) stays open, read_committed stops at the last
    // stable offset of the output partitions it wrote to, as in Kafka.
    const output = () => cluster.records('out', { isolation: 'read_committed' }).map((r) => r.value?.toString())
    expect(output().length).toBeLessThanOrEqual(400)

    // a's successor (same transactional id) fences it: InitProducerId bumps the epoch and aborts
    // what a left open. It joins the group; nothing is left to process, nothing is output twice.
    successor = await worker(cluster, 'worker-a')
    await until(() => (cluster.transaction('worker-a')?.epoch ?? 0) > 0, "worker a's successor fencing it")
    expect(cluster.transaction('worker-a')?.status).not.toBe('ongoing')
    await until(() => cluster.group(GROUP)?.members.length === 2, 'the successor in the group')
    expect(output().length).toBe(400)
    expect(new Set(output())).toEqual(new Set(inputs.map((i) => `out-${i.value}`)))
    // Read uncommitted, the output may hold more: what the killed worker wrote in its aborted transaction.
    expect(cluster.records('out').length).toBeGreaterThanOrEqual(400)
  })
})
