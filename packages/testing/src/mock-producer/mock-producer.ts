import {
  type BrokerNode,
  ConfigError,
  type ConsumerGroupMetadata,
  defaultPartitioner,
  type Partitioner,
  type PartitionInfo,
  ProducerClosedError,
  ProducerFencedError,
  type ProducerLike,
  type ProducerRecord,
  prepareRecord,
  type RecordMetadata,
  type SendCallback,
  type SendOptions,
  type SendResult,
  type Serializers,
  TimeoutError,
  type Transaction,
  type TransactionOffset,
  TransactionStateError,
  toError,
} from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'

/** Options of a MockProducer: the same serializers and partitioner as the Producer it stands in for. */
export interface MockProducerOptions<Key, Value, HeaderKey, HeaderValue> {
  serializers?: Serializers<Key, Value, HeaderKey, HeaderValue>
  partitioner?: Partitioner
  /**
   * Settle each send at once (the default), as an always-healthy broker would. With `false`, sends
   * wait until the test calls `completeNext()` or `errorNext(error)`, oldest first (or `flush()`).
   */
  autoComplete?: boolean
  /** Partition counts of the topics `partitionsFor` and the partitioner know: `{ orders: 6 }`. */
  topics?: Record<string, number>
  /**
   * Partitions of a topic not in `topics` (as a broker auto-creating it would). Default 1; `0` makes
   * such sends and `partitionsFor` fail as with a topic that does not exist.
   */
  defaultPartitions?: number
  /** Makes it transactional, as `transactionalId` makes a Producer: sends only inside transactions. */
  transactionalId?: string
}

/** One record as the MockProducer got it: what the application passed, and the bytes it became. */
export interface MockSentRecord<Key, Value, HeaderKey, HeaderValue> {
  /** The record as given to `send` / `sendBatch`. */
  record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>
  topic: string
  /** The partition chosen (the record's own, or the partitioner's). */
  partition: number
  /** The offset it got (offsets grow per partition from 0, as a broker's). */
  offset: bigint
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Array<{ key: string; value: Buffer | null }>
}

/** Offsets sent with a transaction (`sendOffsetsToTransaction` / `tx.sendOffsets`). */
export interface MockSentOffsets {
  groupId: string
  offsets: TransactionOffset[]
}

interface Pending<Key, Value, HeaderKey, HeaderValue> {
  sent: MockSentRecord<Key, Value, HeaderKey, HeaderValue>
  settle: (error: Error | null, meta: RecordMetadata | null) => void
}

/** The node every partition of a MockProducer is led by (there is no broker). */
const MOCK_NODE: BrokerNode = { nodeId: 0, host: 'mock-producer', port: 0 }

/**
 * A producer in memory, for unit tests of application code: no sockets, no cluster. It implements
 * `ProducerLike` as `Producer` does, runs the same serializers and partitioner (so their errors and
 * partition choices show as in production), and lets a test see what was sent (`history()`), hold
 * sends and settle them one by one (`autoComplete: false`, `completeNext()`, `errorNext()`), and
 * check transactions — as Java's MockProducer does.
 */
export class MockProducer<
  Key = Buffer | string | null,
  Value = Buffer | string | null,
  HeaderKey = string,
  HeaderValue = Buffer | string | null,
> implements ProducerLike<Key, Value, HeaderKey, HeaderValue>
{
  private readonly options: MockProducerOptions<Key, Value, HeaderKey, HeaderValue>
  private readonly autoComplete: boolean
  private readonly partitioner: Partitioner
  private readonly callbackErrors: unknown[] = []
  private readonly sent: Array<MockSentRecord<Key, Value, HeaderKey, HeaderValue>> = []
  private uncommittedSends: Array<MockSentRecord<Key, Value, HeaderKey, HeaderValue>> = []
  private readonly pending: Array<Pending<Key, Value, HeaderKey, HeaderValue>> = []
  private readonly nextOffsets = new Map<string, bigint>()
  private readonly offsetsHistory: MockSentOffsets[] = []
  private uncommittedOffsets: MockSentOffsets[] = []
  /** Serializations under way, in send order, so that records settle in send order. */
  private chain: Promise<unknown> = Promise.resolve()
  private preparing = 0
  private isClosed = false
  private fenced: ProducerFencedError | undefined
  private initialized = false
  private inFlight = false
  private committed = false
  private aborted = false
  private offsetsSent = false
  private commitCount = 0
  private abortCount = 0

  constructor(options: MockProducerOptions<Key, Value, HeaderKey, HeaderValue> = {}) {
    const partitions = options.defaultPartitions ?? 1
    if (!Number.isInteger(partitions) || partitions < 0) {
      throw new ConfigError('defaultPartitions', 'an integer from 0', { received: options.defaultPartitions })
    }
    for (const [topic, count] of Object.entries(options.topics ?? {})) {
      if (!Number.isInteger(count) || count < 1) {
        throw new ConfigError(`topics.${topic}`, 'a partition count of at least 1', { received: count })
      }
    }
    this.options = options
    this.autoComplete = options.autoComplete ?? true
    this.partitioner = options.partitioner ?? defaultPartitioner()
  }

  // ---- ProducerLike ----

  async connect(): Promise<{ producerId: bigint; producerEpoch: number }> {
    if (this.isClosed) throw new ProducerClosedError('connect')
    if (this.fenced !== undefined) throw this.fenced
    if (this.options.transactionalId !== undefined) this.initialized = true
    return { producerId: 0n, producerEpoch: 0 }
  }

  send(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>, options?: SendOptions): Promise<RecordMetadata>
  send(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>, callback: SendCallback): void
  send(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>, options: SendOptions, callback: SendCallback): void
  send(
    record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>,
    optionsOrCallback?: SendOptions | SendCallback,
    callback?: SendCallback,
  ): Promise<RecordMetadata> | undefined {
    const cb = typeof optionsOrCallback === 'function' ? optionsOrCallback : callback
    const result = this.enqueue(record)
    if (cb === undefined) return result
    // As with Producer, a callback that throws changes nothing else; the test can see what it threw.
    const call = (error: Error | null, meta?: RecordMetadata) => {
      try {
        if (error === null) cb(null, meta)
        else cb(error)
      } catch (thrown) {
        this.callbackErrors.push(thrown)
      }
    }
    result.then(
      (meta) => call(null, meta),
      (error: Error) => call(error),
    )
    return undefined
  }

  async sendBatch(
    records: ReadonlyArray<ProducerRecord<Key, Value, HeaderKey, HeaderValue>>,
    _options?: SendOptions,
  ): Promise<SendResult[]> {
    const results = records.map((r) =>
      this.enqueue(r).then(
        (meta): SendResult => ({ ok: true, meta }),
        (error: Error): SendResult => ({ ok: false, error }),
      ),
    )
    return Promise.all(results)
  }

  /** Completes every pending send (as Java's MockProducer does), then resolves. */
  async flush(): Promise<void> {
    await this.chain
    while (this.completeNext()) {}
    await this.chain
  }

  async close(_options?: { timeoutMs?: number }): Promise<void> {
    if (this.isClosed) return
    await this.flush()
    this.isClosed = true
  }

  async partitionsFor(topic: string): Promise<PartitionInfo[]> {
    if (this.isClosed) throw new ProducerClosedError('partitionsFor')
    const count = this.partitionCount(topic)
    return Array.from({ length: count }, (_, partition) => ({
      topic,
      partition,
      leader: { ...MOCK_NODE },
      replicas: [{ ...MOCK_NODE }],
      isr: [{ ...MOCK_NODE }],
      offlineReplicas: [],
    }))
  }

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
    } catch (error) {
      await this.abortTransaction().catch(() => {})
      throw error
    }
    await this.commitTransaction()
    return result
  }

  beginTransaction(): void {
    this.checkUsable('beginTransaction')
    const id = this.requireTransactional('beginTransaction')
    if (!this.initialized) {
      throw new TransactionStateError(`the producer '${id}' is not initialized yet: await connect() first`)
    }
    if (this.inFlight) throw new TransactionStateError('a transaction is already open: commit or abort it first')
    this.inFlight = true
    this.committed = false
    this.aborted = false
    this.offsetsSent = false
  }

  async commitTransaction(): Promise<void> {
    this.checkUsable('commitTransaction')
    this.requireTransactional('commitTransaction')
    if (!this.inFlight) throw new TransactionStateError('commitTransaction() without an open transaction')
    await this.flush()
    this.sent.push(...this.uncommittedSends)
    this.offsetsHistory.push(...this.uncommittedOffsets)
    this.uncommittedSends = []
    this.uncommittedOffsets = []
    this.inFlight = false
    this.committed = true
    this.commitCount++
  }

  async abortTransaction(): Promise<void> {
    this.checkUsable('abortTransaction')
    this.requireTransactional('abortTransaction')
    if (!this.inFlight) throw new TransactionStateError('abortTransaction() without an open transaction')
    await this.flush()
    this.uncommittedSends = []
    this.uncommittedOffsets = []
    this.inFlight = false
    this.aborted = true
    this.abortCount++
  }

  async sendOffsetsToTransaction(offsets: readonly TransactionOffset[], group: ConsumerGroupMetadata): Promise<void> {
    this.checkUsable('sendOffsetsToTransaction')
    this.requireTransactional('sendOffsetsToTransaction')
    if (!this.inFlight) throw new TransactionStateError('sendOffsetsToTransaction() without an open transaction')
    const groupId = typeof group === 'string' ? group : group.groupId
    this.uncommittedOffsets.push({ groupId, offsets: offsets.map((o) => ({ ...o })) })
    this.offsetsSent = true
  }

  // ---- What a test looks at ----

  /** Records sent and not rolled back (committed, or outside transactions), oldest first. */
  history(): Array<MockSentRecord<Key, Value, HeaderKey, HeaderValue>> {
    return [...this.sent]
  }

  /** Records of the open transaction, not committed yet. */
  uncommitted(): Array<MockSentRecord<Key, Value, HeaderKey, HeaderValue>> {
    return [...this.uncommittedSends]
  }

  /** Offsets committed with transactions, oldest first. */
  consumerGroupOffsetsHistory(): MockSentOffsets[] {
    return this.offsetsHistory.map((o) => ({ groupId: o.groupId, offsets: [...o.offsets] }))
  }

  /** Forgets the history, the uncommitted records and offsets (not the pending sends, nor the offsets counters). */
  clear(): void {
    this.sent.length = 0
    this.uncommittedSends = []
    this.offsetsHistory.length = 0
    this.uncommittedOffsets = []
  }

  /** Settles the oldest pending send successfully; false when none is pending. */
  completeNext(): boolean {
    const next = this.pending.shift()
    if (next === undefined) return false
    next.settle(null, this.meta(next.sent))
    return true
  }

  /** Fails the oldest pending send with `error`; false when none is pending. */
  errorNext(error: Error): boolean {
    const next = this.pending.shift()
    if (next === undefined) return false
    this.unrecord(next.sent)
    next.settle(error, null)
    return true
  }

  /** True when no send is pending (all completed or failed). */
  flushed(): boolean {
    return this.pending.length === 0 && this.preparing === 0
  }

  /** What send callbacks threw (the producer went on, as Producer does). */
  thrownByCallbacks(): unknown[] {
    return [...this.callbackErrors]
  }

  /** True once `close()` was called. */
  closed(): boolean {
    return this.isClosed
  }

  /** Fences the producer, as a newer instance with the same transactionalId would: every later call fails. */
  fenceProducer(): void {
    this.requireTransactional('fenceProducer')
    this.fenced = new ProducerFencedError(this.options.transactionalId as string, ErrorCodes.PRODUCER_FENCED)
  }

  /** The transactional producer was initialized (`connect()`). */
  get transactionInitialized(): boolean {
    return this.initialized
  }

  /** A transaction is open. */
  get transactionInFlight(): boolean {
    return this.inFlight
  }

  /** The last transaction was committed. */
  get transactionCommitted(): boolean {
    return this.committed
  }

  /** The last transaction was aborted. */
  get transactionAborted(): boolean {
    return this.aborted
  }

  /** Offsets were sent in the open (or last) transaction. */
  sentOffsets(): boolean {
    return this.offsetsSent
  }

  /** How many transactions were committed and aborted. */
  get transactionCounts(): { committed: number; aborted: number } {
    return { committed: this.commitCount, aborted: this.abortCount }
  }

  // ---- Internals ----

  private enqueue(record: ProducerRecord<Key, Value, HeaderKey, HeaderValue>): Promise<RecordMetadata> {
    const refused = this.refusal()
    if (refused !== undefined) return Promise.reject(refused)
    const topic = (record as { topic?: unknown } | null)?.topic
    let partitionCount: number
    try {
      partitionCount = typeof topic === 'string' && topic.length > 0 ? this.partitionCount(topic) : 1
    } catch (error) {
      return Promise.reject(error)
    }
    const transactional = this.inFlight
    this.preparing++
    const prepared = prepareRecord(record, {
      serializers: this.options.serializers,
      partitioner: this.partitioner,
      partitionCount,
    })
    prepared.catch(() => {}) // settled through `ordered` below
    // Records settle in send order, however long their serializers take.
    const ordered = this.chain.then(() => prepared)
    this.chain = ordered.catch(() => {})
    return new Promise<RecordMetadata>((resolve, reject) => {
      ordered.then(
        (p) => {
          this.preparing--
          const key = `${p.topic}\u0000${p.partition}`
          const offset = this.nextOffsets.get(key) ?? 0n
          this.nextOffsets.set(key, offset + 1n)
          const sent: MockSentRecord<Key, Value, HeaderKey, HeaderValue> = {
            record,
            topic: p.topic,
            partition: p.partition,
            offset,
            timestamp: BigInt(p.timestamp),
            key: p.key,
            value: p.value,
            headers: p.headers,
          }
          if (transactional) this.uncommittedSends.push(sent)
          else this.sent.push(sent)
          const pending: Pending<Key, Value, HeaderKey, HeaderValue> = {
            sent,
            settle: (error, meta) => (error === null ? resolve(meta as RecordMetadata) : reject(error)),
          }
          if (this.autoComplete) pending.settle(null, this.meta(sent))
          else this.pending.push(pending)
        },
        (error: unknown) => {
          this.preparing--
          reject(toError(error))
        },
      )
    })
  }

  private meta(sent: MockSentRecord<Key, Value, HeaderKey, HeaderValue>): RecordMetadata {
    return { topic: sent.topic, partition: sent.partition, offset: sent.offset, timestamp: sent.timestamp }
  }

  /** A record that failed (errorNext) is not in the history, as a broker would not have it. */
  private unrecord(sent: MockSentRecord<Key, Value, HeaderKey, HeaderValue>): void {
    for (const list of [this.sent, this.uncommittedSends]) {
      const i = list.indexOf(sent)
      if (i >= 0) list.splice(i, 1)
    }
  }

  private refusal(): Error | undefined {
    if (this.isClosed) return new ProducerClosedError('send')
    if (this.fenced !== undefined) return this.fenced
    const id = this.options.transactionalId
    if (id !== undefined && !this.inFlight) {
      return new TransactionStateError(
        `producer '${id}' is transactional: send inside a transaction (producer.transaction(fn), or beginTransaction() first)`,
      )
    }
    return undefined
  }

  private partitionCount(topic: string): number {
    const count = this.options.topics?.[topic] ?? this.options.defaultPartitions ?? 1
    if (count < 1) {
      throw new TimeoutError(
        `topic '${topic}' not present in metadata (MockProducer: not in its topics, and defaultPartitions is 0)`,
      )
    }
    return count
  }

  private checkUsable(operation: string): void {
    if (this.isClosed) throw new ProducerClosedError(operation)
    if (this.fenced !== undefined) throw this.fenced
  }

  private requireTransactional(operation: string): string {
    const id = this.options.transactionalId
    if (id === undefined) {
      throw new TransactionStateError(`${operation}() needs a transactional producer: set the transactionalId option`)
    }
    return id
  }
}
