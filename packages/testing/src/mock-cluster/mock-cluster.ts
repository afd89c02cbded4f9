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
import type { MockInspectorOptions } from '../inspector/options.js'
import type { Inspector } from '../inspector/server.js'
import { type BrokerInfo, ClusterState } from './cluster-state.js'
import { loadInstalledCodecs } from './codecs.js'
import { TOPIC_CONFIGS } from './config-schema.js'
import { validateTopicConfigs } from './config-store.js'
import {
  type DecodedRecordOf,
  type DecodedRecordsOptions,
  decodeRecords,
  type RecordDeserializers,
} from './decoded-records.js'
import { FetchSessionCaches } from './fetch-sessions.js'
import { type MockGroupOptions, resolveGroupConfig } from './groups/config.js'
import type { MockCommittedOffset, MockGroup, MockGroupEvent } from './groups/types.js'
import { apiVersionsHandler } from './handlers/api-versions.js'
import { alterConfigsHandler, describeConfigsHandler, incrementalAlterConfigsHandler } from './handlers/configs.js'
import { consumerGroupDescribeHandler, consumerGroupHeartbeatHandler } from './handlers/consumer-groups.js'
import { createPartitionsHandler } from './handlers/create-partitions.js'
import { deleteRecordsHandler } from './handlers/delete-records.js'
import { describeClusterHandler } from './handlers/describe-cluster.js'
import { fetchHandler } from './handlers/fetch.js'
import { findCoordinatorHandler } from './handlers/find-coordinator.js'
import {
  deleteGroupsHandler,
  describeGroupsHandler,
  heartbeatHandler,
  joinGroupHandler,
  leaveGroupHandler,
  listGroupsHandler,
  syncGroupHandler,
} from './handlers/groups.js'
import type { RequestHandler } from './handlers/handler.js'
import { initProducerIdHandler } from './handlers/init-producer-id.js'
import { listOffsetsHandler } from './handlers/list-offsets.js'
import { metadataHandler } from './handlers/metadata.js'
import { offsetCommitHandler, offsetDeleteHandler, offsetFetchHandler } from './handlers/offsets.js'
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
import { type RecordWaitSource, type WaitForRecordsOptions, waitForRecords } from './wait-for-records.js'

/** A topic to create when the cluster starts. */
export interface MockTopicConfig {
  name: string
  /** Default 1. */
  partitions?: number
  /** Default min(3, brokers). */
  replicationFactor?: number
  /** Topic config overrides, as CreateTopics sets them (e.g. `{ 'message.timestamp.type': 'LogAppendTime' }`). */
  configs?: Record<string, string>
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
  /**
   * Incremental fetch sessions (KIP-227) each broker caches, Kafka's
   * max.incremental.fetch.session.cache.slots: split over 8 shards as Kafka does. 0 declines every
   * session. Default 1000.
   */
  fetchSessionCacheSlots?: number
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
  /**
   * The group coordinator's settings: the initial rebalance delay, session timeout bounds, group
   * size limits (see MockGroupOptions for Kafka's names and defaults).
   */
  groups?: MockGroupOptions | undefined
  /**
   * A web inspector on 127.0.0.1 (`uiUrl`): brokers, topics, records, groups, transactions, the live
   * request log, and buttons for the faults. `true` for a free port; `{ port, registry }` to choose
   * the port or decode records through a MockSchemaRegistry. It stops with the cluster.
   */
  ui?: boolean | MockInspectorOptions | undefined
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
  /** Only requests for this consumer group (group APIs). */
  groupId?: string
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
  ApiKeys.JoinGroup,
  ApiKeys.SyncGroup,
  ApiKeys.Heartbeat,
  ApiKeys.LeaveGroup,
  ApiKeys.OffsetCommit,
  ApiKeys.OffsetFetch,
  ApiKeys.OffsetDelete,
  ApiKeys.ListGroups,
  ApiKeys.DescribeGroups,
  ApiKeys.DeleteGroups,
  ApiKeys.ConsumerGroupHeartbeat,
  ApiKeys.ConsumerGroupDescribe,
])
const SILENT: MockLogger = { info: () => {}, warn: () => {} }

/**
 * A Kafka cluster in-process: real TCP listeners on 127.0.0.1 that speak the Kafka protocol to any
 * client, store record batches as sent, and let tests inject failures.
 */
export class MockCluster extends EventEmitter<{ request: [MockRequestLogEntry]; group: [MockGroupEvent] }> {
  private readonly state: ClusterState
  private readonly brokerList: MockBroker[] = []
  private readonly handlers = new Map<number, RequestHandler>()
  private readonly ranges = new Map<number, { min: number; max: number }>()
  private readonly log: MockRequestLogEntry[] = []
  private readonly host: BrokerHost
  private stopped = false
  private readonly sessionCaches: FetchSessionCaches
  private inspector: Inspector | undefined

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
    const fetchSessionCacheSlots = options.fetchSessionCacheSlots ?? 1000
    if (
      !Number.isInteger(fetchSessionCacheSlots) ||
      fetchSessionCacheSlots < 0 ||
      fetchSessionCacheSlots > 0x7fffffff
    ) {
      throw new RangeError(
        `fetchSessionCacheSlots must be a non-negative integer, got ${String(options.fetchSessionCacheSlots)}`,
      )
    }
    this.sessionCaches = new FetchSessionCaches(fetchSessionCacheSlots)
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
        groups: resolveGroupConfig(options.groups),
        fetchSessionCacheSlots,
      },
      () =>
        this.brokerList.map((b): BrokerInfo => ({ nodeId: b.nodeId, host: b.host, port: b.port, running: b.running })),
    )
    this.state.groups.emit = (event) => {
      if (this.listenerCount('group') > 0) this.emit('group', event)
    }
    this.state.groups.warn = (message) => logger.warn(message)
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
        cluster.createTopic(topic.name, topic.partitions ?? 1, topic.replicationFactor, topic.configs)
      for (const broker of cluster.brokerList) await broker.start()
      if (options.ui !== undefined && options.ui !== false) {
        const { Inspector } = await import('../inspector/server.js')
        cluster.inspector = await Inspector.start(
          { cluster, state: cluster.state, latencyOf: (id) => cluster.requireBroker(id).latencyMs },
          options.ui === true ? {} : options.ui,
        )
      }
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
    add(def(ApiKeys.Fetch), fetchHandler(s, this.sessionCaches), 4)
    // Kafka 4 removed ListOffsets v0 and DescribeConfigs v0 (KIP-896).
    add(def(ApiKeys.ListOffsets), listOffsetsHandler(s), 1)
    add(def(ApiKeys.DescribeConfigs), describeConfigsHandler(s), 1)
    add(def(ApiKeys.AlterConfigs), alterConfigsHandler(s))
    add(def(ApiKeys.IncrementalAlterConfigs), incrementalAlterConfigsHandler(s))
    add(def(ApiKeys.CreatePartitions), createPartitionsHandler(s))
    add(def(ApiKeys.DeleteRecords), deleteRecordsHandler(s))
    add(def(ApiKeys.DescribeCluster), describeClusterHandler(s))
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
    // The group coordinator, at the versions Kafka 4 advertises: it removed JoinGroup v0-1,
    // OffsetCommit v0-1, OffsetFetch v0 and DeleteGroups v0 (KIP-896). It removed FindCoordinator v0
    // too, which the mock keeps: kafka-python 2.0.2 sends nothing else (GroupCoordinatorRequest[0]).
    add(def(ApiKeys.JoinGroup), joinGroupHandler(s), 2, 9)
    add(def(ApiKeys.SyncGroup), syncGroupHandler(s), 0, 5)
    add(def(ApiKeys.Heartbeat), heartbeatHandler(s), 0, 4)
    add(def(ApiKeys.LeaveGroup), leaveGroupHandler(s), 0, 5)
    add(def(ApiKeys.OffsetCommit), offsetCommitHandler(s), 2, 9)
    add(def(ApiKeys.OffsetFetch), offsetFetchHandler(s), 1, 9)
    add(def(ApiKeys.ListGroups), listGroupsHandler(s), 0, 5)
    add(def(ApiKeys.DescribeGroups), describeGroupsHandler(s), 0, 5)
    add(def(ApiKeys.DeleteGroups), deleteGroupsHandler(s), 1, 2)
    add(def(ApiKeys.OffsetDelete), offsetDeleteHandler(s), 0, 0)
    // ConsumerGroupHeartbeat v1 is marked unstable in Kafka 4 (latestVersionUnstable), which does not advertise it.
    add(def(ApiKeys.ConsumerGroupHeartbeat), consumerGroupHeartbeatHandler(s), 0, 0)
    add(def(ApiKeys.ConsumerGroupDescribe), consumerGroupDescribeHandler(s), 0, 0)
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

  /** The web inspector's address (`http://127.0.0.1:<port>/`) when started with `ui`; undefined otherwise. */
  get uiUrl(): string | undefined {
    return this.inspector?.url
  }

  /** The brokers: id, host, port and whether each is running. */
  get brokers(): BrokerInfo[] {
    return [...this.state.brokers]
  }

  /**
   * Creates a topic (no-op if it exists); leaders are spread over the brokers. Throws a RangeError
   * for what Kafka refuses: an illegal name (legal: 1 to 249 of `[a-zA-Z0-9._-]`, not '.' or '..'),
   * a name colliding with an existing topic's once '.' and '_' count as one character, or more than
   * 9,999 partitions (Kafka's controller writes at most 10,000 records per creation), or `configs`
   * that Kafka refuses (INVALID_CONFIG, with Kafka's message).
   */
  createTopic(name: string, partitions = 1, replicationFactor?: number, configs?: Record<string, string>): void {
    if (this.state.topics.has(name)) return
    const problem = this.state.topicNameProblem(name)
    if (problem !== undefined) throw new RangeError(problem)
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS_PER_TOPIC) {
      throw new RangeError(`partitions must be an integer from 1 to ${MAX_PARTITIONS_PER_TOPIC}, got ${partitions}`)
    }
    const overrides = new Map(Object.entries(configs ?? {}))
    try {
      validateTopicConfigs(overrides)
    } catch (error) {
      throw new RangeError((error as Error).message)
    }
    const topic = this.state.createTopic(name, partitions, replicationFactor)
    this.state.configs.setTopicOverrides(topic, overrides)
  }

  /** Names of the topics that exist. */
  topics(): string[] {
    return [...this.state.topics.keys()]
  }

  /** The number of partitions of a topic (RangeError for an unknown topic). */
  partitionCount(topic: string): number {
    const t = this.state.topics.get(topic)
    if (t === undefined) throw new RangeError(`unknown topic '${topic}'`)
    return t.partitions.length
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
    if ('deserializers' in options) {
      throw new TypeError(
        'records() returns bytes; for records read by deserializers, await decodedRecords(topic, options)',
      )
    }
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
          // Records below the log start offset (DeleteRecords) are gone for consumers.
          if (header.baseOffset + BigInt(r.offsetDelta) < p.log.logStartOffset) continue
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

  /**
   * The records of `records(topic, options)` with keys, values and header values read by
   * `deserializers` (Avro or Protobuf through a MockSchemaRegistry, JSON, string: any
   * `Deserializer`), typed by what they return; a part without a deserializer stays bytes. Async
   * because deserializers are (a registry-backed one fetches its schemas). Rejects naming the first
   * record that does not read.
   */
  decodedRecords<D extends RecordDeserializers>(
    topic: string,
    options: DecodedRecordsOptions<D>,
  ): Promise<Array<DecodedRecordOf<D>>> {
    const { deserializers, ...which } = options
    try {
      return decodeRecords(this.records(topic, which), deserializers)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * Waits until the topic (or `partition`) holds `count` records (`isolation: 'read_committed'`:
   * committed ones), woken by appends, not by polling; a topic or partition that does not exist yet
   * is waited for too. Resolves with the records then present (at least `count`, as `records()`
   * lists them; decoded as `decodedRecords` does when `deserializers` are given). Rejects after
   * `timeoutMs` (default 4,000) with a WaitForRecordsTimeoutError saying what did arrive: the count
   * per partition and the last records' keys and values, shortened; or when the cluster stops or
   * `signal` aborts.
   */
  waitForRecords(topic: string, options: WaitForRecordsOptions): Promise<MockRecord[]>
  waitForRecords<D extends RecordDeserializers>(
    topic: string,
    options: WaitForRecordsOptions & { deserializers: D },
  ): Promise<Array<DecodedRecordOf<D>>>
  waitForRecords(
    topic: string,
    options: WaitForRecordsOptions & { deserializers?: RecordDeserializers },
  ): Promise<unknown[]> {
    const source: RecordWaitSource = {
      partitionsOf: (name) => this.state.topics.get(name)?.partitions,
      topicNames: () => this.topics(),
      records: (name, which) => this.records(name, which),
      onStructureChange: (listener) => this.state.onStructureChange(listener),
      stopped: () => this.stopped,
    }
    return waitForRecords(source, topic, options)
  }

  /**
   * Empties a topic's records (every topic's without a name), for a test fixture: every partition's
   * log start offset moves up to its end, as DeleteRecords up to the high watermark does. Offsets keep
   * growing (the next record gets the offset it would have got), so running consumers, fetch
   * sessions and idempotent producers' sequences go on undisturbed, and `records()` and
   * `waitForRecords` see only what comes after. Committed offsets of consumer groups below the new
   * log start are moved up to it (metadata kept), as if the group had consumed the cleared records:
   * a group resumes at the first record produced after `clear()`, and `lag()` counts only those.
   * Topics, configs, groups and transactions stay. Throws a RangeError for an unknown topic.
   */
  clear(topic?: string): void {
    const one = topic === undefined ? undefined : this.state.topics.get(topic)
    if (topic !== undefined && one === undefined) throw new RangeError(`unknown topic '${topic}'`)
    const topics = one === undefined ? [...this.state.topics.values()] : [one]
    for (const t of topics) for (const p of t.partitions) p.log.advanceLogStartOffset(p.log.logEndOffset)
    const offsets = this.state.groups.offsets
    for (const groupId of offsets.groupIds()) {
      for (const { topic: name, partition, committed } of offsets.list(groupId)) {
        if (one !== undefined && name !== one.name) continue
        const start = this.state.partition(name, partition)?.log.logStartOffset
        if (start !== undefined && committed.offset < start) {
          offsets.put(groupId, name, partition, { ...committed, offset: start })
        }
      }
    }
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
   * those for one topic/partition, one consumer group or to one broker. Partition-level APIs
   * (Produce, Fetch, ListOffsets, OffsetCommit, and OffsetFetch and OffsetDelete given a topic)
   * answer the error for the matching partitions; DescribeGroups, DeleteGroups, OffsetFetch v8+ and
   * ConsumerGroupDescribe for the matching groups; others at the top level.
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
      groupId: spec.groupId,
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
    this.sessionCaches.clear(brokerId)
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

  /**
   * Offsets committed for a consumer group (OffsetCommit, and TxnOffsetCommit once its transaction
   * committed), as `topic:partition` to offset.
   */
  committedOffsets(groupId: string): Map<string, bigint> {
    return new Map(this.state.groups.committed(groupId).map((c) => [`${c.topic}:${c.partition}`, c.offset]))
  }

  /** A group's committed offsets with what Kafka keeps beside them: leader epoch, metadata, commit time. */
  groupOffsets(groupId: string): MockCommittedOffset[] {
    return this.state.groups.committed(groupId)
  }

  /**
   * A group's lag per partition it committed an offset for, as `topic:partition` to the partition's
   * end offset minus the committed offset (never below 0).
   */
  lag(groupId: string): Map<string, bigint> {
    const out = new Map<string, bigint>()
    for (const c of this.state.groups.committed(groupId)) {
      const p = this.state.partition(c.topic, c.partition)
      if (p === undefined) continue
      const lag = p.log.logEndOffset - c.offset
      out.set(`${c.topic}:${c.partition}`, lag > 0n ? lag : 0n)
    }
    return out
  }

  /** Every group the coordinator knows (with members or only committed offsets). */
  groups(): MockGroup[] {
    return [...this.state.groups.groups.keys()].map((id) => this.state.groups.snapshot(id) as MockGroup)
  }

  /**
   * A group: state, protocol type and protocol, generation, leader, and members with their decoded
   * assignments; undefined for a group the coordinator does not know.
   */
  group(groupId: string): MockGroup | undefined {
    return this.state.groups.snapshot(groupId)
  }

  /**
   * Removes a member as its coordinator does when its session expires: a parked JoinGroup or
   * SyncGroup of it is answered UNKNOWN_MEMBER_ID, its next request gets UNKNOWN_MEMBER_ID (a KIP-848
   * member: UNKNOWN_MEMBER_ID), and the others rebalance (their heartbeats get REBALANCE_IN_PROGRESS).
   */
  kickMember(groupId: string, memberId: string): void {
    this.state.groups.kick(groupId, memberId)
  }

  /**
   * Moves a group to another coordinator: the old one answers NOT_COORDINATOR from then on (and to
   * its parked JoinGroup and SyncGroup requests), FindCoordinator names the new one.
   */
  moveCoordinator(groupId: string, brokerId: number): void {
    this.requireBroker(brokerId)
    this.state.groups.move(groupId, brokerId)
  }

  /**
   * A topic's effective configuration, as DescribeConfigs reports it: for every topic config, the
   * topic's override, else the broker's setting (dynamic per broker, cluster-wide, then static),
   * else Kafka's default. Dynamic per-broker settings are `brokerId`'s (default: the lowest id).
   */
  topicConfig(topic: string, brokerId = 1): Record<string, string> {
    const t = this.state.topics.get(topic)
    if (t === undefined) throw new RangeError(`unknown topic '${topic}'`)
    const out: Record<string, string> = {}
    for (const entry of this.state.configs.describeTopic(t, brokerId, null, false)) out[entry.name] = entry.value ?? ''
    return out
  }

  /**
   * Sets a topic config override (IncrementalAlterConfigs SET), or removes it for null (DELETE).
   * Throws a RangeError with Kafka's INVALID_CONFIG message for an unknown name or a bad value.
   */
  setTopicConfig(topic: string, name: string, value: string | null): void {
    const t = this.state.topics.get(topic)
    if (t === undefined) throw new RangeError(`unknown topic '${topic}'`)
    const overrides = new Map(this.state.configs.topicOverrides(t))
    if (value === null) overrides.delete(name)
    else overrides.set(name, value)
    if (value === null && !TOPIC_CONFIGS.has(name)) throw new RangeError(`Unknown topic config name: ${name}`)
    try {
      validateTopicConfigs(overrides)
    } catch (error) {
      throw new RangeError((error as Error).message)
    }
    this.state.configs.setTopicOverrides(t, overrides)
  }

  /**
   * Sets a dynamic broker config (KIP-226) on one broker, or cluster-wide when `brokerId` is
   * undefined; null removes it. Topic configs without an override follow their broker synonym
   * (message.max.bytes, log.message.timestamp.type, log.cleanup.policy...). Throws a RangeError
   * with Kafka's message for a config that cannot be updated dynamically or a bad value.
   */
  setBrokerConfig(name: string, value: string | null, brokerId?: number): void {
    if (brokerId !== undefined) this.requireBroker(brokerId)
    const configs = new Map(this.state.configs.dynamicBrokerConfigs(brokerId))
    if (value === null) configs.delete(name)
    else configs.set(name, value)
    const problem = this.state.configs.brokerConfigProblem(configs)
    if (problem !== undefined) throw new RangeError(problem)
    this.state.configs.setDynamicBrokerConfigs(brokerId, configs)
  }

  /**
   * Deletes a partition's records below `beforeOffset` as DeleteRecords does: the log start offset
   * moves up to it (never down), fetches below it answer OFFSET_OUT_OF_RANGE, ListOffsets earliest
   * answers it. Throws a RangeError past the high watermark (the log end). Returns the log start offset.
   */
  deleteRecords(topic: string, partition: number, beforeOffset: bigint): bigint {
    const log = this.requirePartition(topic, partition).log
    if (beforeOffset < 0n || beforeOffset > log.logEndOffset) {
      throw new RangeError(
        `Cannot increment the log start offset to ${beforeOffset} of partition ${topic}-${partition} since it is larger than the high watermark ${log.logEndOffset}`,
      )
    }
    log.advanceLogStartOffset(beforeOffset)
    return log.logStartOffset
  }

  /** A topic's id, in Kafka's base64url form (Fetch v13+ and Metadata v10+ name topics by it). */
  topicId(topic: string): string {
    const t = this.state.topics.get(topic)
    if (t === undefined) throw new RangeError(`unknown topic '${topic}'`)
    return t.id
  }

  /** Log start offset (the earliest offset a consumer can read) of a partition. */
  startOffset(topic: string, partition: number): bigint {
    return this.requirePartition(topic, partition).log.logStartOffset
  }

  /**
   * The incremental fetch sessions (KIP-227) a broker caches: id, the epoch the next incremental
   * fetch must carry, and the partitions in the session's order.
   */
  fetchSessions(brokerId: number): Array<{
    sessionId: number
    epoch: number
    partitions: Array<{ topic: string | undefined; topicId: string; partition: number }>
  }> {
    this.requireBroker(brokerId)
    return this.sessionCaches
      .of(brokerId)
      .sessions()
      .map((s) => ({
        sessionId: s.id,
        epoch: s.epoch,
        partitions: [...s.partitions.values()].map((p) => ({
          topic: p.topic,
          topicId: p.topicId,
          partition: p.partition,
        })),
      }))
  }

  /** Stops every broker and the web inspector, and closes every connection. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    // Wakes pending waitForRecords calls, which reject: the cluster stopped.
    this.state.structureChanged()
    this.state.groups.stop()
    await this.inspector?.stop()
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
