import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import { MOCK_SASL_MECHANISMS, type MockSaslMechanism, type MockSaslOptions } from './options.js'

/** A refused authentication; the message is what the broker tells the client. */
export class SaslFailure extends Error {}

/** What one client message produced. */
export interface ExchangeStep {
  /** The server's answer (may be empty). */
  challenge: Buffer
  /** True when the client is authenticated. */
  done: boolean
  /** The authenticated principal (set when done). */
  principal?: string
  /** When the credentials expire (an OAuth token's exp), in ms since the epoch. */
  expiresAt?: number
}

/** The server side of one SASL exchange: fed each client message in turn. */
export interface ServerExchange {
  step(message: Buffer): ExchangeStep
}

/** SCRAM hashes by mechanism. */
const SCRAM = {
  'SCRAM-SHA-256': { digest: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { digest: 'sha512', bytes: 64 },
} as const

/** Kafka's default (and minimum) SCRAM iteration count. */
export const SCRAM_ITERATIONS = 4096

/** What a broker keeps of a SCRAM credential (RFC 5802 section 3): never the password itself. */
interface ScramCredential {
  salt: Buffer
  iterations: number
  storedKey: Buffer
  serverKey: Buffer
}

/** Kafka's own message for a failed SCRAM or PLAIN exchange. */
const invalidCredentials = (mechanism: string) =>
  new SaslFailure(
    `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
  )

/** The cluster-wide SASL configuration: enabled mechanisms, credentials, token validation. */
export class SaslServer {
  readonly mechanisms: readonly MockSaslMechanism[]
  readonly sessionLifetimeMs: number
  private readonly users: ReadonlyMap<string, string>
  private readonly validate: NonNullable<MockSaslOptions['oauthbearer']>
  private readonly credentials = new Map<string, ScramCredential>()

  constructor(options: MockSaslOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('sasl must be an object')
    const users = options.users ?? {}
    if (typeof users !== 'object' || users === null) throw new TypeError('sasl.users must map usernames to passwords')
    for (const [user, password] of Object.entries(users)) {
      if (typeof password !== 'string') throw new TypeError(`sasl.users['${user}'] must be a string password`)
    }
    this.users = new Map(Object.entries(users))
    const mechanisms =
      options.mechanisms ?? MOCK_SASL_MECHANISMS.filter((m) => m !== 'OAUTHBEARER' || options.oauthbearer !== undefined)
    for (const m of mechanisms) {
      if (!MOCK_SASL_MECHANISMS.includes(m)) {
        throw new RangeError(
          `unknown SASL mechanism '${String(m)}'; the mock implements ${MOCK_SASL_MECHANISMS.join(', ')}`,
        )
      }
    }
    if (mechanisms.length === 0) throw new RangeError('sasl.mechanisms must enable at least one mechanism')
    this.mechanisms = [...mechanisms]
    const lifetime = options.sessionLifetimeMs ?? 0
    if (!Number.isInteger(lifetime) || lifetime < 0)
      throw new RangeError('sasl.sessionLifetimeMs must be an integer >= 0')
    this.sessionLifetimeMs = lifetime
    this.validate = options.oauthbearer ?? validateUnsecuredJwt
  }

  /** A new exchange for an enabled mechanism. */
  exchange(mechanism: MockSaslMechanism): ServerExchange {
    switch (mechanism) {
      case 'PLAIN':
        return this.plain()
      case 'OAUTHBEARER':
        return this.oauthBearer()
      default:
        return this.scram(mechanism)
    }
  }

  /** RFC 4616: `authzid NUL authcid NUL passwd`; the authzid must be empty or the username. */
  private plain(): ServerExchange {
    return {
      step: (message) => {
        const parts = message.toString('utf8').split('\u0000')
        if (parts.length !== 3) throw new SaslFailure('Invalid SASL/PLAIN response: expected 3 tokens')
        const [authzid, username, password] = parts as [string, string, string]
        if (authzid !== '' && authzid !== username) {
          throw new SaslFailure(
            'Authentication failed: Client requested an authorization id that is different from username',
          )
        }
        const expected = this.users.get(username)
        if (expected === undefined || !sameText(expected, password)) {
          throw new SaslFailure('Authentication failed: Invalid username or password')
        }
        return { challenge: Buffer.alloc(0), done: true, principal: username }
      },
    }
  }

  /** RFC 5802: client-first, server-first (salt, iterations), client-final (proof), server-final (signature). */
  private scram(mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'): ServerExchange {
    const hash = SCRAM[mechanism]
    let state: 'first' | 'final' | 'done' = 'first'
    let username = ''
    let gs2Header = ''
    let clientFirstBare = ''
    let serverFirst = ''
    let nonce = ''
    let credential: ScramCredential | undefined
    return {
      step: (message) => {
        const text = message.toString('utf8')
        if (state === 'first') {
          // gs2-header: cbind-flag "," [authzid] ","; channel binding ("p=") is not offered.
          const match = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(text)
          if (match === null) throw new SaslFailure(`Invalid SCRAM client first message: ${text}`)
          gs2Header = `${match[1]},${match[2] ?? ''},`
          clientFirstBare = match[3] as string
          const a = attributes(clientFirstBare)
          const name = a.get('n')
          const clientNonce = a.get('r')
          if (name === undefined || clientNonce === undefined || clientNonce === '') {
            throw new SaslFailure(`Invalid SCRAM client first message: ${text}`)
          }
          username = unescapeUsername(name)
          const authzid = match[2]?.slice(2)
          if (authzid !== undefined && authzid !== '' && unescapeUsername(authzid) !== username) {
            throw new SaslFailure(
              'Authentication failed: Client requested an authorization id that is different from username',
            )
          }
          credential = this.scramCredential(username, mechanism)
          if (credential === undefined) throw invalidCredentials(mechanism)
          nonce = `${clientNonce}${randomBytes(18).toString('base64')}`
          serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`
          state = 'final'
          return { challenge: Buffer.from(serverFirst, 'utf8'), done: false }
        }
        if (state === 'final' && credential !== undefined) {
          state = 'done'
          const proofAt = text.lastIndexOf(',p=')
          if (proofAt < 0) throw new SaslFailure('Invalid SCRAM client final message: no proof')
          const withoutProof = text.slice(0, proofAt)
          const a = attributes(withoutProof)
          if (a.get('c') !== Buffer.from(gs2Header).toString('base64')) {
            throw new SaslFailure('Invalid SCRAM client final message: channel binding does not match')
          }
          // Kafka checks that the nonce ends with the server's: librdkafka (up to 2.x at least)
          // sends its client nonce in front of the combined nonce the server returned.
          if (!(a.get('r') ?? '').endsWith(nonce)) {
            throw new SaslFailure('Invalid SCRAM client final message: nonce does not match')
          }
          const proof = Buffer.from(text.slice(proofAt + 3), 'base64')
          const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`
          const clientSignature = createHmac(hash.digest, credential.storedKey).update(authMessage).digest()
          if (proof.length !== clientSignature.length) throw invalidCredentials(mechanism)
          const clientKey = Buffer.alloc(proof.length)
          for (let i = 0; i < proof.length; i++) clientKey[i] = (proof[i] as number) ^ (clientSignature[i] as number)
          const storedKey = createHash(hash.digest).update(clientKey).digest()
          if (!timingSafeEqual(storedKey, credential.storedKey)) throw invalidCredentials(mechanism)
          const serverSignature = createHmac(hash.digest, credential.serverKey).update(authMessage).digest()
          return {
            challenge: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8'),
            done: true,
            principal: username,
          }
        }
        throw new SaslFailure('Unexpected SCRAM message after the exchange ended')
      },
    }
  }

  /** RFC 7628 initial response; an invalid token gets Kafka's JSON error challenge, then fails on the client's %x01. */
  private oauthBearer(): ServerExchange {
    let refused: string | undefined
    return {
      step: (message) => {
        if (refused !== undefined) {
          throw new SaslFailure(`Authentication failed: ${refused}`)
        }
        const text = message.toString('utf8')
        // gs2-header %x01 *(key=value %x01) %x01
        const parts = text.split('\u0001')
        const match = /^([ny]),(?:a=([^,]*))?,$/.exec(parts[0] ?? '')
        if (match === null || parts.length < 4 || parts.at(-1) !== '' || parts.at(-2) !== '') {
          throw new SaslFailure('Invalid OAUTHBEARER client first message')
        }
        const pairs = new Map<string, string>()
        for (const kv of parts.slice(1, -2)) {
          const at = kv.indexOf('=')
          if (at <= 0) throw new SaslFailure('Invalid OAUTHBEARER client first message')
          pairs.set(kv.slice(0, at), kv.slice(at + 1))
        }
        const auth = pairs.get('auth')
        const token = auth === undefined ? undefined : /^Bearer (.+)$/i.exec(auth)?.[1]
        if (token === undefined) throw new SaslFailure('Invalid OAUTHBEARER client first message: no bearer token')
        pairs.delete('auth')
        const extensions = Object.fromEntries(pairs)
        let verdict: boolean | { principal: string }
        try {
          verdict = this.validate(token, extensions)
        } catch (error) {
          verdict = false
          refused = JSON.stringify({ status: 'invalid_token', error: (error as Error).message })
        }
        if (verdict === false) {
          refused ??= JSON.stringify({ status: 'invalid_token' })
          return { challenge: Buffer.from(refused, 'utf8'), done: false }
        }
        const claims = decodeJwt(token)
        const principal =
          verdict === true ? (typeof claims?.sub === 'string' ? claims.sub : 'oauth-user') : verdict.principal
        if (match[2] !== undefined && match[2] !== '' && match[2] !== principal) {
          throw new SaslFailure('Authentication failed: the authorization id is not the token principal')
        }
        const exp = typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined
        return { challenge: Buffer.alloc(0), done: true, principal, ...(exp === undefined ? {} : { expiresAt: exp }) }
      },
    }
  }

  /** The stored SCRAM credential of a user, derived once from the configured password. */
  private scramCredential(username: string, mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'): ScramCredential | undefined {
    const password = this.users.get(username)
    if (password === undefined) return undefined
    const id = `${mechanism}\u0000${username}`
    let credential = this.credentials.get(id)
    if (credential === undefined) {
      const hash = SCRAM[mechanism]
      const salt = randomBytes(16)
      const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, hash.bytes, hash.digest)
      const clientKey = createHmac(hash.digest, salted).update('Client Key').digest()
      credential = {
        salt,
        iterations: SCRAM_ITERATIONS,
        storedKey: createHash(hash.digest).update(clientKey).digest(),
        serverKey: createHmac(hash.digest, salted).update('Server Key').digest(),
      }
      this.credentials.set(id, credential)
    }
    return credential
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of message.split(',')) {
    if (part.length >= 2 && part[1] === '=') out.set(part.slice(0, 1), part.slice(2))
  }
  return out
}

/** RFC 5802 saslname: `=2C` is `,` and `=3D` is `=`; any other `=` is invalid. */
function unescapeUsername(name: string): string {
  if (/=(?!2C|3D)/.test(name)) throw new SaslFailure(`Invalid SCRAM username '${name}'`)
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=')
}

/** The claims of a JWT, or undefined when the token is not one. */
function decodeJwt(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as unknown
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Kafka's unsecured-JWS validation: `alg: none`, a string `sub`, an `exp` in the future. */
function validateUnsecuredJwt(token: string): boolean | { principal: string } {
  const parts = token.split('.')
  if (parts.length !== 3) return false
  let header: unknown
  try {
    header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8'))
  } catch {
    return false
  }
  if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== 'none') return false
  const claims = decodeJwt(token)
  if (claims === undefined || typeof claims.sub !== 'string' || claims.sub === '') return false
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) return false
  return { principal: claims.sub }
}
