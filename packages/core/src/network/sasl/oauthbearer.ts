import { AuthenticationError } from '../../errors/authentication-error.js'
import { errorMessage } from '../../errors/to-error.js'
import type { SaslMechanism, SaslSession } from './mechanism.js'
import type { OAuthBearerToken } from './types.js'

/** Extension keys are letters only (RFC 7628 section 3.1); `auth` is the token itself. */
const EXTENSION_KEY = /^[A-Za-z]+$/
/** Extension values: visible ASCII, space, tab, CR, LF. */
const EXTENSION_VALUE = /^[\x21-\x7E \t\r\n]+$/
/** A bearer token (RFC 6750 b64token). */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

/**
 * The OAUTHBEARER initial client response (RFC 7628 section 3.1), as Kafka's client sends it:
 * `n,,` (no authorization identity), then `auth=Bearer <token>` and each extension, each followed
 * by %x01, and a final %x01.
 */
export function oauthBearerMessage(token: string, extensions: Readonly<Record<string, string>> = {}): Buffer {
  let message = `n,,\u0001auth=Bearer ${token}\u0001`
  for (const [key, value] of Object.entries(extensions)) message += `${key}=${value}\u0001`
  return Buffer.from(`${message}\u0001`, 'utf8')
}

/** Why a token from the provider cannot be sent, or undefined when it can. */
export function tokenProblem(token: unknown): string | undefined {
  if (typeof token !== 'object' || token === null)
    return `token() returned ${token === null ? 'null' : typeof token}, not a token object`
  const t = token as Partial<OAuthBearerToken>
  if (typeof t.value !== 'string' || t.value === '') return 'the token has no string value'
  if (!TOKEN.test(t.value)) return 'the token value has characters a bearer token cannot have (RFC 6750)'
  if (t.lifetimeMs !== undefined && (typeof t.lifetimeMs !== 'number' || !Number.isFinite(t.lifetimeMs))) {
    return 'the token lifetimeMs is not a number'
  }
  if (t.extensions !== undefined) {
    if (typeof t.extensions !== 'object' || t.extensions === null) return 'the token extensions are not an object'
    for (const [key, value] of Object.entries(t.extensions)) {
      if (key === 'auth' || !EXTENSION_KEY.test(key))
        return `extension name '${key}' is not allowed (letters only, not 'auth')`
      if (typeof value !== 'string' || !EXTENSION_VALUE.test(value))
        return `extension '${key}' has a value that is not printable ASCII`
    }
  }
  return undefined
}

/** Reuse a token until this share of its lifetime has passed. */
const REFRESH_AT = 0.8

/**
 * OAUTHBEARER with tokens from the application's provider. The last token is cached until 80%
 * of its lifetime has passed (a token without lifetimeMs is asked for every time), so connections
 * opened together share one token and re-authentication before expiry gets a fresh one.
 */
export function oauthBearerMechanism(provider: () => OAuthBearerToken | Promise<OAuthBearerToken>): SaslMechanism {
  let cached: { token: OAuthBearerToken; refreshAt: number } | undefined
  let pending: Promise<OAuthBearerToken> | undefined

  const fetchToken = async (broker: string): Promise<OAuthBearerToken> => {
    const now = Date.now()
    if (cached !== undefined && now < cached.refreshAt) return cached.token
    pending ??= (async () => {
      let token: OAuthBearerToken
      try {
        token = await provider()
      } catch (cause) {
        throw new AuthenticationError({
          mechanism: 'OAUTHBEARER',
          broker,
          reason: `the token() provider failed: ${errorMessage(cause)}`,
          cause,
        })
      }
      const problem = tokenProblem(token)
      if (problem !== undefined) throw new AuthenticationError({ mechanism: 'OAUTHBEARER', broker, reason: problem })
      const obtained = Date.now()
      if (token.lifetimeMs !== undefined && token.lifetimeMs <= obtained) {
        throw new AuthenticationError({
          mechanism: 'OAUTHBEARER',
          broker,
          reason: `the token expired at ${new Date(token.lifetimeMs).toISOString()} (lifetimeMs is the expiry time in milliseconds since the epoch)`,
        })
      }
      cached =
        token.lifetimeMs === undefined
          ? undefined
          : { token, refreshAt: obtained + (token.lifetimeMs - obtained) * REFRESH_AT }
      return token
    })().finally(() => {
      pending = undefined
    })
    return pending
  }

  return {
    name: 'OAUTHBEARER',
    session: (broker): SaslSession => {
      let expiresAt: number | undefined
      let sent = false
      return {
        get expiresAt() {
          return expiresAt
        },
        async start() {
          const token = await fetchToken(broker)
          expiresAt = token.lifetimeMs
          return oauthBearerMessage(token.value, token.extensions)
        },
        async next(serverMessage) {
          // Success is an empty message. A failure may come as a JSON error challenge, which the
          // client acknowledges with a single %x01 (RFC 7628 section 3.2.3) before the broker
          // answers with the error code.
          if (serverMessage.length === 0) return undefined
          if (sent) {
            throw new AuthenticationError({
              mechanism: 'OAUTHBEARER',
              broker,
              reason: `the broker refused the token: ${serverMessage.toString('utf8')}`,
            })
          }
          sent = true
          return Buffer.from([1])
        },
      }
    },
  }
}
