import { TimeoutError } from '../errors/timeout-error.js'
import { TributaryError } from '../errors/tributary-error.js'
import type { BrokerPool } from '../network/broker-pool.js'
import { metadata as metadataApi } from '../protocol/apis/metadata/metadata.js'
import { ErrorCodes, errorInfo } from '../protocol/error-codes.js'

/** A partition's leader as the last metadata response said. */
export interface PartitionInfo {
  /** Leader node id, or -1 when there is none. */
  leader: number
  leaderEpoch: number
}

/** A topic as the last metadata response said. */
export interface TopicInfo {
  name: string
  partitions: PartitionInfo[]
}

/** Options of the metadata cache. */
export interface MetadataOptions {
  metadataMaxAgeMs: number
  retryBackoffMs: number
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/**
 * The producer's view of the cluster: brokers, and the partitions and leaders of the topics it
 * writes to. Refreshes are single-flight: concurrent callers share one Metadata request.
 */
export class ClusterMetadata {
  private readonly topics = new Map<string, TopicInfo>()
  private readonly errors = new Map<string, number>()
  private readonly wanted = new Set<string>()
  private readonly pool: BrokerPool
  private readonly options: MetadataOptions
  private inflight: Promise<void> | undefined
  private refreshedAt = 0
  private stale = false
  /** Counts successful refreshes, so a caller can wait for metadata newer than what it saw. */
  version = 0

  constructor(pool: BrokerPool, options: MetadataOptions) {
    this.pool = pool
    this.options = options
  }

  /** The topic's partitions, if known. */
  topic(name: string): TopicInfo | undefined {
    return this.topics.get(name)
  }

  /** The leader of a partition, or -1 when unknown. */
  leader(topic: string, partition: number): number {
    return this.topics.get(topic)?.partitions[partition]?.leader ?? -1
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
   * Starts a refresh if one is due and none is under way; resolves when it ends, successful or
   * not (callers retry), or returns undefined when nothing was started.
   */
  maybeRefresh(): Promise<void> | undefined {
    if (
      this.inflight === undefined &&
      this.needsRefresh &&
      Date.now() - this.refreshedAt >= this.options.retryBackoffMs
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

  private lastRequested = new Set<string>()

  private async fetch(): Promise<void> {
    const names = [...this.wanted]
    this.lastRequested = new Set(names)
    try {
      const connection = await this.pool.any()
      const response = await connection.send(metadataApi, {
        topics: names.map((name) => ({ name, topicId: ZERO_UUID })),
        allowAutoTopicCreation: true,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      })
      this.pool.setBrokers(response.brokers)
      for (const t of response.topics) {
        if (t.name === null) continue
        if (t.errorCode !== ErrorCodes.NONE) {
          this.errors.set(t.name, t.errorCode)
          if (t.errorCode !== ErrorCodes.LEADER_NOT_AVAILABLE) this.topics.delete(t.name)
          else this.stale = true
          continue
        }
        this.errors.delete(t.name)
        const partitions: PartitionInfo[] = []
        for (const p of t.partitions) {
          partitions[p.partitionIndex] = {
            leader:
              p.errorCode === ErrorCodes.NONE || p.errorCode === ErrorCodes.REPLICA_NOT_AVAILABLE ? p.leaderId : -1,
            leaderEpoch: p.leaderEpoch ?? -1,
          }
          if (p.leaderId < 0) this.stale = true
        }
        for (let i = 0; i < partitions.length; i++) partitions[i] ??= { leader: -1, leaderEpoch: -1 }
        this.topics.set(t.name, { name: t.name, partitions })
      }
      this.refreshedAt = Date.now()
      this.version++
    } catch (error) {
      this.stale = true
      this.refreshedAt = Date.now()
      throw error
    }
  }

  /**
   * Waits until a topic's partitions are known, refreshing with backoff, for at most `timeoutMs`
   * (the producer's maxBlockMs). Rejects with TimeoutError naming the topic and the last error.
   */
  async waitForTopic(name: string, timeoutMs: number): Promise<TopicInfo> {
    const deadline = Date.now() + timeoutMs
    let lastError: unknown
    for (let attempt = 0; ; attempt++) {
      const known = this.topics.get(name)
      if (known !== undefined && known.partitions.length > 0) return known
      try {
        await this.refresh(name)
      } catch (error) {
        // Failed authentication, bad TLS and the like will not get better by waiting.
        if (TributaryError.isInstance(error) && !error.retriable) throw error
        lastError = error
      }
      const found = this.topics.get(name)
      if (found !== undefined && found.partitions.length > 0) return found
      const remaining = deadline - Date.now()
      if (remaining <= 0) {
        const code = this.errors.get(name)
        const reason =
          lastError instanceof Error
            ? lastError.message
            : code !== undefined
              ? errorInfo(code).name
              : 'no partitions reported'
        throw new TimeoutError(`topic '${name}' not present in metadata after ${timeoutMs} ms (${reason})`, {
          cause: lastError,
        })
      }
      const backoff = Math.min(this.options.retryBackoffMs * 2 ** Math.min(attempt, 5), 1000, remaining)
      await new Promise((resolve) => setTimeout(resolve, backoff))
    }
  }
}
