import { Buffer } from 'node:buffer'
import type { TextMapGetter } from '@opentelemetry/api'
import { KafkaProtocolError, RetriesExhaustedError, TributaryError } from '@tributary/core'
import { errorInfo } from '@tributary/core/protocol'
import { ERROR_TYPE_VALUE_OTHER } from './semconv.js'

/**
 * The `error.type` of a failed send: Kafka's name for the error code when a broker reported one
 * (`NOT_ENOUGH_REPLICAS`, `TOPIC_AUTHORIZATION_FAILED`, as the conventions' examples), otherwise
 * the error's class name (`TimeoutError`, `SerializationError`, `BufferFullError`, ...), and
 * `_OTHER` for a thrown value that is not an error. A `RetriesExhaustedError` is classified by the
 * error of its last attempt, which says why the producer gave up.
 */
export function errorType(error: unknown): string {
  const e = RetriesExhaustedError.isInstance(error) && error.cause !== undefined ? error.cause : error
  if (KafkaProtocolError.isInstance(e)) return e.kafkaName
  if (TributaryError.isInstance(e) && e.code >= 0) return errorInfo(e.code).name
  if (typeof e === 'object' && e !== null) {
    const name = (e as { name?: unknown }).name
    if (typeof name === 'string' && name !== '') return name
  }
  return ERROR_TYPE_VALUE_OTHER
}

/**
 * The string form of a record key for `kafka.message.key`, when it has an unambiguous one (the
 * conventions' rule): strings as they are, numbers and bigints in decimal. Bytes and objects have
 * no canonical string form and are left out.
 */
export function keyString(key: unknown): string | undefined {
  switch (typeof key) {
    case 'string':
      return key
    case 'number':
    case 'bigint':
      return String(key)
    default:
      return undefined
  }
}

type Headers =
  | Readonly<Record<string, unknown>>
  | ReadonlyMap<unknown, unknown>
  | ReadonlyArray<readonly [unknown, unknown]>

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')
  return undefined
}

/** Reads a record's own headers (an object, a Map or `[key, value]` pairs); the last one of a name wins. */
export const recordHeadersGetter: TextMapGetter<Headers> = {
  keys(headers) {
    if (Array.isArray(headers)) return headers.map(([k]) => k).filter((k): k is string => typeof k === 'string')
    if (headers instanceof Map) return [...headers.keys()].filter((k): k is string => typeof k === 'string')
    return Object.keys(headers)
  },
  get(headers, key) {
    if (Array.isArray(headers)) {
      for (let i = headers.length - 1; i >= 0; i--) {
        const entry = headers[i] as readonly [unknown, unknown]
        if (entry[0] === key) return headerText(entry[1])
      }
      return undefined
    }
    if (headers instanceof Map) return headerText(headers.get(key))
    return Object.hasOwn(headers, key) ? headerText((headers as Record<string, unknown>)[key]) : undefined
  },
}

/** True when a record's own headers hold one of `fields` (the propagator's header names). */
export function hasAnyHeader(headers: unknown, fields: readonly string[]): headers is Headers {
  if (headers === null || typeof headers !== 'object' || fields.length === 0) return false
  const h = headers as Headers
  if (Array.isArray(h)) return h.some((entry) => fields.includes(entry[0] as string))
  if (h instanceof Map) return fields.some((f) => h.has(f))
  return fields.some((f) => Object.hasOwn(h, f))
}
