import { Buffer } from 'node:buffer'
import { randomBytes } from 'node:crypto'
import type { Partitioner, PartitionerInput } from '@tributary/core'
import { kafkajsLegacyMurmur2 } from './hash/kafkajs-legacy-murmur2.js'
import { requirePartitions, toPositive } from './internal/common.js'

/**
 * kafkajs's LegacyPartitioner (its default before 2.0, and what a kafkajs 1.x producer used): a
 * keyed record goes to `toPositive(legacyMurmur2(key)) % partitions`, where legacyMurmur2 is
 * kafkajs's floating-point port of murmur2, whose results differ from Java's for most keys; records
 * without a key go round-robin from a random start, one counter per topic.
 *
 * For kafkajs's current DefaultPartitioner use `javaDefault()`: they agree on every keyed record.
 */
export function kafkajsLegacy(): Partitioner {
  const counters = new Map<string, number>()
  return {
    partition({ topic, key, partitionCount }: PartitionerInput): number {
      requirePartitions(topic, partitionCount)
      if (key !== null) return toPositive(kafkajsLegacyMurmur2(key)) % partitionCount
      const next = (counters.get(topic) ?? randomBytes(4).readUInt32BE(0)) + 1
      counters.set(topic, next)
      return toPositive(next) % partitionCount
    },
  }
}

/** A kafkajs message as its partitioners see it (structural, so kafkajs is not a dependency). */
export interface KafkajsMessage {
  key?: Buffer | string | null
  value: Buffer | string | null
  partition?: number
  headers?: { [key: string]: Buffer | string | Array<Buffer | string> | undefined }
  timestamp?: string
}

/** What kafkajs passes a partitioner. */
export interface KafkajsPartitionerArgs {
  topic: string
  partitionMetadata: ReadonlyArray<{ partitionId: number; leader: number }>
  message: KafkajsMessage
}

/** kafkajs's `createPartitioner` option: called once per producer for its partition function. */
export type KafkajsPartitionerFactory = () => (args: KafkajsPartitionerArgs) => number

/**
 * Adapts a Tributary partitioner to kafkajs's `createPartitioner` option, so a kafkajs producer
 * writes to the same partitions as a Tributary one (or a Java, librdkafka or Sarama one):
 *
 * ```ts
 * kafka.producer({ createPartitioner: toKafkajs(murmur2Random) })
 * ```
 *
 * Pass a factory (`murmur2Random`, `() => fnv1a({ referenceAbs: true })`) to give every kafkajs
 * producer its own partitioner state, or an instance to share one. A message with an explicit
 * `partition` keeps it, as with kafkajs's own partitioners. Keys, values and headers given as
 * strings are encoded as UTF-8, as kafkajs sends them. kafkajs tells a partitioner nothing about
 * batches, so sticky partitioners never move on from their first partition through this adapter.
 */
export function toKafkajs(partitioner: Partitioner | (() => Partitioner)): KafkajsPartitionerFactory {
  return () => {
    const p = typeof partitioner === 'function' ? partitioner() : partitioner
    return ({ topic, partitionMetadata, message }: KafkajsPartitionerArgs): number => {
      if (message.partition !== null && message.partition !== undefined) return message.partition
      const headers = message.headers === undefined ? undefined : toHeaders(message.headers)
      const input: PartitionerInput = {
        topic,
        key: toBytes(message.key),
        value: toBytes(message.value),
        headers,
        partitionCount: partitionMetadata.length,
      }
      return p.partition(input)
    }
  }
}

function toBytes(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null
  return Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8')
}

function toHeaders(headers: NonNullable<KafkajsMessage['headers']>): Array<{ key: string; value: Buffer | null }> {
  const out: Array<{ key: string; value: Buffer | null }> = []
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const v of value) out.push({ key, value: toBytes(v) })
    else out.push({ key, value: toBytes(value) })
  }
  return out
}
