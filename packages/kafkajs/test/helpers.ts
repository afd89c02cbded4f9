import { randomBytes } from 'node:crypto'
import { type Harness, useHarness } from '@tributary/test-support/harness'
import type { MockCluster, MockClusterOptions } from '@tributary/testing'
import { Kafka as KafkaJS, logLevel as kafkajsLogLevel } from 'kafkajs'
import {
  Kafka,
  type KafkaConfig,
  logLevel,
  type PartitionerArgs,
  type Producer,
  type ProducerConfig,
} from '../src/index.js'

// What the tests of this package share: a mock cluster per test (stopped after it, by the harness),
// kafkajs-shaped clients on it, and producers disconnected after the test.

export const secureRandom = (): string => randomBytes(8).toString('hex')

/** kafkajs's test helper of the same name: partition = (digits of the key % 3) % partitions. */
export const createModPartitioner =
  () =>
  ({ partitionMetadata, message }: PartitionerArgs): number => {
    const numPartitions = partitionMetadata.length
    const key = Number.parseInt(String(message.key).replace(/[^\d]/g, ''), 10)
    return ((key || 0) % 3) % numPartitions
  }

export interface Setup {
  readonly harness: Harness
  /** Starts a mock cluster (3 brokers unless told otherwise), stopped after the test. */
  cluster(options?: MockClusterOptions): Promise<MockCluster>
  /** This package's Kafka client on the cluster (logs off unless the config says otherwise). */
  kafka(cluster: MockCluster, config?: Partial<KafkaConfig>): Kafka
  /** A producer of this package, disconnected after the test. */
  producer(cluster: MockCluster, config?: ProducerConfig, kafkaConfig?: Partial<KafkaConfig>): Producer
  /** kafkajs's own client on the cluster (for consumers, admin, and side-by-side comparisons). */
  kafkajs(cluster: MockCluster): KafkaJS
  /** Disconnects `client` after the test. */
  track<T extends { disconnect(): Promise<void> }>(client: T): T
}

export function setup(): Setup {
  const harness = useHarness()
  const track = <T extends { disconnect(): Promise<void> }>(client: T): T => {
    harness.defer(() => client.disconnect())
    return client
  }
  const kafka = (cluster: MockCluster, config: Partial<KafkaConfig> = {}) =>
    new Kafka({
      clientId: `test-${secureRandom()}`,
      brokers: cluster.bootstrapBrokers,
      logLevel: logLevel.NOTHING,
      ...config,
    })
  return {
    harness,
    cluster: (options = {}) => harness.start({ brokers: 3, logger: false, ...options }),
    kafka,
    producer: (cluster, config = {}, kafkaConfig = {}) => track(kafka(cluster, kafkaConfig).producer(config)),
    kafkajs: (cluster) =>
      new KafkaJS({
        clientId: `kafkajs-${secureRandom()}`,
        brokers: cluster.bootstrapBrokers,
        logLevel: kafkajsLogLevel.NOTHING,
      }),
    track,
  }
}
