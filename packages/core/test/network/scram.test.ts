import { describe, expect, it } from 'vitest'
import { AuthenticationError } from '../../src/errors/authentication-error.js'
import {
  escapeUsername,
  SCRAM_SHA_1,
  SCRAM_SHA_256,
  SCRAM_SHA_512,
  ScramClient,
  scramMechanism,
} from '../../src/network/sasl/scram.js'

const broker = '127.0.0.1:9092'
const text = (b: Buffer | undefined) => b?.toString('utf8')

/** Runs an exchange against scripted server messages; returns the client's messages. */
async function exchange(client: ScramClient, serverFirst: string, serverFinal: string) {
  const first = text(await client.start())
  const final = text(await client.next(Buffer.from(serverFirst)))
  const done = await client.next(Buffer.from(serverFinal))
  return { first, final, done }
}

describe('SCRAM client (RFC 5802, RFC 7677)', () => {
  it('reproduces the SCRAM-SHA-256 example of RFC 7677 section 3, and accepts its server signature', async () => {
    const client = new ScramClient({
      hash: SCRAM_SHA_256,
      username: 'user',
      password: 'pencil',
      broker,
      nonce: 'rOprNGfwEbeRWgbNEkqO',
    })
    const { first, final, done } = await exchange(
      client,
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
      'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
    )
    expect(first).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO')
    expect(final).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    )
    expect(done).toBeUndefined()
  })

  it('reproduces the SCRAM-SHA-1 example of RFC 5802 section 5 (same code, another hash)', async () => {
    const client = new ScramClient({
      hash: SCRAM_SHA_1,
      username: 'user',
      password: 'pencil',
      broker,
      nonce: 'fyko+d2lbbFgONRv9qkxdawL',
    })
    const { first, final, done } = await exchange(
      client,
      'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
      'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=',
    )
    expect(first).toBe('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL')
    expect(final).toBe('c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=')
    expect(done).toBeUndefined()
  })

  it('rejects a server signature that does not match: the broker did not prove it knows the credentials', async () => {
    const client = new ScramClient({
      hash: SCRAM_SHA_256,
      username: 'user',
      password: 'pencil',
      broker,
      nonce: 'rOprNGfwEbeRWgbNEkqO',
    })
    await client.start()
    await client.next(
      Buffer.from('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'),
    )
    const wrong = Buffer.from('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=', 'base64')
    wrong[0] = (wrong[0] as number) ^ 1
    const error = await client.next(Buffer.from(`v=${wrong.toString('base64')}`)).catch((e: unknown) => e)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    const e = error as AuthenticationError
    expect(e.mechanism).toBe('SCRAM-SHA-256')
    expect(e.broker).toBe(broker)
    expect(e.retriable).toBe(false)
    expect(e.message).toContain('server signature does not match')
    // A truncated signature is refused too, without comparing lengths in a way that throws.
    const other = new ScramClient({
      hash: SCRAM_SHA_256,
      username: 'user',
      password: 'pencil',
      broker,
      nonce: 'rOprNGfwEbeRWgbNEkqO',
    })
    await other.start()
    await other.next(
      Buffer.from('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'),
    )
    await expect(other.next(Buffer.from('v=AAAA'))).rejects.toThrow(/server signature does not match/)
  })

  it.each([
    [
      'a server nonce that does not extend the client nonce',
      'r=someone-else,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
      /nonce/,
    ],
    ['a server nonce equal to the client nonce', 'r=abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096', /nonce/],
    ['fewer than 4096 iterations', 'r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000', /1000 iterations/],
    ['a non-numeric iteration count', 'r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=lots', /iterations/],
    ['a missing salt', 'r=abcdef,i=4096', /malformed/],
    ['a mandatory extension', 'm=ext,r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096', /extension/],
    ['an error attribute', 'e=unknown-user', /refused: unknown-user/],
  ])('refuses %s in the server-first message', async (_name, serverFirst, message) => {
    const client = new ScramClient({ hash: SCRAM_SHA_512, username: 'u', password: 'p', broker, nonce: 'abc' })
    await client.start()
    const error = await client.next(Buffer.from(serverFirst)).catch((e: unknown) => e)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(message)
  })

  it('reports an e= server-final message as a refusal', async () => {
    const client = new ScramClient({ hash: SCRAM_SHA_256, username: 'u', password: 'p', broker, nonce: 'abc' })
    await client.start()
    await client.next(Buffer.from('r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'))
    await expect(client.next(Buffer.from('e=invalid-proof'))).rejects.toThrow(/refused: invalid-proof/)
  })

  it('escapes "=" and "," in usernames (saslname) and keeps UTF-8 as it is', async () => {
    expect(escapeUsername('a=b,c')).toBe('a=3Db=2Cc')
    expect(escapeUsername('ünï')).toBe('ünï')
    const client = new ScramClient({ hash: SCRAM_SHA_256, username: 'a=b,c', password: 'p', broker, nonce: 'n' })
    expect(text(await client.start())).toBe('n,,n=a=3Db=2Cc,r=n')
  })

  it('draws a fresh random nonce for every exchange', async () => {
    const mechanism = scramMechanism(SCRAM_SHA_512, 'u', 'p')
    expect(mechanism.name).toBe('SCRAM-SHA-512')
    const nonces = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const first = text(await mechanism.session(broker).start()) as string
      const nonce = /,r=([^,]+)$/.exec(first)?.[1] as string
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{32}$/)
      nonces.add(nonce)
    }
    expect(nonces.size).toBe(20)
  })

  it('refuses messages out of order', async () => {
    const client = new ScramClient({ hash: SCRAM_SHA_256, username: 'u', password: 'p', broker, nonce: 'abc' })
    await client.start()
    await expect(client.start()).rejects.toThrow(/started twice/)
  })
})
