import { describe, expect, it } from 'vitest'
import { AuthenticationError } from '../../src/errors/authentication-error.js'
import { createMechanism } from '../../src/network/sasl/authenticate.js'
import { oauthBearerMechanism, oauthBearerMessage, tokenProblem } from '../../src/network/sasl/oauthbearer.js'
import type { OAuthBearerToken } from '../../src/network/sasl/types.js'

const broker = '127.0.0.1:9092'

describe('SASL PLAIN (RFC 4616)', () => {
  it('sends NUL, username, NUL, password (empty authorization identity, as the Java client) and is done on any answer', async () => {
    const session = createMechanism({ mechanism: 'plain', username: 'alice', password: 'pä$$' }).session(broker)
    expect(await session.start()).toEqual(Buffer.from('\u0000alice\u0000pä$$', 'utf8'))
    expect(await session.next(Buffer.alloc(0))).toBeUndefined()
  })

  it('is named as brokers know the mechanisms', () => {
    const names = (['plain', 'scram-sha-256', 'scram-sha-512'] as const).map(
      (mechanism) => createMechanism({ mechanism, username: 'u', password: 'p' }).name,
    )
    expect(names).toEqual(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])
    expect(createMechanism({ mechanism: 'oauthbearer', token: () => ({ value: 't' }) }).name).toBe('OAUTHBEARER')
  })
})

describe('SASL OAUTHBEARER (RFC 7628)', () => {
  it('formats the initial client response as Kafka does: n,, then auth and the extensions, each ending with %x01', () => {
    expect(oauthBearerMessage('eyJ.abc.')).toEqual(Buffer.from('n,,\u0001auth=Bearer eyJ.abc.\u0001\u0001'))
    expect(oauthBearerMessage('tok', { logicalCluster: 'lkc-1', traceId: 'a b' })).toEqual(
      Buffer.from('n,,\u0001auth=Bearer tok\u0001logicalCluster=lkc-1\u0001traceId=a b\u0001\u0001'),
    )
  })

  it.each([
    [null, /null/],
    [{ value: '' }, /no string value/],
    [{ value: 'has space' }, /RFC 6750/],
    [{ value: 't', lifetimeMs: 'soon' }, /lifetimeMs/],
    [{ value: 't', extensions: { auth: 'x' } }, /'auth'/],
    [{ value: 't', extensions: { 'bad-key': 'x' } }, /letters only/],
    [{ value: 't', extensions: { k: 'tab\u0000' } }, /printable/],
  ])('refuses a token %j', (token, message) => {
    expect(tokenProblem(token)).toMatch(message)
  })

  it('caches a token until 80% of its lifetime and asks again after; a token without lifetime every time', async () => {
    let calls = 0
    let lifetime: number | undefined = Date.now() + 10_000
    const mechanism = oauthBearerMechanism(() => {
      calls++
      return { value: `t${calls}`, lifetimeMs: lifetime }
    })
    const first = await mechanism.session(broker).start()
    const second = await mechanism.session(broker).start()
    expect(first.toString()).toContain('Bearer t1')
    expect(second.toString()).toContain('Bearer t1')
    expect(calls).toBe(1)
    lifetime = undefined
    const mechanism2 = oauthBearerMechanism(() => {
      calls++
      return { value: `t${calls}` }
    })
    await mechanism2.session(broker).start()
    await mechanism2.session(broker).start()
    expect(calls).toBe(3)
  })

  it('shares one provider call between sessions starting together', async () => {
    let calls = 0
    const mechanism = oauthBearerMechanism(async () => {
      calls++
      await new Promise((resolve) => setTimeout(resolve, 10))
      return { value: 'shared', lifetimeMs: Date.now() + 60_000 }
    })
    await Promise.all([1, 2, 3].map(() => mechanism.session(broker).start()))
    expect(calls).toBe(1)
  })

  it('reports the token expiry to the session (for re-authentication before it)', async () => {
    const expiry = Date.now() + 30_000
    const session = oauthBearerMechanism(() => ({ value: 't', lifetimeMs: expiry })).session(broker)
    expect(session.expiresAt).toBeUndefined()
    await session.start()
    expect(session.expiresAt).toBe(expiry)
  })

  it('turns a provider failure, a bad token and an expired token into AuthenticationErrors', async () => {
    const failing = oauthBearerMechanism(() => {
      throw new Error('idp down')
    })
    const e1 = await failing
      .session(broker)
      .start()
      .catch((e: unknown) => e)
    expect(AuthenticationError.isInstance(e1)).toBe(true)
    expect((e1 as Error).message).toMatch(/token\(\) provider failed: idp down/)
    const bad = oauthBearerMechanism(() => ({ value: 42 }) as unknown as OAuthBearerToken)
    await expect(bad.session(broker).start()).rejects.toThrow(/no string value/)
    const expired = oauthBearerMechanism(() => ({ value: 't', lifetimeMs: 60_000 }))
    await expect(expired.session(broker).start()).rejects.toThrow(/expiry time in milliseconds since the epoch/)
  })

  it('answers a JSON error challenge with %x01 (RFC 7628 3.2.3), and refuses a second challenge', async () => {
    const session = oauthBearerMechanism(() => ({ value: 't' })).session(broker)
    await session.start()
    expect(await session.next(Buffer.from('{"status":"invalid_token"}'))).toEqual(Buffer.from([1]))
    await expect(session.next(Buffer.from('{"status":"invalid_token"}'))).rejects.toThrow(/refused the token/)
    const ok = oauthBearerMechanism(() => ({ value: 't' })).session(broker)
    await ok.start()
    expect(await ok.next(Buffer.alloc(0))).toBeUndefined()
  })
})
