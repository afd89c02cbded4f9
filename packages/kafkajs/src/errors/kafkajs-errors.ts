// kafkajs's error classes, with its names, constructors and fields, so that `catch` code written for
// kafkajs (`instanceof KafkaJSProtocolError`, `error.name === 'KafkaJSNumberOfRetriesExceeded'`,
// `error.type`, `error.retriable`) keeps working. Every class also has `isInstance`, which recognises
// its instances (and its subclasses') across duplicate ESM/CJS copies of this package, where
// `instanceof` would not. An error this package makes from one of Tributary's keeps that one as
// `cause`.

const BRAND = Symbol.for('tributary.kafkajs.error')

/** What every class accepts besides kafkajs's own fields: the error it was made from. */
export interface KafkaJSErrorOptions {
  retriable?: boolean | undefined
  cause?: unknown
}

/** A protocol error as kafkajs's table describes one (what kafkajs passes KafkaJSProtocolError). */
export interface KafkaJSProtocolErrorDescription {
  message: string
  type: string
  code: number
  retriable: boolean
  helpUrl?: string | undefined
}

type ErrorInput = Error | string | { message?: string; helpUrl?: string | undefined }

function messageOf(e: ErrorInput): string {
  if (typeof e === 'string') return e
  return e.message || String(e)
}

/** The class names along an instance's prototype chain, for `isInstance`. */
function brandsOf(target: object): ReadonlySet<string> {
  const names = new Set<string>()
  for (let c = target as { brand?: string } | null; c !== null; c = Object.getPrototypeOf(c)) {
    if (Object.hasOwn(c, 'brand') && typeof c.brand === 'string') names.add(c.brand)
  }
  return names
}

function isBranded(value: unknown, brand: string): boolean {
  if (typeof value !== 'object' || value === null) return false
  const brands = (value as Record<symbol, unknown>)[BRAND]
  return brands instanceof Set && brands.has(brand)
}

/** The base class of kafkajs's errors. Retriable unless told otherwise, as in kafkajs. */
export class KafkaJSError extends Error {
  /** The class's brand for `isInstance`. */
  static readonly brand: string = 'KafkaJSError'
  override name: string
  readonly retriable: boolean
  // Declared as kafkajs declares them; as in kafkajs, they may hold undefined at run time.
  helpUrl?: string
  override cause?: Error

  constructor(e: ErrorInput, options: KafkaJSErrorOptions = {}) {
    super(messageOf(e), options.cause === undefined ? undefined : { cause: options.cause })
    Error.captureStackTrace?.(this, new.target)
    this.message = messageOf(e)
    this.name = 'KafkaJSError'
    this.retriable = options.retriable ?? true
    this.helpUrl = (typeof e === 'object' && 'helpUrl' in e ? e.helpUrl : undefined) as string
    this.cause = options.cause as Error
    Object.defineProperty(this, BRAND, { value: brandsOf(new.target), enumerable: false })
  }

  /** True for an instance of this class (or a subclass) from any copy of this package. */
  static isInstance<T extends abstract new (...args: never[]) => unknown>(
    this: T & { brand: string },
    value: unknown,
  ): value is InstanceType<T> {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance is called on (a subclass too)
    return isBranded(value, this.brand)
  }
}

/** An error that retrying will not fix. */
export class KafkaJSNonRetriableError extends KafkaJSError {
  static override readonly brand: string = 'KafkaJSNonRetriableError'

  constructor(e: ErrorInput, options: { cause?: unknown } = {}) {
    super(e, { retriable: false, cause: options.cause })
    this.name = 'KafkaJSNonRetriableError'
  }
}

/** A broker answered with an error code: `type` is kafkajs's name for it, `code` the number. */
export class KafkaJSProtocolError extends KafkaJSError {
  static override readonly brand: string = 'KafkaJSProtocolError'
  /** kafkajs's name for the code, e.g. `UNKNOWN_TOPIC_OR_PARTITION`. */
  readonly type: string
  /** The Kafka error code. */
  readonly code: number

  constructor(e: Error | string | KafkaJSProtocolErrorDescription, options: KafkaJSErrorOptions = {}) {
    const described = typeof e === 'object' && 'type' in e ? e : undefined
    super(e, { retriable: options.retriable ?? described?.retriable, cause: options.cause })
    this.type = described?.type as string
    this.code = described?.code as number
    this.name = 'KafkaJSProtocolError'
  }
}

/** OFFSET_OUT_OF_RANGE for a partition (a consumer error in kafkajs; here for completeness). */
export class KafkaJSOffsetOutOfRange extends KafkaJSProtocolError {
  static override readonly brand: string = 'KafkaJSOffsetOutOfRange'
  readonly topic: string
  readonly partition: number

  constructor(
    e: Error | string | KafkaJSProtocolErrorDescription,
    metadata: { topic: string; partition: number; cause?: unknown },
  ) {
    super(e, { cause: metadata.cause })
    this.topic = metadata.topic
    this.partition = metadata.partition
    this.name = 'KafkaJSOffsetOutOfRange'
  }
}

/** MEMBER_ID_REQUIRED (a consumer error in kafkajs; here for completeness). */
export class KafkaJSMemberIdRequired extends KafkaJSProtocolError {
  static override readonly brand: string = 'KafkaJSMemberIdRequired'
  readonly memberId: string

  constructor(e: Error | string | KafkaJSProtocolErrorDescription, metadata: { memberId: string; cause?: unknown }) {
    super(e, { cause: metadata.cause })
    this.memberId = metadata.memberId
    this.name = 'KafkaJSMemberIdRequired'
  }
}

/**
 * The producer gave up after its `retry.retries`: the message is the last error's, and `cause` the
 * last error, as in kafkajs. An error this package makes from Tributary's has the last error as a
 * kafkajs error there, whose own `cause` is the Tributary error that ended the retries.
 */
export class KafkaJSNumberOfRetriesExceeded extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSNumberOfRetriesExceeded'
  declare readonly stack: string
  readonly retryCount: number
  readonly retryTime: number

  constructor(e: Error | string, metadata: { retryCount: number; retryTime: number; cause?: unknown }) {
    super(e, { cause: metadata.cause ?? e })
    this.stack = `${this.name}\n  Caused by: ${typeof e === 'string' ? e : e.stack}`
    this.retryCount = metadata.retryCount
    this.retryTime = metadata.retryTime
    this.name = 'KafkaJSNumberOfRetriesExceeded'
  }
}

/** A connection to a broker failed or could not be opened. Retriable. */
export class KafkaJSConnectionError extends KafkaJSError {
  static override readonly brand: string = 'KafkaJSConnectionError'
  /** `host:port`, when known (undefined otherwise, as in kafkajs). */
  readonly broker: string
  /** The system error code (`ECONNREFUSED`, ...), when there is one. */
  readonly code: string | undefined

  constructor(
    e: Error | string,
    metadata: { broker?: string | undefined; code?: string | undefined; cause?: unknown } = {},
  ) {
    super(e, { cause: metadata.cause })
    this.broker = metadata.broker as string
    this.code = metadata.code
    this.name = 'KafkaJSConnectionError'
  }
}

/** A broker closed a connection. */
export class KafkaJSConnectionClosedError extends KafkaJSConnectionError {
  static override readonly brand: string = 'KafkaJSConnectionClosedError'
  readonly host: string | undefined
  readonly port: number | undefined

  constructor(e: Error | string, metadata: { host?: string; port?: number; cause?: unknown } = {}) {
    super(e, { broker: `${metadata.host}:${metadata.port}`, cause: metadata.cause })
    this.host = metadata.host
    this.port = metadata.port
    this.name = 'KafkaJSConnectionClosedError'
  }
}

/** A request got no answer within `requestTimeout`. */
export class KafkaJSRequestTimeoutError extends KafkaJSError {
  static override readonly brand: string = 'KafkaJSRequestTimeoutError'
  readonly broker: string
  readonly correlationId: number
  readonly createdAt: number
  readonly sentAt: number
  readonly pendingDuration: number

  constructor(
    e: Error | string,
    metadata: {
      broker?: string | undefined
      correlationId?: number | undefined
      createdAt?: number | undefined
      sentAt?: number | undefined
      pendingDuration?: number | undefined
      cause?: unknown
    } = {},
  ) {
    super(e, { cause: metadata.cause })
    this.broker = metadata.broker as string
    this.correlationId = metadata.correlationId as number
    this.createdAt = metadata.createdAt as number
    this.sentAt = metadata.sentAt as number
    this.pendingDuration = metadata.pendingDuration as number
    this.name = 'KafkaJSRequestTimeoutError'
  }
}

/** Metadata was not available for what was asked. */
export class KafkaJSMetadataNotLoaded extends KafkaJSError {
  static override readonly brand: string = 'KafkaJSMetadataNotLoaded'

  constructor(e: ErrorInput = 'Metadata not loaded', options: KafkaJSErrorOptions = {}) {
    super(e, options)
    this.name = 'KafkaJSMetadataNotLoaded'
  }
}

/** A topic's metadata was not available. */
export class KafkaJSTopicMetadataNotLoaded extends KafkaJSMetadataNotLoaded {
  static override readonly brand: string = 'KafkaJSTopicMetadataNotLoaded'
  readonly topic: string

  constructor(e: Error | string, metadata: { topic?: string; cause?: unknown } = {}) {
    super(e, { cause: metadata.cause })
    this.topic = metadata.topic as string
    this.name = 'KafkaJSTopicMetadataNotLoaded'
  }
}

/** Partitions were assigned that the metadata does not know. */
export class KafkaJSStaleTopicMetadataAssignment extends KafkaJSError {
  static override readonly brand: string = 'KafkaJSStaleTopicMetadataAssignment'
  readonly topic: string
  /** kafkajs declares a number, and sets the partitions' metadata. */
  readonly unknownPartitions: number

  constructor(e: Error | string, metadata: { topic?: string; unknownPartitions?: unknown; cause?: unknown } = {}) {
    super(e, { cause: metadata.cause })
    this.topic = metadata.topic as string
    this.unknownPartitions = metadata.unknownPartitions as number
    this.name = 'KafkaJSStaleTopicMetadataAssignment'
  }
}

/** Deleting consumer groups failed (an admin error in kafkajs; here for completeness). */
export class KafkaJSDeleteGroupsError extends KafkaJSError {
  static override readonly brand: string = 'KafkaJSDeleteGroupsError'
  readonly groups: unknown[]

  constructor(e: Error | string, groups: unknown[] = []) {
    super(e)
    this.groups = groups
    this.name = 'KafkaJSDeleteGroupsError'
  }
}

/** The broker does not support an API the client needs. */
export class KafkaJSServerDoesNotSupportApiKey extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSServerDoesNotSupportApiKey'
  readonly apiKey: number
  readonly apiName: string

  constructor(e: Error | string, metadata: { apiKey?: number; apiName?: string; cause?: unknown } = {}) {
    super(e, { cause: metadata.cause })
    this.apiKey = metadata.apiKey as number
    this.apiName = metadata.apiName as string
    this.name = 'KafkaJSServerDoesNotSupportApiKey'
  }
}

/** A broker could not be found in the metadata. */
export class KafkaJSBrokerNotFound extends KafkaJSError {
  static override readonly brand: string = 'KafkaJSBrokerNotFound'

  constructor(e: ErrorInput = 'Broker not found', options: KafkaJSErrorOptions = {}) {
    super(e, options)
    this.name = 'KafkaJSBrokerNotFound'
  }
}

/** A response could not be decoded. */
export class KafkaJSPartialMessageError extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSPartialMessageError'

  constructor(e: ErrorInput = 'Partial message', options: { cause?: unknown } = {}) {
    super(e, options)
    this.name = 'KafkaJSPartialMessageError'
  }
}

/** SASL authentication failed. */
export class KafkaJSSASLAuthenticationError extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSSASLAuthenticationError'

  constructor(e: ErrorInput = 'SASL authentication failed', options: { cause?: unknown } = {}) {
    super(e, options)
    this.name = 'KafkaJSSASLAuthenticationError'
  }
}

/** No coordinator was found for a group or transactional id. */
export class KafkaJSGroupCoordinatorNotFound extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSGroupCoordinatorNotFound'

  constructor(e: ErrorInput = 'Group coordinator not found', options: { cause?: unknown } = {}) {
    super(e, options)
    this.name = 'KafkaJSGroupCoordinatorNotFound'
  }
}

/** Something this client does not implement: a compression codec that is not registered, for one. */
export class KafkaJSNotImplemented extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSNotImplemented'

  constructor(e: ErrorInput = 'Not implemented', options: { cause?: unknown } = {}) {
    super(e, options)
    this.name = 'KafkaJSNotImplemented'
  }
}

/** A wait ended without an answer. */
export class KafkaJSTimeout extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSTimeout'

  constructor(e: ErrorInput = 'Timeout', options: { cause?: unknown } = {}) {
    super(e, options)
    this.name = 'KafkaJSTimeout'
  }
}

/** A lock was not acquired in time. */
export class KafkaJSLockTimeout extends KafkaJSTimeout {
  static override readonly brand: string = 'KafkaJSLockTimeout'

  constructor(e: ErrorInput = 'Lock timeout', options: { cause?: unknown } = {}) {
    super(e, options)
    this.name = 'KafkaJSLockTimeout'
  }
}

/** A message set with an unsupported magic byte (a consumer error in kafkajs; here for completeness). */
export class KafkaJSUnsupportedMagicByteInMessageSet extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSUnsupportedMagicByteInMessageSet'

  constructor(e: ErrorInput = 'Unsupported magic byte', options: { cause?: unknown } = {}) {
    super(e, options)
    this.name = 'KafkaJSUnsupportedMagicByteInMessageSet'
  }
}

/** Deleting records failed (an admin error in kafkajs; here for completeness). */
export class KafkaJSDeleteTopicRecordsError extends KafkaJSError {
  static override readonly brand: string = 'KafkaJSDeleteTopicRecordsError'
  readonly partitions: Array<{ partition: number; offset: string; error?: { retriable: boolean } | null }>

  constructor(metadata: {
    topic?: string
    partitions: Array<{ partition: number; offset: string; error?: { retriable: boolean } | null }>
  }) {
    const failed = metadata.partitions.filter(({ error }) => error !== null && error !== undefined)
    super('Error while deleting records', { retriable: failed.every(({ error }) => error?.retriable === true) })
    this.name = 'KafkaJSDeleteTopicRecordsError'
    this.partitions = metadata.partitions
  }
}

/** A state this client should never reach. */
export class KafkaJSInvariantViolation extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSInvariantViolation'

  constructor(e: Error | string, options: { cause?: unknown } = {}) {
    super(`Invariant violated: ${messageOf(e)}. This is likely a bug and should be reported.`, options)
    this.name = 'KafkaJSInvariantViolation'
  }
}

/** A varint that does not decode (kafkajs names it KafkaJSNonRetriableError, and so does this). */
export class KafkaJSInvalidVarIntError extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSInvalidVarIntError'
}

/** An int64 that does not decode (kafkajs names it KafkaJSNonRetriableError, and so does this). */
export class KafkaJSInvalidLongError extends KafkaJSNonRetriableError {
  static override readonly brand: string = 'KafkaJSInvalidLongError'
}

/** Creating a topic failed (an admin error in kafkajs; here for completeness). */
export class KafkaJSCreateTopicError extends KafkaJSProtocolError {
  static override readonly brand: string = 'KafkaJSCreateTopicError'
  readonly topic: string

  constructor(e: Error | string | KafkaJSProtocolErrorDescription, topicName: string) {
    super(e)
    this.topic = topicName
    this.name = 'KafkaJSCreateTopicError'
  }
}

/** Reassigning partitions failed (an admin error in kafkajs; here for completeness). */
export class KafkaJSAlterPartitionReassignmentsError extends KafkaJSProtocolError {
  static override readonly brand: string = 'KafkaJSAlterPartitionReassignmentsError'
  readonly topic: string | undefined
  readonly partition: number | undefined

  constructor(e: Error | string | KafkaJSProtocolErrorDescription, topicName?: string, partition?: number) {
    super(e)
    this.topic = topicName
    this.partition = partition
    this.name = 'KafkaJSAlterPartitionReassignmentsError'
  }
}

/** Several errors at once. */
export class KafkaJSAggregateError extends Error {
  static readonly brand: string = 'KafkaJSAggregateError'
  readonly errors: Array<Error | string>

  constructor(message: Error | string, errors: Array<Error | string>) {
    super(messageOf(message))
    this.errors = errors
    this.name = 'KafkaJSAggregateError'
    Object.defineProperty(this, BRAND, { value: new Set(['KafkaJSAggregateError']), enumerable: false })
  }

  static isInstance(value: unknown): value is KafkaJSAggregateError {
    return isBranded(value, 'KafkaJSAggregateError')
  }
}

/** A consumer's fetch was interrupted by a rebalance (a consumer error in kafkajs; here for completeness). */
export class KafkaJSFetcherRebalanceError extends Error {}

/** No broker is reachable. */
export class KafkaJSNoBrokerAvailableError extends KafkaJSError {
  static override readonly brand: string = 'KafkaJSNoBrokerAvailableError'

  constructor(options: KafkaJSErrorOptions = {}) {
    super('No broker available', options)
    this.name = 'KafkaJSNoBrokerAvailableError'
  }
}
