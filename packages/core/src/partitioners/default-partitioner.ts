import type { Partitioner, PartitionerInput } from '../plugins.js'
import { murmur2, toPositive } from './murmur2.js'

const KEY_ONLY = Symbol.for('tributary.partitioner.key-only')

/**
 * True for a partitioner that reads only the key, synchronously, and keeps nothing of it: the
 * producer may then hand it a view of a scratch buffer for a string key.
 */
export function isKeyOnlyPartitioner(partitioner: Partitioner): boolean {
  return (partitioner as { [KEY_ONLY]?: boolean })[KEY_ONLY] === true
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

  const partitioner: Partitioner & { [KEY_ONLY]: boolean } = {
    [KEY_ONLY]: true,
    partition(input: PartitionerInput): number {
      const count = input.partitionCount
      if (!(count >= 1)) throw new RangeError(`topic '${input.topic}' has no partitions to choose from (${count})`)
      if (input.key !== null) return toPositive(murmur2(input.key)) % count
      let state = sticky.get(input.topic)
      if (state === undefined) {
        state = { partition: NONE, previous: NONE }
        sticky.set(input.topic, state)
      }
      if (state.partition === NONE || state.partition >= count) {
        state.partition = randomPartition(count, state.previous)
      }
      return state.partition
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
