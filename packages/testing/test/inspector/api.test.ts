import { request } from 'node:http'
import { Producer, stringSerializer } from '@tributary/core'
import { until } from '@tributary/test-support/async'
import avro from 'avsc'
import { Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'
import { MockCluster, MockSchemaRegistry } from '../../src/index.js'
import { getJson, pageToken, postFault, type RecordsView, type ShownBytesView, type StateView } from './helpers.js'

// The web inspector's JSON API (what the page uses), its safety checks and its event stream.

describe('the web inspector API', () => {
  const closeables: Array<() => Promise<unknown>> = []
  afterEach(async () => {
    for (const close of closeables.splice(0).reverse()) await close()
  })

  async function start(options: Parameters<typeof MockCluster.start>[0] = {}): Promise<MockCluster> {
    const cluster = await MockCluster.start({ ui: true, logger: false, ...options })
    closeables.push(() => cluster.stop())
    return cluster
  }

  async function producer(cluster: MockCluster, options: { transactionalId?: string } = {}) {
    const p = new Producer<string, string>({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { key: stringSerializer(), value: stringSerializer() },
      lingerMs: 0,
      ...options,
    })
    closeables.push(() => p.close())
    return p
  }

  it('is off unless asked for, and listens on 127.0.0.1 when it is', async () => {
    const plain = await MockCluster.start({ logger: false })
    closeables.push(() => plain.stop())
    expect(plain.uiUrl).toBeUndefined()
    const cluster = await start({ brokers: 2 })
    expect(cluster.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const html = await (await fetch(cluster.uiUrl as string)).text()
    expect(html).toContain('<title>Tributary mock cluster</title>')
  })

  it('serves brokers, topics with leaders and offsets, and pages of records newest first', async () => {
    const cluster = await start({ brokers: 3, topics: [{ name: 'orders', partitions: 3 }] })
    const p = await producer(cluster)
    for (let i = 0; i < 12; i++) {
      await p.send({ topic: 'orders', partition: i % 3, key: `o-${i}`, value: JSON.stringify({ n: i }) })
    }
    await p.send({ topic: 'orders', partition: 0, key: 'bin', value: '\u0000\u0001\u0002' })

    const state = await getJson<StateView>(cluster, '/api/state')
    expect(state.brokers.map((b) => [b.nodeId, b.running])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ])
    const orders = state.topics.find((t) => t.name === 'orders')
    expect(orders?.partitions.map((x) => [x.partition, x.leader, x.endOffset])).toEqual([
      [0, 1, '5'],
      [1, 2, '4'],
      [2, 3, '4'],
    ])

    // One partition, paged with the cursor until nothing is older.
    const seen: string[] = []
    let before: string | null = ''
    let pages = 0
    while (before !== null) {
      const page: RecordsView = await getJson<RecordsView>(
        cluster,
        `/api/records?topic=orders&partition=0&limit=2&before=${before}`,
      )
      seen.push(...page.records.map((r) => r.offset))
      before = page.next
      pages++
    }
    expect(seen).toEqual(['4', '3', '2', '1', '0'])
    expect(pages).toBe(3)

    // All partitions: every record once, across pages.
    const all: string[] = []
    before = ''
    while (before !== null) {
      const page: RecordsView = await getJson<RecordsView>(
        cluster,
        `/api/records?topic=orders&limit=4&before=${before}`,
      )
      all.push(...page.records.map((r) => `${r.partition}@${r.offset}`))
      before = page.next
    }
    expect(all.sort()).toEqual(
      ['0@0', '0@1', '0@2', '0@3', '0@4', '1@0', '1@1', '1@2', '1@3', '2@0', '2@1', '2@2', '2@3'].sort(),
    )

    // Values as text, JSON and hex.
    const newest = await getJson<RecordsView>(cluster, '/api/records?topic=orders&partition=0&limit=2')
    const bin = newest.records[0]
    expect(bin?.key.text).toBe('bin')
    expect(bin?.value).toMatchObject({ size: 3, hex: '000102' })
    expect(bin?.value.text).toBeUndefined()
    expect(JSON.parse(newest.records[1]?.value.json as string)).toEqual({ n: 9 })

    // Search by key (case-insensitive substring).
    const found = await getJson<RecordsView>(cluster, '/api/records?topic=orders&key=O-1')
    expect(found.records.map((r) => r.key.text).sort()).toEqual(['o-1', 'o-10', 'o-11'])

    await expect(getJson(cluster, '/api/records?topic=nope')).rejects.toThrow(/400 unknown topic 'nope'/)
    await expect(getJson(cluster, '/api/records?topic=orders&before=x')).rejects.toThrow(/400 invalid cursor/)
  })

  it('lists the requests it received, newest last, bounded by requestLogSize', async () => {
    const cluster = await start({ ui: { requestLogSize: 5 }, topics: [{ name: 't' }] })
    const p = await producer(cluster)
    for (let i = 0; i < 8; i++) await p.send({ topic: 't', key: 'k', value: `v${i}` })
    const log = await getJson<{
      entries: Array<{ seq: number; apiName: string; clientId: string }>
      lastSeq: number
      skipped: number
    }>(cluster, '/api/requests?limit=100')
    expect(log.entries).toHaveLength(5)
    expect(log.entries.at(-1)?.seq).toBe(log.lastSeq)
    expect(log.entries.filter((e) => e.apiName === 'Produce').length).toBeGreaterThan(0)
    const since = await getJson<{ entries: unknown[] }>(cluster, `/api/requests?after=${log.lastSeq}`)
    expect(since.entries).toEqual([])
  })

  it('injects faults through POST with the page token, and only so', async () => {
    const cluster = await start({ brokers: 3, topics: [{ name: 'orders', partitions: 2 }] })
    const token = await pageToken(cluster)
    const auth = { 'x-tributary-token': token }

    // No token, a wrong one, a foreign Origin, GET: refused, nothing changes.
    expect((await postFault(cluster, 'move-leader', { topic: 'orders', partition: 0, brokerId: 2 })).status).toBe(403)
    expect(
      (
        await postFault(
          cluster,
          'move-leader',
          { topic: 'orders', partition: 0, brokerId: 2 },
          { 'x-tributary-token': 'x' },
        )
      ).status,
    ).toBe(403)
    expect(
      (
        await postFault(
          cluster,
          'move-leader',
          { topic: 'orders', partition: 0, brokerId: 2 },
          { ...auth, origin: 'http://evil.example' },
        )
      ).status,
    ).toBe(403)
    expect((await fetch(new URL('/api/faults/move-leader', cluster.uiUrl))).status).toBe(405)
    expect(cluster.leaderOf('orders', 0)).toBe(1)

    const moved = await postFault(cluster, 'move-leader', { topic: 'orders', partition: 0, brokerId: 2 }, auth)
    expect(moved.status).toBe(200)
    expect(cluster.leaderOf('orders', 0)).toBe(2)
    expect((moved.body.state as StateView).topics[0]?.partitions[0]).toMatchObject({ leader: 2, leaderEpoch: 1 })

    expect((await postFault(cluster, 'stop-broker', { brokerId: 3 }, auth)).status).toBe(200)
    expect(cluster.brokers.find((b) => b.nodeId === 3)?.running).toBe(false)
    expect((await postFault(cluster, 'start-broker', { brokerId: 3 }, auth)).status).toBe(200)
    expect(cluster.brokers.find((b) => b.nodeId === 3)?.running).toBe(true)

    expect((await postFault(cluster, 'latency', { brokerId: 2, ms: 25 }, auth)).status).toBe(200)
    expect((await getJson<StateView>(cluster, '/api/state')).brokers[1]?.latencyMs).toBe(25)

    const failed = await postFault(
      cluster,
      'fail-next',
      { api: 'Produce', errorCode: 6, count: 2, topic: 'orders', partition: 1 },
      auth,
    )
    expect(failed.status).toBe(200)
    expect((failed.body.state as StateView).failures).toEqual([
      {
        api: 'Produce',
        errorCode: 6,
        errorName: 'NOT_LEADER_OR_FOLLOWER',
        remaining: 2,
        topic: 'orders',
        partition: 1,
        brokerId: null,
        groupId: null,
      },
    ])
    const bad = await postFault(cluster, 'fail-next', { api: 'ApiVersions', errorCode: 6 }, auth)
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringMatching(/not into ApiVersions/) } })
    expect(await postFault(cluster, 'move-leader', { topic: 'orders', partition: 9, brokerId: 2 }, auth)).toMatchObject(
      {
        status: 400,
        body: { error: 'unknown partition orders-9' },
      },
    )
    expect((await postFault(cluster, 'clear-failures', {}, auth)).status).toBe(200)
    expect((await getJson<StateView>(cluster, '/api/state')).failures).toEqual([])
    expect((await postFault(cluster, 'drop-connections', {}, auth)).status).toBe(200)
    expect((await postFault(cluster, 'no-such-fault', {}, auth)).status).toBe(404)
  })

  it('answers only requests addressed to 127.0.0.1 or localhost and its port (no DNS rebinding)', async () => {
    const cluster = await start()
    const url = new URL(cluster.uiUrl as string)
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: url.port, path: '/api/state', headers: { host } }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        req.on('error', reject)
        req.end()
      })
    expect(await status(`127.0.0.1:${url.port}`)).toBe(200)
    expect(await status(`localhost:${url.port}`)).toBe(200)
    expect(await status(`attacker.example:${url.port}`)).toBe(403)
    expect(await status('127.0.0.1')).toBe(403)
    const page = await fetch(cluster.uiUrl as string)
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })

  it('shows consumer groups with members, assignments and lag, and transactions', async () => {
    const cluster = await start({
      topics: [{ name: 'orders', partitions: 2 }],
      groups: { initialRebalanceDelayMs: 0 },
    })
    const p = await producer(cluster)
    for (let i = 0; i < 4; i++) await p.send({ topic: 'orders', partition: i % 2, key: `k${i}`, value: 'v' })

    const kafka = new Kafka({ clientId: 'inspected', brokers: cluster.bootstrapBrokers, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    closeables.push(() => admin.disconnect())
    await admin.setOffsets({ groupId: 'billing', topic: 'orders', partitions: [{ partition: 0, offset: '1' }] })
    const consumer = kafka.consumer({ groupId: 'readers', maxWaitTimeInMs: 100 })
    await consumer.connect()
    closeables.push(() => consumer.disconnect())
    await consumer.subscribe({ topics: ['orders'] })
    await consumer.run({ eachMessage: async () => {} })

    const readers = await until(async () => {
      const g = (await getJson<StateView>(cluster, '/api/state')).groups.find((x) => x.groupId === 'readers')
      return g?.state === 'Stable' && g.members.length === 1 ? g : undefined
    }, 'the readers group stable with its member')
    expect(readers.members[0]?.clientId).toBe('inspected')
    expect(readers.members[0]?.assignment).toEqual({ orders: [0, 1] })
    const billing = (await getJson<StateView>(cluster, '/api/state')).groups.find((x) => x.groupId === 'billing')
    expect(billing?.offsets).toEqual([
      expect.objectContaining({ topic: 'orders', partition: 0, offset: '1', lag: '1' }),
    ])

    const tx = await producer(cluster, { transactionalId: 'tx-1' })
    await tx.transaction(async (t) => {
      await t.send({ topic: 'orders', partition: 1, key: 'in-tx', value: 'v' })
    })
    const transactions = (await getJson<StateView>(cluster, '/api/state')).transactions
    expect(transactions).toEqual([expect.objectContaining({ transactionalId: 'tx-1', status: 'committed', epoch: 0 })])
    const page = await getJson<RecordsView>(cluster, '/api/records?topic=orders&partition=1&limit=1')
    expect(page.records[0]).toMatchObject({ transactional: true, uncommitted: false, key: { text: 'in-tx' } })
  })

  it('decodes Confluent-framed Avro and JSON Schema values through a MockSchemaRegistry', async () => {
    const registry = await MockSchemaRegistry.start()
    closeables.push(() => registry.stop())
    const cluster = await start({ ui: { registry }, topics: [{ name: 'users' }] })
    const schema = {
      type: 'record',
      name: 'User',
      fields: [
        { name: 'name', type: 'string' },
        { name: 'age', type: 'int' },
      ],
    }
    const avroId = await registry.register('users-value', JSON.stringify(schema))
    const jsonId = await registry.register('events-value', { schema: '{"type":"object"}', schemaType: 'JSON' })
    const framed = (id: number, payload: Buffer) => {
      const header = Buffer.alloc(5)
      header.writeUInt32BE(id, 1)
      return Buffer.concat([header, payload])
    }
    const p = new Producer<string, Buffer>({
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { key: stringSerializer(), value: (v) => v },
      lingerMs: 0,
    })
    closeables.push(() => p.close())
    await p.send({
      topic: 'users',
      key: 'a',
      value: framed(avroId, avro.Type.forSchema(schema as avro.Schema).toBuffer({ name: 'Ada', age: 36 })),
    })
    await p.send({ topic: 'users', key: 'j', value: framed(jsonId, Buffer.from('{"x":1}')) })
    await p.send({ topic: 'users', key: 'u', value: framed(999, Buffer.from('zz')) })

    const page = await getJson<RecordsView>(cluster, '/api/records?topic=users')
    const byKey = new Map(page.records.map((r) => [r.key.text, r.value]))
    expect(byKey.get('a')?.schema).toMatchObject({ id: avroId, type: 'AVRO' })
    expect(JSON.parse(byKey.get('a')?.schema?.json as string)).toEqual({ name: 'Ada', age: 36 })
    expect(JSON.parse(byKey.get('j')?.schema?.json as string)).toEqual({ x: 1 })
    expect((byKey.get('u') as ShownBytesView).schema).toEqual({
      id: 999,
      error: 'no schema with id 999 in the registry',
    })
    // Inspecting reads the registry in process: its request log shows only what clients asked.
    expect(registry.requests()).toEqual([])
  })

  it('forgets a page that closed its event stream', async () => {
    const cluster = await start()
    // biome-ignore lint/complexity/useLiteralKeys: the inspector's private list of open streams
    const clients = () => (cluster['inspector'] as unknown as { clients: Set<unknown> }).clients.size
    const controller = new AbortController()
    const res = await fetch(new URL('/api/events', cluster.uiUrl), { signal: controller.signal })
    await (res.body as ReadableStream<Uint8Array>).getReader().read()
    expect(clients()).toBe(1)
    controller.abort()
    await until(() => clients() === 0, 'the closed stream forgotten')
  })

  it('streams state and requests as server-sent events, and stops with the cluster', async () => {
    const cluster = await start({ topics: [{ name: 'live' }] })
    const controller = new AbortController()
    const res = await fetch(new URL('/api/events', cluster.uiUrl), { signal: controller.signal })
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let text = ''
    const read = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`stream ended before ${pattern}; got ${text}`)
        text += decoder.decode(value, { stream: true })
      }
    }
    await read(/event: state\ndata: .*"name":"live".*"endOffset":"0"/)
    const p = await producer(cluster)
    await p.send({ topic: 'live', key: 'k', value: 'v' })
    await read(/event: state\ndata: .*"name":"live".*"endOffset":"1"/)
    await read(/event: requests\ndata: .*"apiName":"Produce"/)
    const url = cluster.uiUrl as string
    await cluster.stop()
    // The stream ends and the port closes.
    await until(async () => (await reader.read()).done, 'the event stream to end')
    await expect(fetch(url)).rejects.toThrow()
    controller.abort()
  })
})
