// The public API of @tributary/serializer-avro. Explicit named exports only.

export { type AvroDeserializer, type AvroDeserializerOptions, avroDeserializer } from './avro-deserializer.js'
export type { AvroLogicalTypeMap, AvroLogicalTypes, AvroTypeMode, AvroValue, NoLogicalTypes } from './avro-infer.js'
export { type AvroSerializer, type AvroSerializerOptions, avroSerializer } from './avro-serializer.js'
export type { AvroParseOptions, AvroSchemaInput, LogicalTypeConstructor } from './avro-type.js'
export { AvroValidationError, type AvroValidationProblem } from './avro-validation-error.js'
