import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors/config-error.js'
import { resolveSasl, resolveTls, securityFromProperties } from '../../src/network/security-options.js'
import { optionsFromProperties, resolveProducerOptions } from '../../src/producer/options.js'

const dir = mkdtempSync(join(tmpdir(), 'tributary-security-options-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function configError(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('the sasl and tls options', () => {
  it('accepts the password mechanisms in any case and OAUTHBEARER with a token function', () => {
    expect(resolveSasl({ mechanism: 'SCRAM-SHA-512', username: 'u', password: '' })).toEqual({
      mechanism: 'scram-sha-512',
      username: 'u',
      password: '',
    })
    const token = () => ({ value: 't' })
    expect(resolveSasl({ mechanism: 'oauthbearer', token })).toEqual({ mechanism: 'oauthbearer', token })
    expect(resolveSasl(undefined)).toBeUndefined()
  })

  it.each([
    [{ mechanism: 'gssapi' }, 'sasl.mechanism', /GSSAPI \(Kerberos\) is not supported/],
    [{ mechanism: 'scram-sha-1', username: 'u', password: 'p' }, 'sasl.mechanism', /'scram-sha-1'/],
    [{ mechanism: 'plain', password: 'p' }, 'sasl.username', /got undefined/],
    [{ mechanism: 'plain', username: 'u' }, 'sasl.password', /it is required/],
    [{ mechanism: 'plain', username: 'u\u0000', password: 'p' }, 'sasl.username', /NUL/],
    [{ mechanism: 'oauthbearer', token: 'abc' }, 'sasl.token', /a function/],
    ['plain', 'sasl', /got 'plain'/],
  ])('rejects %j naming %s', (value, option, message) => {
    const error = configError(() => resolveSasl(value))
    expect(error.option).toBe(option)
    expect(error.message).toMatch(message)
  })

  it('never puts the password in an error message', () => {
    const error = configError(() => resolveSasl({ mechanism: 'plain', username: '', password: 'hunter2' }))
    expect(error.message).not.toContain('hunter2')
  })

  it('takes tls: true as node defaults, an object as node:tls options, false or nothing as plain TCP', () => {
    expect(resolveTls(true)).toEqual({})
    expect(resolveTls({ ca: 'pem', servername: 'kafka' })).toEqual({ ca: 'pem', servername: 'kafka' })
    expect(resolveTls(false)).toBeUndefined()
    expect(resolveTls(undefined)).toBeUndefined()
    expect(configError(() => resolveTls('yes')).option).toBe('tls')
  })

  it('are validated at construction with the other producer options', () => {
    const resolved = resolveProducerOptions({
      bootstrapBrokers: 'k:1',
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
      tls: true,
    })
    expect(resolved.sasl).toEqual({ mechanism: 'plain', username: 'u', password: 'p' })
    expect(resolved.tls).toEqual({})
    expect(configError(() => resolveProducerOptions({ bootstrapBrokers: 'k:1', tls: 1 as never })).option).toBe('tls')
  })
})

describe('Kafka security properties', () => {
  const ca = join(dir, 'ca.pem')
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')

  it('maps SASL_SSL with librdkafka names: sasl.mechanisms, sasl.username/password, ssl.ca.location (read from the file)', () => {
    const options = optionsFromProperties({
      'bootstrap.servers': 'k:9093',
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'SCRAM-SHA-256',
      'sasl.username': 'alice',
      'sasl.password': 'secret',
      'ssl.ca.location': ca,
    })
    expect(options.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'alice', password: 'secret' })
    expect(options.tls).toEqual({ ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' })
  })

  it('maps Java names: sasl.mechanism and sasl.jaas.config, PEM truststore and keystore inline', () => {
    const options = optionsFromProperties({
      'bootstrap.servers': 'k:9093',
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="p\\"w";',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.certificates': 'CA PEM',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.certificate.chain': 'CERT PEM',
      'ssl.keystore.key': 'KEY PEM',
      'ssl.key.password': 'kp',
    })
    expect(options.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'svc', password: 'p"w' })
    expect(options.tls).toEqual({ ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM', passphrase: 'kp' })
  })

  it('maps SSL alone, host name verification off and certificate verification off', () => {
    const options = optionsFromProperties({
      'bootstrap.servers': 'k:9093',
      'security.protocol': 'SSL',
      'ssl.endpoint.identification.algorithm': '',
      'enable.ssl.certificate.verification': 'false',
    })
    expect(options.sasl).toBeUndefined()
    expect(options.tls?.constructor).toBe(Object)
    const tls = options.tls as { checkServerIdentity?: () => unknown; rejectUnauthorized?: boolean }
    expect(tls.checkServerIdentity?.()).toBeUndefined()
    expect(tls.rejectUnauthorized).toBe(false)
  })

  it('maps SASL_PLAINTEXT PLAIN without tls, and PLAINTEXT to neither', () => {
    expect(
      optionsFromProperties({
        'bootstrap.servers': 'k:1',
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'PLAIN',
        'sasl.username': 'u',
        'sasl.password': 'p',
      }),
    ).toEqual({ bootstrapBrokers: 'k:1', sasl: { mechanism: 'plain', username: 'u', password: 'p' } })
    expect(optionsFromProperties({ 'bootstrap.servers': 'k:1', 'security.protocol': 'PLAINTEXT' })).toEqual({
      bootstrapBrokers: 'k:1',
    })
  })

  it.each([
    [{ 'security.protocol': 'TLS' }, /security\.protocol/, /PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL/],
    [{ 'sasl.mechanism': 'PLAIN' }, /sasl\.mechanism/, /security\.protocol is PLAINTEXT/],
    [
      { 'security.protocol': 'SASL_PLAINTEXT', 'ssl.ca.pem': 'x', 'sasl.mechanism': 'PLAIN' },
      /ssl\.ca\.pem/,
      /ssl properties/,
    ],
    [
      { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.username': 'u', 'sasl.password': 'p' },
      /sasl\.mechanism/,
      /GSSAPI is not supported \(it is the default/,
    ],
    [{ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'OAUTHBEARER' }, /sasl\.mechanism/, /token provider/],
    [{ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN' }, /sasl\.username/, /needs them/],
    [
      { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.mechanisms': 'SCRAM-SHA-256' },
      /sasl\.mechanism and sasl\.mechanisms/,
      /different values/,
    ],
    [
      {
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'PLAIN',
        'sasl.jaas.config': 'Krb5LoginModule required;',
      },
      /sasl\.jaas\.config/,
      /PLAIN and SCRAM login modules/,
    ],
    [{ 'security.protocol': 'SSL', 'ssl.truststore.type': 'JKS' }, /ssl\.truststore\.type/, /convert them to PEM/],
    [{ 'security.protocol': 'SSL', 'ssl.ca.location': '/nonexistent/ca.pem' }, /ssl\.ca\.location/, /cannot read/],
    [
      { 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': 'dns' },
      /ssl\.endpoint/,
      /'https' or 'none'/,
    ],
  ])('rejects %j', (properties, option, reason) => {
    const error = configError(() =>
      optionsFromProperties({ 'bootstrap.servers': 'k:1', ...(properties as Record<string, string>) }),
    )
    expect(error.message).toMatch(option)
    expect(error.message).toMatch(reason)
  })

  it('suggests the security property a typo meant', () => {
    const error = configError(() => optionsFromProperties({ 'bootstrap.servers': 'k:1', 'sasl.mechanizm': 'PLAIN' }))
    expect(error.message).toContain("did you mean 'sasl.mechanism'")
  })

  it('needs security.protocol only: securityFromProperties of nothing is nothing', () => {
    expect(securityFromProperties({})).toEqual({})
  })
})
