const BRAND = Symbol.for('tributary.serializer-json-schema.error.validation')

/** One reason a value does not fit a JSON Schema (from ajv). */
export interface JsonSchemaValidationProblem {
  /** Where, as a JSON pointer into the value (`/items/1/sku`); empty for the value itself. */
  readonly path: string
  /** What the schema says, e.g. `must be string`, `must have required property 'id'`. */
  readonly message: string
  /** The JSON Schema keyword that failed, e.g. `type`, `required`, `enum`. */
  readonly keyword: string
  /** Where in the schema, as a JSON pointer (`#/properties/items/items/properties/sku/type`). */
  readonly schemaPath: string
}

/**
 * A value that does not fit the JSON Schema, checked (ajv, every error) before anything is written, or
 * after a record is read. The serializer raises it as the `cause` of a core `SerializationError`, the
 * deserializer as the `cause` of a `DeserializationError`; the message names every failing path.
 */
export class JsonSchemaValidationError extends Error {
  readonly problems: readonly JsonSchemaValidationProblem[]
  private readonly [BRAND] = true

  constructor(schemaLabel: string, problems: readonly JsonSchemaValidationProblem[]) {
    const list = problems.slice(0, 10).map((p) => `${p.path === '' ? 'the value' : p.path} ${p.message}`)
    if (problems.length > 10) list.push(`and ${problems.length - 10} more`)
    super(`invalid value for JSON Schema ${schemaLabel}: ${list.join('; ')}`)
    this.name = 'JsonSchemaValidationError'
    this.problems = problems
  }

  static isInstance(value: unknown): value is JsonSchemaValidationError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
