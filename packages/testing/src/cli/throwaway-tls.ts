import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// A throwaway certificate authority and a server certificate it signed, for `tributary-mock --tls`,
// made with node:crypto alone: P-256 keys from generateKeyPairSync, X.509 v3 certificates written as
// DER here (Node can sign but has no certificate builder) and signed with ECDSA-SHA256.

/** PEM text of a throwaway CA and a server certificate for 127.0.0.1 and localhost, and where they are. */
export interface ThrowawayTls {
  /** The CA certificate: what clients trust. */
  ca: string
  /** The server's key (PKCS #8) and certificate. */
  key: string
  cert: string
  /** The directory holding ca.pem, server.key and server.pem (mode 0700). */
  dir: string
  caPath: string
  /** Deletes the directory. */
  remove(): void
}

/** Makes the CA and server certificate (valid from an hour ago for `days` days) and writes them to a new temporary directory. */
export function makeThrowawayTls(days = 30): ThrowawayTls {
  const notBefore = new Date(Date.now() - 3600_000)
  const notAfter = new Date(Date.now() + days * 86_400_000)
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const caName = name('tributary-mock throwaway CA')
  const caKeyId = keyId(ca.publicKey)
  const caCert = certificate({
    issuer: caName,
    subject: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, seq(bool(true))),
      // keyCertSign and cRLSign: bits 5 and 6.
      extension(OID.keyUsage, true, bitString(Buffer.from([0x06]), 1)),
      extension(OID.subjectKeyIdentifier, false, octets(caKeyId)),
    ],
  })
  const serverCert = certificate({
    issuer: caName,
    subject: name('localhost'),
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, seq()),
      // digitalSignature: bit 0.
      extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
      extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))),
      extension(
        OID.subjectAltName,
        false,
        seq(tlv(0x82, Buffer.from('localhost', 'ascii')), tlv(0x87, Buffer.from([127, 0, 0, 1]))),
      ),
      extension(OID.subjectKeyIdentifier, false, octets(keyId(server.publicKey))),
      extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, caKeyId))),
    ],
  })
  const out = {
    ca: pem('CERTIFICATE', caCert),
    cert: pem('CERTIFICATE', serverCert),
    key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
  const dir = mkdtempSync(join(tmpdir(), 'tributary-mock-tls-'))
  writeFileSync(join(dir, 'ca.pem'), out.ca)
  writeFileSync(join(dir, 'server.pem'), out.cert)
  writeFileSync(join(dir, 'server.key'), out.key, { mode: 0o600 })
  return { ...out, dir, caPath: join(dir, 'ca.pem'), remove: () => rmSync(dir, { recursive: true, force: true }) }
}

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
}

interface CertificateSpec {
  issuer: Buffer
  subject: Buffer
  publicKey: KeyObject
  signingKey: KeyObject
  notBefore: Date
  notAfter: Date
  extensions: Buffer[]
}

function certificate(spec: CertificateSpec): Buffer {
  const algorithm = seq(oid(OID.ecdsaWithSha256))
  // A positive serial of 16 random bytes (the top bit cleared, the first byte never 0).
  const serial = randomBytes(16)
  serial[0] = ((serial[0] as number) & 0x7f) | 0x01
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // [0] version: v3
    integer(serial),
    algorithm,
    spec.issuer,
    seq(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, seq(...spec.extensions)), // [3] extensions
  )
  const signature = sign('sha256', tbs, { key: spec.signingKey, dsaEncoding: 'der' })
  return seq(tbs, algorithm, bitString(signature, 0))
}

/** A Name with one common name. */
function name(commonName: string): Buffer {
  return seq(tlv(0x31, seq(oid(OID.commonName), tlv(0x0c, Buffer.from(commonName, 'utf8')))))
}

/** The SHA-1 of the public key bits, as RFC 5280 (4.2.1.2, method 1) suggests for key identifiers. */
function keyId(key: KeyObject): Buffer {
  const spki = key.export({ type: 'spki', format: 'der' })
  // An EC P-256 SubjectPublicKeyInfo ends with the 65-byte uncompressed point.
  return createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest()
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value))
}

function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length
  let length: Buffer
  if (n < 0x80) length = Buffer.from([n])
  else if (n < 0x100) length = Buffer.from([0x81, n])
  else length = Buffer.from([0x82, n >> 8, n & 0xff])
  return Buffer.concat([Buffer.from([tag]), length, value])
}

function seq(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items))
}

function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes)
}

function bool(value: boolean): Buffer {
  return tlv(0x01, Buffer.from([value ? 0xff : 0]))
}

function octets(value: Buffer): Buffer {
  return tlv(0x04, value)
}

function bitString(value: Buffer, unusedBits: number): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), value]))
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number)
  const bytes = [40 * (parts[0] as number) + (parts[1] as number)]
  for (const part of parts.slice(2)) {
    const chunk = [part & 0x7f]
    for (let v = part >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80)
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

/** UTCTime (YYMMDDHHMMSSZ) for years before 2050, GeneralizedTime after, as RFC 5280 requires. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${iso}Z`, 'ascii'))
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}
