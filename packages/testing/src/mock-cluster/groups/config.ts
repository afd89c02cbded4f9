/** Group coordinator settings (`MockClusterOptions.groups`); each names the Kafka broker setting it stands for. */
export interface MockGroupOptions {
  /**
   * group.initial.rebalance.delay.ms: how long the first rebalance of an empty group waits for more
   * members (extended by the same delay, up to the rebalance timeout, while members keep joining).
   * Default 100 ms; Kafka's default is 3,000 ms.
   */
  initialRebalanceDelayMs?: number
  /** group.min.session.timeout.ms: JoinGroup with a shorter session timeout gets INVALID_SESSION_TIMEOUT. Default 6,000 (Kafka's). */
  minSessionTimeoutMs?: number
  /** group.max.session.timeout.ms. Default 1,800,000 (Kafka's). */
  maxSessionTimeoutMs?: number
  /**
   * group.max.size: members of a classic group; more get GROUP_MAX_SIZE_REACHED. Default 1,000 (Kafka's
   * default is unbounded, Integer.MAX_VALUE; the mock bounds what a hostile client can make it hold).
   */
  maxSize?: number
  /**
   * Member ids a classic group hands out with MEMBER_ID_REQUIRED that are not used yet (they expire
   * after the session timeout); a first JoinGroup past it gets GROUP_MAX_SIZE_REACHED. Default 1,000.
   * Not in Kafka, which keeps every one: the mock bounds them against floods of first joins.
   */
  maxPendingMembers?: number
  /** How long a new member's parked JoinGroup may wait (Kafka's fixed 5 minutes). */
  newMemberJoinTimeoutMs?: number
  /** offset.metadata.max.bytes: longer commit metadata gets OFFSET_METADATA_TOO_LARGE. Default 4,096 (Kafka's). */
  offsetMetadataMaxBytes?: number
  /** group.consumer.session.timeout.ms (KIP-848 groups). Default 45,000 (Kafka's). */
  consumerSessionTimeoutMs?: number
  /** group.consumer.heartbeat.interval.ms (KIP-848 groups). Default 5,000 (Kafka's). */
  consumerHeartbeatIntervalMs?: number
  /** group.consumer.max.size (KIP-848 groups). Default 1,000 (Kafka's: unbounded). */
  consumerMaxSize?: number
}

export type ResolvedGroupConfig = Required<MockGroupOptions>

export const GROUP_DEFAULTS: ResolvedGroupConfig = {
  initialRebalanceDelayMs: 100,
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
  maxSize: 1000,
  maxPendingMembers: 1000,
  newMemberJoinTimeoutMs: 5 * 60 * 1000,
  offsetMetadataMaxBytes: 4096,
  consumerSessionTimeoutMs: 45_000,
  consumerHeartbeatIntervalMs: 5000,
  consumerMaxSize: 1000,
}

/** Fills in the defaults; throws a RangeError for a value that is not a non-negative integer. */
export function resolveGroupConfig(options: MockGroupOptions | undefined): ResolvedGroupConfig {
  const resolved: ResolvedGroupConfig = { ...GROUP_DEFAULTS }
  for (const [key, value] of Object.entries(options ?? {}) as Array<[keyof MockGroupOptions, unknown]>) {
    if (value === undefined) continue
    if (!(key in GROUP_DEFAULTS)) throw new RangeError(`unknown group option '${key}'`)
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new RangeError(`groups.${key} must be a non-negative integer, got ${String(value)}`)
    }
    resolved[key] = value
  }
  if (resolved.maxSize < 1 || resolved.consumerMaxSize < 1) throw new RangeError('group max sizes must be at least 1')
  if (resolved.minSessionTimeoutMs > resolved.maxSessionTimeoutMs) {
    throw new RangeError('groups.minSessionTimeoutMs must not exceed groups.maxSessionTimeoutMs')
  }
  return resolved
}
