// The public API of @tributary/serializer-json-schema. Explicit named exports only.

export type {
  JsonSchemaInput,
  JsonSchemaReference,
  JsonSchemaType,
  JsonSchemaValidationOptions,
} from './json-schema.js'
export {
  type JsonSchemaDeserializer,
  type JsonSchemaDeserializerOptions,
  jsonSchemaDeserializer,
} from './json-schema-deserializer.js'
export {
  type JsonSchemaSerializer,
  type JsonSchemaSerializerOptions,
  jsonSchemaSerializer,
} from './json-schema-serializer.js'
export { JsonSchemaValidationError, type JsonSchemaValidationProblem } from './json-schema-validation-error.js'
