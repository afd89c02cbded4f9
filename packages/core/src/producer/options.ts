import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls'
import { gzip } from '../compression/gzip.js'
import { ConfigError } from '../errors/config-error.js'
import type { SaslOptions } from '../network/sasl/types.js'
import { resolveSasl, resolveTls, SECURITY_PROPERTIES, securityFromProperties } from '../network/security-options.js'
import { defaultPartitioner } from '../partitioners/default-partitioner.js'
import type { Codec, Partitioner, Serializer } from '../plugins.js'
import { defaultSerializer } from '../serializers/default.js'
import type { Acks, Logger, ProducerOptions } from './types.js'

/** The largest delay `setTimeout` honours (a longer one fires at once), and Java's `int` maximum. */
const MAX_INT32 = 2_147_483_647

/** The idempotent producer keeps at most this many requests in flight per connection, as in Java. */
const MAX_IDEMPOTENT_IN_FLIGHT = 5

/** A broker address parsed from `bootstrapBrokers`. */
interface ResolvedBrokerAddress {
  readonly host: string
  readonly port: number
}

/** Every method of a logger present: the user's methods, no-ops for the rest. */
export type ResolvedLogger = Required<Logger>

/**
 * Producer options after validation, with every default applied and `acks` and `compression` in the
 * form the engine uses. Built once, at construction, by `resolveProducerOptions`.
 */
export interface ResolvedProducerOptions<Key = unknown, Value = unknown, HeaderKey = unknown, HeaderValue = unknown> {
  readonly clientId: string
  readonly bootstrapBrokers: readonly ResolvedBrokerAddress[]
  /** Key, value and header value serializers (the default serializer where none was given). */
  readonly serializers: {
    readonly key: Serializer<Key>
    readonly value: Serializer<Value>
    /** Undefined when none was given: header keys are then strings, written as UTF-8. */
    readonly headerKey: Serializer<HeaderKey> | undefined
    readonly headerValue: Serializer<HeaderValue>
  }
  /** -1 (all in-sync replicas), 1 (the leader) or 0 (no acknowledgement). */
  readonly acks: -1 | 0 | 1
  readonly idempotent: boolean
  /** The codec, or null for no compression. */
  readonly compression: Codec | null
  /** Undefined (the default) for adaptive lingering; see the Sender. */
  readonly lingerMs: number | undefined
  /** 0 means no batching: every record is alone in its batch, as in Java. */
  readonly batchBytes: number
  readonly bufferBytes: number
  /** Left out: the larger of bufferBytes and 32 MiB. */
  readonly maxWaitingBytes: number
  readonly maxBlockMs: number
  readonly maxInFlight: number
  readonly requestTimeoutMs: number
  /** At least `lingerMs + requestTimeoutMs`. */
  readonly deliveryTimeoutMs: number
  /** Times a failed batch is sent again before its records fail; MAX_INT32 (the default) means until the delivery timeout. */
  readonly retries: number
  readonly retryBackoffMs: number
  /** The cap of the exponential backoff; when below `retryBackoffMs` it is the (constant) backoff, as in Java. */
  readonly retryBackoffMaxMs: number
  readonly metadataMaxAgeMs: number
  readonly maxRequestBytes: number
  readonly connectTimeoutMs: number
  /** Set for a transactional producer (which is then idempotent too), else null. */
  readonly transactionalId: string | null
  readonly transactionTimeoutMs: number
  readonly partitioner: Partitioner
  readonly logger: ResolvedLogger
  /** SASL for every connection, or undefined for none. */
  readonly sasl: SaslOptions | undefined
  /** node:tls options for every connection, or undefined for plain TCP. */
  readonly tls: TlsConnectionOptions | undefined
}

/** The numeric options: their range, unit and default. */
interface IntegerSpec {
  readonly min: number
  readonly max: number
  readonly unit: 'milliseconds' | 'bytes' | 'requests' | 'retries'
  readonly defaultValue: number
}

const INTEGER_OPTIONS = {
  lingerMs: { min: 0, max: MAX_INT32, unit: 'milliseconds', defaultValue: 5 },
  batchBytes: { min: 0, max: MAX_INT32, unit: 'bytes', defaultValue: 1_048_576 },
  bufferBytes: { min: 1, max: Number.MAX_SAFE_INTEGER, unit: 'bytes', defaultValue: 33_554_432 },
  maxWaitingBytes: { min: 0, max: Number.MAX_SAFE_INTEGER, unit: 'bytes', defaultValue: 33_554_432 },
  maxBlockMs: { min: 0, max: MAX_INT32, unit: 'milliseconds', defaultValue: 60_000 },
  maxInFlight: { min: 1, max: MAX_INT32, unit: 'requests', defaultValue: 5 },
  requestTimeoutMs: { min: 1, max: MAX_INT32, unit: 'milliseconds', defaultValue: 30_000 },
  deliveryTimeoutMs: { min: 1, max: MAX_INT32, unit: 'milliseconds', defaultValue: 120_000 },
  retries: { min: 0, max: MAX_INT32, unit: 'retries', defaultValue: MAX_INT32 },
  retryBackoffMs: { min: 0, max: MAX_INT32, unit: 'milliseconds', defaultValue: 100 },
  retryBackoffMaxMs: { min: 0, max: MAX_INT32, unit: 'milliseconds', defaultValue: 1_000 },
  metadataMaxAgeMs: { min: 0, max: MAX_INT32, unit: 'milliseconds', defaultValue: 300_000 },
  maxRequestBytes: { min: 1, max: MAX_INT32, unit: 'bytes', defaultValue: 1_048_576 },
  connectTimeoutMs: { min: 1, max: MAX_INT32, unit: 'milliseconds', defaultValue: 10_000 },
  transactionTimeoutMs: { min: 1, max: MAX_INT32, unit: 'milliseconds', defaultValue: 60_000 },
} as const satisfies Record<string, IntegerSpec>

type IntegerOption = keyof typeof INTEGER_OPTIONS

const DEFAULT_CLIENT_ID = 'tributary'

const BROKERS_ALLOWED =
  "a non-empty list of host:port entries (port 1 to 65535), as an array or a comma-separated string, e.g. ['kafka-1:9092', 'kafka-2:9092']"
const ACKS_ALLOWED = "'all', -1, 1 or 0"
const COMPRESSION_ALLOWED = "'none', 'gzip' or a Codec object (snappy, lz4 and zstd come from @tributary/compression)"
const EXTERNAL_CODECS = ['snappy', 'lz4', 'zstd']

/** `host:port`, or `[ipv6]:port`. */
const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\]|([A-Za-z0-9._-]+)):(\d+)$/

/**
 * Validates producer options and applies the defaults, with the Java client's rules: idempotence
 * needs acks 'all' and at most 5 requests in flight (when `idempotent` is left out, acks 0/1 or more
 * in flight quietly turn it off, as in Java 3.x), and `deliveryTimeoutMs` must cover
 * `lingerMs + requestTimeoutMs`. Throws a ConfigError naming the option and what it allows.
 */
export function resolveProducerOptions<Key, Value, HeaderKey, HeaderValue>(
  options: ProducerOptions<Key, Value, HeaderKey, HeaderValue>,
): ResolvedProducerOptions<Key, Value, HeaderKey, HeaderValue> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', 'an object of producer options with at least bootstrapBrokers', {
      received: options,
    })
  }
  rejectUnknownOptions(options as unknown as Record<string, unknown>)
  const logger = resolveLogger(options.logger)
  const clientId = resolveClientId(options.clientId)
  const bootstrapBrokers = resolveBrokers(options.bootstrapBrokers)
  const serializers = resolveSerializers<Key, Value, HeaderKey, HeaderValue>(options.serializers)
  const acks = resolveAcks(options.acks)
  const compression = resolveCompression(options.compression)
  const partitioner = resolvePartitioner(options.partitioner)
  const sasl = resolveSasl(options.sasl)
  const tls = resolveTls(options.tls)

  const integer = (name: IntegerOption): number => {
    const value = options[name]
    return value === undefined ? INTEGER_OPTIONS[name].defaultValue : checkInteger(name, value, INTEGER_OPTIONS[name])
  }
  // Left out: adaptive lingering (a batch goes when its broker has nothing in flight).
  const lingerMs = options.lingerMs === undefined ? undefined : integer('lingerMs')
  const batchBytes = integer('batchBytes')
  const bufferBytes = integer('bufferBytes')
  const maxWaitingBytes =
    options.maxWaitingBytes === undefined
      ? Math.max(bufferBytes, INTEGER_OPTIONS.maxWaitingBytes.defaultValue)
      : integer('maxWaitingBytes')
  const maxBlockMs = integer('maxBlockMs')
  const maxInFlight = integer('maxInFlight')
  const requestTimeoutMs = integer('requestTimeoutMs')
  const retries = integer('retries')
  const retryBackoffMs = integer('retryBackoffMs')
  const retryBackoffMaxMs = integer('retryBackoffMaxMs')
  const metadataMaxAgeMs = integer('metadataMaxAgeMs')
  const maxRequestBytes = integer('maxRequestBytes')
  const connectTimeoutMs = integer('connectTimeoutMs')
  const transactionTimeoutMs = integer('transactionTimeoutMs')
  const transactionalId = resolveTransactionalId(options.transactionalId)
  if (transactionalId !== null) {
    if (options.idempotent === false) {
      throw new ConfigError(['transactionalId', 'idempotent'], 'idempotent left out or true with a transactionalId', {
        reason: 'a transactional producer is always idempotent, but idempotent is false',
      })
    }
    if (acks !== -1) {
      throw new ConfigError(['transactionalId', 'acks'], "acks 'all' with a transactionalId", {
        reason: `a transactional producer needs acks 'all', got acks ${acks}`,
      })
    }
    if (retries === 0) {
      throw new ConfigError(['transactionalId', 'retries'], 'retries of at least 1 with a transactionalId', {
        reason:
          'a transactional producer is idempotent, and idempotence needs retries: with retries 0 a lost answer would leave a gap in the sequence numbers',
      })
    }
  }

  let idempotent = true
  if (options.idempotent !== undefined) {
    if (typeof options.idempotent !== 'boolean') {
      throw new ConfigError('idempotent', 'true or false', { received: options.idempotent })
    }
    idempotent = options.idempotent
    if (idempotent && acks !== -1) {
      throw new ConfigError(
        ['idempotent', 'acks'],
        "acks 'all' with idempotent: true; for acks 0 or 1 set idempotent: false",
        {
          reason: `an idempotent producer needs acks 'all' (every in-sync replica), got acks ${acks}`,
        },
      )
    }
    if (idempotent && retries === 0) {
      throw new ConfigError(
        ['idempotent', 'retries'],
        'retries of at least 1 (or left out) with idempotent: true; for retries 0 set idempotent: false',
        {
          reason:
            'an idempotent producer needs retries, as in the Java client: with retries 0 a lost answer would leave a gap in the sequence numbers',
        },
      )
    }
    if (idempotent && maxInFlight > MAX_IDEMPOTENT_IN_FLIGHT) {
      throw new ConfigError(
        ['idempotent', 'maxInFlight'],
        `maxInFlight from 1 to ${MAX_IDEMPOTENT_IN_FLIGHT} with idempotent: true; for more set idempotent: false`,
        {
          reason: `an idempotent producer keeps at most ${MAX_IDEMPOTENT_IN_FLIGHT} requests in flight, got maxInFlight ${maxInFlight}`,
        },
      )
    }
  } else if (acks !== -1) {
    idempotent = false
    logger.info(`Idempotence is disabled because acks is ${acks}; it needs acks 'all'.`)
  } else if (maxInFlight > MAX_IDEMPOTENT_IN_FLIGHT) {
    idempotent = false
    logger.info(
      `Idempotence is disabled because maxInFlight is ${maxInFlight}; it needs at most ${MAX_IDEMPOTENT_IN_FLIGHT}.`,
    )
  } else if (retries === 0 && transactionalId === null) {
    idempotent = false
    logger.info('Idempotence is disabled because retries is 0; it needs retries.')
  }

  if (transactionalId !== null) idempotent = true

  const lingerAndRequest = (lingerMs ?? 0) + requestTimeoutMs
  const deliveryNames = ['deliveryTimeoutMs', 'lingerMs', 'requestTimeoutMs']
  const deliveryAllowed = `deliveryTimeoutMs >= lingerMs + requestTimeoutMs, at most ${MAX_INT32}`
  let deliveryTimeoutMs: number
  if (options.deliveryTimeoutMs !== undefined) {
    deliveryTimeoutMs = checkInteger('deliveryTimeoutMs', options.deliveryTimeoutMs, INTEGER_OPTIONS.deliveryTimeoutMs)
    if (deliveryTimeoutMs < lingerAndRequest) {
      throw new ConfigError(deliveryNames, deliveryAllowed, {
        reason:
          `deliveryTimeoutMs (${deliveryTimeoutMs}) is less than lingerMs + requestTimeoutMs ` +
          `(${lingerMs ?? 0} + ${requestTimeoutMs} = ${lingerAndRequest}), so a record could expire before its first request is answered`,
      })
    }
  } else {
    deliveryTimeoutMs = INTEGER_OPTIONS.deliveryTimeoutMs.defaultValue
    if (deliveryTimeoutMs < lingerAndRequest) {
      if (lingerAndRequest > MAX_INT32) {
        throw new ConfigError(deliveryNames, deliveryAllowed, {
          reason: `lingerMs + requestTimeoutMs (${lingerMs ?? 0} + ${requestTimeoutMs}) is longer than the longest timeout (${MAX_INT32})`,
        })
      }
      deliveryTimeoutMs = lingerAndRequest
      logger.warn(
        `deliveryTimeoutMs is raised from its default to lingerMs + requestTimeoutMs (${lingerAndRequest}); set it explicitly to silence this.`,
      )
    }
  }

  if (batchBytes > bufferBytes) {
    throw new ConfigError(['batchBytes', 'bufferBytes'], 'batchBytes no larger than bufferBytes', {
      reason: `batchBytes (${batchBytes}) is larger than bufferBytes (${bufferBytes}), so a full batch could never be buffered`,
    })
  }

  return {
    clientId,
    bootstrapBrokers,
    serializers,
    acks,
    idempotent,
    compression,
    lingerMs,
    batchBytes,
    bufferBytes,
    maxWaitingBytes,
    maxBlockMs,
    maxInFlight,
    requestTimeoutMs,
    deliveryTimeoutMs,
    retries,
    retryBackoffMs,
    retryBackoffMaxMs,
    metadataMaxAgeMs,
    maxRequestBytes,
    connectTimeoutMs,
    transactionalId,
    transactionTimeoutMs,
    partitioner,
    logger,
    sasl,
    tls,
  }
}

function integerAllowed(spec: IntegerSpec): string {
  return `an integer number of ${spec.unit} from ${spec.min} to ${spec.max}`
}

function checkInteger(name: string, value: unknown, spec: IntegerSpec): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw new ConfigError(name, integerAllowed(spec), { received: value })
  }
  return value
}

function resolveTransactionalId(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError('transactionalId', 'a non-empty string', { received: value })
  }
  return value
}

function resolveClientId(value: unknown): string {
  if (value === undefined) return DEFAULT_CLIENT_ID
  if (typeof value !== 'string' || value === '')
    throw new ConfigError('clientId', 'a non-empty string', { received: value })
  return value
}

function resolveBrokers(value: unknown): ResolvedBrokerAddress[] {
  let entries: unknown[]
  if (typeof value === 'string') {
    entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
  } else if (Array.isArray(value)) {
    entries = value.map((entry: unknown) => (typeof entry === 'string' ? entry.trim() : entry))
  } else if (value === undefined) {
    throw new ConfigError('bootstrapBrokers', BROKERS_ALLOWED, { reason: 'it is required' })
  } else {
    throw new ConfigError('bootstrapBrokers', BROKERS_ALLOWED, { received: value })
  }
  if (entries.length === 0) throw new ConfigError('bootstrapBrokers', BROKERS_ALLOWED, { reason: 'no broker given' })
  return entries.map((entry) => parseBroker(entry))
}

function parseBroker(entry: unknown): ResolvedBrokerAddress {
  if (typeof entry !== 'string') {
    throw new ConfigError('bootstrapBrokers', BROKERS_ALLOWED, {
      reason: `an entry is not a string but ${typeof entry}`,
    })
  }
  const match = HOST_PORT.exec(entry)
  const host = match?.[1] ?? match?.[2]
  const portText = match?.[3]
  if (host === undefined || portText === undefined) {
    const reason = /:\d*$/.test(entry) || entry.includes(':') ? 'is not host:port' : 'has no port'
    throw new ConfigError('bootstrapBrokers', BROKERS_ALLOWED, { reason: `entry '${entry}' ${reason}` })
  }
  const port = Number(portText)
  if (port < 1 || port > 65_535) {
    throw new ConfigError('bootstrapBrokers', BROKERS_ALLOWED, {
      reason: `entry '${entry}' has port ${portText}, outside 1 to 65535`,
    })
  }
  return { host, port }
}

function resolveSerializers<Key, Value, HeaderKey, HeaderValue>(
  value: unknown,
): ResolvedProducerOptions<Key, Value, HeaderKey, HeaderValue>['serializers'] {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw new ConfigError(
      'serializers',
      'an object with optional key, value, headerKey and headerValue serializer functions',
      {
        received: value,
      },
    )
  }
  const given = (value ?? {}) as Record<string, unknown>
  const pick = <T>(part: 'key' | 'value' | 'headerKey' | 'headerValue'): Serializer<T> | undefined => {
    const serializer = given[part]
    if (serializer === undefined) return undefined
    if (typeof serializer !== 'function') {
      throw new ConfigError(
        `serializers.${part}`,
        'a function (value, context) => Buffer | null, or a promise of one',
        {
          received: serializer,
        },
      )
    }
    return serializer as Serializer<T>
  }
  // Without a serializer the value types default to what the default serializer accepts.
  const fallback = <T>(): Serializer<T> => defaultSerializer as unknown as Serializer<T>
  return {
    key: pick<Key>('key') ?? fallback<Key>(),
    value: pick<Value>('value') ?? fallback<Value>(),
    headerKey: pick<HeaderKey>('headerKey'),
    headerValue: pick<HeaderValue>('headerValue') ?? fallback<HeaderValue>(),
  }
}

function resolveAcks(value: unknown): -1 | 0 | 1 {
  switch (value) {
    case undefined:
    case 'all':
    case -1:
      return -1
    case 1:
      return 1
    case 0:
      return 0
    default:
      throw new ConfigError('acks', ACKS_ALLOWED, { received: value })
  }
}

function resolveCompression(value: unknown): Codec | null {
  if (value === undefined || value === 'none') return null
  if (value === 'gzip') return gzip()
  if (typeof value === 'string' && EXTERNAL_CODECS.includes(value)) {
    throw new ConfigError('compression', COMPRESSION_ALLOWED, {
      reason: `'${value}' is not built into @tributary/core: pass its codec, e.g. compression: ${value}() with import { ${value} } from '@tributary/compression/${value}'`,
    })
  }
  if (typeof value !== 'object' || value === null)
    throw new ConfigError('compression', COMPRESSION_ALLOWED, { received: value })
  const codec = value as Partial<Record<keyof Codec, unknown>>
  const problem =
    typeof codec.name !== 'string'
      ? 'the codec has no string name'
      : codec.type !== 1 && codec.type !== 2 && codec.type !== 3 && codec.type !== 4
        ? `the codec's type is ${String(codec.type)}, not a Kafka compression type 1 to 4`
        : typeof codec.compress !== 'function'
          ? 'the codec has no compress function'
          : typeof codec.decompress !== 'function'
            ? 'the codec has no decompress function'
            : undefined
  if (problem !== undefined) throw new ConfigError('compression', COMPRESSION_ALLOWED, { reason: problem })
  return value as Codec
}

function resolvePartitioner(value: unknown): Partitioner {
  if (value === undefined) return defaultPartitioner()
  const allowed = 'an object with a partition(input) method and an optional onBatchClosed(topic, partition) method'
  if (typeof value !== 'object' || value === null) throw new ConfigError('partitioner', allowed, { received: value })
  const partitioner = value as Record<string, unknown>
  if (typeof partitioner.partition !== 'function') {
    throw new ConfigError('partitioner', allowed, { reason: 'it has no partition method' })
  }
  if (partitioner.onBatchClosed !== undefined && typeof partitioner.onBatchClosed !== 'function') {
    throw new ConfigError('partitioner', allowed, { reason: 'its onBatchClosed is not a function' })
  }
  return value as Partitioner
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const

function noop(): void {}

/** The logger every producer without one uses: it drops everything. */
const NOOP_LOGGER: ResolvedLogger = { debug: noop, info: noop, warn: noop, error: noop }

function resolveLogger(value: unknown): ResolvedLogger {
  if (value === undefined) return NOOP_LOGGER
  const allowed = 'an object with optional debug, info, warn and error methods (message, extra) => void'
  if (typeof value !== 'object' || value === null) throw new ConfigError('logger', allowed, { received: value })
  const logger = value as Logger
  const resolved = { ...NOOP_LOGGER }
  for (const level of LOG_LEVELS) {
    const method: unknown = logger[level]
    if (method === undefined) continue
    if (typeof method !== 'function') throw new ConfigError(`logger.${level}`, allowed, { received: method })
    // Called as a method, so loggers that rely on `this` (class instances) keep working.
    resolved[level] = (message, extra) => logger[level]?.(message, extra)
  }
  return resolved
}

// ---------------------------------------------------------------------------------------------
// Kafka producer properties

type PropertyValue = string | number | boolean

/** How one Kafka property becomes an option. */
interface PropertyMapping {
  readonly option: keyof ProducerOptions
  readonly parse: (property: string, value: PropertyValue) => unknown
}

const parseString = (property: string, value: PropertyValue): string => {
  if (typeof value !== 'string') throw new ConfigError(property, 'a string', { received: value })
  return value
}

const parseBoolean = (property: string, value: PropertyValue): boolean => {
  if (typeof value === 'boolean') return value
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined
  if (text === 'true') return true
  if (text === 'false') return false
  throw new ConfigError(property, "true or false (or the strings 'true' and 'false')", { received: value })
}

const parseAcks = (property: string, value: PropertyValue): Acks => {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : value
  switch (text) {
    case 'all':
    case '-1':
    case -1:
      return 'all'
    case '1':
    case 1:
      return 1
    case '0':
    case 0:
      return 0
    default:
      throw new ConfigError(property, "'all', -1, 1 or 0 (as a number or a string)", { received: value })
  }
}

const parseCompression = (property: string, value: PropertyValue): 'none' | 'gzip' => {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined
  if (text === 'none' || text === 'gzip') return text
  const allowed =
    "'none' or 'gzip' (for snappy, lz4 or zstd pass a codec from @tributary/compression as the compression option)"
  if (text !== undefined && EXTERNAL_CODECS.includes(text)) {
    throw new ConfigError(property, allowed, {
      reason: `'${text}' is not built into @tributary/core: construct the producer with compression: ${text}() from '@tributary/compression/${text}'`,
    })
  }
  throw new ConfigError(property, allowed, { received: value })
}

const DECIMAL_INTEGER = /^[+-]?\d+$/

/** Integers as numbers or strictly decimal strings ('5', not '5ms', '5.0' or '1e3'), in the option's range. */
const integerProperty =
  (option: IntegerOption) =>
  (property: string, value: PropertyValue): number => {
    const spec = INTEGER_OPTIONS[option]
    let number: number | undefined
    if (typeof value === 'number') number = value
    else if (typeof value === 'string' && DECIMAL_INTEGER.test(value.trim())) number = Number(value.trim())
    if (number === undefined || !Number.isInteger(number) || number < spec.min || number > spec.max) {
      throw new ConfigError(property, `${integerAllowed(spec)} (the ${option} option)`, { received: value })
    }
    return number
  }

const integerMapping = (option: IntegerOption): PropertyMapping => ({ option, parse: integerProperty(option) })

/** Java client and librdkafka producer property names, and the option each sets. */
const PROPERTIES: ReadonlyMap<string, PropertyMapping> = new Map<string, PropertyMapping>([
  ['bootstrap.servers', { option: 'bootstrapBrokers', parse: parseString }],
  ['metadata.broker.list', { option: 'bootstrapBrokers', parse: parseString }],
  ['client.id', { option: 'clientId', parse: parseString }],
  ['acks', { option: 'acks', parse: parseAcks }],
  ['request.required.acks', { option: 'acks', parse: parseAcks }],
  ['enable.idempotence', { option: 'idempotent', parse: parseBoolean }],
  ['compression.type', { option: 'compression', parse: parseCompression }],
  ['compression.codec', { option: 'compression', parse: parseCompression }],
  ['linger.ms', integerMapping('lingerMs')],
  ['queue.buffering.max.ms', integerMapping('lingerMs')],
  ['batch.size', integerMapping('batchBytes')],
  ['buffer.memory', integerMapping('bufferBytes')],
  ['max.block.ms', integerMapping('maxBlockMs')],
  ['max.in.flight.requests.per.connection', integerMapping('maxInFlight')],
  ['max.in.flight', integerMapping('maxInFlight')],
  ['request.timeout.ms', integerMapping('requestTimeoutMs')],
  ['delivery.timeout.ms', integerMapping('deliveryTimeoutMs')],
  ['message.timeout.ms', integerMapping('deliveryTimeoutMs')],
  ['retries', integerMapping('retries')],
  ['message.send.max.retries', integerMapping('retries')],
  ['retry.backoff.ms', integerMapping('retryBackoffMs')],
  ['retry.backoff.max.ms', integerMapping('retryBackoffMaxMs')],
  ['metadata.max.age.ms', integerMapping('metadataMaxAgeMs')],
  ['max.request.size', integerMapping('maxRequestBytes')],
  ['socket.connection.setup.timeout.ms', integerMapping('connectTimeoutMs')],
  ['transactional.id', { option: 'transactionalId', parse: parseString }],
  ['transaction.timeout.ms', integerMapping('transactionTimeoutMs')],
])

/**
 * Producer options from standard Kafka producer properties, with the Java client's names
 * (`bootstrap.servers`, `linger.ms`, ...) or librdkafka's (`metadata.broker.list`,
 * `queue.buffering.max.ms`, ...), so existing configuration carries over. Numbers may be given as
 * strictly decimal strings. Unknown names are rejected by name, with a suggestion for likely typos.
 */
export function optionsFromProperties(properties: Record<string, PropertyValue>): ProducerOptions {
  if (typeof properties !== 'object' || properties === null) {
    throw new ConfigError('properties', 'an object of Kafka producer properties', { received: properties })
  }
  const names = Object.keys(properties)
  const unknown = names.filter((name) => !PROPERTIES.has(name) && !SECURITY_PROPERTIES.has(name))
  if (unknown.length > 0) {
    const described = unknown.map((name) => {
      const suggestion = closestProperty(name)
      return suggestion === undefined ? `'${name}'` : `'${name}' (did you mean '${suggestion}'?)`
    })
    throw new ConfigError(
      unknown,
      `the supported producer properties: ${[...PROPERTIES.keys(), ...SECURITY_PROPERTIES].join(', ')}`,
      {
        reason: `unknown producer propert${unknown.length === 1 ? 'y' : 'ies'} ${described.join(', ')}`,
      },
    )
  }

  const options: Record<string, unknown> = {}
  const setBy = new Map<string, string>()
  for (const name of names) {
    if (SECURITY_PROPERTIES.has(name)) continue // below: several make one option
    const mapping = PROPERTIES.get(name) as PropertyMapping
    const raw = properties[name] as unknown
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      throw new ConfigError(name, 'a string, a number or a boolean', { received: raw })
    }
    const value = mapping.parse(name, raw)
    const earlier = setBy.get(mapping.option)
    if (earlier !== undefined && options[mapping.option] !== value) {
      throw new ConfigError([earlier, name], 'only one of them, or both with the same value', {
        reason: `both set the ${mapping.option} option, to different values`,
      })
    }
    setBy.set(mapping.option, name)
    options[mapping.option] = value
  }
  Object.assign(options, securityFromProperties(properties))
  if (options.bootstrapBrokers === undefined) {
    throw new ConfigError('bootstrap.servers', 'a comma-separated list of host:port entries', {
      reason: 'it is required (or metadata.broker.list)',
    })
  }
  return options as unknown as ProducerOptions
}

/** Every option `ProducerOptions` has: JavaScript callers get no compile-time check of the names. */
const OPTION_NAMES: readonly string[] = [
  'clientId',
  'bootstrapBrokers',
  'serializers',
  'acks',
  'idempotent',
  'compression',
  'lingerMs',
  'batchBytes',
  'bufferBytes',
  'maxWaitingBytes',
  'maxBlockMs',
  'maxInFlight',
  'requestTimeoutMs',
  'deliveryTimeoutMs',
  'retries',
  'retryBackoffMs',
  'retryBackoffMaxMs',
  'metadataMaxAgeMs',
  'maxRequestBytes',
  'connectTimeoutMs',
  'transactionalId',
  'transactionTimeoutMs',
  'partitioner',
  'logger',
  'sasl',
  'tls',
]

/**
 * Refuses option names the producer does not know, as `fromProperties` does for properties, with
 * the closest known name when it looks like a typo (`lingerMS` → `lingerMs`): a misspelt option
 * would otherwise be ignored without a word.
 */
function rejectUnknownOptions(options: Record<string, unknown>): void {
  const unknown = Object.keys(options).filter((name) => !OPTION_NAMES.includes(name))
  if (unknown.length === 0) return
  const described = unknown.map((name) => {
    const suggestion = closestName(name, OPTION_NAMES)
    return suggestion === undefined ? `'${name}'` : `'${name}' (did you mean '${suggestion}'?)`
  })
  throw new ConfigError(unknown, `the producer options: ${OPTION_NAMES.join(', ')}`, {
    reason: `unknown producer option${unknown.length === 1 ? '' : 's'} ${described.join(', ')}`,
  })
}

/** The known name closest to a misspelt one (case and separators aside), when it is an obvious typo. */
function closestName(name: string, known: readonly string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[\s._-]+/g, '')
  const wanted = plain(name)
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const distance = editDistance(wanted, plain(candidate))
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= Math.max(2, Math.floor(wanted.length / 8)) ? best : undefined
}

/** The known property closest to a misspelt one, when it is an obvious typo. */
function closestProperty(name: string): string | undefined {
  const normalized = name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '.')
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const known of [...PROPERTIES.keys(), ...SECURITY_PROPERTIES]) {
    const distance = editDistance(normalized, known)
    if (distance < bestDistance) {
      best = known
      bestDistance = distance
    }
  }
  return bestDistance <= Math.max(2, Math.floor(normalized.length / 8)) ? best : undefined
}

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution)
    }
    previous = current
  }
  return previous[b.length] as number
}
