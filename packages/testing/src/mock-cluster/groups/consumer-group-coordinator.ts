import { randomUUID } from 'node:crypto'
import {
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
  ErrorCodes,
} from '@tributary/core/protocol'
import { type AssignorMember, SERVER_ASSIGNORS, type TopicPartitions } from './assignors.js'
import type { ResolvedGroupConfig } from './config.js'
import {
  ConsumerGroup,
  ConsumerMember,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  reconcile,
  sameAssignment,
} from './consumer-group.js'
import type { AnyGroup, GroupContext, GroupCoordinator, GroupHost } from './group-coordinator.js'
import type { KeyedTimers } from './timers.js'
import type { MockGroupEvent } from './types.js'

// KIP-848 consumer groups (ConsumerGroupHeartbeat, ConsumerGroupDescribe), after Kafka's
// GroupMetadataManager.consumerGroupHeartbeat and its helpers: members join, heartbeat and leave
// in one API; the coordinator computes the target assignment with a server assignor and moves each
// member towards it (CurrentAssignmentBuilder), fencing members whose session or rebalance times
// out. It shares the groups, timers and settings of the GroupCoordinator it belongs to.

/** An API error of the coordinator, with Kafka's code and message. */
export class GroupError extends Error {
  readonly errorCode: number

  constructor(errorCode: number, message: string) {
    super(message)
    this.errorCode = errorCode
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function sameStringMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}

export class ConsumerGroupCoordinator {
  private readonly coordinator: GroupCoordinator

  constructor(coordinator: GroupCoordinator) {
    this.coordinator = coordinator
  }

  private get groups(): Map<string, AnyGroup> {
    return this.coordinator.groups
  }

  private get timers(): KeyedTimers {
    return this.coordinator.timers
  }

  private get config(): ResolvedGroupConfig {
    return this.coordinator.config
  }

  private get host(): GroupHost {
    return this.coordinator.host
  }

  private emit(event: MockGroupEvent): void {
    this.coordinator.emit(event)
  }

  private warn(message: string): void {
    this.coordinator.warn(message)
  }

  /** Restarts the timers of a group's members (after a coordinator move: GroupMetadataManager.onLoaded). */
  reload(group: ConsumerGroup): void {
    for (const m of group.members.values()) {
      this.scheduleSessionTimeout(group, m.memberId)
      if (m.state === 'UNREVOKED_PARTITIONS') this.scheduleRebalanceTimeout(group, m)
    }
  }

  /** Clears the timers of a group's members (the group is deleted). */
  cancelTimers(group: ConsumerGroup): void {
    for (const id of group.members.keys()) {
      this.timers.cancel(this.sessionKey(group.groupId, id))
      this.timers.cancel(this.rebalanceKey(group.groupId, id))
    }
  }

  /** ConsumerGroupHeartbeat (GroupMetadataManager.consumerGroupHeartbeat). */
  heartbeat(
    ctx: GroupContext,
    request: ConsumerGroupHeartbeatRequest,
  ): Omit<ConsumerGroupHeartbeatResponse, 'throttleTimeMs'> {
    const fail = (errorCode: number, errorMessage: string | null = null) => ({
      errorCode,
      errorMessage,
      memberId: null,
      memberEpoch: 0,
      heartbeatIntervalMs: 0,
      assignment: null,
    })
    const invalid = this.invalidConsumerGroupHeartbeat(request)
    if (invalid !== undefined) return fail(invalid.errorCode, invalid.message)
    try {
      if (request.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH || request.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
        return this.consumerGroupLeave(request)
      }
      return this.consumerGroupJoinOrHeartbeat(ctx, request)
    } catch (error) {
      if (error instanceof GroupError) return fail(error.errorCode, error.message)
      this.warn(`ConsumerGroupHeartbeat of ${request.groupId} failed: ${describeError(error)}`)
      return fail(ErrorCodes.UNKNOWN_SERVER_ERROR)
    }
  }

  private invalidConsumerGroupHeartbeat(r: ConsumerGroupHeartbeatRequest): GroupError | undefined {
    const bad = (message: string) => new GroupError(ErrorCodes.INVALID_REQUEST, message)
    if (r.groupId === '') return bad("GroupId can't be empty.")
    if (r.instanceId === '') return bad("InstanceId can't be empty.")
    if (r.rackId === '') return bad("RackId can't be empty.")
    if (r.subscribedTopicRegex !== null && r.subscribedTopicRegex !== undefined) {
      return bad('SubscribedTopicRegex is not supported yet.')
    }
    if (r.memberEpoch > 0 || r.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH) {
      if (r.memberId === '') return bad("MemberId can't be empty.")
    } else if (r.memberEpoch === 0) {
      if (r.rebalanceTimeoutMs === -1) return bad('RebalanceTimeoutMs must be provided in first request.')
      if (r.topicPartitions === null || r.topicPartitions.length > 0) {
        return bad('TopicPartitions must be empty when (re-)joining.')
      }
      if (r.subscribedTopicNames === null || r.subscribedTopicNames.length === 0) {
        return bad('SubscribedTopicNames must be set in first request.')
      }
    } else if (r.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      if (r.memberId === '') return bad("MemberId can't be empty.")
      if (r.instanceId === null) return bad("InstanceId can't be null.")
    } else {
      return bad('MemberEpoch is invalid.')
    }
    if (r.serverAssignor !== null && !(r.serverAssignor in SERVER_ASSIGNORS)) {
      return new GroupError(
        ErrorCodes.UNSUPPORTED_ASSIGNOR,
        `ServerAssignor ${r.serverAssignor} is not supported. Supported assignors: ${Object.keys(SERVER_ASSIGNORS).join(', ')}.`,
      )
    }
    return undefined
  }

  private consumerGroupLeave(r: ConsumerGroupHeartbeatRequest): Omit<ConsumerGroupHeartbeatResponse, 'throttleTimeMs'> {
    const group = this.groups.get(r.groupId)
    if (group === undefined || group.type !== 'consumer') {
      throw new GroupError(ErrorCodes.GROUP_ID_NOT_FOUND, `Consumer group ${r.groupId} not found.`)
    }
    const response = {
      errorCode: ErrorCodes.NONE,
      errorMessage: null,
      memberId: r.memberId,
      memberEpoch: r.memberEpoch,
      heartbeatIntervalMs: 0,
      assignment: null,
    }
    let member: ConsumerMember | undefined
    if (r.instanceId === null) {
      member = group.members.get(r.memberId)
      if (member === undefined)
        throw new GroupError(
          ErrorCodes.UNKNOWN_MEMBER_ID,
          `Member ${r.memberId} is not a member of group ${r.groupId}.`,
        )
    } else {
      member = group.staticMember(r.instanceId)
      if (member === undefined)
        throw new GroupError(ErrorCodes.UNKNOWN_MEMBER_ID, `Instance id ${r.instanceId} is unknown.`)
      if (member.memberId !== r.memberId) {
        throw new GroupError(
          ErrorCodes.FENCED_INSTANCE_ID,
          `Static member ${r.memberId} with instance id ${r.instanceId} was fenced by member ${member.memberId}.`,
        )
      }
      if (r.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
        // The static member keeps its partitions until its session expires or it comes back.
        const leaving = member.clone()
        leaving.memberEpoch = LEAVE_GROUP_STATIC_MEMBER_EPOCH
        leaving.pendingRevocation = new Map()
        group.put(leaving)
        this.emit({
          groupId: r.groupId,
          type: 'leave',
          memberId: r.memberId,
          message: `static member ${r.instanceId} (${r.memberId}) leaves ${r.groupId} for now`,
        })
        return { ...response, memberId: member.memberId, memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH }
      }
    }
    this.emit({
      groupId: r.groupId,
      type: 'leave',
      memberId: member.memberId,
      message: `${member.memberId} leaves ${r.groupId}`,
    })
    this.fence(group, member)
    return response
  }

  /** Removes a consumer group member and bumps the group epoch (GroupMetadataManager.consumerGroupFenceMember). */
  fence(group: ConsumerGroup, member: ConsumerMember): void {
    group.remove(member.memberId)
    this.timers.cancel(this.sessionKey(group.groupId, member.memberId))
    this.timers.cancel(this.rebalanceKey(group.groupId, member.memberId))
    group.subscriptionMetadata = this.subscriptionMetadata(group.subscribedTopicNames())
    group.groupEpoch++
  }

  private consumerGroupJoinOrHeartbeat(
    ctx: GroupContext,
    r: ConsumerGroupHeartbeatRequest,
  ): Omit<ConsumerGroupHeartbeatResponse, 'throttleTimeMs'> {
    const create = r.memberEpoch === 0
    const group = this.getOrMaybeCreateConsumerGroup(r.groupId, create)
    if (group.members.size >= this.config.consumerMaxSize && (r.memberId === '' || !group.members.has(r.memberId))) {
      throw new GroupError(
        ErrorCodes.GROUP_MAX_SIZE_REACHED,
        `The consumer group has reached its maximum capacity of ${this.config.consumerMaxSize} members.`,
      )
    }
    const memberId = r.memberId === '' ? randomUUID() : r.memberId
    let member: ConsumerMember
    let isNew = false
    if (r.instanceId === null) {
      const existing = group.members.get(memberId)
      if (existing === undefined) {
        if (!create)
          throw new GroupError(
            ErrorCodes.UNKNOWN_MEMBER_ID,
            `Member ${memberId} is not a member of group ${r.groupId}.`,
          )
        member = new ConsumerMember(memberId)
        isNew = true
      } else {
        this.checkMemberEpoch(existing, r.memberEpoch, r.topicPartitions)
        member = existing
      }
    } else {
      const existing = group.staticMember(r.instanceId)
      if (create) {
        if (existing === undefined) {
          member = group.members.get(memberId) ?? new ConsumerMember(memberId)
          isNew = !group.members.has(memberId)
        } else {
          if (existing.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            throw new GroupError(
              ErrorCodes.UNRELEASED_INSTANCE_ID,
              `Static member ${memberId} with instance id ${r.instanceId} cannot join the group because the instance id is owned by ${existing.memberId} member.`,
            )
          }
          // The static member comes back under a new member id, with its partitions.
          member = existing.clone(memberId)
          member.memberEpoch = 0
          member.previousMemberEpoch = 0
          const target = group.targetAssignment.get(existing.memberId)
          group.remove(existing.memberId)
          this.timers.cancel(this.sessionKey(group.groupId, existing.memberId))
          this.timers.cancel(this.rebalanceKey(group.groupId, existing.memberId))
          if (target !== undefined) group.targetAssignment.set(memberId, target)
          group.put(member)
          this.emit({
            groupId: r.groupId,
            type: 'static-rejoin',
            memberId,
            message: `static member ${r.instanceId} rejoins ${r.groupId} as ${memberId}, replacing ${existing.memberId}`,
          })
        }
      } else {
        if (existing === undefined)
          throw new GroupError(ErrorCodes.UNKNOWN_MEMBER_ID, `Instance id ${r.instanceId} is unknown.`)
        if (existing.memberId !== memberId) {
          throw new GroupError(
            ErrorCodes.FENCED_INSTANCE_ID,
            `Static member ${memberId} with instance id ${r.instanceId} was fenced by member ${existing.memberId}.`,
          )
        }
        this.checkMemberEpoch(existing, r.memberEpoch, r.topicPartitions)
        member = existing
      }
    }

    const updated = member.clone()
    if (r.instanceId !== null) updated.instanceId = r.instanceId
    if (r.rackId !== null) updated.rackId = r.rackId
    if (r.rebalanceTimeoutMs !== -1) updated.rebalanceTimeoutMs = r.rebalanceTimeoutMs
    if (r.serverAssignor !== null) updated.serverAssignor = r.serverAssignor
    if (r.subscribedTopicNames !== null) updated.subscribedTopicNames = [...r.subscribedTopicNames]
    updated.clientId = ctx.clientId
    updated.clientHost = ctx.clientHost

    let bump =
      isNew ||
      updated.subscribedTopicNames.length !== member.subscribedTopicNames.length ||
      !updated.subscribedTopicNames.every((t) => member.subscribedTopicNames.includes(t)) ||
      updated.serverAssignor !== member.serverAssignor
    const names = new Set<string>()
    for (const m of group.members.values()) {
      if (m.memberId === member.memberId) continue
      for (const t of m.subscribedTopicNames) names.add(t)
    }
    for (const t of updated.subscribedTopicNames) names.add(t)
    const metadata = this.subscriptionMetadata(names)
    if (!sameStringMap(metadata, group.subscriptionMetadata)) {
      group.subscriptionMetadata = metadata
      bump = true
    }
    group.put(updated)
    if (isNew) {
      this.emit({
        groupId: r.groupId,
        type: 'join',
        memberId,
        message: `${memberId} (client ${ctx.clientId}) joins consumer group ${r.groupId} subscribed to ${updated.subscribedTopicNames.join(', ')}`,
      })
    }
    if (bump) group.groupEpoch++
    if (group.groupEpoch > group.assignmentEpoch) {
      this.computeTargetAssignment(group)
      this.emit({
        groupId: r.groupId,
        type: 'rebalance',
        generation: group.groupEpoch,
        message: `${r.groupId} has a new target assignment at epoch ${group.groupEpoch}`,
      })
    }

    let reconciled = updated
    if (!updated.isReconciledTo(group.assignmentEpoch)) {
      try {
        reconciled = reconcile(
          group,
          updated,
          group.assignmentEpoch,
          group.targetAssignment.get(memberId) ?? new Map(),
          r.topicPartitions,
        )
      } catch {
        throw new GroupError(
          ErrorCodes.FENCED_MEMBER_EPOCH,
          'The consumer group member is in a unknown state. The member must abandon all its partitions and rejoin.',
        )
      }
      group.put(reconciled)
      if (reconciled.state === 'UNREVOKED_PARTITIONS') this.scheduleRebalanceTimeout(group, reconciled)
      else this.timers.cancel(this.rebalanceKey(group.groupId, memberId))
      if (!sameAssignment(reconciled.assigned, updated.assigned)) {
        this.emit({
          groupId: r.groupId,
          type: 'assignment',
          memberId,
          generation: reconciled.memberEpoch,
          message: `${memberId} in ${r.groupId} now owns ${this.describeAssignment(reconciled.assigned)} (epoch ${reconciled.memberEpoch}, ${reconciled.state})`,
        })
      }
    }
    this.scheduleSessionTimeout(group, memberId)
    const full =
      r.memberEpoch === 0 ||
      (r.rebalanceTimeoutMs !== -1 && r.subscribedTopicNames !== null && r.topicPartitions !== null)
    return {
      errorCode: ErrorCodes.NONE,
      errorMessage: null,
      memberId,
      memberEpoch: reconciled.memberEpoch,
      heartbeatIntervalMs: this.config.consumerHeartbeatIntervalMs,
      assignment:
        full || !sameAssignment(member.assigned, reconciled.assigned)
          ? {
              topicPartitions: [...reconciled.assigned].map(([topicId, set]) => ({
                topicId,
                partitions: [...set].sort((a, b) => a - b),
              })),
            }
          : null,
    }
  }

  private checkMemberEpoch(
    member: ConsumerMember,
    received: number,
    owned: Array<{ topicId: string; partitions: number[] }> | null,
  ): void {
    if (received > member.memberEpoch) {
      throw new GroupError(
        ErrorCodes.FENCED_MEMBER_EPOCH,
        `The consumer group member has a greater member epoch (${received}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
      )
    }
    if (received < member.memberEpoch) {
      const subset =
        owned?.every((tp) => tp.partitions.every((p) => member.assigned.get(tp.topicId)?.has(p) ?? false)) === true
      if (received !== member.previousMemberEpoch || !subset) {
        throw new GroupError(
          ErrorCodes.FENCED_MEMBER_EPOCH,
          `The consumer group member has a smaller member epoch (${received}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
        )
      }
    }
  }

  private getOrMaybeCreateConsumerGroup(groupId: string, create: boolean): ConsumerGroup {
    const group = this.groups.get(groupId)
    if (group === undefined && !create)
      throw new GroupError(ErrorCodes.GROUP_ID_NOT_FOUND, `Consumer group ${groupId} not found.`)
    if (group?.type === 'consumer') return group
    if (group !== undefined) {
      // An empty classic group (with offsets only) becomes a consumer group; Kafka also converts
      // non-empty classic groups online (KIP-848 migration), which the mock does not.
      if (!create || !group.isEmpty)
        throw new GroupError(ErrorCodes.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a consumer group.`)
      this.coordinator.deleteGroupState(groupId)
    }
    const created = new ConsumerGroup(groupId)
    this.groups.set(groupId, created)
    return created
  }

  /** Subscribed topic name to `id:partitions` for the topics that exist. */
  private subscriptionMetadata(names: Iterable<string>): Map<string, string> {
    const out = new Map<string, string>()
    for (const name of names) {
      const t = this.host.topicByName(name)
      if (t !== undefined) out.set(name, `${t.id}:${t.partitions}`)
    }
    return out
  }

  /** Runs the group's server assignor (the members' choice, else uniform) into the target assignment. */
  private computeTargetAssignment(group: ConsumerGroup): void {
    const partitions = new Map<string, number>()
    const members: AssignorMember[] = []
    const assignorName = this.preferredAssignor(group)
    for (const m of group.members.values()) {
      const subscribed = new Set<string>()
      for (const name of m.subscribedTopicNames) {
        const t = this.host.topicByName(name)
        if (t === undefined) continue
        subscribed.add(t.id)
        partitions.set(t.id, t.partitions)
      }
      members.push({ memberId: m.memberId, subscribed, current: group.targetAssignment.get(m.memberId) ?? new Map() })
    }
    const result = SERVER_ASSIGNORS[assignorName]({ members, partitions })
    group.targetAssignment.clear()
    for (const [memberId, assignment] of result) group.targetAssignment.set(memberId, assignment)
    group.assignmentEpoch = group.groupEpoch
  }

  /** The server assignor most members ask for (uniform, the first configured, when none does). */
  preferredAssignor(group: ConsumerGroup): keyof typeof SERVER_ASSIGNORS {
    const votes = new Map<string, number>()
    for (const m of group.members.values()) {
      if (m.serverAssignor !== null && m.serverAssignor in SERVER_ASSIGNORS) {
        votes.set(m.serverAssignor, (votes.get(m.serverAssignor) ?? 0) + 1)
      }
    }
    let best = 'uniform'
    let most = 0
    for (const [name, n] of votes) {
      if (n > most) {
        best = name
        most = n
      }
    }
    return best as keyof typeof SERVER_ASSIGNORS
  }

  scheduleSessionTimeout(group: ConsumerGroup, memberId: string): void {
    const { groupId } = group
    this.timers.schedule(this.sessionKey(groupId, memberId), this.config.consumerSessionTimeoutMs, () => {
      const g = this.groups.get(groupId)
      const m = g?.type === 'consumer' ? g.members.get(memberId) : undefined
      if (g?.type !== 'consumer' || m === undefined) return
      this.emit({
        groupId,
        type: 'expire',
        memberId,
        message: `${memberId} missed its session timeout and leaves consumer group ${groupId}`,
      })
      this.fence(g, m)
    })
  }

  scheduleRebalanceTimeout(group: ConsumerGroup, member: ConsumerMember): void {
    const { groupId } = group
    const { memberId, memberEpoch } = member
    this.timers.schedule(this.rebalanceKey(groupId, memberId), Math.max(0, member.rebalanceTimeoutMs), () => {
      const g = this.groups.get(groupId)
      const m = g?.type === 'consumer' ? g.members.get(memberId) : undefined
      if (g?.type !== 'consumer' || m === undefined || m.memberEpoch !== memberEpoch) return
      this.emit({
        groupId,
        type: 'expire',
        memberId,
        message: `${memberId} did not revoke its partitions within ${m.rebalanceTimeoutMs} ms and leaves ${groupId}`,
      })
      this.fence(g, m)
    })
  }

  validateOffsetCommit(
    group: ConsumerGroup,
    memberId: string,
    epoch: number,
    transactional: boolean,
    apiVersion: number,
  ): number {
    if (epoch < 0 && group.members.size === 0) return ErrorCodes.NONE
    const member = group.members.get(memberId)
    if (member === undefined) return ErrorCodes.UNKNOWN_MEMBER_ID
    if (!transactional && apiVersion < 9) return ErrorCodes.UNSUPPORTED_VERSION
    return epoch === member.memberEpoch ? ErrorCodes.NONE : ErrorCodes.STALE_MEMBER_EPOCH
  }

  validateOffsetFetch(group: ConsumerGroup, memberId: string | null, epoch: number): number {
    if (memberId === null && epoch < 0) return ErrorCodes.NONE
    const member = memberId === null ? undefined : group.members.get(memberId)
    if (member === undefined) return ErrorCodes.UNKNOWN_MEMBER_ID
    return epoch === member.memberEpoch ? ErrorCodes.NONE : ErrorCodes.STALE_MEMBER_EPOCH
  }

  /** ConsumerGroupDescribe for one group. */
  describe(groupId: string): {
    errorCode: number
    errorMessage: string | null
    groupState: string
    groupEpoch: number
    assignmentEpoch: number
    assignorName: string
    members: Array<{
      memberId: string
      instanceId: string | null
      rackId: string | null
      memberEpoch: number
      clientId: string
      clientHost: string
      subscribedTopicNames: string[]
      assignment: Array<{ topicId: string; topicName: string; partitions: number[] }>
      targetAssignment: Array<{ topicId: string; topicName: string; partitions: number[] }>
    }>
  } {
    const group = this.groups.get(groupId)
    if (group === undefined || group.type !== 'consumer') {
      return {
        errorCode: ErrorCodes.GROUP_ID_NOT_FOUND,
        errorMessage: `Group ${groupId} not found.`,
        groupState: '',
        groupEpoch: 0,
        assignmentEpoch: 0,
        assignorName: '',
        members: [],
      }
    }
    const named = (a: TopicPartitions) =>
      [...a].map(([topicId, set]) => ({
        topicId,
        topicName: this.host.topicById(topicId)?.name ?? '',
        partitions: [...set].sort((x, y) => x - y),
      }))
    const assignor = this.preferredAssignor(group)
    return {
      errorCode: ErrorCodes.NONE,
      errorMessage: null,
      groupState: group.state,
      groupEpoch: group.groupEpoch,
      assignmentEpoch: group.assignmentEpoch,
      assignorName: assignor,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        instanceId: m.instanceId,
        rackId: m.rackId,
        memberEpoch: m.memberEpoch,
        clientId: m.clientId,
        clientHost: m.clientHost,
        subscribedTopicNames: [...m.subscribedTopicNames],
        assignment: named(m.assigned),
        targetAssignment: named(group.targetAssignment.get(m.memberId) ?? new Map()),
      })),
    }
  }

  private describeAssignment(a: TopicPartitions): string {
    const parts = [...a].map(
      ([topicId, set]) =>
        `${this.host.topicById(topicId)?.name ?? topicId}[${[...set].sort((x, y) => x - y).join(',')}]`,
    )
    return parts.length === 0 ? 'nothing' : parts.join(' ')
  }

  sessionKey(groupId: string, memberId: string): string {
    return `session\u0000${groupId}\u0000${memberId}`
  }

  rebalanceKey(groupId: string, memberId: string): string {
    return `rebalance\u0000${groupId}\u0000${memberId}`
  }
}
