import type { Buffer } from 'node:buffer'

// The interfaces plugins implement: serializers, partitioners and compression codecs. They sit at
// the bottom of the module graph so that serializers/, partitioners/ and compression/ depend on
// nothing above them.

/** What a serializer is told about the value it serializes. */
export interface SerializerContext {
  /** The topic the record goes to. */
  readonly topic: string
  /** Which part of the record is being serialized. */
  readonly part: 'key' | 'value' | 'headerKey' | 'headerValue'
}

/**
 * Turns a value into bytes (or null). May return a promise; a synchronous serializer costs no
 * promise per record. What it throws (or rejects with) fails that record alone, as a
 * SerializationError with the original error as its `cause`.
 */
export type Serializer<T> = (value: T, context: SerializerContext) => Buffer | null | Promise<Buffer | null>

/** What a partitioner is given to choose a partition. */
export interface PartitionerInput {
  readonly topic: string
  /** The serialized key, or null. */
  readonly key: Buffer | null
  /** The serialized value, or null. */
  readonly value: Buffer | null
  /** The serialized headers in order (duplicates kept), or undefined when the record has none. */
  readonly headers?: ReadonlyArray<{ readonly key: string; readonly value: Buffer | null }> | undefined
  /** Number of partitions of the topic. */
  readonly partitionCount: number
}

/**
 * Chooses the partition of a record that names none. A stateful (sticky) partitioner may be told
 * when the batch of a partition it chose was closed, to move on. What `partition` throws fails that
 * record alone (PartitionerError); what `onBatchClosed` throws is logged.
 */
export interface Partitioner {
  partition(input: PartitionerInput): number
  /** Called when the open batch of `partition` of `topic` is closed (full or sent). */
  onBatchClosed?(topic: string, partition: number): void
}

/**
 * A compression codec for record batches. Core ships `gzip`; `@tributary/compression` provides
 * snappy, lz4 and zstd. A codec compresses the records section of a batch (everything after the
 * record count) and decompresses it again. What `compress` throws or rejects with fails the
 * records of that batch (CompressionError); the producer goes on with the next batches.
 */
export interface Codec {
  /** Human-readable name, normally Kafka's name for the compression type. */
  readonly name: 'gzip' | 'snappy' | 'lz4' | 'zstd' | (string & {})
  /** The compression type written into the batch attributes. */
  readonly type: 1 | 2 | 3 | 4
  /** Compresses the serialized records. May return a promise to run off the main thread. */
  compress(data: Buffer): Buffer | Promise<Buffer>
  /**
   * Decompresses a records section. Synchronous on purpose, so a mock broker can decode lazily
   * from synchronous code; implementations should throw on corrupt input.
   */
  decompress(data: Buffer): Buffer
}
