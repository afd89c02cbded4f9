import { Buffer } from 'node:buffer'
import { type Codec, gzip } from '@tributary/core'
import { KafkaJSNonRetriableError, KafkaJSNotImplemented } from './errors/kafkajs-errors.js'
import { CompressionTypes } from './types.js'

// kafkajs's codec registry. A kafkajs codec plugin is registered as in kafkajs, by assigning a factory
// to its compression type, and `send({ compression })` uses it:
//
//   CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec   // kafkajs-snappy
//
// A factory returns a kafkajs codec, `{ compress(encoder), decompress(buffer) }` (async; `encoder.buffer`
// holds the bytes), which is adapted to Tributary's `Codec`; or a Tributary codec itself
// (`() => zstd()` from @tributary/compression), used as it is. GZIP is built in (Tributary's gzip,
// on node:zlib); snappy, lz4 and zstd throw KafkaJSNotImplemented until registered, as in kafkajs.

/** A kafkajs compression codec, as kafkajs-snappy, kafkajs-lz4 and @kafkajs/zstd provide. */
export interface KafkajsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer> | Buffer
  decompress(buffer: Buffer): Promise<Buffer> | Buffer
}

/** What a registry entry returns: a kafkajs codec, or a Tributary `Codec`. */
// biome-ignore lint/suspicious/noExplicitAny: kafkajs declares the factories as `() => any`
export type CodecFactory = () => any

const notImplemented = (name: string) => () => {
  throw new KafkaJSNotImplemented(`${name} compression not implemented`)
}

/** The codec factories by compression type; assign to register one, as with kafkajs. */
export const CompressionCodecs: {
  [CompressionTypes.GZIP]: CodecFactory
  [CompressionTypes.Snappy]: CodecFactory
  [CompressionTypes.LZ4]: CodecFactory
  [CompressionTypes.ZSTD]: CodecFactory
} = {
  [CompressionTypes.GZIP]: () => gzip(),
  [CompressionTypes.Snappy]: notImplemented('Snappy'),
  [CompressionTypes.LZ4]: notImplemented('LZ4'),
  [CompressionTypes.ZSTD]: notImplemented('ZSTD'),
}

const NAMES: Record<number, 'gzip' | 'snappy' | 'lz4' | 'zstd'> = { 1: 'gzip', 2: 'snappy', 3: 'lz4', 4: 'zstd' }

/** A registered codec, resolved for a send: the codec, and what identifies it for reuse. */
export interface ResolvedCodec {
  readonly codec: Codec | null
  /** Stable while the registry entry is the same factory, so producers with this codec can be reused. */
  readonly id: string
}

const NONE: ResolvedCodec = { codec: null, id: '0' }
const factoryIds = new WeakMap<CodecFactory, number>()
let nextFactoryId = 1
const resolved = new WeakMap<CodecFactory, ResolvedCodec>()

/**
 * The codec for a send's `compression`: none for `None` (or nothing), the registered one otherwise.
 * A factory is called once and its codec reused while it stays registered. Throws what the factory
 * throws (KafkaJSNotImplemented for a codec that is not registered), as kafkajs does.
 */
export function resolveCodec(compression: number | undefined | null): ResolvedCodec {
  if (compression === undefined || compression === null || compression === CompressionTypes.None) return NONE
  const type = compression & 0x07
  const factory = (CompressionCodecs as Record<number, CodecFactory | undefined>)[type]
  if (typeof factory !== 'function') {
    throw new KafkaJSNotImplemented(`Compression type ${compression} not implemented`)
  }
  const known = resolved.get(factory)
  if (known !== undefined) return known
  const made = factory()
  let id = factoryIds.get(factory)
  if (id === undefined) {
    id = nextFactoryId++
    factoryIds.set(factory, id)
  }
  const entry: ResolvedCodec = { codec: toCodec(made, type), id: `${type}.${id}` }
  resolved.set(factory, entry)
  return entry
}

function isTributaryCodec(value: unknown): value is Codec {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Codec).type === 'number' &&
    typeof (value as Codec).name === 'string' &&
    typeof (value as Codec).compress === 'function'
  )
}

/** Adapts what a factory returned to Tributary's `Codec`. */
function toCodec(made: unknown, type: number): Codec {
  if (isTributaryCodec(made)) return made
  if (typeof made !== 'object' || made === null || typeof (made as KafkajsCodec).compress !== 'function') {
    throw new KafkaJSNonRetriableError(
      `The codec registered for compression type ${type} is not a codec: a factory returns { compress(encoder), decompress(buffer) }`,
    )
  }
  const codec = made as KafkajsCodec
  return {
    name: NAMES[type] ?? `type-${type}`,
    type: type as 1 | 2 | 3 | 4,
    compress: async (data: Buffer): Promise<Buffer> => {
      const out = await codec.compress({ buffer: data })
      return Buffer.isBuffer(out) ? out : Buffer.from(out as Uint8Array)
    },
    decompress: (): Buffer => {
      // Tributary's Codec decompresses synchronously (for the mock broker); a producer never does.
      throw new KafkaJSNotImplemented(
        `the kafkajs ${NAMES[type] ?? ''} codec decompresses asynchronously; a producer does not decompress`,
      )
    },
  }
}
