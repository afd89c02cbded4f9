import { ErrorCodes, offsetCommit, offsetFetch, txnOffsetCommit } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it } from 'vitest'
import type { MockCluster } from '../../src/index.js'
import { connect, encodeAssignment, findGroupCoordinator, RawMember } from './raw-group-client.js'

// Committed offsets as Kafka's OffsetMetadataManager keeps them: with metadata, leader epoch and a
// commit time, fetched one group (v1-v7) or many (v8+) at a time, and shared with transactions:
// offsets sent with a transaction become visible when it commits, and until then an OffsetFetch
// with requireStable answers UNSTABLE_OFFSET_COMMIT for them.

const harness = useHarness()

async function coordinatorConnection(cluster: MockCluster, groupId: string) {
  const probe = await RawMember.open(cluster, { groupId })
  harness.defer(() => probe.close())
  return probe.connection
}

describe('committed offsets', () => {
  it('keep metadata, leader epoch and commit time, and are fetched per group, several groups at once from v8', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 3 }] })
    const c = await coordinatorConnection(cluster, 'g1')
    const before = Date.now()
    const commit = await c.send(offsetCommit, 9, {
      groupId: 'g1',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 10n, committedLeaderEpoch: 3, committedMetadata: 'checkpoint' },
            { partitionIndex: 1, committedOffset: 20n, committedLeaderEpoch: -1, committedMetadata: null },
            { partitionIndex: 2, committedOffset: 30n, committedMetadata: 'x'.repeat(4097) },
          ],
        },
      ],
    })
    expect(commit.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([0, 0, ErrorCodes.OFFSET_METADATA_TOO_LARGE])
    expect(cluster.groupOffsets('g1')).toEqual([
      expect.objectContaining({
        topic: 't',
        partition: 0,
        offset: 10n,
        leaderEpoch: 3,
        metadata: 'checkpoint',
        transactional: false,
      }),
      expect.objectContaining({ topic: 't', partition: 1, offset: 20n, leaderEpoch: -1, metadata: '' }),
    ])
    expect(cluster.groupOffsets('g1')[0]?.commitTimestamp).toBeGreaterThanOrEqual(before)
    expect(cluster.committedOffsets('g1')).toEqual(
      new Map([
        ['t:0', 10n],
        ['t:1', 20n],
      ]),
    )

    // v1: no leader epoch; -1 for a partition without an offset.
    const v1 = await c.send(offsetFetch, 1, { groupId: 'g1', topics: [{ name: 't', partitionIndexes: [0, 2] }] })
    expect(v1.topics).toEqual([
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, committedOffset: 10n, committedLeaderEpoch: -1, metadata: 'checkpoint', errorCode: 0 },
          { partitionIndex: 2, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
        ],
      },
    ])
    // v8: several groups; null topics fetch every offset of a group; an unknown group has none.
    const v8 = await c.send(offsetFetch, 8, {
      groups: [
        { groupId: 'g1', topics: null },
        { groupId: 'unknown', topics: [{ name: 't', partitionIndexes: [0] }] },
      ],
      requireStable: false,
    })
    // 'unknown' hashes to this broker too (one broker).
    expect(v8.groups?.[0]).toMatchObject({
      groupId: 'g1',
      errorCode: 0,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 10n, committedLeaderEpoch: 3, metadata: 'checkpoint' },
            { partitionIndex: 1, committedOffset: 20n, committedLeaderEpoch: -1, metadata: '' },
          ],
        },
      ],
    })
    expect(v8.groups?.[1]).toMatchObject({
      groupId: 'unknown',
      errorCode: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: -1n, errorCode: 0 }] }],
    })
  })

  it('answer NOT_COORDINATOR on a broker that does not coordinate the group', async () => {
    const cluster = await harness.start({ brokers: 3, topics: [{ name: 't', partitions: 1 }] })
    const c = await coordinatorConnection(cluster, 'g')
    const coordinator = await findGroupCoordinator(c, 'g')
    const other = await connect(cluster, coordinator === 1 ? 2 : 1)
    harness.defer(() => other.close())
    const request = {
      groupId: 'g',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }],
    }
    expect((await other.send(offsetCommit, 9, request)).topics[0]?.partitions[0]?.errorCode).toBe(
      ErrorCodes.NOT_COORDINATOR,
    )
    expect((await c.send(offsetCommit, 9, request)).topics[0]?.partitions[0]?.errorCode).toBe(ErrorCodes.NONE)
    const fetched = await other.send(offsetFetch, 7, { groupId: 'g', topics: null, requireStable: false })
    expect(fetched.errorCode).toBe(ErrorCodes.NOT_COORDINATOR)
  })
})

describe('offsets committed with a transaction', () => {
  it('stay invisible until the transaction commits, and requireStable answers UNSTABLE_OFFSET_COMMIT until then', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 2 }] })
    const c = await coordinatorConnection(cluster, 'g')
    await c.send(offsetCommit, 9, {
      groupId: 'g',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedMetadata: null }] }],
    })
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers, transactionalId: 'txn-1' })
    await producer.connect()
    producer.beginTransaction()
    await producer.send({ topic: 't', partition: 0, value: 'v' })
    await producer.sendOffsetsToTransaction([{ topic: 't', partition: 0, offset: 42n, metadata: 'in txn' }], 'g')
    const fetch = (requireStable: boolean) =>
      c.send(offsetFetch, 7, { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }], requireStable })
    const unstable = await fetch(true)
    expect(unstable.topics?.[0]?.partitions).toEqual([
      {
        partitionIndex: 0,
        committedOffset: -1n,
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode: ErrorCodes.UNSTABLE_OFFSET_COMMIT,
      },
      { partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
    ])
    // Without requireStable: the offset committed before the transaction.
    expect((await fetch(false)).topics?.[0]?.partitions?.[0]).toMatchObject({ committedOffset: 5n, errorCode: 0 })
    expect(cluster.committedOffsets('g').get('t:0')).toBe(5n)

    await producer.commitTransaction()
    expect((await fetch(true)).topics?.[0]?.partitions?.[0]).toMatchObject({
      committedOffset: 42n,
      metadata: 'in txn',
      errorCode: 0,
    })
    expect(cluster.groupOffsets('g')).toEqual([
      expect.objectContaining({ partition: 0, offset: 42n, transactional: true }),
    ])

    // An aborted transaction's offsets never show.
    producer.beginTransaction()
    await producer.sendOffsetsToTransaction([{ topic: 't', partition: 0, offset: 99n }], 'g')
    await producer.abortTransaction()
    expect((await fetch(true)).topics?.[0]?.partitions?.[0]).toMatchObject({ committedOffset: 42n, errorCode: 0 })
  })

  it('from a zombie of an older generation get ILLEGAL_GENERATION (KIP-447)', async () => {
    const cluster = await harness.start({ topics: [{ name: 't', partitions: 1 }] })
    const m = await RawMember.open(cluster, { groupId: 'g' })
    harness.defer(() => m.close())
    await m.join()
    await m.sync([{ memberId: m.memberId, assignment: encodeAssignment({ t: [0] }) }])
    const producer = harness.producer({ bootstrapBrokers: cluster.bootstrapBrokers, transactionalId: 'txn-z' })
    await producer.connect()
    producer.beginTransaction()
    await expect(
      producer.sendOffsetsToTransaction([{ topic: 't', partition: 0, offset: 1n }], {
        groupId: 'g',
        generationId: m.generationId + 7,
        memberId: m.memberId,
      }),
    ).rejects.toMatchObject({ code: ErrorCodes.ILLEGAL_GENERATION })
    await producer.abortTransaction().catch(() => {})
    // The raw request: an unknown member, then the right one.
    const send = (memberId: string, generationId: number) =>
      m.connection.send(txnOffsetCommit, 3, {
        transactionalId: 'nobody',
        groupId: 'g',
        producerId: 1n,
        producerEpoch: 0,
        generationId,
        memberId,
        groupInstanceId: null,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }],
      })
    expect((await send('someone', m.generationId)).topics[0]?.partitions[0]?.errorCode).toBe(
      ErrorCodes.UNKNOWN_MEMBER_ID,
    )
    // The member checks pass; the producer is then unknown to the transaction coordinator.
    expect((await send(m.memberId, m.generationId)).topics[0]?.partitions[0]?.errorCode).toBe(
      ErrorCodes.INVALID_PRODUCER_ID_MAPPING,
    )
  })
})
