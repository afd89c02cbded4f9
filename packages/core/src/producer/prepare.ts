import { Buffer } from 'node:buffer'
import { ConfigError } from '../errors/config-error.js'
import { PartitionerError } from '../errors/partitioner-error.js'
import { SerializationError } from '../errors/serialization-error.js'
import { TributaryError } from '../errors/tributary-error.js'
import type { PartitionByKey } from '../partitioners/default-partitioner.js'
import type { Partitioner, Serializer, SerializerContext } from '../plugins.js'
import type { EncodableBytes, EncodableHeader } from '../protocol/records/record.js'
import { defaultSerializer } from '../serializers/default.js'
import { serializeString } from '../serializers/string.js'
import type { ProducerRecord } from './types.js'

// The first stage of a record's journey: its key, value and headers serialized, its timestamp
// checked, its partition chosen. Everything here runs user code (serializers, the partitioner)
// and turns whatever it throws or returns wrongly into that record's typed error.

export type MaybePromise<T> = T | Promise<T>

/** Any record, whatever its generic types. */
export type AnyRecord = ProducerRecord<unknown, unknown, unknown, unknown>

/** What the producer reads of a record after its bytes: the partition and timestamp it asks for. */
export type RecordPlacement = Pick<AnyRecord, 'partition' | 'timestamp'>

const EMPTY_HEADERS: EncodableHeader[] = []

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

/**
 * `serialize`, except that a string given to the built-in string or default serializer stays a
 * string: the producer writes it as UTF-8 straight into the batch, without a Buffer in between.
 */
export function serializeInline(
  serializer: Serializer<unknown>,
  value: unknown,
  topic: string,
  part: SerializerContext['part'],
): MaybePromise<EncodableBytes> {
  if (typeof value === 'string' && (serializer === serializeString || serializer === defaultSerializer)) return value
  return serialize(serializer, value, topic, part)
}

/** A key, value or header value as bytes (a string as UTF-8), for code that needs a Buffer. */
export function toBytes(value: EncodableBytes): Buffer | null {
  if (value === null) return null
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
}

function asSerializationError(error: unknown, part: SerializerContext['part'], topic: string): SerializationError {
  return SerializationError.isInstance(error) ? error : new SerializationError(part, topic, error)
}

/**
 * Serializes a record's headers (an object, a Map or pairs) in order, duplicates kept. With
 * `inline`, header values that are strings for the built-in serializers stay strings (see
 * `serializeInline`).
 */
export function serializeHeaders(
  headers: NonNullable<AnyRecord['headers']>,
  topic: string,
  serializers: ResolvedSerializers,
  inline = false,
): MaybePromise<EncodableHeader[]> {
  // Created with its first header, so that a record with one header costs an array of one slot.
  let out: Array<MaybePromise<EncodableHeader>> | undefined
  let pending = false
  let header: MaybePromise<EncodableHeader>
  try {
    if (Array.isArray(headers)) {
      for (let i = 0; i < headers.length; i++) {
        const pair: unknown = headers[i]
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new SerializationError('headerKey', topic, new TypeError(`header ${i} is not a [key, value] pair`))
        }
        header = serializeHeader(pair[0], pair[1], topic, serializers, inline)
        pending ||= header instanceof Promise
        out = withHeader(out, header)
      }
    } else if (headers instanceof Map) {
      for (const [k, v] of headers) {
        header = serializeHeader(k, v, topic, serializers, inline)
        pending ||= header instanceof Promise
        out = withHeader(out, header)
      }
    } else if (typeof headers === 'object' && headers !== null) {
      const object = headers as unknown as Record<string, unknown>
      for (const k in object) {
        if (!Object.hasOwn(object, k)) continue
        header = serializeHeader(k, object[k], topic, serializers, inline)
        pending ||= header instanceof Promise
        out = withHeader(out, header)
      }
    } else {
      throw new SerializationError(
        'headerKey',
        topic,
        new TypeError(`headers must be an object, a Map or an array of [key, value] pairs, got ${typeof headers}`),
      )
    }
  } catch (error) {
    // Headers serialized asynchronously before the one that threw: their rejections are not unhandled.
    if (pending) for (const h of out ?? []) if (h instanceof Promise) h.catch(() => {})
    throw error
  }
  if (out === undefined) return EMPTY_HEADERS
  return pending ? Promise.all(out) : (out as EncodableHeader[])
}

function withHeader<T>(out: T[] | undefined, header: T): T[] {
  if (out === undefined) return [header]
  out.push(header)
  return out
}

/** Objects with more headers than this are serialized into a new list. */
const MAX_SCRATCH_HEADERS = 8

/**
 * Header lists reused from record to record, for the producer's synchronous path, where a record is
 * encoded into its batch before `send` returns: the common headers object (own properties, string
 * values, the built-in serializers) then costs no array and no header objects. A list is valid
 * until the next call; whatever keeps headers longer must copy it.
 */
export class HeaderScratch {
  /**
   * A scratch for producers whose header strings are written as they are (no header key serializer,
   * the built-in value serializer); undefined for others.
   */
  static for(serializers: ResolvedSerializers): HeaderScratch | undefined {
    const value = serializers.headerValue
    if (serializers.headerKey !== undefined) return undefined
    return value === serializeString || value === defaultSerializer ? new HeaderScratch() : undefined
  }

  private readonly lists: Array<Array<{ key: string; value: string }> | undefined> = []

  /**
   * The headers of an object whose properties are all its own and strings, as a reused list, each
   * value read once; undefined for anything else (serialize those as usual).
   */
  fromObject(headers: object): EncodableHeader[] | undefined {
    if (Array.isArray(headers) || headers instanceof Map) return undefined
    const object = headers as Record<string, unknown>
    let count = 0
    for (const k in object) {
      if (!Object.hasOwn(object, k)) return undefined
      count++
    }
    if (count === 0 || count > MAX_SCRATCH_HEADERS) return undefined
    let list = this.lists[count]
    if (list === undefined) {
      list = Array.from({ length: count }, () => ({ key: '', value: '' }))
      this.lists[count] = list
    }
    let i = 0
    for (const k in object) {
      const value = object[k]
      // A getter may add or change properties between the loops: such headers take the usual path.
      if (typeof value !== 'string' || i === count) return undefined
      const header = list[i++] as { key: string; value: string }
      header.key = k
      header.value = value
    }
    return i === count ? list : undefined
  }
}

/** A copy of headers that may be a scratch list, for keeping past the call. */
export function copyHeaders(headers: readonly EncodableHeader[]): EncodableHeader[] {
  return headers.map((h) => ({ key: h.key, value: h.value }))
}

/** Serializes one header; a promise when a serializer returned one. */
function serializeHeader(
  k: unknown,
  v: unknown,
  topic: string,
  serializers: ResolvedSerializers,
  inline: boolean,
): MaybePromise<EncodableHeader> {
  const key = headerKey(k, topic, serializers.headerKey)
  const value = inline
    ? serializeInline(serializers.headerValue, v, topic, 'headerValue')
    : serialize(serializers.headerValue, v, topic, 'headerValue')
  if (!(key instanceof Promise) && !(value instanceof Promise)) return { key, value }
  return Promise.all([key, value]).then(([hk, hv]) => ({ key: hk, value: hv }))
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
  r: Pick<AnyRecord, 'partition'>,
  topic: string,
  key: Buffer | null,
  value: Buffer | null,
  headers: ReadonlyArray<{ key: string; value: Buffer | null }> | undefined,
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
    return partitionerError(topic, error)
  }
  return checkPartition(partition, topic, partitionCount)
}

/** `choosePartition` for a key-only partitioner, which takes the key as it is (a string included). */
export function choosePartitionByKey(
  byKey: PartitionByKey,
  topic: string,
  key: EncodableBytes,
  partitionCount: number,
): number | Error {
  let partition: number
  try {
    partition = byKey(topic, key, partitionCount)
  } catch (error) {
    return partitionerError(topic, error)
  }
  return checkPartition(partition, topic, partitionCount)
}

/** What a partitioner threw, as the record's error: a Tributary error (the routing partitioners throw them) as it is. */
function partitionerError(topic: string, error: unknown): Error {
  return TributaryError.isInstance(error) ? error : new PartitionerError(topic, error)
}

/** The partition a partitioner chose, or the error that it is not one of the topic's. */
function checkPartition(partition: number, topic: string, partitionCount: number): number | Error {
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
