import type { ClusterMetadata } from '../../src/cluster/metadata.js'
import { MetricsRecorder } from '../../src/diagnostics/metrics.js'
import type { BrokerPool } from '../../src/network/broker-pool.js'
import type { Codec } from '../../src/plugins.js'
import { RecordAccumulator } from '../../src/producer/accumulator.js'
import type { CompletionTarget } from '../../src/producer/completion.js'
import type { RecordMetadata } from '../../src/producer/types.js'
import type { ProduceRequest, ProduceResponse } from '../../src/protocol/apis/produce/produce.js'
import { ErrorCodes } from '../../src/protocol/error-codes.js'
import { readRecordBatchHeader } from '../../src/protocol/records/record-batch.js'
import { ProducerIdentity } from '../../src/sender/producer-id.js'
import { Sender, type SenderOptions } from '../../src/sender/sender.js'

/** One Produce request the sender made, with what it carried, answered when the test says. */
export interface SentRequest {
  request: ProduceRequest
  /** Each partition's batch header: sequence, producer id and epoch, record count. */
  batches: Array<{ topic: string; partition: number; baseSequence: number; epoch: number; records: number }>
  answer(codes?: Record<string, number>): void
  fail(error: Error): void
  settled: boolean
}

/**
 * A broker connection that never touches a socket: the sender's Produce requests are kept for the
 * test to answer (or not), one by one.
 */
export class FakeConnection {
  readonly connection = { inFlight: 0, open: true }
  readonly requests: SentRequest[] = []
  private nextOffset = new Map<string, bigint>()

  version(): number {
    return 9
  }

  send(_api: unknown, request: ProduceRequest): Promise<ProduceResponse> {
    this.connection.inFlight++
    return new Promise((resolve, reject) => {
      const batches = request.topicData.flatMap((t) =>
        t.partitionData.map((p) => {
          const header = readRecordBatchHeader(p.records as Buffer)
          return {
            topic: t.name,
            partition: p.index,
            baseSequence: header.baseSequence,
            epoch: header.producerEpoch,
            records: header.recordCount,
          }
        }),
      )
      const sent: SentRequest = {
        request,
        batches,
        settled: false,
        answer: (codes = {}) => {
          if (sent.settled) return
          sent.settled = true
          this.connection.inFlight--
          resolve({
            responses: request.topicData.map((t) => ({
              name: t.name,
              partitionResponses: t.partitionData.map((p) => {
                const key = `${t.name}-${p.index}`
                const errorCode = codes[key] ?? ErrorCodes.NONE
                const base = this.nextOffset.get(key) ?? 0n
                const count = BigInt(readRecordBatchHeader(p.records as Buffer).recordCount)
                if (errorCode === ErrorCodes.NONE) this.nextOffset.set(key, base + count)
                return {
                  index: p.index,
                  errorCode,
                  baseOffset: errorCode === ErrorCodes.NONE ? base : -1n,
                  logAppendTimeMs: -1n,
                  logStartOffset: 0n,
                  recordErrors: [],
                  errorMessage: null,
                }
              }),
            })),
            throttleTimeMs: 0,
          })
        },
        fail: (error) => {
          if (sent.settled) return
          sent.settled = true
          this.connection.inFlight--
          reject(error)
        },
      }
      this.requests.push(sent)
    })
  }

  /** Requests not answered yet. */
  get pending(): SentRequest[] {
    return this.requests.filter((r) => !r.settled)
  }
}

/** What records' targets were told, by record name. */
export class Outcomes {
  readonly settled = new Map<string, { error: Error | null; meta: RecordMetadata | null }>()

  target(name: string): CompletionTarget {
    return {
      settle: (_index, error, meta) => {
        if (this.settled.has(name)) throw new Error(`${name} settled twice`)
        this.settled.set(name, { error, meta })
      },
    }
  }

  error(name: string): Error | null | undefined {
    return this.settled.get(name)?.error
  }

  offset(name: string): bigint | undefined {
    return this.settled.get(name)?.meta?.offset ?? undefined
  }
}

/** A sender over fakes: one broker (node 1) leading every partition, a producer id already set. */
export function fakeSender(options: Partial<SenderOptions> & { leaders?: Map<string, number> } = {}) {
  const connection = new FakeConnection()
  const ready = { value: true }
  const connects: number[] = []
  const pool = {
    readyConnection: (node: number) => (ready.value && node === 1 ? connection : undefined),
    get: (node: number) => {
      connects.push(node)
      return new Promise(() => {})
    },
    any: () => Promise.resolve(connection),
  }
  const leaders = options.leaders ?? new Map<string, number>()
  const metadata = {
    version: 1,
    leader: (topic: string, partition: number) => leaders.get(`${topic}-${partition}`) ?? 1,
    maybeRefresh: () => undefined,
    requestUpdate: () => {},
  }
  const accumulator = new RecordAccumulator({
    batchBytes: 16_384,
    bufferBytes: 1 << 20,
  })
  const identity = new ProducerIdentity(pool as unknown as BrokerPool, {
    transactionTimeoutMs: 60_000,
    backoff: { initialMs: 100, maxMs: 1000 },
  })
  identity.set(7n, 0)
  const logs: string[] = []
  const log = (message: string) => logs.push(message)
  const sender = new Sender(
    accumulator,
    metadata as unknown as ClusterMetadata,
    pool as unknown as BrokerPool,
    identity,
    {
      acks: -1,
      idempotent: true,
      codec: null,
      lingerMs: 0,
      maxInFlight: 5,
      requestTimeoutMs: 30_000,
      retries: 2_147_483_647,
      clientId: 'test',
      metrics: new MetricsRecorder(),
      retryBackoffMs: 100,
      retryBackoffMaxMs: 100,
      maxRequestBytes: 1 << 20,
      logger: { debug: log, info: log, warn: log, error: log },
      ...options,
    },
  )
  const outcomes = new Outcomes()
  /** Appends one record named `name` (its value) to a partition, closing the batch so it goes at once. */
  const send = (topic: string, partition: number, name: string, timeoutMs = 10_000, close = true) => {
    const q = accumulator.queue(topic, partition)
    const now = Date.now()
    const value = Buffer.from(name)
    const { batch } = accumulator.append(
      q,
      value.length + 16,
      now,
      now,
      null,
      value,
      undefined,
      outcomes.target(name),
      0,
      now + timeoutMs,
      timeoutMs,
    )
    if (close) batch.closed = true
    sender.wakeup()
    return batch
  }
  return { sender, connection, accumulator, identity, metadata, outcomes, send, logs, ready, connects, leaders }
}

/** A codec whose compress the test controls. */
export function scriptedCodec(compress: (data: Buffer) => Buffer | Promise<Buffer>): Codec {
  return { name: 'scripted', type: 1, compress, decompress: (data) => data }
}
