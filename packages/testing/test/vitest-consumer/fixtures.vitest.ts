import { Producer, stringSerializer } from '@tributary/core'
import { mockClusterTest, useMockCluster } from '@tributary/testing/vitest'
import { describe, expect, test } from 'vitest'

// Run by test/runners.test.ts in a child Vitest: the tests named "fails on purpose" fail, to show
// that the fixtures print the cluster's report for those tests only, and clean up either way.

async function produce(bootstrapBrokers: string[], keys: string[]): Promise<void> {
  const producer = new Producer({
    bootstrapBrokers,
    serializers: { key: stringSerializer(), value: stringSerializer() },
  })
  try {
    for (const key of keys) await producer.send({ topic: 'orders', key, value: `order ${key}`, partition: 0 })
  } finally {
    await producer.close()
  }
}

describe('useMockCluster', () => {
  const kafka = useMockCluster({
    scope: 'file',
    cluster: { logger: false, topics: [{ name: 'orders', partitions: 2 }] },
  })

  test('passes: hooks-a', async () => {
    await produce(kafka.bootstrapBrokers, ['hooks-a'])
    expect(await kafka.cluster.waitForRecords('orders', { count: 1 })).toHaveLength(1)
  })

  test('fails on purpose: hooks-b', async () => {
    await produce(kafka.bootstrapBrokers, ['hooks-b'])
    expect(kafka.cluster.records('orders')).toHaveLength(2)
  })

  test('passes: hooks-c sees only its own records', async () => {
    await produce(kafka.bootstrapBrokers, ['hooks-c'])
    const records = await kafka.cluster.waitForRecords('orders', { count: 1 })
    expect(records.map((r) => r.key?.toString())).toEqual(['hooks-c'])
  })
})

describe('mockClusterTest', () => {
  const it = mockClusterTest({ cluster: { logger: false, topics: [{ name: 'orders' }] }, registry: true })

  it('passes: fixture-a', async ({ cluster, registry }) => {
    await produce(cluster.bootstrapBrokers, ['fixture-a'])
    expect(registry.running).toBe(true)
    expect(await cluster.waitForRecords('orders', { count: 1 })).toHaveLength(1)
  })

  it('fails on purpose: fixture-b', async ({ cluster }) => {
    await produce(cluster.bootstrapBrokers, ['fixture-b'])
    await cluster.waitForRecords('orders', { count: 2, timeoutMs: 50 })
  })
})
