import type {
  afterAll as jestAfterAll,
  afterEach as jestAfterEach,
  beforeAll as jestBeforeAll,
  beforeEach as jestBeforeEach,
} from '@jest/globals'
import { Producer, stringSerializer } from '@tributary/core'
import { offsetCommit } from '@tributary/core/protocol'
import { outcome } from '@tributary/test-support/async'
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { MockCluster, MockSchemaRegistry } from '../src/index.js'
import {
  type MockKafka,
  startCluster,
  type TestHooks,
  type UseMockClusterOptions,
  useMockCluster,
} from '../src/test-runners/index.js'
import { connect } from './groups/raw-group-client.js'

// The runner-neutral fixtures driven by a runner of the test's own: hooks collected, then run in
// the order Vitest and Jest run them, a test failing when its body throws.

type Hook = () => Promise<void>
type FailedHandler = () => void

interface FakeTest {
  name: string
  body: () => Promise<void> | void
}

/**
 * Runs tests as a runner does: beforeAll, then per test beforeEach, the body, afterEach, the
 * failure handlers of a failed test; then afterAll. What the fixture is told of the test depends on
 * `style`: 'vitest' as `@tributary/testing/vitest` binds it (`onTestFailed`, `testFailed` and
 * `testName`), 'hook-only' only `onTestFailed`, 'jest' only `testFailed`.
 */
class FakeRunner {
  private readonly beforeAll: Hook[] = []
  private readonly afterAll: Hook[] = []
  private readonly beforeEach: Hook[] = []
  private readonly afterEach: Hook[] = []
  private failed = false
  private name: string | undefined
  private handlers: FailedHandler[] = []
  readonly outcomes: Array<{ name: string; error: unknown }> = []

  constructor(private readonly style: 'vitest' | 'hook-only' | 'jest') {}

  get hooks(): TestHooks {
    const register = (list: Hook[]) => (fn: Hook) => {
      expect(fn.length).toBe(0) // Jest would take a parameter for a `done` callback
      list.push(fn)
    }
    const onTestFailed = (fn: FailedHandler) => this.handlers.push(fn)
    const testFailed = () => this.failed
    return {
      beforeAll: register(this.beforeAll),
      afterAll: register(this.afterAll),
      beforeEach: register(this.beforeEach),
      afterEach: register(this.afterEach),
      ...(this.style === 'jest' ? { testFailed } : { onTestFailed }),
      ...(this.style === 'vitest' ? { testFailed, testName: () => this.name } : {}),
    }
  }

  async run(tests: FakeTest[]): Promise<void> {
    for (const hook of this.beforeAll) await hook()
    for (const test of tests) {
      this.handlers = []
      this.name = test.name
      this.failed = false
      let error: unknown
      try {
        for (const hook of this.beforeEach) await hook()
        await test.body()
      } catch (e) {
        error = e
        this.failed = true
      }
      for (const hook of [...this.afterEach].reverse()) await hook()
      if (this.failed) for (const handler of this.handlers) handler()
      this.outcomes.push({ name: test.name, error })
    }
    for (const hook of [...this.afterAll].reverse()) await hook()
  }
}

async function produce(cluster: MockCluster, topic: string, keys: string[]): Promise<void> {
  const producer = new Producer({
    bootstrapBrokers: cluster.bootstrapBrokers,
    serializers: { key: stringSerializer(), value: stringSerializer() },
  })
  try {
    for (const key of keys) await producer.send({ topic, key, value: `value of ${key}`, partition: 0 })
  } finally {
    await producer.close()
  }
}

function fixture(style: 'vitest' | 'hook-only' | 'jest', options: UseMockClusterOptions = {}) {
  const runner = new FakeRunner(style)
  const printed: string[] = []
  const kafka = useMockCluster(runner.hooks, {
    cluster: { logger: false, topics: [{ name: 'orders', partitions: 2 }] },
    print: (text) => printed.push(text),
    ...options,
  })
  return { runner, printed, kafka }
}

const running = (cluster: MockCluster) => cluster.brokers.every((b) => b.running)

afterEach(() => {
  vi.restoreAllMocks()
})

describe('useMockCluster (runner-neutral)', () => {
  it("scope 'test' (the default): a cluster per test, stopped after it whether it passed or failed", async () => {
    const { runner, kafka } = fixture('vitest')
    const seen: MockCluster[] = []
    await runner.run([
      {
        name: 'first',
        body: () => {
          seen.push(kafka.cluster)
          expect(kafka.bootstrapBrokers).toEqual(kafka.cluster.bootstrapBrokers)
          expect(running(kafka.cluster)).toBe(true)
        },
      },
      {
        name: 'second',
        body: () => {
          seen.push(kafka.cluster)
          throw new Error('boom')
        },
      },
    ])
    expect(seen).toHaveLength(2)
    expect(seen[0]).not.toBe(seen[1])
    expect(seen.map(running)).toEqual([false, false])
    expect(() => kafka.cluster).toThrow(/no cluster is running here; it starts in beforeEach/)
  })

  it('runs what a test deferred before its cluster stops, even when the test failed; errors ignored', async () => {
    const { runner, kafka } = fixture('vitest')
    const log: string[] = []
    await runner.run([
      {
        name: 'defers',
        body: () => {
          const cluster = kafka.cluster
          kafka.defer(() => log.push(`cleanup saw the cluster running: ${running(cluster)}`))
          kafka.defer(() => {
            throw new Error('ignored')
          })
          throw new Error('the test fails')
        },
      },
    ])
    expect(log).toEqual(['cleanup saw the cluster running: true'])
  })

  it('prints the report of a failed test once, with its requests and the last records; nothing for a passing test', async () => {
    const { runner, printed, kafka } = fixture('vitest', { report: { records: 2 } })
    await runner.run([
      { name: 'passes', body: () => produce(kafka.cluster, 'orders', ['p-1']) },
      {
        name: 'expects three orders',
        body: async () => {
          await produce(kafka.cluster, 'orders', ['o-1', 'o-2', 'o-3'])
          expect(kafka.cluster.records('orders')).toHaveLength(4)
        },
      },
    ])
    expect(runner.outcomes.map((o) => o.error === undefined)).toEqual([true, false])
    expect(printed).toHaveLength(1)
    const report = printed[0] as string
    // Printed in the afterEach, before the cluster stops: the brokers still run.
    expect(report).toMatch(
      /^\[@tributary\/testing\] test "expects three orders" failed; mock cluster: brokers 1=127\.0\.0\.1:\d+\n/,
    )
    expect(report).toMatch(
      /requests during the test \(\d+\):\n {2}\d\d:\d\d:\d\d\.\d{3} broker 1 ApiVersions v\d+ client /,
    )
    expect(report).toContain(' Produce v')
    expect(report).toContain('  orders: 3 record(s) in 2 partition(s) [0: 3, 1: 0]')
    expect(report).toContain(
      '    last 2:\n    orders-0@1 key "o-2" value "value of o-2"\n    orders-0@2 key "o-3" value "value of o-3"',
    )
  })

  it('with only onTestFailed in the context, reports from it, after the cluster stopped', async () => {
    const { runner, printed, kafka } = fixture('hook-only')
    await runner.run([
      { name: 'passes', body: () => {} },
      {
        name: 'fails',
        body: () => {
          void kafka.cluster
          throw new Error('no')
        },
      },
    ])
    expect(printed).toHaveLength(1)
    expect(printed[0]).toMatch(
      /^\[@tributary\/testing\] a test failed; mock cluster: brokers 1=127\.0\.0\.1:\d+ \(stopped\)\n/,
    )
  })

  it('Jest style: no test context; the fixture asks `testFailed` in its afterEach', async () => {
    const { runner, printed, kafka } = fixture('jest')
    await runner.run([
      { name: 'passes', body: () => {} },
      {
        name: 'fails',
        body: () => {
          kafka.cluster.createTopic('audit')
          throw new Error('no')
        },
      },
    ])
    expect(printed).toHaveLength(1)
    expect(printed[0]).toMatch(/^\[@tributary\/testing\] a test failed; mock cluster: /)
    expect(printed[0]).toContain('  no records: audit, orders')
  })

  it("scope 'file': one cluster for the file, records cleared after each test, stopped after all", async () => {
    const { runner, kafka } = fixture('vitest', { scope: 'file' })
    const seen: MockCluster[] = []
    const counts: number[] = []
    await runner.run([
      {
        name: 'produces',
        body: async () => {
          seen.push(kafka.cluster)
          await produce(kafka.cluster, 'orders', ['a', 'b'])
          counts.push(kafka.cluster.records('orders').length)
        },
      },
      {
        name: 'sees only its own records',
        body: async () => {
          seen.push(kafka.cluster)
          counts.push(kafka.cluster.records('orders').length)
          await produce(kafka.cluster, 'orders', ['c'])
          const records = await kafka.cluster.waitForRecords('orders', { count: 1 })
          counts.push(records.length)
          expect(records[0]?.offset).toBe(2n)
        },
      },
    ])
    expect(runner.outcomes.map((o) => o.error)).toEqual([undefined, undefined])
    expect(seen[0]).toBe(seen[1])
    expect(counts).toEqual([2, 0, 1])
    expect(running(seen[0] as MockCluster)).toBe(false)
  })

  it("scope 'file' with clearAfterEach false keeps records; cleanups deferred in a beforeAll run after all tests", async () => {
    const runner = new FakeRunner('vitest')
    const log: string[] = []
    const kafka = useMockCluster(runner.hooks, { scope: 'file', clearAfterEach: false, cluster: { logger: false } })
    runner.hooks.beforeAll(async () => {
      kafka.defer(() => log.push('file cleanup'))
      await produce(kafka.cluster, 'seeded', ['s'])
    })
    await runner.run([
      {
        name: 'reads the seed',
        body: () => {
          kafka.defer(() => log.push('test cleanup'))
          expect(kafka.cluster.records('seeded')).toHaveLength(1)
        },
      },
      { name: 'reads it again', body: () => expect(kafka.cluster.records('seeded')).toHaveLength(1) },
    ])
    expect(runner.outcomes.map((o) => o.error)).toEqual([undefined, undefined])
    expect(log).toEqual(['test cleanup', 'file cleanup'])
  })

  it('starts a schema registry with `registry`, lists its subjects in the report, and stops it', async () => {
    const { runner, printed, kafka } = fixture('vitest', { registry: true })
    let registry: MockSchemaRegistry | undefined
    await runner.run([
      {
        name: 'registers',
        body: async () => {
          registry = kafka.registry
          const response = await fetch(`${registry.url}/subjects/orders-value/versions`, {
            method: 'POST',
            headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
            body: JSON.stringify({ schema: '"string"' }),
          })
          expect(response.status).toBe(200)
          throw new Error('fail to see the report')
        },
      },
    ])
    expect(registry?.running).toBe(false)
    expect(printed[0]).toMatch(
      /schema registry http:\/\/127\.0\.0\.1:\d+: subjects orders-value\n {2}POST \/subjects\/orders-value\/versions$/,
    )
  })

  it("takes Jest's hooks as they are (a type check)", () => {
    expectTypeOf<{
      beforeAll: typeof jestBeforeAll
      afterAll: typeof jestAfterAll
      beforeEach: typeof jestBeforeEach
      afterEach: typeof jestAfterEach
      testFailed: () => boolean
    }>().toExtend<TestHooks>()
  })

  it('says when the registry was not asked for', async () => {
    const { runner, kafka } = fixture('vitest')
    await runner.run([{ name: 'no registry', body: () => void kafka.registry }])
    expect(String(runner.outcomes[0]?.error)).toContain('no schema registry: start the fixture with { registry: true }')
  })
})

describe('the report', () => {
  it('lists consumer groups with committed offsets and lag, and record headers', async () => {
    const kafka = await startCluster({ cluster: { logger: false, topics: [{ name: 'orders' }] } })
    try {
      const producer = new Producer({ bootstrapBrokers: kafka.bootstrapBrokers })
      await producer.send({ topic: 'orders', key: 'a', value: 'x', headers: { trace: 't-1' } })
      await producer.send({ topic: 'orders', key: 'b', value: Buffer.from([0, 0, 0, 0, 7, 1, 2]) })
      await producer.close()
      const connection = await connect(kafka.cluster)
      kafka.defer(() => connection.close())
      await connection.send(offsetCommit, 9, {
        groupId: 'billing',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }],
      })
      kafka.cluster.createTopic('audit')
      const report = kafka.report({ requests: 1 })
      expect(kafka.report({ topics: 0 })).toContain(
        '  1 more topic(s) with records not shown (report option topics: 0)\n  no records: audit',
      )
      expect(report).toMatch(
        /requests since the cluster started \(last 1 of \d+\):\n {2}[\d:.]+ broker 1 OffsetCommit v9 client /,
      )
      expect(report).toContain('    orders-0@0 key "a" value "x" headers trace="t-1"\n')
      expect(report).toContain('    orders-0@1 key "b" value <schema id 7, 7 bytes: 00000000070102>\n')
      expect(report).toMatch(
        /groups:\n {2}billing: classic, Empty, generation \d+, 0 member\(s\)\n {4}committed: orders:0=1 \(lag 1\)/,
      )
    } finally {
      await kafka.stop()
    }
  })
})

describe('startCluster', () => {
  it('starts a cluster and a registry, reports, defers and stops (twice is fine)', async () => {
    const kafka: MockKafka = await startCluster({ cluster: { logger: false }, registry: {} })
    const log: string[] = []
    kafka.defer(() => log.push(`running: ${running(kafka.cluster)} ${kafka.registry.running}`))
    kafka.cluster.createTopic('orders')
    expect(kafka.report()).toMatch(
      /^mock cluster: brokers 1=127\.0\.0\.1:\d+\nrequests since the cluster started: none\ntopics:\n {2}no records: orders\nschema registry http/,
    )
    await Promise.all([kafka.stop(), kafka.stop()])
    expect(log).toEqual(['running: true true'])
    expect(running(kafka.cluster)).toBe(false)
    expect(kafka.registry.running).toBe(false)
  })

  it('stops the cluster when the registry cannot start', async () => {
    const taken = await MockSchemaRegistry.start()
    const port = Number(new URL(taken.url).port)
    const stop = vi.spyOn(MockCluster.prototype, 'stop')
    try {
      const error = await outcome(startCluster({ cluster: { logger: false }, registry: { port } }))
      expect(String(error)).toContain('EADDRINUSE')
      expect(stop).toHaveBeenCalledTimes(1)
    } finally {
      await taken.stop()
    }
  })
})
