import { ErrorCodes } from '@tributary/core/protocol'

// Incremental fetch sessions (KIP-227) as a Kafka broker keeps them (kafka.server.FetchSession,
// FetchSessionCacheShard, FetchManager.newContext): a full fetch with epoch 0 opens a session whose
// id the response carries; incremental fetches name the session and the next epoch, send only the
// partitions that changed and the ones to forget, and get back only the partitions with news. The
// cache is split into 8 shards of slots/8 sessions each, filled round-robin, and evicts as Kafka does.

/** FetchMetadata.INVALID_SESSION_ID: no session. */
export const INVALID_SESSION_ID = 0
/** FetchMetadata.INITIAL_EPOCH: a full fetch that asks for a session. */
export const INITIAL_EPOCH = 0
/** FetchMetadata.FINAL_EPOCH: a full fetch without a session (or closing one). */
export const FINAL_EPOCH = -1
/** KafkaBroker.NumFetchSessionCacheShards. */
const NUM_SHARDS = 8
/** KafkaServer.MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS: a session unused this long is stale. */
export const SESSION_EVICTION_MS = 120_000
const INT32_MAX = 0x7fffffff
const SESSION_ID_RANGE = Math.floor(INT32_MAX / NUM_SHARDS)

/** FetchMetadata.nextEpoch. */
export function nextEpoch(epoch: number): number {
  if (epoch < 0) return FINAL_EPOCH
  if (epoch === INT32_MAX) return 1
  return epoch + 1
}

/** A partition's fetch parameters, as a request gives them. */
export interface PartitionFetchParams {
  fetchOffset: bigint
  maxBytes: number
  currentLeaderEpoch: number
  logStartOffset: bigint
}

/** A partition named in a fetch, by topic id (v13+) or topic name; the name is undefined for an unknown id. */
export interface FetchPartitionKey {
  /** `topicId:partition` (v13+) or `name:partition`. */
  readonly key: string
  readonly topicId: string
  topic: string | undefined
  readonly partition: number
}

/** A partition a session caches: its last request parameters and what the last response said. */
export interface CachedPartition extends FetchPartitionKey {
  params: PartitionFetchParams
  highWatermark: bigint
  localLogStartOffset: bigint
}

/** What a response says about a partition, for deciding whether an incremental response includes it. */
export interface PartitionAnswer {
  errorCode: number
  highWatermark: bigint
  logStartOffset: bigint
  recordsSize: number
}

/** A cached fetch session. */
export class FetchSession {
  readonly partitions = new Map<string, CachedPartition>()
  epoch = nextEpoch(INITIAL_EPOCH)
  lastUsedMs: number
  /** The size when last touched, and the evictable sets it was put in then (FetchSessionCacheShard.touch). */
  cachedSize = -1
  evictableByAll = false
  evictableByPrivileged = false

  constructor(
    readonly id: number,
    readonly privileged: boolean,
    readonly usesTopicIds: boolean,
    readonly creationMs: number,
  ) {
    this.lastUsedMs = creationMs
  }

  /**
   * FetchSession.update: partitions already cached take the new parameters in place, new ones go
   * to the end, forgotten ones are dropped.
   */
  update(
    fetchData: ReadonlyMap<string, { key: FetchPartitionKey; params: PartitionFetchParams }>,
    toForget: string[],
  ): void {
    for (const [key, data] of fetchData) {
      const cached = this.partitions.get(key)
      if (cached === undefined) {
        this.partitions.set(key, { ...data.key, params: data.params, highWatermark: -1n, localLogStartOffset: -1n })
      } else {
        cached.params = data.params
      }
    }
    for (const key of toForget) this.partitions.delete(key)
  }
}

/** One shard of a broker's session cache (FetchSessionCacheShard). */
class Shard {
  readonly sessions = new Map<number, FetchSession>()

  constructor(
    private readonly maxEntries: number,
    private readonly number: number,
  ) {}

  newSessionId(): number {
    const low = Math.max(1, this.number * SESSION_ID_RANGE)
    const high = (this.number + 1) * SESSION_ID_RANGE
    for (;;) {
      const id = low + Math.floor(Math.random() * (high - low))
      if (id !== INVALID_SESSION_ID && !this.sessions.has(id)) return id
    }
  }

  maybeCreate(now: number, privileged: boolean, size: number, usesTopicIds: boolean): FetchSession | undefined {
    if (this.sessions.size >= this.maxEntries && !this.tryEvict(privileged, size, now)) return undefined
    const session = new FetchSession(this.newSessionId(), privileged, usesTopicIds, now)
    this.sessions.set(session.id, session)
    return session
  }

  /**
   * FetchSessionCacheShard.tryEvict: the least recently used session if it is stale; otherwise the
   * least valuable evictable one (unprivileged before privileged, then fewer partitions, then lower
   * id) if the new session is worth at least as much. Sessions become evictable by unprivileged ones
   * only once older than the eviction time.
   */
  private tryEvict(privileged: boolean, size: number, now: number): boolean {
    let lru: FetchSession | undefined
    for (const s of this.sessions.values()) {
      if (lru === undefined || s.lastUsedMs < lru.lastUsedMs || (s.lastUsedMs === lru.lastUsedMs && s.id < lru.id))
        lru = s
    }
    if (lru === undefined) return false
    if (now - lru.lastUsedMs > SESSION_EVICTION_MS) {
      this.sessions.delete(lru.id)
      return true
    }
    let least: FetchSession | undefined
    for (const s of this.sessions.values()) {
      if (!(privileged ? s.evictableByPrivileged : s.evictableByAll)) continue
      if (least === undefined || compareKeys(s.privileged, s.cachedSize, s.id, least) < 0) least = s
    }
    if (least === undefined) return false
    if (compareKeys(privileged, size, 0, least) < 0) return false
    this.sessions.delete(least.id)
    return true
  }

  /** FetchSessionCacheShard.touch. */
  touch(session: FetchSession, now: number): void {
    session.lastUsedMs = now
    session.cachedSize = session.partitions.size
    const old = now - session.creationMs > SESSION_EVICTION_MS
    session.evictableByPrivileged = !session.privileged || old
    session.evictableByAll = old
  }
}

/** EvictableKey ordering: (privileged, size, id). */
function compareKeys(privileged: boolean, size: number, id: number, other: FetchSession): number {
  if (privileged !== other.privileged) return privileged ? 1 : -1
  if (size !== other.cachedSize) return size < other.cachedSize ? -1 : 1
  return id === other.id ? 0 : id < other.id ? -1 : 1
}

/** How a fetch request is served, as FetchManager.newContext decides. */
export type FetchContext =
  | { kind: 'error'; errorCode: number }
  | { kind: 'sessionless' }
  | { kind: 'full' }
  | { kind: 'incremental'; session: FetchSession; requestEpoch: number }

/** One broker's fetch session cache (max.incremental.fetch.session.cache.slots over 8 shards). */
export class FetchSessionCache {
  private readonly shards: Shard[] = []
  private counter = 0

  constructor(slots: number) {
    for (let i = 0; i < NUM_SHARDS; i++) this.shards.push(new Shard(Math.floor(slots / NUM_SHARDS), i))
  }

  /** Every cached session. */
  sessions(): FetchSession[] {
    return this.shards.flatMap((s) => [...s.sessions.values()])
  }

  private shardOf(sessionId: number): Shard | undefined {
    return sessionId > 0 ? this.shards[Math.floor(sessionId / SESSION_ID_RANGE)] : undefined
  }

  /**
   * FetchManager.newContext: epoch 0 or -1 is a full fetch (closing the session named, if any;
   * epoch 0 asks for a new one); any other epoch is incremental and must name a cached session at
   * that epoch, with topic ids if and only if the session uses them (FETCH_SESSION_ID_NOT_FOUND,
   * INVALID_FETCH_SESSION_EPOCH, FETCH_SESSION_TOPIC_ID_ERROR). An incremental fetch that leaves the
   * session empty closes it and is served without a session.
   */
  newContext(
    version: number,
    sessionId: number,
    epoch: number,
    fetchData: ReadonlyMap<string, { key: FetchPartitionKey; params: PartitionFetchParams }>,
    toForget: string[],
    now: number,
  ): FetchContext {
    if (epoch === INITIAL_EPOCH || epoch === FINAL_EPOCH) {
      if (sessionId !== INVALID_SESSION_ID) this.shardOf(sessionId)?.sessions.delete(sessionId)
      return epoch === FINAL_EPOCH ? { kind: 'sessionless' } : { kind: 'full' }
    }
    const shard = this.shardOf(sessionId)
    const session = shard?.sessions.get(sessionId)
    if (shard === undefined || session === undefined)
      return { kind: 'error', errorCode: ErrorCodes.FETCH_SESSION_ID_NOT_FOUND }
    if (session.epoch !== epoch) return { kind: 'error', errorCode: ErrorCodes.INVALID_FETCH_SESSION_EPOCH }
    if (session.usesTopicIds !== version >= 13)
      return { kind: 'error', errorCode: ErrorCodes.FETCH_SESSION_TOPIC_ID_ERROR }
    session.update(fetchData, toForget)
    if (session.partitions.size === 0) {
      shard.sessions.delete(session.id)
      return { kind: 'sessionless' }
    }
    shard.touch(session, now)
    session.epoch = nextEpoch(session.epoch)
    return { kind: 'incremental', session, requestEpoch: epoch }
  }

  /**
   * FullFetchContext.updateAndGenerateResponseData: tries to cache a session of the partitions
   * answered, in the response's order; the session id, or 0 when the cache has no room.
   */
  createSession(
    privileged: boolean,
    usesTopicIds: boolean,
    answered: ReadonlyArray<{ key: FetchPartitionKey; params: PartitionFetchParams; answer: PartitionAnswer }>,
    now: number,
  ): number {
    const shard = this.shards[this.counter++ % NUM_SHARDS] as Shard
    this.counter %= NUM_SHARDS
    const session = shard.maybeCreate(now, privileged, answered.length, usesTopicIds)
    if (session === undefined) return INVALID_SESSION_ID
    for (const { key, params, answer } of answered) {
      session.partitions.set(key.key, {
        ...key,
        params,
        highWatermark: answer.highWatermark,
        localLogStartOffset: answer.logStartOffset,
      })
    }
    shard.touch(session, now)
    return session.id
  }
}

/**
 * CachedPartition.maybeUpdateResponseData: whether an incremental response includes a partition
 * (records, a new high watermark or log start offset, an error), updating what the session
 * remembers; an error resets the remembered high watermark so the partition is sent again after.
 */
export function mustRespond(cached: CachedPartition, answer: PartitionAnswer): boolean {
  let respond = answer.recordsSize > 0
  if (cached.highWatermark !== answer.highWatermark) {
    respond = true
    cached.highWatermark = answer.highWatermark
  }
  if (cached.localLogStartOffset !== answer.logStartOffset) {
    respond = true
    cached.localLogStartOffset = answer.logStartOffset
  }
  if (answer.errorCode !== 0) {
    cached.highWatermark = -1n
    respond = true
  }
  return respond
}

/** The fetch session caches of a cluster's brokers, each as large as max.incremental.fetch.session.cache.slots. */
export class FetchSessionCaches {
  private readonly caches = new Map<number, FetchSessionCache>()

  constructor(readonly slots: number) {}

  /** The cache of one broker. */
  of(brokerId: number): FetchSessionCache {
    let cache = this.caches.get(brokerId)
    if (cache === undefined) {
      cache = new FetchSessionCache(this.slots)
      this.caches.set(brokerId, cache)
    }
    return cache
  }

  /** Forgets a broker's sessions (it restarted: Kafka keeps them in memory only). */
  clear(brokerId: number): void {
    this.caches.delete(brokerId)
  }
}
