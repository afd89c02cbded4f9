// SASL credentials for tests.

/** An unsecured JWT (`alg: none`, no signature), as librdkafka's sasl.oauthbearer.config makes. */
export function unsecuredJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'none' })}.${part(claims)}.`
}
