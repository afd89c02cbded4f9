import type { ClusterMetadata } from '../cluster/metadata.js'
import {
  listened,
  type ProducerIdEvent,
  producerIdChannel,
  type RequestEvent,
  type RetryEvent,
  requestChannel,
  retryChannel,
} from '../diagnostics/channels.js'
import type { MetricsRecorder } from '../diagnostics/metrics.js'
import { AuthenticationError } from '../errors/authentication-error.js'
import { CompressionError } from '../errors/compression-error.js'
import { KafkaProtocolError } from '../errors/kafka-protocol-error.js'
import { LeaderNotAvailableError } from '../errors/leader-not-available-error.js'
import { RecordTooLargeError } from '../errors/record-too-large-error.js'
import { RetriesExhaustedError } from '../errors/retries-exhausted-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { toError } from '../errors/to-error.js'
import { TransactionStateError } from '../errors/transaction-state-error.js'
import { TributaryError } from '../errors/tributary-error.js'
import type { BrokerConnection, BrokerPool } from '../network/broker-pool.js'
import type { Codec } from '../plugins.js'
import type { RecordAccumulator } from '../producer/accumulator.js'
import type { ProducerBatch } from '../producer/batch.js'
import type { TransactionManager } from '../producer/transactions.js'
import type { Logger } from '../producer/types.js'
import { type ProduceRequest, type ProduceResponse, produce } from '../protocol/apis/produce/produce.js'
import { ErrorCodes, errorInfo } from '../protocol/error-codes.js'
import { type BackoffPolicy, backoffMs } from '../retry.js'
import type { PartitionQueue, WaitReason } from './partition-queue.js'
import type { ProducerIdentity } from './producer-id.js'

/** What the sender needs to know of the producer's settings. */
export interface SenderOptions {
  acks: -1 | 0 | 1
  idempotent: boolean
  codec: Codec | null
  /**
   * How long a batch waits for more records; undefined for adaptive lingering: a batch goes as soon
   * as its broker has no Produce request in flight, and records accumulate while one is.
   */
  lingerMs: number | undefined
  maxInFlight: number
  requestTimeoutMs: number
  /** Times a failed batch is sent again before its records fail (MAX_INT32: until the deadline). */
  retries: number
  retryBackoffMs: number
  retryBackoffMaxMs: number
  maxRequestBytes: number
  logger: Logger
  /** Set for a transactional producer: partitions join the transaction before their first batch. */
  transactions?: TransactionManager | undefined
  /** Named in diagnostics events. */
  clientId: string
  /** Where the sender reports what it does. */
  metrics: MetricsRecorder
  /** Told when a partition's batch is taken for sending (sticky partitioners move on). */
  onBatchTaken?: ((topic: string, partition: number) => void) | undefined
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

/** A partition's batch taken for a request, while it is compressed and sealed. */
interface Taken {
  q: PartitionQueue
  batch: ProducerBatch
  leader: number
  connection: BrokerConnection
  compressing?: Promise<void> | undefined
  failure?: Error | undefined
}

/**
 * Drains ready batches into Produce requests, one request per broker per drain, pipelined up to
 * `maxInFlight` per connection; settles records from the responses; retries what may be retried,
 * in sequence order, until each batch's delivery deadline — which holds for batches in flight
 * too: whatever a broker answers, or does not, every record settles by its deadline.
 */
export class Sender {
  private readonly accumulator: RecordAccumulator
  private readonly metadata: ClusterMetadata
  private readonly pool: BrokerPool
  private readonly identity: ProducerIdentity
  private readonly options: SenderOptions
  private readonly backoff: BackoffPolicy
  private scheduled = false
  private draining = false
  private again = false
  private timer: NodeJS.Timeout | undefined
  private timerAt = 0
  private flushing = 0
  private totalInFlight = 0
  /** Batches taken from their queue whose request has not ended (sealing, or in a request). */
  private readonly inFlightBatches = new Set<ProducerBatch>()
  private readonly connecting = new Set<number>()
  /** Produce requests in flight per broker (for adaptive lingering). */
  private readonly produceInFlight = new Map<number, number>()
  /** Brokers that asked for a pause (throttle time in their answers), until when. */
  private readonly throttledUntil = new Map<number, number>()
  private stopped = false

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
    this.backoff = { initialMs: options.retryBackoffMs, maxMs: options.retryBackoffMaxMs }
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
    if (this.scheduled || this.stopped) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.drain()
    })
  }

  /** A partition's batch got its first record at `now`: it is due after the linger, or at once when flushing. */
  batchOpened(now: number): void {
    const linger = this.options.lingerMs
    if (this.flushing > 0 || linger === undefined) this.wakeup()
    else this.wakeAt(now + linger)
  }

  /** Schedules a drain at `at` (ms since epoch), unless one is due sooner. */
  wakeAt(at: number): void {
    if (this.stopped) return
    if (at <= Date.now()) {
      this.wakeup()
      return
    }
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
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Batches in flight across all brokers. */
  get inFlight(): number {
    return this.totalInFlight
  }

  /** Why the head batch of a partition waited at the last drain, if it did. */
  waitingFor(topic: string, partition: number): WaitReason | undefined {
    return this.accumulator.queue(topic, partition).waitingFor
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
      } while (this.again && !this.stopped)
    } catch (error) {
      // A bug must not stop the producer for good: log it and drain again after a backoff.
      this.options.logger.error?.(`producer sender failed: ${toError(error).message}`, { error })
      this.wakeAt(Date.now() + this.options.retryBackoffMs)
    } finally {
      this.draining = false
    }
  }

  private async drainOnce(): Promise<void> {
    const now = Date.now()
    let nextWake = this.expire(now)
    this.metadata.maybeRefresh()?.then(() => this.wakeup())
    const txn = this.options.transactions
    const stopAll = txn?.fatal ?? txn?.abortError
    const taken: Taken[] = []
    const slots = new Map<number, { count: number; bytes: number }>()

    for (const q of this.accumulator.all()) {
      const head = q.batches[0]
      if (head === undefined) continue
      if (stopAll !== undefined) {
        this.failQueued(q, abortableError(stopAll))
        continue
      }
      const wait = this.gate(q, head, now, slots)
      q.waitingFor = wait?.reason
      if (wait !== undefined) {
        if (wait.at !== undefined && wait.at < nextWake) nextWake = wait.at
        continue
      }
      // One batch per partition per request: Kafka accepts exactly one (Produce v3+).
      q.batches.shift()
      if (!head.closed) this.batchTaken(q)
      head.closed = true
      const leader = this.metadata.leader(q.topic, q.partition)
      const connection = this.pool.readyConnection(leader) as BrokerConnection
      const slot = slots.get(leader) ?? { count: 0, bytes: 0 }
      slot.count++
      slot.bytes += head.bytes?.length ?? head.sizeBytes
      slots.set(leader, slot)
      this.takeOff(q, head)
      taken.push({ q, batch: head, leader, connection })
    }

    if (taken.length > 0) {
      await this.compressAll(taken)
      const byNode = new Map<number, { connection: BrokerConnection; batches: ProducerBatch[] }>()
      for (const t of taken) {
        let ready: boolean
        try {
          ready = this.readyToSend(t)
        } catch (error) {
          // Sealing a batch must not leave it in flight for ever, whatever went wrong.
          const landed = this.land(t.batch)
          const failure = TributaryError.isInstance(error)
            ? error
            : new TributaryError(
                `could not seal a batch for ${t.batch.topic}-${t.batch.partition}: ${toError(error).message}`,
                {
                  cause: error,
                },
              )
          if (landed !== undefined) this.fail(landed, t.batch, failure, t.batch.sequence >= 0)
          continue
        }
        if (!ready) continue
        let entry = byNode.get(t.leader)
        if (entry === undefined) {
          entry = { connection: t.connection, batches: [] }
          byNode.set(t.leader, entry)
        }
        entry.batches.push(t.batch)
      }
      for (const [nodeId, { connection, batches }] of byNode) this.sendRequest(nodeId, connection, batches)
      // Each partition gave one batch; the next ones go in the next request, pipelined.
      this.wakeup()
    }
    if (nextWake !== Number.POSITIVE_INFINITY) this.wakeAt(nextWake)
  }

  /**
   * Whether the head batch of a partition may go now, or what it waits for (and when to look
   * again, if a time is known; otherwise an event wakes the sender).
   */
  private gate(
    q: PartitionQueue,
    head: ProducerBatch,
    now: number,
    slots: Map<number, { count: number; bytes: number }>,
  ): { reason: WaitReason; at?: number } | undefined {
    const o = this.options
    if (head.retryAt > now) return { reason: 'retry backoff', at: head.retryAt }
    if (head.metadataVersion > this.metadata.version) {
      this.metadata.requestUpdate()
      return { reason: 'newer metadata', at: now + o.retryBackoffMs }
    }
    const identity = this.identityGate(q, head, now)
    if (identity !== undefined) return { reason: identity }
    const txn = o.transactions
    if (txn !== undefined && !txn.isAdded(q.topic, q.partition)) {
      const error = txn.addError
      if (error !== undefined) this.failQueued(q, error)
      return { reason: 'the partition to join the transaction' }
    }
    const leader = this.metadata.leader(q.topic, q.partition)
    if (leader < 0) {
      this.metadata.requestUpdate()
      head.lastError ??= new LeaderNotAvailableError(q.topic, q.partition)
      return { reason: 'a leader', at: now + o.retryBackoffMs }
    }
    if (!this.isReady(head, now, leader)) {
      return o.lingerMs === undefined
        ? { reason: 'the answer to the request in flight to its broker' }
        : { reason: 'linger', at: head.createdAt + o.lingerMs }
    }
    const connection = this.pool.readyConnection(leader)
    if (connection === undefined) {
      this.connect(leader)
      return { reason: 'a connection to the leader' }
    }
    const throttled = this.throttledUntil.get(leader)
    if (throttled !== undefined) {
      if (throttled > now) return { reason: 'the broker to end its throttling', at: throttled }
      this.throttledUntil.delete(leader)
    }
    if (o.idempotent) {
      // A retry goes only when nothing of its partition is in flight, so that it is written
      // before the batches after it; at most five batches of a partition are in flight.
      if ((head.sequence >= 0 && q.inFlight > 0) || q.inFlight >= MAX_IDEMPOTENT_IN_FLIGHT) {
        return { reason: 'earlier batches of the partition in flight' }
      }
      if (head.sequence < 0) {
        const resolution = q.resolution()
        if (resolution === 'reset') {
          this.afterLanding(q)
          this.wakeup()
          return { reason: 'an epoch bump' }
        }
        if (resolution !== 'resolved') return { reason: 'the outcome of an expired batch' }
      }
    }
    const slot = slots.get(leader)
    if (slot === undefined) {
      if (connection.connection.inFlight >= o.maxInFlight) return { reason: 'a free request slot on the connection' }
    } else if (slot.bytes + (head.bytes?.length ?? head.sizeBytes) > o.maxRequestBytes) {
      return { reason: 'room in the request' }
    }
    return undefined
  }

  /**
   * Whether a batch may go: full, sealed (a retry), flushing, or lingered enough. Lingering is
   * adaptive by default: a batch goes at once when its broker has no Produce request in flight, and
   * waits for the answer when one is (records sent meanwhile join it), as franz-go does; an explicit
   * `lingerMs` waits that long, as the Java client does.
   */
  private isReady(batch: ProducerBatch, now: number, leader: number): boolean {
    if (batch.closed || batch.bytes !== null || this.flushing > 0) return true
    const linger = this.options.lingerMs
    if (linger === undefined) return (this.produceInFlight.get(leader) ?? 0) === 0
    return now - batch.createdAt >= linger
  }

  /**
   * Whether a partition's head batch may be sealed and sent as far as its producer identity goes:
   * undefined when it may, else what it waits for. Restarts the partition's sequences (a pending
   * reset, or the newest epoch once it has nothing outstanding) and starts InitProducerId when an
   * id is needed.
   */
  private identityGate(q: PartitionQueue, head: ProducerBatch, now: number): WaitReason | undefined {
    const o = this.options
    if (!o.idempotent) return undefined
    const id = this.identity
    const txn = o.transactions
    if (q.resetPending && q.inFlight > 0) return 'an epoch bump'
    // Nothing of the partition outstanding: the head is new and nothing is in flight.
    const fresh = head.sequence < 0 && q.inFlight === 0
    const stale = q.producerId !== id.producerId || q.epoch !== id.producerEpoch
    if (q.resetPending || q.producerId < 0 || (fresh && stale)) {
      if (!id.initialized) {
        if (txn === undefined) this.initProducerId(now)
        return 'a producer id'
      }
      if (q.resetPending || fresh) {
        if (q.resetPending && q.producerId >= 0) {
          this.options.logger.warn?.(
            `${q.topic}-${q.partition}: sequences restart at 0 under producer ${id.producerId} epoch ${id.producerEpoch}`,
          )
        }
        q.restart(id.producerId, id.producerEpoch)
        return undefined
      }
    }
    // A transactional producer never seals a new batch with an epoch older than the transaction's.
    if (txn !== undefined && stale && head.sequence < 0) return 'an epoch bump'
    return undefined
  }

  /** Gets a producer id for the batches waiting; a failure that waiting cannot cure fails them. */
  private initProducerId(now: number): void {
    if (this.identity.state === 'initializing') return
    let deadline = Number.POSITIVE_INFINITY
    for (const q of this.accumulator.all()) for (const b of q.batches) deadline = Math.min(deadline, b.deadline)
    if (deadline === Number.POSITIVE_INFINITY) return
    this.identity.init(Math.max(deadline, now + this.options.retryBackoffMs)).then(
      () => {
        if (producerIdChannel.hasSubscribers) {
          const event: ProducerIdEvent = {
            clientId: this.options.clientId,
            producerId: this.identity.producerId,
            producerEpoch: this.identity.producerEpoch,
            kind: 'init',
            reason: 'InitProducerId',
          }
          producerIdChannel.publish(event)
        }
        this.wakeup()
      },
      (error: unknown) => {
        const err = toError(error)
        // Closing the producer ends the attempt: that is not worth an error line.
        if (this.stopped) return
        this.options.logger.error?.(`cannot get a producer id: ${err.message}`)
        if (TributaryError.isInstance(err) && !err.retriable && !TimeoutError.isInstance(err)) this.abortAll(err)
        this.wakeAt(Date.now() + this.options.retryBackoffMaxMs)
      },
    )
  }

  /**
   * A partition's sequences cannot go on (the broker lost the producer's state, or has a gap it
   * will never get): they restart at 0 under a newer epoch once nothing of the partition is in
   * flight. The epoch goes up once for the partitions on the newest one; others keep theirs until
   * they have nothing outstanding. A transactional producer only bumps when the transaction is
   * aborted: the transaction becomes abortable instead.
   */
  private resetPartition(q: PartitionQueue, reason: string, newId = false): void {
    const txn = this.options.transactions
    if (txn !== undefined) {
      txn.requireEpochBump()
      txn.markAbortable(new TransactionStateError(`${reason}; abort the transaction`))
      return
    }
    if (q.resetPending && !newId) return
    q.resetPending = true
    const id = this.identity
    if (newId || (q.producerId === id.producerId && q.epoch === id.producerEpoch)) {
      id.bump(newId)
      if (id.initialized && producerIdChannel.hasSubscribers) {
        const event: ProducerIdEvent = {
          clientId: this.options.clientId,
          producerId: id.producerId,
          producerEpoch: id.producerEpoch,
          kind: 'bump',
          reason,
          topic: q.topic,
          partition: q.partition,
        }
        producerIdChannel.publish(event)
      }
    }
    this.options.logger.warn?.(
      `${q.topic}-${q.partition}: ${reason}; ${id.initialized ? `moving to epoch ${id.producerEpoch}` : 'getting a new producer id'}`,
    )
  }

  /** After a transactional epoch bump: every partition restarts its sequences under the new epoch. */
  restartSequences(): void {
    for (const q of this.accumulator.all()) if (q.producerId >= 0) q.resetPending = true
  }

  /**
   * True when some partition gave up a batch whose outcome the broker never told: a transactional
   * producer must bump its epoch when it aborts.
   */
  get hasUnresolvedSequences(): boolean {
    for (const q of this.accumulator.all()) if (q.resolution() !== 'resolved' || q.resetPending) return true
    return false
  }

  /** Compresses the taken batches that need it, at most until each one's delivery deadline. */
  private async compressAll(taken: Taken[]): Promise<void> {
    const codec = this.options.codec
    if (codec === null) return
    let waiting: Array<Promise<void>> | undefined
    for (const t of taken) {
      if (t.batch.compressed !== null || t.batch.bytes !== null) continue
      const batch = t.batch
      const fail = (error: unknown) => {
        t.failure ??= new CompressionError(codec.name, batch.topic, batch.partition, error)
      }
      const accept = (out: unknown) => {
        if (Buffer.isBuffer(out)) batch.compressed = out
        else fail(new TypeError(`compress returned ${out === null ? 'null' : typeof out}, not a Buffer`))
      }
      let out: Buffer | Promise<Buffer>
      try {
        out = codec.compress(batch.records())
      } catch (error) {
        fail(error)
        continue
      }
      if (!(out instanceof Promise)) {
        accept(out)
        continue
      }
      waiting ??= []
      waiting.push(
        untilDeadline(out.then(accept, fail), batch.deadline).then((finished) => {
          if (!finished && batch.compressed === null) {
            t.failure ??= new TimeoutError(
              `the ${codec.name} codec did not finish compressing a batch for ${batch.topic}-${batch.partition} within its delivery timeout (${batch.timeoutMs} ms)`,
              { timeoutMs: batch.timeoutMs },
            )
          }
        }),
      )
    }
    if (waiting !== undefined) await Promise.all(waiting)
  }

  /** Seals a taken batch (sequence, header, CRC); false when it must not be sent after all. */
  private readyToSend(t: Taken): boolean {
    const { q, batch } = t
    if (t.failure !== undefined) {
      const landed = this.land(batch)
      if (landed !== undefined) this.fail(landed, batch, t.failure, batch.sequence >= 0)
      return false
    }
    if (batch.done) {
      // Expired or aborted while it was compressed: it never goes out.
      const landed = this.land(batch)
      if (landed !== undefined) {
        if (batch.sequence >= 0) landed.abandon(batch)
        this.accumulator.release(batch)
        this.afterLanding(landed)
      }
      return false
    }
    const o = this.options
    if (o.idempotent && batch.sequence < 0) {
      batch.sequence = q.nextSequence
      q.nextSequence += batch.recordCount
    }
    const pid = o.idempotent ? q.producerId : -1n
    const epoch = o.idempotent ? q.epoch : -1
    const sequence = o.idempotent ? batch.sequence : -1
    if (batch.bytes === null) {
      batch.seal(o.codec?.type ?? 0, pid, epoch, sequence, o.transactions !== undefined)
    } else if (batch.producerId !== pid || batch.producerEpoch !== epoch || batch.sealedSequence !== sequence) {
      batch.resequence(pid, epoch, sequence)
    }
    return true
  }

  private batchTaken(q: PartitionQueue): void {
    const hook = this.options.onBatchTaken
    if (hook === undefined) return
    try {
      hook(q.topic, q.partition)
    } catch (error) {
      this.options.logger.warn?.(`the partitioner's onBatchClosed threw: ${toError(error).message}`, { error })
    }
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
        this.options.logger.warn?.(`cannot connect to broker ${nodeId}: ${toError(error).message}`)
        if (AuthenticationError.isInstance(error)) {
          // Not retriable: fail what waits for this broker now instead of reconnecting until the
          // delivery timeout (the pool replays the failure to new attempts for a while).
          for (const q of this.accumulator.all()) {
            if (this.metadata.leader(q.topic, q.partition) === nodeId) this.failQueued(q, error)
          }
          return
        }
        for (const q of this.accumulator.all()) {
          const head = q.batches[0]
          if (head !== undefined && this.metadata.leader(q.topic, q.partition) === nodeId)
            head.lastError = toError(error)
        }
        this.metadata.requestUpdate()
        this.wakeAt(Date.now() + this.options.retryBackoffMs)
      },
    )
  }

  private sendRequest(nodeId: number, connection: BrokerConnection, batches: ProducerBatch[]): void {
    const topics = new Map<string, ProduceRequest['topicData'][number]>()
    const now = Date.now()
    const metrics = this.options.metrics
    const compressed = this.options.codec !== null
    let records = 0
    let bytes = 0
    const broker = { nodeId, host: connection.connection.host, port: connection.connection.port }
    for (const batch of batches) {
      let topic = topics.get(batch.topic)
      if (topic === undefined) {
        topic = { name: batch.topic, partitionData: [] }
        topics.set(batch.topic, topic)
      }
      const size = batch.bytes?.length ?? 0
      topic.partitionData.push({ index: batch.partition, records: batch.bytes })
      batch.attempts++
      batch.sent = true
      batch.broker = broker
      records += batch.recordCount
      bytes += size
      metrics.batchSent(batch.topic, batch.recordCount, batch.sizeBytes, size, compressed, now)
    }
    metrics.requestSent(nodeId, records, bytes, now)
    const request: ProduceRequest = {
      transactionalId: this.options.transactions?.transactionalId ?? null,
      acks: this.options.acks,
      timeoutMs: this.options.requestTimeoutMs,
      topicData: [...topics.values()],
    }
    const trace = listened(requestChannel) ? this.requestEvent(nodeId, connection, batches, records, bytes) : undefined
    if (trace !== undefined) {
      requestChannel.start.publish(trace)
      requestChannel.end.publish(trace)
    }
    if (this.options.acks === 0) {
      try {
        connection.connection.sendWithoutResponse(produce, connection.version(produce), request)
        this.requestEnded(nodeId, now, 0, trace, undefined)
        for (const batch of batches) this.succeed(batch, -1n, -1n)
      } catch (error) {
        this.requestEnded(nodeId, now, 0, trace, toError(error))
        this.onRequestError(batches, error)
      }
      return
    }
    const version = connection.version(produce)
    this.produceInFlight.set(nodeId, (this.produceInFlight.get(nodeId) ?? 0) + 1)
    connection.send(produce, request).then(
      (response) => {
        // Since Produce v6 the broker answers at once and the client holds back for the throttle time (KIP-219).
        const throttle = version >= 6 ? (response.throttleTimeMs ?? 0) : 0
        if (throttle > 0) this.throttle(nodeId, throttle)
        this.produceEnded(nodeId)
        this.requestEnded(nodeId, now, response.throttleTimeMs ?? 0, trace, undefined)
        this.onResponse(batches, response)
      },
      (error: unknown) => {
        this.produceEnded(nodeId)
        this.requestEnded(nodeId, now, 0, trace, toError(error))
        this.onRequestError(batches, error)
      },
    )
  }

  private produceEnded(nodeId: number): void {
    const left = (this.produceInFlight.get(nodeId) ?? 1) - 1
    if (left > 0) this.produceInFlight.set(nodeId, left)
    else this.produceInFlight.delete(nodeId)
  }

  private requestEvent(
    nodeId: number,
    connection: BrokerConnection,
    batches: ProducerBatch[],
    records: number,
    bytes: number,
  ): RequestEvent {
    return {
      clientId: this.options.clientId,
      broker: { nodeId, host: connection.connection.host, port: connection.connection.port },
      batches: batches.length,
      records,
      bytes,
      partitions: batches.map((b) => ({ topic: b.topic, partition: b.partition })),
    }
  }

  private requestEnded(
    nodeId: number,
    startedAt: number,
    throttleMs: number,
    trace: RequestEvent | undefined,
    error: Error | undefined,
  ): void {
    const now = Date.now()
    const latencyMs = now - startedAt
    this.options.metrics.requestEnded(nodeId, latencyMs, throttleMs, now)
    if (trace === undefined) return
    trace.latencyMs = latencyMs
    trace.throttleTimeMs = throttleMs
    if (error !== undefined) {
      trace.error = error
      requestChannel.error.publish(trace)
    }
    requestChannel.asyncStart.publish(trace)
    requestChannel.asyncEnd.publish(trace)
  }

  /** A broker asked for a pause (quota throttling): nothing goes to it until the pause ends. */
  private throttle(nodeId: number, ms: number): void {
    const until = Date.now() + ms
    if ((this.throttledUntil.get(nodeId) ?? 0) < until) this.throttledUntil.set(nodeId, until)
    this.wakeAt(until)
  }

  private onResponse(batches: ProducerBatch[], response: ProduceResponse): void {
    for (const batch of batches) {
      const answer = response.responses
        .find((t) => t.name === batch.topic)
        ?.partitionResponses.find((p) => p.index === batch.partition)
      if (answer === undefined) {
        // The request's outcome for this partition is unknown: retried (idempotence dedups it).
        this.retryOrFail(
          batch,
          new KafkaProtocolError(ErrorCodes.UNKNOWN_SERVER_ERROR, {
            api: 'Produce',
            topic: batch.topic,
            partition: batch.partition,
            brokerMessage: 'no answer for this partition in the Produce response',
          }),
          true,
        )
        continue
      }
      const code = answer.errorCode
      if (code === ErrorCodes.NONE || code === ErrorCodes.DUPLICATE_SEQUENCE_NUMBER) {
        this.succeed(batch, answer.baseOffset, answer.logAppendTimeMs ?? -1n)
        continue
      }
      const error = new KafkaProtocolError(code, {
        api: 'Produce',
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
    const err = toError(error)
    for (const batch of batches) {
      batch.metadataVersion = this.metadata.version + 1
      this.retryOrFail(batch, err, TributaryError.isInstance(err) ? err.retriable : false)
    }
    this.wakeup()
  }

  private handleError(batch: ProducerBatch, code: number, error: KafkaProtocolError): void {
    if (REFRESH_METADATA.has(code)) {
      this.metadata.requestUpdate()
      batch.metadataVersion = this.metadata.version + 1
    }
    const txn = this.options.transactions
    if (txn !== undefined) {
      if (code === ErrorCodes.INVALID_PRODUCER_EPOCH || code === ErrorCodes.PRODUCER_FENCED) {
        this.finish(batch, txn.fence(code, error), false)
        return
      }
      // A transactional producer bumps its epoch only when the transaction is aborted: this one
      // fails, and the transaction can only be aborted (as in the Java client).
      if (code === ErrorCodes.UNKNOWN_PRODUCER_ID || code === ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER) {
        txn.requireEpochBump()
        this.finish(batch, error, true)
        return
      }
    } else if (this.options.idempotent) {
      const q = this.accumulator.queue(batch.topic, batch.partition)
      const where = `${batch.topic}-${batch.partition}`
      // Answers that are part of recovering the sequences do not count against `retries`.
      if (code === ErrorCodes.UNKNOWN_PRODUCER_ID) {
        this.retryOrFail(batch, error, true, false)
        this.resetPartition(q, `the broker lost the producer's state for ${where}`)
        return
      }
      if (code === ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER) {
        // Out of order behind an earlier batch that failed: retried behind it. When no earlier
        // batch of the partition is outstanding, the broker lacks sequences it will never get
        // (given up, or its state was lost): the partition restarts its sequences.
        const lowest = this.isLowestOutstanding(q, batch)
        this.retryOrFail(batch, error, true, false)
        if (lowest && !batch.done)
          this.resetPartition(q, `the broker has a gap before sequence ${batch.sequence} of ${where}`)
        return
      }
      if (code === ErrorCodes.INVALID_PRODUCER_EPOCH) {
        this.retryOrFail(batch, error, true)
        this.resetPartition(q, `the broker knows a newer epoch for ${where}`, true)
        return
      }
    }
    if (code === ErrorCodes.MESSAGE_TOO_LARGE || code === ErrorCodes.RECORD_LIST_TOO_LARGE) {
      this.tooLarge(batch, error)
      return
    }
    this.retryOrFail(batch, error, errorInfo(code).retriable)
  }

  /** True when no other batch of the partition with a lower sequence is in flight or queued. */
  private isLowestOutstanding(q: PartitionQueue, batch: ProducerBatch): boolean {
    const first = q.batches[0]
    if (first !== undefined && first.sequence >= 0 && first.sequence < batch.sequence) return false
    if (q.inFlight <= 1) return true
    for (const other of this.inFlightBatches) {
      if (other !== batch && other.topic === batch.topic && other.partition === batch.partition) {
        if (other.sequence >= 0 && other.sequence < batch.sequence) return false
      }
    }
    return true
  }

  /**
   * The broker refused the batch as too large: split in two and sent again (the Java client does
   * the same), down to a single record, which then fails alone with RecordTooLargeError.
   */
  private tooLarge(batch: ProducerBatch, error: KafkaProtocolError): void {
    if (batch.done || batch.recordCount <= 1) {
      const size = batch.bytes?.length ?? batch.sizeBytes
      this.finish(
        batch,
        new RecordTooLargeError(size, undefined, {
          limitName: "what the broker accepts (the topic's max.message.bytes)",
          topic: batch.topic,
          partition: batch.partition,
        }),
        true,
        error,
      )
      return
    }
    const q = this.land(batch)
    if (q === undefined) return
    const [first, second] = this.accumulator.split(q, batch)
    this.options.logger.warn?.(
      `${batch.topic}-${batch.partition}: the broker refused a batch of ${batch.recordCount} records as too large; sending it as batches of ${first.recordCount} and ${second.recordCount}`,
    )
    this.afterLanding(q)
  }

  /** A batch goes in flight (from the moment it is taken: it is compressed and sealed first). */
  private takeOff(q: PartitionQueue, batch: ProducerBatch): void {
    q.inFlight++
    this.totalInFlight++
    batch.inFlight = true
    this.inFlightBatches.add(batch)
  }

  /**
   * A batch's request ended (answered or failed); undefined when the batch was taken out of the
   * sender meanwhile (close with a timeout), and the outcome must be ignored.
   */
  private land(batch: ProducerBatch): PartitionQueue | undefined {
    if (!this.inFlightBatches.delete(batch)) return undefined
    const q = this.accumulator.queue(batch.topic, batch.partition)
    q.inFlight--
    this.totalInFlight--
    batch.inFlight = false
    return q
  }

  /**
   * After a batch of `q` landed: once nothing of the partition is in flight, a sequence range given
   * up without a definite answer either was covered by a later acknowledgement, or needs an epoch
   * bump (an abortable transaction, for a transactional producer).
   */
  private afterLanding(q: PartitionQueue): void {
    if (!this.options.idempotent || q.resolution() !== 'reset') return
    this.resetPartition(
      q,
      `the outcome of records sent to ${q.topic}-${q.partition} is unknown (they expired or failed after they were sent)`,
    )
  }

  private retryOrFail(batch: ProducerBatch, error: Error, retriable: boolean, counted = true): void {
    const q = this.land(batch)
    if (q === undefined) return
    batch.lastError = error
    if (batch.done) {
      // It expired in flight: its records already failed; only its sequence range is unresolved.
      if (batch.sequence >= 0) q.abandon(batch)
      this.accumulator.release(batch)
      this.afterLanding(q)
      return
    }
    const now = Date.now()
    if (!retriable) {
      this.fail(q, batch, error, batch.sequence >= 0)
      return
    }
    if (now >= batch.deadline) {
      this.fail(q, batch, this.timeoutError(batch, now, q.waitingFor), batch.sequence >= 0)
      return
    }
    if (counted && ++batch.retriesUsed > this.options.retries) {
      const exhausted = new RetriesExhaustedError({
        topic: batch.topic,
        partition: batch.partition,
        records: batch.recordCount,
        attempts: batch.attempts,
        retries: this.options.retries,
        cause: error,
      })
      this.fail(q, batch, exhausted, batch.sequence >= 0)
      return
    }
    const backoff = backoffMs(this.backoff, batch.attempts - 1)
    batch.retryAt = now + backoff
    this.options.metrics.batchRetried(batch.topic, batch.recordCount, now)
    if (retryChannel.hasSubscribers) {
      const event: RetryEvent = {
        clientId: this.options.clientId,
        topic: batch.topic,
        partition: batch.partition,
        records: batch.recordCount,
        attempt: batch.attempts,
        backoffMs: backoff,
        error,
      }
      retryChannel.publish(event)
    }
    this.options.logger.debug?.(`retrying ${batch.topic}-${batch.partition} after ${error.message}`)
    q.requeue(batch)
    this.afterLanding(q)
    this.wakeAt(batch.retryAt)
  }

  private succeed(batch: ProducerBatch, baseOffset: bigint, logAppendTime: bigint): void {
    const q = this.land(batch)
    if (q === undefined) return
    // An answer from before the partition restarted its sequences says nothing about the new ones.
    const current = batch.producerEpoch === q.epoch && batch.producerId === q.producerId
    if (current && batch.sequence >= 0 && batch.lastSequence > q.lastAcked) q.lastAcked = batch.lastSequence
    batch.complete(baseOffset, logAppendTime)
    this.accumulator.release(batch)
    this.afterLanding(q)
  }

  /**
   * Fails a batch that is not (or no longer) in flight. `abandon`: it has a sequence the broker may
   * not have, so its partition's sequences are unresolved until a later acknowledgement covers them.
   */
  private fail(q: PartitionQueue, batch: ProducerBatch, error: Error, abandon: boolean): void {
    if (abandon) q.abandon(batch)
    if (!batch.done) {
      this.options.transactions?.markAbortable(error)
      this.options.metrics.batchFailed(batch.topic, batch.recordCount, Date.now())
    }
    batch.fail(error)
    this.accumulator.release(batch)
    this.afterLanding(q)
  }

  private finish(batch: ProducerBatch, error: Error, abandon: boolean, cause?: Error): void {
    const q = this.land(batch)
    if (q === undefined) return
    if (cause !== undefined) batch.lastError = cause
    this.fail(q, batch, error, abandon && batch.sequence >= 0)
  }

  /**
   * Fails every batch whose delivery deadline passed: queued ones, and in-flight ones, whose
   * outcome is then unknown (the request is left to end; its answer only updates the sequences).
   * Returns the earliest deadline still ahead, so that the sender wakes for it.
   */
  private expire(now: number): number {
    let next = Number.POSITIVE_INFINITY
    for (const q of this.accumulator.all()) {
      for (let i = 0; i < q.batches.length; ) {
        const batch = q.batches[i] as ProducerBatch
        if (batch.recordCount === 0 && !batch.closed) {
          i++
          continue
        }
        if (batch.deadline > now) {
          if (batch.deadline < next) next = batch.deadline
          i++
          continue
        }
        q.batches.splice(i, 1)
        batch.closed = true
        this.fail(q, batch, this.timeoutError(batch, now, i === 0 ? q.waitingFor : undefined), batch.sequence >= 0)
      }
    }
    for (const batch of this.inFlightBatches) {
      if (batch.done) continue
      if (batch.deadline > now) {
        if (batch.deadline < next) next = batch.deadline
        continue
      }
      const q = this.accumulator.queue(batch.topic, batch.partition)
      const error = this.timeoutError(batch, now, undefined)
      if (batch.sequence >= 0 && batch.sent) q.abandon(batch)
      this.options.transactions?.markAbortable(error)
      this.options.metrics.batchFailed(batch.topic, batch.recordCount, now)
      batch.fail(error)
    }
    return next
  }

  private timeoutError(batch: ProducerBatch, now: number, waitingFor: WaitReason | undefined): TimeoutError {
    const where = `${batch.topic}-${batch.partition}`
    const elapsed = now - batch.createdAt
    let detail: string
    if (batch.inFlight && batch.sent) {
      detail = `no answer to its Produce request (attempt ${batch.attempts}); the records may or may not have been written`
    } else if (batch.sent) {
      detail = `${batch.attempts} attempt(s); the records may or may not have been written`
    } else {
      detail = `never sent${waitingFor === undefined ? '' : `, waiting for ${waitingFor}`}`
    }
    const cause = batch.lastError ?? (waitingFor === 'a producer id' ? this.identity.lastError : undefined)
    const last = cause === undefined ? '' : `; last error: ${cause.message}`
    return new TimeoutError(
      `delivery of ${batch.recordCount} record(s) to ${where} timed out after ${elapsed} ms (${detail})${last}`,
      { timeoutMs: batch.timeoutMs, cause },
    )
  }

  /** Fails every batch that is not in flight (an abort, or a fatal error). */
  abortAll(error: Error): void {
    for (const q of this.accumulator.all()) this.failQueued(q, error)
  }

  /** Fails every batch, in flight ones too, whose answers are then ignored (close with a timeout). */
  abortEverything(error: Error): void {
    this.abortAll(error)
    for (const batch of [...this.inFlightBatches]) this.finish(batch, error, false)
  }

  private failQueued(q: PartitionQueue, error: Error): void {
    for (const batch of q.batches.splice(0)) {
      batch.closed = true
      this.fail(q, batch, error, batch.sequence >= 0)
    }
  }
}

/** The error queued batches of a transaction fail with once it can only be aborted (or is fenced). */
function abortableError(error: Error): Error {
  if (TransactionStateError.isInstance(error) || !TributaryError.isInstance(error)) return error
  if (error.name === 'ProducerFencedError') return error
  return new TransactionStateError(
    `the transaction can only be aborted now (${error.message}); this record was not sent`,
    { cause: error },
  )
}

/** Resolves true when `promise` settles before `deadline` (ms since the epoch), false otherwise. */
function untilDeadline(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))
  })
  return Promise.race([promise.then(() => true), late]).finally(() => clearTimeout(timer))
}
