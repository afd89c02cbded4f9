import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { apiByKey, ErrorCodes, errorInfo } from '@tributary/core/protocol'
import type { MockRequestLogEntry } from '../mock-cluster/mock-cluster.js'
import { SchemaDecoder } from './bytes.js'
import { type InspectedCluster, transactionsOf } from './internals.js'
import type { MockInspectorOptions } from './options.js'
import { APP_CSS, APP_JS, pageHtml } from './page.js'
import { parseCursor, readRecords } from './records.js'

/** The APIs `failNext` accepts (MockCluster refuses the others); the page offers these. */
export const FAILABLE_APIS = [
  'Produce',
  'Fetch',
  'ListOffsets',
  'Metadata',
  'InitProducerId',
  'FindCoordinator',
  'JoinGroup',
  'SyncGroup',
  'Heartbeat',
  'LeaveGroup',
  'OffsetCommit',
  'OffsetFetch',
  'OffsetDelete',
  'ListGroups',
  'DescribeGroups',
  'DeleteGroups',
  'ConsumerGroupHeartbeat',
  'ConsumerGroupDescribe',
] as const

/** A request in the inspector's log: the cluster's entry and a sequence number. */
interface LoggedRequest extends MockRequestLogEntry {
  seq: number
}

interface EventClient {
  res: ServerResponse
  /** The last request sequence number sent to it. */
  lastSeq: number
  /** The state version last sent to it. */
  stateVersion: number
  /** Its socket buffer is full: nothing is written until it drains. */
  blocked: boolean
}

/** Headers every answer carries. */
const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}
const PAGE_HEADERS = {
  ...COMMON_HEADERS,
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
}
/** Updates go out at most this often (ms). */
const THROTTLE_MS = 250
/** How often the state is compared with what was sent, for changes no request caused (ms). */
const TICK_MS = 1000
/** SSE comment lines keep idle connections open and find dead ones. */
const PING_EVERY_TICKS = 15
/** Event streams served at once; more are refused (503). */
const MAX_EVENT_CLIENTS = 16
/** Requests one `requests` event carries at most (the newest). */
const MAX_REQUESTS_PER_EVENT = 200
const MAX_BODY_BYTES = 16 * 1024

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The mock cluster's web inspector: an HTTP server on 127.0.0.1 serving a page (plain HTML, CSS and
 * JavaScript), a JSON API under /api/ and live updates as server-sent events.
 *
 * Safety: it listens on 127.0.0.1 only; it answers only requests whose Host header names it
 * (127.0.0.1 or localhost and its port), which defeats DNS rebinding; the fault endpoints take POST
 * only, with the per-run token the page carries in an `X-Tributary-Token` header (a custom header
 * that another origin cannot send without a CORS preflight, which is never granted, and a token it
 * cannot read), and refuse an `Origin` other than the inspector's own.
 */
export class Inspector {
  readonly token = randomBytes(24).toString('base64url')
  private server: Server | undefined
  private port = 0
  private readonly log: LoggedRequest[] = []
  private readonly logSize: number
  private seq = 0
  private readonly clients = new Set<EventClient>()
  private timer: NodeJS.Timeout | undefined
  private ticker: NodeJS.Timeout | undefined
  private ticks = 0
  private lastFlush = 0
  private lastStateJson = ''
  private stateVersion = 0
  private readonly decoder: SchemaDecoder | undefined
  private readonly onRequest = (entry: MockRequestLogEntry) => {
    this.seq++
    this.log.push({ ...entry, seq: this.seq })
    if (this.log.length > this.logSize) this.log.splice(0, this.log.length - this.logSize)
    this.schedule()
  }

  private constructor(
    private readonly target: InspectedCluster,
    private readonly options: MockInspectorOptions,
  ) {
    const size = options.requestLogSize ?? 1000
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`requestLogSize must be a positive integer, got ${size}`)
    this.logSize = size
    this.decoder = options.registry === undefined ? undefined : new SchemaDecoder(options.registry)
  }

  /** Starts the inspector of a cluster (MockCluster does, for `ui`). */
  static async start(target: InspectedCluster, options: MockInspectorOptions = {}): Promise<Inspector> {
    const inspector = new Inspector(target, options)
    await inspector.listen()
    return inspector
  }

  /** `http://127.0.0.1:<port>/` */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : error instanceof RangeError ? 400 : 500
        if (!res.headersSent) sendJson(res, status, { error: error instanceof Error ? error.message : String(error) })
        else res.destroy()
      })
    })
    server.keepAliveTimeout = 1000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.server = server
    this.port = (server.address() as AddressInfo).port
    this.target.cluster.on('request', this.onRequest)
    this.ticker = setInterval(() => this.tick(), TICK_MS)
    this.ticker.unref()
  }

  /** Closes the event streams and the server. */
  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    this.target.cluster.off('request', this.onRequest)
    clearInterval(this.ticker)
    clearTimeout(this.timer)
    for (const client of this.clients) client.res.end()
    this.clients.clear()
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host
    if (host !== `127.0.0.1:${this.port}` && host !== `localhost:${this.port}`) {
      throw new HttpError(403, `the inspector answers requests for 127.0.0.1:${this.port} only`)
    }
    const url = new URL(req.url ?? '/', `http://${host}`)
    const path = url.pathname
    const method = req.method ?? 'GET'
    if (path.startsWith('/api/faults/')) {
      if (method !== 'POST') throw new HttpError(405, `${path} takes POST`)
      this.checkCaller(req)
      const body = await readJson(req)
      await this.fault(path.slice('/api/faults/'.length), body)
      this.schedule()
      sendJson(res, 200, { ok: true, state: this.snapshot() })
      return
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${path} takes GET`)
    switch (path) {
      case '/':
      case '/index.html':
        send(res, 200, 'text/html; charset=utf-8', pageHtml(this.token), PAGE_HEADERS)
        return
      case '/app.js':
        send(res, 200, 'text/javascript; charset=utf-8', APP_JS, PAGE_HEADERS)
        return
      case '/app.css':
        send(res, 200, 'text/css; charset=utf-8', APP_CSS, PAGE_HEADERS)
        return
      case '/api/state':
        sendJson(res, 200, this.snapshot())
        return
      case '/api/meta':
        sendJson(res, 200, this.meta())
        return
      case '/api/requests': {
        const after = intParam(url, 'after') ?? 0
        const limit = Math.min(intParam(url, 'limit') ?? 200, this.logSize)
        sendJson(res, 200, this.requestsAfter(after, limit))
        return
      }
      case '/api/records': {
        const topic = url.searchParams.get('topic')
        if (topic === null || topic === '') throw new HttpError(400, 'topic is required')
        const partition = url.searchParams.get('partition')
        const page = await readRecords(
          this.target.state,
          {
            topic,
            partition: partition === null || partition === '' || partition === 'all' ? undefined : toInt(partition),
            before: parseCursor(url.searchParams.get('before')),
            limit: Math.min(Math.max(intParam(url, 'limit') ?? 50, 1), 500),
            key: url.searchParams.get('key') || undefined,
            committedOnly: url.searchParams.get('isolation') === 'read_committed',
          },
          this.decoder,
        )
        sendJson(res, 200, page)
        return
      }
      case '/api/events':
        this.openEvents(req, res)
        return
      default:
        throw new HttpError(404, `no ${path} here`)
    }
  }

  /** Fault endpoints: the token in X-Tributary-Token, and no foreign Origin. */
  private checkCaller(req: IncomingMessage): void {
    const origin = req.headers.origin
    if (
      origin !== undefined &&
      origin !== `http://127.0.0.1:${this.port}` &&
      origin !== `http://localhost:${this.port}`
    ) {
      throw new HttpError(403, `requests from ${origin} may not inject faults`)
    }
    const given = Buffer.from(String(req.headers['x-tributary-token'] ?? ''))
    const expected = Buffer.from(this.token)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new HttpError(403, 'the X-Tributary-Token header is missing or wrong (the page carries it)')
    }
  }

  private async fault(name: string, body: Record<string, unknown>): Promise<void> {
    const cluster = this.target.cluster
    switch (name) {
      case 'move-leader':
        cluster.moveLeader(str(body, 'topic'), int(body, 'partition'), int(body, 'brokerId'))
        return
      case 'stop-broker':
        await cluster.stopBroker(int(body, 'brokerId'))
        return
      case 'start-broker':
        await cluster.startBroker(int(body, 'brokerId'))
        return
      case 'latency':
        cluster.setLatency(int(body, 'brokerId'), int(body, 'ms'))
        return
      case 'drop-connections':
        cluster.dropConnections(optInt(body, 'brokerId'))
        return
      case 'fail-next': {
        const api = str(body, 'api')
        if (!(FAILABLE_APIS as readonly string[]).includes(api)) {
          throw new RangeError(`failures can be injected into ${FAILABLE_APIS.join(', ')}; not into ${api}`)
        }
        const topic = optStr(body, 'topic')
        cluster.failNext(api as (typeof FAILABLE_APIS)[number], {
          errorCode: int(body, 'errorCode'),
          count: optInt(body, 'count') ?? 1,
          ...(topic === undefined ? {} : { topic }),
          ...optional('partition', optInt(body, 'partition')),
          ...optional('brokerId', optInt(body, 'brokerId')),
          ...optional('groupId', optStr(body, 'groupId')),
        })
        return
      }
      case 'clear-failures':
        cluster.clearFailures()
        return
      case 'kick-member':
        cluster.kickMember(str(body, 'groupId'), str(body, 'memberId'))
        return
      default:
        throw new HttpError(404, `no fault named ${name}`)
    }
  }

  /** Everything the page shows but the records and the request log. */
  snapshot() {
    const { cluster, state } = this.target
    return {
      clusterId: state.config.clusterId,
      controller: state.controllerId,
      brokers: cluster.brokers.map((b) => ({ ...b, latencyMs: this.target.latencyOf(b.nodeId) })),
      topics: [...state.topics.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((t) => ({
          name: t.name,
          id: t.id,
          partitions: t.partitions.map((p) => ({
            partition: p.index,
            leader: p.leader,
            leaderEpoch: p.leaderEpoch,
            replicas: p.replicas,
            startOffset: p.log.logStartOffset.toString(),
            endOffset: p.log.logEndOffset.toString(),
            lastStableOffset: p.log.lastStableOffset.toString(),
          })),
        })),
      groups: cluster
        .groups()
        .sort((a, b) => a.groupId.localeCompare(b.groupId))
        .map((g) => ({
          groupId: g.groupId,
          type: g.type,
          state: g.state,
          protocolType: g.protocolType ?? null,
          protocol: g.protocol ?? null,
          generation: g.generation,
          leader: g.leader ?? null,
          coordinator: g.coordinator ?? null,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            assignment: m.assignment ?? null,
            memberEpoch: m.memberEpoch ?? null,
            subscribedTopics: m.subscribedTopics ?? null,
          })),
          offsets: cluster.groupOffsets(g.groupId).map((o) => {
            const end = state.partition(o.topic, o.partition)?.log.logEndOffset
            const lag = end === undefined ? null : end > o.offset ? end - o.offset : 0n
            return {
              topic: o.topic,
              partition: o.partition,
              offset: o.offset.toString(),
              endOffset: end?.toString() ?? null,
              lag: lag?.toString() ?? null,
              metadata: o.metadata,
              transactional: o.transactional,
            }
          }),
        })),
      transactions: transactionsOf(state)
        .sort((a, b) => a.transactionalId.localeCompare(b.transactionalId))
        .map((t) => ({ ...t, producerId: t.producerId.toString() })),
      failures: state.failures.map((f) => ({
        api: apiByKey(f.apiKey)?.name ?? String(f.apiKey),
        errorCode: f.errorCode,
        errorName: errorInfo(f.errorCode).name,
        remaining: f.remaining,
        topic: f.topic ?? null,
        partition: f.partition ?? null,
        brokerId: f.brokerId ?? null,
        groupId: f.groupId ?? null,
      })),
    }
  }

  /** What the fault forms offer: the APIs failNext takes and Kafka's error codes. */
  meta() {
    return {
      failableApis: FAILABLE_APIS,
      errorCodes: Object.entries(ErrorCodes)
        .filter(([, code]) => code !== 0)
        .map(([name, code]) => ({ name, code, retriable: errorInfo(code).retriable })),
      registry: this.options.registry?.running ? this.options.registry.url : null,
      requestLogSize: this.logSize,
    }
  }

  private requestsAfter(after: number, limit: number) {
    const newer = this.log.filter((e) => e.seq > after)
    return { entries: newer.slice(-limit), lastSeq: this.seq, skipped: Math.max(0, newer.length - limit) }
  }

  // --- live updates ---

  private openEvents(req: IncomingMessage, res: ServerResponse): void {
    if (this.clients.size >= MAX_EVENT_CLIENTS) throw new HttpError(503, 'too many open inspector pages')
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    })
    const after = Number(req.headers['last-event-id'] ?? 0)
    const client: EventClient = {
      res,
      // A reconnecting page gets what it missed (within the log); a new one the newest 100.
      lastSeq: Number.isInteger(after) && after > 0 ? after : Math.max(0, this.seq - 100),
      stateVersion: -1,
      blocked: false,
    }
    this.clients.add(client)
    const drop = () => this.clients.delete(client)
    res.on('close', drop)
    res.on('error', drop)
    res.write('retry: 1000\n\n')
    this.lastFlush = 0
    this.schedule()
  }

  private tick(): void {
    if (this.clients.size === 0) return
    this.ticks++
    if (this.ticks % PING_EVERY_TICKS === 0) {
      for (const client of this.clients) if (!client.blocked) this.write(client, ': ping\n\n')
    }
    this.schedule()
  }

  /** Flushes updates soon, at most every THROTTLE_MS. */
  private schedule(): void {
    if (this.timer !== undefined || this.clients.size === 0 || this.server === undefined) return
    const wait = Math.max(0, this.lastFlush + THROTTLE_MS - Date.now())
    this.timer = setTimeout(() => this.flush(), wait)
    this.timer.unref()
  }

  private flush(): void {
    this.timer = undefined
    this.lastFlush = Date.now()
    if (this.clients.size === 0) return
    const json = JSON.stringify(this.snapshot())
    if (json !== this.lastStateJson) {
      this.lastStateJson = json
      this.stateVersion++
    }
    for (const client of this.clients) {
      if (client.blocked) continue
      if (client.stateVersion !== this.stateVersion) {
        client.stateVersion = this.stateVersion
        if (!this.write(client, `event: state\ndata: ${json}\n\n`)) continue
      }
      if (client.lastSeq < this.seq) {
        const batch = this.requestsAfter(client.lastSeq, MAX_REQUESTS_PER_EVENT)
        client.lastSeq = this.seq
        this.write(client, `id: ${this.seq}\nevent: requests\ndata: ${JSON.stringify(batch)}\n\n`)
      }
    }
  }

  /** Writes to an event stream; a full socket buffer blocks the client until it drains (nothing queues). */
  private write(client: EventClient, text: string): boolean {
    if (client.res.writableEnded || client.res.destroyed) return false
    if (client.res.write(text)) return true
    client.blocked = true
    client.res.once('drain', () => {
      client.blocked = false
      this.schedule()
    })
    return false
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = COMMON_HEADERS,
): void {
  res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(res.req.method === 'HEAD' ? undefined : body)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body))
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new HttpError(400, 'the request body is not JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'want a JSON object')
  return body as Record<string, unknown>
}

function toInt(value: unknown, what = 'value'): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new RangeError(`${what} must be an integer, got ${String(value)}`)
  return n
}

function intParam(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name)
  return value === null || value === '' ? undefined : toInt(value, name)
}

function int(body: Record<string, unknown>, name: string): number {
  if (body[name] === undefined || body[name] === null || body[name] === '') throw new RangeError(`${name} is required`)
  return toInt(body[name], name)
}

function optInt(body: Record<string, unknown>, name: string): number | undefined {
  return body[name] === undefined || body[name] === null || body[name] === '' ? undefined : toInt(body[name], name)
}

function str(body: Record<string, unknown>, name: string): string {
  const value = body[name]
  if (typeof value !== 'string' || value === '') throw new RangeError(`${name} is required`)
  return value
}

function optStr(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') throw new RangeError(`${name} must be a string`)
  return value
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}
