import type { Partitioner, PartitionerInput } from '../plugins.js'
import { murmur2, murmur2Utf8, toPositive } from './murmur2.js'

const KEY_ONLY = Symbol.for('tributary.partitioner.key-only')

/**
 * A partitioner's choice from the key alone, which may be given as a string (its UTF-8 bytes are
 * meant): what `partition` would return for the same record, without a Buffer or an input object.
 */
export type PartitionByKey = (topic: string, key: Uint8Array | string | null, partitionCount: number) => number

/**
 * The key-only form of a partitioner that reads only the key, synchronously, and keeps nothing of
 * it (the default partitioner); undefined for any other.
 */
export function keyOnlyPartitioner(partitioner: Partitioner): PartitionByKey | undefined {
  const byKey = (partitioner as { [KEY_ONLY]?: unknown })[KEY_ONLY]
  return typeof byKey === 'function' ? (byKey as PartitionByKey) : undefined
}

/** No sticky partition chosen yet (or the last one's batch was closed). */
const NONE = -1

interface StickyState {
  /** The current sticky partition, or NONE. */
  partition: number
  /** The sticky partition before the current choice, avoided by the next one; NONE at first. */
  previous: number
}

/**
 * The Java client's default partitioner. A keyed record goes to `toPositive(murmur2(key)) % partitions`,
 * as in every Java-compatible client. A record without a key goes to a sticky partition of its topic,
 * chosen at random and kept until its batch is closed, then another one chosen at random (KIP-480/794):
 * keyless records fill whole batches instead of spreading thin ones over every partition.
 */
export function defaultPartitioner(): Partitioner {
  const sticky = new Map<string, StickyState>()

  const byKey: PartitionByKey = (topic, key, count) => {
    if (!(count >= 1)) throw new RangeError(`topic '${topic}' has no partitions to choose from (${count})`)
    if (key !== null) return toPositive(typeof key === 'string' ? murmur2Utf8(key) : murmur2(key)) % count
    let state = sticky.get(topic)
    if (state === undefined) {
      state = { partition: NONE, previous: NONE }
      sticky.set(topic, state)
    }
    if (state.partition === NONE || state.partition >= count) {
      state.partition = randomPartition(count, state.previous)
    }
    return state.partition
  }

  const partitioner: Partitioner & { [KEY_ONLY]: PartitionByKey } = {
    [KEY_ONLY]: byKey,
    partition(input: PartitionerInput): number {
      return byKey(input.topic, input.key, input.partitionCount)
    },

    onBatchClosed(topic: string, partition: number): void {
      const state = sticky.get(topic)
      if (state === undefined || state.partition !== partition) return
      state.previous = partition
      state.partition = NONE
    },
  }
  return partitioner
}

/** A uniformly random partition below `count`, other than `avoid` when there is another. */
function randomPartition(count: number, avoid: number): number {
  if (count === 1) return 0
  if (avoid < 0 || avoid >= count) return Math.floor(Math.random() * count)
  const pick = Math.floor(Math.random() * (count - 1))
  return pick >= avoid ? pick + 1 : pick
}
