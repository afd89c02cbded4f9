// The Tributary demo: an embedded mock Kafka cluster, a typed producer, and what happened.
// Run with `npm run demo` from the repository root.
import { jsonSerializer, Producer, stringSerializer } from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'
import { MockCluster } from '@tributary/testing'

interface Order {
  id: string
  customer: string
  total: number
}

const cluster = await MockCluster.start({ brokers: 3, topics: [{ name: 'orders', partitions: 6 }] })
console.log(`mock cluster: 3 brokers at ${cluster.bootstrapBrokers.join(', ')}; topic 'orders' with 6 partitions`)

const producer = new Producer({
  clientId: 'demo',
  bootstrapBrokers: cluster.bootstrapBrokers,
  serializers: { key: stringSerializer(), value: jsonSerializer<Order>() },
  compression: 'gzip',
})

try {
  const { producerId, producerEpoch } = await producer.connect()
  console.log(`connected: idempotent producer id ${producerId}, epoch ${producerEpoch}`)

  const first = await producer.send({
    topic: 'orders',
    key: 'customer-42',
    value: { id: 'o-1', customer: 'customer-42', total: 99.5 },
    headers: { source: 'web' },
  })
  console.log(`send: o-1 -> partition ${first.partition}, offset ${first.offset}, timestamp ${first.timestamp}`)

  // The next Produce request to any broker fails with a retriable error; the producer retries it.
  cluster.failNext('Produce', { errorCode: ErrorCodes.NOT_LEADER_OR_FOLLOWER })
  const started = performance.now()
  const orders = Array.from({ length: 10_000 }, (_, i) => ({
    topic: 'orders',
    key: `customer-${i % 500}`,
    value: { id: `o-${i + 2}`, customer: `customer-${i % 500}`, total: (i % 100) + 0.99 },
    headers: [['source', 'batch'] as const, ['seq', String(i)] as const],
  }))
  const results = await producer.sendBatch(orders)
  const elapsed = performance.now() - started
  const failed = results.filter((r) => !r.ok).length
  console.log(
    `sendBatch: ${results.length - failed} of ${results.length} records acknowledged in ${elapsed.toFixed(0)} ms (one injected NOT_LEADER_OR_FOLLOWER was retried)`,
  )

  await producer.close()

  console.log('\nwhat the cluster stored, per partition:')
  const all = cluster.records('orders')
  for (let p = 0; p < 6; p++) {
    const records = all.filter((r) => r.partition === p)
    const batches = cluster.batches('orders', p)
    const gzip = batches.filter((b) => b.compression === 1).length
    console.log(
      `  partition ${p} (leader broker ${cluster.leaderOf('orders', p)}): ${records.length} records in ${batches.length} batch(es), ${gzip} gzip-compressed, offsets 0..${records.length - 1}`,
    )
  }
  const keys = new Map<string, Set<number>>()
  for (const r of all) {
    const key = r.key?.toString() ?? ''
    keys.set(key, (keys.get(key) ?? new Set()).add(r.partition))
  }
  const split = [...keys.values()].filter((s) => s.size > 1).length
  const values = new Set(all.map((r) => JSON.parse(r.value?.toString() ?? '{}').id))
  console.log(
    `  ${all.length} records, ${values.size} distinct orders (no duplicates), ${keys.size} keys, ${split} key(s) split across partitions`,
  )

  const requests = new Map<string, number>()
  for (const r of cluster.requests()) {
    const name = `${r.apiName} v${r.apiVersion}`
    requests.set(name, (requests.get(name) ?? 0) + 1)
  }
  console.log(`\nrequests the cluster received: ${[...requests].map(([k, n]) => `${k} x${n}`).join(', ')}`)
  if (failed > 0 || values.size !== results.length + 1) process.exitCode = 1
} finally {
  await producer.close()
  await cluster.stop()
}
