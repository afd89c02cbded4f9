const { Producer, stringSerializer } = require('@tributary/core')
const { useMockCluster } = require('@tributary/testing/fixtures')

// Jest tests with the runner-neutral fixture: one cluster for the file, records cleared after each
// test. With TRIBUTARY_FAIL_ON_PURPOSE=1 one test fails, to show the report Jest prints for it.

const kafka = useMockCluster(
  { beforeAll, afterAll, beforeEach, afterEach, testFailed: () => globalThis.__testFailed === true },
  { scope: 'file', registry: true, cluster: { logger: false, topics: [{ name: 'orders', partitions: 2 }] } },
)

async function produce(keys) {
  const producer = new Producer({
    bootstrapBrokers: kafka.bootstrapBrokers,
    serializers: { key: stringSerializer(), value: stringSerializer() },
  })
  kafka.defer(() => producer.close())
  for (const key of keys) await producer.send({ topic: 'orders', key, value: `order ${key}`, partition: 1 })
}

test('waits for the records a producer sends', async () => {
  const waiting = kafka.cluster.waitForRecords('orders', { count: 2 })
  await produce(['jest-a', 'jest-b'])
  const records = await waiting
  expect(records.map((r) => r.key.toString())).toEqual(['jest-a', 'jest-b'])
  expect(kafka.registry.running).toBe(true)
})

test('sees only its own records (cleared after the test before)', async () => {
  expect(kafka.cluster.records('orders')).toEqual([])
  await produce(['jest-c'])
  const [record] = await kafka.cluster.waitForRecords('orders', { count: 1 })
  expect(record.offset).toBe(2n)
})

const failing = process.env.TRIBUTARY_FAIL_ON_PURPOSE === '1' ? test : test.skip
failing('fails on purpose: jest-d', async () => {
  await produce(['jest-d'])
  expect(kafka.cluster.records('orders')).toHaveLength(5)
})
