/** A member of a group, as `MockCluster.group(id)` reports it. */
export interface MockGroupMember {
  memberId: string
  groupInstanceId: string | null
  clientId: string
  clientHost: string
  /**
   * The member's assignment, topic to partitions: for a classic group of protocol type 'consumer',
   * the ConsumerProtocolAssignment the leader sent, decoded; for a KIP-848 group, what the member
   * currently owns. Undefined for other protocol types, or when the bytes are not a
   * ConsumerProtocolAssignment (Kafka stores them opaquely, and so does the mock).
   */
  assignment: Record<string, number[]> | undefined
  /** The assignment bytes as the leader sent them (classic groups; empty for KIP-848 members). */
  assignmentBytes: Buffer
  /** KIP-848 members: the member epoch; classic members: undefined. */
  memberEpoch?: number
  /** KIP-848 members: the subscribed topics. */
  subscribedTopics?: string[]
}

/** A group, as `MockCluster.group(id)` and `groups()` report it. */
export interface MockGroup {
  groupId: string
  /** 'classic' (JoinGroup/SyncGroup) or 'consumer' (KIP-848, ConsumerGroupHeartbeat). */
  type: 'classic' | 'consumer'
  /**
   * Kafka's state name: Empty, PreparingRebalance, CompletingRebalance, Stable or Dead (classic);
   * Empty, Assigning, Reconciling or Stable (consumer).
   */
  state: string
  /** The protocol type (classic: what the members sent, e.g. 'consumer'; KIP-848: 'consumer'). */
  protocolType: string | undefined
  /** The selected protocol (classic: the assignor name, e.g. 'range'); KIP-848: the server assignor. */
  protocol: string | undefined
  /** The generation id (classic) or group epoch (KIP-848). */
  generation: number
  /** The leader's member id (classic); undefined for KIP-848 groups. */
  leader: string | undefined
  members: MockGroupMember[]
  /** The broker that coordinates the group. */
  coordinator: number | undefined
}

/** An offset committed for a group, with what Kafka stores beside it. */
export interface MockCommittedOffset {
  topic: string
  partition: number
  offset: bigint
  /** -1 when the committer gave none. */
  leaderEpoch: number
  /** '' when the committer gave none. */
  metadata: string
  /** Milliseconds since the epoch. */
  commitTimestamp: number
  /** Committed with a transaction (TxnOffsetCommit, then EndTxn). */
  transactional: boolean
}

/** Something a group coordinator did, for `cluster.on('group', fn)` and `tributary-mock --verbose`. */
export interface MockGroupEvent {
  groupId: string
  type:
    | 'join'
    | 'member-id-required'
    | 'rebalance'
    | 'sync'
    | 'stable'
    | 'empty'
    | 'leave'
    | 'expire'
    | 'kick'
    | 'static-rejoin'
    | 'commit'
    | 'delete'
    | 'offset-delete'
    | 'heartbeat'
    | 'assignment'
    | 'move'
  memberId?: string
  /** Generation (classic) or group epoch (KIP-848) the event belongs to. */
  generation?: number
  /** A line for people. */
  message: string
}
