import type { ClusterState } from '../mock-cluster/cluster-state.js'
import type { MockCluster } from '../mock-cluster/mock-cluster.js'
import type { MockSchemaRegistry } from '../schema-registry/mock-schema-registry.js'
import type { RegistryState } from '../schema-registry/registry-state.js'

/*
 * What the inspector reads beyond the public API of MockCluster and MockSchemaRegistry, in one place.
 * MockCluster hands the inspector its state when it starts it (`MockCluster.start({ ui })`); the two
 * reads below go through TypeScript's element access to private members, which stays type-checked:
 * renaming either member fails the typecheck here.
 */

/** What MockCluster gives the inspector it starts. */
export interface InspectedCluster {
  readonly cluster: MockCluster
  readonly state: ClusterState
  /** The latency `setLatency` gave a broker (0 for none). */
  latencyOf(brokerId: number): number
}

/** One transactional id as the transaction coordinator keeps it. */
export interface TransactionView {
  transactionalId: string
  producerId: bigint
  epoch: number
  status: string
  timeoutMs: number
  /** When the open transaction began (ms since the epoch); 0 when none is open. */
  startedAt: number
  partitions: Array<{ topic: string; partition: number }>
  /** Groups whose offsets the open transaction commits. */
  groups: string[]
}

/** Every transactional id the coordinator knows. */
export function transactionsOf(state: ClusterState): TransactionView[] {
  // biome-ignore lint/complexity/useLiteralKeys: a private member, read type-checked (see above)
  const map = state.transactions['transactions']
  const out: TransactionView[] = []
  for (const [transactionalId, t] of map) {
    // describe() applies the transaction timeout (an expired one is aborted), as any client request would.
    const described = state.transactions.describe(transactionalId)
    out.push({
      transactionalId,
      producerId: described?.producerId ?? t.producerId,
      epoch: described?.epoch ?? t.epoch,
      status: described?.status ?? t.status,
      timeoutMs: t.timeoutMs,
      startedAt: t.status === 'ongoing' ? t.startedAt : 0,
      partitions: t.status === 'ongoing' ? [...t.partitions.values()] : [],
      groups: t.status === 'ongoing' ? [...t.offsets.keys()] : [],
    })
  }
  return out
}

/** The registry's state, for resolving schema references without HTTP (which would show in its request log). */
export function registryStateOf(registry: MockSchemaRegistry): RegistryState {
  // biome-ignore lint/complexity/useLiteralKeys: a private member, read type-checked (see above)
  return registry['state']
}
