import { EventEmitter } from 'node:events'
import {
  type ApiDefinition,
  ApiKeys,
  apiByKey,
  type Codec,
  decodeRecordBatch,
  IS_CONTROL,
  type RequestHeader,
  recordTimestamp,
} from '@tributary/core/protocol'
import { type BrokerInfo, ClusterState } from './cluster-state.js'
import { loadInstalledCodecs } from './codecs.js'
import { apiVersionsHandler } from './handlers/api-versions.js'
import { fetchHandler } from './handlers/fetch.js'
import { findCoordinatorHandler } from './handlers/find-coordinator.js'
import type { RequestHandler } from './handlers/handler.js'
import { initProducerIdHandler } from './handlers/init-producer-id.js'
import { listOffsetsHandler } from './handlers/list-offsets.js'
import { metadataHandler } from './handlers/metadata.js'
import { produceHandler } from './handlers/produce.js'
import { createTopicsHandler, deleteTopicsHandler } from './handlers/topics-admin.js'
import {
  addOffsetsToTxnHandler,
  addPartitionsToTxnHandler,
  endTxnHandler,
  txnOffsetCommitHandler,
} from './handlers/transactions.js'
import { type BrokerHost, MockBroker, type MockLogger } from './mock-broker.js'
import { saslAuthenticateHandler, saslHandshakeHandler } from './sasl/handlers.js'
import type { MockSaslOptions, MockTlsOptions } from './sasl/options.js'
import { SaslServer } from './sasl/server.js'
import { MAX_PARTITIONS_PER_TOPIC } from './topic-rules.js'

/** A topic to create when the cluster starts. */
export interface MockTopicConfig {
  name: string
  /** Default 1. */
  partitions?: number
  /** Default min(3, brokers). */
  replicationFactor?: number
}

/** Options of `MockCluster.start`. */
export interface MockClusterOptions {
  /** Number of brokers, ids 1..n. Default 1. */
  brokers?: number
  /** Topics created at start. */
  topics?: MockTopicConfig[]
  /** Create unknown topics named in Metadata requests, as Kafka's auto.create.topics.enable. Default true. */
  autoCreateTopics?: boolean
  /** Partitions of auto-created topics (Kafka's num.partitions). Default 1. */
  defaultPartitions?: number
  /** Fixed ports, one per broker; free ports when absent. */
  ports?: number[] | undefined
  /** Listen address. Default 127.0.0.1. */
  host?: string
  /** Largest record batch accepted (Kafka's message.max.bytes). Default 1048588. */
  maxMessageBytes?: number
  /** Largest request frame accepted before the connection is closed. Default 100 MiB. */
  maxFrameBytes?: number
  /** Cluster id reported in Metadata. */
  clusterId?: string
  /**
   * Codecs for `records()` to decompress batches with. gzip is built in; snappy, lz4 and zstd come
   * from `@tributary/compression` when it is installed (see `loadCodecs`). Codecs given here win.
   */
  codecs?: Codec[]
  /**
   * Load the snappy, lz4 and zstd codecs of `@tributary/compression` (an optional peer dependency)
   * when it is installed, once per process, at start. Default true; false uses only `codecs`.
   */
  loadCodecs?: boolean
  /** Where log lines go; `false` silences them. Default: warnings to stderr. */
  logger?: MockLogger | false
  /**
   * SASL on every broker: enabled mechanisms, users and passwords (PLAIN, SCRAM-SHA-256/512),
   * OAUTHBEARER token validation. Clients must authenticate before any request but ApiVersions.
   */
  sasl?: MockSaslOptions | undefined
  /** TLS on every broker, with this PEM key and certificate (SASL_SSL together with `sasl`). */
  tls?: MockTlsOptions | undefined
}

/** A record as a consumer would see it, decoded from the stored batches. */
export interface MockRecord {
  topic: string
  partition: number
  offset: bigint
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  /** Headers in the order sent, duplicates kept. */
  headers: Array<{ key: string; value: Buffer | null }>
  /** The producer id and epoch of the batch (-1 when not idempotent). */
  producerId: bigint
  producerEpoch: number
  /** The sequence number of this record (-1 when not idempotent). */
  sequence: number
  /** The compression type of the batch it came in (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
  compression: number
}

/** Which records `records()` returns. */
export interface RecordsOptions {
  /** One partition only. */
  partition?: number | undefined
  /** 'read_committed' hides aborted and open transactions; default 'read_uncommitted'. */
  isolation?: 'read_committed' | 'read_uncommitted' | undefined
}

/** One request as the cluster received it. */
export interface MockRequestLogEntry {
  brokerId: number
  apiKey: number
  apiName: string
  apiVersion: number
  correlationId: number
  clientId: string | null
  /** Milliseconds since the epoch. */
  time: number
}

/** Which request to fail, and how. */
export interface FailureSpec {
  /** Kafka error code to answer with, e.g. 6 (NOT_LEADER_OR_FOLLOWER). */
  errorCode: number
  /** How many matching requests to fail. Default 1. */
  count?: number
  /** Only requests for this topic (and partition, if given). */
  topic?: string
  partition?: number
  /** Only requests to this broker. */
  brokerId?: number
}

type ApiName = keyof typeof ApiKeys

const DEFAULT_LOGGER: MockLogger = {
  info: () => {},
  warn: (message) => process.stderr.write(`[tributary-mock] ${message}\n`),
}
const FAILABLE = new Set<number>([
  ApiKeys.Metadata,
  ApiKeys.Produce,
  ApiKeys.Fetch,
  ApiKeys.ListOffsets,
  ApiKeys.InitProducerId,
  ApiKeys.FindCoordinator,
])
const SILENT: MockLogger = { info: () => {}, warn: () => {} }

/**
 * A Kafka cluster in-process: real TCP listeners on 127.0.0.1 that speak the Kafka protocol to any
 * client, store record batches as sent, and let tests inject failures.
 */
export class MockCluster extends EventEmitter<{ request: [MockRequestLogEntry] }> {
  private readonly state: ClusterState
  private readonly brokerList: MockBroker[] = []
  private readonly handlers = new Map<number, RequestHandler>()
  private readonly ranges = new Map<number, { min: number; max: number }>()
  private readonly log: MockRequestLogEntry[] = []
  private readonly host: BrokerHost
  private stopped = false

  private constructor(options: MockClusterOptions) {
    super()
    const brokerCount = options.brokers ?? 1
    if (!Number.isInteger(brokerCount) || brokerCount < 1) {
      throw new RangeError(`brokers must be a positive integer, got ${String(options.brokers)}`)
    }
    if (options.ports !== undefined && options.ports.length !== brokerCount) {
      throw new RangeError(`ports lists ${options.ports.length} port(s) for ${brokerCount} broker(s)`)
    }
    const defaultPartitions = options.defaultPartitions ?? 1
    if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1 || defaultPartitions > MAX_PARTITIONS_PER_TOPIC) {
      throw new RangeError(
        `defaultPartitions must be an integer from 1 to ${MAX_PARTITIONS_PER_TOPIC}, got ${String(options.defaultPartitions)}`,
      )
    }
    const logger = options.logger === false ? SILENT : (options.logger ?? DEFAULT_LOGGER)
    this.state = new ClusterState(
      {
        clusterId: options.clusterId ?? 'tributary-mock-cluster',
        autoCreateTopics: options.autoCreateTopics ?? true,
        defaultPartitions,
        defaultReplicationFactor: Math.min(3, brokerCount),
        maxMessageBytes: options.maxMessageBytes ?? 1048588,
        codecs: options.codecs ?? [],
        loadCodecs: options.loadCodecs !== false,
      },
      () =>
        this.brokerList.map((b): BrokerInfo => ({ nodeId: b.nodeId, host: b.host, port: b.port, running: b.running })),
    )
    this.host = {
      logger,
      maxFrameBytes: options.maxFrameBytes ?? 100 * 1024 * 1024,
      handlerFor: (apiKey) => this.handlers.get(apiKey),
      versionRange: (apiKey) => this.ranges.get(apiKey),
      observe: (brokerId, header, api) => this.observe(brokerId, header, api),
      sasl: options.sasl === undefined ? undefined : new SaslServer(options.sasl),
      tls: options.tls,
    }
    const host = options.host ?? '127.0.0.1'
    for (let i = 0; i < brokerCount; i++) {
      this.brokerList.push(new MockBroker(this.host, i + 1, host, options.ports?.[i] ?? 0))
    }
    this.register()
  }

  /** Starts a cluster and creates its topics. */
  static async start(options: MockClusterOptions = {}): Promise<MockCluster> {
    if (options.loadCodecs !== false) await loadInstalledCodecs()
    const cluster = new MockCluster(options)
    try {
      for (const topic of options.topics ?? [])
        cluster.createTopic(topic.name, topic.partitions ?? 1, topic.replicationFactor)
      for (const broker of cluster.brokerList) await broker.start()
    } catch (error) {
      await cluster.stop()
      throw error
    }
    return cluster
  }

  private register(): void {
    const s = this.state
    const add = (
      api: ApiDefinition<unknown, unknown> | undefined,
      handler: RequestHandler<never, unknown>,
      min?: number,
      max?: number,
    ) => {
      if (api === undefined) throw new Error('missing API definition')
      this.handlers.set(api.apiKey, handler as RequestHandler)
      this.ranges.set(api.apiKey, {
        min: Math.max(api.minVersion, min ?? 0),
        max: Math.min(api.maxVersion, max ?? api.maxVersion),
      })
    }
    const def = (key: number) => apiByKey(key)
    add(
      def(ApiKeys.ApiVersions),
      apiVersionsHandler(() => this.advertised()),
    )
    add(def(ApiKeys.Metadata), metadataHandler(s))
    // Only record batch v2 (magic 2) is stored, as Kafka 4 does: Produce from v3, Fetch from v4.
    add(def(ApiKeys.Produce), produceHandler(s), 3)
    add(def(ApiKeys.Fetch), fetchHandler(s), 4)
    add(def(ApiKeys.ListOffsets), listOffsetsHandler(s))
    add(def(ApiKeys.InitProducerId), initProducerIdHandler(s))
    add(def(ApiKeys.FindCoordinator), findCoordinatorHandler(s))
    add(def(ApiKeys.CreateTopics), createTopicsHandler(s))
    add(def(ApiKeys.DeleteTopics), deleteTopicsHandler(s))
    // Advertised by every Kafka broker; on a SASL listener the connection's authenticator answers them.
    add(def(ApiKeys.SaslHandshake), saslHandshakeHandler())
    add(def(ApiKeys.SaslAuthenticate), saslAuthenticateHandler())
    add(def(ApiKeys.AddPartitionsToTxn), addPartitionsToTxnHandler(s))
    add(def(ApiKeys.AddOffsetsToTxn), addOffsetsToTxnHandler(s))
    add(def(ApiKeys.TxnOffsetCommit), txnOffsetCommitHandler(s))
    // EndTxn v5 is not yet stable in Kafka (KIP-890 part 2), which does not advertise it.
    add(def(ApiKeys.EndTxn), endTxnHandler(s), 0, 4)
  }

  private advertised(): Array<{ apiKey: number; min: number; max: number }> {
    // Kafka 4 advertises Produce from v0 although it rejects v0-v2 (KAFKA-18659): librdkafka before
    // 2.10 checks gzip, snappy and lz4 support against Produce v0 and silently stops compressing
    // when v0 is missing. Requests below the accepted minimum (v3) still close the connection.
    return [...this.ranges.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([apiKey, r]) => ({ apiKey, min: apiKey === ApiKeys.Produce ? 0 : r.min, max: r.max }))
  }

  private observe(brokerId: number, header: RequestHeader, api: ApiDefinition<unknown, unknown>): void {
    const entry: MockRequestLogEntry = {
      brokerId,
      apiKey: header.apiKey,
      apiName: api.name,
      apiVersion: header.apiVersion,
      correlationId: header.correlationId,
      clientId: header.clientId,
      time: Date.now(),
    }
    this.log.push(entry)
    if (this.log.length > 100_000) this.log.splice(0, this.log.length - 100_000)
    if (this.listenerCount('request') > 0) this.emit('request', entry)
  }

  /** `host:port` of every broker, for a client's bootstrap list. */
  get bootstrapBrokers(): string[] {
    return this.brokerList.map((b) => `${b.host}:${b.port}`)
  }

  /** The brokers: id, host, port and whether each is running. */
  get brokers(): BrokerInfo[] {
    return [...this.state.brokers]
  }

  /**
   * Creates a topic (no-op if it exists); leaders are spread over the brokers. Throws a RangeError
   * for what Kafka refuses: an illegal name (legal: 1 to 249 of `[a-zA-Z0-9._-]`, not '.' or '..'),
   * a name colliding with an existing topic's once '.' and '_' count as one character, or more than
   * 9,999 partitions (Kafka's controller writes at most 10,000 records per creation).
   */
  createTopic(name: string, partitions = 1, replicationFactor?: number): void {
    if (this.state.topics.has(name)) return
    const problem = this.state.topicNameProblem(name)
    if (problem !== undefined) throw new RangeError(problem)
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS_PER_TOPIC) {
      throw new RangeError(`partitions must be an integer from 1 to ${MAX_PARTITIONS_PER_TOPIC}, got ${partitions}`)
    }
    this.state.createTopic(name, partitions, replicationFactor)
  }

  /** Names of the topics that exist. */
  topics(): string[] {
    return [...this.state.topics.keys()]
  }

  /** The leader broker id of a partition. */
  leaderOf(topic: string, partition: number): number {
    return this.requirePartition(topic, partition).leader
  }

  /** Log end offset (next offset) of a partition. */
  endOffset(topic: string, partition: number): bigint {
    return this.requirePartition(topic, partition).log.logEndOffset
  }

  /**
   * Decoded records of a topic (one partition, or all in partition order), as a consumer would
   * read them; control records (transaction markers) are left out. With `isolation:
   * 'read_committed'`, records of aborted and still open transactions are left out too.
   */
  records(topic: string, partitionOrOptions?: number | RecordsOptions): MockRecord[] {
    const t = this.state.topics.get(topic)
    if (t === undefined) throw new RangeError(`unknown topic '${topic}'`)
    const options =
      typeof partitionOrOptions === 'number' ? { partition: partitionOrOptions } : (partitionOrOptions ?? {})
    const partition = options.partition
    const committedOnly = options.isolation === 'read_committed'
    const partitions = partition === undefined ? t.partitions : [this.requirePartition(topic, partition)]
    const out: MockRecord[] = []
    for (const p of partitions) {
      for (const stored of p.log.batches) {
        if (committedOnly && p.log.isUncommitted(stored)) continue
        const { header, records } = decodeRecordBatch(stored.bytes, (type) => this.state.codecFor(type))
        if ((header.attributes & IS_CONTROL) !== 0) continue
        for (const r of records) {
          out.push({
            topic,
            partition: p.index,
            offset: header.baseOffset + BigInt(r.offsetDelta),
            timestamp: recordTimestamp(header, r),
            key: r.key,
            value: r.value,
            headers: r.headers,
            producerId: header.producerId,
            producerEpoch: header.producerEpoch,
            // Some clients (platformatic) write base sequence 0 into non-idempotent batches (producer id -1).
            sequence:
              header.producerId < 0n || header.baseSequence < 0
                ? -1
                : (header.baseSequence + r.offsetDelta) % 0x80000000,
            compression: header.attributes & 0x07,
          })
        }
      }
    }
    return out
  }

  /** Raw stored batches of a partition (bytes as the producer sent them, offsets assigned). */
  batches(topic: string, partition: number): Array<{ baseOffset: bigint; bytes: Buffer; compression: number }> {
    return this.requirePartition(topic, partition).log.batches.map((b) => ({
      baseOffset: b.baseOffset,
      bytes: b.bytes,
      compression: b.header.attributes & 0x07,
    }))
  }

  /** Every request received so far, oldest first (the last 100,000). */
  requests(): MockRequestLogEntry[] {
    return [...this.log]
  }

  /**
   * Fails the next `count` requests of an API (by name or key) with `errorCode`, optionally only
   * those for one topic/partition or to one broker. Partition-level APIs (Produce, Fetch,
   * ListOffsets) answer the error for the matching partitions; others at the top level.
   */
  failNext(api: ApiName | number, spec: FailureSpec): void {
    const apiKey = typeof api === 'number' ? api : ApiKeys[api]
    if (apiKey === undefined || !FAILABLE.has(apiKey)) {
      throw new RangeError(
        `failures can be injected into ${[...FAILABLE].map((k) => apiByKey(k)?.name).join(', ')}; not into ${String(api)}`,
      )
    }
    this.state.failures.push({
      apiKey,
      errorCode: spec.errorCode,
      remaining: spec.count ?? 1,
      topic: spec.topic,
      partition: spec.partition,
      brokerId: spec.brokerId,
    })
  }

  /** Removes every pending injected failure. */
  clearFailures(): void {
    this.state.failures.length = 0
  }

  /** Delays every response of a broker by `ms` (0 removes the delay). */
  setLatency(brokerId: number, ms: number): void {
    this.requireBroker(brokerId).latencyMs = ms
  }

  /** Drops the open connections of one broker, or of all brokers. */
  dropConnections(brokerId?: number): void {
    if (brokerId === undefined) for (const b of this.brokerList) b.dropConnections()
    else this.requireBroker(brokerId).dropConnections()
  }

  /**
   * Moves a partition's leadership to another broker and bumps its leader epoch: the old leader
   * answers NOT_LEADER_OR_FOLLOWER from then on, as after a real leader election.
   */
  moveLeader(topic: string, partition: number, toBrokerId: number): void {
    this.requireBroker(toBrokerId)
    const p = this.requirePartition(topic, partition)
    if (p.leader === toBrokerId) return
    p.leader = toBrokerId
    p.leaderEpoch++
    if (!p.replicas.includes(toBrokerId)) p.replicas = [toBrokerId, ...p.replicas.slice(0, -1)]
  }

  /**
   * Stops a broker: its port refuses connections and its open connections drop. Partitions it
   * led move to another running replica, or have no leader (LEADER_NOT_AVAILABLE) if none is left.
   */
  async stopBroker(brokerId: number): Promise<void> {
    const broker = this.requireBroker(brokerId)
    await broker.stop()
    for (const topic of this.state.topics.values()) {
      for (const p of topic.partitions) {
        if (p.leader !== brokerId) continue
        const next = p.replicas.find((r) => r !== brokerId && this.brokerList[r - 1]?.running)
        p.leader = next ?? -1
        p.leaderEpoch++
      }
    }
  }

  /** Restarts a stopped broker on the same port; leaderless partitions it replicates get it back. */
  async startBroker(brokerId: number): Promise<void> {
    const broker = this.requireBroker(brokerId)
    await broker.start()
    for (const topic of this.state.topics.values()) {
      for (const p of topic.partitions) {
        if (p.leader === -1 && p.replicas.includes(brokerId)) {
          p.leader = brokerId
          p.leaderEpoch++
        }
      }
    }
  }

  /** A transactional id's producer id, epoch and transaction status, or undefined if unknown. */
  transaction(transactionalId: string): { producerId: bigint; epoch: number; status: string } | undefined {
    return this.state.transactions.describe(transactionalId)
  }

  /** Offsets committed for a consumer group through transactions, as `topic:partition` to offset. */
  committedOffsets(groupId: string): Map<string, bigint> {
    return new Map(this.state.transactions.groupOffsets.get(groupId) ?? [])
  }

  /** Stops every broker and closes every connection. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    await Promise.all(this.brokerList.map((b) => b.stop()))
    this.removeAllListeners()
  }

  private requireBroker(brokerId: number): MockBroker {
    const broker = this.brokerList[brokerId - 1]
    if (broker === undefined) throw new RangeError(`no broker ${brokerId}; brokers are 1..${this.brokerList.length}`)
    return broker
  }

  private requirePartition(topic: string, partition: number) {
    const p = this.state.partition(topic, partition)
    if (p === undefined) throw new RangeError(`unknown partition ${topic}-${partition}`)
    return p
  }
}
