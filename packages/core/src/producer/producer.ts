import { ClusterMetadata, type TopicInfo } from '../cluster/metadata.js'
import { listened, sendChannel, type TransactionEvent, traced, transactionChannel } from '../diagnostics/channels.js'
import { MetricsRecorder, type ProducerMetrics } from '../diagnostics/metrics.js'
import { SendTrace, withAddedHeaders } from '../diagnostics/send-trace.js'
import { BufferFullError } from '../errors/buffer-full-error.js'
import { ConfigError } from '../errors/config-error.js'
import { ProducerClosedError } from '../errors/producer-closed-error.js'
import { RecordTooLargeError } from '../errors/record-too-large-error.js'
import { toError } from '../errors/to-error.js'
import { TransactionStateError } from '../errors/transaction-state-error.js'
import { BrokerPool } from '../network/broker-pool.js'
import { keyOnlyPartitioner, type PartitionByKey } from '../partitioners/default-partitioner.js'
import {
  type EncodableBytes,
  type EncodableHeader,
  recordSize,
  recordSizeUpperBound,
} from '../protocol/records/record.js'
import { RECORD_BATCH_HEADER_SIZE } from '../protocol/records/record-batch.js'
import { ProducerIdentity } from '../sender/producer-id.js'
import { Sender } from '../sender/sender.js'
import { RecordAccumulator } from './accumulator.js'
import { BatchTarget, CallbackTarget, type CompletionTarget, FlushTracker, PromiseTarget } from './completion.js'
import { Intake, WAITING_RECORD_OVERHEAD, type Waiting } from './intake.js'
import { optionsFromProperties, type ResolvedProducerOptions, resolveProducerOptions } from './options.js'
import {
  type AnyRecord,
  choosePartition,
  choosePartitionByKey,
  copyHeaders,
  HeaderScratch,
  type MaybePromise,
  type RecordPlacement,
  type ResolvedSerializers,
  serializeHeaders,
  serializeInline,
  timestampError,
  toBytes,
  toTimestamp,
} from './prepare.js'
import type { ProducerLike, Transaction } from './producer-like.js'
import { type ConsumerGroupMetadata, TransactionManager, type TransactionOffset } from './transactions.js'
import type {
  BrokerNode,
  PartitionInfo,
  ProducerOptions,
  ProducerRecord,
  RecordMetadata,
  SendCallback,
  SendOptions,
  SendResult,
} from './types.js'

/**
 * A Kafka producer: batches records per partition, lingers, compresses, pipelines Produce
 * requests, retries what may be retried, and is idempotent by default. The type parameters come
 * from the serializers given; without serializers keys and values are `Buffer | string | null`.
 *
 * Every record handed to it settles by its delivery deadline (`deliveryTimeoutMs`, or the
 * `timeoutMs` of the call): acknowledged, or failed with a typed error — whatever the brokers answer
 * or do not, and whatever the serializers, partitioner, codec or callbacks throw. A TimeoutError
 * for a record that was sent means its outcome is unknown: it may have been written (as in the
 * Java client).
 */
export class Producer<
  Key = Buffer | string | null,
  Value = Buffer | string | null,
  HeaderKey = string,
  HeaderValue = Buffer | string | null,
> implements ProducerLike<Key, Value, HeaderKey, HeaderValue>
{
  private readonly options: ResolvedProducerOptions
  private readonly pool: BrokerPool
  private readonly metadata: ClusterMetadata
  private readonly accumulator: RecordAccumulator
  private readonly identity: ProducerIdentity
  private readonly sender: Sender
  private readonly intake: Intake
  private readonly transactions: TransactionManager | undefined
  private readonly tracker = new FlushTracker()
  /** Set while a sendBatch that was admitted whole enqueues its records. */
  private admittingBatch = false
  /** The error of the sends refused since a record was last let wait (see `maxWaitingBytes`). */
  private refusal: BufferFullError | undefined
  private readonly recorder = new MetricsRecorder()
  private readonly serializers: ResolvedSerializers
  /** Reused header lists for records whose headers are an object of strings (built-in serializers only). */
  private readonly headerScratch: HeaderScratch | undefined
  /** The partitioner's key-only form (the default partitioner's), which takes a string key as it is. */
  private readonly partitionByKey: PartitionByKey | undefined
  private readonly onCallbackError: (error: unknown) => void
  private closed = false
  private closing: Promise<void> | undefined
  private connecting: Promise<void> | undefined

  constructor(options: ProducerOptions<Key, Value, HeaderKey, HeaderValue>) {
    this.options = resolveProducerOptions(options as ProducerOptions<unknown, unknown, unknown, unknown>)
    const o = this.options
    this.serializers = o.serializers
    this.partitionByKey = keyOnlyPartitioner(o.partitioner)
    // No user code may run between filling a reused header list and encoding it: a custom
    // partitioner runs there (and could send), so it gets none.
    this.headerScratch = this.partitionByKey === undefined ? undefined : HeaderScratch.for(o.serializers)
    const logger = o.logger
    this.onCallbackError = (error) =>
      logger.error(`a send callback threw (the record was settled; the error is ignored): ${toError(error).message}`, {
        error,
      })
    this.pool = new BrokerPool({
      clientId: o.clientId,
      bootstrap: o.bootstrapBrokers,
      connectTimeoutMs: o.connectTimeoutMs,
      requestTimeoutMs: o.requestTimeoutMs,
      sasl: o.sasl,
      tls: o.tls,
    })
    this.metadata = new ClusterMetadata(this.pool, {
      clientId: o.clientId,
      metadataMaxAgeMs: o.metadataMaxAgeMs,
      retryBackoffMs: o.retryBackoffMs,
      retryBackoffMaxMs: o.retryBackoffMaxMs,
      warn: (message) => logger.warn(message),
    })
    this.accumulator = new RecordAccumulator({ batchBytes: o.batchBytes, bufferBytes: o.bufferBytes })
    this.identity = new ProducerIdentity(this.pool, {
      transactionTimeoutMs: o.transactionTimeoutMs,
      backoff: { initialMs: o.retryBackoffMs, maxMs: o.retryBackoffMaxMs },
    })
    this.transactions =
      o.transactionalId === null
        ? undefined
        : new TransactionManager(this.pool, this.identity, {
            clientId: o.clientId,
            transactionalId: o.transactionalId,
            transactionTimeoutMs: o.transactionTimeoutMs,
            retryBackoffMs: o.retryBackoffMs,
            retryBackoffMaxMs: o.retryBackoffMaxMs,
            operationTimeoutMs: o.maxBlockMs,
          })
    const partitioner = o.partitioner
    this.sender = new Sender(this.accumulator, this.metadata, this.pool, this.identity, {
      acks: o.acks,
      idempotent: o.idempotent,
      codec: o.compression,
      lingerMs: o.lingerMs,
      maxInFlight: o.maxInFlight,
      requestTimeoutMs: o.requestTimeoutMs,
      retries: o.retries,
      clientId: o.clientId,
      metrics: this.recorder,
      retryBackoffMs: o.retryBackoffMs,
      retryBackoffMaxMs: o.retryBackoffMaxMs,
      maxRequestBytes: o.maxRequestBytes,
      logger,
      onBatchTaken:
        partitioner.onBatchClosed === undefined
          ? undefined
          : (topic, partition) => partitioner.onBatchClosed?.(topic, partition),
      transactions: this.transactions,
    })
    const txn = this.transactions
    if (txn !== undefined) {
      txn.onPartitionsAdded = () => this.sender.wakeup()
      txn.hasUnresolvedSequences = () => this.sender.hasUnresolvedSequences
      txn.onEpochBumped = () => this.sender.restartSequences()
    }
    const accumulator = this.accumulator
    const sender = this.sender
    this.intake = new Intake({
      metadata: this.metadata,
      bufferBytes: o.bufferBytes,
      maxBlockMs: o.maxBlockMs,
      maxWaitingBytes: o.maxWaitingBytes,
      place: (w, key, value, headers, topic) =>
        this.append(w, w.topic, key, value, headers, topic, w.target, w.index, w.deadline, w.timeoutMs, Date.now()),
      waitForRoom: () => accumulator.waitForRoom(),
      warn: (message) => logger.warn(message),
      waitedForRoom: (ms) => {
        this.recorder.bufferWaitMs += ms
      },
      wakeSender: () => sender.wakeup(),
    })
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
    if (this.closed) throw new ProducerClosedError('connect')
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
      this.sender.wakeup()
    }
  }

  /**
   * Sends one record. Resolves with where it landed once the broker acknowledged it (at once
   * with offset -1 under acks=0). With a callback, returns nothing and calls it instead; callbacks
   * and resolutions for one partition come in send order. Never throws: every problem, the
   * serializers' and the partitioner's included, rejects (or reaches the callback).
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
      this.enqueue(record, new CallbackTarget(this.tracker, generation, cb, this.onCallbackError), 0, options)
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
    // A batch that finds room among the waiting records is admitted whole, however large; else each record is refused.
    const nested = this.admittingBatch
    this.admittingBatch = nested || !this.waitingFull()
    try {
      for (let i = 0; i < records.length; i++)
        this.enqueue(records[i] as ProducerRecord<Key, Value, HeaderKey, HeaderValue>, target, i, options)
    } finally {
      this.admittingBatch = nested
    }
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
    const txn = this.requireTransactions('beginTransaction')
    if (!listened(transactionChannel)) {
      txn.begin()
      return
    }
    transactionChannel.traceSync(() => txn.begin(), this.transactionEvent(txn, 'begin'))
  }

  private transactionEvent(txn: TransactionManager, operation: TransactionEvent['operation']): TransactionEvent {
    return { clientId: this.options.clientId, transactionalId: txn.transactionalId, operation }
  }

  /** Sends what is buffered, then commits the transaction; fails if any of its records failed. */
  async commitTransaction(): Promise<void> {
    const txn = this.requireTransactions('commitTransaction')
    if (!txn.inTransaction) throw new TransactionStateError('commitTransaction() without an open transaction')
    await traced(
      transactionChannel,
      () => this.transactionEvent(txn, 'commit'),
      async () => {
        await this.flush()
        txn.checkCommittable()
        await txn.end(true)
      },
    )
  }

  /**
   * Aborts the transaction: its unsent records fail, and read_committed consumers never see the
   * rest. After an abortable error (a record of the transaction failed, e.g. with
   * OUT_OF_ORDER_SEQUENCE_NUMBER or a timeout), this is what the application does next; the abort
   * bumps the producer epoch where the sequences cannot go on, and the next transaction can begin.
   */
  async abortTransaction(): Promise<void> {
    const txn = this.requireTransactions('abortTransaction')
    if (!txn.inTransaction) throw new TransactionStateError('abortTransaction() without an open transaction')
    await traced(
      transactionChannel,
      () => this.transactionEvent(txn, 'abort'),
      async () => {
        const aborted = new TransactionStateError('the transaction was aborted before this record was sent')
        this.intake.failAll(aborted)
        this.sender.abortAll(aborted)
        await this.flush()
        await txn.end(false)
      },
    )
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

  /**
   * The partitions of a topic with their leaders, replicas and in-sync replicas (Java's
   * `partitionsFor`), from the cached metadata, fetching it when the topic is not known yet. A topic
   * that does not show up within `maxBlockMs` (it does not exist and auto-creation is off, or no
   * broker answers) fails with a TimeoutError naming it and why.
   */
  async partitionsFor(topic: string): Promise<PartitionInfo[]> {
    if (this.closed) throw new ProducerClosedError('partitionsFor')
    if (typeof topic !== 'string' || topic.length === 0) {
      throw new ConfigError('topic', 'a non-empty string', { received: topic })
    }
    const blockMs = this.options.maxBlockMs
    const info = this.metadata.topic(topic) ?? (await this.metadata.waitForTopic(topic, Date.now() + blockMs, blockMs))
    const node = (nodeId: number): BrokerNode => {
      const known = this.metadata.broker(nodeId)
      return known === undefined ? { nodeId, host: '', port: -1 } : { ...known }
    }
    return info.partitions.map((p, partition) => ({
      topic,
      partition,
      leader: p.leader < 0 ? null : node(p.leader),
      replicas: p.replicas.map(node),
      isr: p.isr.map(node),
      offlineReplicas: p.offline.map(node),
    }))
  }

  /**
   * A snapshot of the producer's metrics, with the Java producer's names where they apply
   * (`record-send-rate`, `request-latency-avg`, ...): for the producer as a whole, per broker and per
   * topic. Units: counts, bytes, milliseconds, rates per second; `metadata-age` in seconds.
   */
  metrics(): ProducerMetrics {
    return this.recorder.snapshot({
      bufferTotalBytes: this.options.bufferBytes,
      bufferedBytes: () => this.accumulator.bufferedBytes,
      requestsInFlight: () => this.sender.inFlight,
      waitingRecords: () => this.intake.size,
      metadataRefreshedAt: () => this.metadata.refreshedAt,
    })
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
   * limit; every record still settles by its delivery deadline) fail with ProducerClosedError.
   * Sending after close rejects with ProducerClosedError.
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
      if (timedOut) {
        const error = new ProducerClosedError(undefined, {
          reason: `close({ timeoutMs: ${timeoutMs} }) expired before it was acknowledged`,
        })
        this.intake.failAll(error)
        this.sender.abortEverything(error)
      }
    }
    this.sender.stop()
    await this.pool.close()
  }

  /** Takes one record in: traced when somebody listens to `tributary:producer:send`. */
  private enqueue(
    record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>,
    target: CompletionTarget,
    index: number,
    options: SendOptions | undefined,
  ): void {
    const r = record as AnyRecord
    if (!listened(sendChannel)) {
      this.admit(r, target, index, options, undefined)
      return
    }
    const trace = new SendTrace(this.options.clientId, typeof r?.topic === 'string' ? r.topic : '', r, target, index)
    trace.start()
    this.admit(r, trace, index, options, trace)
    trace.end()
  }

  /**
   * Checks, serializes and appends one record, or queues it in the intake when it must wait (an
   * async serializer, unknown metadata, no buffer room, records waiting ahead of it). Every problem
   * settles the record's target; nothing is thrown.
   */
  private admit(
    r: AnyRecord,
    target: CompletionTarget,
    index: number,
    options: SendOptions | undefined,
    trace: SendTrace | undefined,
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
    const topic = r?.topic
    if (typeof topic !== 'string' || topic.length === 0) {
      target.settle(index, new ConfigError('record.topic', 'a non-empty string', { received: topic }), null)
      return
    }
    const timeoutMs = options?.timeoutMs ?? this.options.deliveryTimeoutMs
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      target.settle(
        index,
        new ConfigError('timeoutMs', 'a positive number of milliseconds', { received: options?.timeoutMs }),
        null,
      )
      return
    }
    const now = Date.now()
    const deadline = now + timeoutMs
    const s = this.serializers
    let key: MaybePromise<EncodableBytes> = null
    let value: MaybePromise<EncodableBytes> = null
    let headers: MaybePromise<EncodableHeader[] | undefined>
    let scratch: EncodableHeader[] | undefined
    try {
      key = r.key === undefined || r.key === null ? null : serializeInline(s.key, r.key, topic, 'key')
      value = serializeInline(s.value, r.value, topic, 'value')
      const h = r.headers
      if (h === undefined || h === null) headers = undefined
      else {
        if (this.headerScratch !== undefined && trace === undefined && typeof h === 'object') {
          scratch = this.headerScratch.fromObject(h)
        }
        headers = scratch ?? serializeHeaders(h, topic, s, true)
      }
    } catch (error) {
      discard(key, value)
      target.settle(index, toError(error), null)
      return
    }
    if (trace?.added !== undefined) headers = withAddedHeaders(headers, trace.added)
    const sync = !(key instanceof Promise) && !(value instanceof Promise) && !(headers instanceof Promise)
    // The synchronous path: nothing waiting ahead, everything serialized, metadata known, room.
    if (sync && this.intake.size === 0) {
      const topicInfo = this.metadata.topic(topic)
      if (
        topicInfo !== undefined &&
        this.append(
          r,
          topic,
          key as EncodableBytes,
          value as EncodableBytes,
          headers as EncodableHeader[] | undefined,
          topicInfo,
          target,
          index,
          deadline,
          timeoutMs,
          now,
        )
      ) {
        return
      }
    }
    if (!this.admittingBatch && this.waitingFull()) {
      discard(key, value, headers)
      const o = this.options
      // One error for a run of refusals: a burst refuses sends by the hundred thousand, and each error costs ~400 B.
      this.refusal ??= new BufferFullError(o.bufferBytes, o.maxBlockMs, o.maxWaitingBytes, true)
      target.settle(index, this.refusal, null)
      return
    }
    this.refusal = undefined
    // The record waits: the reused header list is the next record's.
    if (scratch !== undefined) headers = copyHeaders(scratch)
    const blockMs = Math.min(this.options.maxBlockMs, timeoutMs)
    const waiting: Waiting = {
      topic,
      partition: r.partition,
      timestamp: r.timestamp,
      target,
      index,
      deadline,
      timeoutMs,
      blockUntil: now + blockMs,
      blockMs,
      key,
      value,
      headers,
      serialized: sync,
      settled: false,
      bytes:
        WAITING_RECORD_OVERHEAD +
        (sync ? recordSize(0, 0, key as EncodableBytes, value as EncodableBytes, headers as EncodableHeader[]) : 0),
    }
    this.intake.push(waiting)
  }

  /**
   * True when the buffer is full and the records waiting in the intake hold `maxWaitingBytes`: a send
   * that would wait is refused. Records sent before the metadata came wait in a buffer with room.
   */
  private waitingFull(): boolean {
    return this.accumulator.full && this.intake.size > 0 && this.intake.bytes >= this.options.maxWaitingBytes
  }

  /** Appends one record to its partition's batch (or fails it alone); false only when it must wait for room. */
  private append(
    r: RecordPlacement,
    topic: string,
    key: EncodableBytes,
    value: EncodableBytes,
    headers: EncodableHeader[] | undefined,
    topicInfo: TopicInfo,
    target: CompletionTarget,
    index: number,
    deadline: number,
    timeoutMs: number,
    now: number,
  ): boolean {
    const o = this.options
    const partition = this.partitionFor(r, topic, key, value, headers, topicInfo.partitions.length)
    if (typeof partition !== 'number') {
      target.settle(index, partition, null)
      return true
    }
    const timestamp = toTimestamp(r.timestamp, now)
    if (timestamp === undefined) {
      target.settle(index, timestampError(r.timestamp), null)
      return true
    }
    // An upper bound is enough for the checks, and costs no measuring of strings; the exact size is
    // computed only when the bound passes a limit.
    let size = recordSizeUpperBound(key, value, headers)
    if (size + RECORD_BATCH_HEADER_SIZE > o.maxRequestBytes || size > o.bufferBytes)
      size = recordSize(0, 0, key, value, headers)
    if (size + RECORD_BATCH_HEADER_SIZE > o.maxRequestBytes || size > o.bufferBytes) {
      target.settle(
        index,
        new RecordTooLargeError(size + RECORD_BATCH_HEADER_SIZE, Math.min(o.maxRequestBytes, o.bufferBytes), {
          topic,
          partition,
        }),
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
      this.batchClosed(topic, partition)
      this.sender.wakeup()
    } else if (batch.recordCount === 1) {
      this.sender.batchOpened(now)
    }
    return true
  }

  /**
   * The record's partition. The built-in partitioner reads only the key, synchronously: a string key
   * is hashed as it is, without a Buffer of its own. Any other partitioner gets the record's bytes as
   * Buffers, as the Partitioner interface promises.
   */
  private partitionFor(
    r: RecordPlacement,
    topic: string,
    key: EncodableBytes,
    value: EncodableBytes,
    headers: EncodableHeader[] | undefined,
    partitionCount: number,
  ): number | Error {
    const partitioner = this.options.partitioner
    const explicit = r.partition !== undefined && r.partition !== null
    if (!explicit && this.partitionByKey !== undefined) {
      return choosePartitionByKey(this.partitionByKey, topic, key, partitionCount)
    }
    if (explicit) return choosePartition(r, topic, null, null, undefined, partitionCount, partitioner)
    const bytes = headers?.map((h) => ({ key: h.key, value: toBytes(h.value) }))
    return choosePartition(r, topic, toBytes(key), toBytes(value), bytes, partitionCount, partitioner)
  }

  /** Tells a sticky partitioner that a batch closed; what it throws is only logged. */
  private batchClosed(topic: string, partition: number): void {
    const partitioner = this.options.partitioner
    if (partitioner.onBatchClosed === undefined) return
    try {
      partitioner.onBatchClosed(topic, partition)
    } catch (error) {
      this.options.logger.warn(`the partitioner's onBatchClosed threw: ${toError(error).message}`, { error })
    }
  }
}

/** Serializer promises of a record that failed anyway: their rejections are not unhandled. */
function discard(...parts: unknown[]): void {
  for (const part of parts) if (part instanceof Promise) part.catch(() => {})
}

export type { Transaction } from './producer-like.js'
