import { randomBytes } from 'node:crypto'
import type { Codec } from '@tributary/core/protocol'
import { PartitionLog } from './partition-log.js'

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
}

/** The cluster's shared state, seen by every broker's request handlers. */
export class ClusterState {
  readonly topics = new Map<string, TopicState>()
  readonly topicsById = new Map<string, TopicState>()
  readonly failures: InjectedFailure[] = []
  readonly config: ClusterConfig
  private readonly brokerList: () => readonly BrokerInfo[]
  private nextProducerId = 1000n
  private readonly transactionalProducers = new Map<string, { producerId: bigint; epoch: number }>()
  private readonly idempotentEpochs = new Map<bigint, number>()

  constructor(config: ClusterConfig, brokers: () => readonly BrokerInfo[]) {
    this.config = config
    this.brokerList = brokers
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
    return topic
  }

  deleteTopic(name: string): boolean {
    const topic = this.topics.get(name)
    if (topic === undefined) return false
    this.topics.delete(name)
    this.topicsById.delete(topic.id)
    return true
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

  /** Allocates a producer id, or bumps the epoch of a known one (transactional id or KIP-360). */
  initProducerId(
    transactionalId: string | null,
    producerId: bigint,
    producerEpoch: number,
  ): { producerId: bigint; producerEpoch: number } {
    if (transactionalId !== null && transactionalId !== '') {
      const existing = this.transactionalProducers.get(transactionalId)
      if (existing === undefined) {
        const fresh = { producerId: this.nextProducerId++, epoch: 0 }
        this.transactionalProducers.set(transactionalId, fresh)
        return { producerId: fresh.producerId, producerEpoch: 0 }
      }
      existing.epoch++
      if (existing.epoch >= 32767) {
        existing.producerId = this.nextProducerId++
        existing.epoch = 0
      }
      return { producerId: existing.producerId, producerEpoch: existing.epoch }
    }
    if (producerId >= 0n) {
      const epoch = this.idempotentEpochs.get(producerId)
      if (epoch !== undefined && epoch === producerEpoch && epoch < 32766) {
        this.idempotentEpochs.set(producerId, epoch + 1)
        return { producerId, producerEpoch: epoch + 1 }
      }
    }
    const id = this.nextProducerId++
    this.idempotentEpochs.set(id, 0)
    return { producerId: id, producerEpoch: 0 }
  }

  /** A codec by Kafka's compression type id. */
  codecFor(type: number): Codec | undefined {
    return this.config.codecs.find((c) => c.type === type)
  }
}
