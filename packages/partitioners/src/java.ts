import { defaultPartitioner, type Partitioner, type PartitionerInput } from '@tributary/core'
import { BatchSticky, requirePartitions, toPositive } from './internal/common.js'

/**
 * The Java client's default partitioning, re-exported from `@tributary/core` (it is the producer's
 * default): a keyed record goes to `toPositive(murmur2(key)) % partitions`, as in every
 * Java-compatible client (kafkajs's DefaultPartitioner included); a record without a key goes to
 * a sticky partition of its topic, kept until its batch is closed (KIP-480/794).
 */
export function javaDefault(): Partitioner {
  return defaultPartitioner()
}

/**
 * The Java client's RoundRobinPartitioner: records go to partitions 0, 1, 2, ... of their topic in
 * turn (one counter per topic, starting at 0, keys ignored), i.e. `toPositive(counter++) % partitions`.
 * Unlike the Java producer, which also calls the partitioner when a batch is full and so skips a
 * partition each time (KAFKA-9965), Tributary asks once per record: the turn is strict.
 */
export function roundRobin(): Partitioner {
  const counters = new Map<string, number>()
  return {
    partition({ topic, partitionCount }: PartitionerInput): number {
      requirePartitions(topic, partitionCount)
      const next = counters.get(topic) ?? 0
      counters.set(topic, (next + 1) | 0)
      return toPositive(next) % partitionCount
    },
  }
}

/**
 * The Java client's UniformStickyPartitioner (KIP-480): every record, keyed or not, goes to the
 * sticky partition of its topic, chosen at random and kept until that partition's batch is closed,
 * then a random other one. Keys are ignored: use it for the best batching when records with the same
 * key need not share a partition.
 */
export function uniformSticky(): Partitioner {
  const sticky = new BatchSticky()
  return {
    partition({ topic, partitionCount }: PartitionerInput): number {
      requirePartitions(topic, partitionCount)
      return sticky.partition(topic, partitionCount)
    },
    onBatchClosed(topic: string, partition: number): void {
      sticky.batchClosed(topic, partition)
    },
  }
}
