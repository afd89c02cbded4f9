import type * as protobuf from 'protobufjs'

const BRAND = Symbol.for('tributary.serializer-protobuf.error.verification')

/**
 * A value protobufjs `verify` rejects (a field of the wrong type, an unknown enum number, a
 * missing required field). The serializer raises it as the `cause` of a core `SerializationError`,
 * whose message repeats this one, naming the field.
 */
export class ProtobufVerificationError extends Error {
  /** The message type, e.g. `acme.Order`. */
  readonly messageType: string
  /** The field path protobufjs names, e.g. `items.price` (empty when the value itself is wrong). */
  readonly field: string
  /** What protobufjs said, e.g. `items.price: number expected`. */
  readonly problem: string
  private readonly [BRAND] = true

  constructor(type: protobuf.Type, problem: string) {
    const messageType = type.fullName.replace(/^\./, '')
    super(`invalid value for Protobuf message ${messageType}: ${problem}`)
    this.name = 'ProtobufVerificationError'
    this.messageType = messageType
    this.problem = problem
    const colon = problem.indexOf(':')
    this.field = colon > 0 && !problem.slice(0, colon).includes(' ') ? problem.slice(0, colon) : ''
  }

  static isInstance(value: unknown): value is ProtobufVerificationError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
