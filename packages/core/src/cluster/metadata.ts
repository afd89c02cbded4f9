import { type MetadataEvent, metadataChannel, traced } from '../diagnostics/channels.js'
import { KafkaProtocolError } from '../errors/kafka-protocol-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import { toError } from '../errors/to-error.js'
import { TributaryError } from '../errors/tributary-error.js'
import type { BrokerPool } from '../network/broker-pool.js'
import { metadata as metadataApi } from '../protocol/apis/metadata/metadata.js'
import { ErrorCodes, errorInfo } from '../protocol/error-codes.js'
import { backoffMs, sleep } from '../retry.js'

/** A partition as the last metadata response said. */
export interface PartitionState {
  /** Leader node id, or -1 when there is none (or it is not among the brokers listed). */
  leader: number
  leaderEpoch: number
  replicas: readonly number[]
  isr: readonly number[]
  offline: readonly number[]
}

/** A topic as the last metadata response said. */
export interface TopicInfo {
  name: string
  partitions: PartitionState[]
}

/** A broker's address as the last metadata response said. */
export interface BrokerNode {
  nodeId: number
  host: string
  port: number
}

/** Options of the metadata cache. */
export interface MetadataOptions {
  /** Named in diagnostics events. */
  clientId?: string
  metadataMaxAgeMs: number
  retryBackoffMs: number
  retryBackoffMaxMs: number
  /** Told about metadata the broker sent that makes no sense (and was ignored). */
  warn?: (message: string) => void
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/** Topic errors in Metadata that fail a send at once instead of when `maxBlockMs` runs out. */
const FAIL_AT_ONCE = new Set<number>([ErrorCodes.INVALID_TOPIC_EXCEPTION, ErrorCodes.TOPIC_AUTHORIZATION_FAILED])
const MAX_PORT = 65_535

/**
 * The producer's view of the cluster: brokers, and the partitions and leaders of the topics it
 * writes to. Refreshes are single-flight: concurrent callers share one Metadata request. What a
 * broker sends is checked before it is used: a partition index outside the partitions listed, a
 * duplicate index or a broker without a usable address is reported and ignored, never allocated for.
 */
export class ClusterMetadata {
  private readonly topics = new Map<string, TopicInfo>()
  private brokers = new Map<number, BrokerNode>()
  /** Why a topic is not usable: the last error code or inconsistency reported for it. */
  private readonly problems = new Map<string, string>()
  /** Topics the last metadata refused for good (an invalid name, no authorization), with the code. */
  private readonly refused = new Map<string, number>()
  private readonly wanted = new Set<string>()
  private readonly pool: BrokerPool
  private readonly options: MetadataOptions
  private inflight: Promise<void> | undefined
  private lastRequested = new Set<string>()
  /** When the last refresh succeeded (ms since the epoch), 0 before. */
  refreshedAt = 0
  private attemptedAt = 0
  private stale = false
  private lastError: Error | undefined
  /** Counts successful refreshes, so a caller can wait for metadata newer than what it saw. */
  version = 0

  constructor(pool: BrokerPool, options: MetadataOptions) {
    this.pool = pool
    this.options = options
  }

  /** The topic's partitions, if known and there is at least one. */
  topic(name: string): TopicInfo | undefined {
    return this.topics.get(name)
  }

  /** The leader of a partition, or -1 when unknown. */
  leader(topic: string, partition: number): number {
    return this.topics.get(topic)?.partitions[partition]?.leader ?? -1
  }

  /** A broker's address, when the last metadata listed it. */
  broker(nodeId: number): BrokerNode | undefined {
    return this.brokers.get(nodeId)
  }

  /** Why a topic is not known yet, in a few words, for error messages. */
  reason(name: string): string {
    return this.problems.get(name) ?? this.lastError?.message ?? 'no partitions reported'
  }

  /** The error of the last refresh that failed, cleared by a successful one. */
  get refreshError(): Error | undefined {
    return this.lastError
  }

  /** Marks the metadata stale, so that the next `maybeRefresh` fetches it. */
  requestUpdate(): void {
    this.stale = true
  }

  /** True when a refresh is due: requested, or older than metadataMaxAgeMs. */
  get needsRefresh(): boolean {
    return this.stale || Date.now() - this.refreshedAt >= this.options.metadataMaxAgeMs
  }

  /**
   * Starts a refresh if one is due, none is under way and the last one is at least retryBackoffMs
   * old; resolves when it ends, successful or not (callers retry), or returns undefined when
   * nothing was started.
   */
  maybeRefresh(): Promise<void> | undefined {
    if (
      this.inflight === undefined &&
      this.needsRefresh &&
      Date.now() - this.attemptedAt >= this.options.retryBackoffMs
    ) {
      return this.refresh().catch(() => {})
    }
    return undefined
  }

  /** Fetches metadata for every topic of interest (and `topic`, which becomes one). */
  refresh(topic?: string): Promise<void> {
    if (topic !== undefined) this.wanted.add(topic)
    if (this.inflight !== undefined) {
      if (topic === undefined || this.lastRequested.has(topic)) return this.inflight
      return this.inflight.catch(() => {}).then(() => this.refresh(topic))
    }
    this.stale = false
    const attempt = this.fetch().finally(() => {
      this.inflight = undefined
    })
    this.inflight = attempt
    return attempt
  }

  private fetch(): Promise<void> {
    const names = [...this.wanted]
    this.lastRequested = new Set(names)
    return traced(
      metadataChannel,
      (): MetadataEvent => ({ clientId: this.options.clientId ?? '', topics: names }),
      () => this.fetchTopics(names),
      (event) => {
        event.brokers = this.brokers.size
      },
    )
  }

  private async fetchTopics(names: string[]): Promise<void> {
    try {
      const connection = await this.pool.any()
      const response = await connection.send(metadataApi, {
        topics: names.map((name) => ({ name, topicId: ZERO_UUID })),
        allowAutoTopicCreation: true,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      })
      const brokers = new Set<number>()
      const usable: BrokerNode[] = []
      for (const b of response.brokers) {
        if (!Number.isInteger(b.nodeId) || b.nodeId < 0 || b.host === '' || b.port < 1 || b.port > MAX_PORT) {
          this.warn(`ignoring broker ${b.nodeId} at ${b.host}:${b.port} in a Metadata response: not a usable address`)
          continue
        }
        brokers.add(b.nodeId)
        usable.push({ nodeId: b.nodeId, host: b.host, port: b.port })
      }
      this.pool.setBrokers(usable)
      this.brokers = new Map(usable.map((b) => [b.nodeId, b]))
      for (const t of response.topics) {
        if (t.name === null) continue
        if (t.errorCode !== ErrorCodes.NONE) {
          this.problems.set(t.name, `${errorInfo(t.errorCode).name} for the topic`)
          if (FAIL_AT_ONCE.has(t.errorCode)) this.refused.set(t.name, t.errorCode)
          if (t.errorCode !== ErrorCodes.LEADER_NOT_AVAILABLE) this.topics.delete(t.name)
          this.stale = true
          continue
        }
        this.refused.delete(t.name)
        const info = this.readTopic(t.name, t.partitions, brokers)
        if (info === undefined) continue
        this.problems.delete(t.name)
        this.topics.set(t.name, info)
      }
      this.refreshedAt = Date.now()
      this.attemptedAt = this.refreshedAt
      this.lastError = undefined
      this.version++
    } catch (error) {
      this.stale = true
      this.attemptedAt = Date.now()
      this.lastError = toError(error)
      throw error
    }
  }

  /**
   * A topic's partitions from a response, or undefined (with the problem noted) when the indexes
   * are not exactly 0..n-1 or there are none: such a response is ignored, the topic keeps what was
   * known, and a new refresh is asked for.
   */
  private readTopic(
    name: string,
    listed: ReadonlyArray<{
      errorCode: number
      partitionIndex: number
      leaderId: number
      leaderEpoch?: number
      replicaNodes: readonly number[]
      isrNodes: readonly number[]
      offlineReplicas?: readonly number[]
    }>,
    brokers: ReadonlySet<number>,
  ): TopicInfo | undefined {
    const count = listed.length
    if (count === 0) {
      this.problems.set(name, 'the broker reported 0 partitions for the topic')
      this.stale = true
      return undefined
    }
    const partitions: Array<PartitionState | undefined> = new Array(count)
    for (const p of listed) {
      const index = p.partitionIndex
      if (!Number.isInteger(index) || index < 0 || index >= count || partitions[index] !== undefined) {
        const problem = `the broker listed partition ${index} of topic '${name}' among ${count} partition(s): metadata ignored`
        this.problems.set(name, problem)
        this.warn(problem)
        this.stale = true
        return undefined
      }
      const healthy = p.errorCode === ErrorCodes.NONE || p.errorCode === ErrorCodes.REPLICA_NOT_AVAILABLE
      const leader = healthy && brokers.has(p.leaderId) ? p.leaderId : -1
      if (leader < 0) this.stale = true
      partitions[index] = {
        leader,
        leaderEpoch: p.leaderEpoch ?? -1,
        replicas: p.replicaNodes,
        isr: p.isrNodes,
        offline: p.offlineReplicas ?? [],
      }
    }
    return { name, partitions: partitions as PartitionState[] }
  }

  private warn(message: string): void {
    this.options.warn?.(message)
  }

  /**
   * Waits until a topic's partitions are known, refreshing with backoff, until `deadline` (ms since
   * the epoch). Rejects with TimeoutError naming the topic and why it is not known, or at once with
   * an error that waiting cannot cure (failed authentication, bad TLS).
   */
  async waitForTopic(name: string, deadline: number, timeoutMs: number): Promise<TopicInfo> {
    for (let attempt = 0; ; attempt++) {
      const known = this.topics.get(name)
      if (known !== undefined) return known
      try {
        await this.refresh(name)
      } catch (error) {
        if (TributaryError.isInstance(error) && !error.retriable) throw error
      }
      const found = this.topics.get(name)
      if (found !== undefined) return found
      // As the Java client: waiting does not make a name valid or grant access.
      const refused = this.refused.get(name)
      if (refused !== undefined) throw new KafkaProtocolError(refused, { api: 'Metadata', topic: name })
      const remaining = deadline - Date.now()
      if (remaining <= 0) throw this.notPresent(name, timeoutMs)
      const policy = { initialMs: this.options.retryBackoffMs, maxMs: this.options.retryBackoffMaxMs }
      await sleep(Math.min(backoffMs(policy, attempt), remaining))
    }
  }

  /** The TimeoutError of a record that waited `timeoutMs` for a topic that never showed up. */
  notPresent(name: string, timeoutMs: number): TimeoutError {
    return new TimeoutError(`topic '${name}' not present in metadata after ${timeoutMs} ms (${this.reason(name)})`, {
      timeoutMs,
      cause: this.lastError,
    })
  }
}
