import { ErrorCodes, errorInfo } from '../protocol/error-codes.js'
import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.kafka-protocol')

/** Where a broker reported an error code. */
export interface KafkaProtocolErrorOptions {
  /** The API that returned the code, e.g. `Produce` or `InitProducerId`. */
  api?: string
  /** The topic the code was reported for. */
  topic?: string
  /** The partition the code was reported for. */
  partition?: number
  /** The broker's own error message (Produce v8+ and other APIs), when it sent one. */
  brokerMessage?: string | null
  cause?: unknown
}

/** What to do about the codes where that is clear; the rest speak for themselves. */
const ADVICE: ReadonlyMap<number, string> = new Map([
  [ErrorCodes.CORRUPT_MESSAGE, "The batch failed the broker's CRC check; the producer retries it."],
  [
    ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION,
    'Create the topic (or enable auto.create.topics.enable on the brokers); the producer retries until deliveryTimeoutMs.',
  ],
  [ErrorCodes.LEADER_NOT_AVAILABLE, 'A leader election is in progress; the producer refreshes metadata and retries.'],
  [ErrorCodes.NOT_LEADER_OR_FOLLOWER, "The partition's leader moved; the producer refreshes metadata and retries."],
  [
    ErrorCodes.REQUEST_TIMED_OUT,
    'The broker did not finish the request in time (e.g. waiting for replicas); the producer retries.',
  ],
  [
    ErrorCodes.MESSAGE_TOO_LARGE,
    "Make the records or batchBytes smaller, or raise the topic's max.message.bytes (the brokers' message.max.bytes).",
  ],
  [ErrorCodes.NETWORK_EXCEPTION, 'The broker lost a connection it needed; the producer retries.'],
  [
    ErrorCodes.INVALID_TOPIC_EXCEPTION,
    'Topic names use letters, digits, ".", "_" and "-", up to 249 characters, and internal topics cannot be written.',
  ],
  [ErrorCodes.RECORD_LIST_TOO_LARGE, "Lower batchBytes or maxRequestBytes, or raise the brokers' message.max.bytes."],
  [
    ErrorCodes.NOT_ENOUGH_REPLICAS,
    "Fewer replicas are in sync than the topic's min.insync.replicas; the producer retries. Check the brokers' health.",
  ],
  [
    ErrorCodes.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
    'The records were written but fewer replicas than min.insync.replicas confirmed them; the producer retries.',
  ],
  [ErrorCodes.INVALID_REQUIRED_ACKS, "acks must be 'all' (-1), 1 or 0."],
  [ErrorCodes.TOPIC_AUTHORIZATION_FAILED, "Grant this client's principal WRITE and DESCRIBE on the topic."],
  [
    ErrorCodes.CLUSTER_AUTHORIZATION_FAILED,
    'An idempotent producer needs IDEMPOTENT_WRITE on the cluster before Kafka 2.8: grant it, or set idempotent: false.',
  ],
  [
    ErrorCodes.INVALID_TIMESTAMP,
    "The record's timestamp is too far from the broker's clock for the topic's timestamp limits; check the timestamp given to send.",
  ],
  [
    ErrorCodes.UNSUPPORTED_VERSION,
    'The broker does not support a request version the producer needs; upgrade the brokers.',
  ],
  [ErrorCodes.INVALID_PRODUCER_EPOCH, 'A newer producer with the same identity fenced this one; close this producer.'],
  [ErrorCodes.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "Grant this client's principal WRITE on the transactional id."],
  [ErrorCodes.KAFKA_STORAGE_ERROR, 'A log directory of the broker is offline; the producer retries.'],
  [ErrorCodes.SASL_AUTHENTICATION_FAILED, 'Check the SASL mechanism, username and password.'],
  [
    ErrorCodes.UNSUPPORTED_COMPRESSION_TYPE,
    'The brokers do not accept this compression type for the topic (zstd needs Kafka 2.1+); choose another compression.',
  ],
  [
    ErrorCodes.INVALID_RECORD,
    'The broker rejected a record (e.g. a compacted topic needs keys); its message says which.',
  ],
  [ErrorCodes.PRODUCER_FENCED, 'A newer producer with the same transactionalId fenced this one; close this producer.'],
])

/**
 * A broker answered with a Kafka error code. `kafkaName` is Kafka's name for the code and
 * `retriable` comes from Kafka's own list, so callers can branch on either without a lookup table.
 */
export class KafkaProtocolError extends TributaryError {
  /** Kafka's name for the code, e.g. `NOT_LEADER_OR_FOLLOWER`. */
  readonly kafkaName: string
  readonly api: string | undefined
  readonly topic: string | undefined
  readonly partition: number | undefined
  /** The broker's own message, when it sent one. */
  readonly brokerMessage: string | undefined
  private readonly [BRAND] = true

  constructor(code: number, options: KafkaProtocolErrorOptions = {}) {
    const info = errorInfo(code)
    const from = options.api === undefined ? '' : ` from ${options.api}`
    const where =
      options.topic === undefined
        ? ''
        : options.partition === undefined
          ? ` for topic '${options.topic}'`
          : ` for ${options.topic}-${options.partition}`
    const brokerMessage = options.brokerMessage ?? undefined
    const said = brokerMessage === undefined || brokerMessage === '' ? '' : `: ${brokerMessage}`
    const advice = ADVICE.get(code)
    const head = `Broker error ${info.name} (${code})${from}${where}${said}`
    const message = advice === undefined ? head : `${head}${/[.!?]$/.test(head) ? '' : '.'} ${advice}`
    super(message, {
      code,
      retriable: info.retriable,
      cause: options.cause,
    })
    this.name = 'KafkaProtocolError'
    this.kafkaName = info.name
    this.api = options.api
    this.topic = options.topic
    this.partition = options.partition
    this.brokerMessage = brokerMessage === '' ? undefined : brokerMessage
  }

  static override isInstance(value: unknown): value is KafkaProtocolError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
