import type { Partitioner, PartitionerInput } from '@tributary/core'
import { fnv1a32 } from './hash/fnv1a.js'
import { randomPartition, requirePartitions } from './internal/common.js'

/** Options of `fnv1a`. */
export interface Fnv1aOptions {
  /**
   * Map the hash as Sarama's NewReferenceHashPartitioner does, `(hash & 0x7fffffff) % partitions`,
   * instead of its default NewHashPartitioner, `abs(int32(hash) % partitions)`. Default false.
   */
  referenceAbs?: boolean
}

/**
 * Sarama's (Go) default partitioner, NewHashPartitioner: the 32-bit FNV-1a hash of the key, taken
 * as a signed 32-bit integer, modulo the partition count, then negated if negative; an empty key is
 * hashed like any other. A record without a key goes to a random partition, as in Sarama.
 * `{ referenceAbs: true }` gives NewReferenceHashPartitioner instead. librdkafka's `fnv1a` and
 * `fnv1a_random` partitioners compute the same partitions for keyed records.
 */
export function fnv1a(options: Fnv1aOptions = {}): Partitioner {
  const referenceAbs = options.referenceAbs === true
  return {
    partition({ topic, key, partitionCount }: PartitionerInput): number {
      requirePartitions(topic, partitionCount)
      if (key === null) return randomPartition(partitionCount)
      return saramaPartition(key, partitionCount, referenceAbs)
    },
  }
}

/** Sarama's hash partitioner's mapping of a key to a partition. */
export function saramaPartition(key: Uint8Array, partitionCount: number, referenceAbs: boolean): number {
  const hash = fnv1a32(key) | 0
  if (referenceAbs) return (hash & 0x7fffffff) % partitionCount
  // Go's % truncates toward zero like JavaScript's, so the sign follows the hash; then abs. For
  // -2^31 this is 2^31 mod n, as librdkafka's rd_fnv1a gets by keeping -2^31 as the unsigned 2^31.
  return Math.abs(hash % partitionCount)
}
