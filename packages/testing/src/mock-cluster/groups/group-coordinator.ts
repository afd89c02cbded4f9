import {
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
  ErrorCodes,
  type JoinGroupRequest,
  type OffsetCommitRequest,
  type SyncGroupRequest,
} from '@tributary/core/protocol'
import {
  ClassicGroup,
  ClassicMember,
  EMPTY_ASSIGNMENT,
  type JoinResult,
  joinError,
  loadClassicGroup,
  type SyncResult,
  syncError,
} from './classic-group.js'
import type { ResolvedGroupConfig } from './config.js'
import type { ConsumerGroup } from './consumer-group.js'
import { ConsumerGroupCoordinator } from './consumer-group-coordinator.js'
import { decodeAssignment } from './consumer-protocol.js'
import { type CommittedOffset, OffsetStore } from './offsets.js'
import { KeyedTimers } from './timers.js'
import type { MockCommittedOffset, MockGroup, MockGroupEvent, MockGroupMember } from './types.js'

// The group coordinator of the mock cluster, after Kafka's GroupMetadataManager,
// OffsetMetadataManager and GroupCoordinatorService (group-coordinator/src/main/java/org/apache/
// kafka/coordinator/group/): classic groups (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) with
// their rebalances and timers, KIP-848 consumer groups (ConsumerGroupHeartbeat), committed offsets,
// and the admin side (ListGroups, DescribeGroups, DeleteGroups, OffsetDelete); KIP-848 groups are
// in consumer-group-coordinator.ts. One coordinator serves the whole cluster; each group answers
// only on the broker that coordinates it.

/** What the coordinator needs from the cluster. */
export interface GroupHost {
  /** The coordinator of a key when none was set by `move`: a running broker chosen by a hash. */
  defaultCoordinator(key: string): number | undefined
  isBrokerRunning(brokerId: number): boolean
  topicByName(name: string): { id: string; partitions: number } | undefined
  topicById(id: string): { name: string; partitions: number } | undefined
  /** Whether an open transaction holds a pending (TxnOffsetCommit, not yet committed) offset. */
  hasPendingTransactionalOffset(groupId: string, topic: string, partition: number): boolean
}

/** The request's broker, client and version. */
export interface GroupContext {
  brokerId: number
  clientId: string
  clientHost: string
  apiVersion: number
}

export type AnyGroup = ClassicGroup | ConsumerGroup

/** One group's OffsetFetch answer. */
export interface OffsetFetchGroupResult {
  groupId: string
  errorCode: number
  topics: Array<{
    name: string
    partitions: Array<{
      partitionIndex: number
      committedOffset: bigint
      committedLeaderEpoch: number
      metadata: string
      errorCode: number
    }>
  }>
}

const NO_OFFSET = {
  committedOffset: -1n,
  committedLeaderEpoch: -1,
  metadata: '',
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export class GroupCoordinator {
  readonly groups = new Map<string, AnyGroup>()
  readonly offsets = new OffsetStore()
  readonly timers: KeyedTimers
  readonly config: ResolvedGroupConfig
  /** The cluster as the coordinator sees it. */
  readonly host: GroupHost
  /** The KIP-848 side: ConsumerGroupHeartbeat and ConsumerGroupDescribe. */
  readonly consumer: ConsumerGroupCoordinator
  private readonly overrides = new Map<string, number>()
  /** Where events go (MockCluster's 'group' event). */
  emit: (event: MockGroupEvent) => void
  /** Where problems go (the cluster's logger). */
  warn: (message: string) => void

  constructor(
    config: ResolvedGroupConfig,
    host: GroupHost,
    emit: (event: MockGroupEvent) => void,
    warn: (message: string) => void,
  ) {
    this.config = config
    this.host = host
    this.emit = emit
    this.warn = warn
    this.timers = new KeyedTimers((error) => this.warn(`group coordinator timer failed: ${describeError(error)}`))
    this.consumer = new ConsumerGroupCoordinator(this)
  }

  // ---------------------------------------------------------------------------------------------
  // Placement

  /** The broker coordinating a group: the one `move` chose while it runs, else the default. */
  coordinatorOf(groupId: string): number | undefined {
    const chosen = this.overrides.get(groupId)
    if (chosen !== undefined && this.host.isBrokerRunning(chosen)) return chosen
    return this.host.defaultCoordinator(groupId)
  }

  /** NOT_COORDINATOR unless `brokerId` coordinates the group. */
  checkCoordinator(groupId: string, brokerId: number): number {
    return this.coordinatorOf(groupId) === brokerId ? ErrorCodes.NONE : ErrorCodes.NOT_COORDINATOR
  }

  /**
   * Moves a group to another coordinator, as when the leadership of its __consumer_offsets
   * partition moves: the old coordinator unloads it (parked JoinGroup and SyncGroup requests get
   * NOT_COORDINATOR, as in GroupMetadataManager.onUnloaded) and the new one loads it from its last
   * written state (a classic group as of its last completed rebalance, timers restarted).
   */
  move(groupId: string, brokerId: number): void {
    const from = this.coordinatorOf(groupId)
    this.overrides.set(groupId, brokerId)
    if (from === brokerId) return
    const group = this.groups.get(groupId)
    if (group?.type === 'classic') {
      for (const m of group.members.values()) {
        group.completeJoin(m, joinError(ErrorCodes.NOT_COORDINATOR, m.memberId))
        group.completeSync(m, syncError(ErrorCodes.NOT_COORDINATOR))
        this.timers.cancel(this.heartbeatKey(groupId, m.memberId))
      }
      for (const id of group.pendingJoinMembers) this.timers.cancel(this.heartbeatKey(groupId, id))
      this.timers.cancel(this.joinKey(groupId))
      this.timers.cancel(this.syncKey(groupId))
      group.state = 'Dead'
      const loaded =
        group.persisted === undefined ? new ClassicGroup(groupId) : loadClassicGroup(groupId, group.persisted)
      this.groups.set(groupId, loaded)
      for (const m of loaded.members.values()) this.rescheduleHeartbeat(loaded, m)
    } else if (group?.type === 'consumer') {
      this.consumer.reload(group)
    }
    this.emit({ groupId, type: 'move', message: `group ${groupId} moved from broker ${from} to broker ${brokerId}` })
  }

  // ---------------------------------------------------------------------------------------------
  // Classic groups: JoinGroup

  /** JoinGroup: answers when the join phase completes (or at once for errors and MEMBER_ID_REQUIRED). */
  joinGroup(ctx: GroupContext, request: JoinGroupRequest): Promise<JoinResult> {
    return new Promise((resolve) => {
      try {
        this.classicJoin(ctx, request, resolve)
      } catch (error) {
        this.warn(`JoinGroup of ${request.groupId} failed: ${describeError(error)}`)
        resolve(joinError(ErrorCodes.UNKNOWN_SERVER_ERROR, request.memberId))
      }
    })
  }

  private classicJoin(ctx: GroupContext, request: JoinGroupRequest, respond: (r: JoinResult) => void): void {
    const { groupId, memberId } = request
    let existing = this.groups.get(groupId)
    if (existing?.type === 'consumer') {
      if (!existing.isEmpty) {
        // Kafka converts a consumer group for classic members (KIP-848 online migration); the mock does not.
        respond(joinError(ErrorCodes.INCONSISTENT_GROUP_PROTOCOL, memberId))
        return
      }
      this.deleteGroupState(groupId)
      existing = undefined
    }
    const isUnknown = memberId === ''
    let group = existing
    if (group === undefined) {
      if (!isUnknown) {
        respond(joinError(ErrorCodes.UNKNOWN_MEMBER_ID, memberId))
        return
      }
      group = new ClassicGroup(groupId)
      group.persist()
      this.groups.set(groupId, group)
    }
    if (!this.acceptJoiningMember(group, memberId)) {
      group.remove(memberId)
      respond(joinError(ErrorCodes.GROUP_MAX_SIZE_REACHED, ''))
      return
    }
    if (isUnknown) this.joinNewMember(ctx, request, group, respond)
    else this.joinExistingMember(ctx, request, group, respond)
  }

  private acceptJoiningMember(group: ClassicGroup, memberId: string): boolean {
    const max = this.config.maxSize
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true
      case 'PreparingRebalance':
        return (group.member(memberId)?.isAwaitingJoin ?? false) || group.numAwaitingJoin < max
      default:
        return group.hasMember(memberId) || group.members.size < max
    }
  }

  private joinNewMember(
    ctx: GroupContext,
    request: JoinGroupRequest,
    group: ClassicGroup,
    respond: (r: JoinResult) => void,
  ): void {
    if (group.isInState('Dead')) {
      respond(joinError(ErrorCodes.COORDINATOR_NOT_AVAILABLE, ''))
      return
    }
    if (!group.supportsProtocols(request.protocolType, request.protocols)) {
      respond(joinError(ErrorCodes.INCONSISTENT_GROUP_PROTOCOL, ''))
      return
    }
    const instanceId = request.groupInstanceId ?? null
    const newMemberId = group.generateMemberId(ctx.clientId, instanceId)
    if (instanceId !== null) {
      const existingMemberId = group.staticMembers.get(instanceId)
      if (existingMemberId !== undefined) {
        this.updateStaticMember(ctx, request, group, existingMemberId, newMemberId, respond)
      } else {
        this.addMemberThenRebalance(ctx, request, group, newMemberId, respond)
      }
      return
    }
    if (ctx.apiVersion >= 4) {
      // Not in Kafka, which keeps every id it hands out for a session timeout: the mock bounds them.
      if (group.pendingJoinMembers.size >= this.config.maxPendingMembers) {
        respond(joinError(ErrorCodes.GROUP_MAX_SIZE_REACHED, ''))
        return
      }
      group.addPendingMember(newMemberId)
      this.timers.schedule(this.heartbeatKey(group.groupId, newMemberId), request.sessionTimeoutMs, () =>
        this.expireHeartbeat(group.groupId, newMemberId),
      )
      this.emit({
        groupId: group.groupId,
        type: 'member-id-required',
        memberId: newMemberId,
        message: `${ctx.clientId} joins ${group.groupId} without a member id: MEMBER_ID_REQUIRED, given ${newMemberId}`,
      })
      respond(joinError(ErrorCodes.MEMBER_ID_REQUIRED, newMemberId))
      return
    }
    this.addMemberThenRebalance(ctx, request, group, newMemberId, respond)
  }

  private joinExistingMember(
    ctx: GroupContext,
    request: JoinGroupRequest,
    group: ClassicGroup,
    respond: (r: JoinResult) => void,
  ): void {
    const { memberId } = request
    const instanceId = request.groupInstanceId ?? null
    if (group.isInState('Dead')) {
      respond(joinError(ErrorCodes.COORDINATOR_NOT_AVAILABLE, memberId))
      return
    }
    if (!group.supportsProtocols(request.protocolType, request.protocols)) {
      respond(joinError(ErrorCodes.INCONSISTENT_GROUP_PROTOCOL, memberId))
      return
    }
    if (group.isPendingMember(memberId)) {
      if (instanceId !== null) {
        // Kafka throws an IllegalStateException here: a pending member is never static.
        respond(joinError(ErrorCodes.UNKNOWN_SERVER_ERROR, memberId))
        return
      }
      this.addMemberThenRebalance(ctx, request, group, memberId, respond)
      return
    }
    const invalid = group.validateMember(memberId, instanceId)
    if (invalid !== ErrorCodes.NONE) {
      respond(joinError(invalid, memberId))
      return
    }
    const member = group.member(memberId) as ClassicMember
    const reason = request.reason ?? 'not provided'
    const current = (): JoinResult => ({
      errorCode: ErrorCodes.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType ?? null,
      protocolName: group.protocolName ?? null,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId,
      members: [],
    })
    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMemberThenRebalance(request, group, member, `member ${memberId} rejoins (${reason})`, respond)
        return
      case 'CompletingRebalance':
        if (member.matches(request.protocols)) {
          // The member lost its JoinGroup response: the current generation again.
          respond({ ...current(), members: group.isLeader(memberId) ? group.currentMembers() : [] })
        } else {
          this.updateMemberThenRebalance(request, group, member, `member ${memberId} changed metadata`, respond)
        }
        return
      case 'Stable':
        if (group.isLeader(memberId)) {
          this.updateMemberThenRebalance(request, group, member, `leader ${memberId} rejoins (${reason})`, respond)
        } else if (!member.matches(request.protocols)) {
          this.updateMemberThenRebalance(request, group, member, `member ${memberId} changed metadata`, respond)
        } else {
          respond(current())
        }
        return
      default:
        respond(joinError(ErrorCodes.UNKNOWN_MEMBER_ID, memberId))
    }
  }

  private addMemberThenRebalance(
    ctx: GroupContext,
    request: JoinGroupRequest,
    group: ClassicGroup,
    memberId: string,
    respond: (r: JoinResult) => void,
  ): void {
    const member = new ClassicMember({
      memberId,
      groupInstanceId: request.groupInstanceId ?? null,
      clientId: ctx.clientId,
      clientHost: ctx.clientHost,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs ?? request.sessionTimeoutMs,
      sessionTimeoutMs: request.sessionTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols,
    })
    member.isNew = true
    if (group.isInState('PreparingRebalance') && group.previousState === 'Empty') group.newMemberAdded = true
    group.add(member, respond)
    // New members cannot heartbeat while their JoinGroup is parked: their join times out instead.
    this.rescheduleHeartbeat(group, member, this.config.newMemberJoinTimeoutMs)
    this.emit({
      groupId: group.groupId,
      type: 'join',
      memberId,
      message: `${memberId} (client ${ctx.clientId}${member.isStatic ? `, instance ${member.groupInstanceId}` : ''}) joins ${group.groupId}`,
    })
    this.maybePrepareRebalanceOrCompleteJoin(group, `adding member ${memberId}`)
  }

  private updateMemberThenRebalance(
    request: JoinGroupRequest,
    group: ClassicGroup,
    member: ClassicMember,
    reason: string,
    respond: (r: JoinResult) => void,
  ): void {
    this.replaceParkedJoin(group, member)
    group.updateMember(
      member,
      request.protocols,
      request.rebalanceTimeoutMs ?? request.sessionTimeoutMs,
      request.sessionTimeoutMs,
      respond,
    )
    this.maybePrepareRebalanceOrCompleteJoin(group, reason)
  }

  /**
   * A member that sends JoinGroup while one of its JoinGroups is parked (a client that retried on
   * another connection): Kafka drops the older future; the mock answers it REBALANCE_IN_PROGRESS so
   * that no request is left without an answer.
   */
  private replaceParkedJoin(group: ClassicGroup, member: ClassicMember): void {
    const previous = member.awaitingJoin
    if (previous === undefined) return
    group.completeJoin(member, joinError(ErrorCodes.REBALANCE_IN_PROGRESS, member.memberId))
  }

  private updateStaticMember(
    ctx: GroupContext,
    request: JoinGroupRequest,
    group: ClassicGroup,
    oldMemberId: string,
    newMemberId: string,
    respond: (r: JoinResult) => void,
  ): void {
    const instanceId = request.groupInstanceId as string
    const currentLeader = group.leaderId ?? ''
    const newMember = group.replaceStaticMember(instanceId, oldMemberId, newMemberId)
    this.timers.cancel(this.heartbeatKey(group.groupId, oldMemberId))
    this.rescheduleHeartbeat(group, newMember)
    group.updateMember(
      newMember,
      request.protocols,
      request.rebalanceTimeoutMs ?? request.sessionTimeoutMs,
      request.sessionTimeoutMs,
      respond,
    )
    this.emit({
      groupId: group.groupId,
      type: 'static-rejoin',
      memberId: newMemberId,
      message: `static member ${instanceId} rejoins ${group.groupId} as ${newMemberId}, replacing ${oldMemberId}`,
    })
    switch (group.state) {
      case 'Stable': {
        if (group.protocolName === group.selectProtocol()) {
          // Nothing changed for the group: no rebalance (KIP-345); the member gets the current generation.
          group.persist()
          const base = {
            errorCode: ErrorCodes.NONE,
            generationId: group.generationId,
            protocolType: group.protocolType ?? null,
            protocolName: group.protocolName ?? null,
            memberId: newMemberId,
          }
          if (ctx.apiVersion >= 9) {
            const isLeader = group.isLeader(newMemberId)
            group.completeJoin(newMember, {
              ...base,
              leader: group.leaderId ?? '',
              skipAssignment: isLeader,
              members: isLeader ? group.currentMembers() : [],
            })
          } else {
            // Before v9 the old leader id is returned, so that a rejoining leader does not run the assignor.
            group.completeJoin(newMember, { ...base, leader: currentLeader, skipAssignment: false, members: [] })
          }
        } else {
          this.maybePrepareRebalanceOrCompleteJoin(group, `static member ${instanceId} changed its protocols`)
        }
        return
      }
      case 'CompletingRebalance':
        this.prepareRebalance(group, `static member ${instanceId} rejoins during CompletingRebalance`)
        return
      case 'Empty':
      case 'Dead':
        group.completeJoin(newMember, joinError(ErrorCodes.UNKNOWN_SERVER_ERROR, newMemberId))
        return
      default:
        this.maybeCompleteJoinPhase(group)
    }
  }

  private maybePrepareRebalanceOrCompleteJoin(group: ClassicGroup, reason: string): void {
    if (group.canRebalance()) this.prepareRebalance(group, reason)
    else this.maybeCompleteJoinPhase(group)
  }

  private prepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.isInState('CompletingRebalance'))
      this.resetAndPropagateAssignment(group, ErrorCodes.REBALANCE_IN_PROGRESS)
    this.removeSyncExpiration(group)
    const initial = group.isInState('Empty')
    if (initial) {
      const delay = this.config.initialRebalanceDelayMs
      const remaining = Math.max(group.rebalanceTimeoutMs() - delay, 0)
      this.timers.schedule(this.joinKey(group.groupId), delay, () =>
        this.tryCompleteInitialRebalance(group.groupId, delay, remaining),
      )
    }
    group.transitionTo('PreparingRebalance')
    this.emit({
      groupId: group.groupId,
      type: 'rebalance',
      generation: group.generationId,
      message: `${group.groupId} rebalances (generation ${group.generationId}): ${reason}`,
    })
    if (!initial) this.maybeCompleteJoinElseSchedule(group)
  }

  private maybeCompleteJoinElseSchedule(group: ClassicGroup): void {
    if (group.hasAllMembersJoined()) {
      this.completeJoinPhase(group)
    } else {
      this.timers.schedule(this.joinKey(group.groupId), group.rebalanceTimeoutMs(), () =>
        this.completeJoinPhaseOf(group.groupId),
      )
    }
  }

  private tryCompleteInitialRebalance(groupId: string, delayMs: number, remainingMs: number): void {
    const group = this.classicGroup(groupId)
    if (group === undefined) return
    if (group.newMemberAdded && remainingMs !== 0) {
      group.newMemberAdded = false
      const newDelay = Math.min(this.config.initialRebalanceDelayMs, remainingMs)
      const newRemaining = Math.max(remainingMs - delayMs, 0)
      this.timers.schedule(this.joinKey(groupId), newDelay, () =>
        this.tryCompleteInitialRebalance(groupId, newDelay, newRemaining),
      )
    } else {
      this.completeJoinPhase(group)
    }
  }

  private maybeCompleteJoinPhase(group: ClassicGroup): void {
    if (!group.isInState('PreparingRebalance')) return
    if (group.previousState === 'Empty') return // the initial rebalance waits for its delay
    if (!group.hasAllMembersJoined()) return
    this.completeJoinPhase(group)
  }

  private completeJoinPhaseOf(groupId: string): void {
    const group = this.classicGroup(groupId)
    if (group !== undefined) this.completeJoinPhase(group)
  }

  /**
   * Ends the join phase (GroupMetadataManager.completeClassicGroupJoin): dynamic members that did
   * not rejoin are removed, the next generation starts, every joined member gets its JoinGroup
   * response (the leader with the members' metadata) and the group waits for the leader's SyncGroup.
   */
  private completeJoinPhase(group: ClassicGroup): void {
    if (!group.isInState('PreparingRebalance')) return
    const groupId = group.groupId
    this.timers.cancel(this.joinKey(groupId))
    for (const failed of group.notYetRejoinedMembers()) {
      if (failed.isStatic) continue
      group.remove(failed.memberId)
      this.timers.cancel(this.heartbeatKey(groupId, failed.memberId))
      this.emit({
        groupId,
        type: 'expire',
        memberId: failed.memberId,
        message: `${failed.memberId} did not rejoin ${groupId} within the rebalance timeout and was removed`,
      })
    }
    if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
      // Nobody rejoined: wait for the session timeouts to remove the members.
      this.timers.schedule(this.joinKey(groupId), group.rebalanceTimeoutMs(), () => this.completeJoinPhaseOf(groupId))
      return
    }
    group.initNextGeneration()
    if (group.isInState('Empty')) {
      group.persist()
      this.emit({
        groupId,
        type: 'empty',
        generation: group.generationId,
        message: `${groupId} is empty (generation ${group.generationId})`,
      })
      return
    }
    this.emit({
      groupId,
      type: 'sync',
      generation: group.generationId,
      message: `${groupId} generation ${group.generationId}: ${group.members.size} member(s), protocol ${group.protocolName}, leader ${group.leaderId}; waiting for SyncGroup`,
    })
    for (const member of [...group.members.values()]) {
      group.completeJoin(member, {
        errorCode: ErrorCodes.NONE,
        generationId: group.generationId,
        protocolType: group.protocolType ?? null,
        protocolName: group.protocolName ?? null,
        leader: group.leaderId ?? '',
        skipAssignment: false,
        memberId: member.memberId,
        members: group.isLeader(member.memberId) ? group.currentMembers() : [],
      })
      this.rescheduleHeartbeat(group, member)
      member.isNew = false
      group.pendingSyncMembers.add(member.memberId)
    }
    const generation = group.generationId
    this.timers.schedule(this.syncKey(groupId), group.rebalanceTimeoutMs(), () =>
      this.expirePendingSync(groupId, generation),
    )
  }

  private expirePendingSync(groupId: string, generation: number): void {
    const group = this.classicGroup(groupId)
    if (group === undefined || group.generationId !== generation) return
    if (!group.isInState('CompletingRebalance') && !group.isInState('Stable')) return
    if (group.pendingSyncMembers.size === 0) return
    const missing = [...group.pendingSyncMembers]
    for (const memberId of missing) {
      const member = group.member(memberId)
      if (member !== undefined) group.completeSync(member, syncError(ErrorCodes.UNKNOWN_MEMBER_ID))
      group.remove(memberId)
      this.timers.cancel(this.heartbeatKey(groupId, memberId))
    }
    this.prepareRebalance(group, `members ${missing.join(', ')} did not send SyncGroup in time`)
  }

  private expireHeartbeat(groupId: string, memberId: string): void {
    const group = this.classicGroup(groupId)
    if (group === undefined || group.isInState('Dead')) return
    if (group.isPendingMember(memberId)) {
      group.remove(memberId)
      if (group.isInState('PreparingRebalance') && group.hasAllMembersJoined()) this.completeJoinPhase(group)
      return
    }
    const member = group.member(memberId)
    if (member === undefined || member.hasSatisfiedHeartbeat) return
    this.emit({
      groupId,
      type: 'expire',
      memberId,
      generation: group.generationId,
      message: `${memberId} missed its session timeout (${member.sessionTimeoutMs} ms) and leaves ${groupId}`,
    })
    this.removeMemberAndUpdate(group, member, `member ${memberId} session expired`)
  }

  private removeMemberAndUpdate(group: ClassicGroup, member: ClassicMember, reason: string): void {
    group.completeJoin(member, joinError(ErrorCodes.UNKNOWN_MEMBER_ID, ''))
    group.completeSync(member, syncError(ErrorCodes.UNKNOWN_MEMBER_ID))
    group.remove(member.memberId)
    this.timers.cancel(this.heartbeatKey(group.groupId, member.memberId))
    if (group.isInState('Stable') || group.isInState('CompletingRebalance')) {
      this.maybePrepareRebalanceOrCompleteJoin(group, reason)
    } else if (group.isInState('PreparingRebalance') && group.hasAllMembersJoined()) {
      this.completeJoinPhase(group)
    }
  }

  private rescheduleHeartbeat(group: ClassicGroup, member: ClassicMember, timeoutMs = member.sessionTimeoutMs): void {
    const { groupId } = group
    const { memberId } = member
    this.timers.schedule(this.heartbeatKey(groupId, memberId), timeoutMs, () => this.expireHeartbeat(groupId, memberId))
  }

  private removeSyncExpiration(group: ClassicGroup): void {
    group.pendingSyncMembers.clear()
    this.timers.cancel(this.syncKey(group.groupId))
  }

  private resetAndPropagateAssignment(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) m.assignment = EMPTY_ASSIGNMENT
    this.propagateAssignment(group, errorCode)
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    const ok = errorCode === ErrorCodes.NONE
    for (const member of group.members.values()) {
      const answered = group.completeSync(member, {
        errorCode,
        protocolType: ok ? (group.protocolType ?? null) : null,
        protocolName: ok ? (group.protocolName ?? null) : null,
        assignment: member.assignment,
      })
      if (answered) this.rescheduleHeartbeat(group, member)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Classic groups: SyncGroup, Heartbeat, LeaveGroup

  /** SyncGroup: the leader's assignment is handed to every member (parked until it arrives). */
  syncGroup(request: SyncGroupRequest): Promise<SyncResult> {
    return new Promise((resolve) => {
      try {
        this.classicSync(request, resolve)
      } catch (error) {
        this.warn(`SyncGroup of ${request.groupId} failed: ${describeError(error)}`)
        resolve(syncError(ErrorCodes.UNKNOWN_SERVER_ERROR))
      }
    })
  }

  private classicSync(request: SyncGroupRequest, respond: (r: SyncResult) => void): void {
    const group = this.groups.get(request.groupId)
    if (group === undefined || group.isEmpty || group.type !== 'classic') {
      respond(syncError(ErrorCodes.UNKNOWN_MEMBER_ID))
      return
    }
    const { memberId } = request
    let error: number = ErrorCodes.NONE
    if (group.isInState('Dead')) error = ErrorCodes.COORDINATOR_NOT_AVAILABLE
    else {
      error = group.validateMember(memberId, request.groupInstanceId)
      if (error === ErrorCodes.NONE && request.generationId !== group.generationId)
        error = ErrorCodes.ILLEGAL_GENERATION
      if (
        error === ErrorCodes.NONE &&
        (inconsistent(request.protocolType, group.protocolType) ||
          inconsistent(request.protocolName, group.protocolName))
      ) {
        error = ErrorCodes.INCONSISTENT_GROUP_PROTOCOL
      }
    }
    if (error !== ErrorCodes.NONE) {
      respond(syncError(error))
      return
    }
    const member = group.member(memberId) as ClassicMember
    switch (group.state) {
      case 'PreparingRebalance':
        respond(syncError(ErrorCodes.REBALANCE_IN_PROGRESS))
        return
      case 'CompletingRebalance': {
        if (member.awaitingSync !== undefined) group.completeSync(member, syncError(ErrorCodes.REBALANCE_IN_PROGRESS))
        member.awaitingSync = respond
        this.removePendingSyncMember(group, memberId)
        if (group.isLeader(memberId)) {
          // Stored as sent: the bytes are opaque to the coordinator, as in Kafka.
          const assignment = new Map<string, Buffer>()
          for (const a of request.assignments) assignment.set(a.memberId, a.assignment)
          for (const m of group.members.values()) m.assignment = assignment.get(m.memberId) ?? EMPTY_ASSIGNMENT
          this.propagateAssignment(group, ErrorCodes.NONE)
          group.transitionTo('Stable')
          group.persist()
          this.emit({
            groupId: group.groupId,
            type: 'stable',
            generation: group.generationId,
            memberId,
            message: `${group.groupId} is stable at generation ${group.generationId}: leader ${memberId} assigned ${group.members.size} member(s)`,
          })
        }
        return
      }
      case 'Stable':
        this.removePendingSyncMember(group, memberId)
        respond({
          errorCode: ErrorCodes.NONE,
          protocolType: group.protocolType ?? null,
          protocolName: group.protocolName ?? null,
          assignment: member.assignment,
        })
        return
      default:
        respond(syncError(ErrorCodes.UNKNOWN_MEMBER_ID))
    }
  }

  private removePendingSyncMember(group: ClassicGroup, memberId: string): void {
    group.pendingSyncMembers.delete(memberId)
    if (
      group.isInState('Empty') ||
      group.isInState('Dead') ||
      group.isInState('PreparingRebalance') ||
      group.pendingSyncMembers.size === 0
    ) {
      this.timers.cancel(this.syncKey(group.groupId))
    }
  }

  /** Heartbeat: the member's session continues; REBALANCE_IN_PROGRESS tells it to rejoin. */
  heartbeat(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number): number {
    const group = this.groups.get(groupId)
    if (group === undefined || group.type !== 'classic') return ErrorCodes.UNKNOWN_MEMBER_ID
    if (group.isInState('Dead')) return ErrorCodes.COORDINATOR_NOT_AVAILABLE
    const invalid = group.validateMember(memberId, groupInstanceId)
    if (invalid !== ErrorCodes.NONE) return invalid
    if (generationId !== group.generationId) return ErrorCodes.ILLEGAL_GENERATION
    const member = group.member(memberId) as ClassicMember
    switch (group.state) {
      case 'Empty':
        return ErrorCodes.UNKNOWN_MEMBER_ID
      case 'PreparingRebalance':
        this.rescheduleHeartbeat(group, member)
        return ErrorCodes.REBALANCE_IN_PROGRESS
      default:
        this.rescheduleHeartbeat(group, member)
        return ErrorCodes.NONE
    }
  }

  /**
   * LeaveGroup, for members by id or (v3+, admin) by group instance id. Returns a top-level error
   * and one error per member.
   */
  leaveGroup(
    groupId: string,
    members: Array<{ memberId: string; groupInstanceId: string | null; reason: string | null }>,
  ): { errorCode: number; members: Array<{ memberId: string; groupInstanceId: string | null; errorCode: number }> } {
    const group = this.groups.get(groupId)
    const unknown = () => ({
      errorCode: ErrorCodes.NONE,
      members: members.map((m) => ({ ...m, errorCode: ErrorCodes.UNKNOWN_MEMBER_ID })),
    })
    if (group === undefined || group.type !== 'classic') return unknown()
    if (group.isInState('Dead')) return { errorCode: ErrorCodes.COORDINATOR_NOT_AVAILABLE, members: [] }
    const results: Array<{ memberId: string; groupInstanceId: string | null; errorCode: number }> = []
    const left: string[] = []
    for (const m of members) {
      const reason = m.reason ?? 'not provided'
      if (m.memberId === '') {
        const staticId = m.groupInstanceId === null ? undefined : group.staticMembers.get(m.groupInstanceId)
        if (staticId !== undefined) {
          this.removeLeavingMember(group, staticId, reason)
          left.push(staticId)
          results.push({ ...m, errorCode: ErrorCodes.NONE })
        } else {
          results.push({ ...m, errorCode: ErrorCodes.UNKNOWN_MEMBER_ID })
        }
      } else if (group.isPendingMember(m.memberId)) {
        group.remove(m.memberId)
        this.timers.cancel(this.heartbeatKey(groupId, m.memberId))
        results.push({ ...m, errorCode: ErrorCodes.NONE })
        left.push(m.memberId)
      } else {
        const invalid = group.validateMember(m.memberId, m.groupInstanceId)
        if (invalid === ErrorCodes.NONE) {
          this.removeLeavingMember(group, m.memberId, reason)
          left.push(m.memberId)
        }
        results.push({ ...m, errorCode: invalid })
      }
    }
    if (left.length > 0) {
      if (group.isInState('Stable') || group.isInState('CompletingRebalance')) {
        this.maybePrepareRebalanceOrCompleteJoin(group, `${left.join(', ')} left the group`)
      } else if (group.isInState('PreparingRebalance')) {
        this.maybeCompleteJoinPhase(group)
      }
    }
    return { errorCode: ErrorCodes.NONE, members: results }
  }

  private removeLeavingMember(group: ClassicGroup, memberId: string, reason: string): void {
    const member = group.member(memberId)
    this.timers.cancel(this.heartbeatKey(group.groupId, memberId))
    this.emit({
      groupId: group.groupId,
      type: 'leave',
      memberId,
      generation: group.generationId,
      message: `${memberId} leaves ${group.groupId} (reason: ${reason})`,
    })
    if (member === undefined) return
    group.completeJoin(member, joinError(ErrorCodes.UNKNOWN_MEMBER_ID, ''))
    group.completeSync(member, syncError(ErrorCodes.UNKNOWN_MEMBER_ID))
    group.remove(memberId)
  }

  // ---------------------------------------------------------------------------------------------
  // Offsets

  /**
   * Validates an OffsetCommit for the group (creating a simple group for a commit without a
   * generation, as Kafka does); NONE when it may go ahead.
   */
  validateOffsetCommit(request: OffsetCommitRequest, apiVersion: number): number {
    const generation = request.generationIdOrMemberEpoch ?? -1
    const memberId = request.memberId ?? ''
    let group = this.groups.get(request.groupId)
    if (group === undefined) {
      if (generation >= 0) return apiVersion >= 9 ? ErrorCodes.GROUP_ID_NOT_FOUND : ErrorCodes.ILLEGAL_GENERATION
      group = new ClassicGroup(request.groupId)
      group.persist()
      this.groups.set(request.groupId, group)
    }
    if (group.type === 'consumer') {
      return this.consumer.validateOffsetCommit(group, memberId, generation, false, apiVersion)
    }
    const error = group.validateOffsetCommit(memberId, request.groupInstanceId, generation, false)
    if (error !== ErrorCodes.NONE) return error
    if (group.isInState('Stable') || group.isInState('PreparingRebalance')) {
      // A commit keeps the session of a classic member alive.
      const member = group.member(memberId)
      if (member !== undefined) this.rescheduleHeartbeat(group, member)
    }
    return ErrorCodes.NONE
  }

  /** Validates a TxnOffsetCommit for the group (OffsetMetadataManager.validateTransactionalOffsetCommit). */
  validateTransactionalOffsetCommit(
    groupId: string,
    memberId: string,
    groupInstanceId: string | null,
    generationId: number,
  ): number {
    let group = this.groups.get(groupId)
    if (group === undefined) {
      if (generationId >= 0) return ErrorCodes.ILLEGAL_GENERATION
      group = new ClassicGroup(groupId)
      group.persist()
      this.groups.set(groupId, group)
    }
    if (group.type === 'consumer') {
      const error = this.consumer.validateOffsetCommit(group, memberId, generationId, true, 9)
      return error === ErrorCodes.STALE_MEMBER_EPOCH ? ErrorCodes.ILLEGAL_GENERATION : error
    }
    return group.validateOffsetCommit(memberId, groupInstanceId, generationId, true)
  }

  /** Whether commit metadata is too long (offset.metadata.max.bytes, counted in UTF-16 units as Kafka does). */
  metadataTooLarge(metadata: string | null | undefined): boolean {
    return metadata !== null && metadata !== undefined && metadata.length > this.config.offsetMetadataMaxBytes
  }

  /** Stores a committed offset. */
  commitOffset(
    groupId: string,
    topic: string,
    partition: number,
    offset: bigint,
    leaderEpoch: number,
    metadata: string | null | undefined,
    transactional: boolean,
  ): void {
    const committed: CommittedOffset = {
      offset,
      leaderEpoch,
      metadata: metadata ?? '',
      commitTimestamp: Date.now(),
      transactional,
    }
    this.offsets.put(groupId, topic, partition, committed)
  }

  /** Offsets of a transaction that committed become visible (the transaction coordinator calls this). */
  commitTransactionalOffsets(
    groupId: string,
    offsets: Iterable<{
      topic: string
      partition: number
      offset: bigint
      leaderEpoch: number
      metadata: string | null
    }>,
  ): void {
    if (!this.groups.has(groupId)) {
      const group = new ClassicGroup(groupId)
      group.persist()
      this.groups.set(groupId, group)
    }
    for (const o of offsets) this.commitOffset(groupId, o.topic, o.partition, o.offset, o.leaderEpoch, o.metadata, true)
  }

  noteCommit(groupId: string, memberId: string, count: number, transactional: boolean): void {
    this.emit({
      groupId,
      type: 'commit',
      memberId,
      message: `${groupId} commits ${count} offset(s)${memberId === '' ? '' : ` from ${memberId}`}${transactional ? ' with a transaction' : ''}`,
    })
  }

  /**
   * OffsetFetch for one group: `topics` null for every partition with an offset. With
   * `requireStable`, a partition with a pending transactional offset answers UNSTABLE_OFFSET_COMMIT.
   */
  fetchOffsets(
    groupId: string,
    memberId: string | null,
    memberEpoch: number,
    topics: Array<{ name: string; partitionIndexes: number[] }> | null,
    requireStable: boolean,
  ): OffsetFetchGroupResult {
    const group = this.groups.get(groupId)
    const exists = group !== undefined && !(group.type === 'classic' && group.isInState('Dead'))
    if (group?.type === 'consumer') {
      const error = this.consumer.validateOffsetFetch(group, memberId, memberEpoch)
      if (error !== ErrorCodes.NONE) return { groupId, errorCode: error, topics: [] }
    }
    if (!exists && topics === null) return { groupId, errorCode: ErrorCodes.NONE, topics: [] }
    const partitionResult = (topic: string, partition: number) => {
      if (requireStable && this.host.hasPendingTransactionalOffset(groupId, topic, partition)) {
        return { partitionIndex: partition, ...NO_OFFSET, errorCode: ErrorCodes.UNSTABLE_OFFSET_COMMIT }
      }
      const c = exists ? this.offsets.get(groupId, topic, partition) : undefined
      if (c === undefined) return { partitionIndex: partition, ...NO_OFFSET, errorCode: ErrorCodes.NONE }
      return {
        partitionIndex: partition,
        committedOffset: c.offset,
        committedLeaderEpoch: c.leaderEpoch,
        metadata: c.metadata,
        errorCode: ErrorCodes.NONE,
      }
    }
    if (topics !== null) {
      return {
        groupId,
        errorCode: ErrorCodes.NONE,
        topics: topics.map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((p) => partitionResult(t.name, p)),
        })),
      }
    }
    const byTopic = new Map<string, number[]>()
    for (const { topic, partition } of this.offsets.list(groupId)) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition])
    }
    return {
      groupId,
      errorCode: ErrorCodes.NONE,
      topics: [...byTopic].map(([name, partitions]) => ({
        name,
        partitions: partitions.map((p) => partitionResult(name, p)),
      })),
    }
  }

  /** OffsetDelete (OffsetMetadataManager.deleteOffsets): a top-level error, or one per partition. */
  deleteOffsets(
    groupId: string,
    topics: Array<{ name: string; partitions: number[] }>,
  ): {
    errorCode: number
    topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>
  } {
    const group = this.groups.get(groupId)
    if (group === undefined) return { errorCode: ErrorCodes.GROUP_ID_NOT_FOUND, topics: [] }
    if (group.type === 'classic') {
      if (group.isInState('Dead')) return { errorCode: ErrorCodes.GROUP_ID_NOT_FOUND, topics: [] }
      if (!group.isInState('Empty') && !group.usesConsumerProtocol) {
        return { errorCode: ErrorCodes.NON_EMPTY_GROUP, topics: [] }
      }
    }
    let deleted = 0
    const result = topics.map((t) => {
      const subscribed =
        group.type === 'classic' ? group.isSubscribedToTopic(t.name) : group.subscribedTopicNames().has(t.name)
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          if (subscribed) return { partitionIndex: p, errorCode: ErrorCodes.GROUP_SUBSCRIBED_TO_TOPIC }
          if (this.offsets.delete(groupId, t.name, p)) deleted++
          return { partitionIndex: p, errorCode: ErrorCodes.NONE }
        }),
      }
    })
    if (deleted > 0) {
      this.emit({ groupId, type: 'offset-delete', message: `${groupId}: ${deleted} committed offset(s) deleted` })
    }
    return { errorCode: ErrorCodes.NONE, topics: result }
  }

  // ---------------------------------------------------------------------------------------------
  // Admin: ListGroups, DescribeGroups, DeleteGroups

  /** The groups this broker coordinates, filtered by state (case-insensitive) and type (v5). */
  listGroups(
    brokerId: number,
    statesFilter: readonly string[],
    typesFilter: readonly string[],
  ): Array<{ groupId: string; protocolType: string; groupState: string; groupType: string }> {
    const states = new Set(statesFilter.map((s) => s.trim().toLowerCase()))
    const types = new Set(typesFilter.map((s) => s.trim().toLowerCase()))
    const out: Array<{ groupId: string; protocolType: string; groupState: string; groupType: string }> = []
    for (const group of this.groups.values()) {
      if (this.coordinatorOf(group.groupId) !== brokerId) continue
      const state = group.state
      if (states.size > 0 && !states.has(state.toLowerCase())) continue
      if (types.size > 0 && !types.has(group.type)) continue
      out.push({
        groupId: group.groupId,
        protocolType: group.type === 'classic' ? (group.protocolType ?? '') : 'consumer',
        groupState: state,
        groupType: group.type,
      })
    }
    return out
  }

  /** DescribeGroups for one group (classic groups; anything else is reported Dead, as Kafka does). */
  describeGroup(groupId: string): {
    groupState: string
    protocolType: string
    protocolData: string
    members: Array<{
      memberId: string
      groupInstanceId: string | null
      clientId: string
      clientHost: string
      memberMetadata: Buffer
      memberAssignment: Buffer
    }>
  } {
    const group = this.groups.get(groupId)
    if (group === undefined || group.type !== 'classic') {
      return { groupState: 'Dead', protocolType: '', protocolData: '', members: [] }
    }
    const stable = group.isInState('Stable')
    return {
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: stable ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadata(group.protocolName ?? null) : EMPTY_ASSIGNMENT,
        memberAssignment: m.assignment,
      })),
    }
  }

  /** DeleteGroups for one group: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, or deleted with its offsets. */
  deleteGroup(groupId: string): number {
    const group = this.groups.get(groupId)
    if (group === undefined || (group.type === 'classic' && group.isInState('Dead'))) {
      return ErrorCodes.GROUP_ID_NOT_FOUND
    }
    if (!group.isEmpty) return ErrorCodes.NON_EMPTY_GROUP
    const offsets = this.offsets.deleteGroup(groupId)
    this.deleteGroupState(groupId)
    this.emit({ groupId, type: 'delete', message: `${groupId} deleted with ${offsets} committed offset(s)` })
    return ErrorCodes.NONE
  }

  /** Forgets a group and clears its timers (DeleteGroups, or a group changing type). */
  deleteGroupState(groupId: string): void {
    const group = this.groups.get(groupId)
    if (group === undefined) return
    if (group.type === 'classic') {
      group.state = 'Dead'
      for (const id of [...group.members.keys(), ...group.pendingJoinMembers]) {
        this.timers.cancel(this.heartbeatKey(groupId, id))
      }
      this.timers.cancel(this.joinKey(groupId))
      this.timers.cancel(this.syncKey(groupId))
    } else {
      this.consumer.cancelTimers(group)
    }
    this.groups.delete(groupId)
  }

  // ---------------------------------------------------------------------------------------------
  // KIP-848 consumer groups (consumer-group-coordinator.ts)

  /** ConsumerGroupHeartbeat. */
  consumerGroupHeartbeat(
    ctx: GroupContext,
    request: ConsumerGroupHeartbeatRequest,
  ): Omit<ConsumerGroupHeartbeatResponse, 'throttleTimeMs'> {
    return this.consumer.heartbeat(ctx, request)
  }

  /** ConsumerGroupDescribe for one group. */
  describeConsumerGroup(groupId: string): ReturnType<ConsumerGroupCoordinator['describe']> {
    return this.consumer.describe(groupId)
  }

  // ---------------------------------------------------------------------------------------------
  // Test API

  /** A member leaves as if removed by its coordinator: its next request gets UNKNOWN_MEMBER_ID, the others rebalance. */
  kick(groupId: string, memberId: string): void {
    const group = this.groups.get(groupId)
    if (group === undefined) throw new RangeError(`unknown group '${groupId}'`)
    if (group.type === 'consumer') {
      const member = group.members.get(memberId)
      if (member === undefined) throw new RangeError(`group '${groupId}' has no member '${memberId}'`)
      this.emit({ groupId, type: 'kick', memberId, message: `${memberId} is removed from ${groupId} (kickMember)` })
      this.consumer.fence(group, member)
      return
    }
    const member = group.member(memberId)
    if (member === undefined) throw new RangeError(`group '${groupId}' has no member '${memberId}'`)
    this.emit({
      groupId,
      type: 'kick',
      memberId,
      generation: group.generationId,
      message: `${memberId} is removed from ${groupId} (kickMember)`,
    })
    this.removeMemberAndUpdate(group, member, `member ${memberId} removed by kickMember`)
  }

  snapshot(groupId: string): MockGroup | undefined {
    const group = this.groups.get(groupId)
    if (group === undefined) return undefined
    const coordinator = this.coordinatorOf(groupId)
    if (group.type === 'classic') {
      const consumer = group.protocolType === 'consumer'
      return {
        groupId,
        type: 'classic',
        state: group.state,
        protocolType: group.protocolType,
        protocol: group.protocolName,
        generation: group.generationId,
        leader: group.leaderId,
        coordinator,
        members: [...group.members.values()].map(
          (m): MockGroupMember => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            assignment: consumer ? assignmentRecord(m.assignment) : undefined,
            assignmentBytes: Buffer.from(m.assignment),
          }),
        ),
      }
    }
    return {
      groupId,
      type: 'consumer',
      state: group.state,
      protocolType: 'consumer',
      protocol: this.consumer.preferredAssignor(group),
      generation: group.groupEpoch,
      leader: undefined,
      coordinator,
      members: [...group.members.values()].map(
        (m): MockGroupMember => ({
          memberId: m.memberId,
          groupInstanceId: m.instanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          assignment: Object.fromEntries(
            [...m.assigned].map(([topicId, set]) => [
              this.host.topicById(topicId)?.name ?? topicId,
              [...set].sort((a, b) => a - b),
            ]),
          ),
          assignmentBytes: Buffer.alloc(0),
          memberEpoch: m.memberEpoch,
          subscribedTopics: [...m.subscribedTopicNames],
        }),
      ),
    }
  }

  committed(groupId: string): MockCommittedOffset[] {
    return this.offsets.list(groupId).map(({ topic, partition, committed }) => ({ topic, partition, ...committed }))
  }

  /** Answers every parked request and clears every timer (cluster.stop()). */
  stop(): void {
    this.timers.cancelAll()
    for (const group of this.groups.values()) {
      if (group.type !== 'classic') continue
      for (const m of group.members.values()) {
        group.completeJoin(m, joinError(ErrorCodes.COORDINATOR_NOT_AVAILABLE, m.memberId))
        group.completeSync(m, syncError(ErrorCodes.COORDINATOR_NOT_AVAILABLE))
      }
    }
  }

  private classicGroup(groupId: string): ClassicGroup | undefined {
    const group = this.groups.get(groupId)
    return group?.type === 'classic' ? group : undefined
  }

  private heartbeatKey(groupId: string, memberId: string): string {
    return `heartbeat\u0000${groupId}\u0000${memberId}`
  }

  private joinKey(groupId: string): string {
    return `join\u0000${groupId}`
  }

  private syncKey(groupId: string): string {
    return `sync\u0000${groupId}`
  }
}

function inconsistent(requested: string | null | undefined, current: string | undefined): boolean {
  return requested !== null && requested !== undefined && current !== undefined && requested !== current
}

/** A ConsumerProtocolAssignment as topic to partitions, undefined when the bytes are not one. */
export function assignmentRecord(bytes: Buffer): Record<string, number[]> | undefined {
  const decoded = decodeAssignment(bytes)
  if (decoded === undefined) return undefined
  const out: Record<string, number[]> = {}
  for (const { topic, partitions } of decoded.partitions) out[topic] = [...(out[topic] ?? []), ...partitions]
  return out
}
