import { describeGroups, ErrorCodes, joinGroup } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MockCluster, MockGroupEvent } from '../../src/index.js'
import { connect, encodeAssignment, RawMember } from './raw-group-client.js'

// Hostile group traffic, sent with core's codecs over real sockets: members that break the rules
// get Kafka's error codes, and the members that follow them carry on. The coordinator's timers run
// on fake timers here, so that a session timeout is exactly what expires a member.

const harness = useHarness()

afterEach(() => {
  vi.useRealTimers()
})

/** Fake timers for the coordinator (setTimeout and Date); sockets keep running on the real loop. */
function fakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
}

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

describe('hostile group members', () => {
  it('a member that never heartbeats is removed when its session times out, and the others rebalance and go on', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const events: string[] = []
    cluster.on('group', (e) => events.push(`${e.type}${e.memberId === undefined ? '' : ` ${e.memberId}`}`))
    const live = await RawMember.open(cluster, { groupId: 'g', sessionTimeoutMs: 6000 })
    const silent = await RawMember.open(cluster, { groupId: 'g', sessionTimeoutMs: 6000, clientId: 'silent' })
    harness.defer(() => Promise.all([live.close(), silent.close()]))
    fakeClock()
    const joined = groupEvents(cluster, 'join', 2)
    const joins = Promise.all([live.join(), silent.join()])
    await joined
    await vi.advanceTimersByTimeAsync(200) // the initial rebalance delay, extended once for the second member
    await joins
    const leader = live.isLeader ? live : silent
    const assignments = [
      { memberId: live.memberId, assignment: encodeAssignment({ t: [0] }) },
      { memberId: silent.memberId, assignment: encodeAssignment({ t: [1] }) },
    ]
    await Promise.all([
      live.sync(leader === live ? assignments : []),
      silent.sync(leader === silent ? assignments : []),
    ])
    expect(cluster.group('g')).toMatchObject({ state: 'Stable', generation: 1 })

    // The live member heartbeats every 2 s; the silent one never does. Both sessions started when
    // the JoinGroup answers went out, and restarted with the SyncGroup answers.
    for (let t = 0; t < 3; t++) {
      await vi.advanceTimersByTimeAsync(1999)
      expect(await live.heartbeat()).toBe(ErrorCodes.NONE)
      if (t === 2) expect(cluster.group('g')?.members).toHaveLength(2) // 1 ms before its session ends
      await vi.advanceTimersByTimeAsync(1)
    }
    // 6 s after its SyncGroup answer the silent member's session expired: it was removed.
    expect(events).toContain(`expire ${silent.memberId}`)
    expect(cluster.group('g')?.members.map((m) => m.memberId)).toEqual([live.memberId])
    expect(await live.heartbeat()).toBe(ErrorCodes.REBALANCE_IN_PROGRESS)
    await live.join()
    expect(live.generationId).toBe(2)
    expect(live.isLeader).toBe(true)
    const sync = await live.sync([{ memberId: live.memberId, assignment: encodeAssignment({ t: [0, 1] }) }])
    expect(sync.errorCode).toBe(ErrorCodes.NONE)
    expect(cluster.group('g')).toMatchObject({
      state: 'Stable',
      generation: 2,
      members: [{ assignment: { t: [0, 1] } }],
    })
    expect(await live.commit('t', 1, 7n)).toBe(ErrorCodes.NONE)
    // The evicted member's requests are refused from then on.
    expect(await silent.heartbeat()).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
    expect(await silent.commit('t', 1, 9n)).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
    expect(cluster.committedOffsets('g')).toEqual(new Map([['t:1', 7n]]))
  })

  it('a leader that assigns bytes that are not a ConsumerProtocolAssignment has them stored and handed out untouched', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const a = await RawMember.open(cluster, { groupId: 'g' })
    const b = await RawMember.open(cluster, { groupId: 'g' })
    harness.defer(() => Promise.all([a.close(), b.close()]))
    await Promise.all([a.join(), b.join()])
    const leader = a.isLeader ? a : b
    const follower = a.isLeader ? b : a
    const garbage = Buffer.from([0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x00])
    const truncated = encodeAssignment({ t: [0, 1] }).subarray(0, 9)
    const [leaderSync, followerSync] = await Promise.all([
      leader.sync([
        { memberId: leader.memberId, assignment: garbage },
        { memberId: follower.memberId, assignment: truncated },
        { memberId: 'not-a-member', assignment: Buffer.alloc(1 << 16, 0xaa) },
      ]),
      follower.sync(),
    ])
    expect(leaderSync).toMatchObject({ errorCode: 0, protocolType: 'consumer', protocolName: 'range' })
    expect(leaderSync.assignment).toEqual(garbage)
    expect(followerSync.assignment).toEqual(truncated)
    // The test API reports the bytes, and no decoded assignment, for bytes that do not decode.
    const group = cluster.group('g')
    expect(group?.state).toBe('Stable')
    expect(group?.members.map((m) => [m.assignment, m.assignmentBytes])).toEqual(
      expect.arrayContaining([
        [undefined, garbage],
        [undefined, truncated],
      ]),
    )
    expect(group?.members).toHaveLength(2)
    // DescribeGroups hands the bytes out as they came.
    const described = await leader.connection.send(describeGroups, 5, {
      groups: ['g'],
      includeAuthorizedOperations: true,
    })
    expect(described.groups[0]?.members.map((m) => m.memberAssignment)).toEqual(
      expect.arrayContaining([garbage, truncated]),
    )
    expect(described.groups[0]?.authorizedOperations).toBe(3400)
    // The group goes on: heartbeats, commits, a rejoin.
    expect(await follower.heartbeat()).toBe(ErrorCodes.NONE)
    expect(await follower.commit('t', 0, 3n)).toBe(ErrorCodes.NONE)
  })

  it('commits from unknown generations and members get ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 1 }] })
    const m = await RawMember.open(cluster, { groupId: 'g' })
    harness.defer(() => m.close())
    await m.join()
    // CompletingRebalance: the generation is known but the assignment not yet handed out.
    expect(await m.commit('t', 0, 1n)).toBe(ErrorCodes.REBALANCE_IN_PROGRESS)
    await m.sync([{ memberId: m.memberId, assignment: encodeAssignment({ t: [0] }) }])
    expect(await m.commit('t', 0, 1n, m.generationId + 1)).toBe(ErrorCodes.ILLEGAL_GENERATION)
    expect(await m.commit('t', 0, 1n, 0)).toBe(ErrorCodes.ILLEGAL_GENERATION)
    expect(await m.commit('t', 0, 1n)).toBe(ErrorCodes.NONE)
    // No member id and no generation (a simple consumer) while the group has members.
    const outsider = await RawMember.open(cluster, { groupId: 'g' })
    harness.defer(() => outsider.close())
    expect(await outsider.commit('t', 0, 5n, -1)).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
    expect(await outsider.commit('t', 0, 5n, m.generationId)).toBe(ErrorCodes.UNKNOWN_MEMBER_ID)
    // A generation for a group that does not exist: GROUP_ID_NOT_FOUND from v9, ILLEGAL_GENERATION before.
    const stranger = await RawMember.open(cluster, { groupId: 'nobody' })
    harness.defer(() => stranger.close())
    expect(await stranger.commit('t', 0, 5n, 3)).toBe(ErrorCodes.GROUP_ID_NOT_FOUND)
    // An unknown partition fails alone.
    expect(await m.commit('t', 9, 1n)).toBe(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)
    expect(await m.commit('missing', 0, 1n)).toBe(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)
    expect(cluster.committedOffsets('g')).toEqual(new Map([['t:0', 1n]]))
    expect(cluster.group('nobody')).toBeUndefined()
  })

  it('absurd session timeouts get INVALID_SESSION_TIMEOUT, with the bounds Kafka has by default', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 1 }] })
    const connection = await connect(cluster)
    harness.defer(() => connection.close())
    const join = (sessionTimeoutMs: number) =>
      connection.send(joinGroup, 9, {
        groupId: 'g',
        sessionTimeoutMs,
        rebalanceTimeoutMs: 1000,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
        reason: null,
      })
    for (const timeout of [-1, 0, 5999, 1_800_001, 2 ** 31 - 1, -(2 ** 31)]) {
      expect((await join(timeout)).errorCode, `session timeout ${timeout}`).toBe(ErrorCodes.INVALID_SESSION_TIMEOUT)
    }
    expect(cluster.group('g')).toBeUndefined()
    // group.min.session.timeout.ms (6 s) and group.max.session.timeout.ms (30 min) themselves are fine.
    expect((await join(6000)).errorCode).toBe(ErrorCodes.MEMBER_ID_REQUIRED)
    expect((await join(1_800_000)).errorCode).toBe(ErrorCodes.MEMBER_ID_REQUIRED)
  })

  it('a flood of members is bounded by group.max.size: the members past it get GROUP_MAX_SIZE_REACHED', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 1 }], groups: { maxSize: 3 } })
    const members = await Promise.all(Array.from({ length: 5 }, () => RawMember.open(cluster, { groupId: 'g' })))
    harness.defer(() => Promise.all(members.map((m) => m.close())))
    for (const m of members) expect((await m.joinOnce()).errorCode).toBe(ErrorCodes.MEMBER_ID_REQUIRED)
    const results = await Promise.all(members.map((m) => m.joinOnce()))
    const codes = results.map((r) => r.errorCode).sort()
    expect(codes).toEqual([0, 0, 0, ErrorCodes.GROUP_MAX_SIZE_REACHED, ErrorCodes.GROUP_MAX_SIZE_REACHED])
    expect(cluster.group('g')?.members).toHaveLength(3)
    const joined = members.filter((_, i) => results[i]?.errorCode === 0)
    const leader = joined.find((m) => m.isLeader) as RawMember
    const syncs = await Promise.all(
      joined.map((m) =>
        m.sync(m === leader ? joined.map((j) => ({ memberId: j.memberId, assignment: Buffer.alloc(0) })) : []),
      ),
    )
    expect(syncs.map((s) => s.errorCode)).toEqual([0, 0, 0])
    expect(cluster.group('g')?.state).toBe('Stable')
  })

  it('member ids handed out with MEMBER_ID_REQUIRED are bounded too, and a flood of first joins leaves the group usable', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 1 }] })
    const connection = await connect(cluster)
    harness.defer(() => connection.close())
    const first = () =>
      connection.send(joinGroup, 9, {
        groupId: 'g',
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: 10_000,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
        reason: null,
      })
    const codes = await Promise.all(Array.from({ length: 1200 }, first)).then((rs) => rs.map((r) => r.errorCode))
    expect(codes.filter((c) => c === ErrorCodes.MEMBER_ID_REQUIRED)).toHaveLength(1000)
    expect(codes.filter((c) => c === ErrorCodes.GROUP_MAX_SIZE_REACHED)).toHaveLength(200)
    expect(cluster.group('g')).toMatchObject({ state: 'Empty', members: [] })
  })

  it('a member joining with another protocol type, or no protocol in common, gets INCONSISTENT_GROUP_PROTOCOL', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 1 }] })
    const a = await RawMember.open(cluster, { groupId: 'g' })
    const connect2 = await RawMember.open(cluster, { groupId: 'g', protocolType: 'connect' })
    const roundRobin = await RawMember.open(cluster, {
      groupId: 'g',
      protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }],
    })
    harness.defer(() => Promise.all([a.close(), connect2.close(), roundRobin.close()]))
    await a.join()
    await a.sync([{ memberId: a.memberId, assignment: Buffer.alloc(0) }])
    expect((await connect2.joinOnce()).errorCode).toBe(ErrorCodes.INCONSISTENT_GROUP_PROTOCOL)
    expect((await roundRobin.joinOnce()).errorCode).toBe(ErrorCodes.INCONSISTENT_GROUP_PROTOCOL)
    expect(cluster.group('g')).toMatchObject({ state: 'Stable', generation: 1, protocol: 'range' })
    expect(await a.heartbeat()).toBe(ErrorCodes.NONE)
  })
})
