import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls'
import { apiVersions, Connection, ErrorCodes, metadata } from '@tributary/core/protocol'
import { protocolError } from './errors/from-tributary.js'
import { KafkaJSNumberOfRetriesExceeded } from './errors/kafkajs-errors.js'

// kafkajs's `allowAutoTopicCreation: false`: metadata requests that do not create topics, so a send
// to a topic that does not exist fails (UNKNOWN_TOPIC_OR_PARTITION, retried, then
// KafkaJSNumberOfRetriesExceeded) even on brokers with auto.create.topics.enable. Tributary's core
// asks for metadata the Java client's way (auto-creation allowed), so before the first send to a
// topic this asks a bootstrap broker about it over its own connection, with creation off.

const MIN_METADATA_VERSION = 4 // the first version with allowAutoTopicCreation

export interface TopicProbeOptions {
  clientId: string
  tls: boolean | TlsConnectionOptions | undefined
  connectTimeoutMs: number
  requestTimeoutMs: number
  /** kafkajs's backoffs, in order: the probe asks again after each while the topic is missing. */
  backoffs: () => Iterable<number>
}

export class TopicProbe {
  private readonly known = new Set<string>()
  private connection: Promise<{ connection: Connection; version: number }> | undefined
  private closed = false

  constructor(private readonly options: TopicProbeOptions) {}

  /**
   * Undefined when every topic is known to exist; else a promise that resolves once they do, and
   * rejects as kafkajs does when one still does not after the retries. Topics found once are not
   * asked about again.
   */
  ensure(topics: readonly string[], brokers: readonly string[]): Promise<void> | undefined {
    let unknown: Set<string> | undefined
    for (const topic of topics) {
      if (this.known.has(topic)) continue
      unknown ??= new Set()
      unknown.add(topic)
    }
    // Known topics (every send after the first to a topic) cost no promise.
    return unknown === undefined ? undefined : this.find([...unknown], brokers)
  }

  private async find(topics: string[], brokers: readonly string[]): Promise<void> {
    let missing = topics
    const started = Date.now()
    let retryCount = 0
    const backoffs = this.options.backoffs()[Symbol.iterator]()
    for (;;) {
      missing = await this.ask(missing, brokers)
      if (missing.length === 0) return
      const next = backoffs.next()
      if (next.done === true || this.closed) {
        const last = protocolError(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)
        throw new KafkaJSNumberOfRetriesExceeded(last, { retryCount, retryTime: Date.now() - started, cause: last })
      }
      retryCount++
      await new Promise((resolve) => setTimeout(resolve, next.value))
    }
  }

  /** Asks about `topics` (auto-creation off); returns the ones the broker does not know. */
  private async ask(topics: string[], brokers: readonly string[]): Promise<string[]> {
    let link: { connection: Connection; version: number }
    try {
      link = await this.connect(brokers)
    } catch {
      // No broker to ask: the core producer reports that itself, with its own retries.
      this.connection = undefined
      return []
    }
    let response: Awaited<ReturnType<Connection['send']>>
    try {
      response = await link.connection.send(metadata, link.version, {
        topics: topics.map((name) => ({ name })),
        allowAutoTopicCreation: false,
      })
    } catch {
      this.connection = undefined
      link.connection.close().catch(() => {})
      return []
    }
    const missing: string[] = []
    for (const topic of (response as { topics: Array<{ name: string | null; errorCode: number }> }).topics) {
      if (topic.name === null) continue
      if (topic.errorCode === ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION) missing.push(topic.name)
      else this.known.add(topic.name) // other errors (authorization, invalid name) are the core's to report
    }
    return missing
  }

  private connect(brokers: readonly string[]): Promise<{ connection: Connection; version: number }> {
    this.connection ??= this.open(brokers)
    return this.connection
  }

  private async open(brokers: readonly string[]): Promise<{ connection: Connection; version: number }> {
    let lastError: unknown
    for (const broker of brokers) {
      const colon = broker.lastIndexOf(':')
      const host = broker.slice(0, colon).replace(/^\[(.*)\]$/, '$1')
      const port = Number(broker.slice(colon + 1))
      try {
        const connection = await Connection.connect({
          host,
          port,
          clientId: this.options.clientId,
          requestTimeoutMs: this.options.requestTimeoutMs,
          connectTimeoutMs: this.options.connectTimeoutMs,
          tls:
            this.options.tls === undefined || this.options.tls === false
              ? undefined
              : this.options.tls === true
                ? {}
                : this.options.tls,
        })
        const versions = await connection.send(apiVersions, 0, {
          clientSoftwareName: 'tributary-kafkajs',
          clientSoftwareVersion: '0.1.0',
        })
        const theirs = versions.apiKeys.find((k) => k.apiKey === metadata.apiKey)
        const version = Math.min(theirs?.maxVersion ?? -1, metadata.maxVersion)
        if (version < MIN_METADATA_VERSION) {
          await connection.close()
          throw new Error(`broker ${broker} does not support Metadata v${MIN_METADATA_VERSION}`)
        }
        connection.onClose(() => {
          this.connection = undefined
        })
        return { connection, version }
      } catch (error) {
        lastError = error
      }
    }
    throw lastError
  }

  async close(): Promise<void> {
    this.closed = true
    const link = this.connection
    this.connection = undefined
    if (link !== undefined) await link.then((l) => l.connection.close()).catch(() => {})
  }
}
