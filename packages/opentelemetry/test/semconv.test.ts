import * as upstream from '@opentelemetry/semantic-conventions/incubating'
import { describe, expect, it } from 'vitest'
import * as ours from '../src/semconv.js'

// The names this package copies (unstable names are copied, not imported) against the ones
// OpenTelemetry generates from the semantic conventions registry (@opentelemetry/semantic-conventions
// 1.45, which follows semantic conventions v1.45.0).

describe('attribute and metric names', () => {
  it('are the ones of the semantic conventions registry', () => {
    const pairs: Array<[string, string]> = [
      [ours.ATTR_MESSAGING_SYSTEM_NAME, upstream.ATTR_MESSAGING_SYSTEM_NAME],
      [ours.ATTR_MESSAGING_SYSTEM, upstream.ATTR_MESSAGING_SYSTEM],
      [ours.ATTR_MESSAGING_OPERATION_NAME, upstream.ATTR_MESSAGING_OPERATION_NAME],
      [ours.ATTR_MESSAGING_OPERATION_TYPE, upstream.ATTR_MESSAGING_OPERATION_TYPE],
      [ours.ATTR_MESSAGING_DESTINATION_NAME, upstream.ATTR_MESSAGING_DESTINATION_NAME],
      [ours.ATTR_MESSAGING_DESTINATION_PARTITION_ID, upstream.ATTR_MESSAGING_DESTINATION_PARTITION_ID],
      [ours.ATTR_MESSAGING_CLIENT_ID, upstream.ATTR_MESSAGING_CLIENT_ID],
      [ours.ATTR_MESSAGING_BATCH_MESSAGE_COUNT, upstream.ATTR_MESSAGING_BATCH_MESSAGE_COUNT],
      [ours.ATTR_KAFKA_MESSAGE_KEY, upstream.ATTR_KAFKA_MESSAGE_KEY],
      [ours.ATTR_MESSAGING_KAFKA_MESSAGE_KEY, upstream.ATTR_MESSAGING_KAFKA_MESSAGE_KEY],
      [ours.ATTR_KAFKA_OFFSET, upstream.ATTR_KAFKA_OFFSET],
      [ours.ATTR_MESSAGING_KAFKA_OFFSET, upstream.ATTR_MESSAGING_KAFKA_OFFSET],
      [ours.ATTR_KAFKA_MESSAGE_TOMBSTONE, upstream.ATTR_KAFKA_MESSAGE_TOMBSTONE],
      [ours.ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE, upstream.ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE],
      [ours.ATTR_ERROR_TYPE, upstream.ATTR_ERROR_TYPE],
      [ours.ATTR_SERVER_ADDRESS, upstream.ATTR_SERVER_ADDRESS],
      [ours.ATTR_SERVER_PORT, upstream.ATTR_SERVER_PORT],
      [ours.ERROR_TYPE_VALUE_OTHER, upstream.ERROR_TYPE_VALUE_OTHER],
      [ours.MESSAGING_SYSTEM_VALUE_KAFKA, upstream.MESSAGING_SYSTEM_NAME_VALUE_KAFKA],
      [ours.MESSAGING_OPERATION_TYPE_VALUE_SEND, upstream.MESSAGING_OPERATION_TYPE_VALUE_SEND],
      [ours.METRIC_MESSAGING_CLIENT_SENT_MESSAGES, upstream.METRIC_MESSAGING_CLIENT_SENT_MESSAGES],
      [ours.METRIC_MESSAGING_CLIENT_OPERATION_DURATION, upstream.METRIC_MESSAGING_CLIENT_OPERATION_DURATION],
    ]
    for (const [mine, theirs] of pairs) expect(mine).toBe(theirs)
  })

  it('follow v1.45.0 by default, the names before it with 1.44, and both with both', () => {
    expect(ours.versionedNames('1.45')).toEqual({
      system: ['messaging.system.name'],
      key: ['kafka.message.key'],
      offset: ['kafka.offset'],
      tombstone: ['kafka.message.tombstone'],
    })
    expect(ours.versionedNames('1.44').offset).toEqual(['messaging.kafka.offset'])
    expect(ours.versionedNames('both').system).toEqual(['messaging.system.name', 'messaging.system'])
  })
})
