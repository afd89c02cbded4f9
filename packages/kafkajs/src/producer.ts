import { type TransactionOffset, Producer as TributaryProducer } from '@tributary/core'
import { type ResolvedCodec, resolveCodec } from './compression.js'
import { protocolError, toKafkaJSError } from './errors/from-tributary.js'
import { KafkaJSError, KafkaJSNonRetriableError } from './errors/kafkajs-errors.js'
import { PRODUCER_EVENTS, ProducerEventEmitter } from './events.js'
import {
  type CoreRecord,
  invalidTopic,
  toRecord,
  toRecordMetadata,
  validateBatch,
  validateMessages,
} from './messages.js'
import { type CoreVariant, coreOptions, type ProducerSettings, resolveBrokers } from './options.js'
import { TopicProbe } from './topic-probe.js'
import type {
  InstrumentationEvent,
  Logger,
  Message,
  Offsets,
  PartitionMetadata,
  Producer,
  ProducerBatch,
  ProducerEvents,
  ProducerRecord,
  RecordMetadata,
  TopicMessages,
  Transaction,
} from './types.js'

type Status = 'disconnected' | 'connected' | 'disconnecting'

const NOT_ALL_ACKS = "Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees"
const NO_COMPRESSION: ResolvedCodec = resolveCodec(undefined)

/** How many core producers (combinations of acks, compression and timeout) before a warning. */
const MANY_VARIANTS = 8

/**
 * kafkajs's producer on Tributary's core. Every `send` becomes one core `sendBatch` of its messages;
 * the core batches them per partition (with the records of concurrent sends), compresses, retries
 * and keeps idempotent sequence numbers. kafkajs lets every send choose `acks`, `compression` and
 * `timeout`, which a core producer fixes, so this keeps one core producer per combination used
 * (normally one), created on first use and closed by `disconnect()`.
 */
export class KafkaJSProducer implements Producer {
  readonly events: ProducerEvents = PRODUCER_EVENTS
  private status: Status = 'disconnected'
  private brokers: string[] | undefined
  private readonly cores = new Map<string, TributaryProducer>()
  private transactional: Promise<TransactionalCore> | undefined
  private current: KafkaJSTransaction | undefined
  private readonly emitter: ProducerEventEmitter
  private readonly probe: TopicProbe | undefined

  constructor(private readonly settings: ProducerSettings) {
    this.emitter = new ProducerEventEmitter(settings.clientId, settings.logger)
    if (!settings.allowAutoTopicCreation) {
      if (settings.sasl === undefined) {
        this.probe = new TopicProbe({
          clientId: settings.clientId,
          tls: settings.tls,
          connectTimeoutMs: settings.connectTimeoutMs,
          requestTimeoutMs: settings.requestTimeoutMs,
          backoffs: () => backoffs(settings),
        })
      } else {
        settings.logger.warn(
          'allowAutoTopicCreation: false is not enforced with SASL: whether a topic is created on first use is up to the brokers (auto.create.topics.enable)',
        )
      }
    }
  }

  /** Connects: bootstrap metadata and, when idempotent, a producer id. */
  async connect(): Promise<void> {
    const wasConnected = this.status === 'connected'
    try {
      this.brokers = await resolveBrokers(this.settings.brokers)
      await this.core(-1, NO_COMPRESSION, undefined).connect()
    } catch (error) {
      if (!wasConnected) await this.closeCores(0)
      throw toKafkaJSError(error)
    }
    this.status = 'connected'
    this.emitter.open()
    this.emitter.emit(PRODUCER_EVENTS.CONNECT, () => null)
  }

  /**
   * Disconnects: what was sent gets up to one request timeout to be acknowledged (then fails), and
   * the connections close. Sends while disconnecting are refused, as in kafkajs. The producer can
   * connect again.
   */
  async disconnect(): Promise<void> {
    this.status = 'disconnecting'
    this.current?.end()
    this.current = undefined
    try {
      await this.closeCores(this.settings.requestTimeoutMs)
      await this.probe?.close()
    } finally {
      this.status = 'disconnected'
      this.emitter.close()
      this.emitter.emit(PRODUCER_EVENTS.DISCONNECT, () => null)
    }
  }

  isIdempotent(): boolean {
    return this.settings.idempotent
  }

  /** Adds an instrumentation listener; returns its removal. */
  readonly on: Producer['on'] = (eventName: string, listener: (event: InstrumentationEvent<never>) => void) =>
    this.emitter.on(eventName, listener as (event: InstrumentationEvent<unknown>) => void)

  logger(): Logger {
    return this.settings.logger
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    const { acks, timeout, compression, topic, messages } = record ?? ({} as ProducerRecord)
    return this.sendBatch({ acks, timeout, compression, topicMessages: [{ topic, messages }] })
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const { acks = -1, timeout, compression, topicMessages = [] } = batch ?? {}
    validateBatch(topicMessages)
    if (this.settings.idempotent && acks !== -1) throw new KafkaJSNonRetriableError(NOT_ALL_ACKS)
    validateMessages(topicMessages)
    this.requireConnected()
    if (acks !== -1 && acks !== 0 && acks !== 1) throw protocolError(21) // INVALID_REQUIRED_ACKS, as a broker answers
    try {
      const codec = resolveCodec(compression)
      return await this.produce(this.core(acks, codec, timeout), topicMessages, acks)
    } catch (error) {
      throw toKafkaJSError(error)
    }
  }

  /** Begins a transaction; only what is sent through it belongs to it. */
  async transaction(): Promise<Transaction> {
    const transactionalId = this.settings.transactionalId
    if (!transactionalId) {
      throw new KafkaJSNonRetriableError('Must provide transactional id for transactional producer')
    }
    if (this.current?.isActive()) {
      throw new KafkaJSNonRetriableError(
        'There is already an ongoing transaction for this producer. Please end the transaction before beginning another.',
      )
    }
    this.requireConnected()
    const transaction = new KafkaJSTransaction(this, this.beginTransaction())
    this.current = transaction
    try {
      await transaction.started()
    } catch (error) {
      transaction.end()
      if (this.current === transaction) this.current = undefined
      throw error
    }
    return transaction.facade()
  }

  /** Begins a transaction on the transactional core producer (made and initialized on first use). */
  private async beginTransaction(): Promise<TransactionalCore> {
    this.transactional ??= this.makeTransactional(NO_COMPRESSION, undefined)
    const holder = await this.transactional
    try {
      holder.core.beginTransaction()
    } catch (error) {
      throw toKafkaJSError(error)
    }
    return holder
  }

  /** Sends topic messages through a core producer and answers as kafkajs does. */
  async produce(
    core: TributaryProducer,
    topicMessages: readonly TopicMessages[],
    acks: number,
  ): Promise<RecordMetadata[]> {
    if (invalidTopic(topicMessages) !== undefined) {
      // The brokers answer INVALID_TOPIC_EXCEPTION to the metadata request; kafkajs's retrier wraps
      // that non-retriable error in a KafkaJSNonRetriableError with the protocol error as cause.
      const invalid = protocolError(17)
      throw new KafkaJSNonRetriableError(invalid, { cause: invalid })
    }
    const now = Date.now()
    const records: CoreRecord[] = []
    const partitioning = this.settings.partitioning
    for (const { topic, messages } of topicMessages) {
      if (partitioning.kind === 'custom') {
        const partitionMetadata = messages.length === 0 ? [] : await partitionMetadataOf(core, topic)
        for (const message of messages) {
          const partition = partitioning.partition({ topic, partitionMetadata, message })
          if (!Number.isInteger(partition) || partition < 0 || partition >= partitionMetadata.length) {
            throw new KafkaJSNonRetriableError(
              `The partitioner returned ${String(partition)} for a message to topic "${topic}", which has ${partitionMetadata.length} partitions`,
            )
          }
          records.push(toRecord(topic, message, now, partition))
        }
      } else {
        for (const message of messages) records.push(toRecord(topic, message, now, partitionOf(message)))
      }
    }
    if (this.probe !== undefined && records.length > 0) {
      const probing = this.probe.ensure(
        topicMessages.filter((t) => t.messages.length > 0).map((t) => t.topic),
        this.brokers ?? [],
      )
      if (probing !== undefined) await probing
    }
    const results = await core.sendBatch(records)
    return toRecordMetadata(records, results, acks)
  }

  /** kafkajs refuses to send unless connected, with these errors. */
  requireConnected(): void {
    if (this.status === 'disconnecting') {
      throw new KafkaJSNonRetriableError(
        "The producer is disconnecting; therefore, it can't safely accept messages anymore",
      )
    }
    if (this.status === 'disconnected') throw new KafkaJSError('The producer is disconnected')
  }

  /** The core producer for one combination of acks, compression and timeout (created on first use). */
  private core(acks: -1 | 0 | 1, codec: ResolvedCodec, timeout: number | undefined): TributaryProducer {
    const requestTimeoutMs = timeout ?? this.settings.requestTimeoutMs
    const key = `${acks}|${codec.id}|${requestTimeoutMs}`
    let core = this.cores.get(key)
    if (core === undefined) {
      core = new TributaryProducer(this.options({ acks, codec: codec.codec, requestTimeoutMs, transactional: false }))
      this.cores.set(key, core)
      if (this.cores.size === MANY_VARIANTS) {
        this.settings.logger.warn(
          `This producer has sent with ${MANY_VARIANTS} combinations of acks, compression and timeout; each keeps its own connections to the brokers`,
        )
      }
    }
    return core
  }

  private options(variant: CoreVariant) {
    if (this.brokers === undefined) throw new KafkaJSError('The producer is disconnected')
    return coreOptions(this.settings, this.brokers, variant)
  }

  /** A transactional core producer with `codec`, initialized (InitProducerId), replacing `previous`. */
  private async makeTransactional(
    codec: ResolvedCodec,
    previous: TransactionalCore | undefined,
  ): Promise<TransactionalCore> {
    const core = new TributaryProducer(
      this.options({
        acks: -1,
        codec: codec.codec,
        requestTimeoutMs: this.settings.requestTimeoutMs,
        transactional: true,
      }),
    )
    try {
      // The previous one had nothing in its open transaction (see KafkaJSTransaction.coreFor).
      if (previous !== undefined) await previous.core.close({ timeoutMs: 0 })
      await core.connect()
      // disconnect() closed the core producers while this one was being made: it goes too.
      if (this.status !== 'connected') throw new KafkaJSError('The producer is disconnected')
    } catch (error) {
      await core.close({ timeoutMs: 0 }).catch(() => {})
      throw toKafkaJSError(error)
    }
    return { core, codecId: codec.id }
  }

  /**
   * For the first send of a transaction that has done nothing yet, with another compression than the
   * transactional core producer's: a new core producer with `codec` replaces it (a new InitProducerId;
   * the open transaction was empty), and the transaction begins on the new one.
   */
  async replaceTransactional(previous: TransactionalCore, codec: ResolvedCodec): Promise<TransactionalCore> {
    const next = this.makeTransactional(codec, previous)
    this.transactional = next
    next.catch(() => {
      if (this.transactional === next) this.transactional = undefined
    })
    const holder = await next
    try {
      holder.core.beginTransaction()
    } catch (error) {
      throw toKafkaJSError(error)
    }
    return holder
  }

  private async closeCores(timeoutMs: number): Promise<void> {
    const cores = [...this.cores.values()]
    const transactional = this.transactional
    this.cores.clear()
    this.transactional = undefined
    await Promise.allSettled([
      ...cores.map((core) => core.close({ timeoutMs })),
      transactional?.then((holder) => holder.core.close({ timeoutMs })),
    ])
  }
}

/** The transactional core producer and the compression it was made with. */
interface TransactionalCore {
  readonly core: TributaryProducer
  readonly codecId: string
}

/** One transaction (`producer.transaction()`): sends and offsets that commit or abort together. */
class KafkaJSTransaction {
  private ended = false
  private touched = false
  private warned = false
  private ready: Promise<TransactionalCore>

  constructor(
    private readonly producer: KafkaJSProducer,
    begun: Promise<TransactionalCore>,
  ) {
    this.ready = begun
  }

  /** Resolves once the transaction has begun; rejects when it could not. */
  async started(): Promise<void> {
    await this.ready
  }

  isActive(): boolean {
    return !this.ended
  }

  /** Ends it without a word to the coordinator (the producer disconnected). */
  end(): void {
    this.ended = true
  }

  /**
   * The core producer for a send with `codec`. A transactional id has one producer, which compresses
   * one way: the first send of a transaction that has done nothing yet may switch it to its
   * compression; a later send asking for another compression is written with the current one (the
   * consumers see the same records) and a warning is logged once.
   */
  private coreFor(codec: ResolvedCodec | undefined): Promise<TransactionalCore> {
    if (!this.touched) {
      this.touched = true
      if (codec !== undefined) {
        this.ready = this.ready.then((holder) =>
          holder.codecId === codec.id ? holder : this.producer.replaceTransactional(holder, codec),
        )
      }
      return this.ready
    }
    if (codec !== undefined) {
      this.ready = this.ready.then((holder) => {
        if (holder.codecId !== codec.id && !this.warned) {
          this.warned = true
          this.producer
            .logger()
            .warn(
              'A transaction sends with one compression: later messages asking for another are written with the compression of its first send',
              { transactionCompression: holder.codecId, requested: codec.id },
            )
        }
        return holder
      })
    }
    return this.ready
  }

  private async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const { acks = -1, compression, topicMessages = [] } = batch ?? {}
    validateBatch(topicMessages)
    if (acks !== -1) throw new KafkaJSNonRetriableError(NOT_ALL_ACKS)
    validateMessages(topicMessages)
    this.producer.requireConnected()
    try {
      const holder = await this.coreFor(resolveCodec(compression))
      return await this.producer.produce(holder.core, topicMessages, acks)
    } catch (error) {
      throw toKafkaJSError(error)
    }
  }

  private async sendOffsets(offsets: Offsets & { consumerGroupId: string }): Promise<void> {
    const { consumerGroupId, topics } = offsets ?? ({} as Offsets & { consumerGroupId: string })
    if (!consumerGroupId) throw new KafkaJSNonRetriableError('Missing consumerGroupId')
    if (!topics) throw new KafkaJSNonRetriableError('Missing offset topics')
    const list: TransactionOffset[] = []
    for (const { topic, partitions } of topics) {
      for (const p of partitions) {
        let offset: bigint
        try {
          offset = BigInt(p.offset)
        } catch {
          throw new KafkaJSNonRetriableError(`Invalid offset ${JSON.stringify(p.offset)} for ${topic}-${p.partition}`)
        }
        const metadata = (p as { metadata?: string | null }).metadata
        list.push(
          metadata === undefined
            ? { topic, partition: p.partition, offset }
            : { topic, partition: p.partition, offset, metadata },
        )
      }
    }
    try {
      const holder = await this.coreFor(undefined)
      await holder.core.sendOffsetsToTransaction(list, consumerGroupId)
    } catch (error) {
      throw toKafkaJSError(error)
    }
  }

  private async finish(commit: boolean): Promise<void> {
    try {
      const holder = await this.ready
      if (commit) await holder.core.commitTransaction()
      else await holder.core.abortTransaction()
    } catch (error) {
      throw toKafkaJSError(error)
    }
    this.ended = true
  }

  /** What `producer.transaction()` resolves with; every method but isActive refuses once it ended. */
  facade(): Transaction {
    const guard =
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> =>
        this.isActive()
          ? fn(...args)
          : Promise.reject(new KafkaJSNonRetriableError('Cannot continue to use transaction once ended'))
    return {
      send: guard((record: ProducerRecord) => {
        const { acks, timeout, compression, topic, messages } = record ?? ({} as ProducerRecord)
        return this.sendBatch({ acks, timeout, compression, topicMessages: [{ topic, messages }] })
      }),
      sendBatch: guard((batch: ProducerBatch) => this.sendBatch(batch)),
      sendOffsets: guard((offsets: Offsets & { consumerGroupId: string }) => this.sendOffsets(offsets)),
      commit: guard(() => this.finish(true)),
      abort: guard(() => this.finish(false)),
      isActive: () => this.isActive(),
    }
  }
}

function partitionOf(message: Message): number | undefined {
  const partition = message.partition
  return partition === null || partition === undefined ? undefined : partition
}

/** kafkajs's partition metadata for a custom partitioner, from the core producer's metadata. */
async function partitionMetadataOf(core: TributaryProducer, topic: string): Promise<PartitionMetadata[]> {
  const partitions = await core.partitionsFor(topic)
  return partitions.map((p) => ({
    partitionErrorCode: p.leader === null ? 5 : 0,
    partitionId: p.partition,
    leader: p.leader === null ? -1 : p.leader.nodeId,
    replicas: p.replicas.map((r) => r.nodeId),
    isr: p.isr.map((r) => r.nodeId),
    offlineReplicas: p.offlineReplicas.map((r) => r.nodeId),
  }))
}

/** kafkajs's backoffs, for the topic probe: each the previous times the multiplier, capped. */
function* backoffs(settings: ProducerSettings): Generator<number> {
  let backoff = settings.retryBackoffMs
  for (let i = 0; i < settings.retries; i++) {
    yield backoff
    backoff = Math.min(settings.retryBackoffMaxMs, backoff * Math.max(1, settings.multiplier))
  }
}
