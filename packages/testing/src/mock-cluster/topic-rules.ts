// Kafka's rules for topic names and the size of topic creations, shared by Metadata auto-creation,
// CreateTopics and MockCluster.createTopic.

/** Kafka's longest topic name (Topic.MAX_NAME_LENGTH). */
export const MAX_TOPIC_NAME_LENGTH = 249

/**
 * The most metadata records one creation may write, one per topic plus one per partition: Kafka's
 * controller refuses a larger operation with POLICY_VIOLATION ("Unable to perform excessively
 * large batch operation", QuorumController.MAX_RECORDS_PER_USER_OP).
 */
export const MAX_RECORDS_PER_CREATION = 10_000

/** The most partitions a topic can be created with: a creation of one topic writes 1 + partitions records. */
export const MAX_PARTITIONS_PER_TOPIC = MAX_RECORDS_PER_CREATION - 1

/**
 * Why Kafka refuses a topic name (INVALID_TOPIC_EXCEPTION), in Kafka's words and order
 * (Topic.validate), or undefined when the name is legal: not empty, not '.' or '..', at most 249
 * characters, only ASCII letters, digits, '.', '_' and '-'.
 */
export function invalidTopicName(name: string): string | undefined {
  let reason: string | undefined
  if (name.length === 0) reason = 'the empty string is not allowed'
  else if (name === '.') reason = "'.' is not allowed"
  else if (name === '..') reason = "'..' is not allowed"
  else if (name.length > MAX_TOPIC_NAME_LENGTH) {
    reason = `the length of '${name}' is longer than the max allowed length ${MAX_TOPIC_NAME_LENGTH}`
  } else if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    reason = `'${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`
  }
  return reason === undefined ? undefined : `Topic name is invalid: ${reason}`
}

/** A topic name with '.' made '_', for finding names that collide; undefined when it has neither. */
export function unifiedTopicName(name: string): string | undefined {
  if (!name.includes('.') && !name.includes('_')) return undefined
  return name.replaceAll('.', '_')
}
