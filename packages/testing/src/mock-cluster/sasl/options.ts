/** The SASL mechanisms the mock cluster implements. */
export type MockSaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER'

export const MOCK_SASL_MECHANISMS: readonly MockSaslMechanism[] = [
  'PLAIN',
  'SCRAM-SHA-256',
  'SCRAM-SHA-512',
  'OAUTHBEARER',
]

/** SASL on every broker of the mock cluster (a SASL_PLAINTEXT listener, or SASL_SSL with `tls`). */
export interface MockSaslOptions {
  /**
   * The enabled mechanisms (Kafka's sasl.enabled.mechanisms). Default: PLAIN, SCRAM-SHA-256 and
   * SCRAM-SHA-512, plus OAUTHBEARER when `oauthbearer` is given.
   */
  mechanisms?: MockSaslMechanism[]
  /** Usernames and passwords, for PLAIN and for SCRAM (credentials derived with 4096 iterations). */
  users?: Record<string, string>
  /**
   * Validates an OAUTHBEARER token: true (or the principal) accepts it, false rejects it. Default:
   * accept an unsecured JWT (`alg: none`, as librdkafka's `sasl.oauthbearer.config` makes) whose
   * `sub` is the principal and whose `exp`, if present, is in the future.
   */
  oauthbearer?: (token: string, extensions: Readonly<Record<string, string>>) => boolean | { principal: string }
  /**
   * The longest session before a client must re-authenticate (Kafka's connections.max.reauth.ms),
   * in ms; sent in SaslAuthenticate v1+ responses (KIP-368). A request after the session expired
   * closes the connection, as Kafka does. Default 0: sessions never expire.
   */
  sessionLifetimeMs?: number
}

/** TLS on every broker (an SSL listener, or SASL_SSL with `sasl`): PEM key and certificate chain. */
export interface MockTlsOptions {
  key: string | Buffer
  cert: string | Buffer
  /** CAs to verify client certificates with (for `requestCert`). */
  ca?: string | Buffer | Array<string | Buffer>
  /** Ask for a client certificate and reject clients without a valid one (Kafka's ssl.client.auth=required). */
  requestCert?: boolean
}
