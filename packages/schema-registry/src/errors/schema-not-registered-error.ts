import { SchemaRegistryError } from './schema-registry-error.js'

const BRAND = Symbol.for('tributary.schema-registry.error.not-registered')

/**
 * A serializer that may not register schemas (`autoRegisterSchemas: false`, `useLatestVersion`,
 * `useSchemaId`) found no schema to write with: the subject does not exist, does not have this schema,
 * or does not have the schema id asked for. `code` is the registry's (40401 subject not found, 40403
 * schema not found), `subject` the subject looked in; the message says what to do about it.
 */
export class SchemaNotRegisteredError extends SchemaRegistryError {
  /** The subject the schema was looked up under. */
  readonly subject: string
  private readonly [BRAND] = true

  constructor(message: string, subject: string, cause: SchemaRegistryError) {
    super(message, {
      code: cause.code,
      status: cause.status,
      registryMessage: cause.registryMessage,
      request: cause.request,
      retriable: false,
      cause,
    })
    this.name = 'SchemaNotRegisteredError'
    this.subject = subject
  }

  static override isInstance(value: unknown): value is SchemaNotRegisteredError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
