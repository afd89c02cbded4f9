import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import net from 'node:net'
import {
  type ApiDefinition,
  apiVersions,
  Connection,
  ErrorCodes,
  type MetadataRequest,
  type MetadataResponse,
  metadata,
  saslAuthenticate,
  saslHandshake,
} from '@tributary/core/protocol'
import { useTestCertificates } from '@tributary/test-support/certificates'
import { useHarness } from '@tributary/test-support/harness'
import { unsecuredJwt } from '@tributary/test-support/sasl'
import { describe, expect, it, vi } from 'vitest'
import type { MockCluster } from '../src/index.js'

// The mock cluster's SASL and TLS listeners, driven request by request (the producer's side is
// in integration/test/security.test.ts; kcat, confluent-kafka and kafka-python in peers/sasl.test.ts).

const USERS = { alice: 'alice-secret' }

/** A log that keeps the mock's lines. */
function recordingLogger() {
  const lines: string[] = []
  return { lines, logger: { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) } }
}

/** Resolves when the connection closes, with the error it closed with. */
const closed = (c: Connection): Promise<Error> => new Promise((resolve) => c.onClose(resolve))

/** A SCRAM client written out here, independent of the producer's (RFC 5802, section 3). */
function scramClient(digest: 'sha256' | 'sha512', username: string, password: string) {
  const clientNonce = randomBytes(18).toString('base64')
  const bare = `n=${username},r=${clientNonce}`
  let serverSignature = Buffer.alloc(0)
  return {
    first: Buffer.from(`n,,${bare}`),
    final(serverFirst: string, proofOverride?: Buffer): Buffer {
      const a = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]))
      expect(a.r?.startsWith(clientNonce)).toBe(true)
      expect(Number(a.i)).toBe(4096)
      const salted = pbkdf2Sync(
        password,
        Buffer.from(a.s as string, 'base64'),
        Number(a.i),
        digest === 'sha256' ? 32 : 64,
        digest,
      )
      const clientKey = createHmac(digest, salted).update('Client Key').digest()
      const storedKey = createHash(digest).update(clientKey).digest()
      const withoutProof = `c=biws,r=${a.r}`
      const authMessage = `${bare},${serverFirst},${withoutProof}`
      const signature = createHmac(digest, storedKey).update(authMessage).digest()
      const proof = proofOverride ?? Buffer.from(clientKey.map((b, i) => b ^ (signature[i] as number)))
      serverSignature = createHmac(digest, createHmac(digest, salted).update('Server Key').digest())
        .update(authMessage)
        .digest()
      return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`)
    },
    expectedServerFinal: () => `v=${serverSignature.toString('base64')}`,
  }
}

describe('MockCluster SASL and TLS listeners', () => {
  const { start, defer } = useHarness()
  const certs = useTestCertificates()

  async function connect(c: MockCluster, tls?: { ca: string }): Promise<Connection> {
    const [host, port] = (c.bootstrapBrokers[0] as string).split(':') as [string, string]
    const connection = await Connection.connect({ host, port: Number(port), clientId: 'sasl-test', tls })
    defer(() => connection.close())
    return connection
  }

  const metadataRequest = (c: Connection) =>
    c.send(metadata as ApiDefinition<MetadataRequest, MetadataResponse>, 12, {
      topics: null,
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    })

  async function plainLogin(c: Connection, username: string, password: string, version = 2) {
    const handshake = await c.send(saslHandshake, 1, { mechanism: 'PLAIN' })
    expect(handshake.errorCode).toBe(ErrorCodes.NONE)
    return c.send(saslAuthenticate, version, { authBytes: Buffer.from(`\u0000${username}\u0000${password}`) })
  }

  it('advertises SaslHandshake 0-1 and SaslAuthenticate 0-2 like a Kafka 3/4 broker, with or without SASL', async () => {
    for (const sasl of [undefined, { users: USERS }]) {
      const c = await start({ sasl })
      const conn = await connect(c)
      const response = await conn.send(apiVersions, 3, { clientSoftwareName: 't', clientSoftwareVersion: '1' })
      const range = (key: number) => response.apiKeys.find((k) => k.apiKey === key)
      expect(range(17)).toMatchObject({ minVersion: 0, maxVersion: 1 })
      expect(range(36)).toMatchObject({ minVersion: 0, maxVersion: 2 })
      await conn.close()
      await c.stop()
    }
  })

  it('closes the connection on a request other than ApiVersions before authentication, with a log line', async () => {
    const { lines, logger } = recordingLogger()
    const c = await start({ sasl: { users: USERS }, logger })
    const conn = await connect(c)
    const gone = closed(conn)
    await expect(metadataRequest(conn)).rejects.toThrow(/closed/)
    await gone
    expect(lines.some((l) => /Metadata request before SASL authentication/.test(l))).toBe(true)
    // SaslAuthenticate before SaslHandshake too.
    const second = await connect(c)
    await expect(second.send(saslAuthenticate, 2, { authBytes: Buffer.from('x') })).rejects.toThrow(/closed/)
  })

  it('PLAIN: the right password authenticates the connection; requests then work', async () => {
    const { lines, logger } = recordingLogger()
    const c = await start({ sasl: { users: USERS }, topics: [{ name: 't' }], logger })
    const conn = await connect(c)
    const response = await plainLogin(conn, 'alice', USERS.alice)
    expect(response).toMatchObject({ errorCode: 0, errorMessage: null, sessionLifetimeMs: 0n })
    expect((await metadataRequest(conn)).topics.map((t) => t.name)).toEqual(['t'])
    expect(lines).toContain('broker 1: authenticated alice with SASL PLAIN')
  })

  it.each([
    { name: 'a wrong password', user: 'alice', password: 'nope' },
    { name: 'an unknown user', user: 'mallory', password: 'alice-secret' },
  ])(
    'PLAIN with $name: SASL_AUTHENTICATION_FAILED with a message, then the broker closes the connection',
    async ({ user, password }) => {
      const c = await start({ sasl: { users: USERS } })
      const conn = await connect(c)
      const gone = closed(conn)
      const response = await plainLogin(conn, user, password)
      expect(response.errorCode).toBe(ErrorCodes.SASL_AUTHENTICATION_FAILED)
      expect(response.errorMessage).toBe('Authentication failed: Invalid username or password')
      await gone
      expect(conn.open).toBe(false)
    },
  )

  it('answers an unknown or disabled mechanism with UNSUPPORTED_SASL_MECHANISM and the enabled list, then closes', async () => {
    const c = await start({ sasl: { users: USERS, mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'] } })
    const conn = await connect(c)
    const gone = closed(conn)
    const response = await conn.send(saslHandshake, 1, { mechanism: 'PLAIN' })
    expect(response).toEqual({
      errorCode: ErrorCodes.UNSUPPORTED_SASL_MECHANISM,
      mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'],
    })
    await gone
  })

  it.each([
    ['SCRAM-SHA-256', 'sha256'],
    ['SCRAM-SHA-512', 'sha512'],
  ] as const)(
    '%s: salt and 4096 iterations, a verified client proof, and a server signature the client can check',
    async (mechanism, digest) => {
      const c = await start({ sasl: { users: USERS } })
      const conn = await connect(c)
      expect((await conn.send(saslHandshake, 1, { mechanism })).errorCode).toBe(0)
      const client = scramClient(digest, 'alice', USERS.alice)
      const first = await conn.send(saslAuthenticate, 2, { authBytes: client.first })
      expect(first.errorCode).toBe(0)
      const final = await conn.send(saslAuthenticate, 2, { authBytes: client.final(first.authBytes.toString()) })
      expect(final.errorCode).toBe(0)
      expect(final.authBytes.toString()).toBe(client.expectedServerFinal())
      expect((await metadataRequest(conn)).brokers).toHaveLength(1)
    },
  )

  it('SCRAM: a wrong password (a bad proof) fails with Kafka’s message and closes the connection', async () => {
    const c = await start({ sasl: { users: USERS } })
    const conn = await connect(c)
    const gone = closed(conn)
    await conn.send(saslHandshake, 1, { mechanism: 'SCRAM-SHA-512' })
    const client = scramClient('sha512', 'alice', 'wrong-password')
    const first = await conn.send(saslAuthenticate, 2, { authBytes: client.first })
    const final = await conn.send(saslAuthenticate, 2, { authBytes: client.final(first.authBytes.toString()) })
    expect(final.errorCode).toBe(ErrorCodes.SASL_AUTHENTICATION_FAILED)
    expect(final.errorMessage).toBe(
      'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    )
    await gone
  })

  it('grants the configured session lifetime, closes a connection used after it, and accepts re-authentication before it (KIP-368)', async () => {
    // The mock times sessions with Date.now(). A fake Date moves only when the test moves it, so
    // "0.6 s after the second login" cannot become 1.1 s on a busy machine; sockets and timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] })
    defer(() => vi.useRealTimers())
    const { lines, logger } = recordingLogger()
    const c = await start({ sasl: { users: USERS, sessionLifetimeMs: 1000 }, logger })
    const kept = await connect(c)
    const lapsed = await connect(c)
    for (const conn of [kept, lapsed]) {
      expect((await plainLogin(conn, 'alice', USERS.alice)).sessionLifetimeMs).toBe(1000n)
    }
    // v0 has no lifetime field.
    const old = await connect(c)
    expect((await plainLogin(old, 'alice', USERS.alice, 0)).errorCode).toBe(0)
    vi.advanceTimersByTime(600)
    expect((await plainLogin(kept, 'alice', USERS.alice)).sessionLifetimeMs).toBe(1000n)
    vi.advanceTimersByTime(600)
    // 1.2 s after the first login and 0.6 s after the second: the re-authenticated connection
    // works, the other is closed.
    expect((await metadataRequest(kept)).brokers).toHaveLength(1)
    await expect(metadataRequest(lapsed)).rejects.toThrow(/closed/)
    expect(lines.some((l) => /Metadata request after the SASL session of alice expired/.test(l))).toBe(true)
  })

  it('refuses re-authentication with another mechanism (ILLEGAL_SASL_STATE) and closes', async () => {
    const c = await start({ sasl: { users: USERS } })
    const conn = await connect(c)
    await plainLogin(conn, 'alice', USERS.alice)
    const gone = closed(conn)
    expect((await conn.send(saslHandshake, 1, { mechanism: 'SCRAM-SHA-256' })).errorCode).toBe(
      ErrorCodes.ILLEGAL_SASL_STATE,
    )
    await gone
  })

  it('answers a SaslAuthenticate without a new handshake after authentication with ILLEGAL_SASL_STATE, keeping the connection', async () => {
    const c = await start({ sasl: { users: USERS } })
    const conn = await connect(c)
    await plainLogin(conn, 'alice', USERS.alice)
    const response = await conn.send(saslAuthenticate, 2, { authBytes: Buffer.from('\u0000alice\u0000x') })
    expect(response.errorCode).toBe(ErrorCodes.ILLEGAL_SASL_STATE)
    expect((await metadataRequest(conn)).brokers).toHaveLength(1)
  })

  it('answers SASL requests on a listener without SASL with ILLEGAL_SASL_STATE, as Kafka does', async () => {
    const c = await start({})
    const conn = await connect(c)
    expect((await conn.send(saslHandshake, 1, { mechanism: 'PLAIN' })).errorCode).toBe(ErrorCodes.ILLEGAL_SASL_STATE)
    expect((await metadataRequest(conn)).brokers).toHaveLength(1)
  })

  it('SaslHandshake v0: raw size-prefixed tokens without Kafka headers (kafka-python); success is an empty token', async () => {
    const c = await start({ sasl: { users: USERS }, topics: [{ name: 'raw' }] })
    const [host, port] = (c.bootstrapBrokers[0] as string).split(':') as [string, string]
    const socket = net.connect({ host, port: Number(port) })
    await new Promise((resolve) => socket.once('connect', resolve))
    const received: Buffer[] = []
    socket.on('data', (chunk: Buffer) => received.push(chunk))
    const sized = (body: Buffer) => {
      const out = Buffer.alloc(4 + body.length)
      out.writeInt32BE(body.length)
      body.copy(out, 4)
      return out
    }
    // SaslHandshake v0 request: api key 17, version 0, correlation id 7, client id "k", mechanism "PLAIN".
    const header = Buffer.from([0, 17, 0, 0, 0, 0, 0, 7, 0, 1, 0x6b])
    const mechanism = Buffer.concat([Buffer.from([0, 5]), Buffer.from('PLAIN')])
    socket.write(sized(Buffer.concat([header, mechanism])))
    const until = async (bytes: number) => {
      for (let i = 0; i < 100 && Buffer.concat(received).length < bytes; i++)
        await new Promise((r) => setTimeout(r, 10))
      return Buffer.concat(received)
    }
    // correlation id, error code 0, mechanisms [PLAIN, SCRAM-SHA-256, SCRAM-SHA-512]
    const handshake = await until(4)
    const handshakeSize = handshake.readInt32BE(0)
    const body = (await until(4 + handshakeSize)).subarray(4, 4 + handshakeSize)
    expect(body.readInt32BE(0)).toBe(7)
    expect(body.readInt16BE(4)).toBe(0)
    received.length = 0
    socket.write(sized(Buffer.from(`alice\u0000alice\u0000${USERS.alice}`)))
    // Success is an empty token: four zero bytes.
    expect(await until(4)).toEqual(Buffer.from([0, 0, 0, 0]))
    socket.destroy()
  })

  it('OAUTHBEARER: accepts an unsecured JWT by default, and refuses an expired one with the JSON error challenge', async () => {
    const c = await start({ sasl: { mechanisms: ['OAUTHBEARER'] } })
    const login = async (token: string) => {
      const conn = await connect(c)
      expect((await conn.send(saslHandshake, 1, { mechanism: 'OAUTHBEARER' })).errorCode).toBe(0)
      return {
        conn,
        first: await conn.send(saslAuthenticate, 2, {
          authBytes: Buffer.from(`n,,\u0001auth=Bearer ${token}\u0001\u0001`),
        }),
      }
    }
    // Date is faked (sockets and timers stay real) and stands still on a whole second: the token
    // expires exactly 60 s after the moment the mock grants the session, however long the round
    // trip takes (this was "between 50 and 60 s" of wall-clock time).
    vi.useFakeTimers({ toFake: ['Date'] })
    defer(() => vi.useRealTimers())
    vi.setSystemTime(1_700_000_000_000)
    const nowSeconds = Date.now() / 1000
    const good = await login(unsecuredJwt({ sub: 'svc', exp: nowSeconds + 60 }))
    expect(good.first.errorCode).toBe(0)
    expect(good.first.authBytes).toHaveLength(0)
    // Kafka caps the session at the token's expiry.
    expect(good.first.sessionLifetimeMs).toBe(60_000n)
    const expired = await login(unsecuredJwt({ sub: 'svc', exp: nowSeconds - 1 }))
    expect(expired.first.errorCode).toBe(0)
    expect(JSON.parse(expired.first.authBytes.toString())).toEqual({ status: 'invalid_token' })
    const final = await expired.conn.send(saslAuthenticate, 2, { authBytes: Buffer.from([1]) })
    expect(final.errorCode).toBe(ErrorCodes.SASL_AUTHENTICATION_FAILED)
  })

  it('TLS: serves Kafka over TLS with the given certificate; a plain TCP client gets nowhere', async () => {
    const { lines, logger } = recordingLogger()
    const c = await start({ tls: { key: certs.key, cert: certs.cert }, logger })
    const secure = await connect(c, { ca: certs.ca })
    expect((await metadataRequest(secure)).brokers).toHaveLength(1)
    const plain = await connect(c)
    await expect(metadataRequest(plain)).rejects.toThrow(/closed|reset|failed/)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(lines.some((l) => /TLS handshake.* failed/.test(l))).toBe(true)
  })

  it('stops cleanly with TLS connections open, including one stuck before its handshake', async () => {
    const c = await start({ tls: { key: certs.key, cert: certs.cert } })
    const [host, port] = (c.bootstrapBrokers[0] as string).split(':') as [string, string]
    const stuck = net.connect({ host, port: Number(port) })
    await new Promise((resolve) => stuck.once('connect', resolve))
    const secure = await connect(c, { ca: certs.ca })
    expect(secure.open).toBe(true)
    await c.stop()
    stuck.destroy()
  })
})
