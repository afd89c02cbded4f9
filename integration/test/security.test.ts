import { AuthenticationError, type OAuthBearerToken, Producer, TimeoutError } from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'
import { outcome, sleep } from '@tributary/test-support/async'
import { useTestCertificates } from '@tributary/test-support/certificates'
import { useHarness } from '@tributary/test-support/harness'
import { unsecuredJwt } from '@tributary/test-support/sasl'
import type { MockCluster } from '@tributary/testing'
import { describe, expect, it, vi } from 'vitest'

// SASL (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER) and TLS of the producer, against the mock cluster's
// SASL and TLS listeners. The mock's server side is proved independently by kcat and
// confluent-kafka in packages/testing/test/peers/sasl.test.ts.

const USERS = { alice: 'alice-secret', 'bob,=odd': 'pässwörd ✓' }

describe('SASL and TLS: the producer against the mock cluster', () => {
  const { start, producer, track, defer } = useHarness({ producer: { lingerMs: 1 } })
  const certs = useTestCertificates()

  /**
   * Freezes timeouts, intervals and Date for the rest of the test (sockets stay real): from then
   * on the producer can settle something only on what a broker answers, never after a backoff, a
   * retry or a deadline. A promise that needs a timer never settles, and the test times out.
   */
  function freezeTimers(): void {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    defer(() => vi.useRealTimers())
  }

  /** Requests of an API, per broker connection is not visible here: counts over the cluster. */
  const count = (c: MockCluster, api: string) => c.requests().filter((r) => r.apiName === api).length

  /** Sends `n` keyed records and checks they are all stored, in order per partition. */
  async function sendAndCheck(c: MockCluster, p: Producer, topic: string, n: number): Promise<void> {
    const results = await p.sendBatch(
      Array.from({ length: n }, (_, i) => ({ topic, key: `k-${i % 7}`, value: `value-${i}` })),
    )
    expect(results.filter((r) => !r.ok)).toEqual([])
    const stored = c.records(topic)
    expect(stored).toHaveLength(n)
    expect(new Set(stored.map((r) => r.value?.toString()))).toEqual(
      new Set(Array.from({ length: n }, (_, i) => `value-${i}`)),
    )
  }

  describe('SASL', () => {
    it.each([
      { mechanism: 'plain', name: 'PLAIN', rounds: 1 },
      { mechanism: 'scram-sha-256', name: 'SCRAM-SHA-256', rounds: 2 },
      { mechanism: 'scram-sha-512', name: 'SCRAM-SHA-512', rounds: 2 },
    ] as const)(
      'produces with SASL $name to a 3-broker SASL cluster: every connection authenticates, records arrive',
      async ({ mechanism, name, rounds }) => {
        const c = await start({ brokers: 3, topics: [{ name: 'orders', partitions: 6 }], sasl: { users: USERS } })
        const p = producer({
          bootstrapBrokers: c.bootstrapBrokers,
          sasl: { mechanism, username: 'alice', password: USERS.alice },
        })
        await sendAndCheck(c, p, 'orders', 600)
        const log = c.requests()
        // One SaslHandshake v1 per connection, right after ApiVersions; SaslAuthenticate v2 round trips.
        const connections = count(c, 'ApiVersions')
        expect(connections).toBeGreaterThanOrEqual(3)
        expect(count(c, 'SaslHandshake')).toBe(connections)
        expect(count(c, 'SaslAuthenticate')).toBe(connections * rounds)
        expect(log.filter((r) => r.apiName === 'SaslHandshake').every((r) => r.apiVersion === 1)).toBe(true)
        expect(log.filter((r) => r.apiName === 'SaslAuthenticate').every((r) => r.apiVersion === 2)).toBe(true)
        expect(name).toBe(mechanism.toUpperCase())
      },
    )

    it('escapes SCRAM usernames with "," and "=" and sends UTF-8 passwords', async () => {
      const c = await start({ topics: [{ name: 't', partitions: 1 }], sasl: { users: USERS } })
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        sasl: { mechanism: 'scram-sha-256', username: 'bob,=odd', password: USERS['bob,=odd'] },
      })
      await sendAndCheck(c, p, 't', 10)
    })

    it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)(
      'wrong password with %s: connect() rejects at once with a non-retriable AuthenticationError naming the mechanism and broker',
      async (mechanism) => {
        const c = await start({ brokers: 3, sasl: { users: USERS } })
        const p = producer({
          bootstrapBrokers: c.bootstrapBrokers,
          sasl: { mechanism, username: 'alice', password: 'wrong' },
          deliveryTimeoutMs: 60_000,
        })
        // "At once": connect() rejects with no timer running, so before any backoff or retry could
        // fire, let alone deliveryTimeoutMs (once measured as "under 2 s" of wall-clock time).
        freezeTimers()
        const error = await outcome(p.connect())
        expect(AuthenticationError.isInstance(error)).toBe(true)
        const e = error as AuthenticationError
        expect(e.name).toBe('AuthenticationError')
        expect(e.retriable).toBe(false)
        expect(e.code).toBe(ErrorCodes.SASL_AUTHENTICATION_FAILED)
        expect(e.mechanism).toBe(mechanism.toUpperCase())
        expect(c.bootstrapBrokers).toContain(e.broker)
        expect(e.message).toContain(mechanism.toUpperCase())
        expect(e.message).toContain(e.broker)
        expect(e.message).toMatch(/invalid/i)
        // One attempt, not one per bootstrap broker, and no reconnect loop.
        expect(count(c, 'SaslHandshake')).toBe(1)
        // A second connect() within the backoff (the clock is frozen) replays the failure without a
        // new connection.
        expect(AuthenticationError.isInstance(await outcome(p.connect()))).toBe(true)
        expect(count(c, 'SaslHandshake')).toBe(1)
      },
    )

    it('wrong password: send() fails with the AuthenticationError itself, after one attempt', async () => {
      const c = await start({ sasl: { users: USERS } })
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'wrong' },
        maxBlockMs: 60_000,
      })
      const error = await outcome(p.send({ topic: 't', value: 'v' }))
      expect(AuthenticationError.isInstance(error)).toBe(true)
      expect(count(c, 'SaslHandshake')).toBe(1)
    })

    it('a mechanism the brokers do not enable fails with UNSUPPORTED_SASL_MECHANISM and lists the enabled ones', async () => {
      const c = await start({ sasl: { users: USERS, mechanisms: ['SCRAM-SHA-512'] } })
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        sasl: { mechanism: 'plain', username: 'alice', password: USERS.alice },
      })
      const error = (await outcome(p.connect())) as AuthenticationError
      expect(AuthenticationError.isInstance(error)).toBe(true)
      expect(error.code).toBe(ErrorCodes.UNSUPPORTED_SASL_MECHANISM)
      expect(error.enabledMechanisms).toEqual(['SCRAM-SHA-512'])
      expect(error.message).toContain('SCRAM-SHA-512')
      expect(count(c, 'SaslAuthenticate')).toBe(0)
    })

    it('SASL against a listener without SASL fails with ILLEGAL_SASL_STATE, not a retry loop', async () => {
      const c = await start({})
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        sasl: { mechanism: 'plain', username: 'alice', password: 'x' },
      })
      const error = (await outcome(p.connect())) as AuthenticationError
      expect(AuthenticationError.isInstance(error)).toBe(true)
      expect(error.code).toBe(ErrorCodes.ILLEGAL_SASL_STATE)
    })

    it('re-authenticates on the same connections before the session expires (KIP-368), with no reconnects', async () => {
      const c = await start({
        brokers: 2,
        topics: [{ name: 'steady', partitions: 4 }],
        sasl: { users: USERS, sessionLifetimeMs: 1500 },
      })
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        sasl: { mechanism: 'scram-sha-256', username: 'alice', password: USERS.alice },
      })
      await p.connect()
      const results: Array<Promise<unknown>> = []
      for (let i = 0; i < 35; i++) {
        results.push(p.send({ topic: 'steady', key: `k-${i}`, value: `v-${i}` }))
        await sleep(100)
      }
      await Promise.all(results)
      expect(c.records('steady')).toHaveLength(35)
      const connections = count(c, 'ApiVersions')
      // The sessions lasted 3.5 s at 1.5 s each: every connection re-authenticated, none reconnected
      // (a request after expiry would have closed it, and a reconnect would send ApiVersions again).
      expect(count(c, 'SaslHandshake')).toBeGreaterThan(connections)
      expect(connections).toBeLessThanOrEqual(3)
    })

    it('OAUTHBEARER: sends the token with its extensions; records arrive', async () => {
      const seen: Array<{ token: string; extensions: Record<string, string> }> = []
      const c = await start({
        brokers: 2,
        topics: [{ name: 'events', partitions: 2 }],
        sasl: {
          oauthbearer: (token, extensions) => {
            seen.push({ token, extensions: { ...extensions } })
            return { principal: 'svc-orders' }
          },
        },
      })
      let calls = 0
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        sasl: {
          mechanism: 'oauthbearer',
          token: async (): Promise<OAuthBearerToken> => {
            calls++
            return {
              value: unsecuredJwt({ sub: 'svc-orders', exp: Math.floor(Date.now() / 1000) + 3600 }),
              lifetimeMs: Date.now() + 3_600_000,
              extensions: { logicalCluster: 'lkc-42', traceId: 'abc' },
            }
          },
        },
      })
      await sendAndCheck(c, p, 'events', 50)
      expect(seen.length).toBe(count(c, 'SaslHandshake'))
      expect(seen[0]?.extensions).toEqual({ logicalCluster: 'lkc-42', traceId: 'abc' })
      // One token, cached for its lifetime, for every connection.
      expect(calls).toBe(1)
    })

    it('OAUTHBEARER: a rejected token fails connect() with an AuthenticationError after the RFC 7628 error exchange', async () => {
      const c = await start({ sasl: { oauthbearer: () => false } })
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        sasl: { mechanism: 'oauthbearer', token: () => ({ value: 'not-a-good-token' }) },
      })
      const error = (await outcome(p.connect())) as AuthenticationError
      expect(AuthenticationError.isInstance(error)).toBe(true)
      expect(error.mechanism).toBe('OAUTHBEARER')
      expect(error.code).toBe(ErrorCodes.SASL_AUTHENTICATION_FAILED)
      expect(error.message).toContain('invalid_token')
      // The JSON error challenge, then the client's %x01, then the failure.
      expect(count(c, 'SaslAuthenticate')).toBe(2)
    })

    it('OAUTHBEARER: a failing token provider fails connect() with an AuthenticationError that has the cause', async () => {
      const c = await start({ sasl: { oauthbearer: () => true } })
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        sasl: {
          mechanism: 'oauthbearer',
          token: async () => {
            throw new Error('identity provider unreachable')
          },
        },
      })
      const error = (await outcome(p.connect())) as AuthenticationError
      expect(AuthenticationError.isInstance(error)).toBe(true)
      expect(error.message).toContain('identity provider unreachable')
      expect((error.cause as Error).message).toBe('identity provider unreachable')
    })

    it('OAUTHBEARER: gets a fresh token and re-authenticates before the token expires', async () => {
      const c = await start({ topics: [{ name: 'tokens', partitions: 1 }], sasl: { oauthbearer: () => true } })
      const issued: number[] = []
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        sasl: {
          mechanism: 'oauthbearer',
          token: () => {
            issued.push(Date.now())
            return { value: unsecuredJwt({ sub: 'svc', n: issued.length }), lifetimeMs: Date.now() + 700 }
          },
        },
      })
      await p.send({ topic: 'tokens', value: 'first' })
      const connections = count(c, 'ApiVersions')
      await sleep(2000)
      await p.send({ topic: 'tokens', value: 'second' })
      expect(c.records('tokens').map((r) => r.value?.toString())).toEqual(['first', 'second'])
      expect(issued.length).toBeGreaterThanOrEqual(3)
      expect(count(c, 'SaslHandshake')).toBeGreaterThanOrEqual(3)
      // Re-authenticated on the same connections: none was opened again.
      expect(count(c, 'ApiVersions')).toBe(connections)
    })

    it('records waiting for a broker fail with the AuthenticationError when it refuses to re-authenticate them, not after deliveryTimeoutMs', async () => {
      let accept = true
      const c = await start({ topics: [{ name: 'revoked', partitions: 1 }], sasl: { oauthbearer: () => accept } })
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        sasl: { mechanism: 'oauthbearer', token: () => ({ value: unsecuredJwt({ sub: 'svc' }) }) },
        deliveryTimeoutMs: 60_000,
      })
      await p.send({ topic: 'revoked', value: 'before' })
      accept = false
      c.dropConnections()
      const error = await outcome(p.send({ topic: 'revoked', value: 'after' }))
      // The AuthenticationError itself, not a TimeoutError: a record failed by deliveryTimeoutMs gets
      // a TimeoutError (with the last error at most as its cause), so this one settled on the
      // broker's refusal, before its deadline (once asserted as "under 5 s" of wall-clock time).
      expect(AuthenticationError.isInstance(error)).toBe(true)
      expect(TimeoutError.isInstance(error)).toBe(false)
      expect(c.records('revoked').map((r) => r.value?.toString())).toEqual(['before'])
    })
  })

  describe('TLS', () => {
    it('produces over TLS to a 3-broker cluster with a certificate from a self-signed CA', async () => {
      const c = await start({
        brokers: 3,
        topics: [{ name: 'secure', partitions: 3 }],
        tls: { key: certs.key, cert: certs.cert },
      })
      const p = producer({ bootstrapBrokers: c.bootstrapBrokers, tls: { ca: certs.ca } })
      await sendAndCheck(c, p, 'secure', 300)
    })

    it('SASL_SSL: SCRAM-SHA-512 over TLS', async () => {
      const c = await start({
        brokers: 2,
        topics: [{ name: 'secure', partitions: 2 }],
        tls: { key: certs.key, cert: certs.cert },
        sasl: { users: USERS, mechanisms: ['SCRAM-SHA-512'] },
      })
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        tls: { ca: certs.ca },
        sasl: { mechanism: 'scram-sha-512', username: 'alice', password: USERS.alice },
      })
      await sendAndCheck(c, p, 'secure', 100)
      expect(count(c, 'SaslAuthenticate')).toBe(2 * count(c, 'SaslHandshake'))
    })

    it('mutual TLS: a client certificate from the same CA', async () => {
      const c = await start({
        topics: [{ name: 'mtls', partitions: 1 }],
        tls: { key: certs.key, cert: certs.cert, ca: certs.ca, requestCert: true },
      })
      const p = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        tls: { ca: certs.ca, key: certs.clientKey, cert: certs.clientCert },
      })
      await sendAndCheck(c, p, 'mtls', 10)
    })

    it.each([
      { name: 'without the CA (tls: true, system CAs)', tls: true as const },
      { name: 'trusting another CA', tls: 'other' as const },
    ])(
      'an untrusted certificate ($name) fails connect() at once with an AuthenticationError for TLS',
      async ({ tls }) => {
        const c = await start({ brokers: 2, tls: { key: certs.key, cert: certs.cert } })
        const p = producer({ bootstrapBrokers: c.bootstrapBrokers, tls: tls === true ? true : { ca: certs.otherCa } })
        // "At once": connect() rejects with no timer running, so on the failed handshake itself and
        // not after a retry (once measured as "under 2 s" of wall-clock time).
        freezeTimers()
        const error = (await outcome(p.connect())) as AuthenticationError
        expect(AuthenticationError.isInstance(error)).toBe(true)
        expect(error.mechanism).toBe('TLS')
        expect(error.retriable).toBe(false)
        expect(error.message).toMatch(/certificate/i)
      },
    )

    it('verifies the certificate names the broker (or servername): another name fails, a listed one works', async () => {
      const c = await start({ topics: [{ name: 'names', partitions: 1 }], tls: { key: certs.key, cert: certs.cert } })
      // The certificate is for 127.0.0.1 and localhost.
      const wrong = producer({
        bootstrapBrokers: c.bootstrapBrokers,
        tls: { ca: certs.ca, servername: 'kafka.example.com' },
      })
      const error = (await outcome(wrong.connect())) as AuthenticationError
      expect(AuthenticationError.isInstance(error)).toBe(true)
      expect(error.message).toMatch(/altnames|does not match/i)
      const right = producer({ bootstrapBrokers: c.bootstrapBrokers, tls: { ca: certs.ca, servername: 'localhost' } })
      await sendAndCheck(c, right, 'names', 5)
    })

    it('Producer.fromProperties: security.protocol SASL_SSL with sasl.* and ssl.ca.location', async () => {
      const c = await start({
        topics: [{ name: 'props', partitions: 1 }],
        tls: { key: certs.key, cert: certs.cert },
        sasl: { users: USERS },
      })
      const p = Producer.fromProperties({
        'bootstrap.servers': c.bootstrapBrokers.join(','),
        'security.protocol': 'SASL_SSL',
        'sasl.mechanisms': 'SCRAM-SHA-256',
        'sasl.username': 'alice',
        'sasl.password': USERS.alice,
        'ssl.ca.location': certs.path('ca.pem'),
        'linger.ms': 1,
      })
      track(p)
      await sendAndCheck(c, p, 'props', 20)
    })
  })
})
