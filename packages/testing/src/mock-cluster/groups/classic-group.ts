import { randomUUID } from 'node:crypto'
import { ErrorCodes } from '@tributary/core/protocol'
import { subscribedTopicsOf } from './consumer-protocol.js'

// A classic group (JoinGroup/SyncGroup protocol) as Kafka's ClassicGroup and ClassicGroupMember
// keep it (group-coordinator/.../classic/ClassicGroup.java): the state machine, members, static
// members, the members still to rejoin or sync, protocol votes and the leader. The decisions that
// span groups and timers are in GroupCoordinator, as in Kafka's GroupMetadataManager.

/** Kafka's ClassicGroupState, with the names Kafka reports in ListGroups and DescribeGroups. */
export type ClassicGroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead'

const VALID_PREVIOUS: Record<ClassicGroupState, readonly ClassicGroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
}

/** A JoinGroup answer, version-independent (the handler encodes it for the request's version). */
export interface JoinResult {
  errorCode: number
  generationId: number
  protocolType: string | null
  protocolName: string | null
  leader: string
  skipAssignment: boolean
  memberId: string
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>
}

/** A SyncGroup answer, version-independent. */
export interface SyncResult {
  errorCode: number
  protocolType: string | null
  protocolName: string | null
  assignment: Buffer
}

export const EMPTY_ASSIGNMENT = Buffer.alloc(0)

/** An error JoinGroup answer. */
export function joinError(errorCode: number, memberId: string): JoinResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  }
}

/** An error SyncGroup answer. */
export function syncError(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY_ASSIGNMENT }
}

export interface Protocol {
  name: string
  metadata: Buffer
}

/** A member of a classic group (Kafka's ClassicGroupMember). */
export class ClassicMember {
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly clientId: string
  readonly clientHost: string
  readonly protocolType: string
  rebalanceTimeoutMs: number
  sessionTimeoutMs: number
  protocols: Protocol[]
  /** The assignment handed out by the last SyncGroup, opaque bytes as the leader sent them. */
  assignment: Buffer
  /** Set while a JoinGroup of this member is parked. */
  awaitingJoin: ((result: JoinResult) => void) | undefined
  /** Set while a SyncGroup of this member is parked. */
  awaitingSync: ((result: SyncResult) => void) | undefined
  /** A member that has not completed a join yet (its heartbeats are not expected). */
  isNew = false

  constructor(init: {
    memberId: string
    groupInstanceId: string | null
    clientId: string
    clientHost: string
    rebalanceTimeoutMs: number
    sessionTimeoutMs: number
    protocolType: string
    protocols: Protocol[]
    assignment?: Buffer
  }) {
    this.memberId = init.memberId
    this.groupInstanceId = init.groupInstanceId
    this.clientId = init.clientId
    this.clientHost = init.clientHost
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs
    this.sessionTimeoutMs = init.sessionTimeoutMs
    this.protocolType = init.protocolType
    this.protocols = init.protocols
    this.assignment = init.assignment ?? EMPTY_ASSIGNMENT
    this.awaitingJoin = undefined
    this.awaitingSync = undefined
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== undefined
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== undefined
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null
  }

  /** Whether an expired session timer leaves the member alone (ClassicGroupMember.hasSatisfiedHeartbeat). */
  get hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return false
    return this.isAwaitingJoin || this.isAwaitingSync
  }

  /** The metadata this member sent for a protocol (empty when it does not support it). */
  metadata(protocolName: string | null): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY_ASSIGNMENT
  }

  /** Same protocols, in the same order, with the same metadata (ClassicGroupMember.matches). */
  matches(protocols: readonly Protocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false
    return protocols.every((p, i) => {
      const mine = this.protocols[i] as Protocol
      return mine.name === p.name && mine.metadata.equals(p.metadata)
    })
  }

  /** The first of the member's protocols among the candidates (ClassicGroupMember.vote). */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name
  }
}

/** The last generation "written to the log": what a coordinator that loads the group sees. */
export interface PersistedClassicGroup {
  generationId: number
  protocolType: string | undefined
  protocolName: string | undefined
  leaderId: string | undefined
  members: Array<{
    memberId: string
    groupInstanceId: string | null
    clientId: string
    clientHost: string
    rebalanceTimeoutMs: number
    sessionTimeoutMs: number
    protocolType: string
    protocols: Protocol[]
    assignment: Buffer
  }>
}

/** A classic group: Kafka's ClassicGroup. */
export class ClassicGroup {
  readonly type = 'classic' as const
  readonly groupId: string
  state: ClassicGroupState = 'Empty'
  previousState: ClassicGroupState = 'Dead'
  stateTimestamp = Date.now()
  protocolType: string | undefined
  protocolName: string | undefined
  generationId = 0
  leaderId: string | undefined
  readonly members = new Map<string, ClassicMember>()
  /** Group instance id to member id. */
  readonly staticMembers = new Map<string, string>()
  /** Member ids handed out with MEMBER_ID_REQUIRED, not yet joined. */
  readonly pendingJoinMembers = new Set<string>()
  readonly pendingSyncMembers = new Set<string>()
  numAwaitingJoin = 0
  private readonly supportedProtocols = new Map<string, number>()
  /** Topics the members subscribe to (consumer protocol), undefined when unknown. */
  subscribedTopics: Set<string> | undefined
  /** A member was added during the initial rebalance: its delay may be extended. */
  newMemberAdded = false
  /** What a coordinator loading the group would read. */
  persisted: PersistedClassicGroup | undefined

  constructor(groupId: string) {
    this.groupId = groupId
  }

  isInState(state: ClassicGroupState): boolean {
    return this.state === state
  }

  get isEmpty(): boolean {
    return this.state === 'Empty'
  }

  get usesConsumerProtocol(): boolean {
    return this.protocolType === 'consumer'
  }

  member(memberId: string): ClassicMember | undefined {
    return this.members.get(memberId)
  }

  hasMember(memberId: string): boolean {
    return this.members.has(memberId)
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId
  }

  transitionTo(state: ClassicGroupState): void {
    if (!VALID_PREVIOUS[state].includes(this.state)) {
      throw new Error(`group ${this.groupId} cannot move from ${this.state} to ${state}`)
    }
    this.previousState = this.state
    this.state = state
    this.stateTimestamp = Date.now()
  }

  /** Whether a rebalance may start (PreparingRebalance's valid previous states). */
  canRebalance(): boolean {
    return VALID_PREVIOUS.PreparingRebalance.includes(this.state)
  }

  /** ClassicGroup.generateMemberId: `<group instance id or client id>-<uuid>`. */
  generateMemberId(clientId: string, groupInstanceId: string | null): string {
    return `${groupInstanceId ?? clientId}-${randomUUID()}`
  }

  add(member: ClassicMember, awaitingJoin?: (result: JoinResult) => void): void {
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId)
    if (this.members.size === 0) this.protocolType = member.protocolType
    if (this.leaderId === undefined) this.leaderId = member.memberId
    this.members.set(member.memberId, member)
    this.incrementProtocols(member)
    member.awaitingJoin = awaitingJoin
    if (member.isAwaitingJoin) this.numAwaitingJoin++
    this.pendingJoinMembers.delete(member.memberId)
  }

  remove(memberId: string): void {
    const removed = this.members.get(memberId)
    if (removed !== undefined) {
      this.members.delete(memberId)
      this.decrementProtocols(removed)
      if (removed.isAwaitingJoin) this.numAwaitingJoin--
      if (removed.groupInstanceId !== null && this.staticMembers.get(removed.groupInstanceId) === memberId) {
        this.staticMembers.delete(removed.groupInstanceId)
      }
    }
    if (this.isLeader(memberId)) {
      const next = this.members.keys().next()
      this.leaderId = next.done ? undefined : next.value
    }
    this.pendingJoinMembers.delete(memberId)
    this.pendingSyncMembers.delete(memberId)
  }

  /** Keeps the leader if it rejoined, else elects a member that did; false if none did. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === undefined) return false
    const leader = this.members.get(this.leaderId)
    if (leader?.isAwaitingJoin) return true
    for (const member of this.members.values()) {
      if (member.isAwaitingJoin) {
        this.leaderId = member.memberId
        return true
      }
    }
    return false
  }

  /** A static member rejoined with a new member id: the old id's parked requests are fenced. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): ClassicMember {
    const removed = this.members.get(oldMemberId)
    if (removed === undefined) throw new Error(`cannot replace unknown member ${oldMemberId}`)
    this.members.delete(oldMemberId)
    this.completeJoin(removed, joinError(ErrorCodes.FENCED_INSTANCE_ID, oldMemberId))
    this.completeSync(removed, syncError(ErrorCodes.FENCED_INSTANCE_ID))
    const member = new ClassicMember({
      memberId: newMemberId,
      groupInstanceId: removed.groupInstanceId,
      clientId: removed.clientId,
      clientHost: removed.clientHost,
      rebalanceTimeoutMs: removed.rebalanceTimeoutMs,
      sessionTimeoutMs: removed.sessionTimeoutMs,
      protocolType: removed.protocolType,
      protocols: removed.protocols,
      assignment: removed.assignment,
    })
    this.members.set(newMemberId, member)
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId
    this.staticMembers.set(groupInstanceId, newMemberId)
    return member
  }

  addPendingMember(memberId: string): void {
    this.pendingJoinMembers.add(memberId)
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingJoinMembers.has(memberId)
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.numAwaitingJoin && this.pendingJoinMembers.size === 0
  }

  notYetRejoinedMembers(): ClassicMember[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin)
  }

  /** The largest rebalance timeout of the members. */
  rebalanceTimeoutMs(): number {
    let max = 0
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs)
    return max
  }

  /** UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID when the member (or its instance id) is not current. */
  validateMember(memberId: string, groupInstanceId: string | null | undefined): number {
    if (groupInstanceId !== null && groupInstanceId !== undefined) {
      const existing = this.staticMembers.get(groupInstanceId)
      if (existing === undefined) return ErrorCodes.UNKNOWN_MEMBER_ID
      if (existing !== memberId) return ErrorCodes.FENCED_INSTANCE_ID
    }
    return this.members.has(memberId) ? ErrorCodes.NONE : ErrorCodes.UNKNOWN_MEMBER_ID
  }

  /** ClassicGroup.validateOffsetCommit; NONE when the commit may go ahead. */
  validateOffsetCommit(
    memberId: string,
    groupInstanceId: string | null | undefined,
    generationId: number,
    transactional: boolean,
  ): number {
    if (this.isInState('Dead')) return ErrorCodes.COORDINATOR_NOT_AVAILABLE
    if (generationId < 0 && this.isInState('Empty')) return ErrorCodes.NONE
    if (generationId >= 0 || memberId !== '' || (groupInstanceId !== null && groupInstanceId !== undefined)) {
      const error = this.validateMember(memberId, groupInstanceId)
      if (error !== ErrorCodes.NONE) return error
      if (generationId !== this.generationId) return ErrorCodes.ILLEGAL_GENERATION
    } else if (!transactional && !this.isInState('Empty')) {
      return ErrorCodes.UNKNOWN_MEMBER_ID
    }
    if (!transactional && this.isInState('CompletingRebalance')) return ErrorCodes.REBALANCE_IN_PROGRESS
    return ErrorCodes.NONE
  }

  isStaticMemberFenced(groupInstanceId: string, memberId: string): boolean {
    const existing = this.staticMembers.get(groupInstanceId)
    return existing !== undefined && existing !== memberId
  }

  /** The protocol most members vote for among those every member supports. */
  selectProtocol(): string | undefined {
    const candidates = new Set(
      [...this.supportedProtocols].filter(([, n]) => n === this.members.size).map(([name]) => name),
    )
    const votes = new Map<string, number>()
    for (const m of this.members.values()) {
      const vote = m.vote(candidates)
      if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1)
    }
    let best: string | undefined
    let most = -1
    for (const [name, n] of votes) {
      if (n > most) {
        best = name
        most = n
      }
    }
    return best
  }

  /** Whether a member with these protocols could join (ClassicGroup.supportsProtocols). */
  supportsProtocols(protocolType: string, protocols: readonly Protocol[]): boolean {
    if (this.isInState('Empty')) return protocolType !== '' && protocols.length > 0
    return (
      this.protocolType === protocolType &&
      protocols.some((p) => (this.supportedProtocols.get(p.name) ?? 0) === this.members.size)
    )
  }

  /** Whether the group consumes a topic (ClassicGroup.isSubscribedToTopic). */
  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics === undefined ? this.usesConsumerProtocol : this.subscribedTopics.has(topic)
  }

  /** The topics of every member's subscription, undefined unless every member's metadata parses. */
  computeSubscribedTopics(): Set<string> | undefined {
    if (this.protocolType !== 'consumer') return undefined
    if (this.members.size === 0) return new Set()
    if (this.protocolName === undefined) return undefined
    const all = new Set<string>()
    for (const m of this.members.values()) {
      const topics = subscribedTopicsOf(m.metadata(this.protocolName))
      if (topics === undefined) return undefined
      for (const t of topics) all.add(t)
    }
    return all
  }

  updateMember(
    member: ClassicMember,
    protocols: Protocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    awaitingJoin: ((result: JoinResult) => void) | undefined,
  ): void {
    this.decrementProtocols(member)
    member.protocols = protocols
    this.incrementProtocols(member)
    member.rebalanceTimeoutMs = rebalanceTimeoutMs
    member.sessionTimeoutMs = sessionTimeoutMs
    if (awaitingJoin !== undefined && !member.isAwaitingJoin) this.numAwaitingJoin++
    else if (awaitingJoin === undefined && member.isAwaitingJoin) this.numAwaitingJoin--
    member.awaitingJoin = awaitingJoin
  }

  completeJoin(member: ClassicMember, result: JoinResult): boolean {
    const respond = member.awaitingJoin
    if (respond === undefined) return false
    member.awaitingJoin = undefined
    this.numAwaitingJoin--
    respond(result)
    return true
  }

  completeSync(member: ClassicMember, result: SyncResult): boolean {
    const respond = member.awaitingSync
    if (respond === undefined) return false
    member.awaitingSync = undefined
    respond(result)
    return true
  }

  initNextGeneration(): void {
    this.generationId++
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol()
      this.subscribedTopics = this.computeSubscribedTopics()
      this.transitionTo('CompletingRebalance')
    } else {
      this.protocolName = undefined
      this.subscribedTopics = this.computeSubscribedTopics()
      this.transitionTo('Empty')
    }
    this.pendingSyncMembers.clear()
  }

  /** The members as the leader's JoinGroup response lists them. */
  currentMembers(): JoinResult['members'] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(this.protocolName ?? null),
    }))
  }

  /** Records the group as Kafka writes its GroupMetadata record. */
  persist(): void {
    this.persisted = {
      generationId: this.generationId,
      protocolType: this.protocolType,
      protocolName: this.protocolName,
      leaderId: this.leaderId,
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        protocolType: m.protocolType,
        protocols: m.protocols,
        assignment: m.assignment,
      })),
    }
  }

  private incrementProtocols(member: ClassicMember): void {
    for (const p of member.protocols)
      this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) + 1)
  }

  private decrementProtocols(member: ClassicMember): void {
    for (const p of member.protocols)
      this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) - 1)
  }
}

/** Rebuilds a group as a coordinator loading it from its last GroupMetadata record would (GroupMetadataManager.replay). */
export function loadClassicGroup(groupId: string, persisted: PersistedClassicGroup): ClassicGroup {
  const group = new ClassicGroup(groupId)
  group.generationId = persisted.generationId
  group.protocolType = persisted.protocolType
  group.protocolName = persisted.protocolName
  group.leaderId = persisted.leaderId
  group.state = persisted.members.length === 0 ? 'Empty' : 'Stable'
  for (const m of persisted.members) {
    // The record keeps only the selected protocol's metadata, as Kafka's does.
    const selected = m.protocols.filter((p) => p.name === persisted.protocolName)
    group.add(new ClassicMember({ ...m, protocols: selected.length > 0 ? selected : m.protocols }))
  }
  group.leaderId = persisted.leaderId ?? group.leaderId
  group.subscribedTopics = group.computeSubscribedTopics()
  group.persisted = persisted
  return group
}
