import type { MockCluster } from '../../src/index.js'

// Talking to the web inspector's JSON API as the page does.

/** GET a JSON endpoint of the inspector; rejects with the answer's error for a non-2xx status. */
export async function getJson<T = Record<string, unknown>>(cluster: MockCluster, path: string): Promise<T> {
  const res = await fetch(new URL(path, cluster.uiUrl))
  const body = (await res.json()) as T & { error?: string }
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${body.error}`)
  return body
}

/** The per-run token the page carries in its `tributary-token` meta tag. */
export async function pageToken(cluster: MockCluster): Promise<string> {
  const html = await (await fetch(cluster.uiUrl as string)).text()
  const match = /<meta name="tributary-token" content="([^"]+)">/.exec(html)
  if (match?.[1] === undefined) throw new Error('no token in the page')
  return match[1]
}

/** POST a fault as the page does (token header, JSON body); resolves with the status and body. */
export async function postFault(
  cluster: MockCluster,
  name: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL(`/api/faults/${name}`, cluster.uiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

export interface StateView {
  brokers: Array<{ nodeId: number; running: boolean; latencyMs: number }>
  topics: Array<{
    name: string
    partitions: Array<{
      partition: number
      leader: number
      leaderEpoch: number
      endOffset: string
      startOffset: string
    }>
  }>
  groups: Array<{
    groupId: string
    state: string
    members: Array<{ memberId: string; clientId: string; assignment: Record<string, number[]> | null }>
    offsets: Array<{ topic: string; partition: number; offset: string; lag: string | null }>
  }>
  transactions: Array<{ transactionalId: string; status: string; epoch: number; partitions: unknown[] }>
  failures: Array<{ api: string; errorCode: number; errorName: string; remaining: number; topic: string | null }>
}

export interface ShownBytesView {
  size: number | null
  text?: string
  json?: string
  hex: string
  schema?: { id: number; type?: string; message?: string; json?: string; error?: string }
}

export interface RecordsView {
  records: Array<{
    partition: number
    offset: string
    key: ShownBytesView
    value: ShownBytesView
    headers: Array<{ key: string; value: ShownBytesView }>
    transactional: boolean
    uncommitted: boolean
  }>
  next: string | null
  scanned: number
  errors: string[]
}
