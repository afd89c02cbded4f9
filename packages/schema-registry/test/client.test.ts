import {
  type FetchLike,
  SchemaRegistryClient,
  SchemaRegistryConnectionError,
  SchemaRegistryError,
  SchemaRegistryErrorCodes,
} from '@tributary/schema-registry'
import { MockSchemaRegistry } from '@tributary/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const user = JSON.stringify({
  type: 'record',
  name: 'User',
  fields: [{ name: 'name', type: 'string' }],
})
const userV2 = JSON.stringify({
  type: 'record',
  name: 'User',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'age', type: 'int', default: 0 },
  ],
})
const userBroken = JSON.stringify({
  type: 'record',
  name: 'User',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'email', type: 'string' },
  ],
})

describe('SchemaRegistryClient', () => {
  let mock: MockSchemaRegistry
  let client: SchemaRegistryClient

  beforeEach(async () => {
    mock = await MockSchemaRegistry.start()
    client = new SchemaRegistryClient({ url: mock.url, retryBackoffMs: 5 })
  })
  afterEach(async () => {
    await mock.stop()
  })

  const calls = () => mock.requests().map((r) => `${r.method} ${r.path}`)

  it('registers, looks up, fetches by id, latest and by version', async () => {
    const id = await client.register('users-value', user)
    expect(id).toBe(1)
    expect(await client.getId('users-value', user)).toBe(1)
    expect(await client.getSchemaById(id)).toEqual({ schema: user, schemaType: 'AVRO', references: [] })
    const id2 = await client.register('users-value', userV2)
    expect(id2).toBe(2)
    expect(await client.getLatest('users-value')).toEqual({
      subject: 'users-value',
      id: 2,
      version: 2,
      schema: userV2,
      schemaType: 'AVRO',
      references: [],
    })
    expect((await client.getVersion('users-value', 1)).id).toBe(1)
    expect((await client.lookup('users-value', userV2)).version).toBe(2)
    expect(await client.getVersions('users-value')).toEqual([1, 2])
    expect(await client.getSubjects()).toEqual(['users-value'])
    // The same schema under another subject keeps its global id.
    expect(await client.register('people-value', user)).toBe(1)
  })

  it('lists contexts; a context-qualified subject is a subject like any other', async () => {
    expect(await client.getContexts()).toEqual(['.'])
    const id = await client.register(':.staging:users-value', user)
    expect((await client.getLatest(':.staging:users-value')).id).toBe(id)
    expect(await client.getContexts()).toEqual(['.', '.staging'])
  })

  it('caches ids by subject and schema and schemas by id: the hot path does no HTTP after the first', async () => {
    const id = await client.register('users-value', user)
    await client.register('users-value', user)
    await client.getId('users-value', user)
    await client.getSchemaById(id)
    await client.getSchemaById(id)
    await client.getLatest('users-value')
    await client.getLatest('users-value')
    expect(calls()).toEqual([
      'POST /subjects/users-value/versions',
      'GET /schemas/ids/1',
      'GET /subjects/users-value/versions/latest',
    ])
  })

  it('single flight: concurrent look-ups of the same thing share one request', async () => {
    await mock.register('users-value', user)
    mock.setLatency(30)
    const fresh = new SchemaRegistryClient({ url: mock.url })
    const ids = await Promise.all(Array.from({ length: 20 }, () => fresh.getSchemaById(1)))
    const registered = await Promise.all(Array.from({ length: 20 }, () => fresh.register('users-value', user)))
    expect(new Set(ids.map((s) => s.schema))).toEqual(new Set([user]))
    expect(registered).toEqual(Array(20).fill(1))
    expect(calls()).toEqual(['GET /schemas/ids/1', 'POST /subjects/users-value/versions'])
  })

  it("fails with a typed error carrying the registry's error code and message, without retrying", async () => {
    const error = await client.getSchemaById(42).catch((e: unknown) => e)
    expect(SchemaRegistryError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({
      name: 'SchemaRegistryError',
      code: SchemaRegistryErrorCodes.SCHEMA_NOT_FOUND,
      status: 404,
      registryMessage: 'Schema 42 not found',
      request: 'GET /schemas/ids/42',
      retriable: false,
    })
    expect((error as Error).message).toBe(
      'The schema registry answered GET /schemas/ids/42 with HTTP 404: Schema 42 not found (error code 40403)',
    )
    expect(calls()).toEqual(['GET /schemas/ids/42'])

    const notFound = await client.getLatest('nobody').catch((e: unknown) => e)
    expect(notFound).toMatchObject({ code: SchemaRegistryErrorCodes.SUBJECT_NOT_FOUND, status: 404 })
  })

  it('checks compatibility, and the registry refuses an incompatible schema with 409', async () => {
    await client.register('users-value', user)
    expect(await client.checkCompatibility('users-value', userV2)).toEqual({ compatible: true, messages: [] })
    const broken = await client.checkCompatibility('users-value', userBroken)
    expect(broken.compatible).toBe(false)
    expect(broken.messages.join()).toContain('email')
    const error = await client.register('users-value', userBroken).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: SchemaRegistryErrorCodes.INCOMPATIBLE_SCHEMA, status: 409 })

    expect(await client.getCompatibility()).toBe('BACKWARD')
    await client.setCompatibility('NONE', 'users-value')
    expect(await client.getCompatibility('users-value')).toBe('NONE')
    expect(await client.register('users-value', userBroken)).toBe(2)
  })

  it('registers with references and deletes subjects', async () => {
    const address = JSON.stringify({
      type: 'record',
      name: 'Address',
      namespace: 'acme',
      fields: [{ name: 'city', type: 'string' }],
    })
    const customer = JSON.stringify({
      type: 'record',
      name: 'Customer',
      namespace: 'acme',
      fields: [{ name: 'address', type: 'acme.Address' }],
    })
    await client.register('acme.Address', address)
    const references = [{ name: 'acme.Address', subject: 'acme.Address', version: 1 }]
    const id = await client.register('customers-value', { schema: customer, references })
    // the registry serves its canonical form of the schema (names relative to the namespace)
    const canonical = customer.replace('"acme.Address"', '"Address"')
    expect(await client.getSchemaById(id)).toEqual({ schema: canonical, schemaType: 'AVRO', references })
    const missing = await client
      .register('orders-value', { schema: customer, references: [{ ...references[0], version: 9 } as never] })
      .catch((e: unknown) => e)
    expect(missing).toMatchObject({ code: SchemaRegistryErrorCodes.INVALID_SCHEMA, status: 422 })
    expect(await client.deleteSubject('customers-value')).toEqual([1])
    expect(await client.getSubjects()).toEqual(['acme.Address'])
  })

  it('retries retriable answers (503) with backoff, then succeeds', async () => {
    await mock.register('users-value', user)
    mock.failNext(2, { status: 503 })
    expect((await client.getSchemaById(1)).schema).toBe(user)
    expect(calls()).toEqual(['GET /schemas/ids/1', 'GET /schemas/ids/1', 'GET /schemas/ids/1'])
  })

  it('gives up after the retries with the last answer, and caches no failure', async () => {
    await mock.register('users-value', user)
    const c = new SchemaRegistryClient({ url: mock.url, retries: 2, retryBackoffMs: 1 })
    mock.failNext(3, { status: 503, message: 'leader election in progress' })
    const error = await c.getSchemaById(1).catch((e: unknown) => e)
    expect(error).toMatchObject({
      status: 503,
      code: 50003,
      registryMessage: 'leader election in progress',
      retriable: true,
    })
    expect(mock.requests()).toHaveLength(3)
    expect((await c.getSchemaById(1)).schema).toBe(user)
  })

  it('network errors: retried with exponential backoff, then a SchemaRegistryConnectionError', async () => {
    const url = mock.url
    await mock.stop()
    // The backoffs run on a fake clock (only the timeouts and Date are faked: the refused connections
    // are real), and each attempt is stamped with fake time, so the gaps between attempts are exactly the
    // backoffs the client chose, however busy the machine (this was a wall-clock "80 ms to 2 s").
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      const attempts: number[] = []
      const stampingFetch: FetchLike = (input, init) => {
        attempts.push(Date.now())
        return fetch(input, init)
      }
      const c = new SchemaRegistryClient({
        url,
        retries: 3,
        retryBackoffMs: 20,
        retryBackoffMaxMs: 50,
        fetch: stampingFetch,
      })
      let settled = false
      const pending = c
        .getLatest('users-value')
        .catch((e: unknown) => e)
        .finally(() => {
          settled = true
        })
      // Each refusal arrives as real I/O; then the client sleeps on a fake timer, fired here at once.
      while (!settled) {
        if (vi.getTimerCount() > 0) await vi.runOnlyPendingTimersAsync()
        else await new Promise((resolve) => setImmediate(resolve))
      }
      const error = await pending
      expect(SchemaRegistryConnectionError.isInstance(error)).toBe(true)
      expect(SchemaRegistryError.isInstance(error)).toBe(true)
      expect(error).toMatchObject({
        name: 'SchemaRegistryConnectionError',
        code: -1,
        status: undefined,
        retriable: true,
        attempts: 4,
        request: 'GET /subjects/users-value/versions/latest',
      })
      expect((error as Error).message).toContain(`Could not reach the schema registry at ${url}`)
      expect((error as Error).message).toContain('ECONNREFUSED')
      // Backoffs of 20, 40 and 50 ms (doubling from retryBackoffMs, capped at retryBackoffMaxMs), each
      // with ±20% jitter; the fake clock counts whole milliseconds.
      const gaps = attempts.slice(1).map((at, i) => at - (attempts[i] as number))
      expect(gaps).toHaveLength(3)
      for (const [i, backoff] of [20, 40, 50].entries()) {
        expect(gaps[i]).toBeGreaterThanOrEqual(Math.floor(backoff * 0.8))
        expect(gaps[i]).toBeLessThanOrEqual(Math.ceil(backoff * 1.2))
      }
    } finally {
      vi.useRealTimers()
    }
  })

  it('a request that takes longer than requestTimeoutMs is abandoned and retried', async () => {
    await mock.register('users-value', user)
    mock.setLatency(300)
    const c = new SchemaRegistryClient({ url: mock.url, requestTimeoutMs: 50, retries: 1, retryBackoffMs: 1 })
    const error = await c.getSchemaById(1).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'SchemaRegistryConnectionError', attempts: 2 })
    expect((error as Error).message).toContain('timed out')
  })

  it('fails over to the next URL on network errors', async () => {
    const dead = await MockSchemaRegistry.start()
    const deadUrl = dead.url
    await dead.stop()
    await mock.register('users-value', user)
    const c = new SchemaRegistryClient({ url: `${deadUrl},${mock.url}`, retryBackoffMs: 1 })
    expect((await c.getSchemaById(1)).schema).toBe(user)
    expect(c.baseUrls).toEqual([deadUrl, mock.url])
  })

  it('takes an injected fetch', async () => {
    const seen: string[] = []
    const fetch: FetchLike = async (url, init) => {
      seen.push(`${init.method} ${url}`)
      return { status: 200, ok: true, text: async () => JSON.stringify({ schema: '"string"' }) }
    }
    const c = new SchemaRegistryClient({ url: 'http://registry.test:8081/', fetch })
    expect(await c.getSchemaById(7)).toEqual({ schema: '"string"', schemaType: 'AVRO', references: [] })
    expect(seen).toEqual(['GET http://registry.test:8081/schemas/ids/7'])
  })
})

describe('SchemaRegistryClient authentication', () => {
  let mock: MockSchemaRegistry | undefined
  afterEach(async () => {
    await mock?.stop()
    mock = undefined
  })

  it('sends basic auth, from options or from credentials in the URL', async () => {
    mock = await MockSchemaRegistry.start({ auth: { username: 'sr-user', password: 'p@ss:word' } })
    const anonymous = new SchemaRegistryClient({ url: mock.url })
    const denied = await anonymous.getSubjects().catch((e: unknown) => e)
    expect(denied).toMatchObject({ name: 'SchemaRegistryError', status: 401, code: 401, retriable: false })

    const withOptions = new SchemaRegistryClient({
      url: mock.url,
      auth: { username: 'sr-user', password: 'p@ss:word' },
    })
    expect(await withOptions.getSubjects()).toEqual([])
    const inUrl = new SchemaRegistryClient({ url: mock.url.replace('http://', 'http://sr-user:p%40ss%3Aword@') })
    expect(await inUrl.getSubjects()).toEqual([])
    expect(inUrl.baseUrls).toEqual([mock.url])
    expect(mock.requests().at(-1)?.authorization).toBe(`Basic ${Buffer.from('sr-user:p@ss:word').toString('base64')}`)
  })

  it('sends a bearer token, fixed or from a function', async () => {
    mock = await MockSchemaRegistry.start({ auth: { bearerToken: 'token-1' } })
    expect(await new SchemaRegistryClient({ url: mock.url, auth: { bearerToken: 'token-1' } }).getSubjects()).toEqual(
      [],
    )
    let calls = 0
    const rotating = new SchemaRegistryClient({
      url: mock.url,
      auth: {
        bearerToken: async () => {
          calls++
          return 'token-1'
        },
      },
    })
    expect(await rotating.getSubjects()).toEqual([])
    expect(calls).toBe(1)
    const wrong = await new SchemaRegistryClient({ url: mock.url, auth: { bearerToken: 'nope' } })
      .getSubjects()
      .catch((e: unknown) => e)
    expect(wrong).toMatchObject({ status: 401 })
  })

  it('rejects bad options at once', () => {
    expect(() => new SchemaRegistryClient({ url: '' })).toThrow('needs a url')
    expect(() => new SchemaRegistryClient({ url: 'not a url' })).toThrow('is not a URL')
    expect(() => new SchemaRegistryClient({ url: 'http://x', retries: -1 })).toThrow('retries')
  })
})
