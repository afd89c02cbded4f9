const BRAND = Symbol.for('tributary.serializer-avro.error.validation')

/** One reason a value does not fit an Avro schema. */
export interface AvroValidationProblem {
  /** Where, e.g. `items[2].price`; empty for the value itself. */
  readonly path: string
  /** The Avro type expected there, e.g. `double`, `record com.acme.Item`, `union [null, string]`. */
  readonly expected: string
  /** The value found there. */
  readonly value: unknown
}

/**
 * A value that does not fit the Avro schema, checked before any byte is written (avsc's `isValid` with
 * an `errorHook`). The serializer raises it as the `cause` of a core `SerializationError`, whose message
 * repeats this one: every invalid field path, the type expected and the value found.
 */
export class AvroValidationError extends Error {
  readonly problems: readonly AvroValidationProblem[]
  private readonly [BRAND] = true

  constructor(typeLabel: string, problems: readonly AvroValidationProblem[]) {
    const list = problems
      .slice(0, 10)
      .map(
        (p) =>
          `${p.path === '' ? 'the value' : `field '${p.path}'`} expected ${p.expected}, got ${describeValue(p.value)}`,
      )
    if (problems.length > 10) list.push(`and ${problems.length - 10} more`)
    super(`invalid value for Avro ${typeLabel}: ${list.join('; ')}`)
    this.name = 'AvroValidationError'
    this.problems = problems
  }

  static isInstance(value: unknown): value is AvroValidationError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined (missing)'
  if (value === null) return 'null'
  if (Buffer.isBuffer(value)) return `a Buffer of ${value.length} bytes`
  if (value instanceof Date) return `a Date (${value.toISOString()})`
  if (Array.isArray(value)) return `an array of ${value.length}`
  const type = typeof value
  if (type === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`
  if (type === 'bigint') return `${String(value)}n (bigint)`
  let text = type === 'string' ? JSON.stringify(value) : String(value)
  if (text.length > 60) text = `${text.slice(0, 57)}...`
  return `${text} (${type})`
}
