import { murmur2, type Partitioner, type PartitionerInput } from '@tributary/core'
import { crc32 } from './hash/crc32.js'
import { EMPTY, requirePartitions, stickyLinger, TimedSticky, toPositive } from './internal/common.js'
import { saramaPartition } from './sarama.js'

/** Options of librdkafka's `*_random` partitioners. */
export interface StickyRandomOptions {
  /**
   * How long records that are not hashed stay on one random partition, as librdkafka's
   * `sticky.partitioning.linger.ms` (default 10). 0 chooses a random partition for every record.
   */
  stickyLingerMs?: number
}

/** librdkafka's default `sticky.partitioning.linger.ms`. */
const LIBRDKAFKA_STICKY_LINGER_MS = 10

/**
 * librdkafka's `consistent` partitioner: `crc32(key) % partitions` (zlib's CRC-32, as an unsigned
 * integer). A record without a key is hashed as the empty key, so it always lands on partition 0,
 * exactly as librdkafka does (`consistent` is never sticky).
 */
export function consistent(): Partitioner {
  return {
    partition({ topic, key, partitionCount }: PartitionerInput): number {
      requirePartitions(topic, partitionCount)
      return crc32(key ?? EMPTY) % partitionCount
    },
  }
}

/**
 * librdkafka's `consistent_random` partitioner (its default): `crc32(key) % partitions` for a
 * non-empty key; a null or empty key goes to a random partition, sticky for `stickyLingerMs`.
 */
export function consistentRandom(options: StickyRandomOptions = {}): Partitioner {
  const sticky = new TimedSticky(stickyLinger(options.stickyLingerMs, LIBRDKAFKA_STICKY_LINGER_MS))
  return {
    partition({ topic, key, partitionCount }: PartitionerInput): number {
      requirePartitions(topic, partitionCount)
      if (key === null || key.length === 0) return sticky.partition(topic, partitionCount)
      return crc32(key) % partitionCount
    },
  }
}

/**
 * librdkafka's `murmur2_random` partitioner, the one that matches the Java client for keyed
 * records: `(murmur2(key) & 0x7fffffff) % partitions` (an empty key is hashed too); a null key goes
 * to a random partition, sticky for `stickyLingerMs`.
 */
export function murmur2Random(options: StickyRandomOptions = {}): Partitioner {
  const sticky = new TimedSticky(stickyLinger(options.stickyLingerMs, LIBRDKAFKA_STICKY_LINGER_MS))
  return {
    partition({ topic, key, partitionCount }: PartitionerInput): number {
      requirePartitions(topic, partitionCount)
      if (key === null) return sticky.partition(topic, partitionCount)
      return toPositive(murmur2(key)) % partitionCount
    },
  }
}

/**
 * librdkafka's `fnv1a_random` partitioner, which matches Sarama's default hash partitioner for keyed
 * records (see `fnv1a`); a null key goes to a random partition, sticky for `stickyLingerMs`.
 */
export function fnv1aRandom(options: StickyRandomOptions = {}): Partitioner {
  const sticky = new TimedSticky(stickyLinger(options.stickyLingerMs, LIBRDKAFKA_STICKY_LINGER_MS))
  return {
    partition({ topic, key, partitionCount }: PartitionerInput): number {
      requirePartitions(topic, partitionCount)
      if (key === null) return sticky.partition(topic, partitionCount)
      return saramaPartition(key, partitionCount, false)
    },
  }
}
