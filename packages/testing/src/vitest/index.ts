import { afterAll, afterEach, test as baseTest, beforeAll, beforeEach, onTestFailed, type TestAPI } from 'vitest'
import type { MockCluster } from '../mock-cluster/mock-cluster.js'
import type { MockSchemaRegistry } from '../schema-registry/mock-schema-registry.js'
import {
  type MockClusterFixture,
  type MockKafka,
  type MockKafkaOptions,
  startCluster,
  type UseMockClusterOptions,
  useMockCluster as useMockClusterWith,
} from '../test-runners/index.js'
import { printFailureReport } from '../test-runners/print.js'

// @tributary/testing/vitest: the fixtures of @tributary/testing/fixtures bound to Vitest's hooks and
// test context. Vitest is an optional peer dependency: only this entry imports it.

/**
 * Starts a mock cluster (and a schema registry with `registry`) for each test, or once for the file
 * or `describe` block with `scope: 'file'`, and stops it afterwards whatever the outcome; prints the
 * cluster's requests during the test and its last records when a test fails (the test context's
 * `onTestFailed`, so concurrent tests each report their own).
 *
 * ```ts
 * import { useMockCluster } from '@tributary/testing/vitest'
 * const kafka = useMockCluster({ cluster: { topics: [{ name: 'orders', partitions: 3 }] } })
 * test('places an order', async () => {
 *   // ... produce to kafka.bootstrapBrokers ...
 *   const [record] = await kafka.cluster.waitForRecords('orders', { count: 1 })
 * })
 * ```
 */
export function useMockCluster(options: UseMockClusterOptions = {}): MockClusterFixture {
  // The test the fixture's beforeEach or afterEach runs for, from Vitest's test context.
  let test: { name: string; result?: { state: string } | undefined } | undefined
  return useMockClusterWith(
    {
      beforeAll,
      afterAll,
      beforeEach: (fn, timeout) =>
        beforeEach(async ({ task }) => {
          test = task
          await fn()
        }, timeout),
      afterEach: (fn, timeout) =>
        afterEach(async ({ task }) => {
          test = task
          await fn()
        }, timeout),
      onTestFailed,
      testFailed: () => test?.result?.state === 'fail',
      testName: () => test?.name,
    },
    options,
  )
}

/** The fixtures of a `mockClusterTest` test: `({ kafka, cluster, registry }) => ...`. */
export interface MockClusterTestContext {
  /** The cluster with its registry, `defer` and `report`. */
  kafka: MockKafka
  cluster: MockCluster
  /** The schema registry (started only when the test asks for it, or `kafka.registry`, and `registry` is set). */
  registry: MockSchemaRegistry
}

/**
 * A Vitest `test` with fixtures: each test that names `kafka`, `cluster` or `registry` in its
 * context gets a mock cluster of its own (and a registry with `registry` set), stopped after it
 * whatever the outcome (after the cleanups given to `kafka.defer`); a failing test prints the
 * cluster's report.
 *
 * ```ts
 * const test = mockClusterTest({ cluster: { topics: [{ name: 'orders' }] } })
 * test('places an order', async ({ cluster }) => {
 *   // ... produce to cluster.bootstrapBrokers ...
 *   await cluster.waitForRecords('orders', { count: 1 })
 * })
 * ```
 */
export function mockClusterTest(options: MockKafkaOptions = {}): TestAPI<MockClusterTestContext> {
  return baseTest.extend<MockClusterTestContext>({
    kafka: async ({ task, onTestFailed: onFailed }, use) => {
      const kafka = await startCluster(options)
      let reported = false
      const report = () => {
        if (reported) return
        reported = true
        printFailureReport(() => kafka.report(), task.name, options.print)
      }
      // For a failure after this fixture's teardown; the report then shows the cluster stopped.
      onFailed(report)
      try {
        await use(kafka)
      } finally {
        // The test ran (and its afterEach hooks): report a failure while the cluster still runs.
        if (task.result?.state === 'fail') report()
        await kafka.stop()
      }
    },
    cluster: async ({ kafka }, use) => {
      await use(kafka.cluster)
    },
    registry: async ({ kafka }, use) => {
      await use(kafka.registry)
    },
  })
}

export {
  type MockClusterFixture,
  type MockKafka,
  type MockKafkaOptions,
  type ReportOptions,
  startCluster,
  type UseMockClusterOptions,
} from '../test-runners/index.js'
