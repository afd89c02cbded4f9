import { MockCluster, type MockClusterOptions, type MockRequestLogEntry } from '../mock-cluster/mock-cluster.js'
import { MockSchemaRegistry, type MockSchemaRegistryOptions } from '../schema-registry/mock-schema-registry.js'
import { printFailureReport } from './print.js'
import { formatReport, type ReportOptions } from './report.js'

// Test fixtures for any test runner: a mock cluster (and optionally a schema registry) started for a
// test file or for each test, stopped whatever the outcome, and a report of what the cluster saw,
// printed when a test fails. `@tributary/testing/vitest` binds them to Vitest's hooks.

/** What `startCluster` and `useMockCluster` start. */
export interface MockKafkaOptions {
  /** Options of `MockCluster.start`. */
  cluster?: MockClusterOptions | undefined
  /** Start a `MockSchemaRegistry` too: `true`, or its options. Default: none. */
  registry?: boolean | MockSchemaRegistryOptions | undefined
  /** How much the failure report shows. */
  report?: ReportOptions | undefined
  /** Where a failure report goes. Default `console.error`, which test runners show with the test's output. */
  print?: ((report: string) => void) | undefined
}

/** A running mock cluster with what a test needs around it. */
export interface MockKafka {
  readonly cluster: MockCluster
  /** The schema registry; throws when started without `registry`. */
  readonly registry: MockSchemaRegistry
  /** `host:port` of every broker. */
  readonly bootstrapBrokers: string[]
  /**
   * Runs `cleanup` when the current test ends (fixtures), or at `stop()`, before the cluster stops:
   * disconnect consumers and close producers here, so they do not retry against a stopped cluster.
   * Cleanups run together; what they throw is ignored.
   */
  defer(cleanup: () => unknown): void
  /**
   * The report a failing test prints: brokers, the last requests (those of the current test, for a
   * fixture), each topic's counts and last records, consumer groups, the registry's subjects.
   */
  report(options?: ReportOptions): string
  /** Runs the deferred cleanups, then stops the registry and the cluster. Safe to call twice. */
  stop(): Promise<void>
}

/** How many requests a report keeps while they come in (the report shows the last `report.requests`). */
const REQUEST_RING = 1000

class RunningMockKafka implements MockKafka {
  readonly cluster: MockCluster
  private readonly registryInstance: MockSchemaRegistry | undefined
  private readonly options: MockKafkaOptions
  /** Cleanups deferred outside a test (at start, in a beforeAll): run at stop. */
  private readonly cleanups: Array<() => unknown> = []
  /** Cleanups deferred during the current test: run when it ends. */
  private readonly testCleanups: Array<() => unknown> = []
  private inTest = false
  private requests: MockRequestLogEntry[] = []
  private requestTotal = 0
  private requestsScope = 'since the cluster started'
  private stopping: Promise<void> | undefined

  constructor(cluster: MockCluster, registry: MockSchemaRegistry | undefined, options: MockKafkaOptions) {
    this.cluster = cluster
    this.registryInstance = registry
    this.options = options
    cluster.on('request', (entry) => {
      this.requestTotal++
      this.requests.push(entry)
      if (this.requests.length > REQUEST_RING * 2) this.requests = this.requests.slice(-REQUEST_RING)
    })
  }

  get registry(): MockSchemaRegistry {
    if (this.registryInstance === undefined) {
      throw new Error('no schema registry: start the fixture with { registry: true } (or registry options)')
    }
    return this.registryInstance
  }

  get bootstrapBrokers(): string[] {
    return this.cluster.bootstrapBrokers
  }

  defer(cleanup: () => unknown): void {
    ;(this.inTest ? this.testCleanups : this.cleanups).push(cleanup)
  }

  /** A test starts: requests are counted from here, cleanups deferred until it ends go with it. */
  startTest(): void {
    this.inTest = true
    this.requests = []
    this.requestTotal = 0
    this.requestsScope = 'during the test'
  }

  /** The test ended: runs the cleanups it deferred. */
  async endTest(): Promise<void> {
    this.inTest = false
    await runAll(this.testCleanups)
  }

  report(options: ReportOptions = {}): string {
    return formatReport(
      {
        cluster: this.cluster,
        requests: this.requests,
        requestTotal: this.requestTotal,
        requestsScope: this.requestsScope,
        registry: this.registryInstance,
      },
      { ...this.options.report, ...options },
    )
  }

  /** Prints the report for a failed test (`print`, default console.error). */
  printReport(testName: string | undefined): void {
    printFailureReport(() => this.report(), testName, this.options.print)
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await runAll(this.testCleanups)
      await runAll(this.cleanups)
      await Promise.allSettled([this.registryInstance?.stop(), this.cluster.stop()])
    })()
    return this.stopping
  }
}

/** Runs and forgets cleanups, together; what they throw is ignored. */
async function runAll(cleanups: Array<() => unknown>): Promise<void> {
  await Promise.allSettled(cleanups.splice(0).map(async (cleanup) => cleanup()))
}

/**
 * Starts a mock cluster (and a schema registry with `registry`), for a test runner without hooks
 * or a test that wants its own: `const kafka = await startCluster(...)`, then `kafka.stop()` in a
 * `finally`. If the registry fails to start, the cluster is stopped before the error is thrown.
 */
export async function startCluster(options: MockKafkaOptions = {}): Promise<MockKafka> {
  return start(options)
}

async function start(options: MockKafkaOptions): Promise<RunningMockKafka> {
  const cluster = await MockCluster.start(options.cluster)
  let registry: MockSchemaRegistry | undefined
  try {
    if (options.registry !== undefined && options.registry !== false) {
      registry = await MockSchemaRegistry.start(options.registry === true ? {} : options.registry)
    }
  } catch (error) {
    await cluster.stop()
    throw error
  }
  return new RunningMockKafka(cluster, registry, options)
}

/** A hook registration function: Vitest's and Jest's `beforeAll`, `afterAll`, `beforeEach`, `afterEach`. */
export type HookFunction = (fn: () => Promise<void>, timeout?: number) => unknown

/** The test runner's hooks that `useMockCluster` registers its setup and teardown with. */
export interface TestHooks {
  beforeAll: HookFunction
  afterAll: HookFunction
  beforeEach: HookFunction
  afterEach: HookFunction
  /**
   * Registers a handler for a failure of the test about to run, called from the fixture's
   * beforeEach (Vitest's `onTestFailed`). The report is printed from it when `testFailed` did not
   * tell already, e.g. a failure in a later hook.
   */
  onTestFailed?: ((handler: () => void) => unknown) | undefined
  /**
   * Whether the test that just ran failed, asked in the fixture's afterEach so that the report shows
   * the cluster before it stops (Jest: see the package README for a five-line test environment that
   * knows; `@tributary/testing/vitest` reads Vitest's test context).
   */
  testFailed?: (() => boolean) | undefined
  /** The name of the running test, for the report's title (default: Jest's `expect.getState()`). */
  testName?: (() => string | undefined) | undefined
}

/** Options of `useMockCluster`. */
export interface UseMockClusterOptions extends MockKafkaOptions {
  /**
   * 'test' (the default): a new cluster (and registry) for every test, stopped after it, so tests
   * share nothing. 'file': one for the tests of the file (or `describe` block) the call is in,
   * started in beforeAll and stopped in afterAll.
   */
  scope?: 'test' | 'file' | undefined
  /**
   * With scope 'file': `cluster.clear()` after every test, so each test sees only its own records
   * (topics, groups and offsets stay; see `MockCluster.clear`). Default true; false keeps the
   * records, e.g. ones produced in a beforeAll for every test to read.
   */
  clearAfterEach?: boolean | undefined
  /** Timeout of the fixture's hooks, passed to the runner. Default: the runner's. */
  hookTimeoutMs?: number | undefined
}

/** What `useMockCluster` returns: the running cluster of the current test, through getters. */
export interface MockClusterFixture extends Omit<MockKafka, 'stop'> {}

/**
 * Registers hooks that start a mock cluster (and a schema registry with `registry`) for each test,
 * or once for the file with `scope: 'file'`, and stop it afterwards whatever the outcome, running
 * the cleanups given to `defer` first. When a test fails it prints `report()`: the requests the
 * cluster received during the test and the last records of each topic (Vitest: `onTestFailed`; Jest:
 * `testFailed`). Call it at the top of a test file or `describe` block:
 *
 * ```ts
 * import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals' // or 'vitest'
 * const kafka = useMockCluster({ beforeAll, afterAll, beforeEach, afterEach }, { registry: true })
 * test('...', async () => { kafka.cluster.createTopic('orders', 3) })
 * ```
 */
export function useMockCluster(hooks: TestHooks, options: UseMockClusterOptions = {}): MockClusterFixture {
  const scope = options.scope ?? 'test'
  if (scope !== 'test' && scope !== 'file') throw new RangeError(`scope must be 'test' or 'file', got ${String(scope)}`)
  const clearAfterEach = options.clearAfterEach ?? true
  const timeout = options.hookTimeoutMs
  let current: RunningMockKafka | undefined
  let testName: string | undefined
  let reported = false

  const running = (): RunningMockKafka => {
    if (current === undefined) {
      throw new Error(
        `useMockCluster: no cluster is running here; it starts in ${scope === 'test' ? 'beforeEach' : 'beforeAll'}, so use it inside a test or a later hook`,
      )
    }
    return current
  }
  const register = (hook: HookFunction, fn: () => Promise<void>) => {
    // No parameter: Jest takes a hook function with one as callback-style (it would wait for
    // `done`), and Vitest requires a first parameter to destructure its fixtures.
    const wrapped = () => fn()
    if (timeout === undefined) hook(wrapped)
    else hook(wrapped, timeout)
  }
  const reportFailure = (kafka: RunningMockKafka) => {
    if (reported) return
    reported = true
    kafka.printReport(testName)
  }

  if (scope === 'file') {
    register(hooks.beforeAll, async () => {
      current = await start(options)
    })
    register(hooks.afterAll, async () => {
      const kafka = current
      current = undefined
      await kafka?.stop()
    })
  }
  register(hooks.beforeEach, async () => {
    if (scope === 'test') current = await start(options)
    const kafka = running()
    kafka.startTest()
    reported = false
    testName = hooks.testName?.() ?? jestTestName()
    hooks.onTestFailed?.(() => reportFailure(kafka))
  })
  register(hooks.afterEach, async () => {
    const kafka = current
    if (kafka === undefined) return
    // Reported here, before the cluster stops, when the runner tells (Vitest runs its onTestFailed
    // handlers after the afterEach hooks, when the cluster of a per-test fixture has stopped).
    if (hooks.testFailed?.() === true) reportFailure(kafka)
    if (scope === 'test') {
      current = undefined
      await kafka.stop()
    } else {
      await kafka.endTest()
      if (clearAfterEach) kafka.cluster.clear()
    }
  })

  return {
    get cluster() {
      return running().cluster
    },
    get registry() {
      return running().registry
    },
    get bootstrapBrokers() {
      return running().bootstrapBrokers
    },
    defer(cleanup) {
      running().defer(cleanup)
    },
    report(reportOptions) {
      return running().report(reportOptions)
    },
  }
}

/** Jest's name for the running test, when Jest's global `expect` is there. */
function jestTestName(): string | undefined {
  const expectGlobal = (globalThis as { expect?: { getState?: () => { currentTestName?: unknown } } }).expect
  const name = expectGlobal?.getState?.().currentTestName
  return typeof name === 'string' ? name : undefined
}

export type { ReportOptions } from './report.js'
