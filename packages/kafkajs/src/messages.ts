import { Buffer } from 'node:buffer'
import type { SendResult, ProducerRecord as TributaryRecord } from '@tributary/core'
import { toKafkaJSError } from './errors/from-tributary.js'
import { KafkaJSNonRetriableError } from './errors/kafkajs-errors.js'
import type { IHeaders, Message, RecordMetadata, TopicMessages } from './types.js'

// From kafkajs's messages to Tributary records, and from Tributary's per-record results back to
// kafkajs's per-partition RecordMetadata.

/** Bytes as the core producer takes them: kafkajs writes anything that is not a Buffer as String(value). */
export type Bytes = Buffer | string | null
export type CoreRecord = TributaryRecord<Bytes, Bytes, string, Bytes>

function bytes(value: unknown): Bytes {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return null
  if (Buffer.isBuffer(value)) return value
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  return String(value)
}

type HeaderPairs = Array<readonly [string, Bytes]>

/** kafkajs's headers: a value may be an array (one header per element) or undefined (a null value). */
function headersOf(headers: IHeaders): { readonly [key: string]: Bytes } | HeaderPairs {
  const keys = Object.keys(headers)
  let plain = true
  for (const key of keys) {
    const value = headers[key]
    if (typeof value !== 'string' && !Buffer.isBuffer(value)) {
      plain = false
      break
    }
  }
  if (plain) return headers as { readonly [key: string]: Bytes }
  const pairs: HeaderPairs = []
  for (const key of keys) {
    const value = headers[key]
    if (Array.isArray(value)) for (const v of value) pairs.push([key, bytes(v)])
    else pairs.push([key, bytes(value)])
  }
  return pairs
}

function timestampOf(timestamp: unknown, now: number): number | bigint {
  if (timestamp === undefined || timestamp === null || timestamp === '' || timestamp === 0) return now
  if (typeof timestamp === 'number') return timestamp
  if (typeof timestamp === 'bigint') return timestamp
  const parsed = Number(timestamp)
  if (!Number.isFinite(parsed)) {
    throw new KafkaJSNonRetriableError(
      `Invalid message timestamp ${JSON.stringify(String(timestamp))}: milliseconds since the epoch`,
    )
  }
  return parsed
}

/** One Tributary record for a kafkajs message. `partition` wins over the partitioner, as in kafkajs. */
export function toRecord(topic: string, message: Message, now: number, partition: number | undefined): CoreRecord {
  const headers = message.headers
  return {
    topic,
    key: bytes(message.key),
    value: bytes(message.value),
    headers: headers === undefined || headers === null ? undefined : headersOf(headers),
    partition,
    timestamp: timestampOf(message.timestamp, now),
  }
}

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/

/**
 * A topic name Kafka refuses (Kafka's Topic.validate): the brokers answer INVALID_TOPIC_EXCEPTION,
 * which kafkajs reports at once. Tributary's core would wait for the topic's metadata instead.
 */
export function invalidTopic(topicMessages: readonly TopicMessages[]): string | undefined {
  for (const { topic } of topicMessages) {
    if (typeof topic !== 'string' || !LEGAL_TOPIC.test(topic) || topic === '.' || topic === '..') return String(topic)
  }
  return undefined
}

/** The checks kafkajs makes before sending, with its messages. */
export function validateBatch(topicMessages: readonly TopicMessages[]): void {
  if (topicMessages.some((entry) => !entry?.topic)) throw new KafkaJSNonRetriableError('Invalid topic')
}

export function validateMessages(topicMessages: readonly TopicMessages[]): void {
  for (const { topic, messages } of topicMessages) {
    if (!messages) throw new KafkaJSNonRetriableError(`Invalid messages array [${messages}] for topic "${topic}"`)
    const withoutValue = messages.find((message) => message.value === undefined)
    if (withoutValue !== undefined) {
      throw new KafkaJSNonRetriableError(
        `Invalid message without value for topic "${topic}": ${JSON.stringify(withoutValue)}`,
      )
    }
  }
}

/**
 * kafkajs's answer to a send: one entry per partition written, with the offset of the first message
 * written to it (`baseOffset`), `logAppendTime` ('-1' unless the topic stamps LogAppendTime) and
 * `logStartOffset`; nothing with acks=0. Rejects with the first failure (in message order), mapped
 * to kafkajs's errors: kafkajs fails a send as a whole.
 */
export function toRecordMetadata(
  records: readonly CoreRecord[],
  results: readonly SendResult[],
  acks: number,
): RecordMetadata[] {
  let failure: Error | undefined
  let topic: string | undefined
  let partitions: Array<Written | undefined> = []
  const seen = new Map<string, Array<Written | undefined>>()
  for (let i = 0; i < results.length; i++) {
    const result = results[i] as SendResult
    if (!result.ok) {
      failure ??= result.error
      continue
    }
    if (acks === 0) continue
    const record = records[i] as CoreRecord
    const meta = result.meta
    if (record.topic !== topic) {
      topic = record.topic
      let known = seen.get(topic)
      if (known === undefined) {
        known = []
        seen.set(topic, known)
      }
      partitions = known
    }
    const written = partitions[meta.partition]
    if (written === undefined) {
      const appended = Number(meta.timestamp) !== Number(record.timestamp)
      partitions[meta.partition] = {
        base: meta.offset,
        meta: {
          topicName: meta.topic,
          partition: meta.partition,
          errorCode: 0,
          baseOffset: String(meta.offset),
          logAppendTime: appended ? String(meta.timestamp) : '-1',
          logStartOffset: '-1',
        },
      }
    } else if (meta.offset < written.base) {
      written.base = meta.offset
      written.meta.baseOffset = String(meta.offset)
    }
  }
  if (failure !== undefined) throw toKafkaJSError(failure)
  const out: RecordMetadata[] = []
  for (const list of seen.values()) for (const written of list) if (written !== undefined) out.push(written.meta)
  return out
}

/** A partition written by one send: its lowest offset, and what kafkajs reports for it. */
interface Written {
  base: bigint
  meta: RecordMetadata
}
