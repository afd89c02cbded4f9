import { connect, createServer, type TLSSocket } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { useTestCertificates } from '../src/certificates.js'

describe('useTestCertificates', () => {
  const certs = useTestCertificates()

  /** Connects a TLS client with `options` to a server with the test certificate; resolves with what happened. */
  async function handshake(
    server: { requestCert?: boolean },
    client: { ca: string; key?: string; cert?: string; servername?: string },
  ): Promise<string> {
    const tls = createServer({ key: certs.key, cert: certs.cert, ca: certs.ca, ...server, rejectUnauthorized: true })
    tls.on('tlsClientError', () => {})
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve))
    const { port } = tls.address() as { port: number }
    try {
      return await new Promise<string>((resolve) => {
        const socket: TLSSocket = connect({ host: '127.0.0.1', port, ...client }, () => {
          socket.destroy()
          resolve('connected')
        })
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
      })
    } finally {
      await new Promise((resolve) => tls.close(resolve))
    }
  }

  it('makes a server certificate for 127.0.0.1 that its CA verifies, and another CA does not', async () => {
    expect(certs.ca).toMatch(/^-----BEGIN CERTIFICATE-----/)
    expect(await handshake({}, { ca: certs.ca })).toBe('connected')
    expect(await handshake({}, { ca: certs.ca, servername: 'localhost' })).toBe('connected')
    expect(await handshake({}, { ca: certs.otherCa })).toMatch(
      /^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/,
    )
  })

  it('makes a client certificate the server accepts for mutual TLS', async () => {
    expect(await handshake({ requestCert: true }, { ca: certs.ca, key: certs.clientKey, cert: certs.clientCert })).toBe(
      'connected',
    )
  })

  it('writes the PEM files where path() says, for clients that want files (kcat)', async () => {
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(certs.path('ca.pem'), 'utf8')).toBe(certs.ca)
    expect(readFileSync(certs.path('client.key'), 'utf8')).toBe(certs.clientKey)
  })
})
