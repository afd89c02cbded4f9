import type { ClusterState, InjectedFailure } from '../cluster-state.js'

/** Injected failures for one group request; see `groupFailures`. */
export interface GroupRequestFailures {
  /** A failure of the whole request, or of everything about this group in it. */
  group(groupId: string): number | undefined
  /** A failure of one partition (OffsetCommit, OffsetFetch, OffsetDelete), or of the whole request. */
  partition(groupId: string, topic: string, partition: number): number | undefined
  /** Counts each matched failure once for this request. */
  commit(): void
}

/**
 * The failures `MockCluster.failNext` injected for a group API on one broker, honouring the
 * `groupId`, `topic` and `partition` filters of each. Each failure matched counts once per request.
 */
export function groupFailures(state: ClusterState, apiKey: number, brokerId: number): GroupRequestFailures {
  const failures = state.failures
  const candidates = failures.filter((f) => f.apiKey === apiKey && (f.brokerId ?? brokerId) === brokerId)
  const matched = new Set<InjectedFailure>()
  const forGroup = (groupId: string) => candidates.filter((f) => f.groupId === undefined || f.groupId === groupId)
  const take = (f: InjectedFailure | undefined) => {
    if (f === undefined) return undefined
    matched.add(f)
    return f.errorCode
  }
  return {
    group: (groupId) => take(forGroup(groupId).find((f) => f.topic === undefined)),
    partition(groupId, topic, partition) {
      const list = forGroup(groupId)
      return take(
        list.find((f) => f.topic === undefined) ??
          list.find((f) => f.topic === topic && (f.partition ?? partition) === partition),
      )
    },
    commit() {
      for (const f of matched) {
        f.remaining--
        const i = failures.indexOf(f)
        if (f.remaining <= 0 && i >= 0) failures.splice(i, 1)
      }
    },
  }
}

/** Kafka's client host form of a connection's remote address: `/<ip>`. */
export function clientHostOf(remote: string): string {
  const colon = remote.lastIndexOf(':')
  return `/${colon > 0 ? remote.slice(0, colon) : remote}`
}
