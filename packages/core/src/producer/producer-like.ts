import type { ConsumerGroupMetadata, TransactionOffset } from './transactions.js'
import type { PartitionInfo, ProducerRecord, RecordMetadata, SendCallback, SendOptions, SendResult } from './types.js'

/** What a transaction's body gets: sends and offset commits that belong to the transaction. */
export interface Transaction<Key, Value, HeaderKey, HeaderValue> {
  send(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>, options?: SendOptions): Promise<RecordMetadata>
  sendBatch(
    records: ReadonlyArray<ProducerRecord<Key, Value, HeaderKey, HeaderValue>>,
    options?: SendOptions,
  ): Promise<SendResult[]>
  /** Commits consumer offsets with the transaction (consume-transform-produce). */
  sendOffsets(offsets: readonly TransactionOffset[], group: ConsumerGroupMetadata): Promise<void>
}

/**
 * What application code needs of a producer: `Producer` implements it, and so does
 * `@tributary/testing`'s in-memory `MockProducer`, so a service that takes a `ProducerLike` runs
 * against either — the real one in production, the mock in unit tests.
 */
export interface ProducerLike<
  Key = Buffer | string | null,
  Value = Buffer | string | null,
  HeaderKey = string,
  HeaderValue = Buffer | string | null,
> {
  /** Connects up front (metadata, producer id); optional before sending. */
  connect(): Promise<{ producerId: bigint; producerEpoch: number }>
  /** Sends one record; resolves with where it landed, or calls `callback`. */
  send(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>, options?: SendOptions): Promise<RecordMetadata>
  send(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>, callback: SendCallback): void
  send(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>, options: SendOptions, callback: SendCallback): void
  /** Sends records; one result per record, in order; never rejects for one record's failure. */
  sendBatch(
    records: ReadonlyArray<ProducerRecord<Key, Value, HeaderKey, HeaderValue>>,
    options?: SendOptions,
  ): Promise<SendResult[]>
  /** Resolves when every record sent before the call is acknowledged or failed. */
  flush(): Promise<void>
  /** Flushes, then closes; later sends fail with ProducerClosedError. */
  close(options?: { timeoutMs?: number }): Promise<void>
  /** The partitions of a topic, with leaders and replicas. */
  partitionsFor(topic: string): Promise<PartitionInfo[]>
  /** Runs `body` in a transaction: commits, or aborts and rethrows. Needs a transactional producer. */
  transaction<T>(body: (tx: Transaction<Key, Value, HeaderKey, HeaderValue>) => Promise<T> | T): Promise<T>
  beginTransaction(): void
  commitTransaction(): Promise<void>
  abortTransaction(): Promise<void>
  sendOffsetsToTransaction(offsets: readonly TransactionOffset[], group: ConsumerGroupMetadata): Promise<void>
}
