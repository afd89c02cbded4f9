import {
  Connection,
  ErrorCodes,
  findCoordinator,
  heartbeat,
  type JoinGroupResponse,
  joinGroup,
  leaveGroup,
  offsetCommit,
  type SyncGroupResponse,
  syncGroup,
} from '@tributary/core/protocol'
import type { MockCluster } from '../../src/index.js'

// A group member that speaks the classic group protocol with core's codecs over a real socket:
// for tests that need requests no well-behaved client sends (a member that never heartbeats, a
// bogus assignment, a stale generation), each step explicit.

/** The consumer protocol's subscription (ConsumerProtocolSubscription v0), written by hand. */
export function encodeSubscription(topics: readonly string[], version = 0): Buffer {
  const parts: Buffer[] = [int16(version), int32(topics.length)]
  for (const t of topics) parts.push(string(t))
  parts.push(int32(-1)) // user data: null
  if (version >= 1) parts.push(int32(0)) // owned partitions
  if (version >= 2) parts.push(int32(-1)) // generation
  if (version >= 3) parts.push(int16(-1)) // rack: null
  return Buffer.concat(parts)
}

/** The consumer protocol's assignment (ConsumerProtocolAssignment v0), written by hand. */
export function encodeAssignment(assignment: Record<string, number[]>): Buffer {
  const entries = Object.entries(assignment)
  const parts: Buffer[] = [int16(0), int32(entries.length)]
  for (const [topic, partitions] of entries) {
    parts.push(string(topic), int32(partitions.length), ...partitions.map(int32))
  }
  parts.push(int32(-1))
  return Buffer.concat(parts)
}

function int16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeInt16BE(n)
  return b
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}

function string(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8')
  return Buffer.concat([int16(bytes.length), bytes])
}

/** Opens a connection to a broker of the cluster (its first broker unless told). */
export async function connect(cluster: MockCluster, brokerId = 1, clientId = 'raw-member'): Promise<Connection> {
  const broker = cluster.brokers.find((b) => b.nodeId === brokerId)
  if (broker === undefined) throw new Error(`no broker ${brokerId}`)
  return Connection.connect({ host: broker.host, port: broker.port, clientId, requestTimeoutMs: 600_000 })
}

/** The broker that coordinates a group, asked with FindCoordinator v4 (batched keys). */
export async function findGroupCoordinator(connection: Connection, groupId: string): Promise<number> {
  const response = await connection.send(findCoordinator, 4, { keyType: 0, coordinatorKeys: [groupId] })
  const c = response.coordinators?.[0]
  if (c === undefined || c.errorCode !== ErrorCodes.NONE) throw new Error(`FindCoordinator failed: ${c?.errorCode}`)
  return c.nodeId as number
}

export interface RawMemberOptions {
  groupId: string
  topics?: string[]
  sessionTimeoutMs?: number
  rebalanceTimeoutMs?: number
  groupInstanceId?: string | null
  protocolType?: string
  protocols?: Array<{ name: string; metadata: Buffer }>
  clientId?: string
}

/** One member over its own connection to the group's coordinator. */
export class RawMember {
  memberId = ''
  generationId = -1
  leader = ''
  protocolName: string | null = null
  members: JoinGroupResponse['members'] = []
  readonly options: Required<RawMemberOptions>
  readonly connection: Connection

  private constructor(connection: Connection, options: Required<RawMemberOptions>) {
    this.connection = connection
    this.options = options
  }

  static async open(cluster: MockCluster, options: RawMemberOptions): Promise<RawMember> {
    const first = await connect(cluster, 1, options.clientId ?? 'raw-member')
    const coordinator = await findGroupCoordinator(first, options.groupId)
    let connection = first
    if (coordinator !== 1) {
      await first.close()
      connection = await connect(cluster, coordinator, options.clientId ?? 'raw-member')
    }
    const topics = options.topics ?? ['t']
    return new RawMember(connection, {
      groupId: options.groupId,
      topics,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 10_000,
      groupInstanceId: options.groupInstanceId ?? null,
      protocolType: options.protocolType ?? 'consumer',
      protocols: options.protocols ?? [{ name: 'range', metadata: encodeSubscription(topics) }],
      clientId: options.clientId ?? 'raw-member',
    })
  }

  get isLeader(): boolean {
    return this.memberId !== '' && this.memberId === this.leader
  }

  /** One JoinGroup request (v9 unless told), the member id and generation taken from a success. */
  async joinOnce(version = 9): Promise<JoinGroupResponse> {
    const response = await this.connection.send(joinGroup, version, {
      groupId: this.options.groupId,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
      memberId: this.memberId,
      groupInstanceId: this.options.groupInstanceId,
      protocolType: this.options.protocolType,
      protocols: this.options.protocols,
      reason: null,
    })
    if (response.errorCode === ErrorCodes.MEMBER_ID_REQUIRED) this.memberId = response.memberId
    if (response.errorCode === ErrorCodes.NONE) {
      this.memberId = response.memberId
      this.generationId = response.generationId
      this.leader = response.leader
      this.protocolName = response.protocolName
      this.members = response.members
    }
    return response
  }

  /** JoinGroup until it succeeds past MEMBER_ID_REQUIRED; rejects on any other error. */
  async join(version = 9): Promise<JoinGroupResponse> {
    let response = await this.joinOnce(version)
    if (response.errorCode === ErrorCodes.MEMBER_ID_REQUIRED) response = await this.joinOnce(version)
    if (response.errorCode !== ErrorCodes.NONE) throw new Error(`JoinGroup failed with error ${response.errorCode}`)
    return response
  }

  /** SyncGroup (v5): the leader sends `assignments` (raw bytes per member id). */
  sync(assignments: Array<{ memberId: string; assignment: Buffer }> = []): Promise<SyncGroupResponse> {
    return this.connection.send(syncGroup, 5, {
      groupId: this.options.groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.options.groupInstanceId,
      protocolType: this.options.protocolType,
      protocolName: this.protocolName,
      assignments,
    })
  }

  async heartbeat(): Promise<number> {
    const response = await this.connection.send(heartbeat, 4, {
      groupId: this.options.groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.options.groupInstanceId,
    })
    return response.errorCode
  }

  async leave(): Promise<number> {
    const response = await this.connection.send(leaveGroup, 5, {
      groupId: this.options.groupId,
      members: [{ memberId: this.memberId, groupInstanceId: this.options.groupInstanceId, reason: 'test' }],
    })
    return response.members?.[0]?.errorCode ?? response.errorCode
  }

  /** OffsetCommit v9 of one partition; returns its error code. */
  async commit(topic: string, partition: number, offset: bigint, generationId = this.generationId): Promise<number> {
    const response = await this.connection.send(offsetCommit, 9, {
      groupId: this.options.groupId,
      generationIdOrMemberEpoch: generationId,
      memberId: this.memberId,
      groupInstanceId: this.options.groupInstanceId,
      topics: [
        { name: topic, partitions: [{ partitionIndex: partition, committedOffset: offset, committedMetadata: null }] },
      ],
    })
    return response.topics[0]?.partitions[0]?.errorCode ?? -1
  }

  close(): Promise<void> {
    return this.connection.close()
  }
}
