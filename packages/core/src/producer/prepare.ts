import { Buffer } from 'node:buffer'
import { ConfigError } from '../errors/config-error.js'
import { PartitionerError } from '../errors/partitioner-error.js'
import { SerializationError } from '../errors/serialization-error.js'
import { TributaryError } from '../errors/tributary-error.js'
import type { Partitioner, Serializer, SerializerContext } from '../plugins.js'
import type { RecordHeader } from '../protocol/records/record.js'
import type { ProducerRecord } from './types.js'

// The first stage of a record's journey: its key, value and headers serialized, its timestamp
// checked, its partition chosen. Everything here runs user code (serializers, the partitioner)
// and turns whatever it throws or returns wrongly into that record's typed error.

export type MaybePromise<T> = T | Promise<T>

/** Any record, whatever its generic types. */
export type AnyRecord = ProducerRecord<unknown, unknown, unknown, unknown>

const EMPTY_HEADERS: RecordHeader[] = []

/** Serializers with the defaults applied (header keys stay strings without one). */
export interface ResolvedSerializers {
  readonly key: Serializer<unknown>
  readonly value: Serializer<unknown>
  readonly headerKey: Serializer<unknown> | undefined
  readonly headerValue: Serializer<unknown>
}

/**
 * Runs a serializer. A synchronous one costs nothing more than the call; what it throws, rejects
 * with, or returns that is not a Buffer or null becomes a SerializationError for the record.
 */
export function serialize(
  serializer: Serializer<unknown>,
  value: unknown,
  topic: string,
  part: SerializerContext['part'],
): MaybePromise<Buffer | null> {
  let out: Buffer | null | Promise<Buffer | null>
  try {
    out = serializer(value, { topic, part })
  } catch (error) {
    throw asSerializationError(error, part, topic)
  }
  if (out instanceof Promise) {
    return out.then(
      (bytes) => checkBytes(bytes, part, topic),
      (error: unknown) => {
        throw asSerializationError(error, part, topic)
      },
    )
  }
  return checkBytes(out, part, topic)
}

function checkBytes(out: unknown, part: SerializerContext['part'], topic: string): Buffer | null {
  if (out === null || Buffer.isBuffer(out)) return out
  if (out instanceof Uint8Array) return Buffer.from(out.buffer, out.byteOffset, out.byteLength)
  throw new SerializationError(
    part,
    topic,
    new TypeError(
      `the ${part} serializer returned ${out === undefined ? 'undefined' : typeof out === 'object' ? 'an object' : `a ${typeof out}`}, not a Buffer or null`,
    ),
  )
}

function asSerializationError(error: unknown, part: SerializerContext['part'], topic: string): SerializationError {
  return SerializationError.isInstance(error) ? error : new SerializationError(part, topic, error)
}

/** Serializes a record's headers (an object, a Map or pairs) in order, duplicates kept. */
export function serializeHeaders(
  headers: NonNullable<AnyRecord['headers']>,
  topic: string,
  serializers: ResolvedSerializers,
): MaybePromise<RecordHeader[]> {
  let pairs: Array<readonly [unknown, unknown]>
  if (Array.isArray(headers)) pairs = headers as Array<readonly [unknown, unknown]>
  else if (headers instanceof Map) pairs = [...headers.entries()]
  else if (typeof headers === 'object' && headers !== null)
    pairs = Object.entries(headers as unknown as Record<string, unknown>)
  else {
    throw new SerializationError(
      'headerKey',
      topic,
      new TypeError(`headers must be an object, a Map or an array of [key, value] pairs, got ${typeof headers}`),
    )
  }
  if (pairs.length === 0) return EMPTY_HEADERS
  const out: RecordHeader[] = new Array(pairs.length)
  let promises: Array<Promise<unknown>> | undefined
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new SerializationError('headerKey', topic, new TypeError(`header ${i} is not a [key, value] pair`))
    }
    const key = headerKey(pair[0], topic, serializers.headerKey)
    const value = serialize(serializers.headerValue, pair[1], topic, 'headerValue')
    if (key instanceof Promise || value instanceof Promise) {
      promises ??= []
      const at = i
      promises.push(
        Promise.all([key, value]).then(([hk, hv]) => {
          out[at] = { key: hk, value: hv }
        }),
      )
    } else {
      out[i] = { key, value }
    }
  }
  return promises === undefined ? out : Promise.all(promises).then(() => out)
}

function headerKey(key: unknown, topic: string, serializer: Serializer<unknown> | undefined): MaybePromise<string> {
  if (serializer === undefined) {
    if (typeof key !== 'string')
      throw new SerializationError(
        'headerKey',
        topic,
        new TypeError(`header keys must be strings without a headerKey serializer, got ${typeof key}`),
      )
    return key
  }
  const bytes = serialize(serializer, key, topic, 'headerKey')
  const toKey = (b: Buffer | null): string => {
    if (b === null) throw new SerializationError('headerKey', topic, new TypeError('a header key cannot be null'))
    return b.toString('utf8')
  }
  return bytes instanceof Promise ? bytes.then(toKey) : toKey(bytes)
}

/**
 * The partition of a record: the one it names (checked against the topic), or the partitioner's
 * choice (guarded: what it throws or returns out of range fails this record alone). Returns the
 * error instead of throwing, so the hot path needs no try/catch of its own.
 */
export function choosePartition(
  r: AnyRecord,
  topic: string,
  key: Buffer | null,
  value: Buffer | null,
  headers: RecordHeader[] | undefined,
  partitionCount: number,
  partitioner: Partitioner,
): number | Error {
  if (r.partition !== undefined && r.partition !== null) {
    const partition = r.partition
    if (Number.isInteger(partition) && partition >= 0 && partition < partitionCount) return partition
    return new ConfigError('record.partition', `an integer in [0, ${partitionCount}) for topic '${topic}'`, {
      received: partition,
    })
  }
  let partition: number
  try {
    partition = partitioner.partition({ topic, key, value, headers, partitionCount })
  } catch (error) {
    // A partitioner that throws a Tributary error (the routing partitioners do) meant that error.
    return TributaryError.isInstance(error) ? error : new PartitionerError(topic, error)
  }
  if (Number.isInteger(partition) && partition >= 0 && partition < partitionCount) return partition
  return new ConfigError('partitioner', `a partition in [0, ${partitionCount}) for topic '${topic}'`, {
    received: partition,
  })
}

/** A record's timestamp in ms (now when it has none), or undefined when it is not a valid time. */
export function toTimestamp(value: number | bigint | Date | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null) return now
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined
  if (typeof value === 'bigint') {
    const n = Number(value)
    return Number.isSafeInteger(n) ? n : undefined
  }
  if (value instanceof Date) {
    const t = value.getTime()
    return Number.isNaN(t) ? undefined : t
  }
  return undefined
}

/** The error of a timestamp `toTimestamp` refused. */
export function timestampError(received: unknown): ConfigError {
  return new ConfigError('record.timestamp', 'milliseconds since the epoch as a number, bigint or Date', {
    received,
  })
}
