/**
 * The `error_code` values the Confluent Schema Registry answers with (the ones a client meets; the
 * registry documents them with its REST API). A `SchemaRegistryError`'s `code` is one of these, or the
 * HTTP status when the answer carried no code.
 */
export const SchemaRegistryErrorCodes = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  SUBJECT_SOFT_DELETED: 40404,
  SUBJECT_NOT_SOFT_DELETED: 40405,
  SCHEMA_VERSION_SOFT_DELETED: 40406,
  SCHEMA_VERSION_NOT_SOFT_DELETED: 40407,
  SUBJECT_COMPATIBILITY_NOT_CONFIGURED: 40408,
  INCOMPATIBLE_SCHEMA: 409,
  INVALID_SCHEMA: 42201,
  INVALID_VERSION: 42202,
  INVALID_COMPATIBILITY_LEVEL: 42203,
  STORE_ERROR: 50001,
  OPERATION_TIMEOUT: 50002,
  REQUEST_FORWARDING_FAILED: 50003,
} as const
