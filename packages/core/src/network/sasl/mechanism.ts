/**
 * One SASL exchange with one broker, driven by the client: its first message, then one message
 * per server challenge until the mechanism is satisfied.
 */
export interface SaslSession {
  /** The client's first message. */
  start(): Promise<Buffer>
  /**
   * The client's answer to the server's message, or undefined when the exchange is complete.
   * Throws an AuthenticationError when the server's message is an error or fails verification
   * (a SCRAM server signature that does not match).
   */
  next(serverMessage: Buffer): Promise<Buffer | undefined>
  /** When the credentials used expire, in ms since the epoch (an OAuth token's lifetime), if known. */
  readonly expiresAt: number | undefined
}

/** A configured SASL mechanism: creates one session per authentication. */
export interface SaslMechanism {
  /** The mechanism's name as brokers know it, e.g. `SCRAM-SHA-512`. */
  readonly name: string
  /** A new exchange with the broker at `broker` (`host:port`, for error messages). */
  session(broker: string): SaslSession
}
