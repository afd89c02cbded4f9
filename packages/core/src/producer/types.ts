import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls'
import type { SaslOptions } from '../network/sasl/types.js'
import type { Codec, Partitioner, Serializer } from '../plugins.js'

export type {
  OAuthBearerToken,
  SaslOAuthBearerOptions,
  SaslOptions,
  SaslPasswordOptions,
} from '../network/sasl/types.js'

/** Record headers: an object, a Map, or an array of pairs (duplicates and order kept). */
export type RecordHeaders<HeaderKey, HeaderValue> =
  | (HeaderKey extends string ? { readonly [key: string]: HeaderValue } : never)
  | ReadonlyMap<HeaderKey, HeaderValue>
  | ReadonlyArray<readonly [HeaderKey, HeaderValue]>

/** One record to send. */
export interface ProducerRecord<Key, Value, HeaderKey = string, HeaderValue = Buffer | string | null> {
  topic: string
  key?: Key | undefined
  value: Value
  headers?: RecordHeaders<HeaderKey, HeaderValue> | undefined
  /** An explicit partition; wins over the partitioner. */
  partition?: number | undefined
  /** Create time in milliseconds since the epoch; default now. */
  timestamp?: number | bigint | Date | undefined
}

/** Where a record landed. */
export interface RecordMetadata {
  topic: string
  partition: number
  /** Offset of the record, or -1n with acks=0. */
  offset: bigint
  /** The record's timestamp (create time, or the broker's log append time). */
  timestamp: bigint
}

/** A broker as the producer's metadata knows it (host '' and port -1 when it is not among the brokers listed). */
export interface BrokerNode {
  nodeId: number
  host: string
  port: number
}

/** A partition of a topic, as `partitionsFor` reports it (Java's PartitionInfo). */
export interface PartitionInfo {
  topic: string
  partition: number
  /** The leader, or null while there is none (an election in progress). */
  leader: BrokerNode | null
  replicas: BrokerNode[]
  /** In-sync replicas. */
  isr: BrokerNode[]
  offlineReplicas: BrokerNode[]
}

/** One entry of `sendBatch`'s result, in the order of the records given. */
export type SendResult = { ok: true; meta: RecordMetadata } | { ok: false; error: Error }

/** Callback form of `send`. */
export type SendCallback = (error: Error | null, meta?: RecordMetadata) => void

/** Options of a single `send` or `sendBatch` call. */
export interface SendOptions {
  /** Overrides `deliveryTimeoutMs` for these records. */
  timeoutMs?: number
}

/** The serializers of a producer; each is optional. */
export interface Serializers<Key, Value, HeaderKey, HeaderValue> {
  key?: Serializer<Key>
  value?: Serializer<Value>
  headerKey?: Serializer<HeaderKey>
  headerValue?: Serializer<HeaderValue>
}

/** A log sink; every method is optional. */
export interface Logger {
  debug?(message: string, extra?: Record<string, unknown>): void
  info?(message: string, extra?: Record<string, unknown>): void
  warn?(message: string, extra?: Record<string, unknown>): void
  error?(message: string, extra?: Record<string, unknown>): void
}

/** Acknowledgements the producer waits for: 'all' (= -1), 1 (the leader) or 0 (none). */
export type Acks = 'all' | -1 | 0 | 1

/** Producer options; see the package README for what each does and its default. */
export interface ProducerOptions<
  Key = Buffer | string | null,
  Value = Buffer | string | null,
  HeaderKey = string,
  HeaderValue = Buffer | string | null,
> {
  clientId?: string
  /** `host:port` list, as an array or a comma-separated string. */
  bootstrapBrokers: string | readonly string[]
  serializers?: Serializers<Key, Value, HeaderKey, HeaderValue>
  acks?: Acks
  idempotent?: boolean
  compression?: 'none' | 'gzip' | Codec
  /**
   * How long a partition's batch waits for more records before it is sent. Left out (the default),
   * lingering is adaptive: a batch goes at once when its broker has no Produce request in flight,
   * and records accumulate while one is (a lone send is not delayed; under load, batches fill
   * while the broker works). A number waits that many milliseconds, as the Java client's linger.ms;
   * 0 sends every batch at once.
   */
  lingerMs?: number
  batchBytes?: number
  bufferBytes?: number
  /**
   * How many bytes of records may wait when the buffer (`bufferBytes`) is full. A send that finds
   * the buffer full and the waiting records already holding this much fails at once with a
   * `BufferFullError` (`refusedAtOnce`) instead of waiting, so memory stays bounded when the
   * brokers stop answering and the application does not await its sends; a `sendBatch` that finds
   * room among the waiting records is admitted whole. A waiting record counts its encoded size plus
   * 256 bytes. Default: the larger of `bufferBytes` and 32 MiB; `Number.MAX_SAFE_INTEGER` lets every
   * send wait (up to `maxBlockMs`), as the Java client's blocking `send` does; 0 lets one record
   * wait at a time.
   */
  maxWaitingBytes?: number
  maxBlockMs?: number
  maxInFlight?: number
  requestTimeoutMs?: number
  deliveryTimeoutMs?: number
  /**
   * How many times a failed batch is sent again before its records fail with
   * RetriesExhaustedError. Default: no limit but `deliveryTimeoutMs` (Java's Integer.MAX_VALUE).
   * `0` sends once (and turns idempotence off unless `idempotent: true` is given, which refuses it).
   */
  retries?: number
  retryBackoffMs?: number
  retryBackoffMaxMs?: number
  metadataMaxAgeMs?: number
  maxRequestBytes?: number
  connectTimeoutMs?: number
  /** Makes the producer transactional (and idempotent); unique per producer instance's role. */
  transactionalId?: string
  /** How long the coordinator lets a transaction stay open before aborting it. Default 60 s. */
  transactionTimeoutMs?: number
  partitioner?: Partitioner
  logger?: Logger
  /**
   * SASL authentication of every connection, after ApiVersions (SaslHandshake v1 +
   * SaslAuthenticate): `{ mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512', username,
   * password }` or `{ mechanism: 'oauthbearer', token }`. Use it with `tls`: PLAIN sends the
   * password in the clear.
   */
  sasl?: SaslOptions
  /**
   * TLS for every connection: `true` for node's defaults (the system's trusted CAs), or node:tls
   * connect options such as `{ ca, cert, key, servername, rejectUnauthorized }`.
   */
  tls?: boolean | TlsConnectionOptions
}
