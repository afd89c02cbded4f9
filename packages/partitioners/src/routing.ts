import { ConfigError, murmur2, type Partitioner, type PartitionerInput } from '@tributary/core'
import { requirePartitions, toPositive } from './internal/common.js'
import { javaDefault } from './java.js'

/** Options of `byHeader`. */
export interface ByHeaderOptions {
  /** Where records without the header (or with a null value) go. Default: `javaDefault()`, by key. */
  fallback?: Partitioner
}

/**
 * Partitions by the value of header `name` instead of the key: `toPositive(murmur2(value)) %
 * partitions`, the partition the Java client would choose if that value were the key. Records
 * without the header (or with a null value) go to `fallback`. With several headers of that name,
 * the last one counts (as Kafka's `Headers.lastHeader`).
 *
 * @example
 * // every record of a tenant on one partition, whatever its key
 * new Producer({ ..., partitioner: byHeader('tenant') })
 */
export function byHeader(name: string, options: ByHeaderOptions = {}): Partitioner {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ConfigError('byHeader name', 'a non-empty header name', { received: name })
  }
  const fallback = options.fallback ?? javaDefault()
  const partitioner: Partitioner = {
    partition(input: PartitionerInput): number {
      requirePartitions(input.topic, input.partitionCount)
      const value = lastHeader(input, name)
      if (value === null) return fallback.partition(input)
      return toPositive(murmur2(value)) % input.partitionCount
    },
  }
  if (fallback.onBatchClosed !== undefined) {
    const onBatchClosed = fallback.onBatchClosed.bind(fallback)
    partitioner.onBatchClosed = onBatchClosed
  }
  return partitioner
}

/** Options of `explicit`. */
export interface ExplicitOptions {
  /**
   * A header whose value is the partition number in decimal ASCII (e.g. `'3'`), for routing
   * decided where the record is made. Without it, every record must name its `partition`.
   */
  header?: string
  /** Where records that name no partition go. Without it, such a record fails with a ConfigError. */
  fallback?: Partitioner
}

/**
 * Explicit routing: every record says which partition it goes to, by its `partition` field (which
 * the producer honours before asking any partitioner) or, with `{ header }`, by a header holding
 * the partition number. A record that names none fails with a ConfigError (or goes to `fallback`),
 * so a mistake in the routing never spreads records silently. Like Sarama's ManualPartitioner.
 *
 * @example
 * new Producer({ ..., partitioner: explicit({ header: 'partition' }) })
 * await producer.send({ topic: 'orders', value, headers: { partition: '3' } })
 */
export function explicit(options: ExplicitOptions = {}): Partitioner {
  const header = options.header
  if (header !== undefined && (typeof header !== 'string' || header.length === 0)) {
    throw new ConfigError('explicit header', 'a non-empty header name', { received: header })
  }
  const fallback = options.fallback
  const partitioner: Partitioner = {
    partition(input: PartitionerInput): number {
      requirePartitions(input.topic, input.partitionCount)
      const value = header === undefined ? null : lastHeader(input, header)
      if (value !== null) {
        const text = value.toString('latin1')
        const partition = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN
        if (!(partition < input.partitionCount)) {
          throw new ConfigError(
            `header '${header}'`,
            `a partition number from 0 to ${input.partitionCount - 1} for topic '${input.topic}'`,
            { received: text },
          )
        }
        return partition
      }
      if (fallback !== undefined) return fallback.partition(input)
      throw new ConfigError(
        'record.partition',
        header === undefined
          ? 'a partition on every record (the explicit() partitioner chooses none)'
          : `a partition on every record, or a '${header}' header with the partition number (the explicit() partitioner chooses none)`,
        { reason: `a record for topic '${input.topic}' names no partition` },
      )
    },
  }
  if (fallback?.onBatchClosed !== undefined) partitioner.onBatchClosed = fallback.onBatchClosed.bind(fallback)
  return partitioner
}

/**
 * Makes a partitioner of a function of the record (topic, serialized key, value and headers, and
 * the partition count); `onBatchClosed` is passed on for stateful ones.
 *
 * @example
 * fromFunction(({ key, partitionCount }) => (key === null ? 0 : key[0]! % partitionCount))
 */
export function fromFunction(
  fn: (input: PartitionerInput) => number,
  onBatchClosed?: (topic: string, partition: number) => void,
): Partitioner {
  if (typeof fn !== 'function') throw new ConfigError('fromFunction', 'a function of the record', { received: fn })
  return onBatchClosed === undefined ? { partition: fn } : { partition: fn, onBatchClosed }
}

/** The value of the last header named `name`, or null when there is none (or it is null). */
function lastHeader(input: PartitionerInput, name: string): Buffer | null {
  const headers = input.headers
  if (headers === undefined) return null
  for (let i = headers.length - 1; i >= 0; i--) {
    const h = headers[i]
    if (h !== undefined && h.key === name) return h.value
  }
  return null
}
