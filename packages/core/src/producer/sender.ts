import type { ClusterMetadata } from '../cluster/metadata.js'
import type { Codec } from '../compression/codec.js'
import { AuthenticationError } from '../errors/authentication-error.js'
import { KafkaProtocolError } from '../errors/kafka-protocol-error.js'
import { RecordTooLargeError } from '../errors/record-too-large-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { TributaryError } from '../errors/tributary-error.js'
import type { BrokerConnection, BrokerPool } from '../network/broker-pool.js'
import { type ProduceRequest, type ProduceResponse, produce } from '../protocol/apis/produce/produce.js'
import { ErrorCodes, errorInfo } from '../protocol/error-codes.js'
import type { PartitionQueue, RecordAccumulator } from './accumulator.js'
import type { ProducerBatch } from './batch.js'
import type { ProducerIdentity } from './idempotence.js'
import type { TransactionManager } from './transactions.js'
import type { Logger } from './types.js'

/** What the sender needs to know of the producer's settings. */
export interface SenderOptions {
  acks: -1 | 0 | 1
  idempotent: boolean
  codec: Codec | null
  lingerMs: number
  maxInFlight: number
  requestTimeoutMs: number
  retryBackoffMs: number
  retryBackoffMaxMs: number
  maxRequestBytes: number
  logger: Logger
  /** Set for a transactional producer: partitions join the transaction before their first batch. */
  transactions?: TransactionManager | undefined
  /** Told when a partition's batch is taken for sending (sticky partitioners move on). */
  onBatchTaken?: (topic: string, partition: number) => void
}

/** Errors after which the producer should look up leaders again before retrying. */
const REFRESH_METADATA = new Set<number>([
  ErrorCodes.NOT_LEADER_OR_FOLLOWER,
  ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCodes.LEADER_NOT_AVAILABLE,
  ErrorCodes.FENCED_LEADER_EPOCH,
  ErrorCodes.UNKNOWN_LEADER_EPOCH,
  ErrorCodes.KAFKA_STORAGE_ERROR,
  ErrorCodes.NOT_ENOUGH_REPLICAS,
])

/** Kafka allows at most five batches in flight per partition for an idempotent producer. */
const MAX_IDEMPOTENT_IN_FLIGHT = 5

/**
 * Drains ready batches into Produce requests, one request per broker per drain, pipelined up to
 * `maxInFlight` per connection; settles records from the responses; retries what may be retried,
 * in sequence order, until each batch's delivery deadline.
 */
export class Sender {
  private readonly accumulator: RecordAccumulator
  private readonly metadata: ClusterMetadata
  private readonly pool: BrokerPool
  private readonly identity: ProducerIdentity
  private readonly options: SenderOptions
  private scheduled = false
  private draining = false
  private again = false
  private timer: NodeJS.Timeout | undefined
  private timerAt = 0
  private flushing = 0
  private bumpPending = false
  private totalInFlight = 0
  private readonly inFlightBatches = new Set<ProducerBatch>()
  private fatal: Error | undefined
  private readonly connecting = new Set<number>()

  constructor(
    accumulator: RecordAccumulator,
    metadata: ClusterMetadata,
    pool: BrokerPool,
    identity: ProducerIdentity,
    options: SenderOptions,
  ) {
    this.accumulator = accumulator
    this.metadata = metadata
    this.pool = pool
    this.identity = identity
    this.options = options
  }

  /** Sends everything buffered without waiting for linger, until `endFlush`. */
  beginFlush(): void {
    this.flushing++
    this.wakeup()
  }

  endFlush(): void {
    this.flushing--
  }

  /** Schedules a drain on the next turn of the event loop (coalesced). */
  wakeup(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.drain()
    })
  }

  /** A partition's batch got its first record at `now`: it is due after the linger, or at once when flushing. */
  batchOpened(now: number): void {
    if (this.flushing > 0) this.wakeup()
    else this.wakeAt(now + this.options.lingerMs)
  }

  /** Schedules a drain at `at` (ms since epoch), unless one is due sooner. */
  wakeAt(at: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timerAt = at
    this.timer = setTimeout(
      () => {
        this.timer = undefined
        this.wakeup()
      },
      Math.max(0, at - Date.now()),
    )
  }

  /** Stops timers; the caller has failed or completed every batch. */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  private async drain(): Promise<void> {
    if (this.draining) {
      this.again = true
      return
    }
    this.draining = true
    try {
      do {
        this.again = false
        await this.drainOnce()
      } while (this.again)
    } catch (error) {
      this.options.logger.error?.(`producer sender failed: ${(error as Error).message}`)
    } finally {
      this.draining = false
    }
  }

  private async drainOnce(): Promise<void> {
    const now = Date.now()
    const txn = this.options.transactions
    if (this.options.idempotent && !this.identity.initialized && txn === undefined) {
      this.initIdentity()
      return
    }
    this.metadata.maybeRefresh()?.then(() => this.wakeup())
    let nextWake = Number.POSITIVE_INFINITY
    const byNode = new Map<number, { connection: BrokerConnection; batches: ProducerBatch[]; bytes: number }>()
    const sealing: Array<Promise<void>> = []

    for (const q of this.accumulator.all()) {
      this.expire(q, now)
      const head = q.batches[0]
      if (head === undefined) continue
      if (this.bumpPending || this.fatal !== undefined) continue
      if (head.retryAt > now) {
        nextWake = Math.min(nextWake, head.retryAt)
        continue
      }
      if (head.metadataVersion > this.metadata.version) {
        this.metadata.requestUpdate()
        nextWake = Math.min(nextWake, now + this.options.retryBackoffMs)
        continue
      }
      if (!this.isReady(head, now)) {
        nextWake = Math.min(nextWake, head.createdAt + this.options.lingerMs)
        continue
      }
      if (txn !== undefined && !txn.isAdded(q.topic, q.partition)) {
        const error = txn.addError
        if (error !== undefined) this.failQueued(q, error)
        continue
      }
      const leader = this.metadata.leader(q.topic, q.partition)
      if (leader < 0) {
        this.metadata.requestUpdate()
        nextWake = Math.min(nextWake, now + this.options.retryBackoffMs)
        continue
      }
      const connection = this.pool.readyConnection(leader)
      if (connection === undefined) {
        this.connect(leader)
        continue
      }
      let entry = byNode.get(leader)
      if (entry === undefined) {
        if (connection.connection.inFlight >= this.options.maxInFlight) continue
        entry = { connection, batches: [], bytes: 0 }
        byNode.set(leader, entry)
      }
      if (this.options.idempotent && head.attempts > 0 && q.inflight > 0) continue
      if (this.options.idempotent && q.inflight >= MAX_IDEMPOTENT_IN_FLIGHT) continue
      if (entry.batches.length > 0 && entry.bytes + head.sizeBytes > this.options.maxRequestBytes) continue
      // One batch per partition per request: Kafka accepts exactly one (Produce v3+).
      q.batches.shift()
      if (!head.closed) this.options.onBatchTaken?.(q.topic, q.partition)
      head.closed = true
      if (head.bytes === null) sealing.push(this.seal(q, head))
      entry.batches.push(head)
      entry.bytes += head.sizeBytes
      this.takeOff(q, head)
    }
    if (sealing.length > 0) await Promise.all(sealing)
    let sent = false
    for (const { connection, batches } of byNode.values()) {
      if (batches.length === 0) continue
      this.sendRequest(connection, batches)
      sent = true
    }
    // Each partition gave one batch; the next ones go in the next request, pipelined.
    if (sent) this.wakeup()
    if (nextWake !== Number.POSITIVE_INFINITY) this.wakeAt(nextWake)
  }

  private isReady(batch: ProducerBatch, now: number): boolean {
    return batch.closed || batch.bytes !== null || this.flushing > 0 || now - batch.createdAt >= this.options.lingerMs
  }

  private async seal(q: PartitionQueue, batch: ProducerBatch): Promise<void> {
    let baseSequence = -1
    if (this.options.idempotent) {
      baseSequence = q.nextSequence
      q.nextSequence = (q.nextSequence + batch.recordCount) % 0x80000000
    }
    await batch.seal(
      this.options.codec,
      this.identity.producerId,
      this.identity.producerEpoch,
      baseSequence,
      this.options.transactions !== undefined,
    )
  }

  private connect(nodeId: number): void {
    if (this.connecting.has(nodeId)) return
    this.connecting.add(nodeId)
    this.pool.get(nodeId).then(
      () => {
        this.connecting.delete(nodeId)
        this.wakeup()
      },
      (error: unknown) => {
        this.connecting.delete(nodeId)
        this.options.logger.warn?.(`cannot connect to broker ${nodeId}: ${(error as Error).message}`)
        if (AuthenticationError.isInstance(error)) {
          // Not retriable: fail what waits for this broker now instead of reconnecting until the
          // delivery timeout (the pool replays the failure to new attempts for a while).
          for (const q of this.accumulator.all()) {
            if (this.metadata.leader(q.topic, q.partition) === nodeId) this.failQueued(q, error)
          }
          return
        }
        this.metadata.requestUpdate()
        this.wakeAt(Date.now() + this.options.retryBackoffMs)
      },
    )
  }

  private sendRequest(connection: BrokerConnection, batches: ProducerBatch[]): void {
    const topics = new Map<string, ProduceRequest['topicData'][number]>()
    for (const batch of batches) {
      let topic = topics.get(batch.topic)
      if (topic === undefined) {
        topic = { name: batch.topic, partitionData: [] }
        topics.set(batch.topic, topic)
      }
      topic.partitionData.push({ index: batch.partition, records: batch.bytes })
      batch.attempts++
      batch.sent = true
    }
    const request: ProduceRequest = {
      transactionalId: this.options.transactions?.transactionalId ?? null,
      acks: this.options.acks,
      timeoutMs: this.options.requestTimeoutMs,
      topicData: [...topics.values()],
    }
    if (this.options.acks === 0) {
      try {
        connection.connection.sendWithoutResponse(produce, connection.version(produce), request)
        for (const batch of batches) this.succeed(batch, -1n, -1n)
      } catch (error) {
        this.onRequestError(batches, error)
      }
      return
    }
    connection.send(produce, request).then(
      (response) => this.onResponse(batches, response),
      (error: unknown) => this.onRequestError(batches, error),
    )
  }

  private onResponse(batches: ProducerBatch[], response: ProduceResponse): void {
    for (const batch of batches) {
      const answer = response.responses
        .find((t) => t.name === batch.topic)
        ?.partitionResponses.find((p) => p.index === batch.partition)
      if (answer === undefined) {
        this.retryOrFail(
          batch,
          new KafkaProtocolError(ErrorCodes.UNKNOWN_SERVER_ERROR, {
            topic: batch.topic,
            partition: batch.partition,
            brokerMessage: 'no answer for this partition in the Produce response',
          }),
          false,
        )
        continue
      }
      const code = answer.errorCode
      if (code === ErrorCodes.NONE || code === ErrorCodes.DUPLICATE_SEQUENCE_NUMBER) {
        this.succeed(batch, answer.baseOffset, answer.logAppendTimeMs ?? -1n)
        continue
      }
      const error = new KafkaProtocolError(code, {
        topic: batch.topic,
        partition: batch.partition,
        brokerMessage: answer.errorMessage ?? null,
      })
      this.handleError(batch, code, error)
    }
    this.wakeup()
  }

  private onRequestError(batches: ProducerBatch[], error: unknown): void {
    this.metadata.requestUpdate()
    const err = error instanceof Error ? error : new Error(String(error))
    for (const batch of batches) {
      batch.metadataVersion = this.metadata.version + 1
      this.retryOrFail(batch, err, TributaryError.isInstance(err) ? err.retriable : false)
    }
    this.wakeup()
  }

  private handleError(batch: ProducerBatch, code: number, error: KafkaProtocolError): void {
    const q = this.accumulator.queue(batch.topic, batch.partition)
    if (REFRESH_METADATA.has(code)) {
      this.metadata.requestUpdate()
      batch.metadataVersion = this.metadata.version + 1
    }
    const txn = this.options.transactions
    if (txn !== undefined) {
      if (code === ErrorCodes.INVALID_PRODUCER_EPOCH || code === ErrorCodes.PRODUCER_FENCED) {
        this.finish(batch, txn.fence(code, error))
        return
      }
      // A transactional producer does not bump its epoch: the transaction fails and must be aborted.
      if (code === ErrorCodes.UNKNOWN_PRODUCER_ID || code === ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER) {
        this.finish(batch, error)
        return
      }
    }
    if (this.options.idempotent && txn === undefined) {
      if (code === ErrorCodes.UNKNOWN_PRODUCER_ID) {
        this.requestEpochBump(`broker lost producer state for ${batch.topic}-${batch.partition}`)
        this.retryOrFail(batch, error, true)
        return
      }
      if (code === ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER) {
        // Out of order because an earlier batch failed: retry behind it. If this was the next
        // batch the broker should have accepted, its state is gone: bump the epoch and resend.
        if (batch.baseSequence === (q.lastAckedSequence + 1) % 0x80000000) {
          this.requestEpochBump(`out of order sequence at ${batch.topic}-${batch.partition}`)
        }
        this.retryOrFail(batch, error, true)
        return
      }
    }
    if (code === ErrorCodes.MESSAGE_TOO_LARGE || code === ErrorCodes.RECORD_LIST_TOO_LARGE) {
      this.finish(
        batch,
        new RecordTooLargeError(batch.sizeBytes, -1, {
          limitName: "the broker's max.message.bytes",
          topic: batch.topic,
          partition: batch.partition,
        }),
      )
      return
    }
    this.retryOrFail(batch, error, errorInfo(code).retriable)
  }

  /** A batch goes in flight. */
  private takeOff(q: PartitionQueue, batch: ProducerBatch): void {
    q.inflight++
    this.totalInFlight++
    this.inFlightBatches.add(batch)
  }

  /**
   * A batch comes back (answered or failed); false when it was already settled meanwhile (close
   * with a timeout aborted it), and the outcome must be ignored.
   */
  private land(batch: ProducerBatch): PartitionQueue | undefined {
    if (!this.inFlightBatches.delete(batch)) return undefined
    const q = this.accumulator.queue(batch.topic, batch.partition)
    q.inflight--
    this.totalInFlight--
    return q
  }

  private retryOrFail(batch: ProducerBatch, error: Error, retriable: boolean): void {
    const q = this.land(batch)
    if (q === undefined) return
    const now = Date.now()
    if (!retriable || this.fatal !== undefined) {
      this.complete(q, batch, error)
      return
    }
    if (now >= batch.deadline) {
      this.complete(
        q,
        batch,
        new TimeoutError(
          `delivery of ${batch.recordCount} record(s) to ${batch.topic}-${batch.partition} timed out after ${batch.attempts} attempt(s); last error: ${error.message}`,
          { cause: error },
        ),
      )
      return
    }
    const backoff = Math.min(this.options.retryBackoffMs * 2 ** (batch.attempts - 1), this.options.retryBackoffMaxMs)
    batch.retryAt = now + backoff * (0.8 + Math.random() * 0.4)
    this.options.logger.debug?.(`retrying ${batch.topic}-${batch.partition} after ${error.message}`)
    q.requeue(batch)
    this.maybeBump()
    this.wakeAt(batch.retryAt)
  }

  private succeed(batch: ProducerBatch, baseOffset: bigint, logAppendTime: bigint): void {
    const q = this.land(batch)
    if (q === undefined) return
    if (batch.baseSequence >= 0) {
      q.lastAckedSequence = (batch.baseSequence + batch.recordCount - 1) % 0x80000000
    }
    batch.complete(baseOffset, logAppendTime)
    this.accumulator.release(batch)
    this.maybeBump()
  }

  private complete(_q: PartitionQueue, batch: ProducerBatch, error: Error): void {
    this.options.transactions?.markAbortable(error)
    batch.fail(error)
    this.accumulator.release(batch)
    this.maybeBump()
  }

  private finish(batch: ProducerBatch, error: Error): void {
    const q = this.land(batch)
    if (q === undefined) return
    this.complete(q, batch, error)
  }

  /** Fails batches (not in flight) whose delivery deadline passed. */
  private expire(q: PartitionQueue, now: number): void {
    for (let i = 0; i < q.batches.length; ) {
      const batch = q.batches[i] as ProducerBatch
      if (batch.deadline > now || (batch.recordCount === 0 && !batch.closed)) {
        i++
        continue
      }
      q.batches.splice(i, 1)
      if (batch.sent && this.options.idempotent) this.requestEpochBump('a batch expired after it was sent')
      batch.closed = true
      batch.fail(
        new TimeoutError(
          `delivery of ${batch.recordCount} record(s) to ${q.topic}-${q.partition} timed out after ${now - batch.createdAt} ms${batch.attempts > 0 ? ` and ${batch.attempts} attempt(s)` : ' (no broker took the batch)'}`,
        ),
      )
      this.accumulator.release(batch)
    }
  }

  private requestEpochBump(reason: string): void {
    if (this.bumpPending) return
    this.options.logger.warn?.(`bumping the producer epoch: ${reason}`)
    this.bumpPending = true
  }

  /** Once nothing is in flight, bumps the epoch and renumbers every unacknowledged batch from 0. */
  private maybeBump(): void {
    if (!this.bumpPending || this.totalInFlight > 0 || this.bumping) return
    this.bumping = true
    const deadline = Date.now() + this.options.requestTimeoutMs * 2
    this.identity.init(deadline, true).then(
      () => {
        for (const q of this.accumulator.all()) {
          q.nextSequence = 0
          q.lastAckedSequence = -1
          for (const batch of q.batches) {
            if (batch.bytes === null) continue
            batch.resequence(this.identity.producerId, this.identity.producerEpoch, q.nextSequence)
            q.nextSequence = (q.nextSequence + batch.recordCount) % 0x80000000
          }
        }
        this.bumping = false
        this.bumpPending = false
        this.wakeup()
      },
      (error: unknown) => {
        this.bumping = false
        this.options.logger.error?.(`cannot bump the producer epoch: ${(error as Error).message}`)
        this.wakeAt(Date.now() + this.options.retryBackoffMaxMs)
      },
    )
  }

  private bumping = false
  private initializing = false

  /** Gets the first producer id; batches wait for it. A failure fails every buffered record. */
  private initIdentity(): void {
    if (this.initializing) return
    this.initializing = true
    let deadline = Number.POSITIVE_INFINITY
    for (const q of this.accumulator.all()) for (const b of q.batches) deadline = Math.min(deadline, b.deadline)
    if (deadline === Number.POSITIVE_INFINITY) deadline = Date.now() + this.options.requestTimeoutMs
    this.identity.init(deadline).then(
      () => {
        this.initializing = false
        this.wakeup()
      },
      (error: unknown) => {
        this.initializing = false
        const err = error instanceof Error ? error : new Error(String(error))
        this.options.logger.error?.(`cannot get a producer id: ${err.message}`)
        this.abortAll(err)
      },
    )
  }

  /** Fails every batch that is not in flight (an abort, or a fatal error). */
  abortAll(error: Error): void {
    for (const q of this.accumulator.all()) this.failQueued(q, error)
  }

  /** Fails every batch, in flight ones too, whose answers are then ignored (close with a timeout). */
  abortEverything(error: Error): void {
    this.abortAll(error)
    for (const batch of [...this.inFlightBatches]) this.finish(batch, error)
  }

  private failQueued(q: PartitionQueue, error: Error): void {
    for (const batch of q.batches.splice(0)) {
      batch.closed = true
      batch.fail(error)
      this.accumulator.release(batch)
    }
  }

  /** Batches in flight across all brokers. */
  get inFlight(): number {
    return this.totalInFlight
  }
}
