// Names from the OpenTelemetry semantic conventions for messaging and Kafka. They are still at
// "Development" stability, so they are copied here (as OpenTelemetry advises for unstable names)
// rather than imported from @opentelemetry/semantic-conventions/incubating.
//
// v1.45.0 renamed `messaging.system` to `messaging.system.name` and moved the Kafka attributes out
// of the `messaging.` namespace (`messaging.kafka.offset` became `kafka.offset`, and so on); the
// `semconv` option chooses which names are emitted.

/** Which release of the messaging semantic conventions the attribute names follow. */
export type SemconvVersion = '1.45' | '1.44' | 'both'

export const ATTR_MESSAGING_SYSTEM_NAME = 'messaging.system.name'
/** Before v1.45.0: `messaging.system`. */
export const ATTR_MESSAGING_SYSTEM = 'messaging.system'
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name'
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type'
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name'
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id'
export const ATTR_MESSAGING_CLIENT_ID = 'messaging.client.id'
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count'
export const ATTR_KAFKA_MESSAGE_KEY = 'kafka.message.key'
/** Before v1.45.0: `messaging.kafka.message.key`. */
export const ATTR_MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key'
export const ATTR_KAFKA_OFFSET = 'kafka.offset'
/** Before v1.45.0: `messaging.kafka.offset`. */
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset'
export const ATTR_KAFKA_MESSAGE_TOMBSTONE = 'kafka.message.tombstone'
/** Before v1.45.0: `messaging.kafka.message.tombstone`. */
export const ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE = 'messaging.kafka.message.tombstone'
// Stable names (general conventions).
export const ATTR_ERROR_TYPE = 'error.type'
export const ATTR_SERVER_ADDRESS = 'server.address'
export const ATTR_SERVER_PORT = 'server.port'
export const ERROR_TYPE_VALUE_OTHER = '_OTHER'

export const MESSAGING_SYSTEM_VALUE_KAFKA = 'kafka'
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send'

export const METRIC_MESSAGING_CLIENT_SENT_MESSAGES = 'messaging.client.sent.messages'
export const METRIC_MESSAGING_CLIENT_OPERATION_DURATION = 'messaging.client.operation.duration'
/** The bucket boundaries (seconds) the conventions give for `messaging.client.operation.duration`. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

// Attributes of this package, for what the conventions have no name for (Produce request spans).
export const ATTR_TRIBUTARY_PRODUCE_BATCHES = 'tributary.produce.batches'
export const ATTR_TRIBUTARY_PRODUCE_BYTES = 'tributary.produce.bytes'
export const ATTR_TRIBUTARY_PRODUCE_THROTTLE_TIME = 'tributary.produce.throttle_time_ms'

/** The attribute names whose spelling depends on the release followed, for one `semconv` choice. */
export interface VersionedNames {
  readonly system: readonly string[]
  readonly key: readonly string[]
  readonly offset: readonly string[]
  readonly tombstone: readonly string[]
}

export function versionedNames(version: SemconvVersion): VersionedNames {
  const current = version !== '1.44'
  const legacy = version !== '1.45'
  const pick = (now: string, before: string) => [...(current ? [now] : []), ...(legacy ? [before] : [])]
  return {
    system: pick(ATTR_MESSAGING_SYSTEM_NAME, ATTR_MESSAGING_SYSTEM),
    key: pick(ATTR_KAFKA_MESSAGE_KEY, ATTR_MESSAGING_KAFKA_MESSAGE_KEY),
    offset: pick(ATTR_KAFKA_OFFSET, ATTR_MESSAGING_KAFKA_OFFSET),
    tombstone: pick(ATTR_KAFKA_MESSAGE_TOMBSTONE, ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE),
  }
}
