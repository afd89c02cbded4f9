import net from 'node:net'
import tls from 'node:tls'
import {
  type ApiDefinition,
  apiByKey,
  decodeRequestHeaderOnly,
  encodeResponseFrame,
  FrameSplitter,
  ProtocolError,
  Reader,
  type RequestHeader,
  Writer,
} from '@tributary/core/protocol'
import type { BrokerContext, RequestHandler } from './handlers/handler.js'
import { ConnectionAuthenticator } from './sasl/authenticator.js'
import type { MockTlsOptions } from './sasl/options.js'
import type { SaslServer } from './sasl/server.js'

/** Where a broker sends its log lines; `false` in options silences it. */
export interface MockLogger {
  info(message: string): void
  warn(message: string): void
}

/** Everything a broker needs from its cluster. */
export interface BrokerHost {
  readonly logger: MockLogger
  readonly maxFrameBytes: number
  /** The handler for an API key, or undefined when the mock does not implement it. */
  handlerFor(apiKey: number): RequestHandler | undefined
  /** Supported version range of an API, as advertised in ApiVersions. */
  versionRange(apiKey: number): { min: number; max: number } | undefined
  /** Called for every request that decoded, before it is handled. */
  observe(brokerId: number, header: RequestHeader, api: ApiDefinition<unknown, unknown>): void
  /** SASL on every connection (a SASL listener), or undefined for none. */
  readonly sasl?: SaslServer | undefined
  /** TLS on every connection, or undefined for plain TCP. */
  readonly tls?: MockTlsOptions | undefined
}

/** One broker of the mock cluster: a TCP listener on 127.0.0.1 that answers Kafka requests. */
export class MockBroker {
  readonly nodeId: number
  readonly host: string
  port: number
  /** Extra delay before each response, for latency tests. */
  latencyMs = 0
  private server: net.Server | undefined
  private readonly sockets = new Set<net.Socket>()
  /** TCP sockets of TLS connections, tracked from before the handshake so that stop() can drop them. */
  private readonly rawSockets = new Set<net.Socket>()
  private readonly cluster: BrokerHost

  constructor(cluster: BrokerHost, nodeId: number, host: string, port: number) {
    this.cluster = cluster
    this.nodeId = nodeId
    this.host = host
    this.port = port
  }

  get running(): boolean {
    return this.server !== undefined
  }

  /** Starts listening (on the same port as before after a stop). */
  async start(): Promise<void> {
    if (this.server !== undefined) return
    const options = this.cluster.tls
    const server =
      options === undefined
        ? net.createServer({ noDelay: true }, (socket) => this.accept(socket))
        : tls.createServer(
            {
              key: options.key,
              cert: options.cert,
              ...(options.ca === undefined ? {} : { ca: options.ca }),
              requestCert: options.requestCert ?? false,
              rejectUnauthorized: options.requestCert ?? false,
            },
            (socket) => this.accept(socket),
          )
    if (options !== undefined) {
      server.on('connection', (socket: net.Socket) => {
        this.rawSockets.add(socket)
        socket.once('close', () => this.rawSockets.delete(socket))
      })
      server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
        const from = socket.remoteAddress === undefined ? '' : ` with ${socket.remoteAddress}:${socket.remotePort}`
        this.cluster.logger.warn(`broker ${this.nodeId}: TLS handshake${from} failed: ${error.message}`)
      })
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: this.host, port: this.port, exclusive: true }, () => {
        server.off('error', reject)
        resolve()
      })
    })
    server.on('error', (error) => this.cluster.logger.warn(`broker ${this.nodeId}: server error: ${error.message}`))
    const address = server.address()
    if (address !== null && typeof address === 'object') this.port = address.port
    this.server = server
  }

  /** Stops listening and drops every connection; the port refuses connections until `start`. */
  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    this.dropConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Destroys every open connection to this broker (clients see a reset). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy()
    this.sockets.clear()
    for (const socket of this.rawSockets) socket.destroy()
    this.rawSockets.clear()
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket)
    socket.setNoDelay(true)
    const connection = new BrokerConnection(this, this.cluster, socket)
    socket.on('data', (chunk: Buffer) => connection.onData(chunk))
    socket.on('error', () => socket.destroy())
    socket.on('close', () => {
      this.sockets.delete(socket)
      connection.closed = true
    })
  }
}

/** Requests read ahead on one connection before it stops reading from the socket. */
const MAX_QUEUED_REQUESTS = 64
/** Response bytes waiting for a client to read before the connection stops handling requests. */
const MAX_BUFFERED_RESPONSE_BYTES = 4 * 1024 * 1024

/** Per-connection state: frames in, requests handled one at a time in order, responses out. */
class BrokerConnection {
  get closed(): boolean {
    return this.isClosed
  }

  set closed(value: boolean) {
    if (!value || this.isClosed) return
    this.isClosed = true
    this.queue.length = 0
    this.aborter.abort()
  }

  private isClosed = false
  /** Aborted when the connection closes, for handlers that wait (Fetch). */
  private readonly aborter = new AbortController()
  private readonly splitter: FrameSplitter
  private readonly queue: Buffer[] = []
  private processing = false
  private readonly writer = new Writer(4096)
  private readonly context: BrokerContext
  private readonly broker: MockBroker
  private readonly cluster: BrokerHost
  private readonly socket: net.Socket
  /** SASL state on a SASL listener; undefined when the cluster has no SASL. */
  private readonly auth: ConnectionAuthenticator | undefined

  constructor(broker: MockBroker, cluster: BrokerHost, socket: net.Socket) {
    this.broker = broker
    this.cluster = cluster
    this.socket = socket
    this.auth = cluster.sasl === undefined ? undefined : new ConnectionAuthenticator(cluster.sasl)
    this.splitter = new FrameSplitter({ maxFrameBytes: cluster.maxFrameBytes })
    this.context = {
      brokerId: broker.nodeId,
      connection: { remote: `${socket.remoteAddress}:${socket.remotePort}`, closed: this.aborter.signal },
    }
  }

  onData(chunk: Buffer): void {
    if (this.closed) return
    try {
      for (const frame of this.splitter.push(chunk)) this.queue.push(frame)
    } catch (error) {
      this.fail(error)
      return
    }
    // Backpressure, like Kafka muting a connection with a request in flight: a client that sends
    // faster than it reads its responses is not read from until it catches up.
    if (this.queue.length >= MAX_QUEUED_REQUESTS) this.socket.pause()
    if (!this.processing) void this.drain()
  }

  private async drain(): Promise<void> {
    this.processing = true
    try {
      while (this.queue.length > 0 && !this.closed) {
        const frame = this.queue.shift() as Buffer
        await this.handle(frame)
        if (this.socket.writableLength > MAX_BUFFERED_RESPONSE_BYTES && !this.closed) {
          await new Promise<void>((resolve) => {
            const done = () => {
              this.socket.off('drain', done)
              this.socket.off('close', done)
              resolve()
            }
            this.socket.on('drain', done)
            this.socket.on('close', done)
          })
        }
      }
    } catch (error) {
      this.fail(error)
    } finally {
      this.processing = false
      if (!this.closed && this.socket.isPaused()) this.socket.resume()
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    const auth = this.auth
    if (auth?.rawTokens) {
      // After a SaslHandshake v0 the client sends raw SASL tokens, size-prefixed, without headers.
      const reply = auth.raw(frame)
      if (reply.token !== undefined) {
        const out = Buffer.allocUnsafe(4 + reply.token.length)
        out.writeInt32BE(reply.token.length, 0)
        reply.token.copy(out, 4)
        this.socket.write(out)
      }
      if (reply.info !== undefined) this.log('info', reply.info)
      if (reply.close !== undefined) this.fail(new Error(reply.close))
      return
    }
    const reader = new Reader(frame)
    const header = decodeRequestHeaderOnly(reader)
    const api = apiByKey(header.apiKey)
    const range = this.cluster.versionRange(header.apiKey)
    const handler = this.cluster.handlerFor(header.apiKey)
    if (api === undefined || range === undefined || handler === undefined) {
      throw new ProtocolError(`unsupported API key ${header.apiKey} (version ${header.apiVersion})`)
    }
    if (header.apiVersion < range.min || header.apiVersion > range.max) {
      // Kafka answers an ApiVersions request it cannot parse with v0 and UNSUPPORTED_VERSION,
      // listing its versions, so that the client can retry with one it shares.
      if (api.name === 'ApiVersions') {
        const response = handler.unsupportedVersion?.(this.context)
        if (response !== undefined) this.respond(api, 0, header.correlationId, response)
        return
      }
      throw new ProtocolError(
        `${api.name} version ${header.apiVersion} is not supported (supported: ${range.min}-${range.max})`,
      )
    }
    // On a SASL listener only ApiVersions and the SASL exchange come before authentication;
    // anything else closes the connection, as in Kafka.
    const refused = auth?.refuse(header.apiKey, api.name)
    if (refused !== undefined) throw new ProtocolError(refused)
    const request = api.decodeRequest(reader, header.apiVersion)
    this.cluster.observe(this.broker.nodeId, header, api)
    if (auth?.handles(header.apiKey)) {
      const reply = auth.handle(header.apiKey, header.apiVersion, request)
      this.respond(api, header.apiVersion, header.correlationId, reply.response)
      if (reply.info !== undefined) this.log('info', reply.info)
      if (reply.close !== undefined) {
        // The response goes out first; then the connection closes, as Kafka does after a failure.
        this.log('warn', `closing connection from ${this.context.connection.remote}: ${reply.close}`)
        this.closed = true
        this.queue.length = 0
        this.socket.end()
        setTimeout(() => this.socket.destroy(), 1000).unref()
      }
      return
    }
    const response = await handler.handle(this.context, header, request)
    if (this.broker.latencyMs > 0) await delay(this.broker.latencyMs)
    if (response === undefined || this.closed) return
    this.respond(api, header.apiVersion, header.correlationId, response)
  }

  private respond(
    api: ApiDefinition<unknown, unknown>,
    version: number,
    correlationId: number,
    response: unknown,
  ): void {
    const w = this.writer.reset()
    encodeResponseFrame(w, api, version, correlationId, response)
    // The writer is reused for the next response, so the socket gets a copy.
    this.socket.write(w.toBufferCopy())
  }

  private log(level: 'info' | 'warn', message: string): void {
    this.cluster.logger[level](`broker ${this.broker.nodeId}: ${message}`)
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error)
    this.cluster.logger.warn(
      `broker ${this.broker.nodeId}: closing connection from ${this.context.connection.remote}: ${message}`,
    )
    this.closed = true
    this.queue.length = 0
    this.socket.destroy()
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
