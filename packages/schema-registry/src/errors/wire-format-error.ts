const BRAND = Symbol.for('tributary.schema-registry.error.wire-format')

/**
 * Bytes that are not in the Confluent wire format: too short, a magic byte other than 0, or
 * malformed Protobuf message indexes. Never retriable.
 */
export class WireFormatError extends Error {
  readonly code = -1
  readonly retriable = false
  private readonly [BRAND] = true

  constructor(message: string) {
    super(message)
    this.name = 'WireFormatError'
  }

  static isInstance(value: unknown): value is WireFormatError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
