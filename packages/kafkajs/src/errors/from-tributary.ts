import {
  AuthenticationError,
  BrokerNotAvailableError,
  BufferFullError,
  ConnectionError,
  KafkaProtocolError,
  ProducerClosedError,
  RecordTooLargeError,
  RetriesExhaustedError,
  TimeoutError,
  TributaryError,
} from '@tributary/core'
import { ApiKeys, errorInfo } from '@tributary/core/protocol'
import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  type KafkaJSProtocolErrorDescription,
  KafkaJSRequestTimeoutError,
  KafkaJSSASLAuthenticationError,
  KafkaJSTimeout,
} from './kafkajs-errors.js'
import { KAFKAJS_ERROR_CODES } from './protocol-errors.js'

let byCode: Map<number, KafkaJSProtocolErrorDescription> | undefined

/**
 * How kafkajs describes a broker error code: its `type`, `retriable` flag and message. A code kafkajs
 * 2.2.4 does not know (it would call it KAFKAJS_UNKNOWN_ERROR_CODE, code -99) gets Kafka's own name
 * and retriable flag and keeps its real code.
 */
export function describeErrorCode(code: number): KafkaJSProtocolErrorDescription {
  if (byCode === undefined) {
    byCode = new Map()
    for (const [c, type, retriable, message, helpUrl] of KAFKAJS_ERROR_CODES) {
      byCode.set(c, { code: c, type, retriable, message, helpUrl })
    }
  }
  const known = byCode.get(code)
  if (known !== undefined) return known
  const info = errorInfo(code)
  return { code, type: info.name, retriable: info.retriable, message: `Broker error ${info.name} (${code})` }
}

/** A KafkaJSProtocolError for a broker error code, with `cause` the error it came from. */
export function protocolError(code: number, cause?: unknown): KafkaJSProtocolError {
  return new KafkaJSProtocolError(describeErrorCode(code), { cause })
}

const REQUEST_TIMEOUT = /^request (\w+) \(correlation id (\d+)\) to (\S+) timed out after (\d+) ms/
const BROKER_ADDRESS = /(?:connection to|connecting to|cannot connect to|broker) ([^\s:]+:\d+)/

/**
 * The kafkajs error a Tributary error corresponds to, so that `catch` code written for kafkajs
 * recognises it; the Tributary error is kept as `cause`. Anything else (a kafkajs error already, or
 * an error thrown by user code such as a partitioner) is returned as it is, as kafkajs does.
 *
 * - a broker error code → KafkaJSProtocolError with kafkajs's `type`, `code`, `retriable`, message;
 * - retries exhausted, or a delivery timeout after retriable errors → KafkaJSNumberOfRetriesExceeded
 *   as kafkajs makes it: the last error's message, and the last error (as kafkajs's error) as
 *   `cause`, whose own `cause` is the Tributary error (RetriesExhaustedError or TimeoutError, with
 *   the last Tributary error as its `cause`);
 * - a record larger than the limits → KafkaJSProtocolError MESSAGE_TOO_LARGE, as the broker would;
 * - a request that got no answer → KafkaJSRequestTimeoutError; a connection problem or no broker
 *   reachable → KafkaJSConnectionError; a refused TLS handshake too; a refused SASL exchange →
 *   KafkaJSSASLAuthenticationError;
 * - a full buffer → KafkaJSError (retriable); everything decided before sending (configuration,
 *   serialization, compression, transaction state, a closed producer) → KafkaJSNonRetriableError.
 */
export function toKafkaJSError(error: unknown): unknown {
  return convert(error, error)
}

/** `toKafkaJSError`, with `cause` as the cause of the error made. */
function convert(error: unknown, cause: unknown): unknown {
  if (!TributaryError.isInstance(error)) return error
  if (KafkaProtocolError.isInstance(error)) return protocolError(error.code, cause)
  const exhausted = RetriesExhaustedError.isInstance(error)
  if (exhausted || (TimeoutError.isInstance(error) && error.cause instanceof Error)) {
    const converted = convert(error.cause, error)
    const last =
      converted instanceof KafkaJSError
        ? converted
        : new KafkaJSError(errorMessage(error.cause, error), { cause: error })
    return new KafkaJSNumberOfRetriesExceeded(last, {
      retryCount: exhausted ? Math.max(0, error.attempts - 1) : 0,
      retryTime: exhausted ? 0 : ((error as TimeoutError).timeoutMs ?? 0),
      cause: last,
    })
  }
  if (TimeoutError.isInstance(error)) return new KafkaJSTimeout(error.message, { cause })
  if (RecordTooLargeError.isInstance(error)) {
    const described = describeErrorCode(error.code)
    return new KafkaJSProtocolError({ ...described, message: `${described.message} (${error.message})` }, { cause })
  }
  if (AuthenticationError.isInstance(error)) {
    if (error.mechanism.toUpperCase() === 'TLS') {
      return new KafkaJSConnectionError(error.message, { broker: error.broker, cause })
    }
    // kafkajs words it `SASL SCRAM SHA256 authentication failed: ...`
    const mechanism = error.mechanism.toUpperCase().replace(/^SCRAM-SHA-(\d+)$/, 'SCRAM SHA$1')
    return new KafkaJSSASLAuthenticationError(`SASL ${mechanism} authentication failed: ${error.message}`, { cause })
  }
  if (ConnectionError.isInstance(error)) return connectionError(error, cause)
  if (BrokerNotAvailableError.isInstance(error)) {
    return new KafkaJSConnectionError(error.message, { broker: error.addresses[0], cause })
  }
  if (BufferFullError.isInstance(error)) return new KafkaJSError(error.message, { retriable: true, cause })
  if (ProducerClosedError.isInstance(error)) return new KafkaJSNonRetriableError(error.message, { cause })
  if (error.code > 0) return protocolError(error.code, cause)
  return new KafkaJSNonRetriableError(error.message, { cause })
}

function errorMessage(error: unknown, fallback: Error): string {
  return error instanceof Error ? error.message : fallback.message
}

function connectionError(error: TributaryError, cause: unknown): KafkaJSError {
  const timeout = REQUEST_TIMEOUT.exec(error.message)
  if (timeout !== null) {
    const pendingDuration = Number(timeout[4])
    const apiName = timeout[1] as string
    const apiKey = (ApiKeys as Record<string, number | undefined>)[apiName]
    return new KafkaJSRequestTimeoutError(`Request ${apiName}(key: ${apiKey ?? -1}) timed out`, {
      broker: timeout[3],
      correlationId: Number(timeout[2]),
      pendingDuration,
      cause,
    })
  }
  const broker = BROKER_ADDRESS.exec(error.message)?.[1]
  const systemCode =
    error.cause instanceof Error && typeof (error.cause as { code?: unknown }).code === 'string'
      ? ((error.cause as { code?: string }).code as string)
      : undefined
  return new KafkaJSConnectionError(error.message, { broker, code: systemCode, cause })
}
