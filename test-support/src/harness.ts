import { Producer, type ProducerOptions } from '@tributary/core'
import {
  MockCluster,
  type MockClusterOptions,
  MockSchemaRegistry,
  type MockSchemaRegistryOptions,
} from '@tributary/testing'
import { afterEach } from 'vitest'
import { killChildren } from './processes.js'

// The mock cluster and producer harness of a test file: what a test starts (clusters, schema
// registries, producers, peer clients, child processes) is closed after it, whether it passed or not.

/** Anything with a producer's `close`. */
export interface Closeable {
  close(options?: { timeoutMs?: number }): Promise<void>
}

/** Producer options a harness applies to every producer it makes (a test's options win). */
export type ProducerDefaults = Partial<Omit<ProducerOptions, 'serializers' | 'partitioner'>>

export interface HarnessOptions {
  /** Options for every cluster `start` starts, under the test's; default `{ logger: false }`. */
  cluster?: MockClusterOptions
  /** Options for every producer `producer` makes, under the test's. */
  producer?: ProducerDefaults
  /** How long `close` may take for each producer after a test; default 2,000 ms. */
  closeTimeoutMs?: number
}

export interface Harness {
  /** Starts a mock cluster with the harness's options under `options`; it is stopped after the test. */
  start(options?: MockClusterOptions): Promise<MockCluster>
  /** The cluster the running test started last. */
  readonly cluster: MockCluster | undefined
  /** Starts a mock schema registry; it is stopped after the test. */
  startRegistry(options?: MockSchemaRegistryOptions): Promise<MockSchemaRegistry>
  /** A Tributary producer with the harness's defaults under `options`, closed after the test. */
  producer<K = Buffer | string | null, V = Buffer | string | null, HK = string, HV = Buffer | string | null>(
    options: ProducerOptions<K, V, HK, HV>,
  ): Producer<K, V, HK, HV>
  /** Closes `closeable` (a producer made another way) after the test, as `producer` does; returns it. */
  track<T extends Closeable>(closeable: T): T
  /**
   * Runs `cleanup` after the test, before producers are closed and clusters stopped (peer clients,
   * connections, probes). Cleanups run together; their errors are ignored.
   */
  defer(cleanup: () => unknown): void
}

/**
 * Registers an afterEach in the enclosing `describe` (or file) that, after every test: kills the
 * child processes `run` started, runs the deferred cleanups, closes the producers (errors ignored:
 * a test may have closed one already) and stops the clusters and schema registries the test started.
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  const clusterDefaults: MockClusterOptions = options.cluster ?? { logger: false }
  const producerDefaults = options.producer ?? {}
  const closeTimeoutMs = options.closeTimeoutMs ?? 2000
  const clusters: MockCluster[] = []
  const registries: MockSchemaRegistry[] = []
  const closeables: Closeable[] = []
  const cleanups: Array<() => unknown> = []
  let current: MockCluster | undefined

  afterEach(async () => {
    killChildren()
    await Promise.allSettled(cleanups.splice(0).map(async (cleanup) => cleanup()))
    await Promise.all(closeables.splice(0).map((c) => c.close({ timeoutMs: closeTimeoutMs }).catch(() => {})))
    current = undefined
    for (const cluster of clusters.splice(0)) await cluster.stop()
    for (const registry of registries.splice(0)) await registry.stop()
  })

  const track = <T extends Closeable>(closeable: T): T => {
    closeables.push(closeable)
    return closeable
  }

  return {
    async start(clusterOptions: MockClusterOptions = {}): Promise<MockCluster> {
      const cluster = await MockCluster.start({ ...clusterDefaults, ...clusterOptions })
      clusters.push(cluster)
      current = cluster
      return cluster
    },
    get cluster() {
      return current
    },
    async startRegistry(registryOptions: MockSchemaRegistryOptions = {}): Promise<MockSchemaRegistry> {
      const registry = await MockSchemaRegistry.start(registryOptions)
      registries.push(registry)
      return registry
    },
    producer<K, V, HK, HV>(producerOptions: ProducerOptions<K, V, HK, HV>): Producer<K, V, HK, HV> {
      return track(
        new Producer<K, V, HK, HV>({ ...producerDefaults, ...producerOptions } as ProducerOptions<K, V, HK, HV>),
      )
    },
    track,
    defer(cleanup: () => unknown): void {
      cleanups.push(cleanup)
    },
  }
}
