import {
  type Connection,
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
  consumerGroupDescribe,
  consumerGroupHeartbeat,
  ErrorCodes,
  offsetCommit,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MockCluster } from '../../src/index.js'
import { connect, findGroupCoordinator } from './raw-group-client.js'

// KIP-848 consumer groups at the protocol level (ConsumerGroupHeartbeat v0, ConsumerGroupDescribe
// v0, OffsetCommit v9 with member epochs), against GroupMetadataManager.consumerGroupHeartbeat and
// CurrentAssignmentBuilder: the coordinator assigns (uniform by default, or range), and a partition
// moves only after its owner revoked it.

const harness = useHarness()

afterEach(() => {
  vi.useRealTimers()
})

/** A KIP-848 member over its own connection to the coordinator. */
class Member {
  memberId = ''
  epoch = 0
  owned: Array<{ topicId: string; partitions: number[] }> = []
  readonly connection: Connection

  constructor(connection: Connection) {
    this.connection = connection
  }

  static async open(cluster: MockCluster, groupId = 'g'): Promise<Member> {
    const first = await connect(cluster, 1, 'kip848')
    const coordinator = await findGroupCoordinator(first, groupId)
    let c = first
    if (coordinator !== 1) {
      await first.close()
      c = await connect(cluster, coordinator, 'kip848')
    }
    const m = new Member(c)
    harness.defer(() => c.close())
    return m
  }

  async heartbeat(overrides: Partial<ConsumerGroupHeartbeatRequest> = {}): Promise<ConsumerGroupHeartbeatResponse> {
    const joining = this.epoch === 0
    const r = await this.connection.send(consumerGroupHeartbeat, 0, {
      groupId: 'g',
      memberId: this.memberId,
      memberEpoch: this.epoch,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: joining ? 5000 : -1,
      subscribedTopicNames: joining ? ['t'] : null,
      serverAssignor: null,
      topicPartitions: joining ? [] : this.owned,
      ...overrides,
    })
    if (r.errorCode === ErrorCodes.NONE) {
      this.memberId = r.memberId ?? this.memberId
      this.epoch = r.memberEpoch
      // The member takes what it is given at once (revoking is instant for this test client).
      if (r.assignment !== null) this.owned = r.assignment.topicPartitions
    }
    return r
  }

  partitions(): number[] {
    return this.owned.flatMap((tp) => tp.partitions).sort((a, b) => a - b)
  }
}

describe('a KIP-848 consumer group', () => {
  it('assigns on the server and moves a partition only after its owner revoked it', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 4 }] })
    const a = await Member.open(cluster)
    const first = await a.heartbeat()
    expect(first).toMatchObject({ errorCode: 0, memberEpoch: 1, heartbeatIntervalMs: 5000 })
    expect(first.memberId).toMatch(/^[0-9a-f-]{36}$/)
    expect(a.partitions()).toEqual([0, 1, 2, 3])
    expect(cluster.group('g')).toMatchObject({ type: 'consumer', state: 'Stable', generation: 1, protocol: 'uniform' })

    // b joins: the target gives it two partitions, but a owns them; b waits (UNRELEASED_PARTITIONS).
    const b = await Member.open(cluster)
    const bFirst = await b.heartbeat()
    expect(bFirst).toMatchObject({ errorCode: 0, memberEpoch: 2 })
    expect(b.partitions()).toEqual([])
    expect(cluster.group('g')?.state).toBe('Reconciling')
    // a's next heartbeat revokes two partitions; its epoch stays until it confirms.
    const revoke = await a.heartbeat()
    expect(revoke.memberEpoch).toBe(1)
    expect(a.partitions()).toEqual([0, 1])
    // b still waits: a has not confirmed the revocation yet.
    expect((await b.heartbeat()).assignment).toBeNull()
    expect(b.partitions()).toEqual([])
    // a confirms (its owned partitions no longer include them): it moves to epoch 2.
    expect((await a.heartbeat()).memberEpoch).toBe(2)
    const handed = await b.heartbeat()
    expect(handed.memberEpoch).toBe(2)
    expect(b.partitions()).toEqual([2, 3])
    expect(cluster.group('g')).toMatchObject({ state: 'Stable', generation: 2 })
    expect(cluster.group('g')?.members.map((m) => m.assignment)).toEqual([{ t: [0, 1] }, { t: [2, 3] }])

    // a leaves (epoch -1): b gets everything once it heartbeats.
    expect((await a.heartbeat({ memberEpoch: -1 })).memberEpoch).toBe(-1)
    await b.heartbeat()
    expect(b.partitions()).toEqual([0, 1, 2, 3])
    expect(cluster.group('g')).toMatchObject({ state: 'Stable', generation: 3 })
  })

  it('fences members with a wrong epoch and refuses invalid heartbeats', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await Member.open(cluster)
    await a.heartbeat()
    expect((await a.heartbeat({ memberEpoch: 7 })).errorCode).toBe(ErrorCodes.FENCED_MEMBER_EPOCH)
    expect((await a.heartbeat({ memberId: 'nobody', memberEpoch: 1 })).errorCode).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
    const b = await Member.open(cluster)
    expect((await b.heartbeat({ subscribedTopicNames: [] })).errorCode).toBe(ErrorCodes.INVALID_REQUEST)
    expect((await b.heartbeat({ rebalanceTimeoutMs: -1 })).errorCode).toBe(ErrorCodes.INVALID_REQUEST)
    expect((await b.heartbeat({ memberEpoch: -5 })).errorCode).toBe(ErrorCodes.INVALID_REQUEST)
    const unsupported = await b.heartbeat({ serverAssignor: 'sticky' })
    expect(unsupported.errorCode).toBe(ErrorCodes.UNSUPPORTED_ASSIGNOR)
    expect(unsupported.errorMessage).toBe(
      'ServerAssignor sticky is not supported. Supported assignors: uniform, range.',
    )
    expect((await b.heartbeat({ groupId: 'missing', memberEpoch: 3, memberId: 'x' })).errorCode).toBe(
      ErrorCodes.GROUP_ID_NOT_FOUND,
    )
  })

  it('checks member epochs on OffsetCommit v9 (STALE_MEMBER_EPOCH) and asks for v9 from KIP-848 members', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await Member.open(cluster)
    await a.heartbeat()
    const commit = (version: number, epoch: number) =>
      a.connection
        .send(offsetCommit, version, {
          groupId: 'g',
          generationIdOrMemberEpoch: epoch,
          memberId: a.memberId,
          groupInstanceId: null,
          topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 3n, committedMetadata: null }] }],
        })
        .then((r) => r.topics[0]?.partitions[0]?.errorCode)
    expect(await commit(9, a.epoch + 1)).toBe(ErrorCodes.STALE_MEMBER_EPOCH)
    expect(await commit(8, a.epoch)).toBe(ErrorCodes.UNSUPPORTED_VERSION)
    expect(await commit(9, a.epoch)).toBe(ErrorCodes.NONE)
    expect(cluster.committedOffsets('g')).toEqual(new Map([['t:0', 3n]]))
  })

  it('uses the range assignor when the members ask for it, and describes the group', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 5 }] })
    const a = await Member.open(cluster)
    const b = await Member.open(cluster)
    await a.heartbeat({ serverAssignor: 'range' })
    await b.heartbeat({ serverAssignor: 'range' })
    for (let i = 0; i < 3; i++) {
      await a.heartbeat()
      await b.heartbeat()
    }
    const [first, second] = [a, b].sort((x, y) => x.memberId.localeCompare(y.memberId)) as [Member, Member]
    expect(first.partitions()).toEqual([0, 1, 2])
    expect(second.partitions()).toEqual([3, 4])
    const described = await a.connection.send(consumerGroupDescribe, 0, {
      groupIds: ['g', 'missing'],
      includeAuthorizedOperations: false,
    })
    const g = described.groups[0]
    expect(g).toMatchObject({
      errorCode: 0,
      groupId: 'g',
      groupState: 'Stable',
      groupEpoch: 2,
      assignmentEpoch: 2,
      assignorName: 'range',
    })
    expect(g?.members.map((m) => [m.memberId, m.memberEpoch, m.clientId, m.subscribedTopicNames])).toEqual(
      expect.arrayContaining([
        [a.memberId, 2, 'kip848', ['t']],
        [b.memberId, 2, 'kip848', ['t']],
      ]),
    )
    const mine = g?.members.find((m) => m.memberId === first.memberId)
    expect(mine?.assignment.topicPartitions).toEqual([
      { topicId: expect.any(String), topicName: 't', partitions: [0, 1, 2] },
    ])
    expect(mine?.targetAssignment.topicPartitions[0]?.partitions).toEqual([0, 1, 2])
    expect(described.groups[1]).toMatchObject({ errorCode: ErrorCodes.GROUP_ID_NOT_FOUND, groupId: 'missing' })
  })

  it('keeps the partitions of a static member that leaves for a while, and gives them back when it returns', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await Member.open(cluster)
    const b = await Member.open(cluster)
    await a.heartbeat({ instanceId: 'a-1' })
    await b.heartbeat({ instanceId: 'b-1' })
    for (let i = 0; i < 3; i++) {
      await a.heartbeat({ instanceId: 'a-1' })
      await b.heartbeat({ instanceId: 'b-1' })
    }
    const owned = a.partitions()
    expect(owned).toHaveLength(1)
    const left = await a.heartbeat({ instanceId: 'a-1', memberEpoch: -2 })
    expect(left).toMatchObject({ errorCode: 0, memberEpoch: -2 })
    // Still in the group with its partition: b does not get it.
    await b.heartbeat({ instanceId: 'b-1' })
    expect(b.partitions()).toHaveLength(1)
    // The same instance comes back under a new member id, with its partition.
    const back = await Member.open(cluster)
    const rejoined = await back.heartbeat({ instanceId: 'a-1' })
    expect(rejoined.errorCode).toBe(0)
    expect(rejoined.memberId).not.toBe(a.memberId)
    expect(back.partitions()).toEqual(owned)
    expect(
      cluster
        .group('g')
        ?.members.map((m) => m.groupInstanceId)
        .sort(),
    ).toEqual(['a-1', 'b-1'])
    // A second process with the same instance id while a-1 is active: UNRELEASED_INSTANCE_ID.
    const twin = await Member.open(cluster)
    expect((await twin.heartbeat({ instanceId: 'a-1' })).errorCode).toBe(ErrorCodes.UNRELEASED_INSTANCE_ID)
  })

  it('fences a member whose session expired, and one that does not revoke within its rebalance timeout', async () => {
    const cluster = await harness.start({
      topics: [{ name: 't', partitions: 2 }],
      groups: { consumerSessionTimeoutMs: 45_000 },
    })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const a = await Member.open(cluster)
    await a.heartbeat({ rebalanceTimeoutMs: 3000 })
    const b = await Member.open(cluster)
    await b.heartbeat()
    // a is asked to revoke a partition and never confirms: after its rebalance timeout it is fenced.
    await a.heartbeat()
    expect(a.partitions()).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(2999)
    expect(cluster.group('g')?.members).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(cluster.group('g')?.members.map((m) => m.memberId)).toEqual([b.memberId])
    expect((await a.heartbeat()).errorCode).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
    // b now gets both partitions; then it stops heartbeating and its session (45 s) expires.
    await b.heartbeat()
    expect(b.partitions()).toEqual([0, 1])
    await vi.advanceTimersByTimeAsync(44_999)
    expect(cluster.group('g')?.members).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(cluster.group('g')).toMatchObject({ state: 'Empty', members: [] })
  })
})
