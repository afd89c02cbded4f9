import {
  ApiKeys,
  ErrorCodes,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetDeleteRequest,
  type OffsetDeleteResponse,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import { groupFailures } from '../groups/failures.js'
import type { OffsetFetchGroupResult } from '../groups/group-coordinator.js'
import type { RequestHandler } from './handler.js'

// OffsetCommit (v2+), OffsetFetch (v1+) and OffsetDelete, as KafkaApis and the group coordinator's
// OffsetMetadataManager answer them. The versions before kept offsets in ZooKeeper; Kafka 4
// removed them (KIP-896).

/** OffsetCommit: errors per partition; the group's member and generation checked first. */
export function offsetCommitHandler(state: ClusterState): RequestHandler<OffsetCommitRequest, OffsetCommitResponse> {
  return {
    handle(context, header, r) {
      const version = header.apiVersion
      const failures = groupFailures(state, ApiKeys.OffsetCommit, context.brokerId)
      const errors = r.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map(() => ErrorCodes.NONE as number),
      }))
      const respond = (): OffsetCommitResponse => {
        failures.commit()
        return {
          throttleTimeMs: 0,
          topics: r.topics.map((t, i) => ({
            name: t.name,
            partitions: t.partitions.map((p, j) => ({
              partitionIndex: p.partitionIndex,
              errorCode: errors[i]?.partitions[j] ?? ErrorCodes.NONE,
            })),
          })),
        }
      }
      /** Fails every partition that has no error of its own yet. */
      const failValid = (code: number) => {
        for (const t of errors) t.partitions = t.partitions.map((c) => (c !== ErrorCodes.NONE ? c : code))
      }
      // Partitions of unknown topics fail alone; the others go on.
      let valid = 0
      r.topics.forEach((t, i) => {
        const topic = state.topics.get(t.name)
        t.partitions.forEach((p, j) => {
          const e = errors[i] as { partitions: number[] }
          const injected = failures.partition(r.groupId, t.name, p.partitionIndex)
          if (injected !== undefined) e.partitions[j] = injected
          else if (topic?.partitions[p.partitionIndex] === undefined)
            e.partitions[j] = ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION
          else valid++
        })
      })
      if (valid === 0) return respond()
      const wrongBroker = state.groups.checkCoordinator(r.groupId, context.brokerId)
      if (wrongBroker !== ErrorCodes.NONE) {
        failValid(wrongBroker)
        return respond()
      }
      const invalid = state.groups.validateOffsetCommit(r, version)
      if (invalid !== ErrorCodes.NONE) {
        failValid(invalid)
        return respond()
      }
      let committed = 0
      r.topics.forEach((t, i) => {
        t.partitions.forEach((p, j) => {
          const e = errors[i] as { partitions: number[] }
          if (e.partitions[j] !== ErrorCodes.NONE) return
          if (state.groups.metadataTooLarge(p.committedMetadata)) {
            e.partitions[j] = ErrorCodes.OFFSET_METADATA_TOO_LARGE
            return
          }
          state.groups.commitOffset(
            r.groupId,
            t.name,
            p.partitionIndex,
            p.committedOffset,
            p.committedLeaderEpoch ?? -1,
            p.committedMetadata,
            false,
          )
          committed++
        })
      })
      if (committed > 0) state.groups.noteCommit(r.groupId, r.memberId ?? '', committed, false)
      return respond()
    },
  }
}

/** OffsetFetch: one group (v0-7) or many (v8+); with requireStable (v7+), UNSTABLE_OFFSET_COMMIT for pending ones. */
export function offsetFetchHandler(state: ClusterState): RequestHandler<OffsetFetchRequest, OffsetFetchResponse> {
  return {
    handle(context, header, r) {
      const version = header.apiVersion
      const failures = groupFailures(state, ApiKeys.OffsetFetch, context.brokerId)
      const requests =
        version >= 8
          ? (r.groups ?? []).map((g) => ({
              groupId: g.groupId ?? '',
              memberId: g.memberId ?? null,
              memberEpoch: g.memberEpoch ?? -1,
              topics: g.topics === null || g.topics === undefined ? null : g.topics,
            }))
          : [{ groupId: r.groupId ?? '', memberId: null, memberEpoch: -1, topics: r.topics ?? null }]
      const results: OffsetFetchGroupResult[] = requests.map((g) => {
        const topics =
          g.topics === null
            ? null
            : g.topics.map((t) => ({ name: t.name ?? '', partitionIndexes: t.partitionIndexes ?? [] }))
        const failed = (errorCode: number): OffsetFetchGroupResult => ({ groupId: g.groupId, errorCode, topics: [] })
        const injected = failures.group(g.groupId)
        if (injected !== undefined) return failed(injected)
        const wrongBroker = state.groups.checkCoordinator(g.groupId, context.brokerId)
        if (wrongBroker !== ErrorCodes.NONE) return failed(wrongBroker)
        const result = state.groups.fetchOffsets(g.groupId, g.memberId, g.memberEpoch, topics, r.requireStable === true)
        for (const t of result.topics) {
          for (const p of t.partitions) {
            const code = failures.partition(g.groupId, t.name, p.partitionIndex)
            if (code !== undefined)
              Object.assign(p, { errorCode: code, committedOffset: -1n, committedLeaderEpoch: -1 })
          }
        }
        return result
      })
      failures.commit()
      if (version >= 8) return { throttleTimeMs: 0, groups: results }
      const only = results[0] as OffsetFetchGroupResult
      if (version < 2 && only.errorCode !== ErrorCodes.NONE) {
        // No top-level error before v2: every partition asked for carries it.
        return {
          throttleTimeMs: 0,
          topics: (r.topics ?? []).map((t) => ({
            name: t.name ?? '',
            partitions: (t.partitionIndexes ?? []).map((partitionIndex) => ({
              partitionIndex,
              committedOffset: -1n,
              committedLeaderEpoch: -1,
              metadata: '',
              errorCode: only.errorCode,
            })),
          })),
        }
      }
      return { throttleTimeMs: 0, errorCode: only.errorCode, topics: only.topics }
    },
  }
}

/** OffsetDelete: the committed offsets of topics the group no longer consumes. */
export function offsetDeleteHandler(state: ClusterState): RequestHandler<OffsetDeleteRequest, OffsetDeleteResponse> {
  return {
    handle(context, _header, r) {
      const failures = groupFailures(state, ApiKeys.OffsetDelete, context.brokerId)
      const failed = (errorCode: number): OffsetDeleteResponse => ({ errorCode, throttleTimeMs: 0, topics: [] })
      const injected = failures.group(r.groupId)
      failures.commit()
      if (injected !== undefined) return failed(injected)
      if (r.groupId === '') return failed(ErrorCodes.INVALID_GROUP_ID)
      const unknown: Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }> = []
      const known: Array<{ name: string; partitions: number[] }> = []
      for (const t of r.topics) {
        const topic = state.topics.get(t.name)
        const bad = t.partitions.filter((p) => topic?.partitions[p.partitionIndex] === undefined)
        const good = t.partitions.filter((p) => topic?.partitions[p.partitionIndex] !== undefined)
        if (bad.length > 0) {
          unknown.push({
            name: t.name,
            partitions: bad.map((p) => ({
              partitionIndex: p.partitionIndex,
              errorCode: ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION,
            })),
          })
        }
        if (good.length > 0) known.push({ name: t.name, partitions: good.map((p) => p.partitionIndex) })
      }
      const wrongBroker = state.groups.checkCoordinator(r.groupId, context.brokerId)
      if (wrongBroker !== ErrorCodes.NONE) return failed(wrongBroker)
      const result = state.groups.deleteOffsets(r.groupId, known)
      if (result.errorCode !== ErrorCodes.NONE) return failed(result.errorCode)
      // The unknown partitions are merged in with the coordinator's answer (OffsetDeleteResponse.Builder.merge).
      const topics = [...result.topics]
      for (const u of unknown) {
        const same = topics.find((t) => t.name === u.name)
        if (same === undefined) topics.push(u)
        else same.partitions.push(...u.partitions)
      }
      return { errorCode: ErrorCodes.NONE, throttleTimeMs: 0, topics }
    },
  }
}
