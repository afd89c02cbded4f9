// The public API of @tributary/core. Explicit named exports only: what is not listed is internal.
// The wire protocol is at the subpath `@tributary/core/protocol`.

export { CompressionType } from './compression/codec.js'
export { gzip } from './compression/gzip.js'
export {
  type AuthenticateEvent,
  type BrokerRef,
  CHANNELS as TRIBUTARY_CHANNELS,
  type ConnectEvent,
  type DisconnectEvent,
  type MetadataEvent,
  type ProducerIdEvent,
  type RequestEvent,
  type RetryEvent,
  type SendEvent,
  type TransactionEvent,
} from './diagnostics/channels.js'
export type {
  BrokerMetricName,
  ProducerMetricName,
  ProducerMetrics,
  TopicMetricName,
} from './diagnostics/metrics.js'
export {
  AuthenticationError,
  BrokerNotAvailableError,
  BufferFullError,
  CompressionError,
  ConfigError,
  ConnectionError,
  KafkaProtocolError,
  LeaderNotAvailableError,
  PartitionerError,
  ProducerClosedError,
  ProducerFencedError,
  ProtocolError,
  RecordTooLargeError,
  RetriesExhaustedError,
  SerializationError,
  TimeoutError,
  TransactionStateError,
  TributaryError,
  type TributaryErrorOptions,
  toError,
} from './errors/index.js'
export { defaultPartitioner, murmur2, toPositive } from './partitioners/index.js'
export type { Codec, Partitioner, PartitionerInput, Serializer, SerializerContext } from './plugins.js'
export { optionsFromProperties } from './producer/options.js'
export { type PreparedRecord, type PrepareRecordOptions, prepareRecord } from './producer/prepare-record.js'
export { Producer } from './producer/producer.js'
export type { ProducerLike, Transaction } from './producer/producer-like.js'
export type { ConsumerGroupMetadata, TransactionOffset } from './producer/transactions.js'
export type {
  Acks,
  BrokerNode,
  Logger,
  OAuthBearerToken,
  PartitionInfo,
  ProducerOptions,
  ProducerRecord,
  RecordHeaders,
  RecordMetadata,
  SaslOAuthBearerOptions,
  SaslOptions,
  SaslPasswordOptions,
  SendCallback,
  SendOptions,
  SendResult,
  Serializers,
} from './producer/types.js'
export { bufferSerializer, jsonSerializer, stringSerializer } from './serializers/index.js'
