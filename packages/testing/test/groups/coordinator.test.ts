import {
  apiVersions,
  deleteGroups,
  ErrorCodes,
  findCoordinator,
  heartbeat,
  leaveGroup,
  listGroups,
  offsetDelete,
  offsetFetch,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MockCluster, MockGroupEvent } from '../../src/index.js'
import { connect, encodeAssignment, encodeSubscription, RawMember } from './raw-group-client.js'

// The group coordinator's rules, request by request (core's codecs over real sockets), each
// against what Kafka's GroupMetadataManager, OffsetMetadataManager and KafkaApis answer.

const harness = useHarness()

afterEach(() => {
  vi.useRealTimers()
})

/** Resolves when the cluster reported `count` group events of a type (no timers: fake clocks allowed). */
function groupEvents(cluster: MockCluster, type: MockGroupEvent['type'], count = 1): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0
    const listener = (e: MockGroupEvent) => {
      if (e.type === type && ++seen === count) {
        cluster.off('group', listener)
        resolve()
      }
    }
    cluster.on('group', listener)
  })
}

/** One member joined and synced as the leader, assigning itself `assignment`. */
async function stableMember(
  cluster: MockCluster,
  groupId: string,
  extra: Partial<Parameters<typeof RawMember.open>[1]> = {},
) {
  const m = await RawMember.open(cluster, { groupId, ...extra })
  harness.defer(() => m.close())
  await m.join()
  const sync = await m.sync([{ memberId: m.memberId, assignment: encodeAssignment({ t: [0, 1] }) }])
  expect(sync.errorCode).toBe(ErrorCodes.NONE)
  return m
}

describe('the group APIs', () => {
  it('are advertised at the versions Kafka 4 serves, FindCoordinator from v0 for kafka-python 2.0.2', async () => {
    const cluster = await harness.start()
    const c = await connect(cluster)
    harness.defer(() => c.close())
    const { apiKeys } = await c.send(apiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' })
    const range = (key: number) => {
      const k = apiKeys.find((a) => a.apiKey === key)
      return k === undefined ? undefined : `${k.minVersion}-${k.maxVersion}`
    }
    expect({
      OffsetCommit: range(8),
      OffsetFetch: range(9),
      FindCoordinator: range(10),
      JoinGroup: range(11),
      Heartbeat: range(12),
      LeaveGroup: range(13),
      SyncGroup: range(14),
      DescribeGroups: range(15),
      ListGroups: range(16),
      DeleteGroups: range(42),
      OffsetDelete: range(47),
      ConsumerGroupHeartbeat: range(68),
      ConsumerGroupDescribe: range(69),
    }).toEqual({
      OffsetCommit: '2-9',
      OffsetFetch: '1-9',
      FindCoordinator: '0-6',
      JoinGroup: '2-9',
      Heartbeat: '0-4',
      LeaveGroup: '0-5',
      SyncGroup: '0-5',
      DescribeGroups: '0-5',
      ListGroups: '0-5',
      DeleteGroups: '1-2',
      OffsetDelete: '0-0',
      ConsumerGroupHeartbeat: '0-0',
      ConsumerGroupDescribe: '0-0',
    })
  })
})

describe('joining a classic group', () => {
  it('asks a member without an id to rejoin with one (v4+), but adds it at once before v4', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const modern = await RawMember.open(cluster, { groupId: 'g4' })
    const old = await RawMember.open(cluster, { groupId: 'g3' })
    harness.defer(() => Promise.all([modern.close(), old.close()]))
    const first = await modern.joinOnce(4)
    expect(first.errorCode).toBe(ErrorCodes.MEMBER_ID_REQUIRED)
    expect(first.memberId).toMatch(/^raw-member-[0-9a-f-]{36}$/)
    expect(cluster.group('g4')).toMatchObject({ state: 'Empty', members: [] })
    expect((await modern.joinOnce(4)).errorCode).toBe(ErrorCodes.NONE)
    expect((await old.joinOnce(3)).errorCode).toBe(ErrorCodes.NONE)
    expect(cluster.group('g3')).toMatchObject({ state: 'CompletingRebalance', generation: 1, leader: old.memberId })
  })

  it('waits for every known member to rejoin before the next generation, and elects a leader that did', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await stableMember(cluster, 'g')
    const b = await RawMember.open(cluster, { groupId: 'g' })
    harness.defer(() => b.close())
    const order: string[] = []
    const bJoin = b.join().then(() => order.push('b joined'))
    await groupEvents(cluster, 'rebalance')
    expect(cluster.group('g')?.state).toBe('PreparingRebalance')
    // a learns of the rebalance from its heartbeat; b waits until a rejoins.
    expect(await a.heartbeat()).toBe(ErrorCodes.REBALANCE_IN_PROGRESS)
    expect(order).toEqual([])
    order.push('a rejoins')
    await a.join()
    await bJoin
    expect(order).toEqual(['a rejoins', 'b joined'])
    expect([a.generationId, b.generationId]).toEqual([2, 2])
    expect(a.leader).toBe(a.memberId)
    expect(a.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId].sort())
    expect(b.members).toEqual([]) // only the leader gets the members' metadata
    // Until the leader's SyncGroup, a follower's SyncGroup waits; then it gets its assignment.
    const bSync = b.sync()
    await a.sync([
      { memberId: a.memberId, assignment: encodeAssignment({ t: [0] }) },
      { memberId: b.memberId, assignment: encodeAssignment({ t: [1] }) },
    ])
    expect((await bSync).assignment).toEqual(encodeAssignment({ t: [1] }))
  })

  it('completes the join phase without the members that did not rejoin within the rebalance timeout', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await stableMember(cluster, 'g', { rebalanceTimeoutMs: 8000 })
    const b = await RawMember.open(cluster, { groupId: 'g', rebalanceTimeoutMs: 8000 })
    harness.defer(() => b.close())
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const rebalancing = groupEvents(cluster, 'rebalance')
    const bJoin = b.join()
    await rebalancing
    // a never rejoins: after the group's rebalance timeout (the largest of its members') it is removed.
    await vi.advanceTimersByTimeAsync(7999)
    expect(cluster.group('g')?.members).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    await bJoin
    expect(cluster.group('g')).toMatchObject({ state: 'CompletingRebalance', generation: 2, leader: b.memberId })
    expect(cluster.group('g')?.members.map((m) => m.memberId)).toEqual([b.memberId])
    expect(await a.heartbeat()).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
  })

  it('replaces a static member that rejoins with a new member id, without a rebalance (KIP-345)', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const first = await stableMember(cluster, 'g', { groupInstanceId: 'instance-1' })
    expect(first.memberId).toMatch(/^instance-1-/)
    const rebalances: MockGroupEvent[] = []
    cluster.on('group', (e) => e.type === 'rebalance' && rebalances.push(e))
    // The same instance restarts: it joins without a member id and gets the old one's place.
    const restarted = await RawMember.open(cluster, { groupId: 'g', groupInstanceId: 'instance-1' })
    harness.defer(() => restarted.close())
    const join = await restarted.joinOnce()
    expect(join.errorCode).toBe(ErrorCodes.NONE)
    expect(join.memberId).not.toBe(first.memberId)
    expect(join.generationId).toBe(1)
    // v9: the leader skips the assignment, the group keeps its current one.
    expect(join.skipAssignment).toBe(true)
    expect(rebalances).toEqual([])
    const group = cluster.group('g')
    expect(group).toMatchObject({ state: 'Stable', generation: 1, leader: restarted.memberId })
    expect(group?.members).toEqual([
      expect.objectContaining({
        memberId: restarted.memberId,
        groupInstanceId: 'instance-1',
        assignment: { t: [0, 1] },
      }),
    ])
    const sync = await restarted.sync()
    expect(sync.assignment).toEqual(encodeAssignment({ t: [0, 1] }))
    // The old member id is fenced.
    expect(await first.heartbeat()).toBe(ErrorCodes.FENCED_INSTANCE_ID)
    expect(await first.commit('t', 0, 1n)).toBe(ErrorCodes.FENCED_INSTANCE_ID)
    expect(await restarted.heartbeat()).toBe(ErrorCodes.NONE)
  })

  it('lets an admin remove a static member by its instance id, and members leave in a batch (LeaveGroup v3+)', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await stableMember(cluster, 'g', { groupInstanceId: 'i-a' })
    const connection = await connect(cluster, cluster.group('g')?.coordinator)
    harness.defer(() => connection.close())
    const response = await connection.send(leaveGroup, 5, {
      groupId: 'g',
      members: [
        { memberId: '', groupInstanceId: 'i-a', reason: 'scale down' },
        { memberId: '', groupInstanceId: 'i-unknown', reason: null },
        { memberId: 'nobody', groupInstanceId: null, reason: null },
      ],
    })
    expect(response.errorCode).toBe(ErrorCodes.NONE)
    expect(response.members?.map((m) => [m.memberId, m.groupInstanceId, m.errorCode])).toEqual([
      ['', 'i-a', ErrorCodes.NONE],
      ['', 'i-unknown', ErrorCodes.UNKNOWN_MEMBER_ID],
      ['nobody', null, ErrorCodes.UNKNOWN_MEMBER_ID],
    ])
    expect(cluster.group('g')?.state).toBe('Empty')
    expect(await a.heartbeat()).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
    // Before v3 one member leaves, and its error is the response's.
    const v0 = await connection.send(leaveGroup, 0, { groupId: 'g', memberId: 'nobody' })
    expect(v0.errorCode).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
  })

  it('refuses SyncGroup and Heartbeat of stale generations and unknown members', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await stableMember(cluster, 'g')
    const connection = a.connection
    const beat = (generationId: number, memberId: string) =>
      connection.send(heartbeat, 4, { groupId: 'g', generationId, memberId, groupInstanceId: null })
    expect((await beat(0, a.memberId)).errorCode).toBe(ErrorCodes.ILLEGAL_GENERATION)
    expect((await beat(1, 'someone')).errorCode).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
    expect(
      (await connection.send(heartbeat, 4, { groupId: '', generationId: 1, memberId: a.memberId })).errorCode,
    ).toBe(ErrorCodes.INVALID_GROUP_ID)
    a.generationId = 5
    expect((await a.sync()).errorCode).toBe(ErrorCodes.ILLEGAL_GENERATION)
    a.generationId = 1
    a.protocolName = 'roundrobin'
    expect((await a.sync()).errorCode).toBe(ErrorCodes.INCONSISTENT_GROUP_PROTOCOL)
  })
})

describe('the test API', () => {
  it('kickMember removes a member: it gets UNKNOWN_MEMBER_ID, the others rebalance', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await RawMember.open(cluster, { groupId: 'g' })
    const b = await RawMember.open(cluster, { groupId: 'g' })
    harness.defer(() => Promise.all([a.close(), b.close()]))
    await Promise.all([a.join(), b.join()])
    const leader = a.isLeader ? a : b
    const assignments = [a, b].map((m) => ({ memberId: m.memberId, assignment: Buffer.alloc(0) }))
    await Promise.all([a.sync(leader === a ? assignments : []), b.sync(leader === b ? assignments : [])])
    cluster.kickMember('g', b.memberId)
    expect(await b.heartbeat()).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
    expect(await a.heartbeat()).toBe(ErrorCodes.REBALANCE_IN_PROGRESS)
    expect(() => cluster.kickMember('g', 'nobody')).toThrow(RangeError)
    await a.join()
    expect(cluster.group('g')).toMatchObject({ generation: 2, members: [{ memberId: a.memberId }] })
  })

  it('moveCoordinator makes the old coordinator answer NOT_COORDINATOR and FindCoordinator name the new one', async () => {
    const cluster = await harness.start({ brokers: 3, topics: [{ name: 't', partitions: 2 }] })
    const a = await stableMember(cluster, 'g')
    const from = cluster.group('g')?.coordinator as number
    const to = from === 3 ? 1 : from + 1
    // A second member's JoinGroup is parked at the old coordinator when the group moves.
    const b = await RawMember.open(cluster, { groupId: 'g' })
    harness.defer(() => b.close())
    expect((await b.joinOnce()).errorCode).toBe(ErrorCodes.MEMBER_ID_REQUIRED)
    const parked = b.joinOnce()
    await groupEvents(cluster, 'rebalance')
    cluster.moveCoordinator('g', to)
    expect((await parked).errorCode).toBe(ErrorCodes.NOT_COORDINATOR)
    expect(await a.heartbeat()).toBe(ErrorCodes.NOT_COORDINATOR)
    expect(await a.commit('t', 0, 1n)).toBe(ErrorCodes.NOT_COORDINATOR)
    const any = await connect(cluster, 1)
    harness.defer(() => any.close())
    const found = await any.send(findCoordinator, 4, { keyType: 0, coordinatorKeys: ['g', 'other'] })
    expect(found.coordinators?.[0]).toMatchObject({ key: 'g', nodeId: to, errorCode: 0 })
    expect(found.coordinators?.[1]).toMatchObject({ key: 'other', errorCode: 0 })
    // The new coordinator loaded the group as of its last completed rebalance: a is still its member.
    expect(cluster.group('g')).toMatchObject({ state: 'Stable', generation: 1, coordinator: to })
    const moved = await connect(cluster, to)
    harness.defer(() => moved.close())
    const beat = await moved.send(heartbeat, 4, {
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
    })
    expect(beat.errorCode).toBe(ErrorCodes.NONE)
  })

  it('failNext answers the next group requests with an error where each API carries it', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await stableMember(cluster, 'g')
    cluster.failNext('Heartbeat', { errorCode: ErrorCodes.COORDINATOR_NOT_AVAILABLE })
    expect(await a.heartbeat()).toBe(ErrorCodes.COORDINATOR_NOT_AVAILABLE)
    expect(await a.heartbeat()).toBe(ErrorCodes.NONE)
    cluster.failNext('OffsetCommit', { errorCode: ErrorCodes.REBALANCE_IN_PROGRESS, topic: 't', partition: 1 })
    expect(await a.commit('t', 0, 4n)).toBe(ErrorCodes.NONE)
    expect(await a.commit('t', 1, 4n)).toBe(ErrorCodes.REBALANCE_IN_PROGRESS)
    cluster.failNext('JoinGroup', { errorCode: ErrorCodes.COORDINATOR_LOAD_IN_PROGRESS, groupId: 'other' })
    expect((await a.joinOnce()).errorCode).toBe(ErrorCodes.NONE)
    const other = await RawMember.open(cluster, { groupId: 'other' })
    harness.defer(() => other.close())
    expect((await other.joinOnce()).errorCode).toBe(ErrorCodes.COORDINATOR_LOAD_IN_PROGRESS)
    cluster.failNext('OffsetFetch', { errorCode: ErrorCodes.NOT_COORDINATOR, count: 2 })
    const fetch = () =>
      a.connection.send(offsetFetch, 8, { groups: [{ groupId: 'g', topics: null }], requireStable: false })
    expect((await fetch()).groups?.[0]?.errorCode).toBe(ErrorCodes.NOT_COORDINATOR)
    expect((await fetch()).groups?.[0]?.errorCode).toBe(ErrorCodes.NOT_COORDINATOR)
    expect((await fetch()).groups?.[0]).toMatchObject({ errorCode: 0, topics: [{ name: 't' }] })
    expect(() => cluster.failNext('CreateTopics', { errorCode: 1 })).toThrow(/failures can be injected into/)
  })

  it('stop() clears every timer of the coordinator', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await RawMember.open(cluster, { groupId: 'g' })
    harness.defer(() => a.close())
    const joined = groupEvents(cluster, 'join')
    const join = a.join()
    await joined
    await vi.advanceTimersByTimeAsync(100)
    await join
    expect(vi.getTimerCount()).toBeGreaterThan(0) // a session timeout and the pending SyncGroup
    a.connection.abort(new Error('done')) // close() would leave a timer of its own
    await cluster.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('group administration', () => {
  it('lists groups by state and type, on the broker that coordinates each', async () => {
    const cluster = await harness.start({ brokers: 3, topics: [{ name: 't', partitions: 2 }] })
    const ids = ['alpha', 'beta', 'gamma', 'delta']
    for (const id of ids.slice(0, 2)) await stableMember(cluster, id)
    const commit = await RawMember.open(cluster, { groupId: 'gamma' })
    harness.defer(() => commit.close())
    expect(await commit.commit('t', 0, 1n, -1)).toBe(ErrorCodes.NONE) // a simple group: offsets only
    const all: Array<{ groupId: string; groupState?: string; groupType?: string; protocolType: string }> = []
    for (const broker of cluster.brokers) {
      const c = await connect(cluster, broker.nodeId)
      harness.defer(() => c.close())
      const r = await c.send(listGroups, 5, { statesFilter: [], typesFilter: [] })
      expect(r.errorCode).toBe(0)
      for (const g of r.groups) expect(cluster.group(g.groupId)?.coordinator).toBe(broker.nodeId)
      all.push(...r.groups)
      const stable = await c.send(listGroups, 5, { statesFilter: ['STABLE '], typesFilter: ['classic'] })
      for (const g of stable.groups) expect(g.groupState).toBe('Stable')
      const none = await c.send(listGroups, 5, { statesFilter: [], typesFilter: ['consumer'] })
      expect(none.groups).toEqual([])
    }
    expect(all.sort((x, y) => x.groupId.localeCompare(y.groupId))).toEqual([
      { groupId: 'alpha', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
      { groupId: 'beta', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
      { groupId: 'gamma', protocolType: '', groupState: 'Empty', groupType: 'classic' },
    ])
  })

  it('deletes only empty groups, with their offsets, and deletes offsets of topics a group does not consume', async () => {
    const cluster = await harness.start({
      topics: [
        { name: 't', partitions: 2 },
        { name: 'old', partitions: 1 },
      ],
    })
    const a = await stableMember(cluster, 'g', {
      protocols: [{ name: 'range', metadata: encodeSubscription(['t']) }],
    })
    expect(await a.commit('t', 0, 5n)).toBe(ErrorCodes.NONE)
    expect(await a.commit('old', 0, 2n)).toBe(ErrorCodes.NONE)
    const c = a.connection
    expect((await c.send(deleteGroups, 2, { groupsNames: ['g', 'missing', 'g'] })).results).toEqual([
      { groupId: 'g', errorCode: ErrorCodes.NON_EMPTY_GROUP },
      { groupId: 'missing', errorCode: ErrorCodes.GROUP_ID_NOT_FOUND },
    ])
    // OffsetDelete: the subscribed topic is refused, the other goes; unknown partitions fail alone.
    const deleted = await c.send(offsetDelete, 0, {
      groupId: 'g',
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0 }] },
        { name: 'old', partitions: [{ partitionIndex: 0 }, { partitionIndex: 7 }] },
      ],
    })
    expect(deleted.errorCode).toBe(0)
    expect(deleted.topics).toEqual([
      { name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCodes.GROUP_SUBSCRIBED_TO_TOPIC }] },
      {
        name: 'old',
        partitions: [
          { partitionIndex: 0, errorCode: 0 },
          { partitionIndex: 7, errorCode: ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION },
        ],
      },
    ])
    expect(cluster.committedOffsets('g')).toEqual(new Map([['t:0', 5n]]))
    expect(await a.leave()).toBe(ErrorCodes.NONE)
    expect(cluster.group('g')?.state).toBe('Empty')
    expect((await c.send(deleteGroups, 2, { groupsNames: ['g'] })).results).toEqual([{ groupId: 'g', errorCode: 0 }])
    expect(cluster.group('g')).toBeUndefined()
    expect(cluster.committedOffsets('g').size).toBe(0)
    expect((await c.send(offsetDelete, 0, { groupId: 'g', topics: [] })).errorCode).toBe(ErrorCodes.GROUP_ID_NOT_FOUND)
  })
})
