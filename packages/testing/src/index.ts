export type { BrokerInfo } from './mock-cluster/cluster-state.js'
export type { MockLogger } from './mock-cluster/mock-broker.js'
export {
  type FailureSpec,
  MockCluster,
  type MockClusterOptions,
  type MockRecord,
  type MockRequestLogEntry,
  type MockTopicConfig,
} from './mock-cluster/mock-cluster.js'
