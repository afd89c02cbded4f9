export {
  type Deserializer,
  type DeserializerContext,
  type JsonDeserializerOptions,
  jsonDeserializer,
  stringDeserializer,
} from './deserializers.js'
export type { MockInspectorOptions } from './inspector/options.js'
export type { BrokerInfo } from './mock-cluster/cluster-state.js'
export type {
  DecodedRecord,
  DecodedRecordOf,
  DecodedRecordsOptions,
  DeserializedPart,
  RecordDeserializers,
} from './mock-cluster/decoded-records.js'
export type { MockGroupOptions } from './mock-cluster/groups/config.js'
export type {
  MockCommittedOffset,
  MockGroup,
  MockGroupEvent,
  MockGroupMember,
} from './mock-cluster/groups/types.js'
export type { MockLogger } from './mock-cluster/mock-broker.js'
export {
  type FailureSpec,
  MockCluster,
  type MockClusterOptions,
  type MockRecord,
  type MockRequestLogEntry,
  type MockTopicConfig,
  type RecordsOptions,
} from './mock-cluster/mock-cluster.js'
export type { MockSaslMechanism, MockSaslOptions, MockTlsOptions } from './mock-cluster/sasl/options.js'
export {
  DEFAULT_WAIT_TIMEOUT_MS,
  type WaitForRecordsOptions,
  WaitForRecordsTimeoutError,
} from './mock-cluster/wait-for-records.js'
export {
  MockProducer,
  type MockProducerOptions,
  type MockSentOffsets,
  type MockSentRecord,
} from './mock-producer/mock-producer.js'
export {
  type MockCompatibilityLevel,
  type MockRegistryFailure,
  type MockRegistryRequest,
  type MockSchemaReference,
  MockSchemaRegistry,
  type MockSchemaRegistryOptions,
  type MockSchemaType,
  type MockStoredSchema,
} from './schema-registry/mock-schema-registry.js'
