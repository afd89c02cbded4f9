// Kafka's topic and broker configuration keys as a Kafka 4 broker defines them: names, types,
// defaults and validators from LogConfig (topic configs), KafkaConfig/ServerLogConfigs (the broker
// configs the mock models), the topic-to-broker synonyms of ServerTopicConfigSynonyms and
// DynamicBrokerConfig.brokerConfigSynonyms, and ConfigDef's parsing and error messages.

/** ConfigDef.Type. */
export type ConfigType = 'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST'

/** DescribeConfigsResponse.ConfigType ids. */
export const CONFIG_TYPE_IDS: Readonly<Record<ConfigType, number>> = {
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
}

/** DescribeConfigsResponse.ConfigSource ids. */
export const ConfigSource = {
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const

/** A parsed config value, as ConfigDef.parseType returns it. */
export type ConfigValue = boolean | string | bigint | number | string[]

/** Kafka's ConfigException (INVALID_CONFIG for topics): the message is Kafka's. */
export class ConfigError extends Error {
  constructor(name: string, value: unknown, message?: string) {
    super(`Invalid value ${javaString(value)} for configuration ${name}${message === undefined ? '' : `: ${message}`}`)
    this.name = 'ConfigError'
  }
}

/** Kafka's InvalidConfigurationException: a message without the "Invalid value" prefix. */
export class InvalidConfigurationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidConfigurationError'
  }
}

/** A config key: its type, default (null when it has none) and validator. */
export interface ConfigKey {
  readonly name: string
  readonly type: ConfigType
  readonly default: string | null
  readonly validate?: (name: string, value: ConfigValue) => void
}

/** A broker config that gives a topic config its default, with the factor from its unit to the topic's. */
export interface ConfigSynonym {
  readonly name: string
  readonly factor?: bigint
}

/** A topic config key with its broker synonyms, highest priority first (ServerTopicConfigSynonyms). */
export interface TopicConfigKey extends ConfigKey {
  readonly synonyms: readonly ConfigSynonym[]
}

/** A broker config key; `dynamic` when DynamicBrokerConfig can update it (per broker or cluster-wide). */
export interface BrokerConfigKey extends ConfigKey {
  readonly dynamic: boolean
}

const LONG_MAX = '9223372036854775807'
const HOUR_MS = 3_600_000n
const MINUTE_MS = 60_000n

function atLeast(min: number | bigint) {
  return (name: string, value: ConfigValue) => {
    if (compare(value, min) < 0) throw new ConfigError(name, value, `Value must be at least ${min}`)
  }
}

function between(min: number | bigint, max: number | bigint) {
  return (name: string, value: ConfigValue) => {
    if (compare(value, min) < 0) throw new ConfigError(name, value, `Value must be at least ${min}`)
    if (compare(value, max) > 0) throw new ConfigError(name, value, `Value must be no more than ${max}`)
  }
}

/** Range.between for a DOUBLE key, printing the value as Java prints a double. */
function doubleBetween(min: number, max: number) {
  return (name: string, value: ConfigValue) => {
    const v = value as number
    if (v < min) throw new ConfigError(name, javaDouble(v), `Value must be at least ${min}`)
    if (v > max) throw new ConfigError(name, javaDouble(v), `Value must be no more than ${max}`)
  }
}

function oneOf(...valid: string[]) {
  return (name: string, value: ConfigValue) => {
    const values = Array.isArray(value) ? value : [value as string]
    for (const v of values) {
      if (!valid.includes(v)) throw new ConfigError(name, v, `String must be one of: ${valid.join(', ')}`)
    }
  }
}

function gzipLevel(name: string, value: ConfigValue): void {
  const level = Number(value)
  if (level > 9 || (level < 1 && level !== -1)) {
    throw new ConfigError(name, value, 'Value must be between 1 and 9 or equal to -1')
  }
}

function throttledReplicas(name: string, value: ConfigValue): void {
  const proposed = (value as string[]).map((s) => s.trim())
  if (!(proposed.every((s) => /^([0-9]+:[0-9]+)?$/.test(s)) || proposed.join('') === '*')) {
    throw new ConfigError(
      name,
      value,
      `${name} must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...`,
    )
  }
}

/** The metadata versions MetadataVersion.fromVersionString knows (release and release-IVn). */
const METADATA_VERSIONS = new Set(
  [
    '0.8.0',
    '0.8.1',
    '0.8.2',
    '0.9.0',
    '0.10.0-IV0',
    '0.10.0-IV1',
    '0.10.1-IV0',
    '0.10.1-IV1',
    '0.10.1-IV2',
    '0.10.2-IV0',
    '0.11.0-IV0',
    '0.11.0-IV1',
    '0.11.0-IV2',
    '1.0-IV0',
    '1.1-IV0',
    '2.0-IV0',
    '2.0-IV1',
    '2.1-IV0',
    '2.1-IV1',
    '2.1-IV2',
    '2.2-IV0',
    '2.2-IV1',
    '2.3-IV0',
    '2.3-IV1',
    '2.4-IV0',
    '2.4-IV1',
    '2.5-IV0',
    '2.6-IV0',
    '2.7-IV0',
    '2.7-IV1',
    '2.7-IV2',
    '2.8-IV0',
    '2.8-IV1',
    '3.0-IV0',
    '3.0-IV1',
    '3.1-IV0',
    '3.2-IV0',
    '3.3-IV0',
    '3.3-IV1',
    '3.3-IV2',
    '3.3-IV3',
    '3.4-IV0',
    '3.5-IV0',
    '3.5-IV1',
    '3.5-IV2',
    '3.6-IV0',
    '3.6-IV1',
    '3.6-IV2',
    '3.7-IV0',
    '3.7-IV1',
    '3.7-IV2',
    '3.7-IV3',
    '3.7-IV4',
    '3.8-IV0',
    '3.9-IV0',
    '4.0-IV0',
    '4.0-IV1',
    '4.0-IV2',
    '4.0-IV3',
  ].flatMap((v) => [v, v.split('-')[0] as string]),
)

function metadataVersion(name: string, value: ConfigValue): void {
  const text = String(value)
  const segments = text.split('.')
  const count = text.startsWith('0.') ? 3 : 2
  const key = count >= segments.length ? text : segments.slice(0, count).join('.')
  if (!METADATA_VERSIONS.has(key)) throw new ConfigError(name, text, `Version ${text} is not a valid version`)
}

const COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer']
const TIMESTAMP_TYPES = ['CreateTime', 'LogAppendTime']
const CLEANUP_POLICIES = ['compact', 'delete']

const logPrefix = (name: string): ConfigSynonym[] => [{ name: `log.${name}` }]
const cleanerPrefix = (name: string): ConfigSynonym[] => [{ name: `log.cleaner.${name}` }]
const same = (name: string): ConfigSynonym[] => [{ name }]

/** LogConfig's topic configs, in the order Kafka defines them. */
export const TOPIC_CONFIG_KEYS: readonly TopicConfigKey[] = [
  {
    name: 'segment.bytes',
    type: 'INT',
    default: '1073741824',
    validate: atLeast(14),
    synonyms: logPrefix('segment.bytes'),
  },
  {
    name: 'segment.ms',
    type: 'LONG',
    default: '604800000',
    validate: atLeast(1),
    synonyms: [{ name: 'log.roll.ms' }, { name: 'log.roll.hours', factor: HOUR_MS }],
  },
  {
    name: 'segment.jitter.ms',
    type: 'LONG',
    default: '0',
    validate: atLeast(0),
    synonyms: [{ name: 'log.roll.jitter.ms' }, { name: 'log.roll.jitter.hours', factor: HOUR_MS }],
  },
  {
    name: 'segment.index.bytes',
    type: 'INT',
    default: '10485760',
    validate: atLeast(4),
    synonyms: logPrefix('index.size.max.bytes'),
  },
  {
    name: 'flush.messages',
    type: 'LONG',
    default: LONG_MAX,
    validate: atLeast(1),
    synonyms: logPrefix('flush.interval.messages'),
  },
  {
    name: 'flush.ms',
    type: 'LONG',
    default: LONG_MAX,
    validate: atLeast(0),
    synonyms: [{ name: 'log.flush.interval.ms' }, { name: 'log.flush.scheduler.interval.ms' }],
  },
  { name: 'retention.bytes', type: 'LONG', default: '-1', synonyms: logPrefix('retention.bytes') },
  {
    name: 'retention.ms',
    type: 'LONG',
    default: '604800000',
    validate: atLeast(-1),
    synonyms: [
      { name: 'log.retention.ms' },
      { name: 'log.retention.minutes', factor: MINUTE_MS },
      { name: 'log.retention.hours', factor: HOUR_MS },
    ],
  },
  {
    name: 'max.message.bytes',
    type: 'INT',
    default: '1048588',
    validate: atLeast(0),
    synonyms: same('message.max.bytes'),
  },
  {
    name: 'index.interval.bytes',
    type: 'INT',
    default: '4096',
    validate: atLeast(0),
    synonyms: logPrefix('index.interval.bytes'),
  },
  {
    name: 'delete.retention.ms',
    type: 'LONG',
    default: '86400000',
    validate: atLeast(0),
    synonyms: cleanerPrefix('delete.retention.ms'),
  },
  {
    name: 'min.compaction.lag.ms',
    type: 'LONG',
    default: '0',
    validate: atLeast(0),
    synonyms: cleanerPrefix('min.compaction.lag.ms'),
  },
  {
    name: 'max.compaction.lag.ms',
    type: 'LONG',
    default: LONG_MAX,
    validate: atLeast(1),
    synonyms: cleanerPrefix('max.compaction.lag.ms'),
  },
  {
    name: 'file.delete.delay.ms',
    type: 'LONG',
    default: '60000',
    validate: atLeast(0),
    synonyms: logPrefix('segment.delete.delay.ms'),
  },
  {
    name: 'min.cleanable.dirty.ratio',
    type: 'DOUBLE',
    default: '0.5',
    validate: doubleBetween(0, 1),
    synonyms: cleanerPrefix('min.cleanable.ratio'),
  },
  {
    name: 'cleanup.policy',
    type: 'LIST',
    default: 'delete',
    validate: oneOf(...CLEANUP_POLICIES),
    synonyms: logPrefix('cleanup.policy'),
  },
  {
    name: 'unclean.leader.election.enable',
    type: 'BOOLEAN',
    default: 'false',
    synonyms: same('unclean.leader.election.enable'),
  },
  {
    name: 'min.insync.replicas',
    type: 'INT',
    default: '1',
    validate: atLeast(1),
    synonyms: same('min.insync.replicas'),
  },
  {
    name: 'compression.type',
    type: 'STRING',
    default: 'producer',
    validate: oneOf(...COMPRESSION_TYPES),
    synonyms: same('compression.type'),
  },
  {
    name: 'compression.gzip.level',
    type: 'INT',
    default: '-1',
    validate: gzipLevel,
    synonyms: same('compression.gzip.level'),
  },
  {
    name: 'compression.lz4.level',
    type: 'INT',
    default: '9',
    validate: between(1, 17),
    synonyms: same('compression.lz4.level'),
  },
  {
    name: 'compression.zstd.level',
    type: 'INT',
    default: '3',
    validate: between(-131072, 22),
    synonyms: same('compression.zstd.level'),
  },
  { name: 'preallocate', type: 'BOOLEAN', default: 'false', synonyms: logPrefix('preallocate') },
  {
    name: 'message.format.version',
    type: 'STRING',
    default: '3.0-IV1',
    validate: metadataVersion,
    synonyms: logPrefix('message.format.version'),
  },
  {
    name: 'message.timestamp.type',
    type: 'STRING',
    default: 'CreateTime',
    validate: oneOf(...TIMESTAMP_TYPES),
    synonyms: logPrefix('message.timestamp.type'),
  },
  {
    name: 'message.timestamp.difference.max.ms',
    type: 'LONG',
    default: LONG_MAX,
    validate: atLeast(0),
    synonyms: logPrefix('message.timestamp.difference.max.ms'),
  },
  {
    name: 'message.timestamp.before.max.ms',
    type: 'LONG',
    default: LONG_MAX,
    validate: atLeast(0),
    synonyms: logPrefix('message.timestamp.before.max.ms'),
  },
  {
    name: 'message.timestamp.after.max.ms',
    type: 'LONG',
    default: LONG_MAX,
    validate: atLeast(0),
    synonyms: logPrefix('message.timestamp.after.max.ms'),
  },
  {
    name: 'leader.replication.throttled.replicas',
    type: 'LIST',
    default: '',
    validate: throttledReplicas,
    synonyms: [],
  },
  {
    name: 'follower.replication.throttled.replicas',
    type: 'LIST',
    default: '',
    validate: throttledReplicas,
    synonyms: [],
  },
  {
    name: 'message.downconversion.enable',
    type: 'BOOLEAN',
    default: 'true',
    synonyms: logPrefix('message.downconversion.enable'),
  },
  { name: 'remote.storage.enable', type: 'BOOLEAN', default: 'false', synonyms: [] },
  {
    name: 'local.retention.ms',
    type: 'LONG',
    default: '-2',
    validate: atLeast(-2),
    synonyms: logPrefix('local.retention.ms'),
  },
  {
    name: 'local.retention.bytes',
    type: 'LONG',
    default: '-2',
    validate: atLeast(-2),
    synonyms: logPrefix('local.retention.bytes'),
  },
  { name: 'remote.log.copy.disable', type: 'BOOLEAN', default: 'false', synonyms: [] },
  { name: 'remote.log.delete.on.disable', type: 'BOOLEAN', default: 'false', synonyms: [] },
]

/** Topic config keys by name. */
export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigKey> = new Map(TOPIC_CONFIG_KEYS.map((k) => [k.name, k]))

const broker = (
  name: string,
  type: ConfigType,
  defaultValue: string | null,
  dynamic: boolean,
  validate?: (name: string, value: ConfigValue) => void,
): BrokerConfigKey =>
  validate === undefined
    ? { name, type, default: defaultValue, dynamic }
    : { name, type, default: defaultValue, dynamic, validate }

/**
 * The broker configs the mock models (a subset of KafkaConfig's): every broker synonym of a topic
 * config (dynamic, as DynamicLogConfig makes them, but for log.message.format.version), and the
 * broker settings applications commonly read.
 */
export const BROKER_CONFIG_KEYS: readonly BrokerConfigKey[] = [
  broker('auto.create.topics.enable', 'BOOLEAN', 'true', false),
  broker('background.threads', 'INT', '10', true, atLeast(1)),
  broker('broker.id', 'INT', '-1', false),
  broker('compression.gzip.level', 'INT', '-1', true, gzipLevel),
  broker('compression.lz4.level', 'INT', '9', true, between(1, 17)),
  broker('compression.type', 'STRING', 'producer', true, oneOf(...COMPRESSION_TYPES)),
  broker('compression.zstd.level', 'INT', '3', true, between(-131072, 22)),
  broker('default.replication.factor', 'INT', '1', false),
  broker('delete.topic.enable', 'BOOLEAN', 'true', false),
  broker('fetch.max.bytes', 'INT', '57671680', false, atLeast(1024)),
  broker('log.cleaner.delete.retention.ms', 'LONG', '86400000', true, atLeast(0)),
  broker('log.cleaner.max.compaction.lag.ms', 'LONG', LONG_MAX, true, atLeast(1)),
  broker('log.cleaner.min.cleanable.ratio', 'DOUBLE', '0.5', true, doubleBetween(0, 1)),
  broker('log.cleaner.min.compaction.lag.ms', 'LONG', '0', true, atLeast(0)),
  broker('log.cleaner.threads', 'INT', '1', true, atLeast(0)),
  broker('log.cleanup.policy', 'LIST', 'delete', true, oneOf(...CLEANUP_POLICIES)),
  broker('log.dir', 'STRING', '/tmp/kafka-logs', false),
  broker('log.flush.interval.messages', 'LONG', LONG_MAX, true, atLeast(1)),
  broker('log.flush.interval.ms', 'LONG', null, true),
  broker('log.flush.scheduler.interval.ms', 'LONG', LONG_MAX, true),
  broker('log.index.interval.bytes', 'INT', '4096', true, atLeast(0)),
  broker('log.index.size.max.bytes', 'INT', '10485760', true, atLeast(4)),
  broker('log.local.retention.bytes', 'LONG', '-2', true, atLeast(-2)),
  broker('log.local.retention.ms', 'LONG', '-2', true, atLeast(-2)),
  broker('log.message.downconversion.enable', 'BOOLEAN', 'true', true),
  broker('log.message.format.version', 'STRING', '3.0-IV1', false, metadataVersion),
  broker('log.message.timestamp.after.max.ms', 'LONG', LONG_MAX, true, atLeast(0)),
  broker('log.message.timestamp.before.max.ms', 'LONG', LONG_MAX, true, atLeast(0)),
  broker('log.message.timestamp.difference.max.ms', 'LONG', LONG_MAX, true, atLeast(0)),
  broker('log.message.timestamp.type', 'STRING', 'CreateTime', true, oneOf(...TIMESTAMP_TYPES)),
  broker('log.preallocate', 'BOOLEAN', 'false', true),
  broker('log.retention.bytes', 'LONG', '-1', true),
  broker('log.retention.check.interval.ms', 'LONG', '300000', false, atLeast(1)),
  broker('log.retention.hours', 'INT', '168', true),
  broker('log.retention.minutes', 'INT', null, true),
  broker('log.retention.ms', 'LONG', null, true),
  broker('log.roll.hours', 'INT', '168', true, atLeast(1)),
  broker('log.roll.jitter.hours', 'INT', '0', true, atLeast(0)),
  broker('log.roll.jitter.ms', 'LONG', null, true),
  broker('log.roll.ms', 'LONG', null, true),
  broker('log.segment.bytes', 'INT', '1073741824', true, atLeast(14)),
  broker('log.segment.delete.delay.ms', 'LONG', '60000', true, atLeast(0)),
  broker('max.incremental.fetch.session.cache.slots', 'INT', '1000', false, atLeast(0)),
  broker('message.max.bytes', 'INT', '1048588', true, atLeast(0)),
  broker('min.insync.replicas', 'INT', '1', true, atLeast(1)),
  broker('node.id', 'INT', '-1', false),
  broker('num.io.threads', 'INT', '8', true, atLeast(1)),
  broker('num.network.threads', 'INT', '3', true, atLeast(1)),
  broker('num.partitions', 'INT', '1', false, atLeast(1)),
  broker('num.recovery.threads.per.data.dir', 'INT', '1', true, atLeast(1)),
  broker('num.replica.fetchers', 'INT', '1', true),
  broker('offsets.topic.num.partitions', 'INT', '50', false, atLeast(1)),
  broker('offsets.topic.replication.factor', 'SHORT', '3', false, atLeast(1)),
  broker('socket.request.max.bytes', 'INT', '104857600', false, atLeast(1)),
  broker('transaction.max.timeout.ms', 'INT', '900000', false, atLeast(1)),
  broker('transaction.state.log.min.isr', 'INT', '2', false, atLeast(1)),
  broker('transaction.state.log.replication.factor', 'SHORT', '3', false, atLeast(1)),
  broker('unclean.leader.election.enable', 'BOOLEAN', 'false', true),
]

/** Broker config keys by name. */
export const BROKER_CONFIGS: ReadonlyMap<string, BrokerConfigKey> = new Map(BROKER_CONFIG_KEYS.map((k) => [k.name, k]))

/**
 * The broker configs that are names for the same setting (DynamicBrokerConfig.brokerConfigSynonyms):
 * log.roll.ms/hours, log.roll.jitter.ms/hours, log.flush.interval.ms/scheduler.interval.ms and
 * log.retention.ms/minutes/hours; any other config is its own only synonym.
 */
export function brokerConfigSynonyms(name: string): string[] {
  switch (name) {
    case 'log.roll.ms':
    case 'log.roll.hours':
      return ['log.roll.ms', 'log.roll.hours']
    case 'log.roll.jitter.ms':
    case 'log.roll.jitter.hours':
      return ['log.roll.jitter.ms', 'log.roll.jitter.hours']
    case 'log.flush.interval.ms':
      return ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms']
    case 'log.retention.ms':
    case 'log.retention.minutes':
    case 'log.retention.hours':
      return ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours']
    default:
      return [name]
  }
}

const INTEGER = /^[+-]?\d+$/
// Java's Double.parseDouble: decimal or exponent notation, NaN, Infinity, an optional f/d suffix.
const DOUBLE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/

const RANGES: Partial<Record<ConfigType, readonly [bigint, bigint]>> = {
  SHORT: [-(2n ** 15n), 2n ** 15n - 1n],
  INT: [-(2n ** 31n), 2n ** 31n - 1n],
  LONG: [-(2n ** 63n), 2n ** 63n - 1n],
}

/**
 * Parses a value as ConfigDef.parseType does (trimmed; integers in range; booleans case-insensitive;
 * lists split on commas with surrounding whitespace), then applies the key's validator. Throws a
 * ConfigError with Kafka's message.
 */
export function parseConfigValue(key: ConfigKey, raw: string): ConfigValue {
  const trimmed = raw.trim()
  let value: ConfigValue
  switch (key.type) {
    case 'BOOLEAN':
      if (trimmed.toLowerCase() === 'true') value = true
      else if (trimmed.toLowerCase() === 'false') value = false
      else throw new ConfigError(key.name, raw, 'Expected value to be either true or false')
      break
    case 'STRING':
      value = trimmed
      break
    case 'SHORT':
    case 'INT':
    case 'LONG': {
      const range = RANGES[key.type] as readonly [bigint, bigint]
      const n = INTEGER.test(trimmed) ? BigInt(trimmed) : undefined
      if (n === undefined || n < range[0] || n > range[1]) {
        throw new ConfigError(key.name, raw, `Not a number of type ${key.type}`)
      }
      value = key.type === 'LONG' ? n : Number(n)
      break
    }
    case 'DOUBLE':
      if (!DOUBLE.test(trimmed)) throw new ConfigError(key.name, raw, 'Not a number of type DOUBLE')
      value = Number(trimmed.replace(/[fFdD]$/, ''))
      break
    case 'LIST':
      value = trimmed === '' ? [] : trimmed.split(/\s*,\s*/)
      break
  }
  key.validate?.(key.name, value)
  return value
}

/** A parsed value as Kafka prints it (ConfigDef.convertToString): lists joined with ',', doubles as Java does. */
export function formatConfigValue(key: ConfigKey, value: ConfigValue): string {
  if (key.type === 'DOUBLE') return javaDouble(value as number)
  return javaString(value, ',')
}

/** A raw value normalized as Kafka prints it once parsed; the raw value when it does not parse. */
export function normalizeConfigValue(key: ConfigKey, raw: string): string {
  try {
    return formatConfigValue(key, parseConfigValue(key, raw))
  } catch {
    return raw
  }
}

function javaString(value: unknown, listSeparator = ', '): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => javaString(v))
    return listSeparator === ',' ? items.join(',') : `[${items.join(listSeparator)}]`
  }
  return String(value)
}

/** Java's Double.toString. */
function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'
  const abs = Math.abs(value)
  if (abs === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  if (abs >= 1e-3 && abs < 1e7) return Number.isInteger(value) ? `${value}.0` : String(value)
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string]
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`
}

/** Compares a parsed number to a bound. */
function compare(value: ConfigValue, bound: number | bigint): number {
  if (typeof value === 'bigint') {
    const b = typeof bound === 'bigint' ? bound : BigInt(bound)
    return value < b ? -1 : value > b ? 1 : 0
  }
  const v = Number(value)
  const b = Number(bound)
  return v < b ? -1 : v > b ? 1 : 0
}
