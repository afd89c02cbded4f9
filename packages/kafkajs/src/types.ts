import type { Buffer } from 'node:buffer'
import type { Socket } from 'node:net'
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls'

// kafkajs 2.2.4's public types for the producer side, as its index.d.ts declares them (written here,
// so that kafkajs is not a dependency). Optional fields also accept `undefined`, so that code
// compiled with exactOptionalPropertyTypes can pass values typed against kafkajs's declarations.
// test/types.test.ts checks, with tsc, that code written against kafkajs's types compiles against these.

/** kafkajs's log levels. A value is a number, so kafkajs's own `logLevel` enum fits too. */
export const logLevel = {
  NOTHING: 0,
  ERROR: 1,
  WARN: 2,
  INFO: 4,
  DEBUG: 5,
} as const
// kafkajs exports `logLevel` as both a value and a type (an enum); so does this.
export type logLevel = (typeof logLevel)[keyof typeof logLevel]

/** kafkajs's compression types. A value is a number, so kafkajs's own `CompressionTypes` enum fits too. */
export const CompressionTypes = {
  None: 0,
  GZIP: 1,
  Snappy: 2,
  LZ4: 3,
  ZSTD: 4,
} as const
// kafkajs exports `CompressionTypes` as both a value and a type (an enum); so does this.
export type CompressionTypes = (typeof CompressionTypes)[keyof typeof CompressionTypes]

export type BrokersFunction = () => string[] | Promise<string[]>

/** kafkajs's SASL options. This package supports plain, scram-sha-256, scram-sha-512 and oauthbearer. */
export type SASLOptions =
  | { mechanism: 'plain'; username: string; password: string }
  | { mechanism: 'scram-sha-256'; username: string; password: string }
  | { mechanism: 'scram-sha-512'; username: string; password: string }
  | {
      mechanism: 'aws'
      authorizationIdentity: string
      accessKeyId: string
      secretAccessKey: string
      sessionToken?: string | undefined
    }
  | { mechanism: 'oauthbearer'; oauthBearerProvider: () => Promise<OauthbearerProviderResponse> }

export type SASLMechanism = SASLOptions['mechanism']

export interface OauthbearerProviderResponse {
  value: string
}

/** A custom SASL mechanism (kafkajs's `Mechanism`); not supported by this package, which refuses it. */
export interface Mechanism {
  mechanism: string
  // biome-ignore lint/suspicious/noExplicitAny: kafkajs's own declaration
  authenticationProvider: (args: any) => { authenticate: () => Promise<void> }
}

export interface ISocketFactoryArgs {
  host: string
  port: number
  ssl: TlsConnectionOptions
  onConnect: () => void
}

/** kafkajs's `socketFactory`; not supported by this package, which refuses it. */
export type ISocketFactory = (args: ISocketFactoryArgs) => Socket

export interface RetryOptions {
  maxRetryTime?: number | undefined
  initialRetryTime?: number | undefined
  factor?: number | undefined
  multiplier?: number | undefined
  retries?: number | undefined
  restartOnFailure?: ((e: Error) => Promise<boolean>) | undefined
}

export interface LogEntry {
  namespace: string
  level: logLevel
  label: string
  log: LoggerEntryContent
}

export interface LoggerEntryContent {
  readonly timestamp: string
  readonly message: string
  // biome-ignore lint/suspicious/noExplicitAny: kafkajs's own declaration
  [key: string]: any
}

export type logCreator = (logLevel: logLevel) => (entry: LogEntry) => void

export type Logger = {
  info: (message: string, extra?: object) => void
  error: (message: string, extra?: object) => void
  warn: (message: string, extra?: object) => void
  debug: (message: string, extra?: object) => void
  namespace: (namespace: string, logLevel?: logLevel) => Logger
  setLogLevel: (logLevel: logLevel) => void
}

export interface KafkaConfig {
  brokers: string[] | BrokersFunction
  ssl?: TlsConnectionOptions | boolean | undefined
  sasl?: SASLOptions | Mechanism | undefined
  clientId?: string | undefined
  connectionTimeout?: number | undefined
  authenticationTimeout?: number | undefined
  reauthenticationThreshold?: number | undefined
  requestTimeout?: number | undefined
  enforceRequestTimeout?: boolean | undefined
  retry?: RetryOptions | undefined
  socketFactory?: ISocketFactory | undefined
  logLevel?: logLevel | undefined
  logCreator?: logCreator | undefined
}

export type PartitionMetadata = {
  partitionErrorCode: number
  partitionId: number
  leader: number
  replicas: number[]
  isr: number[]
  offlineReplicas?: number[]
}

export interface IHeaders {
  [key: string]: Buffer | string | (Buffer | string)[] | undefined
}

/**
 * A message, exactly as kafkajs declares it (a partitioner is given one, so a partitioner typed with
 * kafkajs's declarations must accept this one).
 */
export interface Message {
  key?: Buffer | string | null
  value: Buffer | string | null
  partition?: number
  headers?: IHeaders
  timestamp?: string
}

export interface PartitionerArgs {
  topic: string
  partitionMetadata: PartitionMetadata[]
  message: Message
}

export type ICustomPartitioner = () => (args: PartitionerArgs) => number
export type DefaultPartitioner = ICustomPartitioner
export type LegacyPartitioner = ICustomPartitioner

export interface ProducerConfig {
  createPartitioner?: ICustomPartitioner | undefined
  retry?: RetryOptions | undefined
  metadataMaxAge?: number | undefined
  allowAutoTopicCreation?: boolean | undefined
  idempotent?: boolean | undefined
  transactionalId?: string | undefined
  transactionTimeout?: number | undefined
  maxInFlightRequests?: number | undefined
}

export interface ProducerRecord {
  topic: string
  messages: Message[]
  acks?: number | undefined
  timeout?: number | undefined
  compression?: CompressionTypes | undefined
}

/** Where the messages of one partition landed: one entry per partition written. */
export type RecordMetadata = {
  topicName: string
  partition: number
  errorCode: number
  offset?: string
  timestamp?: string
  baseOffset?: string
  logAppendTime?: string
  logStartOffset?: string
}

export interface TopicMessages {
  topic: string
  messages: Message[]
}

export interface ProducerBatch {
  acks?: number | undefined
  timeout?: number | undefined
  compression?: CompressionTypes | undefined
  topicMessages?: TopicMessages[] | undefined
}

export interface PartitionOffset {
  partition: number
  offset: string
}

export interface TopicOffsets {
  topic: string
  partitions: PartitionOffset[]
}

export interface Offsets {
  topics: TopicOffsets[]
}

export interface InstrumentationEvent<T> {
  id: string
  type: string
  timestamp: number
  payload: T
}

// biome-ignore lint/correctness/noUnusedVariables: kafkajs's own declaration, generic in the event name
export type RemoveInstrumentationEventListener<T> = () => void

export type ConnectEvent = InstrumentationEvent<null>
export type DisconnectEvent = InstrumentationEvent<null>
export type RequestEvent = InstrumentationEvent<{
  apiKey: number
  apiName: string
  apiVersion: number
  broker: string
  clientId: string
  correlationId: number
  createdAt: number
  duration: number
  pendingDuration: number
  sentAt: number
  size: number
}>
export type RequestTimeoutEvent = InstrumentationEvent<{
  apiKey: number
  apiName: string
  apiVersion: number
  broker: string
  clientId: string
  correlationId: number
  createdAt: number
  pendingDuration: number
  sentAt: number
}>
export type RequestQueueSizeEvent = InstrumentationEvent<{
  broker: string
  clientId: string
  queueSize: number
}>

export type ProducerEvents = {
  CONNECT: 'producer.connect'
  DISCONNECT: 'producer.disconnect'
  REQUEST: 'producer.network.request'
  REQUEST_TIMEOUT: 'producer.network.request_timeout'
  REQUEST_QUEUE_SIZE: 'producer.network.request_queue_size'
}

type ValueOf<T> = T[keyof T]

type Sender = {
  send(record: ProducerRecord): Promise<RecordMetadata[]>
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>
}

export type Producer = Sender & {
  connect(): Promise<void>
  disconnect(): Promise<void>
  isIdempotent(): boolean
  readonly events: ProducerEvents
  on(
    eventName: ProducerEvents['CONNECT'],
    listener: (event: ConnectEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>
  on(
    eventName: ProducerEvents['DISCONNECT'],
    listener: (event: DisconnectEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>
  on(
    eventName: ProducerEvents['REQUEST'],
    listener: (event: RequestEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>
  on(
    eventName: ProducerEvents['REQUEST_QUEUE_SIZE'],
    listener: (event: RequestQueueSizeEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>
  on(
    eventName: ProducerEvents['REQUEST_TIMEOUT'],
    listener: (event: RequestTimeoutEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>
  on(
    eventName: ValueOf<ProducerEvents>,
    // biome-ignore lint/suspicious/noExplicitAny: kafkajs's own declaration
    listener: (event: InstrumentationEvent<any>) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>
  transaction(): Promise<Transaction>
  logger(): Logger
}

export type Transaction = Sender & {
  sendOffsets(offsets: Offsets & { consumerGroupId: string }): Promise<void>
  commit(): Promise<void>
  abort(): Promise<void>
  isActive(): boolean
}

/**
 * What `kafka.consumer()` and `kafka.admin()` take in this package's types: nothing fits, so a call
 * fails to compile with this message, and at run time they throw. Consumers and admin clients come
 * from kafkajs itself: `new (require('kafkajs').Kafka)(config).consumer({ groupId })`.
 */
export interface NotProvidedByTributary {
  '@tributary/kafkajs provides the producer only: create consumers and admin clients with kafkajs itself (import { Kafka } from "kafkajs")': never
}
