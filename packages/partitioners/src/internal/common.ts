import { ConfigError } from '@tributary/core'

/** The empty key: what librdkafka hashes when a record has no key. */
export const EMPTY = new Uint8Array(0)

/** Throws unless the topic has a partition to choose (the producer always passes at least one). */
export function requirePartitions(topic: string, count: number): void {
  if (!(count >= 1)) throw new RangeError(`topic '${topic}' has no partitions to choose from (${count})`)
}

/** A uniformly random partition below `count`. */
export function randomPartition(count: number): number {
  return Math.floor(Math.random() * count)
}

/** Java's `Utils.toPositive`: clears the sign bit (not the absolute value). */
export function toPositive(n: number): number {
  return n & 0x7fffffff
}

/** Validates librdkafka's `sticky.partitioning.linger.ms`-like option: a non-negative number of milliseconds. */
export function stickyLinger(value: number | undefined, fallback: number): number {
  const ms = value ?? fallback
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new ConfigError('stickyLingerMs', 'a number of milliseconds, 0 or more (0: a random partition per record)', {
      received: value,
    })
  }
  return ms
}

/**
 * librdkafka's sticky partitioning of records it does not hash (KIP-480 as librdkafka implements
 * it): a random partition per topic, kept for `lingerMs` (`sticky.partitioning.linger.ms`, default
 * 10), then another random one; with 0, a random partition for every record.
 */
export class TimedSticky {
  private readonly topics = new Map<string, { partition: number; until: number }>()

  constructor(private readonly lingerMs: number) {}

  partition(topic: string, count: number): number {
    if (this.lingerMs === 0) return randomPartition(count)
    const now = Date.now()
    let state = this.topics.get(topic)
    if (state === undefined) {
      state = { partition: -1, until: 0 }
      this.topics.set(topic, state)
    }
    if (now >= state.until || state.partition >= count) {
      state.partition = randomPartition(count)
      state.until = now + this.lingerMs
    }
    return state.partition
  }
}

/**
 * The Java client's StickyPartitionCache (KIP-480): a random partition per topic, kept until its
 * batch is closed, then a random other one.
 */
export class BatchSticky {
  private readonly topics = new Map<string, { partition: number; previous: number }>()

  partition(topic: string, count: number): number {
    let state = this.topics.get(topic)
    if (state === undefined) {
      state = { partition: -1, previous: -1 }
      this.topics.set(topic, state)
    }
    if (state.partition < 0 || state.partition >= count) state.partition = randomOtherThan(count, state.previous)
    return state.partition
  }

  batchClosed(topic: string, partition: number): void {
    const state = this.topics.get(topic)
    if (state === undefined || state.partition !== partition) return
    state.previous = partition
    state.partition = -1
  }
}

/** A uniformly random partition below `count`, other than `avoid` when there is another. */
function randomOtherThan(count: number, avoid: number): number {
  if (count === 1) return 0
  if (avoid < 0 || avoid >= count) return randomPartition(count)
  const pick = randomPartition(count - 1)
  return pick >= avoid ? pick + 1 : pick
}
