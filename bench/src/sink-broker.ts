// One broker of the benchmark's "sink" cluster: a Kafka broker that checks the framing of what it is
// sent and counts records, and stores nothing. run.ts starts one process per broker id (3), so the
// brokers work on separate cores and no broker's event loop serves two brokers' traffic.
//
// Why a sink: the mock cluster (@tributary/testing) validates every record of every batch and keeps
// every batch, which is what tests need, but then the broker spends CPU per record, in one process
// for all three brokers, on the same 2 cores as the client it measures: a faster client gets a
// slower broker. The sink's work per request is the same for every client and does not grow with
// the records in a batch:
//
// - the request is decoded with Tributary's protocol definitions (every version the clients use),
//   the records field left as bytes;
// - each partition's records must be exactly one record batch of magic 2 whose length field matches,
//   whose CRC32C (over attributes..end, as Kafka checks it) is right, whose record count is
//   lastOffsetDelta + 1 and positive, sent to the partition's leader;
// - an idempotent batch (producer id >= 0) must carry the next sequence of its producer and
//   partition; a repeat of one of the last five batches is answered with its first offset and not
//   counted (as Kafka does), any other gap is OUT_OF_ORDER_SEQUENCE_NUMBER;
// - the partition's high watermark grows by the record count, which ListOffsets reports, so the
//   orchestrator's check (exactly warm-up + N records stored per run) still catches a lost or
//   duplicated record.
//
// Records are never decoded (no per-record work), batches never kept (no memory growth), nothing
// is compressed or decompressed. Every topic exists with `--partitions` partitions (the bench makes
// a fresh topic per run); partition p's leader is broker p mod n, replicas and ISR all brokers.
//
// Control over IPC from run.ts: { type: 'brokers', brokers } (the whole cluster, once every process
// listens), { type: 'stall', on } (stop answering anything, reading and dropping what arrives; or
// answer again), answered with { type: 'stalled', on }.

import { createHash } from 'node:crypto'
import net from 'node:net'
import { parseArgs } from 'node:util'
import {
  type ApiDefinition,
  ApiKeys,
  type ApiVersionsResponse,
  apiByKey,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
  crc32c,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
  decodeRequestHeaderOnly,
  ErrorCodes,
  encodeResponseFrame,
  FrameSplitter,
  type InitProducerIdResponse,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
  type MetadataRequest,
  type MetadataResponse,
  type MetadataResponseTopic,
  type ProduceRequest,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
  Reader,
  Writer,
} from '@tributary/core/protocol'

interface BrokerAddress {
  nodeId: number
  host: string
  port: number
}

/** What a sink broker counted since it started: Produce requests, record batches, records, batch bytes. */
export interface SinkStats {
  requests: number
  batches: number
  records: number
  bytes: number
}

export type SinkControl =
  | { type: 'brokers'; brokers: BrokerAddress[] }
  | { type: 'stall'; on: boolean }
  | { type: 'stats' }
export type SinkReport =
  | { type: 'listening'; port: number }
  | { type: 'ready' }
  | { type: 'stalled'; on: boolean }
  | ({ type: 'stats' } & SinkStats)

const { values: args } = parseArgs({
  options: {
    'node-id': { type: 'string' },
    partitions: { type: 'string', default: '6' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
  },
})
const NODE_ID = Number(args['node-id'])
const PARTITIONS = Number(args.partitions)
if (!Number.isInteger(NODE_ID) || !Number.isInteger(PARTITIONS) || PARTITIONS < 1) {
  console.error('usage: sink-broker.ts --node-id N [--partitions 6] [--port 0]')
  process.exit(2)
}

let brokers: BrokerAddress[] = []
let stalled = false
const stats: SinkStats = { requests: 0, batches: 0, records: 0, bytes: 0 }
/** Producer ids unique across the sink processes: the node id in the high bits. */
let nextProducerId = NODE_ID * 1_000_000

// Record batch v2 header offsets.
const BATCH_LENGTH_AT = 8
const MAGIC_AT = 16
const CRC_AT = 17
const ATTRIBUTES_AT = 21
const LAST_OFFSET_DELTA_AT = 23
const PRODUCER_ID_AT = 43
const PRODUCER_EPOCH_AT = 51
const BASE_SEQUENCE_AT = 53
const RECORD_COUNT_AT = 57
const HEADER_BYTES = 61

interface SequenceState {
  epoch: number
  next: number
  /** The last five batches: first sequence, and the offset they were given. */
  recent: Array<{ firstSequence: number; baseOffset: bigint }>
}

interface PartitionState {
  highWatermark: bigint
  sequences: Map<bigint, SequenceState>
}

const topics = new Map<string, PartitionState[]>()

function topic(name: string): PartitionState[] {
  let partitions = topics.get(name)
  if (partitions === undefined) {
    partitions = Array.from({ length: PARTITIONS }, () => ({ highWatermark: 0n, sequences: new Map() }))
    topics.set(name, partitions)
  }
  return partitions
}

const leaderOf = (partition: number): number => (brokers[partition % brokers.length] as BrokerAddress).nodeId
/** A topic id every sink process derives alike from the name (a UUID in Kafka's base64url form). */
const topicId = (name: string): string => createHash('md5').update(name).digest('base64url')

// ---------------------------------------------------------------------------------------------
// Handlers

type Handler = (version: number, request: never) => unknown

/** Advertised version ranges: what Tributary's protocol definitions decode, Produce from v3 (magic 2). */
const ranges = new Map<number, { min: number; max: number }>()
const handlers = new Map<number, Handler>()

function add(apiKey: number, handler: Handler, min = 0): void {
  const api = apiByKey(apiKey) as ApiDefinition<unknown, unknown>
  ranges.set(apiKey, { min: Math.max(api.minVersion, min), max: api.maxVersion })
  handlers.set(apiKey, handler)
}

function apiVersions(errorCode: number): ApiVersionsResponse {
  return {
    errorCode,
    apiKeys: [...ranges.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([apiKey, r]) => ({ apiKey, minVersion: r.min, maxVersion: r.max })),
    throttleTimeMs: 0,
  }
}

function describeTopic(name: string): MetadataResponseTopic {
  topic(name)
  const all = brokers.map((b) => b.nodeId)
  return {
    errorCode: ErrorCodes.NONE,
    name,
    topicId: topicId(name),
    isInternal: false,
    partitions: Array.from({ length: PARTITIONS }, (_, p) => ({
      errorCode: ErrorCodes.NONE,
      partitionIndex: p,
      leaderId: leaderOf(p),
      leaderEpoch: 0,
      replicaNodes: [leaderOf(p), ...all.filter((id) => id !== leaderOf(p))],
      isrNodes: all,
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: -2147483648,
  }
}

add(ApiKeys.ApiVersions, () => apiVersions(ErrorCodes.NONE))

add(ApiKeys.Metadata, (version, request: MetadataRequest): MetadataResponse => {
  // Null asks for every topic, and so does an empty list in v0; otherwise the topics named.
  const all = request.topics === null || request.topics === undefined || (version === 0 && request.topics.length === 0)
  const names = all
    ? [...topics.keys()]
    : (request.topics ?? []).map((t) => t.name).filter((n): n is string => typeof n === 'string')
  return {
    throttleTimeMs: 0,
    brokers: brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: null })),
    clusterId: 'tributary-bench-sink',
    controllerId: (brokers[0] as BrokerAddress).nodeId,
    topics: names.map(describeTopic),
    clusterAuthorizedOperations: -2147483648,
  }
})

add(
  ApiKeys.InitProducerId,
  (): InitProducerIdResponse => ({
    throttleTimeMs: 0,
    errorCode: ErrorCodes.NONE,
    producerId: BigInt(nextProducerId++),
    producerEpoch: 0,
  }),
)

add(
  ApiKeys.CreateTopics,
  (_version, request: CreateTopicsRequest): CreateTopicsResponse => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t) => {
      topic(t.name)
      return {
        name: t.name,
        topicId: topicId(t.name),
        errorCode:
          t.numPartitions === -1 || t.numPartitions === PARTITIONS ? ErrorCodes.NONE : ErrorCodes.INVALID_PARTITIONS,
        errorMessage: null,
        numPartitions: PARTITIONS,
        replicationFactor: brokers.length,
        configs: [],
      }
    }),
  }),
)

add(ApiKeys.DeleteTopics, (_version, request: DeleteTopicsRequest): DeleteTopicsResponse => {
  const names = request.topicNames ?? (request.topics ?? []).map((t) => t.name ?? '')
  for (const name of names) topics.delete(name)
  return {
    throttleTimeMs: 0,
    responses: names.map((name) => ({ name, topicId: topicId(name), errorCode: ErrorCodes.NONE, errorMessage: null })),
  }
})

add(
  ApiKeys.ListOffsets,
  (_version, request: ListOffsetsRequest): ListOffsetsResponse => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const state = topic(t.name)[p.partitionIndex]
        if (state === undefined) {
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION }
        }
        if (leaderOf(p.partitionIndex) !== NODE_ID) {
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCodes.NOT_LEADER_OR_FOLLOWER }
        }
        // -2: the earliest offset (0, nothing is ever deleted); anything else: the high watermark.
        const offset = p.timestamp === -2n ? 0n : state.highWatermark
        return {
          partitionIndex: p.partitionIndex,
          errorCode: ErrorCodes.NONE,
          oldStyleOffsets: [offset],
          timestamp: -1n,
          offset,
          leaderEpoch: 0,
        }
      }),
    })),
  }),
  1,
)

/** Batches refused, by reason: a client sending anything wrong shows here (and fails its run). */
const refused = new Map<string, number>()

function produceOne(
  topicName: string,
  partition: number,
  records: Buffer | null,
): ProduceResponsePartitionProduceResponse {
  const fail = (errorCode: number, reason: string): ProduceResponsePartitionProduceResponse => {
    refused.set(reason, (refused.get(reason) ?? 0) + 1)
    if ((refused.get(reason) as number) <= 3) {
      console.error(`sink broker ${NODE_ID}: ${topicName}-${partition}: ${reason} (error ${errorCode})`)
    }
    return {
      index: partition,
      errorCode,
      baseOffset: -1n,
      logAppendTimeMs: -1n,
      logStartOffset: -1n,
      recordErrors: [],
      errorMessage: reason,
    }
  }
  const state = topic(topicName)[partition]
  if (state === undefined) return fail(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, 'no such partition')
  if (leaderOf(partition) !== NODE_ID) return fail(ErrorCodes.NOT_LEADER_OR_FOLLOWER, 'not the leader')
  if (records === null || records.length < HEADER_BYTES) return fail(ErrorCodes.CORRUPT_MESSAGE, 'no record batch')
  if (records.readInt8(MAGIC_AT) !== 2) return fail(ErrorCodes.CORRUPT_MESSAGE, 'magic is not 2')
  if (records.readInt32BE(BATCH_LENGTH_AT) + 12 !== records.length) {
    return fail(ErrorCodes.CORRUPT_MESSAGE, 'not exactly one record batch')
  }
  if (crc32c(records.subarray(ATTRIBUTES_AT)) !== records.readUInt32BE(CRC_AT)) {
    return fail(ErrorCodes.CORRUPT_MESSAGE, 'CRC32C mismatch')
  }
  const count = records.readInt32BE(RECORD_COUNT_AT)
  if (count < 1 || count !== records.readInt32BE(LAST_OFFSET_DELTA_AT) + 1) {
    return fail(ErrorCodes.CORRUPT_MESSAGE, 'record count is not lastOffsetDelta + 1')
  }
  const producerId = records.readBigInt64BE(PRODUCER_ID_AT)
  if (producerId >= 0n) {
    const epoch = records.readInt16BE(PRODUCER_EPOCH_AT)
    const sequence = records.readInt32BE(BASE_SEQUENCE_AT)
    let seq = state.sequences.get(producerId)
    if (seq === undefined || seq.epoch !== epoch) {
      if (sequence !== 0) return fail(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER, `first sequence ${sequence}, not 0`)
      seq = { epoch, next: 0, recent: [] }
      state.sequences.set(producerId, seq)
    }
    if (sequence !== seq.next) {
      const repeat = seq.recent.find((b) => b.firstSequence === sequence)
      if (repeat !== undefined) {
        refused.set(
          'duplicate batch (answered, not counted)',
          (refused.get('duplicate batch (answered, not counted)') ?? 0) + 1,
        )
        return {
          index: partition,
          errorCode: ErrorCodes.NONE,
          baseOffset: repeat.baseOffset,
          logAppendTimeMs: -1n,
          logStartOffset: 0n,
          recordErrors: [],
          errorMessage: null,
        }
      }
      return fail(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER, `sequence ${sequence}, expected ${seq.next}`)
    }
    seq.next = (seq.next + count) | 0
    seq.recent.push({ firstSequence: sequence, baseOffset: state.highWatermark })
    if (seq.recent.length > 5) seq.recent.shift()
  }
  const baseOffset = state.highWatermark
  state.highWatermark += BigInt(count)
  stats.batches++
  stats.records += count
  stats.bytes += records.length
  return {
    index: partition,
    errorCode: ErrorCodes.NONE,
    baseOffset,
    logAppendTimeMs: -1n,
    logStartOffset: 0n,
    recordErrors: [],
    errorMessage: null,
  }
}

add(
  ApiKeys.Produce,
  (_version, request: ProduceRequest): ProduceResponse | undefined => {
    stats.requests++
    const responses = request.topicData.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p) => produceOne(t.name, p.index, p.records)),
    }))
    return request.acks === 0 ? undefined : { responses, throttleTimeMs: 0 }
  },
  3,
)

// ---------------------------------------------------------------------------------------------
// Connections

const writer = new Writer(64 * 1024)

function serve(socket: net.Socket): void {
  socket.setNoDelay(true)
  const splitter = new FrameSplitter({ maxFrameBytes: 100 * 1024 * 1024 })
  socket.on('error', () => socket.destroy())
  socket.on('data', (chunk: Buffer) => {
    try {
      // Stalled: read and drop everything, answer nothing (a broker that stopped answering).
      for (const frame of splitter.push(chunk)) if (!stalled) handle(socket, frame)
    } catch (error) {
      console.error(
        `sink broker ${NODE_ID}: closing a connection: ${error instanceof Error ? error.message : String(error)}`,
      )
      socket.destroy()
    }
  })
}

function handle(socket: net.Socket, frame: Buffer): void {
  const reader = new Reader(frame)
  const header = decodeRequestHeaderOnly(reader)
  const api = apiByKey(header.apiKey) as ApiDefinition<unknown, unknown> | undefined
  const range = ranges.get(header.apiKey)
  const handler = handlers.get(header.apiKey)
  if (api === undefined || range === undefined || handler === undefined) {
    throw new Error(`unsupported API key ${header.apiKey} v${header.apiVersion}`)
  }
  if (header.apiVersion < range.min || header.apiVersion > range.max) {
    if (header.apiKey === ApiKeys.ApiVersions) {
      respond(socket, api, 0, header.correlationId, apiVersions(ErrorCodes.UNSUPPORTED_VERSION))
      return
    }
    throw new Error(`${api.name} v${header.apiVersion} is not supported (${range.min}-${range.max})`)
  }
  const request = api.decodeRequest(reader, header.apiVersion)
  const response = handler(header.apiVersion, request as never)
  if (response !== undefined) respond(socket, api, header.apiVersion, header.correlationId, response)
}

function respond(
  socket: net.Socket,
  api: ApiDefinition<unknown, unknown>,
  version: number,
  correlationId: number,
  body: unknown,
): void {
  const w = writer.reset()
  encodeResponseFrame(w, api, version, correlationId, body)
  socket.write(w.toBufferCopy())
}

const server = net.createServer({ noDelay: true }, serve)
server.listen({ host: args.host, port: Number(args.port) }, () => {
  const address = server.address() as net.AddressInfo
  send({ type: 'listening', port: address.port })
})

function send(message: SinkReport): void {
  if (process.send !== undefined) process.send(message)
  else console.log(JSON.stringify(message))
}

process.on('message', (message: SinkControl) => {
  if (message.type === 'brokers') {
    brokers = message.brokers
    send({ type: 'ready' })
  } else if (message.type === 'stall') {
    stalled = message.on
    send({ type: 'stalled', on: stalled })
  } else if (message.type === 'stats') {
    send({ type: 'stats', ...stats })
  }
})
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => {
  const summary = [...refused.entries()].map(([reason, n]) => `${n}× ${reason}`).join(', ')
  if (summary !== '') console.error(`sink broker ${NODE_ID}: refused or repeated batches: ${summary}`)
  process.exit(0)
})
