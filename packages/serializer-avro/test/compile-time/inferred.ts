// Generated: a record of 100 fields of every kind (strings, numbers, unions with null, enums, arrays,
// maps, nested records, logical types, bytes), for measuring what inferring its type costs the compiler.
// See the README's "Types from schemas" section for the command and the numbers.
import type { Buffer } from 'node:buffer'
import { avroDeserializer, avroSerializer } from '@tributary/serializer-avro'
import { hundredFields } from './schema.js'

// The value type inferred from the schema, for writing and for reading.
export const serialize = avroSerializer({ schema: hundredFields })
export const deserialize = avroDeserializer({ schema: hundredFields })
export type Written = Parameters<typeof serialize>[0]
export type Read = Awaited<ReturnType<typeof deserialize>>
export const check = (value: Read): Written => value
export type _Buffer = Buffer
