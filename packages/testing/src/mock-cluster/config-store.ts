import type { DescribeConfigsResponseDescribeConfigsResourceResult } from '@tributary/core/protocol'
import {
  BROKER_CONFIGS,
  type BrokerConfigKey,
  brokerConfigSynonyms,
  CONFIG_TYPE_IDS,
  type ConfigKey,
  ConfigSource,
  type ConfigValue,
  InvalidConfigurationError,
  normalizeConfigValue,
  parseConfigValue,
  TOPIC_CONFIG_KEYS,
  TOPIC_CONFIGS,
  type TopicConfigKey,
} from './config-schema.js'

// The configuration a Kafka cluster keeps: static broker configs (what the mock was started with,
// as server.properties), dynamic broker configs per broker and cluster-wide (KIP-226), and topic
// overrides. Effective values resolve as Kafka's KafkaConfigSchema.resolveEffectiveTopicConfig
// does; DescribeConfigs entries (sources, synonyms) are built as Kafka's ConfigHelper builds them.

/** A resolved config value and where it came from (a DescribeConfigsResponse.ConfigSource id). */
export interface ConfigEntry {
  name: string
  value: string | null
  source: number
}

/** A synonym of a DescribeConfigs entry. */
export interface ConfigSynonymEntry {
  name: string
  value: string | null
  source: number
}

/** What a topic's configuration says about appending to it (LogConfig's fields the log uses). */
export interface TopicLogRules {
  maxMessageBytes: number
  logAppendTime: boolean
  compact: boolean
  delete: boolean
  timestampBeforeMaxMs: bigint
  timestampAfterMaxMs: bigint
}

/** The mock's startup settings that Kafka would read from server.properties. */
export interface StaticBrokerSettings {
  maxMessageBytes: number
  defaultPartitions: number
  autoCreateTopics: boolean
  defaultReplicationFactor: number
  fetchSessionCacheSlots: number
}

const LONG_MAX = 2n ** 63n - 1n

/** Configs of a cluster: static and dynamic broker configs, and topic overrides. */
export class ConfigStore {
  private readonly staticConfigs = new Map<string, string>()
  private readonly clusterDefaults = new Map<string, string>()
  private readonly perBroker = new Map<number, Map<string, string>>()
  /** Topic overrides as set (raw strings), by topic object: a recreated topic starts without any. */
  private readonly topics = new WeakMap<object, Map<string, string>>()
  private readonly statics = new Map<number, Map<string, string>>()
  /** Bumped by every change, so that the log rules cached per topic (Produce's hot path) are redone. */
  private version = 0
  private readonly rules = new WeakMap<object, { version: number; brokerId: number; rules: TopicLogRules }>()

  constructor(settings: StaticBrokerSettings) {
    const statics: Array<[string, string, string]> = [
      ['message.max.bytes', String(settings.maxMessageBytes), '1048588'],
      ['num.partitions', String(settings.defaultPartitions), '1'],
      ['auto.create.topics.enable', String(settings.autoCreateTopics), 'true'],
      ['default.replication.factor', String(settings.defaultReplicationFactor), '1'],
      ['max.incremental.fetch.session.cache.slots', String(settings.fetchSessionCacheSlots), '1000'],
    ]
    // Only what differs from Kafka's defaults is "in server.properties" (STATIC_BROKER_CONFIG).
    for (const [name, value, kafkaDefault] of statics) if (value !== kafkaDefault) this.staticConfigs.set(name, value)
  }

  // ---- broker configs ----

  /** Static configs of one broker: the cluster's, plus its node id. */
  private staticFor(brokerId: number): Map<string, string> {
    let configs = this.statics.get(brokerId)
    if (configs === undefined) {
      configs = new Map(this.staticConfigs)
      configs.set('node.id', String(brokerId))
      configs.set('broker.id', String(brokerId))
      this.statics.set(brokerId, configs)
    }
    return configs
  }

  /** Dynamic configs of one broker (KIP-226 per-broker), or cluster-wide ones for undefined. */
  dynamicBrokerConfigs(brokerId: number | undefined): ReadonlyMap<string, string> {
    return brokerId === undefined ? this.clusterDefaults : (this.perBroker.get(brokerId) ?? new Map())
  }

  /** Replaces the dynamic configs of one broker, or the cluster-wide ones for undefined. */
  setDynamicBrokerConfigs(brokerId: number | undefined, configs: ReadonlyMap<string, string>): void {
    const target = brokerId === undefined ? this.clusterDefaults : this.brokerMap(brokerId)
    this.version++
    target.clear()
    for (const [name, value] of configs) target.set(name, value)
  }

  private brokerMap(brokerId: number): Map<string, string> {
    let map = this.perBroker.get(brokerId)
    if (map === undefined) {
      map = new Map()
      this.perBroker.set(brokerId, map)
    }
    return map
  }

  /** The levels a broker config is looked up in, highest priority first, with their sources. */
  private brokerLevels(brokerId: number): Array<[ReadonlyMap<string, string>, number]> {
    return [
      [this.perBroker.get(brokerId) ?? new Map(), ConfigSource.DYNAMIC_BROKER_CONFIG],
      [this.clusterDefaults, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG],
      [this.staticFor(brokerId), ConfigSource.STATIC_BROKER_CONFIG],
      [STATIC_DEFAULTS, ConfigSource.DEFAULT_CONFIG],
    ]
  }

  /**
   * ConfigHelper.configSynonyms: every level's value of each synonym, dynamic per-broker first,
   * then cluster-wide, static and default, dropping those before the first entry named `name`.
   */
  private configSynonyms(brokerId: number, name: string, synonyms: readonly string[]): ConfigSynonymEntry[] {
    const all: ConfigSynonymEntry[] = []
    for (const [level, source] of this.brokerLevels(brokerId)) {
      for (const synonym of synonyms) {
        const value = level.get(synonym)
        if (value !== undefined) all.push({ name: synonym, value, source })
      }
    }
    const first = all.findIndex((s) => s.name === name)
    return first < 0 ? [] : all.slice(first)
  }

  /** A broker config's current value on one broker (per-broker, cluster-wide, static, then default). */
  brokerValue(brokerId: number, name: string): string | null {
    for (const [level] of this.brokerLevels(brokerId)) {
      const value = level.get(name)
      if (value !== undefined) return value
    }
    return null
  }

  /** DescribeConfigs for a BROKER resource named after this broker: every broker config it knows. */
  describeBroker(
    brokerId: number,
    keys: readonly string[] | null,
    includeSynonyms: boolean,
  ): DescribeConfigsResponseDescribeConfigsResourceResult[] {
    const names = new Set<string>(BROKER_CONFIGS.keys())
    for (const [level] of this.brokerLevels(brokerId)) for (const name of level.keys()) names.add(name)
    return [...names]
      .filter((name) => wanted(keys, name))
      .sort()
      .map((name) => {
        const key = BROKER_CONFIGS.get(name)
        const raw = this.brokerValue(brokerId, name)
        const synonyms = this.configSynonyms(brokerId, name, brokerConfigSynonyms(name))
        return describeEntry(name, displayValue(key, raw), synonyms, includeSynonyms, key, !(key?.dynamic ?? true))
      })
  }

  /** DescribeConfigs for the BROKER resource named '': the cluster-wide dynamic configs. */
  describeClusterDefaults(
    brokerId: number,
    keys: readonly string[] | null,
    includeSynonyms: boolean,
  ): DescribeConfigsResponseDescribeConfigsResourceResult[] {
    return [...this.clusterDefaults.entries()]
      .filter(([name]) => wanted(keys, name))
      .map(([name, raw]) => {
        const key = BROKER_CONFIGS.get(name)
        const synonyms = this.configSynonyms(brokerId, name, brokerConfigSynonyms(name)).filter(
          (s) => s.source === ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
        )
        return describeEntry(name, displayValue(key, raw), synonyms, includeSynonyms, key, !(key?.dynamic ?? true))
      })
  }

  /**
   * Validates dynamic broker config changes as DynamicBrokerConfig.validateConfigs does: a config
   * that cannot be updated dynamically, or a value that does not parse. Unknown names are kept, as
   * Kafka keeps them. Returns Kafka's message, or undefined when valid.
   */
  brokerConfigProblem(props: ReadonlyMap<string, string>): string | undefined {
    const nonDynamic = [...props.keys()].filter((name) => BROKER_CONFIGS.get(name)?.dynamic === false)
    if (nonDynamic.length > 0) return `Cannot update these configs dynamically: Set(${nonDynamic.join(', ')})`
    for (const [name, value] of props) {
      const key = BROKER_CONFIGS.get(name)
      if (key === undefined) continue
      try {
        parseConfigValue(key, value)
      } catch (error) {
        return (error as Error).message
      }
    }
    return undefined
  }

  // ---- topic configs ----

  /** A topic's overrides, as set (raw values). */
  topicOverrides(topic: object): ReadonlyMap<string, string> {
    return this.topics.get(topic) ?? new Map()
  }

  /** Replaces a topic's overrides (already validated). */
  setTopicOverrides(topic: object, overrides: ReadonlyMap<string, string>): void {
    this.version++
    if (overrides.size === 0) this.topics.delete(topic)
    else this.topics.set(topic, new Map(overrides))
  }

  /**
   * The effective value of a topic config as Kafka resolves it: the topic's override, else the
   * first of its broker synonyms set per broker, cluster-wide or statically (converted to the
   * topic's unit), else the topic config's default.
   */
  topicEntry(topic: object, name: string, brokerId: number): ConfigEntry {
    const key = TOPIC_CONFIGS.get(name)
    if (key === undefined) throw new RangeError(`unknown topic config '${name}'`)
    const override = this.topicOverrides(topic).get(name)
    if (override !== undefined) return { name, value: override, source: ConfigSource.TOPIC_CONFIG }
    return this.brokerDefaultFor(key, brokerId)
  }

  private brokerDefaultFor(key: TopicConfigKey, brokerId: number): ConfigEntry {
    const levels = this.brokerLevels(brokerId).slice(0, 3)
    for (const [level, source] of levels) {
      for (const synonym of key.synonyms) {
        const value = level.get(synonym.name)
        if (value === undefined) continue
        const converted =
          synonym.factor === undefined ? value : String(BigInt(Number.parseInt(value.trim(), 10)) * synonym.factor)
        return { name: key.name, value: converted, source }
      }
    }
    return { name: key.name, value: key.default, source: ConfigSource.DEFAULT_CONFIG }
  }

  /** A topic config's effective value, parsed. */
  topicValue(topic: object, name: string, brokerId: number): ConfigValue {
    const key = TOPIC_CONFIGS.get(name) as TopicConfigKey
    const entry = this.topicEntry(topic, name, brokerId)
    return parseConfigValue(key, entry.value ?? (key.default as string))
  }

  /**
   * Every topic config's effective value for a topic with these overrides, sorted by name, as
   * Kafka's controller computes them for a CreateTopics response (KafkaConfigSchema.resolveEffectiveTopicConfigs).
   */
  topicEntries(overrides: ReadonlyMap<string, string>, brokerId: number): ConfigEntry[] {
    return TOPIC_CONFIG_KEYS.map((key): ConfigEntry => {
      const override = overrides.get(key.name)
      return override === undefined
        ? this.brokerDefaultFor(key, brokerId)
        : { name: key.name, value: override, source: ConfigSource.TOPIC_CONFIG }
    }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** What the log of a topic led by `brokerId` checks on append (cached until a config changes). */
  topicLogRules(topic: object, brokerId: number): TopicLogRules {
    const cached = this.rules.get(topic)
    if (cached !== undefined && cached.version === this.version && cached.brokerId === brokerId) return cached.rules
    const rules = this.computeLogRules(topic, brokerId)
    this.rules.set(topic, { version: this.version, brokerId, rules })
    return rules
  }

  private computeLogRules(topic: object, brokerId: number): TopicLogRules {
    const policy = this.topicValue(topic, 'cleanup.policy', brokerId) as string[]
    const lower = policy.map((p) => p.toLowerCase())
    const difference = this.topicValue(topic, 'message.timestamp.difference.max.ms', brokerId) as bigint
    const before = this.topicValue(topic, 'message.timestamp.before.max.ms', brokerId) as bigint
    const after = this.topicValue(topic, 'message.timestamp.after.max.ms', brokerId) as bigint
    return {
      maxMessageBytes: this.topicValue(topic, 'max.message.bytes', brokerId) as number,
      logAppendTime: this.topicValue(topic, 'message.timestamp.type', brokerId) === 'LogAppendTime',
      compact: lower.includes('compact'),
      delete: lower.includes('delete'),
      // LogConfig: the deprecated difference.max.ms applies while before/after.max.ms keep their default.
      timestampBeforeMaxMs: before === LONG_MAX ? difference : before,
      timestampAfterMaxMs: after === LONG_MAX ? difference : after,
    }
  }

  /** DescribeConfigs for a TOPIC resource, as ConfigHelper.createTopicConfigEntry builds each entry. */
  describeTopic(
    topic: object,
    brokerId: number,
    keys: readonly string[] | null,
    includeSynonyms: boolean,
  ): DescribeConfigsResponseDescribeConfigsResourceResult[] {
    const overrides = this.topicOverrides(topic)
    return [...TOPIC_CONFIG_KEYS]
      .filter((key) => wanted(keys, key.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((key) => {
        const value = normalizeConfigValue(key, this.topicEntry(topic, key.name, brokerId).value ?? '')
        const brokerName = key.synonyms[0]?.name
        const synonyms =
          brokerName === undefined ? [] : this.configSynonyms(brokerId, brokerName, brokerConfigSynonyms(brokerName))
        if (overrides.has(key.name)) synonyms.unshift({ name: key.name, value, source: ConfigSource.TOPIC_CONFIG })
        return describeEntry(key.name, value, synonyms, includeSynonyms, key, false)
      })
  }
}

/** Broker config defaults (KafkaConfig.defaultValues without the null ones), by name. */
const STATIC_DEFAULTS: ReadonlyMap<string, string> = new Map(
  [...BROKER_CONFIGS.values()].flatMap(
    (k): Array<[string, string]> => (k.default === null ? [] : [[k.name, k.default]]),
  ),
)

function wanted(keys: readonly string[] | null, name: string): boolean {
  return keys === null || keys.length === 0 || keys.includes(name)
}

function displayValue(key: BrokerConfigKey | undefined, raw: string | null): string | null {
  if (raw === null || key === undefined) return raw
  return normalizeConfigValue(key, raw)
}

function describeEntry(
  name: string,
  value: string | null,
  synonyms: ConfigSynonymEntry[],
  includeSynonyms: boolean,
  key: ConfigKey | undefined,
  readOnly: boolean,
): DescribeConfigsResponseDescribeConfigsResourceResult {
  return {
    name,
    value,
    readOnly,
    configSource: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
    isSensitive: false,
    synonyms: includeSynonyms ? synonyms : [],
    configType: key === undefined ? 0 : CONFIG_TYPE_IDS[key.type],
    documentation: null,
  }
}

/**
 * Validates a topic's complete set of overrides as Kafka's controller does (LogConfig.validate):
 * unknown names, then each value in definition order (parse and validator), then the relations
 * between values. Throws a ConfigError or InvalidConfigurationError with Kafka's message.
 */
export function validateTopicConfigs(configs: ReadonlyMap<string, string | null>): void {
  const nulls = [...configs].filter(([, v]) => v === null).map(([name]) => name)
  if (nulls.length > 0)
    throw new InvalidConfigurationError(`Null value not supported for topic configs: ${nulls.join(',')}`)
  for (const name of configs.keys()) {
    if (!TOPIC_CONFIGS.has(name)) throw new InvalidConfigurationError(`Unknown topic config name: ${name}`)
  }
  const parsed = new Map<string, ConfigValue>()
  for (const key of TOPIC_CONFIG_KEYS) {
    const raw = configs.get(key.name)
    if (raw !== undefined && raw !== null) parsed.set(key.name, parseConfigValue(key, raw))
  }
  const minLag = (parsed.get('min.compaction.lag.ms') as bigint | undefined) ?? 0n
  const maxLag = (parsed.get('max.compaction.lag.ms') as bigint | undefined) ?? LONG_MAX
  if (minLag > maxLag) {
    throw new InvalidConfigurationError(
      `conflict topic config setting min.compaction.lag.ms (${minLag}) > max.compaction.lag.ms (${maxLag})`,
    )
  }
  if (parsed.get('remote.storage.enable') === true) {
    // LogConfig.validateRemoteStorageOnlyIfSystemEnabled: the mock has no tiered storage.
    throw new InvalidConfigurationError(
      'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.',
    )
  }
}
