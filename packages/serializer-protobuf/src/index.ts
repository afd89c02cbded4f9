// The public API of @tributary/serializer-protobuf. Explicit named exports only.

export { type ProtoFile, type ProtoFileOptions, protoFileOf } from './proto-file.js'
export {
  type ProtobufDeserializer,
  type ProtobufDeserializerOptions,
  protobufDeserializer,
} from './protobuf-deserializer.js'
export { type ProtobufSerializer, type ProtobufSerializerOptions, protobufSerializer } from './protobuf-serializer.js'
export { ProtobufVerificationError } from './protobuf-verification-error.js'
