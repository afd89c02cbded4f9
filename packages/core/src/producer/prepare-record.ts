import { ConfigError } from '../errors/config-error.js'
import { defaultPartitioner } from '../partitioners/default-partitioner.js'
import type { Partitioner, Serializer } from '../plugins.js'
import type { RecordHeader } from '../protocol/records/record.js'
import { defaultSerializer } from '../serializers/default.js'
import { type AnyRecord, choosePartition, serialize, serializeHeaders, timestampError, toTimestamp } from './prepare.js'
import type { ProducerRecord, Serializers } from './types.js'

/** A record after the producer's first stage: bytes, headers, partition and timestamp. */
export interface PreparedRecord {
  topic: string
  partition: number
  key: Buffer | null
  value: Buffer | null
  headers: Array<{ key: string; value: Buffer | null }>
  /** Milliseconds since the epoch (now when the record gave none). */
  timestamp: number
}

/** What `prepareRecord` needs: the producer's serializers and partitioner, and the topic's partition count. */
export interface PrepareRecordOptions<Key, Value, HeaderKey, HeaderValue> {
  serializers?: Serializers<Key, Value, HeaderKey, HeaderValue> | undefined
  partitioner?: Partitioner | undefined
  partitionCount: number
  /** The time a record without a timestamp gets; default now. */
  now?: number
}

/**
 * Does to a record what `Producer.send` does before buffering it — serializers, timestamp check,
 * partitioner — and resolves with the result, or rejects with the same typed error `send` would
 * (SerializationError, PartitionerError, ConfigError). For test doubles such as `@tributary/testing`'s
 * `MockProducer`, so a serializer error or a partition choice shows in a test exactly as in production.
 */
export async function prepareRecord<Key, Value, HeaderKey = string, HeaderValue = Buffer | string | null>(
  record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>,
  options: PrepareRecordOptions<Key, Value, HeaderKey, HeaderValue>,
): Promise<PreparedRecord> {
  const r = record as AnyRecord
  const topic = r?.topic
  if (typeof topic !== 'string' || topic.length === 0) {
    throw new ConfigError('record.topic', 'a non-empty string', { received: topic })
  }
  const s = options.serializers ?? {}
  const serializers = {
    key: (s.key ?? defaultSerializer) as Serializer<unknown>,
    value: (s.value ?? defaultSerializer) as Serializer<unknown>,
    headerKey: s.headerKey as Serializer<unknown> | undefined,
    headerValue: (s.headerValue ?? defaultSerializer) as Serializer<unknown>,
  }
  const [key, value, encoded] = await Promise.all([
    r.key === undefined || r.key === null ? null : serialize(serializers.key, r.key, topic, 'key'),
    serialize(serializers.value, r.value, topic, 'value'),
    r.headers === undefined || r.headers === null ? undefined : serializeHeaders(r.headers, topic, serializers),
  ])
  const timestamp = toTimestamp(r.timestamp, options.now ?? Date.now())
  if (timestamp === undefined) throw timestampError(r.timestamp)
  // Not inlined: every header value came out of a serializer as a Buffer or null.
  const headers = encoded as RecordHeader[] | undefined
  const partitioner = options.partitioner ?? defaultPartitioner()
  const partition = choosePartition(r, topic, key, value, headers, options.partitionCount, partitioner)
  if (typeof partition !== 'number') throw partition
  return { topic, partition, key, value, headers: headers ?? [], timestamp }
}
