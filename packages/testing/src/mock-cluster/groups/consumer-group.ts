import type { TopicPartitions } from './assignors.js'

// A KIP-848 consumer group (ConsumerGroupHeartbeat) as Kafka's ConsumerGroup and
// ConsumerGroupMember keep it (group-coordinator/.../modern/consumer/), with the reconciliation of
// CurrentAssignmentBuilder: a member gives up partitions before anyone else gets them.

/** Kafka's MemberState. */
export type MemberState = 'STABLE' | 'UNREVOKED_PARTITIONS' | 'UNRELEASED_PARTITIONS' | 'UNKNOWN'

/** Kafka's ConsumerGroupState names. */
export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead'

/** Member epoch of a member leaving the group (ConsumerGroupHeartbeatRequest.LEAVE_GROUP_MEMBER_EPOCH). */
export const LEAVE_GROUP_MEMBER_EPOCH = -1
/** Member epoch of a static member leaving for a while (LEAVE_GROUP_STATIC_MEMBER_EPOCH). */
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2

export function copyAssignment(a: TopicPartitions): TopicPartitions {
  return new Map([...a].map(([t, s]) => [t, new Set(s)]))
}

export function sameAssignment(a: TopicPartitions, b: TopicPartitions): boolean {
  const keys = new Set([...a.keys(), ...b.keys()])
  for (const k of keys) {
    const x = a.get(k) ?? new Set<number>()
    const y = b.get(k) ?? new Set<number>()
    if (x.size !== y.size) return false
    for (const p of x) if (!y.has(p)) return false
  }
  return true
}

/** A member of a consumer group (Kafka's ConsumerGroupMember). */
export class ConsumerMember {
  memberId: string
  instanceId: string | null = null
  rackId: string | null = null
  clientId = ''
  clientHost = ''
  memberEpoch = 0
  previousMemberEpoch = -1
  state: MemberState = 'STABLE'
  rebalanceTimeoutMs = -1
  subscribedTopicNames: string[] = []
  serverAssignor: string | null = null
  assigned: TopicPartitions = new Map()
  pendingRevocation: TopicPartitions = new Map()

  constructor(memberId: string) {
    this.memberId = memberId
  }

  clone(memberId = this.memberId): ConsumerMember {
    const m = new ConsumerMember(memberId)
    Object.assign(m, this, {
      memberId,
      subscribedTopicNames: [...this.subscribedTopicNames],
      assigned: copyAssignment(this.assigned),
      pendingRevocation: copyAssignment(this.pendingRevocation),
    })
    return m
  }

  isReconciledTo(targetEpoch: number): boolean {
    return this.state === 'STABLE' && this.memberEpoch === targetEpoch
  }

  updateEpoch(epoch: number): void {
    this.previousMemberEpoch = this.memberEpoch
    this.memberEpoch = epoch
  }
}

/** A KIP-848 consumer group (Kafka's ConsumerGroup). */
export class ConsumerGroup {
  readonly type = 'consumer' as const
  readonly groupId: string
  groupEpoch = 0
  assignmentEpoch = 0
  readonly members = new Map<string, ConsumerMember>()
  /** Instance id to member id. */
  readonly staticMembers = new Map<string, string>()
  /** Target assignment per member id. */
  readonly targetAssignment = new Map<string, TopicPartitions>()
  /** Subscribed topic name to `id:partitions`, to notice a change (Kafka's subscription metadata). */
  subscriptionMetadata = new Map<string, string>()

  constructor(groupId: string) {
    this.groupId = groupId
  }

  get isEmpty(): boolean {
    return this.members.size === 0
  }

  get state(): ConsumerGroupState {
    if (this.members.size === 0) return 'Empty'
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning'
    for (const m of this.members.values()) if (!m.isReconciledTo(this.assignmentEpoch)) return 'Reconciling'
    return 'Stable'
  }

  staticMember(instanceId: string): ConsumerMember | undefined {
    const id = this.staticMembers.get(instanceId)
    return id === undefined ? undefined : this.members.get(id)
  }

  put(member: ConsumerMember): void {
    this.members.set(member.memberId, member)
    if (member.instanceId !== null) this.staticMembers.set(member.instanceId, member.memberId)
  }

  remove(memberId: string): void {
    const m = this.members.get(memberId)
    this.members.delete(memberId)
    this.targetAssignment.delete(memberId)
    if (m?.instanceId !== null && m?.instanceId !== undefined && this.staticMembers.get(m.instanceId) === memberId) {
      this.staticMembers.delete(m.instanceId)
    }
  }

  /** The epoch of the member that owns (or is revoking) a partition, -1 when it is free. */
  currentPartitionEpoch(topicId: string, partition: number, except?: string): number {
    for (const m of this.members.values()) {
      if (m.memberId === except) continue
      if (m.assigned.get(topicId)?.has(partition) || m.pendingRevocation.get(topicId)?.has(partition)) {
        return m.memberEpoch
      }
    }
    return -1
  }

  /** Every topic some member subscribes to. */
  subscribedTopicNames(): Set<string> {
    const names = new Set<string>()
    for (const m of this.members.values()) for (const t of m.subscribedTopicNames) names.add(t)
    return names
  }
}

/** Whether the owned partitions (null: unknown) still hold any of `revoking`. */
function ownsRevokedPartitions(
  owned: Array<{ topicId: string; partitions: number[] }> | null,
  revoking: TopicPartitions,
): boolean {
  if (owned === null) return true
  for (const tp of owned) {
    const set = revoking.get(tp.topicId)
    if (set !== undefined && tp.partitions.some((p) => set.has(p))) return true
  }
  return false
}

/**
 * The next state of a member on its way to the target assignment (Kafka's CurrentAssignmentBuilder):
 * partitions leaving it are revoked first (UNREVOKED_PARTITIONS, same epoch) until the member
 * reports it no longer owns them; partitions coming to it are handed over once their previous
 * owner released them (UNRELEASED_PARTITIONS until then). Throws 'fenced' for an UNKNOWN member
 * that still claims partitions.
 */
export function reconcile(
  group: ConsumerGroup,
  member: ConsumerMember,
  targetEpoch: number,
  target: TopicPartitions,
  owned: Array<{ topicId: string; partitions: number[] }> | null,
): ConsumerMember {
  switch (member.state) {
    case 'STABLE':
      if (member.memberEpoch !== targetEpoch) return next(group, member, member.memberEpoch, targetEpoch, target, owned)
      return member
    case 'UNREVOKED_PARTITIONS':
      if (ownsRevokedPartitions(owned, member.pendingRevocation)) return member
      return next(group, member, member.memberEpoch + 1, targetEpoch, target, owned)
    case 'UNRELEASED_PARTITIONS':
      return next(group, member, member.memberEpoch, targetEpoch, target, owned)
    case 'UNKNOWN':
      if (owned === null || owned.length > 0) throw new Error('fenced')
      return next(group, member, targetEpoch, targetEpoch, target, owned)
  }
}

function next(
  group: ConsumerGroup,
  member: ConsumerMember,
  memberEpoch: number,
  targetEpoch: number,
  target: TopicPartitions,
  owned: Array<{ topicId: string; partitions: number[] }> | null,
): ConsumerMember {
  let unreleased = false
  const assigned: TopicPartitions = new Map()
  const revoking: TopicPartitions = new Map()
  const pending: TopicPartitions = new Map()
  for (const topicId of new Set([...target.keys(), ...member.assigned.keys()])) {
    const wanted = target.get(topicId) ?? new Set<number>()
    const current = member.assigned.get(topicId) ?? new Set<number>()
    const keep = new Set([...current].filter((p) => wanted.has(p)))
    const revoke = new Set([...current].filter((p) => !keep.has(p)))
    const toAssign = new Set<number>()
    for (const p of wanted) {
      if (keep.has(p)) continue
      if (group.currentPartitionEpoch(topicId, p, member.memberId) !== -1) unreleased = true
      else toAssign.add(p)
    }
    if (keep.size > 0) assigned.set(topicId, keep)
    if (revoke.size > 0) revoking.set(topicId, revoke)
    if (toAssign.size > 0) pending.set(topicId, toAssign)
  }
  const updated = member.clone()
  if (revoking.size > 0 && ownsRevokedPartitions(owned, revoking)) {
    updated.state = 'UNREVOKED_PARTITIONS'
    updated.updateEpoch(memberEpoch)
    updated.assigned = assigned
    updated.pendingRevocation = revoking
    return updated
  }
  for (const [topicId, set] of pending) {
    const into = assigned.get(topicId) ?? new Set<number>()
    for (const p of set) into.add(p)
    assigned.set(topicId, into)
  }
  updated.state = unreleased ? 'UNRELEASED_PARTITIONS' : 'STABLE'
  updated.updateEpoch(targetEpoch)
  updated.assigned = assigned
  updated.pendingRevocation = new Map()
  return updated
}
