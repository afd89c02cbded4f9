// The public API of @tributary/core. Explicit named exports only: what is not listed is internal.
// The wire protocol is at the subpath `@tributary/core/protocol`.

export { type Codec, CompressionType } from './compression/codec.js'
export { gzip } from './compression/gzip.js'
export {
  AuthenticationError,
  BrokerNotAvailableError,
  BufferFullError,
  ConfigError,
  ConnectionError,
  KafkaProtocolError,
  LeaderNotAvailableError,
  ProducerClosedError,
  ProducerFencedError,
  ProtocolError,
  RecordTooLargeError,
  SerializationError,
  TimeoutError,
  TransactionStateError,
  TributaryError,
  type TributaryErrorOptions,
} from './errors/index.js'
export { defaultPartitioner, murmur2, toPositive } from './partitioners/index.js'
export { optionsFromProperties } from './producer/options.js'
export { Producer, type Transaction } from './producer/producer.js'
export type { ConsumerGroupMetadata, TransactionOffset } from './producer/transactions.js'
export type {
  Acks,
  Logger,
  OAuthBearerToken,
  Partitioner,
  PartitionerInput,
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
  Serializer,
  SerializerContext,
  Serializers,
} from './producer/types.js'
export { bufferSerializer, jsonSerializer, stringSerializer } from './serializers/index.js'
