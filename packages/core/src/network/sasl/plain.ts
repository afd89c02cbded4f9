import type { SaslMechanism, SaslSession } from './mechanism.js'

/**
 * SASL PLAIN (RFC 4616): one message, `authzid NUL authcid NUL passwd`, with an empty
 * authorization identity as the Java client sends it. The password travels in the clear: use TLS.
 */
export function plainMechanism(username: string, password: string): SaslMechanism {
  const message = Buffer.from(`\u0000${username}\u0000${password}`, 'utf8')
  return {
    name: 'PLAIN',
    session: (): SaslSession => ({
      expiresAt: undefined,
      start: async () => message,
      // The broker answers with an empty message on success; failures come as error codes.
      next: async () => undefined,
    }),
  }
}
