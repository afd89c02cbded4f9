// The public API of @tributary/core. Explicit named exports only: what is not listed is internal.
// The wire protocol is at the subpath `@tributary/core/protocol`.

export { type Codec, CompressionType } from './compression/codec.js'
export { gzip } from './compression/gzip.js'
export {
  BrokerNotAvailableError,
  BufferFullError,
  ConfigError,
  ConnectionError,
  KafkaProtocolError,
  LeaderNotAvailableError,
  ProducerClosedError,
  ProtocolError,
  RecordTooLargeError,
  SerializationError,
  TimeoutError,
  TributaryError,
  type TributaryErrorOptions,
} from './errors/index.js'
export { defaultPartitioner, murmur2, toPositive } from './partitioners/index.js'
export { optionsFromProperties } from './producer/options.js'
export { Producer } from './producer/producer.js'
export type {
  Acks,
  Logger,
  Partitioner,
  PartitionerInput,
  ProducerOptions,
  ProducerRecord,
  RecordHeaders,
  RecordMetadata,
  SendCallback,
  SendOptions,
  SendResult,
  Serializer,
  SerializerContext,
  Serializers,
} from './producer/types.js'
export { bufferSerializer, jsonSerializer, stringSerializer } from './serializers/index.js'
