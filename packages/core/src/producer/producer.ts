import { ClusterMetadata } from '../cluster/metadata.js'
import { BufferFullError } from '../errors/buffer-full-error.js'
import { ConfigError } from '../errors/config-error.js'
import { ProducerClosedError } from '../errors/producer-closed-error.js'
import { RecordTooLargeError } from '../errors/record-too-large-error.js'
import { SerializationError } from '../errors/serialization-error.js'
import { TransactionStateError } from '../errors/transaction-state-error.js'
import { BrokerPool } from '../network/broker-pool.js'
import { type RecordHeader, recordSize } from '../protocol/records/record.js'
import { RECORD_BATCH_HEADER_SIZE } from '../protocol/records/record-batch.js'
import { RecordAccumulator } from './accumulator.js'
import type { CompletionTarget } from './batch.js'
import { ProducerIdentity } from './idempotence.js'
import { optionsFromProperties, type ResolvedProducerOptions, resolveProducerOptions } from './options.js'
import { Sender } from './sender.js'
import { type ConsumerGroupMetadata, TransactionManager, type TransactionOffset } from './transactions.js'
import type {
  ProducerOptions,
  ProducerRecord,
  RecordMetadata,
  SendCallback,
  SendOptions,
  SendResult,
  Serializer,
  SerializerContext,
} from './types.js'

type MaybePromise<T> = T | Promise<T>

/** A record on its way in: serialized (or being serialized), waiting for metadata or room. */
interface Pending {
  topic: string
  record: ProducerRecord<unknown, unknown, unknown, unknown>
  target: CompletionTarget
  index: number
  deadline: number
  timeoutMs: number
  key: MaybePromise<Buffer | null>
  value: MaybePromise<Buffer | null>
  headers: MaybePromise<RecordHeader[] | undefined>
}

/** Counts records not yet settled per flush generation, so `flush` waits only for earlier ones. */
class FlushTracker {
  generation = 0
  private readonly counts = new Map<number, number>()
  private waiters: Array<{ generation: number; resolve: () => void }> = []

  add(generation: number, n: number): void {
    this.counts.set(generation, (this.counts.get(generation) ?? 0) + n)
  }

  done(generation: number): void {
    const left = (this.counts.get(generation) ?? 1) - 1
    if (left > 0) {
      this.counts.set(generation, left)
      return
    }
    this.counts.delete(generation)
    if (this.waiters.length > 0) this.check()
  }

  /** Resolves when every record of this and earlier generations is settled. */
  wait(): Promise<void> {
    const generation = this.generation++
    return new Promise((resolve) => {
      this.waiters.push({ generation, resolve })
      this.check()
    })
  }

  private check(): void {
    let oldest = Number.POSITIVE_INFINITY
    for (const g of this.counts.keys()) if (g < oldest) oldest = g
    const still: typeof this.waiters = []
    for (const w of this.waiters) {
      if (oldest > w.generation) w.resolve()
      else still.push(w)
    }
    this.waiters = still
  }
}

class PromiseTarget implements CompletionTarget {
  readonly promise: Promise<RecordMetadata>
  private resolve!: (meta: RecordMetadata) => void
  private reject!: (error: Error) => void
  constructor(
    private readonly tracker: FlushTracker,
    readonly generation: number,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
  }
  settle(_index: number, error: Error | null, meta: RecordMetadata | null): void {
    this.tracker.done(this.generation)
    if (error !== null) this.reject(error)
    else this.resolve(meta as RecordMetadata)
  }
}

class CallbackTarget implements CompletionTarget {
  constructor(
    private readonly tracker: FlushTracker,
    readonly generation: number,
    private readonly callback: SendCallback,
  ) {}
  settle(_index: number, error: Error | null, meta: RecordMetadata | null): void {
    this.tracker.done(this.generation)
    if (error !== null) this.callback(error)
    else this.callback(null, meta as RecordMetadata)
  }
}

class BatchTarget implements CompletionTarget {
  readonly promise: Promise<SendResult[]>
  private readonly results: SendResult[]
  private remaining: number
  private resolve!: (results: SendResult[]) => void
  constructor(
    private readonly tracker: FlushTracker,
    readonly generation: number,
    count: number,
  ) {
    this.results = new Array(count)
    this.remaining = count
    this.promise = new Promise((resolve) => {
      this.resolve = resolve
    })
    if (count === 0) this.resolve(this.results)
  }
  settle(index: number, error: Error | null, meta: RecordMetadata | null): void {
    this.tracker.done(this.generation)
    this.results[index] = error !== null ? { ok: false, error } : { ok: true, meta: meta as RecordMetadata }
    if (--this.remaining === 0) this.resolve(this.results)
  }
}

const EMPTY_HEADERS: RecordHeader[] = []

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
 * A Kafka producer: batches records per partition, lingers, compresses, pipelines Produce
 * requests, retries what may be retried, and is idempotent by default. The type parameters come
 * from the serializers given; without serializers keys and values are `Buffer | string | null`.
 */
export class Producer<
  Key = Buffer | string | null,
  Value = Buffer | string | null,
  HeaderKey = string,
  HeaderValue = Buffer | string | null,
> {
  private readonly options: ResolvedProducerOptions
  private readonly pool: BrokerPool
  private readonly metadata: ClusterMetadata
  private readonly accumulator: RecordAccumulator
  private readonly identity: ProducerIdentity
  private readonly sender: Sender
  private readonly transactions: TransactionManager | undefined
  private readonly tracker = new FlushTracker()
  private readonly blocked: Pending[] = []
  private processingBlocked = false
  private closed = false
  private closing: Promise<void> | undefined
  private connecting: Promise<void> | undefined
  private readonly serializeKey: Serializer<unknown>
  private readonly serializeValue: Serializer<unknown>
  private readonly serializeHeaderKey: Serializer<unknown> | undefined
  private readonly serializeHeaderValue: Serializer<unknown>

  constructor(options: ProducerOptions<Key, Value, HeaderKey, HeaderValue>) {
    this.options = resolveProducerOptions(options as ProducerOptions<unknown, unknown, unknown, unknown>)
    const o = this.options
    this.serializeKey = o.serializers.key
    this.serializeValue = o.serializers.value
    this.serializeHeaderKey = o.serializers.headerKey
    this.serializeHeaderValue = o.serializers.headerValue
    this.pool = new BrokerPool({
      clientId: o.clientId,
      bootstrap: o.bootstrapBrokers,
      connectTimeoutMs: o.connectTimeoutMs,
      requestTimeoutMs: o.requestTimeoutMs,
      sasl: o.sasl,
      tls: o.tls,
    })
    this.metadata = new ClusterMetadata(this.pool, {
      metadataMaxAgeMs: o.metadataMaxAgeMs,
      retryBackoffMs: o.retryBackoffMs,
    })
    this.accumulator = new RecordAccumulator({ batchBytes: o.batchBytes, bufferBytes: o.bufferBytes })
    this.identity = new ProducerIdentity(this.pool, {
      transactionTimeoutMs: o.transactionTimeoutMs,
      retryBackoffMs: o.retryBackoffMs,
    })
    this.transactions =
      o.transactionalId === null
        ? undefined
        : new TransactionManager(this.pool, this.identity, {
            transactionalId: o.transactionalId,
            transactionTimeoutMs: o.transactionTimeoutMs,
            retryBackoffMs: o.retryBackoffMs,
            retryBackoffMaxMs: o.retryBackoffMaxMs,
            operationTimeoutMs: o.maxBlockMs,
          })
    this.sender = new Sender(this.accumulator, this.metadata, this.pool, this.identity, {
      acks: o.acks,
      idempotent: o.idempotent,
      codec: o.compression,
      lingerMs: o.lingerMs,
      maxInFlight: o.maxInFlight,
      requestTimeoutMs: o.requestTimeoutMs,
      retryBackoffMs: o.retryBackoffMs,
      retryBackoffMaxMs: o.retryBackoffMaxMs,
      maxRequestBytes: o.maxRequestBytes,
      logger: o.logger,
      onBatchTaken: (topic, partition) => o.partitioner.onBatchClosed?.(topic, partition),
      transactions: this.transactions,
    })
    if (this.transactions !== undefined) this.transactions.onPartitionsAdded = () => this.sender.wakeup()
  }

  /**
   * A producer configured with standard Kafka producer property names (`bootstrap.servers`,
   * `acks`, `linger.ms`, ...), as in the Java client or librdkafka. Unknown names are rejected.
   */
  static fromProperties(properties: Record<string, string | number | boolean>): Producer {
    return new Producer(optionsFromProperties(properties))
  }

  /** The producer id from InitProducerId, or -1n before it is known (or when not idempotent). */
  get producerId(): bigint {
    return this.identity.producerId
  }

  /** The producer epoch, or -1 before it is known. */
  get producerEpoch(): number {
    return this.identity.producerEpoch
  }

  /**
   * Connects up front: bootstrap metadata and, when idempotent, a producer id. Optional (send
   * connects lazily), but lets an application fail fast when the cluster is unreachable.
   */
  async connect(): Promise<{ producerId: bigint; producerEpoch: number }> {
    if (this.closed) throw new ProducerClosedError('send')
    this.connecting ??= this.doConnect().finally(() => {
      this.connecting = undefined
    })
    await this.connecting
    return { producerId: this.identity.producerId, producerEpoch: this.identity.producerEpoch }
  }

  private async doConnect(): Promise<void> {
    await this.metadata.refresh()
    if (this.transactions !== undefined) {
      await this.transactions.init()
    } else if (this.options.idempotent && !this.identity.initialized) {
      await this.identity.init(Date.now() + this.options.maxBlockMs)
    }
  }

  /**
   * Sends one record. Resolves with where it landed once the broker acknowledged it (at once
   * with offset -1 under acks=0). With a callback, returns nothing and calls it instead; callbacks
   * and resolutions for one partition come in send order.
   */
  send(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>, options?: SendOptions): Promise<RecordMetadata>
  send(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>, callback: SendCallback): void
  send(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>, options: SendOptions, callback: SendCallback): void
  send(
    record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>,
    optionsOrCallback?: SendOptions | SendCallback,
    callback?: SendCallback,
  ): Promise<RecordMetadata> | undefined {
    const generation = this.tracker.generation
    this.tracker.add(generation, 1)
    const options = typeof optionsOrCallback === 'object' ? optionsOrCallback : undefined
    const cb = typeof optionsOrCallback === 'function' ? optionsOrCallback : callback
    if (cb !== undefined) {
      this.enqueue(record, new CallbackTarget(this.tracker, generation, cb), 0, options)
      return undefined
    }
    const target = new PromiseTarget(this.tracker, generation)
    this.enqueue(record, target, 0, options)
    return target.promise
  }

  /**
   * Sends records and resolves with one result per record, in order: `{ ok: true, meta }` or
   * `{ ok: false, error }`. Never rejects because some records failed, so a caller can retry
   * exactly those.
   */
  sendBatch(
    records: ReadonlyArray<ProducerRecord<Key, Value, HeaderKey, HeaderValue>>,
    options?: SendOptions,
  ): Promise<SendResult[]> {
    const generation = this.tracker.generation
    this.tracker.add(generation, records.length)
    const target = new BatchTarget(this.tracker, generation, records.length)
    for (let i = 0; i < records.length; i++)
      this.enqueue(records[i] as ProducerRecord<Key, Value, HeaderKey, HeaderValue>, target, i, options)
    return target.promise
  }

  /**
   * Runs `body` in a transaction: begins, runs it, and commits; if it throws (or a record of the
   * transaction failed), aborts and rethrows. Needs `transactionalId`. Resolves with what `body`
   * returned.
   */
  async transaction<T>(body: (tx: Transaction<Key, Value, HeaderKey, HeaderValue>) => Promise<T> | T): Promise<T> {
    await this.connect()
    this.beginTransaction()
    const tx: Transaction<Key, Value, HeaderKey, HeaderValue> = {
      send: (record, options) => this.send(record, options),
      sendBatch: (records, options) => this.sendBatch(records, options),
      sendOffsets: (offsets, group) => this.sendOffsetsToTransaction(offsets, group),
    }
    let result: T
    try {
      result = await body(tx)
      await this.flush()
      this.requireTransactions('commitTransaction').checkCommittable()
    } catch (error) {
      await this.abortTransaction().catch(() => {})
      throw error
    }
    await this.commitTransaction()
    return result
  }

  /** Begins a transaction (explicit form of `transaction`). Needs `transactionalId` and `connect()` first. */
  beginTransaction(): void {
    if (this.closed) throw new ProducerClosedError('beginTransaction')
    this.requireTransactions('beginTransaction').begin()
  }

  /** Sends what is buffered, then commits the transaction; fails if any of its records failed. */
  async commitTransaction(): Promise<void> {
    const txn = this.requireTransactions('commitTransaction')
    if (!txn.inTransaction) throw new TransactionStateError('commitTransaction() without an open transaction')
    await this.flush()
    txn.checkCommittable()
    await txn.end(true)
  }

  /** Aborts the transaction: its unsent records fail, and read_committed consumers never see the rest. */
  async abortTransaction(): Promise<void> {
    const txn = this.requireTransactions('abortTransaction')
    if (!txn.inTransaction) throw new TransactionStateError('abortTransaction() without an open transaction')
    const aborted = new TransactionStateError('the transaction was aborted before this record was sent')
    for (const p of this.blocked.splice(0)) p.target.settle(p.index, aborted, null)
    this.sender.abortAll(aborted)
    await this.flush()
    await txn.end(false)
  }

  /** Commits consumer offsets with the open transaction (consume-transform-produce). */
  sendOffsetsToTransaction(offsets: readonly TransactionOffset[], group: ConsumerGroupMetadata): Promise<void> {
    return this.requireTransactions('sendOffsetsToTransaction').sendOffsets(offsets, group)
  }

  private requireTransactions(operation: string): TransactionManager {
    if (this.transactions === undefined) {
      throw new TransactionStateError(`${operation}() needs a transactional producer: set the transactionalId option`)
    }
    return this.transactions
  }

  /** Resolves when every record sent before this call is acknowledged or failed. */
  async flush(): Promise<void> {
    this.sender.beginFlush()
    try {
      await this.tracker.wait()
    } finally {
      this.sender.endFlush()
    }
  }

  /**
   * Flushes, then closes every connection. Records not settled within `timeoutMs` (default: no
   * limit) fail with ProducerClosedError. Sending after close rejects with ProducerClosedError.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closed = true
    this.closing ??= this.doClose(options.timeoutMs)
    return this.closing
  }

  private async doClose(timeoutMs: number | undefined): Promise<void> {
    const flushed = this.flush()
    if (timeoutMs === undefined) {
      await flushed
    } else {
      let timer: NodeJS.Timeout | undefined
      const timedOut = await Promise.race([
        flushed.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs)
        }),
      ])
      clearTimeout(timer)
      if (timedOut)
        this.abortAll(
          new ProducerClosedError(undefined, {
            reason: `close({ timeoutMs: ${timeoutMs} }) expired before it was acknowledged`,
          }),
        )
    }
    this.sender.stop()
    await this.pool.close()
  }

  private abortAll(error: Error): void {
    for (const p of this.blocked.splice(0)) p.target.settle(p.index, error, null)
    this.sender.abortEverything(error)
  }

  private enqueue(
    record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>,
    target: CompletionTarget,
    index: number,
    options: SendOptions | undefined,
  ): void {
    if (this.closed) {
      target.settle(index, new ProducerClosedError('send'), null)
      return
    }
    const notInTransaction = this.transactions?.sendError()
    if (notInTransaction !== undefined) {
      target.settle(index, notInTransaction, null)
      return
    }
    const r = record as ProducerRecord<unknown, unknown, unknown, unknown>
    const topic = r?.topic
    if (typeof topic !== 'string' || topic.length === 0) {
      target.settle(index, new ConfigError('record.topic', 'a non-empty string', { received: topic }), null)
      return
    }
    const timeoutMs = options?.timeoutMs ?? this.options.deliveryTimeoutMs
    const deadline = Date.now() + timeoutMs
    let key: MaybePromise<Buffer | null>
    let value: MaybePromise<Buffer | null>
    let headers: MaybePromise<RecordHeader[] | undefined>
    try {
      key = r.key === undefined || r.key === null ? null : this.serialize(this.serializeKey, r.key, topic, 'key')
      value = this.serialize(this.serializeValue, r.value, topic, 'value')
      headers = r.headers === undefined ? undefined : this.serializeHeaders(r.headers, topic)
    } catch (error) {
      target.settle(index, error as Error, null)
      return
    }
    // The synchronous path: nothing waiting ahead, everything serialized, metadata known, room.
    if (
      this.blocked.length === 0 &&
      !(key instanceof Promise) &&
      !(value instanceof Promise) &&
      !(headers instanceof Promise)
    ) {
      const topicInfo = this.metadata.topic(topic)
      if (
        topicInfo !== undefined &&
        this.append(r, topic, key, value, headers, topicInfo.partitions.length, target, index, deadline, timeoutMs)
      ) {
        return
      }
    }
    this.blocked.push({ topic, record: r, target, index, deadline, timeoutMs, key, value, headers })
    if (!this.processingBlocked) void this.processBlocked()
  }

  private serialize(
    serializer: Serializer<unknown>,
    value: unknown,
    topic: string,
    part: SerializerContext['part'],
  ): MaybePromise<Buffer | null> {
    let out: Buffer | null | Promise<Buffer | null>
    try {
      out = serializer(value, { topic, part })
    } catch (error) {
      throw SerializationError.isInstance(error) ? error : new SerializationError(part, topic, error)
    }
    if (out instanceof Promise) {
      return out.catch((error: unknown) => {
        throw SerializationError.isInstance(error) ? error : new SerializationError(part, topic, error)
      })
    }
    return out
  }

  private serializeHeaders(
    headers: NonNullable<ProducerRecord<unknown, unknown, unknown, unknown>['headers']>,
    topic: string,
  ): MaybePromise<RecordHeader[]> {
    const pairs: Array<readonly [unknown, unknown]> = Array.isArray(headers)
      ? (headers as Array<readonly [unknown, unknown]>)
      : headers instanceof Map
        ? [...headers.entries()]
        : Object.entries(headers as unknown as Record<string, unknown>)
    if (pairs.length === 0) return EMPTY_HEADERS
    const out: RecordHeader[] = new Array(pairs.length)
    let promises: Array<Promise<unknown>> | undefined
    for (let i = 0; i < pairs.length; i++) {
      const [k, v] = pairs[i] as readonly [unknown, unknown]
      const key = this.headerKey(k, topic)
      const value = this.serialize(this.serializeHeaderValue, v, topic, 'headerValue')
      if (key instanceof Promise || value instanceof Promise) {
        promises ??= []
        const at = i
        promises.push(
          Promise.all([key, value]).then(([hk, hv]) => {
            out[at] = { key: hk, value: hv }
          }),
        )
      } else {
        out[i] = { key, value }
      }
    }
    return promises === undefined ? out : Promise.all(promises).then(() => out)
  }

  private headerKey(key: unknown, topic: string): MaybePromise<string> {
    if (this.serializeHeaderKey === undefined) {
      if (typeof key !== 'string')
        throw new SerializationError(
          'headerKey',
          topic,
          new TypeError(`header keys must be strings without a headerKey serializer, got ${typeof key}`),
        )
      return key
    }
    const bytes = this.serialize(this.serializeHeaderKey, key, topic, 'headerKey')
    const toKey = (b: Buffer | null): string => {
      if (b === null) throw new SerializationError('headerKey', topic, new TypeError('a header key cannot be null'))
      return b.toString('utf8')
    }
    return bytes instanceof Promise ? bytes.then(toKey) : toKey(bytes)
  }

  /** Appends one record; returns false only when it must wait for buffer room and may. */
  private append(
    r: ProducerRecord<unknown, unknown, unknown, unknown>,
    topic: string,
    key: Buffer | null,
    value: Buffer | null,
    headers: RecordHeader[] | undefined,
    partitionCount: number,
    target: CompletionTarget,
    index: number,
    deadline: number,
    timeoutMs: number,
  ): boolean {
    let partition: number
    if (r.partition !== undefined && r.partition !== null) {
      partition = r.partition
      if (!Number.isInteger(partition) || partition < 0 || partition >= partitionCount) {
        target.settle(
          index,
          new ConfigError('record.partition', `an integer in [0, ${partitionCount}) for topic '${topic}'`, {
            received: partition,
          }),
          null,
        )
        return true
      }
    } else {
      partition = this.options.partitioner.partition({ topic: topic, key, value, headers, partitionCount })
      if (!Number.isInteger(partition) || partition < 0 || partition >= partitionCount) {
        target.settle(
          index,
          new ConfigError('partitioner', `a partition in [0, ${partitionCount}) for topic '${topic}'`, {
            received: partition,
          }),
          null,
        )
        return true
      }
    }
    const now = Date.now()
    const timestamp = toTimestamp(r.timestamp, now)
    if (timestamp === undefined) {
      target.settle(
        index,
        new ConfigError('record.timestamp', 'milliseconds since the epoch as a number, bigint or Date', {
          received: r.timestamp,
        }),
        null,
      )
      return true
    }
    const size = recordSize(0, 0, key, value, headers)
    if (size + RECORD_BATCH_HEADER_SIZE > this.options.maxRequestBytes || size > this.options.bufferBytes) {
      target.settle(
        index,
        new RecordTooLargeError(
          size + RECORD_BATCH_HEADER_SIZE,
          Math.min(this.options.maxRequestBytes, this.options.bufferBytes),
          { topic: topic, partition },
        ),
        null,
      )
      return true
    }
    if (!this.accumulator.hasRoom(size)) return false
    const q = this.accumulator.queue(topic, partition)
    const { batch, closedFull } = this.accumulator.append(
      q,
      size,
      now,
      timestamp,
      key,
      value,
      headers,
      target,
      index,
      deadline,
      timeoutMs,
    )
    if (closedFull !== undefined) {
      this.options.partitioner.onBatchClosed?.(topic, partition)
      this.sender.wakeup()
    } else if (batch.recordCount === 1) {
      this.sender.batchOpened(now)
    }
    return true
  }

  /** Works through records that had to wait, strictly in send order. */
  private async processBlocked(): Promise<void> {
    this.processingBlocked = true
    try {
      while (this.blocked.length > 0) {
        const p = this.blocked[0] as Pending
        try {
          const [key, value, headers] = await Promise.all([p.key, p.value, p.headers])
          const topicInfo =
            this.metadata.topic(p.topic) ??
            (await this.metadata.waitForTopic(
              p.topic,
              Math.max(0, Math.min(this.options.maxBlockMs, p.deadline - Date.now())),
            ))
          const waitUntil = Date.now() + this.options.maxBlockMs
          while (
            !this.append(
              p.record,
              p.topic,
              key,
              value,
              headers,
              topicInfo.partitions.length,
              p.target,
              p.index,
              p.deadline,
              p.timeoutMs,
            )
          ) {
            const remaining = waitUntil - Date.now()
            if (remaining <= 0) throw new BufferFullError(this.options.bufferBytes, this.options.maxBlockMs)
            this.sender.wakeup()
            await Promise.race([this.accumulator.waitForRoom(), delay(remaining)])
          }
        } catch (error) {
          if (this.blocked[0] === p)
            p.target.settle(p.index, error instanceof Error ? error : new Error(String(error)), null)
        }
        if (this.blocked[0] === p) this.blocked.shift()
      }
    } finally {
      this.processingBlocked = false
    }
  }
}

function toTimestamp(value: number | bigint | Date | undefined, now: number): number | undefined {
  if (value === undefined || value === null) return now
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Date) {
    const t = value.getTime()
    return Number.isNaN(t) ? undefined : t
  }
  return undefined
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
