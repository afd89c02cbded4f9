// A scriptable single-broker Kafka stand-in for fuzzing the client. It speaks the protocol with the
// core's own codecs and, left alone, answers like a healthy one-broker cluster: ApiVersions,
// Metadata naming itself the leader of every partition, InitProducerId, and Produce acknowledged
// with increasing offsets (records are decoded and kept, so a test can see what was stored).
//
// A test swaps in a *mutator* per API for the next requests (or for every request until `heal()`):
// a function from the request to what goes on the wire instead — a wrong correlation id, a
// truncated frame, random bytes, absurd counts and indexes, unknown error codes, silence, a close in
// the middle of a response, a late answer. `faults` below is the catalogue; each has a label, so a
// failing run can say exactly what the broker did.

import { Buffer } from 'node:buffer'
import net from 'node:net'
import {
  type ApiDefinition,
  type ApiVersionsResponse,
  apiVersions,
  type DecodedRequestHeader,
  decodeRecordBatch,
  decodeRequestFrame,
  encodeResponseFrame,
  FrameSplitter,
  type InitProducerIdResponse,
  initProducerId,
  type MetadataRequest,
  type MetadataResponse,
  type MetadataResponsePartition,
  metadata,
  type ProduceRequest,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
  produce,
  responseHeaderVersion,
  splitRecordBatches,
  Writer,
  writeResponseHeader,
} from '@tributary/core/protocol'

/** The APIs the fake broker serves (and the client needs). */
export type ApiName = 'ApiVersions' | 'Metadata' | 'InitProducerId' | 'Produce'

export const API_NAMES: readonly ApiName[] = ['ApiVersions', 'Metadata', 'InitProducerId', 'Produce']

const APIS: Record<ApiName, ApiDefinition<unknown, unknown>> = {
  ApiVersions: apiVersions as ApiDefinition<unknown, unknown>,
  Metadata: metadata as ApiDefinition<unknown, unknown>,
  InitProducerId: initProducerId as ApiDefinition<unknown, unknown>,
  Produce: produce as ApiDefinition<unknown, unknown>,
}

/** The node id of the fake broker. */
export const NODE_ID = 1

/** What goes on the wire in answer to one request. Replies of a connection go out in request order. */
export type Reply =
  /** These bytes, as they are (whole frames, or not). */
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  /** Nothing, ever: the connection's later replies are held behind this one too. */
  | { readonly kind: 'silent' }
  /** These bytes (maybe none), then the connection is closed. */
  | { readonly kind: 'close'; readonly bytes: Buffer }
  /** `reply`, after `ms` milliseconds (later replies of the connection wait behind it). */
  | { readonly kind: 'later'; readonly ms: number; readonly reply: Reply }
  /** No answer because the request expects none (Produce with acks=0). */
  | { readonly kind: 'none' }

/** What a mutator sees of a request, and helpers to build its reply. */
export interface ReplyContext {
  readonly api: ApiName
  readonly version: number
  readonly correlationId: number
  /** The decoded request. */
  readonly request: unknown
  /** Which connection of the broker (0 for the first accepted). */
  readonly connection: number
  /** Deterministic random numbers in [0, 1), from the broker's seed. */
  readonly random: () => number
  /**
   * The response a healthy broker would send (a fresh object, free to change). For Produce this
   * stores the records, as a broker that wrote them and then answered wrongly would have.
   */
  healthy(): unknown
  /** A whole frame (size, header, body) for `response`, with `correlationId` (default: the request's). */
  frame(response: unknown, correlationId?: number): Buffer
  /** The response header (without the size) for `correlationId` (default: the request's). */
  header(correlationId?: number): Buffer
}

/** Decides the reply to one request. */
export interface Mutator {
  /** What it does, for failure reports. */
  readonly label: string
  reply(ctx: ReplyContext): Reply
}

/** A record the broker stored. */
export interface StoredRecord {
  readonly topic: string
  readonly partition: number
  readonly offset: bigint
  readonly key: string | null
  readonly value: string | null
}

/** One request the broker received, and what it did about it. */
export interface RequestLogEntry {
  readonly api: string
  readonly version: number
  readonly correlationId: number
  readonly connection: number
  /** The mutator's label, or 'healthy'. */
  readonly reply: string
}

/** Options of a fake broker. */
export interface FakeBrokerOptions {
  /** Topics that exist from the start, and their partition counts. */
  readonly topics?: Readonly<Record<string, number>>
  /** Partitions of a topic created on first use (auto-creation). Default 3. */
  readonly defaultPartitions?: number
  /** Seed of the broker's random bytes. Default 1. */
  readonly seed?: number
}

interface ApiSlot {
  /** Used for the next requests, one each, before `standing`. */
  readonly queue: Mutator[]
  /** Used for every request when the queue is empty, until heal(); undefined: healthy. */
  standing: Mutator | undefined
}

interface ConnectionState {
  readonly id: number
  readonly socket: net.Socket
  /** Replies are written in request order: each waits for the one before. */
  chain: Promise<void>
  /** Resolves when the socket closes (so that silent replies and delays end). */
  readonly closed: Promise<void>
}

/** Something to do to a connection as soon as it is accepted. */
export interface ConnectionFault {
  readonly label: string
  onAccept(socket: net.Socket, random: () => number): void
}

/** A Kafka broker stand-in on 127.0.0.1 with scriptable faults. */
export class FakeBroker {
  readonly port: number
  /** Every request received, in order. */
  readonly requests: RequestLogEntry[] = []
  /** Problems of the fake broker itself (requests it could not decode, bugs in a mutator). */
  readonly problems: string[] = []
  private readonly server: net.Server
  private readonly connections = new Set<ConnectionState>()
  private connectionCount = 0
  private readonly slots = new Map<ApiName, ApiSlot>()
  private readonly connectionFaults: ConnectionFault[] = []
  private readonly partitionCounts = new Map<string, number>()
  private readonly logs = new Map<string, StoredRecord[]>()
  /** Idempotent batches already written: producerId/epoch/topic/partition/baseSequence → base offset. */
  private readonly sequences = new Map<string, bigint>()
  private readonly defaultPartitions: number
  private readonly timers = new Set<NodeJS.Timeout>()
  private nextProducerId = 1000n
  private rngState: number
  private closing = false

  private constructor(server: net.Server, port: number, options: FakeBrokerOptions) {
    this.server = server
    this.port = port
    this.defaultPartitions = options.defaultPartitions ?? 3
    this.rngState = (options.seed ?? 1) >>> 0
    for (const [topic, count] of Object.entries(options.topics ?? {})) this.partitionCounts.set(topic, count)
    for (const name of API_NAMES) this.slots.set(name, { queue: [], standing: undefined })
    server.on('connection', (socket) => this.accept(socket))
  }

  /** Starts a fake broker on a free port of 127.0.0.1. */
  static async start(options: FakeBrokerOptions = {}): Promise<FakeBroker> {
    const server = net.createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('the fake broker has no TCP address')
    return new FakeBroker(server, address.port, options)
  }

  /** `127.0.0.1:port`, for bootstrapBrokers. */
  get address(): string {
    return `127.0.0.1:${this.port}`
  }

  /** Connections accepted so far. */
  get acceptedConnections(): number {
    return this.connectionCount
  }

  /** The next `mutators.length` requests of `api` are answered by these mutators, one each. */
  next(api: ApiName, ...mutators: Mutator[]): this {
    this.slot(api).queue.push(...mutators)
    return this
  }

  /** Every request of `api` (after any queued with `next`) is answered by `mutator`, until `heal()`. */
  always(api: ApiName, mutator: Mutator): this {
    this.slot(api).standing = mutator
    return this
  }

  /** The next `faults.length` connections get these faults as soon as they are accepted. */
  nextConnections(...faults: ConnectionFault[]): this {
    this.connectionFaults.push(...faults)
    return this
  }

  /**
   * Healthy from now on: every mutator and connection fault still waiting is dropped. Replies
   * already decided (a silent one, a late one) stay as they are; connections stay open.
   */
  heal(): void {
    for (const slot of this.slots.values()) {
      slot.queue.length = 0
      slot.standing = undefined
    }
    this.connectionFaults.length = 0
  }

  /** Closes every open connection (the broker keeps listening). */
  dropConnections(): void {
    for (const c of this.connections) c.socket.destroy()
  }

  /** The partition count of a topic (creating it, as auto-creation would). */
  partitionCount(topic: string): number {
    let count = this.partitionCounts.get(topic)
    if (count === undefined) {
      count = this.defaultPartitions
      this.partitionCounts.set(topic, count)
    }
    return count
  }

  /** Records stored for a topic, in the order they were written. */
  stored(topic: string): readonly StoredRecord[] {
    return this.logs.get(topic) ?? []
  }

  /** Labels of the replies given so far, e.g. `Metadata#1 wrong correlation id`, for failure reports. */
  describeReplies(): string[] {
    const counts = new Map<string, number>()
    return this.requests.map((r) => {
      const n = (counts.get(r.api) ?? 0) + 1
      counts.set(r.api, n)
      return `${r.api}#${n}@c${r.connection} ${r.reply}`
    })
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    this.closing = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    this.dropConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** Deterministic random numbers in [0, 1) (mulberry32). */
  random = (): number => {
    this.rngState = (this.rngState + 0x6d2b79f5) >>> 0
    let t = this.rngState
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  private slot(api: ApiName): ApiSlot {
    return this.slots.get(api) as ApiSlot
  }

  private accept(socket: net.Socket): void {
    if (this.closing) {
      socket.destroy()
      return
    }
    socket.setNoDelay(true)
    socket.on('error', () => {})
    let markClosed: () => void = () => {}
    const closed = new Promise<void>((resolve) => {
      markClosed = resolve
    })
    const state: ConnectionState = { id: this.connectionCount++, socket, chain: Promise.resolve(), closed }
    this.connections.add(state)
    socket.on('close', () => {
      this.connections.delete(state)
      markClosed()
    })
    const fault = this.connectionFaults.shift()
    if (fault !== undefined) {
      this.requests.push({ api: 'connect', version: -1, correlationId: -1, connection: state.id, reply: fault.label })
      fault.onAccept(socket, this.random)
      if (socket.destroyed) return
    }
    const splitter = new FrameSplitter({ maxFrameBytes: 64 * 1024 * 1024 })
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of splitter.push(chunk)) this.onRequest(state, frame)
      } catch (error) {
        this.problems.push(`connection ${state.id}: ${(error as Error).message}`)
        socket.destroy()
      }
    })
  }

  private onRequest(conn: ConnectionState, frame: Buffer): void {
    const { header, api, request } = decodeRequestFrame(frame)
    const name = api.name as ApiName
    const slot = this.slots.get(name)
    if (slot === undefined) {
      this.problems.push(`connection ${conn.id}: request for ${api.name}, which the fake broker does not serve`)
      conn.socket.destroy()
      return
    }
    const mutator = slot.queue.shift() ?? slot.standing
    const ctx = this.context(conn, name, header, request)
    let reply: Reply
    try {
      reply = mutator === undefined ? this.healthyReply(ctx) : mutator.reply(ctx)
    } catch (error) {
      this.problems.push(`mutator '${mutator?.label}' for ${name} threw: ${(error as Error).stack}`)
      reply = { kind: 'close', bytes: Buffer.alloc(0) }
    }
    this.requests.push({
      api: name,
      version: header.apiVersion,
      correlationId: header.correlationId,
      connection: conn.id,
      reply: mutator?.label ?? 'healthy',
    })
    conn.chain = conn.chain.then(() => this.perform(conn, reply))
  }

  private healthyReply(ctx: ReplyContext): Reply {
    const response = ctx.healthy()
    if (response === undefined) return { kind: 'none' }
    return { kind: 'bytes', bytes: ctx.frame(response) }
  }

  private context(conn: ConnectionState, name: ApiName, header: DecodedRequestHeader, request: unknown): ReplyContext {
    const api = APIS[name]
    const version = header.apiVersion
    return {
      api: name,
      version,
      correlationId: header.correlationId,
      request,
      connection: conn.id,
      random: this.random,
      healthy: () => this.healthyResponse(name, version, request),
      frame: (response, correlationId = header.correlationId) => {
        const w = new Writer(512)
        encodeResponseFrame(w, api, version, correlationId, response)
        return w.toBufferCopy()
      },
      header: (correlationId = header.correlationId) => {
        const w = new Writer(16)
        writeResponseHeader(w, responseHeaderVersion(api, version), correlationId)
        return w.toBufferCopy()
      },
    }
  }

  private async perform(conn: ConnectionState, reply: Reply): Promise<void> {
    const socket = conn.socket
    if (socket.destroyed) return
    switch (reply.kind) {
      case 'none':
        return
      case 'bytes':
        socket.write(reply.bytes)
        return
      case 'silent':
        await conn.closed
        return
      case 'close':
        if (reply.bytes.length === 0) socket.destroy()
        else socket.write(reply.bytes, () => socket.destroy())
        return
      case 'later': {
        let timer: NodeJS.Timeout | undefined
        const elapsed = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), reply.ms)
          this.timers.add(timer)
        })
        const open = await Promise.race([elapsed, conn.closed.then(() => false)])
        if (timer !== undefined) {
          clearTimeout(timer)
          this.timers.delete(timer)
        }
        if (open) await this.perform(conn, reply.reply)
        return
      }
    }
  }

  // -- healthy answers -------------------------------------------------------------------------

  private healthyResponse(name: ApiName, version: number, request: unknown): unknown {
    switch (name) {
      case 'ApiVersions':
        return {
          errorCode: 0,
          apiKeys: API_NAMES.map((n) => ({
            apiKey: APIS[n].apiKey,
            minVersion: APIS[n].minVersion,
            maxVersion: APIS[n].maxVersion,
          })),
          throttleTimeMs: 0,
        } satisfies ApiVersionsResponse
      case 'Metadata':
        return this.metadataResponse(request as MetadataRequest)
      case 'InitProducerId':
        return {
          throttleTimeMs: 0,
          errorCode: 0,
          producerId: this.nextProducerId++,
          producerEpoch: 0,
        } satisfies InitProducerIdResponse
      case 'Produce':
        return this.produceResponse(request as ProduceRequest, version)
    }
  }

  private metadataResponse(request: MetadataRequest): MetadataResponse {
    const names =
      request.topics === null
        ? [...this.partitionCounts.keys()]
        : request.topics.map((t) => t.name).filter((n): n is string => n !== null)
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: NODE_ID, host: '127.0.0.1', port: this.port, rack: null }],
      clusterId: 'fake-cluster',
      controllerId: NODE_ID,
      topics: names.map((name) => ({
        errorCode: 0,
        name,
        isInternal: false,
        partitions: Array.from(
          { length: this.partitionCount(name) },
          (_, i): MetadataResponsePartition => ({
            errorCode: 0,
            partitionIndex: i,
            leaderId: NODE_ID,
            leaderEpoch: 0,
            replicaNodes: [NODE_ID],
            isrNodes: [NODE_ID],
            offlineReplicas: [],
          }),
        ),
      })),
    }
  }

  /** Stores the records of a Produce request and acknowledges them; undefined under acks=0. */
  private produceResponse(request: ProduceRequest, _version: number): ProduceResponse | undefined {
    const responses = request.topicData.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map(
        (p): ProduceResponsePartitionProduceResponse => this.append(topic.name, p.index, p.records),
      ),
    }))
    if (request.acks === 0) return undefined
    return { responses, throttleTimeMs: 0 }
  }

  private append(topic: string, partition: number, records: Buffer | null): ProduceResponsePartitionProduceResponse {
    const answer = (errorCode: number, baseOffset = -1n): ProduceResponsePartitionProduceResponse => ({
      index: partition,
      errorCode,
      baseOffset,
      logAppendTimeMs: -1n,
      logStartOffset: 0n,
      recordErrors: [],
      errorMessage: null,
    })
    if (partition < 0 || partition >= this.partitionCount(topic)) return answer(3) // UNKNOWN_TOPIC_OR_PARTITION
    if (records === null || records.length === 0) return answer(87) // INVALID_RECORD
    let log = this.logs.get(topic)
    if (log === undefined) {
      log = []
      this.logs.set(topic, log)
    }
    let first: bigint | undefined
    try {
      for (const slice of splitRecordBatches(records)) {
        const h = slice.header
        const key = `${h.producerId}/${h.producerEpoch}/${topic}/${partition}/${h.baseSequence}`
        if (h.producerId >= 0n) {
          const earlier = this.sequences.get(key)
          if (earlier !== undefined) {
            first ??= earlier // a retry of a batch already written: acknowledged again, not stored twice
            continue
          }
        }
        const decoded = decodeRecordBatch(slice.bytes)
        const base = BigInt(log.filter((r) => r.partition === partition).length)
        first ??= base
        if (h.producerId >= 0n) this.sequences.set(key, base)
        decoded.records.forEach((r, i) => {
          log.push({
            topic,
            partition,
            offset: base + BigInt(i),
            key: r.key === null ? null : r.key.toString('utf8'),
            value: r.value === null ? null : r.value.toString('utf8'),
          })
        })
      }
    } catch (error) {
      this.problems.push(`a Produce request for ${topic}-${partition} had bad records: ${(error as Error).message}`)
      return answer(2) // CORRUPT_MESSAGE
    }
    return answer(0, first ?? -1n)
  }
}

// -- the catalogue of faults -------------------------------------------------------------------

/** A healthy answer, explicitly (useful in sequences). */
const healthy: Mutator = {
  label: 'healthy',
  reply: (ctx) => {
    const response = ctx.healthy()
    return response === undefined ? { kind: 'none' } : { kind: 'bytes', bytes: ctx.frame(response) }
  },
}

/** A mutator that changes the healthy response object before it is encoded. */
function edit<Res>(label: string, change: (response: Res, ctx: ReplyContext) => Res | undefined): Mutator {
  return {
    label,
    reply: (ctx) => {
      const response = ctx.healthy() as Res | undefined
      if (response === undefined) return { kind: 'none' }
      return { kind: 'bytes', bytes: ctx.frame(change(response, ctx) ?? response) }
    },
  }
}

/** A frame with `body` after the response header: the size is right, the body is whatever it is. */
function rawFrame(ctx: ReplyContext, body: Buffer, correlationId?: number): Buffer {
  const header = ctx.header(correlationId)
  const size = Buffer.alloc(4)
  size.writeInt32BE(header.length + body.length)
  return Buffer.concat([size, header, body])
}

/** The healthy frame of a request, or undefined under acks=0 (nothing to mutate). */
function healthyFrame(ctx: ReplyContext): Buffer | undefined {
  const response = ctx.healthy()
  return response === undefined ? undefined : ctx.frame(response)
}

function randomBytes(random: () => number, n: number): Buffer {
  const out = Buffer.alloc(n)
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256)
  return out
}

const INT32_MAX = 2_147_483_647

/**
 * The body of a response that starts as a healthy one would and then declares an array of
 * 2^31-1 elements (its first array), followed by a few bytes.
 */
function absurdCountBody(ctx: ReplyContext): Buffer {
  const w = new Writer(64)
  const flexible = ctx.version >= APIS[ctx.api].firstFlexibleVersion
  const count = (n: number) => (flexible ? w.writeCompactArrayLength(n) : w.writeArrayLength(n))
  switch (ctx.api) {
    case 'ApiVersions': // error_code [api_keys]
      w.writeInt16(0)
      count(INT32_MAX)
      break
    case 'Metadata': // throttle_time_ms [brokers]
      if (ctx.version >= 3) w.writeInt32(0)
      count(INT32_MAX)
      break
    case 'Produce': // [responses]
      count(INT32_MAX)
      break
    case 'InitProducerId': // no array: a body that stops after the error code
      w.writeInt32(0)
      w.writeInt16(0)
      break
  }
  w.writeInt32(0)
  w.writeInt32(0)
  return w.toBufferCopy()
}

/** The catalogue: each returns a Mutator with a label saying what the broker does. */
export const faults = {
  healthy: (): Mutator => healthy,

  /** The healthy response with another correlation id (the request's + `delta`). */
  wrongCorrelationId: (delta = 7): Mutator => ({
    label: `wrong correlation id (+${delta})`,
    reply: (ctx) => {
      const response = ctx.healthy()
      if (response === undefined) return { kind: 'none' }
      return { kind: 'bytes', bytes: ctx.frame(response, (ctx.correlationId + delta) | 0) }
    },
  }),

  /** A complete frame whose body is cut to `fraction` of the healthy one (its size says so). */
  truncatedFrame: (fraction = 0.5): Mutator => ({
    label: `truncated frame (${Math.round(fraction * 100)}% of the body)`,
    reply: (ctx) => {
      const full = healthyFrame(ctx)
      if (full === undefined) return { kind: 'none' }
      const headerSize = ctx.header().length
      const bodySize = full.length - 4 - headerSize
      const body = full.subarray(4 + headerSize, 4 + headerSize + Math.floor(bodySize * fraction))
      return { kind: 'bytes', bytes: rawFrame(ctx, Buffer.from(body)) }
    },
  }),

  /**
   * A frame whose size is that of the healthy one but whose body stops at `fraction` of it: the next
   * response (a healthy one for the next correlation id) follows at once and runs into it, so the
   * first frame ends inside the next response and every frame after it is misaligned.
   */
  truncatedIntoNext: (fraction = 0.5): Mutator => ({
    label: `truncated frame (${Math.round(fraction * 100)}% of the body) running into the next response`,
    reply: (ctx) => {
      const response = ctx.healthy()
      if (response === undefined) return { kind: 'none' }
      const full = ctx.frame(response)
      const next = ctx.frame(response, (ctx.correlationId + 1) | 0)
      const headerSize = ctx.header().length
      const keep = 4 + headerSize + Math.floor((full.length - 4 - headerSize) * fraction)
      return { kind: 'bytes', bytes: Buffer.concat([full.subarray(0, keep), next]) }
    },
  }),

  /** A valid response header, then `n` random bytes as the body. */
  randomAfterHeader: (n = 40): Mutator => ({
    label: `random ${n} bytes after a valid header`,
    reply: (ctx) => {
      ctx.healthy()
      return { kind: 'bytes', bytes: rawFrame(ctx, randomBytes(ctx.random, n)) }
    },
  }),

  /**
   * The first array of the response declares 2^31-1 elements (InitProducerId has no array: its
   * body stops after the error code instead).
   */
  absurdArrayCount: (): Mutator => ({
    label: 'array count 2^31-1 (InitProducerId: body cut after the error code)',
    reply: (ctx) => {
      ctx.healthy()
      return { kind: 'bytes', bytes: rawFrame(ctx, absurdCountBody(ctx)) }
    },
  }),

  /** No answer, ever (the connection stays open; later answers on it are held too). */
  silent: (): Mutator => ({ label: 'no answer (silent)', reply: () => ({ kind: 'silent' }) }),

  /** Half of the healthy frame, then the connection is closed. */
  closeMidResponse: (): Mutator => ({
    label: 'connection closed in the middle of the response',
    reply: (ctx) => {
      const full = healthyFrame(ctx)
      if (full === undefined) return { kind: 'close', bytes: Buffer.alloc(0) }
      return { kind: 'close', bytes: Buffer.from(full.subarray(0, Math.max(2, full.length >> 1))) }
    },
  }),

  /** The connection is closed without an answer. */
  closeWithoutAnswer: (): Mutator => ({
    label: 'connection closed without an answer',
    reply: () => ({ kind: 'close', bytes: Buffer.alloc(0) }),
  }),

  /** The healthy answer, after `ms` milliseconds. */
  delay: (ms: number): Mutator => ({
    label: `healthy answer after ${ms} ms`,
    reply: (ctx) => {
      const response = ctx.healthy()
      if (response === undefined) return { kind: 'none' }
      return { kind: 'later', ms, reply: { kind: 'bytes', bytes: ctx.frame(response) } }
    },
  }),

  // -- error codes ---------------------------------------------------------------------------

  /**
   * Error code `code` where the API has one: ApiVersions' and InitProducerId's top-level code,
   * every topic of Metadata, every partition of Produce.
   */
  errorCode: (code: number): Mutator =>
    edit<Record<string, unknown>>(`error code ${code}`, (response, ctx) => {
      switch (ctx.api) {
        case 'ApiVersions':
        case 'InitProducerId':
          return { ...response, errorCode: code }
        case 'Metadata': {
          const m = response as unknown as MetadataResponse
          for (const t of m.topics) t.errorCode = code
          return undefined
        }
        case 'Produce': {
          const p = response as unknown as ProduceResponse
          for (const t of p.responses) for (const q of t.partitionResponses) q.errorCode = code
          return undefined
        }
      }
    }),

  // -- Metadata ------------------------------------------------------------------------------

  /** The first partition of every topic gets index `index` (e.g. 50,000,000, or -1). */
  metadataPartitionIndex: (index: number): Mutator =>
    edit<MetadataResponse>(`Metadata partition index ${index}`, (m) => {
      for (const t of m.topics) {
        const first = t.partitions[0]
        if (first !== undefined) first.partitionIndex = index
      }
      return undefined
    }),

  /** Every topic has 0 partitions (and no error). */
  metadataZeroPartitions: (): Mutator =>
    edit<MetadataResponse>('Metadata topic with 0 partitions', (m) => {
      for (const t of m.topics) t.partitions = []
      return undefined
    }),

  /** Leader -1 for every partition (no error code). */
  metadataNoLeader: (): Mutator =>
    edit<MetadataResponse>('Metadata leader -1 everywhere', (m) => {
      for (const t of m.topics) for (const p of t.partitions) p.leaderId = -1
      return undefined
    }),

  /** Leaders that are not in the broker list. */
  metadataUnknownLeader: (leaderId = 77): Mutator =>
    edit<MetadataResponse>(`Metadata leader ${leaderId}, not in the broker list`, (m) => {
      for (const t of m.topics) for (const p of t.partitions) p.leaderId = leaderId
      return undefined
    }),

  /** An empty broker list (partitions still name node 1 as leader). */
  metadataNoBrokers: (): Mutator =>
    edit<MetadataResponse>('Metadata with an empty broker list', (m) => {
      m.brokers = []
      return undefined
    }),

  /** Every partition listed twice. */
  metadataDuplicatePartitions: (): Mutator =>
    edit<MetadataResponse>('Metadata with every partition listed twice', (m) => {
      for (const t of m.topics) t.partitions = [...t.partitions, ...t.partitions.map((p) => ({ ...p }))]
      return undefined
    }),

  /** Error code `code` on every partition (the topic itself is fine). */
  metadataPartitionErrorCode: (code: number): Mutator =>
    edit<MetadataResponse>(`Metadata partition error code ${code}`, (m) => {
      for (const t of m.topics) for (const p of t.partitions) p.errorCode = code
      return undefined
    }),

  // -- InitProducerId ------------------------------------------------------------------------

  /** Producer id and epoch -1 without an error. */
  initProducerIdNegative: (): Mutator =>
    edit<InitProducerIdResponse>('InitProducerId producer id -1, epoch -1', (r) => ({
      ...r,
      producerId: -1n,
      producerEpoch: -1,
    })),

  // -- ApiVersions ---------------------------------------------------------------------------

  /** An empty list of supported APIs. */
  apiVersionsEmpty: (): Mutator =>
    edit<ApiVersionsResponse>('ApiVersions with no APIs', (r) => ({ ...r, apiKeys: [] })),

  /** Every API with min version above max version. */
  apiVersionsInvertedRanges: (): Mutator =>
    edit<ApiVersionsResponse>('ApiVersions with min version above max version', (r) => ({
      ...r,
      apiKeys: r.apiKeys.map((k) => ({ apiKey: k.apiKey, minVersion: 30_000, maxVersion: -5 })),
    })),

  // -- Produce -------------------------------------------------------------------------------

  /** Base offset `offset` (e.g. -1) without an error. */
  produceBaseOffset: (offset: bigint): Mutator =>
    edit<ProduceResponse>(`Produce base offset ${offset}`, (p) => {
      for (const t of p.responses) for (const q of t.partitionResponses) q.baseOffset = offset
      return undefined
    }),

  /**
   * Answers for partitions and topics that were not asked: partition 50,000,000, partition -1 and
   * a topic never sent to (the answers asked for are there too).
   */
  produceUnaskedPartitions: (): Mutator =>
    edit<ProduceResponse>('Produce answers for partitions that were not asked', (p) => {
      const extra = (index: number): ProduceResponsePartitionProduceResponse => ({
        index,
        errorCode: 0,
        baseOffset: 123n,
        logAppendTimeMs: -1n,
        logStartOffset: 0n,
        recordErrors: [],
        errorMessage: null,
      })
      for (const t of p.responses) t.partitionResponses.unshift(extra(50_000_000), extra(-1))
      p.responses.unshift({ name: 'never-asked', partitionResponses: [extra(0), extra(50_000_000)] })
      return undefined
    }),

  /** Every partition answered twice: first with an error, then acknowledged at another offset. */
  produceDuplicatePartitions: (): Mutator =>
    edit<ProduceResponse>('Produce with every partition answered twice', (p) => {
      for (const t of p.responses) {
        t.partitionResponses = t.partitionResponses.flatMap((q) => [
          { ...q, errorCode: 6, baseOffset: -1n }, // NOT_LEADER_OR_FOLLOWER
          { ...q, baseOffset: q.baseOffset + 1000n },
        ])
      }
      return undefined
    }),

  /** Every partition's index replaced by `index` (e.g. 50,000,000 or -1): the asked ones go unanswered. */
  producePartitionIndex: (index: number): Mutator =>
    edit<ProduceResponse>(`Produce partition index ${index}`, (p) => {
      for (const t of p.responses) for (const q of t.partitionResponses) q.index = index
      return undefined
    }),

  /** A response with no topics at all. */
  produceEmpty: (): Mutator =>
    edit<ProduceResponse>('Produce response with no topics', (p) => ({ ...p, responses: [] })),
}

/** Faults for a connection as soon as it is accepted. */
export const connectionFaults = {
  /** Random bytes before any request: either a frame with a junk header, a negative size, or noise. */
  garbageFirst: (variant: 'junk-frame' | 'negative-size' | 'noise' = 'junk-frame'): ConnectionFault => ({
    label: `garbage as the first bytes of the connection (${variant})`,
    onAccept: (socket, random) => {
      let bytes: Buffer
      if (variant === 'junk-frame') {
        const body = randomBytes(random, 12)
        bytes = Buffer.concat([Buffer.from([0, 0, 0, body.length]), body])
      } else if (variant === 'negative-size') {
        bytes = Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xf0]), randomBytes(random, 8)])
      } else {
        bytes = Buffer.concat([Buffer.from([0x7f]), randomBytes(random, 63)])
      }
      socket.write(bytes)
    },
  }),

  /** Accepts, then closes at once. */
  closeOnAccept: (): ConnectionFault => ({
    label: 'connection closed as soon as it was accepted',
    onAccept: (socket) => {
      socket.destroy()
    },
  }),
}
