// Generated: a record of 100 fields of every kind (strings, numbers, unions with null, enums, arrays,
// maps, nested records, logical types, bytes), for measuring what inferring its type costs the compiler.
// See the README's "Types from schemas" section for the command and the numbers.
import type { Buffer } from 'node:buffer'
import { avroDeserializer, avroSerializer } from '@tributary/serializer-avro'
import { hundredFields } from './schema.js'

// The same with a hand-written interface (the baseline).
export interface Hundred {
  f0: string
  f1: number
  f2: number
  f3: string | null
  f4: 'A' | 'B' | 'C'
  f5: number[]
  f6: Record<string, boolean>
  f7: { a: string; b: number | null }
  f8: number
  f9: Buffer
  f10: string
  f11: number
  f12: number
  f13: string | null
  f14: 'A' | 'B' | 'C'
  f15: number[]
  f16: Record<string, boolean>
  f17: { a: string; b: number | null }
  f18: number
  f19: Buffer
  f20: string
  f21: number
  f22: number
  f23: string | null
  f24: 'A' | 'B' | 'C'
  f25: number[]
  f26: Record<string, boolean>
  f27: { a: string; b: number | null }
  f28: number
  f29: Buffer
  f30: string
  f31: number
  f32: number
  f33: string | null
  f34: 'A' | 'B' | 'C'
  f35: number[]
  f36: Record<string, boolean>
  f37: { a: string; b: number | null }
  f38: number
  f39: Buffer
  f40: string
  f41: number
  f42: number
  f43: string | null
  f44: 'A' | 'B' | 'C'
  f45: number[]
  f46: Record<string, boolean>
  f47: { a: string; b: number | null }
  f48: number
  f49: Buffer
  f50: string
  f51: number
  f52: number
  f53: string | null
  f54: 'A' | 'B' | 'C'
  f55: number[]
  f56: Record<string, boolean>
  f57: { a: string; b: number | null }
  f58: number
  f59: Buffer
  f60: string
  f61: number
  f62: number
  f63: string | null
  f64: 'A' | 'B' | 'C'
  f65: number[]
  f66: Record<string, boolean>
  f67: { a: string; b: number | null }
  f68: number
  f69: Buffer
  f70: string
  f71: number
  f72: number
  f73: string | null
  f74: 'A' | 'B' | 'C'
  f75: number[]
  f76: Record<string, boolean>
  f77: { a: string; b: number | null }
  f78: number
  f79: Buffer
  f80: string
  f81: number
  f82: number
  f83: string | null
  f84: 'A' | 'B' | 'C'
  f85: number[]
  f86: Record<string, boolean>
  f87: { a: string; b: number | null }
  f88: number
  f89: Buffer
  f90: string
  f91: number
  f92: number
  f93: string | null
  f94: 'A' | 'B' | 'C'
  f95: number[]
  f96: Record<string, boolean>
  f97: { a: string; b: number | null }
  f98: number
  f99: Buffer
}
export const serialize = avroSerializer<Hundred>({ schema: hundredFields })
export const deserialize = avroDeserializer<Hundred>({ schema: hundredFields })
export type Written = Parameters<typeof serialize>[0]
export type Read = Awaited<ReturnType<typeof deserialize>>
export const check = (value: Read): Written => value
