import { AuthenticationError } from '../../errors/authentication-error.js'
import { ConnectionError } from '../../errors/connection-error.js'
import type { ApiDefinition } from '../../protocol/apis/api-definition.js'
import { saslAuthenticate } from '../../protocol/apis/sasl-authenticate/sasl-authenticate.js'
import { saslHandshake } from '../../protocol/apis/sasl-handshake/sasl-handshake.js'
import { ErrorCodes, errorInfo } from '../../protocol/error-codes.js'
import type { SendFunction } from '../connection.js'
import type { SaslMechanism } from './mechanism.js'
import { oauthBearerMechanism } from './oauthbearer.js'
import { plainMechanism } from './plain.js'
import { SCRAM_SHA_256, SCRAM_SHA_512, scramMechanism } from './scram.js'
import type { SaslOptions } from './types.js'

/** The mechanism object for the `sasl` option (already validated). */
export function createMechanism(options: SaslOptions): SaslMechanism {
  switch (options.mechanism) {
    case 'plain':
      return plainMechanism(options.username, options.password)
    case 'scram-sha-256':
      return scramMechanism(SCRAM_SHA_256, options.username, options.password)
    case 'scram-sha-512':
      return scramMechanism(SCRAM_SHA_512, options.username, options.password)
    case 'oauthbearer':
      return oauthBearerMechanism(options.token)
  }
}

/** What a successful authentication tells the client about its session. */
export interface SaslOutcome {
  /**
   * The session lifetime the broker granted (SaslAuthenticate v1+, KIP-368), in ms from now; 0 when
   * the broker does not expire sessions. Past it the broker closes the connection at its next request.
   */
  sessionLifetimeMs: number
  /** When the credentials expire (an OAuth token's lifetimeMs), in ms since the epoch, if known. */
  credentialsExpireAt: number | undefined
  /** Whether the broker supports re-authentication on the same connection (SaslAuthenticate v1+). */
  canReauthenticate: boolean
}

/** At most this many SaslAuthenticate round trips (SCRAM needs two). */
const MAX_ROUNDS = 8

/**
 * SASL on an open connection, after ApiVersions: SaslHandshake v1 names the mechanism, then
 * SaslAuthenticate carries the mechanism's messages until it is satisfied (KIP-152). Rejects with
 * an AuthenticationError naming the mechanism and the broker on any refusal.
 *
 * @param version the highest version of an API both sides support, or -1
 */
export async function saslAuthenticateConnection(
  send: SendFunction,
  version: (api: ApiDefinition<unknown, unknown>) => number,
  mechanism: SaslMechanism,
  broker: string,
): Promise<SaslOutcome> {
  const fail = (
    reason: string,
    extra: { code?: number; brokerMessage?: string | null; enabled?: string[]; cause?: unknown } = {},
  ) =>
    new AuthenticationError({
      mechanism: mechanism.name,
      broker,
      reason,
      code: extra.code,
      brokerMessage: extra.brokerMessage,
      enabledMechanisms: extra.enabled,
      cause: extra.cause,
    })
  // Brokers before Kafka 1.0, and some proxies and managed services, close the connection instead of
  // answering SASL_AUTHENTICATION_FAILED: say so, rather than "broker unreachable" (librdkafka does too).
  const exchange: SendFunction = async (api, v, request) => {
    try {
      return await send(api, v, request)
    } catch (error) {
      if (!ConnectionError.isInstance(error)) throw error
      throw fail(
        `the connection was closed during ${mechanism.name} authentication — the credentials were probably rejected (some brokers and proxies close the connection instead of answering SASL_AUTHENTICATION_FAILED); ${error.message}`,
        { cause: error },
      )
    }
  }
  const authVersion = version(saslAuthenticate as ApiDefinition<unknown, unknown>)
  if (version(saslHandshake as ApiDefinition<unknown, unknown>) < 1 || authVersion < 0) {
    throw fail('the broker does not support SaslHandshake v1 and SaslAuthenticate (Kafka 1.0 or newer is needed)')
  }
  const handshake = await exchange(saslHandshake, 1, { mechanism: mechanism.name })
  if (handshake.errorCode === ErrorCodes.UNSUPPORTED_SASL_MECHANISM) {
    const enabled = handshake.mechanisms
    throw fail(
      `the broker does not enable ${mechanism.name}; it enables ${enabled.length === 0 ? 'no mechanism' : enabled.join(', ')}`,
      { code: handshake.errorCode, enabled },
    )
  }
  if (handshake.errorCode !== ErrorCodes.NONE) {
    const hint =
      handshake.errorCode === ErrorCodes.ILLEGAL_SASL_STATE
        ? 'the listener does not expect SASL (is it a PLAINTEXT or SSL listener?)'
        : `SaslHandshake answered ${errorInfo(handshake.errorCode).name}`
    throw fail(hint, { code: handshake.errorCode })
  }

  const session = mechanism.session(broker)
  let message: Buffer | undefined = await session.start()
  let sessionLifetimeMs = 0
  for (let round = 0; message !== undefined; round++) {
    if (round >= MAX_ROUNDS) throw fail(`the exchange did not finish after ${MAX_ROUNDS} round trips`)
    const response = await exchange(saslAuthenticate, authVersion, { authBytes: message })
    if (response.errorCode !== ErrorCodes.NONE) {
      throw fail(response.errorMessage ?? errorInfo(response.errorCode).name, {
        code: response.errorCode,
        brokerMessage: response.errorMessage,
      })
    }
    sessionLifetimeMs = Number(response.sessionLifetimeMs ?? 0n)
    message = await session.next(response.authBytes)
  }
  return {
    sessionLifetimeMs: Math.max(sessionLifetimeMs, 0),
    credentialsExpireAt: session.expiresAt,
    canReauthenticate: authVersion >= 1,
  }
}
