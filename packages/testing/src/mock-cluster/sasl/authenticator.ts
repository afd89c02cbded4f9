import {
  ApiKeys,
  ErrorCodes,
  type SaslAuthenticateRequest,
  type SaslAuthenticateResponse,
  type SaslHandshakeRequest,
  type SaslHandshakeResponse,
} from '@tributary/core/protocol'
import type { MockSaslMechanism } from './options.js'
import { SaslFailure, type SaslServer, type ServerExchange } from './server.js'

/** What the connection does with a SASL request: answer it, and maybe close afterwards. */
export interface SaslReply {
  response: SaslHandshakeResponse | SaslAuthenticateResponse
  /** Close the connection after the response (a failed authentication), with this log line. */
  close?: string
  /** Log line on success. */
  info?: string
}

/** What the connection does with a raw token (after a SaslHandshake v0). */
export interface RawReply {
  /** Sent back size-prefixed, without a Kafka header. */
  token?: Buffer
  close?: string
  info?: string
}

/**
 * SASL state of one connection on a SASL listener, as Kafka's SaslServerAuthenticator keeps it:
 * before authentication only ApiVersions, SaslHandshake and SaslAuthenticate are allowed; after a
 * SaslHandshake v0 the client sends raw size-prefixed tokens instead of SaslAuthenticate requests;
 * an authenticated client may re-authenticate (KIP-368) with the same mechanism and principal;
 * a request after the session expired closes the connection.
 */
export class ConnectionAuthenticator {
  private readonly server: SaslServer
  private mechanism: MockSaslMechanism | undefined
  private exchange: ServerExchange | undefined
  private principal: string | undefined
  private authenticated = false
  private reauthenticating = false
  private sessionExpiresAt = Number.POSITIVE_INFINITY
  /** True after a SaslHandshake v0: the next frames are raw SASL tokens. */
  rawTokens = false

  constructor(server: SaslServer) {
    this.server = server
  }

  /** True for the APIs this authenticator answers itself. */
  handles(apiKey: number): boolean {
    return apiKey === ApiKeys.SaslHandshake || apiKey === ApiKeys.SaslAuthenticate
  }

  /** Why a request may not be processed now (the connection is then closed), or undefined. */
  refuse(apiKey: number, apiName: string): string | undefined {
    if (this.authenticated && !this.reauthenticating) {
      if (apiKey !== ApiKeys.SaslHandshake && Date.now() > this.sessionExpiresAt) {
        return `${apiName} request after the SASL session of ${this.principal} expired (re-authentication is required, KIP-368)`
      }
      return undefined
    }
    if (apiKey === ApiKeys.ApiVersions && !this.reauthenticating) return undefined
    if (apiKey === ApiKeys.SaslHandshake && this.exchange === undefined) return undefined
    if (apiKey === ApiKeys.SaslAuthenticate && this.exchange !== undefined) return undefined
    return `unexpected ${apiName} request ${this.reauthenticating ? 'during SASL re-authentication' : 'before SASL authentication'}`
  }

  /** Answers a SaslHandshake or SaslAuthenticate request. */
  handle(apiKey: number, version: number, request: unknown): SaslReply {
    if (apiKey === ApiKeys.SaslHandshake) return this.handshake(version, request as SaslHandshakeRequest)
    return this.authenticate(version, request as SaslAuthenticateRequest)
  }

  /** Answers a raw token (SaslHandshake v0 mode). */
  raw(token: Buffer): RawReply {
    const exchange = this.exchange
    if (exchange === undefined) return { close: 'raw SASL token without a handshake' }
    try {
      const step = exchange.step(token)
      if (step.done) {
        this.complete(step.principal, step.expiresAt)
        this.rawTokens = false
        return { token: step.challenge, info: this.successLine() }
      }
      return { token: step.challenge }
    } catch (error) {
      // Without Kafka headers there is no error code to send: Kafka closes the connection.
      return { close: failureText(error, this.mechanism) }
    }
  }

  private handshake(version: number, request: SaslHandshakeRequest): SaslReply {
    const enabled = [...this.server.mechanisms]
    const mechanism = enabled.find((m) => m === request.mechanism)
    if (mechanism === undefined) {
      return {
        response: { errorCode: ErrorCodes.UNSUPPORTED_SASL_MECHANISM, mechanisms: enabled },
        close: `client asked for SASL mechanism '${request.mechanism}'; enabled: ${enabled.join(', ')}`,
      }
    }
    if (this.authenticated) {
      // Re-authentication (KIP-368) needs SaslAuthenticate framing (v1 handshake) and the same mechanism.
      if (version < 1 || mechanism !== this.mechanism) {
        return {
          response: { errorCode: ErrorCodes.ILLEGAL_SASL_STATE, mechanisms: enabled },
          close: `re-authentication with ${mechanism} (SaslHandshake v${version}) after authenticating with ${this.mechanism}`,
        }
      }
      this.reauthenticating = true
    }
    this.mechanism = mechanism
    this.exchange = this.server.exchange(mechanism)
    if (version === 0) this.rawTokens = true
    return { response: { errorCode: ErrorCodes.NONE, mechanisms: enabled } }
  }

  private authenticate(version: number, request: SaslAuthenticateRequest): SaslReply {
    const exchange = this.exchange
    if (exchange === undefined) {
      // Only reachable once authenticated: Kafka's request handler answers this.
      return {
        response: {
          errorCode: ErrorCodes.ILLEGAL_SASL_STATE,
          errorMessage: 'SaslAuthenticate request received after successful authentication',
          authBytes: Buffer.alloc(0),
          sessionLifetimeMs: 0n,
        },
      }
    }
    const failed = (message: string): SaslReply => ({
      response: {
        errorCode: ErrorCodes.SASL_AUTHENTICATION_FAILED,
        errorMessage: message,
        authBytes: Buffer.alloc(0),
        sessionLifetimeMs: 0n,
      },
      close: `SASL ${this.mechanism} authentication failed: ${message}`,
    })
    try {
      const step = exchange.step(request.authBytes)
      if (!step.done) {
        return {
          response: {
            errorCode: ErrorCodes.NONE,
            errorMessage: null,
            authBytes: step.challenge,
            sessionLifetimeMs: 0n,
          },
        }
      }
      if (this.reauthenticating && step.principal !== this.principal) {
        return failed(`re-authentication as ${step.principal} on a connection of ${this.principal}`)
      }
      const lifetime = this.complete(step.principal, step.expiresAt)
      return {
        response: {
          errorCode: ErrorCodes.NONE,
          errorMessage: null,
          authBytes: step.challenge,
          sessionLifetimeMs: version >= 1 ? BigInt(lifetime) : 0n,
        },
        info: this.successLine(),
      }
    } catch (error) {
      return failed(failureText(error, this.mechanism))
    }
  }

  /** Marks the connection authenticated; returns the session lifetime granted (0: none). */
  private complete(principal: string | undefined, expiresAt: number | undefined): number {
    const now = Date.now()
    let lifetime = this.server.sessionLifetimeMs > 0 ? this.server.sessionLifetimeMs : Number.POSITIVE_INFINITY
    if (expiresAt !== undefined) lifetime = Math.min(lifetime, Math.max(1, expiresAt - now))
    this.authenticated = true
    this.reauthenticating = false
    this.exchange = undefined
    this.principal = principal
    this.sessionExpiresAt = now + lifetime
    return Number.isFinite(lifetime) ? lifetime : 0
  }

  private successLine(): string {
    return `authenticated ${this.principal} with SASL ${this.mechanism}`
  }
}

function failureText(error: unknown, mechanism: string | undefined): string {
  if (error instanceof SaslFailure) return error.message
  return `Authentication failed with SASL mechanism ${mechanism}: ${error instanceof Error ? error.message : String(error)}`
}
