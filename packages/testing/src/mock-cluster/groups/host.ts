import type { ClusterState } from '../cluster-state.js'
import type { GroupHost } from './group-coordinator.js'

/** The group coordinator's view of the cluster: brokers, topics, open transactions. */
export function clusterGroupHost(state: ClusterState): GroupHost {
  return {
    defaultCoordinator: (key) => state.coordinatorFor(key)?.nodeId,
    isBrokerRunning: (brokerId) => state.brokers.some((b) => b.nodeId === brokerId && b.running),
    topicByName: (name) => {
      const t = state.topics.get(name)
      return t === undefined ? undefined : { id: t.id, partitions: t.partitions.length }
    },
    topicById: (id) => {
      const t = state.topicsById.get(id)
      return t === undefined ? undefined : { name: t.name, partitions: t.partitions.length }
    },
    hasPendingTransactionalOffset: (groupId, topic, partition) =>
      state.transactions.hasPendingOffset(groupId, topic, partition),
  }
}
