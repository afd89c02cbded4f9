import { randomBytes } from 'node:crypto'
import { murmur2, type Partitioner, toPositive } from '@tributary/core'
import { kafkajsLegacy, toKafkajs } from '@tributary/partitioners'
import { KafkaJSNonRetriableError } from './errors/kafkajs-errors.js'
import type { ICustomPartitioner, Message, PartitionerArgs, PartitionMetadata } from './types.js'

function keyBytes(key: NonNullable<Message['key']>): Buffer {
  return Buffer.isBuffer(key) ? key : Buffer.from(String(key))
}

/**
 * kafkajs's DefaultPartitioner (Java-compatible): a message's `partition` if it has one, else
 * `toPositive(murmur2(key)) % partitions` for a keyed message, else round-robin over the partitions
 * that have a leader. Callable as in kafkajs (custom partitioners often wrap it). Given as
 * `createPartitioner` (or left out), the producer uses Tributary's own Java-compatible partitioner
 * instead, which puts every keyed message on the same partition and spreads messages without a key
 * sticky per batch, as the Java client does, rather than round-robin.
 */
export const DefaultPartitioner: ICustomPartitioner = () => {
  const counters = new Map<string, number>()
  return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
    let counter = counters.get(topic) ?? randomBytes(4).readUInt32BE(0)
    const numPartitions = partitionMetadata.length
    if (message.partition !== null && message.partition !== undefined) return message.partition
    if (message.key !== null && message.key !== undefined) {
      return toPositive(murmur2(keyBytes(message.key))) % numPartitions
    }
    counter++
    counters.set(topic, counter)
    const available = partitionMetadata.filter((p) => p.leader >= 0)
    if (available.length > 0)
      return (available[toPositive(counter) % available.length] as PartitionMetadata).partitionId
    return toPositive(counter) % numPartitions
  }
}

/**
 * kafkajs's LegacyPartitioner (the default of kafkajs 1.x): kafkajs's own murmur2 variant for keyed
 * messages, round-robin for the others. Given as `createPartitioner`, the producer uses the same
 * partitioner from @tributary/partitioners (`kafkajsLegacy`) inside Tributary's core.
 */
export const LegacyPartitioner: ICustomPartitioner = () => toKafkajs(kafkajsLegacy)() as ReturnType<ICustomPartitioner>

/** kafkajs's `Partitioners`. `JavaCompatiblePartitioner` is the deprecated name of `DefaultPartitioner`. */
export const Partitioners: {
  DefaultPartitioner: ICustomPartitioner
  LegacyPartitioner: ICustomPartitioner
  /** @deprecated Use DefaultPartitioner instead (renamed, and made the default, in kafkajs 2.0.0). */
  JavaCompatiblePartitioner: ICustomPartitioner
} = {
  DefaultPartitioner,
  LegacyPartitioner,
  JavaCompatiblePartitioner: DefaultPartitioner,
}

/** How the producer partitions: inside the core (the built-in partitioners), or with the user's function. */
export type Partitioning =
  | { kind: 'core'; partitioner: Partitioner | undefined }
  | { kind: 'custom'; partition: (args: PartitionerArgs) => number }

/**
 * The built-in partitioners map to Tributary partitioners that run inside the core (no call per
 * message in this layer); any other `createPartitioner` is called once, as kafkajs does, and its
 * function is asked for every message with kafkajs's arguments.
 */
export function partitioningFor(createPartitioner: ICustomPartitioner | undefined): Partitioning {
  if (createPartitioner === undefined || createPartitioner === null || createPartitioner === DefaultPartitioner) {
    return { kind: 'core', partitioner: undefined }
  }
  if (createPartitioner === LegacyPartitioner) return { kind: 'core', partitioner: kafkajsLegacy() }
  if (typeof createPartitioner !== 'function') {
    throw new KafkaJSNonRetriableError('createPartitioner must be a function returning a partitioner function')
  }
  const partition = createPartitioner()
  if (typeof partition !== 'function') {
    throw new KafkaJSNonRetriableError(
      'createPartitioner must return a function ({ topic, partitionMetadata, message }) => number',
    )
  }
  return { kind: 'custom', partition }
}
