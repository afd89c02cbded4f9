import { ErrorCodes, errorInfo } from '../protocol/error-codes.js'
import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.authentication')

/** What failed to authenticate, and how. */
export interface AuthenticationErrorOptions {
  /** The SASL mechanism (`PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`, `OAUTHBEARER`), or `TLS` for a TLS handshake. */
  mechanism: string
  /** `host:port` of the broker. */
  broker: string
  /** What went wrong, in a few words (e.g. the broker's own message, or a failed server signature). */
  reason: string
  /** The Kafka error code when the broker sent one (SASL_AUTHENTICATION_FAILED, UNSUPPORTED_SASL_MECHANISM, ...). */
  code?: number | undefined
  /** The broker's own error message, when it sent one. */
  brokerMessage?: string | null | undefined
  /** The mechanisms the broker has enabled, when it said (on UNSUPPORTED_SASL_MECHANISM). */
  enabledMechanisms?: readonly string[] | undefined
  cause?: unknown
}

/** What to check, by what failed. */
function advice(mechanism: string, code: number): string {
  if (code === ErrorCodes.UNSUPPORTED_SASL_MECHANISM) {
    return 'Choose a mechanism the broker enables (its sasl.enabled.mechanisms).'
  }
  if (mechanism === 'TLS') {
    return 'Check the tls options: the CA that signed the broker certificate (tls.ca), the host name it was issued for, and that the listener speaks TLS.'
  }
  if (mechanism === 'OAUTHBEARER') return 'Check the token the token() provider returns and its lifetime.'
  return 'Check the SASL mechanism, username and password.'
}

/**
 * Authentication with a broker failed: SASL (wrong credentials, a mechanism the broker does not
 * enable, a server that could not prove it knows the SCRAM credentials) or the TLS handshake (an
 * untrusted or mismatched certificate). Names the mechanism and the broker. Never retriable: the
 * producer fails the records waiting for that broker instead of reconnecting until they time out.
 */
export class AuthenticationError extends TributaryError {
  /** The SASL mechanism, or `TLS`. */
  readonly mechanism: string
  /** `host:port` of the broker. */
  readonly broker: string
  /** The broker's own message, when it sent one. */
  readonly brokerMessage: string | undefined
  /** The mechanisms the broker enables, when it said (UNSUPPORTED_SASL_MECHANISM); else empty. */
  readonly enabledMechanisms: readonly string[]
  private readonly [BRAND] = true

  constructor(options: AuthenticationErrorOptions) {
    const code = options.code ?? -1
    const kafka = code >= 0 ? ` (${errorInfo(code).name})` : ''
    const head = `${options.mechanism === 'TLS' ? 'TLS handshake' : `SASL ${options.mechanism} authentication`} with broker ${options.broker} failed${kafka}: ${options.reason}`
    super(`${head}${/[.!?]$/.test(head) ? '' : '.'} ${advice(options.mechanism, code)}`, {
      code,
      retriable: false,
      cause: options.cause,
    })
    this.name = 'AuthenticationError'
    this.mechanism = options.mechanism
    this.broker = options.broker
    const said = options.brokerMessage ?? undefined
    this.brokerMessage = said === '' ? undefined : said
    this.enabledMechanisms = [...(options.enabledMechanisms ?? [])]
  }

  static override isInstance(value: unknown): value is AuthenticationError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}
