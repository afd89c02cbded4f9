import { randomBytes } from 'node:crypto'
import type { Codec } from '@tributary/core/protocol'
import { resolveCodec } from './codecs.js'
import { ConfigStore } from './config-store.js'
import { GROUP_DEFAULTS, type ResolvedGroupConfig } from './groups/config.js'
import { GroupCoordinator } from './groups/group-coordinator.js'
import { clusterGroupHost } from './groups/host.js'
import { PartitionLog } from './partition-log.js'
import { invalidTopicName, unifiedTopicName } from './topic-rules.js'
import { TransactionCoordinator } from './transaction-coordinator.js'

/** A partition's placement and log. */
export interface PartitionState {
  readonly index: number
  leader: number
  leaderEpoch: number
  replicas: number[]
  readonly log: PartitionLog
}

/** A topic: its id (Kafka's base64url UUID form) and partitions. */
export interface TopicState {
  readonly name: string
  readonly id: string
  readonly partitions: PartitionState[]
}

/** A broker as listed in metadata. */
export interface BrokerInfo {
  readonly nodeId: number
  readonly host: string
  readonly port: number
  readonly running: boolean
}

/** A pending injected failure: the next `remaining` matching requests fail with `errorCode`. */
export interface InjectedFailure {
  apiKey: number
  errorCode: number
  remaining: number
  topic?: string | undefined
  partition?: number | undefined
  brokerId?: number | undefined
  /** Only requests for this consumer group (group APIs). */
  groupId?: string | undefined
}

/** Injected failures that apply to one request; see `ClusterState.failuresFor`. */
export interface RequestFailures {
  request(): number | undefined
  partition(topic: string, partition: number): number | undefined
  commit(): void
}

/** Settings that shape how the cluster answers. */
export interface ClusterConfig {
  readonly clusterId: string
  readonly autoCreateTopics: boolean
  readonly defaultPartitions: number
  readonly defaultReplicationFactor: number
  readonly maxMessageBytes: number
  readonly codecs: readonly Codec[]
  /** Whether the codecs of an installed @tributary/compression are used (MockClusterOptions.loadCodecs). */
  readonly loadCodecs: boolean
  /** Group coordinator settings (MockClusterOptions.groups), defaults filled in. */
  readonly groups?: ResolvedGroupConfig
  /** Fetch sessions each broker caches (Kafka's max.incremental.fetch.session.cache.slots). Default 1000. */
  readonly fetchSessionCacheSlots?: number
}

/** The cluster's shared state, seen by every broker's request handlers. */
export class ClusterState {
  readonly topics = new Map<string, TopicState>()
  readonly topicsById = new Map<string, TopicState>()
  /** Topics whose names have '.' or '_', by the name with every '.' made '_' (Kafka refuses a clash). */
  private readonly topicsByUnifiedName = new Map<string, string>()
  readonly failures: InjectedFailure[] = []
  readonly config: ClusterConfig
  private readonly brokerList: () => readonly BrokerInfo[]
  private nextProducerId = 1000n
  private readonly idempotentEpochs = new Map<bigint, number>()
  /** Transactions: producer ids per transactional id, fencing, markers. */
  readonly transactions = new TransactionCoordinator(this, () => this.nextProducerId++)
  /** Consumer groups and their committed offsets. */
  readonly groups: GroupCoordinator
  /** Topic and broker configs (DescribeConfigs, AlterConfigs, and what the log applies of them). */
  readonly configs: ConfigStore
  /** Listeners for the next topic creation, deletion or partition addition (`onStructureChange`). */
  private structureWaiters: Array<() => void> = []

  constructor(config: ClusterConfig, brokers: () => readonly BrokerInfo[]) {
    this.config = config
    this.brokerList = brokers
    this.configs = new ConfigStore({
      maxMessageBytes: config.maxMessageBytes,
      defaultPartitions: config.defaultPartitions,
      autoCreateTopics: config.autoCreateTopics,
      defaultReplicationFactor: config.defaultReplicationFactor,
      fetchSessionCacheSlots: config.fetchSessionCacheSlots ?? 1000,
    })
    this.groups = new GroupCoordinator(
      config.groups ?? GROUP_DEFAULTS,
      clusterGroupHost(this),
      () => {},
      () => {},
    )
  }

  get brokers(): readonly BrokerInfo[] {
    return this.brokerList()
  }

  /** The controller: the lowest running broker id. */
  get controllerId(): number {
    const running = this.brokers.filter((b) => b.running)
    return running.length === 0 ? -1 : Math.min(...running.map((b) => b.nodeId))
  }

  /**
   * Creates a topic with leaders spread round-robin over the brokers (partition p led by broker
   * p mod n, replicas following it), as Kafka's default assignment does.
   */
  createTopic(name: string, partitions: number, replicationFactor?: number): TopicState {
    const existing = this.topics.get(name)
    if (existing !== undefined) return existing
    const brokers = this.brokers.map((b) => b.nodeId).sort((a, b) => a - b)
    const rf = Math.min(Math.max(1, replicationFactor ?? this.config.defaultReplicationFactor), brokers.length)
    const topic: TopicState = { name, id: randomBytes(16).toString('base64url'), partitions: [] }
    for (let p = 0; p < partitions; p++) {
      const replicas: number[] = []
      for (let r = 0; r < rf; r++) replicas.push(brokers[(p + r) % brokers.length] as number)
      topic.partitions.push({
        index: p,
        leader: replicas[0] as number,
        leaderEpoch: 0,
        replicas,
        log: new PartitionLog(),
      })
    }
    this.topics.set(name, topic)
    this.topicsById.set(topic.id, topic)
    const unified = unifiedTopicName(name)
    if (unified !== undefined) this.topicsByUnifiedName.set(unified, name)
    this.structureChanged()
    return topic
  }

  deleteTopic(name: string): boolean {
    const topic = this.topics.get(name)
    if (topic === undefined) return false
    this.topics.delete(name)
    this.topicsById.delete(topic.id)
    this.groups.offsets.deleteTopic(name)
    const unified = unifiedTopicName(name)
    if (unified !== undefined && this.topicsByUnifiedName.get(unified) === name)
      this.topicsByUnifiedName.delete(unified)
    this.structureChanged()
    return true
  }

  /**
   * Calls `listener` once, at the next topic creation, topic deletion or partition addition (or
   * `structureChanged()` call); returns a function that cancels it. `waitForRecords` waits on it
   * for topics and partitions that do not exist yet, as fetches wait on `PartitionLog.onAppend`.
   */
  onStructureChange(listener: () => void): () => void {
    this.structureWaiters.push(listener)
    return () => {
      const i = this.structureWaiters.indexOf(listener)
      if (i >= 0) this.structureWaiters.splice(i, 1)
    }
  }

  /** Wakes the `onStructureChange` listeners. */
  structureChanged(): void {
    if (this.structureWaiters.length === 0) return
    const waiters = this.structureWaiters
    this.structureWaiters = []
    for (const w of waiters) w()
  }

  /**
   * Why Kafka would refuse to create a topic of this name (INVALID_TOPIC_EXCEPTION): an illegal
   * name, or one that collides with an existing topic's once '.' and '_' count as the same
   * character. Undefined when it may be created (or already exists).
   */
  topicNameProblem(name: string): string | undefined {
    const invalid = invalidTopicName(name)
    if (invalid !== undefined) return invalid
    const unified = unifiedTopicName(name)
    const other = unified === undefined ? undefined : this.topicsByUnifiedName.get(unified)
    if (other !== undefined && other !== name) return `Topic '${name}' collides with existing topic: ${other}`
    return undefined
  }

  partition(topic: string, partition: number): PartitionState | undefined {
    return this.topics.get(topic)?.partitions[partition]
  }

  /**
   * Injected failures for one request: `request()` answers a failure that applies to the whole
   * request, `partition()` one for a topic/partition in it. Each failure matched counts once per
   * request, when `commit()` is called.
   */
  failuresFor(apiKey: number, brokerId: number): RequestFailures {
    const candidates = this.failures.filter((f) => f.apiKey === apiKey && (f.brokerId ?? brokerId) === brokerId)
    const matched = new Set<InjectedFailure>()
    const whole = candidates.find((f) => f.topic === undefined)
    const failures = this.failures
    return {
      request() {
        if (whole === undefined) return undefined
        matched.add(whole)
        return whole.errorCode
      },
      partition(topic, partition) {
        if (whole !== undefined) {
          matched.add(whole)
          return whole.errorCode
        }
        const f = candidates.find((c) => c.topic === topic && (c.partition ?? partition) === partition)
        if (f === undefined) return undefined
        matched.add(f)
        return f.errorCode
      },
      commit() {
        for (const f of matched) {
          f.remaining--
          const i = failures.indexOf(f)
          if (f.remaining <= 0 && i >= 0) failures.splice(i, 1)
        }
      },
    }
  }

  /**
   * InitProducerId: for a transactional id the coordinator's answer (fencing older epochs);
   * otherwise a fresh producer id, or a bumped epoch for a known one (KIP-360).
   */
  initProducerId(
    transactionalId: string | null,
    transactionTimeoutMs: number,
    producerId: bigint,
    producerEpoch: number,
  ): { errorCode: number; producerId: bigint; producerEpoch: number } {
    if (transactionalId !== null && transactionalId !== '') {
      return this.transactions.initProducerId(transactionalId, transactionTimeoutMs)
    }
    if (producerId >= 0n) {
      const epoch = this.idempotentEpochs.get(producerId)
      if (epoch !== undefined && epoch === producerEpoch && epoch < 32766) {
        this.idempotentEpochs.set(producerId, epoch + 1)
        return { errorCode: 0, producerId, producerEpoch: epoch + 1 }
      }
    }
    const id = this.nextProducerId++
    this.idempotentEpochs.set(id, 0)
    return { errorCode: 0, producerId: id, producerEpoch: 0 }
  }

  /** The coordinator of a group or transactional id: a running broker chosen by a hash of the key. */
  coordinatorFor(key: string): BrokerInfo | undefined {
    const running = this.brokers.filter((b) => b.running)
    if (running.length === 0) return undefined
    let h = 0
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0
    return running[(h & 0x7fffffff) % running.length]
  }

  /**
   * The codec for a compression type, for decoding stored batches: one from the `codecs` option,
   * else @tributary/compression's when installed; throws a ProtocolError naming what to install
   * for snappy, lz4 or zstd without one. Undefined for gzip (core's built-in one is used).
   */
  codecFor(type: number): Codec | undefined {
    return resolveCodec(type, this.config.codecs, this.config.loadCodecs)
  }
}
