// The public API of @tributary/schema-registry. Explicit named exports only.

export {
  type FetchLike,
  type FetchResponseLike,
  type LookupOptions,
  type SchemaRegistryAuth,
  SchemaRegistryClient,
  type SchemaRegistryClientOptions,
} from './client.js'
export {
  DeserializationError,
  type DeserializationErrorOptions,
  type DeserializationPart,
} from './errors/deserialization-error.js'
export { SchemaRegistryErrorCodes } from './errors/error-codes.js'
export { SchemaNotRegisteredError } from './errors/schema-not-registered-error.js'
export { SchemaRegistryConnectionError } from './errors/schema-registry-connection-error.js'
export { SchemaRegistryError, type SchemaRegistryErrorOptions } from './errors/schema-registry-error.js'
export { WireFormatError } from './errors/wire-format-error.js'
export {
  type DeserializerContext,
  deserializationError,
  resolveWriterSchema,
  type SchemaRegistrySerializerOptions,
  SubjectCache,
  subjectNameOf,
  type WriterSchema,
  type WriterSchemaMode,
  writerSchemaMode,
} from './serde.js'
export {
  RecordNameStrategy,
  type SubjectNameContext,
  type SubjectNameStrategy,
  TopicNameStrategy,
  TopicRecordNameStrategy,
} from './subject-name-strategy.js'
export type {
  CompatibilityLevel,
  CompatibilityResult,
  RegisteredSchema,
  Schema,
  SchemaReference,
  SchemaType,
} from './types.js'
export {
  decodeMessageIndexes,
  decodeProtobufWireFormat,
  decodeWireFormat,
  encodeMessageIndexes,
  encodeWireFormat,
  MAGIC_BYTE,
  type ProtobufWireFormatRecord,
  readWireHeader,
  WIRE_HEADER_SIZE,
  type WireFormatRecord,
  writeWireHeader,
} from './wire-format.js'
