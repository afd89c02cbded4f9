import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'

// TLS material for tests: a throwaway CA, a server certificate for 127.0.0.1 and localhost, a client
// certificate for mutual TLS and a second, unrelated CA, made with the openssl CLI.

/** A throwaway CA and a server certificate it signed, as PEM text and as files (for kcat). */
export interface TestCertificates {
  /** The CA certificate: what clients trust. */
  ca: string
  /** The server's private key and certificate (for 127.0.0.1 and localhost). */
  key: string
  cert: string
  /** A client key and certificate signed by the same CA (for mutual TLS). */
  clientKey: string
  clientCert: string
  /** A second CA that signed nothing here: trusting only it must fail. */
  otherCa: string
  /** Where the PEM files are: ca.pem, server.key, server.pem, client.key, client.pem, other-ca.pem. */
  dir: string
  path(name: 'ca.pem' | 'server.key' | 'server.pem' | 'client.key' | 'client.pem' | 'other-ca.pem'): string
  /** Deletes the files. */
  remove(): void
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

/**
 * Makes a self-signed CA and a server certificate for 127.0.0.1 with the `openssl` CLI, in a
 * temporary directory, valid for two days. Nothing leaves the machine.
 */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-tls-'))
  try {
    for (const [name, cn] of [
      ['ca', 'Tributary Test CA'],
      ['other-ca', 'Tributary Other CA'],
    ] as const) {
      openssl(
        [
          'req',
          '-x509',
          ...EC,
          '-keyout',
          `${name}.key`,
          '-out',
          `${name}.pem`,
          '-days',
          '2',
          '-subj',
          `/CN=${cn}`,
          '-addext',
          'basicConstraints=critical,CA:TRUE',
          '-addext',
          'keyUsage=critical,keyCertSign,cRLSign',
        ],
        dir,
      )
    }
    const sign = (name: string, cn: string, extensions: string) => {
      openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir)
      writeFileSync(join(dir, `${name}.ext`), extensions)
      openssl(
        [
          'x509',
          '-req',
          '-in',
          `${name}.csr`,
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-out',
          `${name}.pem`,
          '-days',
          '2',
          '-extfile',
          `${name}.ext`,
        ],
        dir,
      )
    }
    sign(
      'server',
      'localhost',
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
    )
    sign(
      'client',
      'tributary-client',
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
    )
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`could not make test certificates with the openssl CLI: ${(error as Error).message}`)
  }
  const read = (name: string) => readFileSync(join(dir, name), 'utf8')
  return {
    ca: read('ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
    clientKey: read('client.key'),
    clientCert: read('client.pem'),
    otherCa: read('other-ca.pem'),
    dir,
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/**
 * Makes the certificates once for the enclosing `describe` (or file) in a beforeAll and deletes
 * them in an afterAll. The object returned is filled in by the beforeAll: read it inside tests and
 * hooks, not while the suite is being collected.
 */
export function useTestCertificates(): TestCertificates {
  const certificates = {} as TestCertificates
  beforeAll(() => {
    Object.assign(certificates, makeTestCertificates())
  })
  afterAll(() => certificates.remove?.())
  return certificates
}
