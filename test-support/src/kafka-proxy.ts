import net from 'node:net'
import {
  type ApiDefinition,
  apiByKey,
  decodeRequestHeaderOnly,
  decodeResponseFrame,
  encodeResponseFrame,
  FrameSplitter,
  Writer,
} from '@tributary/core/protocol'

/** A request as the proxy saw it go to the broker. */
export interface ProxiedRequest {
  apiKey: number
  apiName: string
  apiVersion: number
  correlationId: number
}

/** What to do with a request: pass it on, swallow it (the broker never sees it), or close the connection. */
export type RequestAction = 'forward' | 'swallow' | 'close'

/** What to do with a response: pass it on as it is, replace its bytes (after the size), drop it, or close. */
export type ResponseAction = 'forward' | 'drop' | 'close' | { bytes: Buffer }

/** Hooks a test sets (and changes) while the proxy runs. */
export interface ProxyHooks {
  request?: (request: ProxiedRequest) => RequestAction
  response?: (request: ProxiedRequest, frame: Buffer) => ResponseAction
}

/**
 * A Kafka-aware TCP proxy on 127.0.0.1 in front of one broker: it sees every request and response
 * frame and lets a test corrupt, drop or replace responses, swallow requests or close connections,
 * to play a broker that misbehaves in ways the mock cluster never does. Clients bootstrap through
 * it; brokers in Metadata keep their real addresses unless a hook rewrites them.
 */
export class KafkaProxy {
  hooks: ProxyHooks = {}
  readonly requests: ProxiedRequest[] = []
  private readonly server: net.Server
  private readonly sockets = new Set<net.Socket>()

  private constructor(
    server: net.Server,
    private readonly target: { host: string; port: number },
  ) {
    this.server = server
  }

  static async start(target: string): Promise<KafkaProxy> {
    const [host, port] = target.split(':') as [string, string]
    const server = net.createServer()
    const proxy = new KafkaProxy(server, { host, port: Number(port) })
    server.on('connection', (client) => proxy.accept(client))
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
    return proxy
  }

  /** `host:port` clients connect to. */
  get address(): string {
    const a = this.server.address() as net.AddressInfo
    return `127.0.0.1:${a.port}`
  }

  /** Drops every open connection. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
  }

  async stop(): Promise<void> {
    this.dropConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target)
    this.sockets.add(client)
    this.sockets.add(upstream)
    const inFlight = new Map<number, ProxiedRequest>()
    const fromClient = new FrameSplitter()
    const fromBroker = new FrameSplitter()
    const close = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('close', close)
    upstream.on('close', close)
    client.on('error', close)
    upstream.on('error', close)
    client.on('data', (chunk: Buffer) => {
      try {
        for (const frame of fromClient.push(chunk)) {
          const header = decodeRequestHeaderOnly(frame)
          const request: ProxiedRequest = {
            apiKey: header.apiKey,
            apiName: apiByKey(header.apiKey)?.name ?? `api ${header.apiKey}`,
            apiVersion: header.apiVersion,
            correlationId: header.correlationId,
          }
          this.requests.push(request)
          const action = this.hooks.request?.(request) ?? 'forward'
          if (action === 'close') return close()
          if (action === 'swallow') continue
          inFlight.set(header.correlationId, request)
          upstream.write(withSize(frame))
        }
      } catch {
        close()
      }
    })
    upstream.on('data', (chunk: Buffer) => {
      try {
        for (const frame of fromBroker.push(chunk)) {
          const correlationId = frame.readInt32BE(0)
          const request = inFlight.get(correlationId)
          inFlight.delete(correlationId)
          const action = request === undefined ? 'forward' : (this.hooks.response?.(request, frame) ?? 'forward')
          if (action === 'close') return close()
          if (action === 'drop') continue
          client.write(withSize(action === 'forward' ? frame : action.bytes))
        }
      } catch {
        close()
      }
    })
  }
}

function withSize(frame: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + frame.length)
  out.writeInt32BE(frame.length, 0)
  frame.copy(out, 4)
  return out
}

/**
 * Decodes a response frame with the core's codecs, lets `mutate` change it, and encodes it again
 * (the bytes after the size), for hooks that send well-formed but absurd answers.
 */
export function rewriteResponse<T>(request: ProxiedRequest, frame: Buffer, mutate: (response: T) => void): Buffer {
  const api = apiByKey(request.apiKey) as ApiDefinition<unknown, T>
  const { correlationId, response } = decodeResponseFrame(frame, api, request.apiVersion)
  mutate(response)
  const w = new Writer(frame.length + 64)
  encodeResponseFrame(w, api, request.apiVersion, correlationId, response)
  return w.toBufferCopy().subarray(4)
}
