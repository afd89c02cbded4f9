import type * as tls from 'node:tls'
import {
  type AuthenticateEvent,
  authenticateChannel,
  type ConnectEvent,
  connectChannel,
  type DisconnectEvent,
  disconnectChannel,
  traced,
} from '../diagnostics/channels.js'
import { AuthenticationError } from '../errors/authentication-error.js'
import { BrokerNotAvailableError } from '../errors/broker-not-available-error.js'
import { ConnectionError } from '../errors/connection-error.js'
import { toError } from '../errors/to-error.js'
import type { ApiDefinition } from '../protocol/apis/api-definition.js'
import { apiVersions } from '../protocol/apis/api-versions/api-versions.js'
import { metadata as metadataApi } from '../protocol/apis/metadata/metadata.js'
import { ErrorCodes } from '../protocol/error-codes.js'
import { Connection } from './connection.js'
import { createMechanism, type SaslOutcome, saslAuthenticateConnection } from './sasl/authenticate.js'
import type { SaslMechanism } from './sasl/mechanism.js'
import type { SaslOptions } from './sasl/types.js'

/** A broker address. */
export interface BrokerAddress {
  host: string
  port: number
}

/** Options of a broker pool. */
export interface BrokerPoolOptions {
  clientId: string
  bootstrap: readonly BrokerAddress[]
  connectTimeoutMs: number
  requestTimeoutMs: number
  /** Reported to brokers in ApiVersions v3+. */
  softwareName?: string
  softwareVersion?: string
  /** TLS options for every connection (node:tls); plain TCP when absent. */
  tls?: tls.ConnectionOptions | undefined
  /** SASL authentication of every connection, after ApiVersions; none when absent. */
  sasl?: SaslOptions | undefined
  /**
   * After an authentication failure, new connection attempts fail at once with the same
   * AuthenticationError for this long instead of reconnecting. Default 1000 ms.
   */
  authFailureBackoffMs?: number | undefined
}

/** A connection with the API versions its broker supports. */
export class BrokerConnection {
  readonly connection: Connection
  private readonly versions: ReadonlyMap<number, { min: number; max: number }>

  constructor(connection: Connection, versions: ReadonlyMap<number, { min: number; max: number }>) {
    this.connection = connection
    this.versions = versions
  }

  /** The highest version of `api` both sides support (capped at `cap`), or -1 if none. */
  version(api: ApiDefinition<unknown, unknown>, cap = Number.POSITIVE_INFINITY): number {
    const range = this.versions.get(api.apiKey)
    if (range === undefined) return -1
    const max = Math.min(range.max, api.maxVersion, cap)
    return max >= Math.max(range.min, api.minVersion) ? max : -1
  }

  /** Sends a request at the highest shared version (at most `cap`, for APIs whose newer versions are not for clients). */
  send<Req, Res>(api: ApiDefinition<Req, Res>, request: Req, cap?: number): Promise<Res> {
    const version = this.version(api as ApiDefinition<unknown, unknown>, cap)
    if (version < 0) {
      return Promise.reject(
        new ConnectionError(`broker ${this.connection.address} does not support ${api.name}`, { retriable: false }),
      )
    }
    return this.connection.send(api, version, request)
  }
}

interface PoolEntry {
  attempt: Promise<BrokerConnection>
  /** Set once the attempt succeeded. */
  ready?: BrokerConnection
}

/**
 * Connections to brokers by node id, plus the bootstrap addresses. Each connection negotiates
 * API versions once; a failed connection is replaced on the next request. Concurrent callers for
 * the same broker share one connection attempt.
 */
export class BrokerPool {
  private readonly options: BrokerPoolOptions
  private readonly entries = new Map<number, PoolEntry>()
  private readonly addresses = new Map<number, BrokerAddress>()
  private readonly all = new Set<Connection>()
  private bootstrapAttempt: Promise<BrokerConnection> | undefined
  private nextCandidate = 0
  private closed = false
  private readonly mechanism: SaslMechanism | undefined
  /** The pending re-authentication of each SASL connection that has one. */
  private readonly reauthTimers = new WeakMap<BrokerConnection, NodeJS.Timeout>()
  /** The last authentication failure, replayed to new attempts until `until`. */
  private authFailure: { error: AuthenticationError; until: number } | undefined

  constructor(options: BrokerPoolOptions) {
    this.options = options
    this.mechanism = options.sasl === undefined ? undefined : createMechanism(options.sasl)
  }

  /** Updates the known broker addresses (from metadata). */
  setBrokers(brokers: Iterable<{ nodeId: number; host: string; port: number }>): void {
    for (const b of brokers) {
      const known = this.addresses.get(b.nodeId)
      if (known !== undefined && (known.host !== b.host || known.port !== b.port)) this.entries.delete(b.nodeId)
      this.addresses.set(b.nodeId, { host: b.host, port: b.port })
    }
  }

  /** The open connection to a node if there is one right now, without waiting. */
  readyConnection(nodeId: number): BrokerConnection | undefined {
    const ready = this.entries.get(nodeId)?.ready
    return ready?.connection.open ? ready : undefined
  }

  /** A connection to a node, opening one if needed. */
  get(nodeId: number): Promise<BrokerConnection> {
    if (this.closed) return Promise.reject(closedError())
    const entry = this.entries.get(nodeId)
    if (entry !== undefined && (entry.ready === undefined || entry.ready.connection.open)) return entry.attempt
    const address = this.addresses.get(nodeId)
    if (address === undefined) return Promise.reject(new ConnectionError(`broker ${nodeId} is not in the metadata`))
    const fresh: PoolEntry = { attempt: this.open(address) }
    fresh.attempt.then(
      (connection) => {
        fresh.ready = connection
      },
      () => {
        if (this.entries.get(nodeId) === fresh) this.entries.delete(nodeId)
      },
    )
    this.entries.set(nodeId, fresh)
    return fresh.attempt
  }

  /**
   * A connection to any broker, for metadata: an open one if there is one, else the known brokers
   * and the bootstrap addresses in turn. Rejects with BrokerNotAvailableError naming every address
   * tried.
   */
  async any(): Promise<BrokerConnection> {
    for (const entry of this.entries.values()) if (entry.ready?.connection.open) return entry.ready
    const current = this.bootstrapAttempt
    if (current !== undefined) {
      const c = await current.catch(() => undefined)
      if (c?.connection.open) return c
    }
    const attempt = this.connectAny()
    this.bootstrapAttempt = attempt
    return attempt
  }

  private async connectAny(): Promise<BrokerConnection> {
    const candidates: BrokerAddress[] = [...this.addresses.values(), ...this.options.bootstrap]
    const tried: string[] = []
    let lastError: unknown
    for (let i = 0; i < candidates.length; i++) {
      const address = candidates[(this.nextCandidate + i) % candidates.length] as BrokerAddress
      const name = `${address.host}:${address.port}`
      if (tried.includes(name)) continue
      tried.push(name)
      try {
        const c = await this.open(address)
        this.nextCandidate = (this.nextCandidate + i + 1) % candidates.length
        return c
      } catch (error) {
        // Credentials (and the trusted CA) are the same for every broker: trying the next one
        // would only repeat the failure.
        if (this.closed || AuthenticationError.isInstance(error)) throw error
        lastError = error
      }
    }
    this.nextCandidate = (this.nextCandidate + 1) % Math.max(1, candidates.length)
    throw new BrokerNotAvailableError(tried, lastError)
  }

  /** TCP (or TLS), then ApiVersions, then SASL when configured; traced on `tributary:connection:connect`. */
  private open(address: BrokerAddress): Promise<BrokerConnection> {
    return traced(
      connectChannel,
      (): ConnectEvent => ({
        clientId: this.options.clientId,
        host: address.host,
        port: address.port,
        tls: this.options.tls !== undefined,
        sasl: this.mechanism?.name,
      }),
      () => this.openConnection(address),
    )
  }

  private async openConnection(address: BrokerAddress): Promise<BrokerConnection> {
    if (this.closed) throw closedError()
    const failure = this.authFailure
    if (failure !== undefined && Date.now() < failure.until) throw failure.error
    let connection: Connection
    try {
      connection = await Connection.connect({
        host: address.host,
        port: address.port,
        clientId: this.options.clientId,
        connectTimeoutMs: this.options.connectTimeoutMs,
        requestTimeoutMs: this.options.requestTimeoutMs,
        tls: this.options.tls,
      })
    } catch (error) {
      this.noteFailure(error)
      throw error
    }
    this.all.add(connection)
    connection.onClose((error) => {
      this.all.delete(connection)
      if (disconnectChannel.hasSubscribers) {
        const event: DisconnectEvent = {
          clientId: this.options.clientId,
          host: address.host,
          port: address.port,
          error,
        }
        disconnectChannel.publish(event)
      }
    })
    try {
      const versions = await negotiate(connection, this.options)
      if (this.closed) throw closedError()
      const broker = new BrokerConnection(connection, versions)
      if (this.mechanism !== undefined) {
        const mechanism = this.mechanism
        const outcome = await traced(
          authenticateChannel,
          (): AuthenticateEvent => ({
            clientId: this.options.clientId,
            broker: connection.address,
            mechanism: mechanism.name,
            reauthentication: false,
          }),
          () =>
            saslAuthenticateConnection(
              (api, version, request) => connection.send(api, version, request),
              (api) => broker.version(api),
              mechanism,
              connection.address,
            ),
        )
        if (this.closed) throw closedError()
        this.scheduleReauthentication(broker, outcome)
      }
      this.authFailure = undefined
      return broker
    } catch (error) {
      this.noteFailure(error)
      await connection.close()
      throw error
    }
  }

  private noteFailure(error: unknown): void {
    if (!AuthenticationError.isInstance(error)) return
    this.authFailure = { error, until: Date.now() + (this.options.authFailureBackoffMs ?? 1000) }
  }

  /**
   * Re-authenticates on the same connection (KIP-368) before the session the broker granted, or
   * the OAuth token, expires: at a random point between 85% and 95% of the lifetime, as the Java
   * client does, so that connections opened together do not re-authenticate together.
   */
  private scheduleReauthentication(broker: BrokerConnection, outcome: SaslOutcome): void {
    if (!outcome.canReauthenticate) return // a broker before KIP-368 neither expires sessions nor re-authenticates
    const now = Date.now()
    let lifetime = outcome.sessionLifetimeMs > 0 ? outcome.sessionLifetimeMs : Number.POSITIVE_INFINITY
    if (outcome.credentialsExpireAt !== undefined) lifetime = Math.min(lifetime, outcome.credentialsExpireAt - now)
    if (lifetime === Number.POSITIVE_INFINITY) return
    // At least 100 ms apart, so that a provider of nearly expired tokens cannot cause a busy loop.
    const delay = Math.max(100, lifetime * (0.85 + Math.random() * 0.1))
    const first = !this.reauthTimers.has(broker)
    const timer = setTimeout(() => void this.reauthenticate(broker), delay)
    timer.unref()
    this.reauthTimers.set(broker, timer)
    if (first) broker.connection.onClose(() => clearTimeout(this.reauthTimers.get(broker)))
  }

  private async reauthenticate(broker: BrokerConnection): Promise<void> {
    const connection = broker.connection
    const mechanism = this.mechanism
    if (!connection.open || this.closed || mechanism === undefined) return
    // Requests sent meanwhile wait; on failure they are rejected with the failure, so records
    // waiting for this broker fail with the AuthenticationError (or are retried on a
    // ConnectionError) instead of reaching a broker that would close the connection.
    await connection.exclusive(async (send) => {
      try {
        const outcome = await traced(
          authenticateChannel,
          (): AuthenticateEvent => ({
            clientId: this.options.clientId,
            broker: connection.address,
            mechanism: mechanism.name,
            reauthentication: true,
          }),
          () => saslAuthenticateConnection(send, (api) => broker.version(api), mechanism, connection.address),
        )
        this.scheduleReauthentication(broker, outcome)
      } catch (error) {
        this.noteFailure(error)
        connection.abort(toError(error))
      }
    })
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    this.closed = true
    const connections = [...this.all]
    this.all.clear()
    this.entries.clear()
    await Promise.all(connections.map((c) => c.close()))
  }
}

function closedError(): ConnectionError {
  return new ConnectionError('the producer is closed', { retriable: false })
}

/**
 * ApiVersions handshake: ask with the newest version we know; a broker that does not know it
 * answers v0 with UNSUPPORTED_VERSION and its own range, and we ask again within that range.
 */
async function negotiate(
  connection: Connection,
  options: BrokerPoolOptions,
): Promise<Map<number, { min: number; max: number }>> {
  const request = {
    clientSoftwareName: options.softwareName ?? 'tributary',
    clientSoftwareVersion: options.softwareVersion ?? '0.1.0',
  }
  let version = apiVersions.maxVersion
  for (let attempt = 0; attempt < 2; attempt++) {
    const response = await connection.send(apiVersions, version, request)
    if (response.errorCode === ErrorCodes.UNSUPPORTED_VERSION) {
      const theirs = response.apiKeys.find((k) => k.apiKey === apiVersions.apiKey)
      if (theirs === undefined || attempt > 0) break
      version = Math.min(theirs.maxVersion, apiVersions.maxVersion)
      continue
    }
    if (response.errorCode !== ErrorCodes.NONE) break
    const versions = new Map<number, { min: number; max: number }>()
    for (const k of response.apiKeys) {
      if (k.minVersion < 0 || k.maxVersion < k.minVersion) continue
      versions.set(k.apiKey, { min: k.minVersion, max: k.maxVersion })
    }
    // Every connection is used for Metadata: a broker that lists no usable version of it is not
    // one to keep a connection to (a later connection may find it healthy).
    if (!versions.has(metadataApi.apiKey)) {
      throw new ConnectionError(
        `broker ${connection.address} lists no usable Metadata version in its ApiVersions answer (${response.apiKeys.length} API(s) listed)`,
        { retriable: true },
      )
    }
    return versions
  }
  throw new ConnectionError(`broker ${connection.address} did not complete the ApiVersions handshake`, {
    retriable: true,
  })
}
