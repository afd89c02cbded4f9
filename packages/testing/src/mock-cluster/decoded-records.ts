import type { Deserializer, DeserializerContext } from '../deserializers.js'
import type { MockRecord, RecordsOptions } from './mock-cluster.js'
import { formatBytes } from './record-format.js'

/**
 * The deserializers of a decoded view: each part given is read with its deserializer; a part left
 * out stays bytes (`Buffer | null`).
 */
export interface RecordDeserializers {
  key?: Deserializer<unknown> | undefined
  value?: Deserializer<unknown> | undefined
  /** Every header value (header keys are strings on the wire). */
  headerValue?: Deserializer<unknown> | undefined
}

/** What a deserializer of `D[part]` returns, awaited; bytes when `D` has none for the part. */
export type DeserializedPart<D, Part extends keyof RecordDeserializers> = D extends {
  [P in Part]: (...args: never[]) => infer R
}
  ? Awaited<R>
  : Buffer | null

/** A record with its key, value and header values read by deserializers. */
export interface DecodedRecord<Key = Buffer | null, Value = Buffer | null, HeaderValue = Buffer | null>
  extends Omit<MockRecord, 'key' | 'value' | 'headers'> {
  key: Key
  value: Value
  /** Headers in the order sent, duplicates kept, values decoded by `headerValue` when given. */
  headers: Array<{ key: string; value: HeaderValue }>
  /** The record as `records()` returns it: the bytes as stored. */
  raw: MockRecord
}

/** The decoded record type for deserializers `D`. */
export type DecodedRecordOf<D> = DecodedRecord<
  DeserializedPart<D, 'key'>,
  DeserializedPart<D, 'value'>,
  DeserializedPart<D, 'headerValue'>
>

/** Options of `decodedRecords`: which records, as for `records()`, and how to read them. */
export interface DecodedRecordsOptions<D extends RecordDeserializers = RecordDeserializers> extends RecordsOptions {
  deserializers: D
}

/**
 * Reads `records` with the deserializers, all records at once (a registry-backed deserializer
 * fetches each schema once). Rejects with an error naming the first record that does not read
 * (topic, partition, offset, part and its bytes shortened), the deserializer's error as its cause.
 */
export function decodeRecords<D extends RecordDeserializers>(
  records: readonly MockRecord[],
  deserializers: D,
): Promise<Array<DecodedRecordOf<D>>> {
  return Promise.all(records.map((r) => decodeRecord(r, deserializers))) as Promise<Array<DecodedRecordOf<D>>>
}

async function decodeRecord(
  record: MockRecord,
  d: RecordDeserializers,
): Promise<DecodedRecord<unknown, unknown, unknown>> {
  const { key: rawKey, value: rawValue, headers: rawHeaders, ...rest } = record
  const context = (part: DeserializerContext['part'], headerKey?: string): DeserializerContext => ({
    topic: record.topic,
    part,
    partition: record.partition,
    offset: record.offset,
    headers: rawHeaders,
    headerKey,
  })
  const [key, value, headers] = await Promise.all([
    d.key === undefined ? rawKey : read(d.key, rawKey, context('key'), record),
    d.value === undefined ? rawValue : read(d.value, rawValue, context('value'), record),
    d.headerValue === undefined
      ? rawHeaders.map((h) => ({ key: h.key, value: h.value as unknown }))
      : Promise.all(
          rawHeaders.map(async (h) => ({
            key: h.key,
            value: await read(d.headerValue as Deserializer<unknown>, h.value, context('headerValue', h.key), record),
          })),
        ),
  ])
  return { ...rest, key, value, headers, raw: record }
}

async function read(
  deserializer: Deserializer<unknown>,
  data: Buffer | null,
  context: DeserializerContext,
  record: MockRecord,
): Promise<unknown> {
  try {
    return await deserializer(data, context)
  } catch (error) {
    const part = context.part === 'headerValue' ? `header '${context.headerKey}'` : context.part
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(
      `could not deserialize the ${part} of ${record.topic}-${record.partition}@${record.offset} (${formatBytes(data)}): ${message}`,
      { cause: error },
    )
  }
}
