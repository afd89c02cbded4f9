import { readFileSync } from 'node:fs'
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls'
import { ConfigError } from '../errors/config-error.js'
import { errorMessage } from '../errors/to-error.js'
import type { SaslOptions } from './sasl/types.js'

const SASL_ALLOWED =
  "{ mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512', username, password } or { mechanism: 'oauthbearer', token: () => ({ value, lifetimeMs?, extensions? }) }"
const MECHANISMS_ALLOWED = "'plain', 'scram-sha-256', 'scram-sha-512' or 'oauthbearer'"
const TLS_ALLOWED =
  'true, false, or an object of node:tls connect options ({ ca, cert, key, passphrase, servername, rejectUnauthorized, ... })'

/** Validates the `sasl` option; mechanism names are accepted in any case. The password never appears in errors. */
export function resolveSasl(value: unknown): SaslOptions | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null) throw new ConfigError('sasl', SASL_ALLOWED, { received: value })
  const given = value as Record<string, unknown>
  const mechanism = typeof given.mechanism === 'string' ? given.mechanism.toLowerCase() : given.mechanism
  switch (mechanism) {
    case 'plain':
    case 'scram-sha-256':
    case 'scram-sha-512': {
      const { username, password } = given
      if (typeof username !== 'string' || username === '') {
        throw new ConfigError('sasl.username', 'a non-empty string', { received: username })
      }
      if (typeof password !== 'string') {
        throw new ConfigError('sasl.password', 'a string', {
          reason: password === undefined ? 'it is required' : `it is ${password === null ? 'null' : typeof password}`,
        })
      }
      if (mechanism === 'plain' && (username.includes('\u0000') || password.includes('\u0000'))) {
        throw new ConfigError(['sasl.username', 'sasl.password'], 'strings without NUL characters for PLAIN', {
          reason: 'PLAIN separates the username and password with NUL characters',
        })
      }
      return { mechanism, username, password }
    }
    case 'oauthbearer': {
      if (typeof given.token !== 'function') {
        throw new ConfigError(
          'sasl.token',
          'a function returning { value, principal?, extensions?, lifetimeMs? } or a promise of one',
          { received: given.token },
        )
      }
      return { mechanism, token: given.token as () => never }
    }
    case 'gssapi':
      throw new ConfigError('sasl.mechanism', MECHANISMS_ALLOWED, { reason: 'GSSAPI (Kerberos) is not supported' })
    default:
      throw new ConfigError('sasl.mechanism', MECHANISMS_ALLOWED, { received: given.mechanism })
  }
}

/** Validates the `tls` option: undefined when TLS is off, else the node:tls options (`{}` for `true`). */
export function resolveTls(value: unknown): TlsConnectionOptions | undefined {
  if (value === undefined || value === false) return undefined
  if (value === true) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('tls', TLS_ALLOWED, { received: value })
  }
  return { ...(value as TlsConnectionOptions) }
}

// ---------------------------------------------------------------------------------------------
// Kafka security properties

type PropertyValue = string | number | boolean

/**
 * The security properties `optionsFromProperties` understands: Java client names and librdkafka
 * names (PEM only: Java's JKS and PKCS#12 stores are not read).
 */
export const SECURITY_PROPERTIES: ReadonlySet<string> = new Set([
  'security.protocol',
  'sasl.mechanism',
  'sasl.mechanisms',
  'sasl.username',
  'sasl.password',
  'sasl.jaas.config',
  'ssl.ca.location',
  'ssl.ca.pem',
  'ssl.certificate.location',
  'ssl.certificate.pem',
  'ssl.key.location',
  'ssl.key.pem',
  'ssl.key.password',
  'ssl.truststore.type',
  'ssl.truststore.certificates',
  'ssl.keystore.type',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.endpoint.identification.algorithm',
  'enable.ssl.certificate.verification',
])

const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']

function text(properties: Record<string, PropertyValue>, name: string): string | undefined {
  const value = properties[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new ConfigError(name, 'a string', { received: value })
  return value
}

/** One of two synonyms (Java's and librdkafka's names); both only when they agree. */
function either(properties: Record<string, PropertyValue>, a: string, b: string): string | undefined {
  const first = text(properties, a)
  const second = text(properties, b)
  if (first !== undefined && second !== undefined && first !== second) {
    throw new ConfigError([a, b], 'only one of them, or both with the same value', {
      reason: 'they are set to different values',
    })
  }
  return first ?? second
}

function readPem(property: string, path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (cause) {
    throw new ConfigError(property, 'the path of a readable PEM file', {
      reason: `cannot read '${path}': ${errorMessage(cause)}`,
      cause,
    })
  }
}

/** `username="..."` and `password="..."` from a Java JAAS line for PLAIN or SCRAM. */
function parseJaas(config: string): { username: string; password: string } {
  const allowed =
    'a PlainLoginModule or ScramLoginModule line, e.g. org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="secret";'
  if (!/(PlainLoginModule|ScramLoginModule)\s+required/.test(config)) {
    throw new ConfigError('sasl.jaas.config', allowed, {
      reason:
        'only the PLAIN and SCRAM login modules are understood (for OAUTHBEARER pass the sasl option with a token function)',
    })
  }
  const field = (name: string): string | undefined => {
    const match = new RegExp(`\\b${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(config)
    return match?.[1]?.replace(/\\(.)/g, '$1')
  }
  const username = field('username')
  const password = field('password')
  if (username === undefined || password === undefined) {
    throw new ConfigError('sasl.jaas.config', allowed, { reason: 'it has no quoted username and password' })
  }
  return { username, password }
}

/**
 * The `sasl` and `tls` options from Kafka security properties: `security.protocol` (PLAINTEXT,
 * SSL, SASL_PLAINTEXT, SASL_SSL), `sasl.mechanism(s)` with `sasl.username`/`sasl.password` or
 * Java's `sasl.jaas.config`, and PEM trust and key material, from files (librdkafka's
 * `ssl.*.location`) or inline (`ssl.*.pem`, Java's `ssl.truststore.certificates`, ...).
 */
export function securityFromProperties(properties: Record<string, PropertyValue>): {
  sasl?: SaslOptions
  tls?: TlsConnectionOptions | boolean
} {
  const protocolText = text(properties, 'security.protocol')
  const protocol = (protocolText ?? 'PLAINTEXT').trim().toUpperCase()
  if (!PROTOCOLS.includes(protocol)) {
    throw new ConfigError('security.protocol', PROTOCOLS.join(', '), { received: properties['security.protocol'] })
  }
  const useSasl = protocol.startsWith('SASL_')
  const useTls = protocol.endsWith('SSL')
  const set = Object.keys(properties).filter((name) => SECURITY_PROPERTIES.has(name))
  const saslSet = set.filter((name) => name.startsWith('sasl.'))
  const sslSet = set.filter((name) => name.startsWith('ssl.') || name === 'enable.ssl.certificate.verification')
  if (!useSasl && saslSet.length > 0) {
    throw new ConfigError(
      [...saslSet, 'security.protocol'],
      'security.protocol SASL_PLAINTEXT or SASL_SSL with sasl.*',
      {
        reason: `sasl properties are set but security.protocol is ${protocol}`,
      },
    )
  }
  if (!useTls && sslSet.length > 0) {
    throw new ConfigError([...sslSet, 'security.protocol'], 'security.protocol SSL or SASL_SSL with ssl.*', {
      reason: `ssl properties are set but security.protocol is ${protocol}`,
    })
  }
  const out: { sasl?: SaslOptions; tls?: TlsConnectionOptions | boolean } = {}

  if (useSasl) {
    const mechanismText = either(properties, 'sasl.mechanism', 'sasl.mechanisms') ?? 'GSSAPI'
    const mechanism = mechanismText.trim().toLowerCase()
    if (mechanism === 'oauthbearer') {
      throw new ConfigError('sasl.mechanism', 'PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512', {
        reason: 'OAUTHBEARER needs a token provider: pass the sasl option { mechanism: "oauthbearer", token } instead',
      })
    }
    if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512') {
      throw new ConfigError('sasl.mechanism', 'PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512', {
        reason: `${mechanismText} is not supported${properties['sasl.mechanism'] === undefined && properties['sasl.mechanisms'] === undefined ? ' (it is the default: set sasl.mechanism)' : ''}`,
      })
    }
    const jaas = text(properties, 'sasl.jaas.config')
    const fromJaas = jaas === undefined ? undefined : parseJaas(jaas)
    const username = text(properties, 'sasl.username') ?? fromJaas?.username
    const password = text(properties, 'sasl.password') ?? fromJaas?.password
    if (username === undefined || password === undefined) {
      throw new ConfigError(['sasl.username', 'sasl.password'], 'a username and password (or sasl.jaas.config)', {
        reason: `${mechanismText} needs them`,
      })
    }
    out.sasl = resolveSasl({ mechanism, username, password }) as SaslOptions
  }

  if (useTls) {
    const tls: TlsConnectionOptions = {}
    const truststoreType = text(properties, 'ssl.truststore.type')
    const keystoreType = text(properties, 'ssl.keystore.type')
    for (const [name, type] of [
      ['ssl.truststore.type', truststoreType],
      ['ssl.keystore.type', keystoreType],
    ] as const) {
      if (type !== undefined && type.toUpperCase() !== 'PEM') {
        throw new ConfigError(name, 'PEM', { reason: `${type} stores are not read; convert them to PEM` })
      }
    }
    const caLocation = text(properties, 'ssl.ca.location')
    const ca = either(properties, 'ssl.ca.pem', 'ssl.truststore.certificates')
    if (caLocation !== undefined && ca !== undefined) {
      throw new ConfigError(['ssl.ca.location', 'ssl.ca.pem'], 'one of them', { reason: 'both name CA certificates' })
    }
    if (caLocation !== undefined) tls.ca = readPem('ssl.ca.location', caLocation)
    else if (ca !== undefined) tls.ca = ca
    const certLocation = text(properties, 'ssl.certificate.location')
    const cert = either(properties, 'ssl.certificate.pem', 'ssl.keystore.certificate.chain')
    if (certLocation !== undefined) tls.cert = readPem('ssl.certificate.location', certLocation)
    else if (cert !== undefined) tls.cert = cert
    const keyLocation = text(properties, 'ssl.key.location')
    const key = either(properties, 'ssl.key.pem', 'ssl.keystore.key')
    if (keyLocation !== undefined) tls.key = readPem('ssl.key.location', keyLocation)
    else if (key !== undefined) tls.key = key
    const passphrase = text(properties, 'ssl.key.password')
    if (passphrase !== undefined) tls.passphrase = passphrase
    const identification = text(properties, 'ssl.endpoint.identification.algorithm')
    if (identification !== undefined) {
      const algorithm = identification.trim().toLowerCase()
      if (algorithm === 'none' || algorithm === '') tls.checkServerIdentity = () => undefined
      else if (algorithm !== 'https') {
        throw new ConfigError('ssl.endpoint.identification.algorithm', "'https' or 'none'", {
          received: identification,
        })
      }
    }
    const verification = properties['enable.ssl.certificate.verification']
    if (verification !== undefined) {
      const on = typeof verification === 'boolean' ? verification : String(verification).trim().toLowerCase()
      if (on === false || on === 'false') tls.rejectUnauthorized = false
      else if (on !== true && on !== 'true') {
        throw new ConfigError('enable.ssl.certificate.verification', 'true or false', { received: verification })
      }
    }
    out.tls = tls
  }
  return out
}
