import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls'
import type { Codec, ProducerOptions, SaslOptions, Logger as TributaryLogger } from '@tributary/core'
import { KafkaJSConnectionError, KafkaJSNonRetriableError } from './errors/kafkajs-errors.js'
import { toTributaryLogger } from './logger.js'
import { type Partitioning, partitioningFor } from './partitioners.js'
import type { BrokersFunction, KafkaConfig, Logger, ProducerConfig, RetryOptions } from './types.js'

// From kafkajs's configuration (the Kafka client's and the producer's) to Tributary's core producer
// options, once per producer; then per core producer (one per acks, compression and timeout used).

const MAX_INT32 = 2_147_483_647

/** kafkajs's retry defaults (src/retry/defaults.js). */
const RETRY_DEFAULTS = { retries: 5, initialRetryTime: 300, maxRetryTime: 30_000, multiplier: 2 }

/** kafkajs's request timeout default, for the client and for the broker (Produce's `timeout`). */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

/** kafkajs's connectionTimeout and authenticationTimeout defaults. */
const DEFAULT_CONNECTION_TIMEOUT_MS = 1_000
const DEFAULT_AUTHENTICATION_TIMEOUT_MS = 10_000

/** What a producer needs from its configuration, resolved once. */
export interface ProducerSettings {
  readonly clientId: string
  readonly brokers: string[] | BrokersFunction
  readonly tls: boolean | TlsConnectionOptions | undefined
  readonly sasl: SaslOptions | undefined
  readonly connectTimeoutMs: number
  readonly requestTimeoutMs: number
  readonly metadataMaxAgeMs: number | undefined
  readonly retries: number
  readonly retryBackoffMs: number
  readonly retryBackoffMaxMs: number
  readonly multiplier: number
  readonly idempotent: boolean
  readonly transactionalId: string | undefined
  readonly transactionTimeoutMs: number | undefined
  readonly maxInFlight: number | undefined
  readonly partitioning: Partitioning
  readonly allowAutoTopicCreation: boolean
  readonly logger: Logger
  readonly coreLogger: TributaryLogger
}

function positive(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new KafkaJSNonRetriableError(`${name} must be a non-negative number of milliseconds, got ${String(value)}`)
  }
  return Math.floor(value)
}

/** kafkajs's `sasl` as Tributary's; AWS IAM and custom mechanisms are refused with a clear error. */
function saslFrom(sasl: KafkaConfig['sasl']): SaslOptions | undefined {
  if (sasl === undefined || sasl === null) return undefined
  const mechanism = String(sasl.mechanism).toLowerCase()
  if (mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512') {
    const { username, password } = sasl as { username: string; password: string }
    return { mechanism, username, password }
  }
  if (
    mechanism === 'oauthbearer' &&
    typeof (sasl as { oauthBearerProvider?: unknown }).oauthBearerProvider === 'function'
  ) {
    const provider = (sasl as { oauthBearerProvider: () => Promise<{ value: string }> }).oauthBearerProvider
    return {
      mechanism: 'oauthbearer',
      token: async () => {
        const { value } = await provider()
        return { value }
      },
    }
  }
  if ('authenticationProvider' in sasl) {
    throw new KafkaJSNonRetriableError(
      `SASL mechanism ${sasl.mechanism} (a custom authenticationProvider) is not supported by @tributary/kafkajs; it supports plain, scram-sha-256, scram-sha-512 and oauthbearer`,
    )
  }
  throw new KafkaJSNonRetriableError(
    `SASL ${String(sasl.mechanism).toUpperCase()} mechanism is not supported by @tributary/kafkajs; it supports plain, scram-sha-256, scram-sha-512 and oauthbearer`,
  )
}

/** Resolves a producer's settings from the Kafka client's and the producer's configuration. */
export function resolveSettings(kafka: KafkaConfig, config: ProducerConfig, rootLogger: Logger): ProducerSettings {
  if (kafka.socketFactory !== undefined) {
    throw new KafkaJSNonRetriableError(
      'socketFactory is not supported by @tributary/kafkajs: Tributary opens its own TCP/TLS connections (use ssl and sasl)',
    )
  }
  const idempotent = config.idempotent === true
  const retry: RetryOptions = { ...kafka.retry, ...config.retry }
  const retries = retry.retries ?? RETRY_DEFAULTS.retries
  if (idempotent && retries < 1) {
    throw new KafkaJSNonRetriableError('Idempotent producer must allow retries to protect against transient errors')
  }
  const retryBackoffMs = positive('retry.initialRetryTime', retry.initialRetryTime) ?? RETRY_DEFAULTS.initialRetryTime
  const maxRetryTime = positive('retry.maxRetryTime', retry.maxRetryTime) ?? RETRY_DEFAULTS.maxRetryTime
  const logger = rootLogger.namespace('Producer')
  const transactionalId =
    config.transactionalId === undefined || config.transactionalId === null ? undefined : config.transactionalId
  let maxInFlight = positive('maxInFlightRequests', config.maxInFlightRequests)
  if (maxInFlight === 0) maxInFlight = undefined // kafkajs: falsy means no limit
  // An idempotent Tributary producer keeps at most 5 requests in flight per broker (kafkajs
  // serializes an idempotent producer's requests per broker anyway).
  if (maxInFlight !== undefined && (idempotent || transactionalId !== undefined)) maxInFlight = Math.min(maxInFlight, 5)
  return {
    clientId: kafka.clientId ?? 'kafkajs',
    brokers: kafka.brokers,
    tls: kafka.ssl === undefined || kafka.ssl === null || kafka.ssl === false ? undefined : kafka.ssl,
    sasl: saslFrom(kafka.sasl),
    // kafkajs bounds the TCP/TLS connect by connectionTimeout (1 s) and SASL by authenticationTimeout
    // (10 s); Tributary's connectTimeoutMs bounds the whole handshake (with ApiVersions).
    connectTimeoutMs:
      (positive('connectionTimeout', kafka.connectionTimeout) ?? DEFAULT_CONNECTION_TIMEOUT_MS) +
      (kafka.sasl === undefined || kafka.sasl === null
        ? 0
        : (positive('authenticationTimeout', kafka.authenticationTimeout) ?? DEFAULT_AUTHENTICATION_TIMEOUT_MS)),
    requestTimeoutMs: positive('requestTimeout', kafka.requestTimeout) ?? DEFAULT_REQUEST_TIMEOUT_MS,
    metadataMaxAgeMs: positive('metadataMaxAge', config.metadataMaxAge),
    retries: Math.min(Math.max(0, Math.floor(retries)), MAX_INT32),
    retryBackoffMs,
    retryBackoffMaxMs: Math.max(maxRetryTime, retryBackoffMs),
    multiplier: retry.multiplier ?? RETRY_DEFAULTS.multiplier,
    idempotent,
    transactionalId,
    transactionTimeoutMs: positive('transactionTimeout', config.transactionTimeout),
    maxInFlight,
    partitioning: partitioningFor(config.createPartitioner),
    allowAutoTopicCreation: config.allowAutoTopicCreation !== false,
    logger,
    coreLogger: toTributaryLogger(logger),
  }
}

/** kafkajs asks a broker function for the brokers on every connect; an error in it is a connection error. */
export async function resolveBrokers(brokers: string[] | BrokersFunction): Promise<string[]> {
  let list: unknown
  if (typeof brokers === 'function') {
    try {
      list = await brokers()
    } catch (error) {
      throw new KafkaJSConnectionError(
        `Failed to connect: "config.brokers" threw: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      )
    }
  } else {
    list = brokers
  }
  if (list === undefined || list === null) {
    throw new KafkaJSNonRetriableError('Failed to connect: brokers should not be null')
  }
  if (!Array.isArray(list)) throw new KafkaJSNonRetriableError('Failed to connect: brokers should be an array')
  if (list.length === 0) throw new KafkaJSNonRetriableError('Failed to connect: brokers array is empty')
  list.forEach((broker, index) => {
    if (typeof broker !== 'string' || broker.length === 0) {
      throw new KafkaJSNonRetriableError(`Failed to connect: broker at index ${index} is invalid "${typeof broker}"`)
    }
  })
  return list as string[]
}

/**
 * How long kafkajs's retrier waits in all before giving up: the sum of its backoffs, each the
 * previous one times `multiplier`, capped at `maxRetryTime`.
 */
export function totalBackoffMs(settings: ProducerSettings): number {
  let total = 0
  let backoff = settings.retryBackoffMs
  for (let i = 0; i < settings.retries; i++) {
    if (backoff >= settings.retryBackoffMaxMs)
      return Math.min(MAX_INT32, total + (settings.retries - i) * settings.retryBackoffMaxMs)
    total += backoff
    if (total >= MAX_INT32) return MAX_INT32
    backoff = Math.min(settings.retryBackoffMaxMs, backoff * Math.max(1, settings.multiplier))
  }
  return total
}

/** What varies between the core producers of one kafkajs producer. */
export interface CoreVariant {
  acks: -1 | 0 | 1
  codec: Codec | null
  /** The Produce request's timeout (kafkajs's per-send `timeout`), or the client's requestTimeout. */
  requestTimeoutMs: number
  transactional: boolean
}

/**
 * Tributary core options for one variant. kafkajs has no delivery timeout: a send ends when its
 * retries run out. So the delivery timeout is what kafkajs could take at most (every attempt
 * connecting and waiting `requestTimeout`, plus the backoffs), and waiting for metadata or buffer room (`maxBlockMs`)
 * is bounded by the backoffs plus one request, as kafkajs retries an unknown topic.
 */
export function coreOptions(settings: ProducerSettings, brokers: string[], variant: CoreVariant): ProducerOptions {
  const backoff = totalBackoffMs(settings)
  const request = variant.requestTimeoutMs
  // Each attempt may also have to connect first.
  const attempt = request + settings.connectTimeoutMs
  const delivery = Math.min(MAX_INT32, (settings.retries + 1) * attempt + backoff)
  const options: ProducerOptions = {
    clientId: settings.clientId,
    bootstrapBrokers: brokers,
    acks: variant.acks === -1 ? 'all' : variant.acks,
    idempotent: variant.transactional || settings.idempotent,
    compression: variant.codec ?? 'none',
    requestTimeoutMs: request,
    deliveryTimeoutMs: delivery,
    maxBlockMs: Math.min(MAX_INT32, Math.max(1000, backoff + request)),
    retries: settings.retries,
    retryBackoffMs: settings.retryBackoffMs,
    retryBackoffMaxMs: settings.retryBackoffMaxMs,
    logger: settings.coreLogger,
  }
  if (settings.partitioning.kind === 'core' && settings.partitioning.partitioner !== undefined) {
    options.partitioner = settings.partitioning.partitioner
  }
  options.connectTimeoutMs = Math.max(1, settings.connectTimeoutMs)
  if (settings.metadataMaxAgeMs !== undefined) options.metadataMaxAgeMs = settings.metadataMaxAgeMs
  if (settings.maxInFlight !== undefined) options.maxInFlight = settings.maxInFlight
  if (settings.tls !== undefined) options.tls = settings.tls
  if (settings.sasl !== undefined) options.sasl = settings.sasl
  if (variant.transactional && settings.transactionalId !== undefined) {
    options.transactionalId = settings.transactionalId
    if (settings.transactionTimeoutMs !== undefined) options.transactionTimeoutMs = settings.transactionTimeoutMs
  }
  return options
}
