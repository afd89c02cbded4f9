import net from 'node:net'
import * as tls from 'node:tls'
import { AuthenticationError } from '../errors/authentication-error.js'
import { ConnectionError } from '../errors/connection-error.js'
import { ProtocolError } from '../errors/protocol-error.js'
import { toError } from '../errors/to-error.js'
import type { ApiDefinition } from '../protocol/apis/api-definition.js'
import { Reader } from '../protocol/buffer/reader.js'
import { Writer } from '../protocol/buffer/writer.js'
import { decodeResponseFrame, encodeRequestFrame, FrameSplitter } from '../protocol/frame.js'

/** Options for one broker connection. */
export interface ConnectionOptions {
  host: string
  port: number
  /** Sent in every request header. Default 'tributary'. */
  clientId?: string
  /** How long to wait for the TCP connection. Default 10 s. */
  connectTimeoutMs?: number
  /** How long to wait for each response. Default 30 s. */
  requestTimeoutMs?: number
  /** Largest response frame accepted. Default 100 MiB. */
  maxFrameBytes?: number
  /**
   * Connect with TLS (node:tls) using these options (`ca`, `cert`, `key`, `servername`,
   * `rejectUnauthorized`, ...); plain TCP when absent. The server certificate is verified against
   * `host` (or `servername`) unless `checkServerIdentity` says otherwise.
   */
  tls?: tls.ConnectionOptions | undefined
}

/** Sends one request on a connection and resolves with the decoded response body. */
export type SendFunction = <Req, Res>(api: ApiDefinition<Req, Res>, version: number, request: Req) => Promise<Res>

interface Pending {
  api: ApiDefinition<unknown, unknown>
  version: number
  resolve: (response: unknown) => void
  reject: (error: Error) => void
  deadline: number
}

/**
 * One TCP connection to a broker. Requests are pipelined: each gets a correlation id and the
 * responses, which Kafka sends in request order, settle them in turn.
 */
export class Connection {
  readonly host: string
  readonly port: number
  private readonly clientId: string
  private readonly requestTimeoutMs: number
  private readonly socket: net.Socket
  private readonly splitter: FrameSplitter
  private readonly pending = new Map<number, Pending>()
  private readonly writer = new Writer(16 * 1024)
  private nextCorrelationId = 1
  private closedError: Error | undefined
  private timer: NodeJS.Timeout | undefined
  private readonly closeListeners: Array<(error: Error) => void> = []
  /** Requests held back while an exclusive exchange (SASL re-authentication) runs; undefined otherwise. */
  private held: Array<() => void> | undefined

  private constructor(socket: net.Socket, options: ConnectionOptions) {
    this.socket = socket
    this.host = options.host
    this.port = options.port
    this.clientId = options.clientId ?? 'tributary'
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000
    this.splitter = new FrameSplitter({ maxFrameBytes: options.maxFrameBytes ?? 100 * 1024 * 1024 })
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (error) =>
      this.fail(
        new ConnectionError(`connection to ${this.address} failed: ${error.message}`, {
          cause: error,
          retriable: true,
        }),
      ),
    )
    socket.on('close', () =>
      this.fail(new ConnectionError(`connection to ${this.address} closed`, { retriable: true })),
    )
  }

  /**
   * Opens a connection (and completes the TLS handshake when `tls` is set); rejects with a
   * ConnectionError when the broker cannot be reached, or with an AuthenticationError (mechanism
   * `TLS`) when the TLS handshake fails, e.g. on an untrusted or mismatched certificate.
   */
  static connect(options: ConnectionOptions): Promise<Connection> {
    const timeoutMs = options.connectTimeoutMs ?? 10_000
    return new Promise((resolve, reject) => {
      const socket =
        options.tls === undefined
          ? net.connect({ host: options.host, port: options.port, noDelay: true })
          : tls.connect({ ...options.tls, host: options.host, port: options.port })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(
          new ConnectionError(`connecting to ${options.host}:${options.port} timed out after ${timeoutMs} ms`, {
            retriable: true,
          }),
        )
      }, timeoutMs)
      socket.once('error', (error) => {
        clearTimeout(timer)
        socket.destroy()
        reject(connectError(error, options))
      })
      socket.once(options.tls === undefined ? 'connect' : 'secureConnect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        socket.setNoDelay(true)
        resolve(new Connection(socket, options))
      })
    })
  }

  /** `host:port` of the broker. */
  get address(): string {
    return `${this.host}:${this.port}`
  }

  /** True until the connection fails or is closed. */
  get open(): boolean {
    return this.closedError === undefined
  }

  /** Requests sent that have not been answered yet, and requests held back by an exclusive exchange. */
  get inFlight(): number {
    return this.pending.size + (this.held?.length ?? 0)
  }

  /** Sends a request and resolves with the decoded response body. */
  send<Req, Res>(api: ApiDefinition<Req, Res>, version: number, request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      if (this.held !== undefined) this.held.push(() => this.dispatch(api, version, request, resolve, reject))
      else this.dispatch(api, version, request, resolve, reject)
    })
  }

  /** Sends a request the broker will not answer (Produce with acks=0). */
  sendWithoutResponse<Req>(api: ApiDefinition<Req, unknown>, version: number, request: Req): void {
    if (this.held !== undefined) {
      // Written when the exclusive exchange ends; if the connection fails first it is lost, as a
      // request without a response on a failed connection always is.
      this.held.push(() => this.write(api, version, request, () => {}))
      return
    }
    this.write(api, version, request, (error) => {
      throw error
    })
  }

  /**
   * Runs an exchange that must not be interleaved with other requests (SASL re-authentication,
   * KIP-368): requests sent meanwhile are held back and written, in order, once `exchange`
   * settles. Requests already in flight go first, as the broker answers in order.
   */
  async exclusive<T>(exchange: (send: SendFunction) => Promise<T>): Promise<T> {
    if (this.held !== undefined) throw new Error('an exclusive exchange is already running on this connection')
    this.held = []
    const send: SendFunction = (api, version, request) =>
      new Promise((resolve, reject) => this.dispatch(api, version, request, resolve, reject))
    try {
      return await exchange(send)
    } finally {
      const held = this.held
      this.held = undefined
      this.socket.cork()
      for (const write of held) write()
      this.socket.uncork()
    }
  }

  private dispatch<Req, Res>(
    api: ApiDefinition<Req, Res>,
    version: number,
    request: Req,
    resolve: (response: Res) => void,
    reject: (error: Error) => void,
  ): void {
    const correlationId = this.write(api, version, request, reject)
    if (correlationId === undefined) return
    this.pending.set(correlationId, {
      api: api as ApiDefinition<unknown, unknown>,
      version,
      resolve: resolve as (response: unknown) => void,
      reject,
      deadline: Date.now() + this.requestTimeoutMs,
    })
    this.armTimer()
  }

  private write<Req>(
    api: ApiDefinition<Req, unknown>,
    version: number,
    request: Req,
    reject: (e: Error) => void,
  ): number | undefined {
    if (this.closedError !== undefined) {
      reject(this.closedError)
      return undefined
    }
    const correlationId = this.nextCorrelationId
    this.nextCorrelationId = (this.nextCorrelationId + 1) & 0x7fffffff
    const w = this.writer.reset()
    encodeRequestFrame(w, api as ApiDefinition<unknown, unknown>, version, correlationId, this.clientId, request)
    const chunks = w.toChunks()
    // The writer's buffer is reused, so its bytes are copied; attached buffers go as they are.
    this.socket.cork()
    for (const chunk of chunks) this.socket.write(isViewOf(chunk, w.buffer) ? Buffer.from(chunk) : chunk)
    this.socket.uncork()
    return correlationId
  }

  private onData(chunk: Buffer): void {
    if (this.closedError !== undefined) return
    try {
      this.splitter.push(chunk)
      for (;;) {
        const frame = this.splitter.nextFrame()
        if (frame === undefined) break
        // Kafka answers the requests of one connection in order: the oldest pending one is next.
        const oldest = this.pending.entries().next()
        const correlationId = frame.length >= 4 ? frame.readInt32BE(0) : -1
        if (oldest.done === true || oldest.value[0] !== correlationId) {
          const expected = oldest.done === true ? 'no request was waiting' : `expected ${oldest.value[0]}`
          throw new ProtocolError(`response with correlation id ${correlationId} from ${this.address} (${expected})`)
        }
        const [, pending] = oldest.value
        this.pending.delete(correlationId)
        let response: unknown
        try {
          response = decodeResponseFrame(new Reader(frame), pending.api, pending.version).response
        } catch (error) {
          // Its own request fails with the rest: the outcome is unknown, so it may be retried.
          this.pending.set(correlationId, pending)
          throw new ProtocolError(
            `${pending.api.name} v${pending.version} response (correlation id ${correlationId}) from ${this.address} could not be decoded: ${(error as Error).message}`,
            { cause: error },
          )
        }
        pending.resolve(response)
      }
    } catch (error) {
      const cause = toError(error)
      this.fail(
        new ConnectionError(`${cause.message}; the connection was closed`, {
          cause,
          retriable: true,
        }),
      )
      this.socket.destroy()
    }
  }

  private armTimer(): void {
    if (this.timer !== undefined) return
    this.timer = setInterval(
      () => {
        const now = Date.now()
        for (const [id, p] of this.pending) {
          if (p.deadline > now) continue
          // A late response would arrive out of step with the remaining requests, so the whole
          // connection is abandoned, as the Java client does.
          this.fail(
            new ConnectionError(
              `request ${p.api.name} (correlation id ${id}) to ${this.address} timed out after ${this.requestTimeoutMs} ms`,
              { retriable: true },
            ),
          )
          this.socket.destroy()
          return
        }
        if (this.pending.size === 0) this.stopTimer()
      },
      Math.min(1000, this.requestTimeoutMs),
    )
    this.timer.unref()
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Calls `listener` once, when the connection fails or closes. */
  onClose(listener: (error: Error) => void): void {
    if (this.closedError !== undefined) listener(this.closedError)
    else this.closeListeners.push(listener)
  }

  private fail(error: Error): void {
    const first = this.closedError === undefined
    if (first) this.closedError = error
    this.stopTimer()
    if (first) for (const listener of this.closeListeners.splice(0)) listener(error)
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const p of pending) p.reject(error)
  }

  /** Fails the connection with `error` (rejecting every waiting request with it) and drops it. */
  abort(error: Error): void {
    this.fail(error)
    this.socket.destroy()
  }

  /** Closes the connection; requests still waiting are rejected. */
  close(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve()
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve())
      this.fail(new ConnectionError(`connection to ${this.address} was closed by the client`))
      this.socket.end()
      setTimeout(() => this.socket.destroy(), 1000).unref()
    })
  }
}

/** Certificate and TLS protocol failures are authentication failures (as Java's SslAuthenticationException). */
const TLS_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME|INVALID_CA|^ERR_SSL_|^ERR_TLS_/

function connectError(error: Error, options: ConnectionOptions): Error {
  const code = (error as NodeJS.ErrnoException).code
  if (options.tls !== undefined && code !== undefined && TLS_FAILURE.test(code)) {
    const notTls = code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? ' (is this a TLS listener?)' : ''
    return new AuthenticationError({
      mechanism: 'TLS',
      broker: `${options.host}:${options.port}`,
      reason: `${error.message} (${code})${notTls}`,
      cause: error,
    })
  }
  return new ConnectionError(`cannot connect to ${options.host}:${options.port}: ${error.message}`, {
    cause: error,
    retriable: true,
  })
}

function isViewOf(chunk: Buffer, owner: Buffer): boolean {
  return (
    chunk.buffer === owner.buffer &&
    chunk.byteOffset >= owner.byteOffset &&
    chunk.byteOffset < owner.byteOffset + owner.length
  )
}
