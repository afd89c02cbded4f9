/** An OAuth 2 bearer token for SASL OAUTHBEARER, as the `token()` provider returns it. */
export interface OAuthBearerToken {
  /** The token itself (usually a JWT), sent as `auth=Bearer <value>`. */
  value: string
  /** The principal the token stands for; only used in log and error messages (the broker reads it from the token). */
  principal?: string | undefined
  /** SASL extensions (RFC 7628, KIP-342) sent with the token, e.g. `{ logicalCluster: 'lkc-123' }`. */
  extensions?: Readonly<Record<string, string>> | undefined
  /**
   * When the token expires, in milliseconds since the epoch (as Kafka's `OAuthBearerToken.lifetimeMs`
   * and librdkafka's `md_lifetime_ms`). The producer asks for a new token and re-authenticates its
   * connections before then. Leave it out for a token without a known expiry.
   */
  lifetimeMs?: number | undefined
}

/** SASL with a username and password: PLAIN (RFC 4616) or SCRAM (RFC 5802, RFC 7677). */
export interface SaslPasswordOptions {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'
  username: string
  password: string
}

/** SASL OAUTHBEARER (RFC 7628, KIP-255): a bearer token from the application. */
export interface SaslOAuthBearerOptions {
  mechanism: 'oauthbearer'
  /**
   * Returns a valid token. Called when a connection authenticates (a new connection, or a
   * re-authentication before the session or the token expires). A token with a `lifetimeMs` is
   * reused until 80% of its lifetime has passed; one without is asked for every time.
   */
  token: () => OAuthBearerToken | Promise<OAuthBearerToken>
}

/** The `sasl` producer option. */
export type SaslOptions = SaslPasswordOptions | SaslOAuthBearerOptions
