import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthenticationError } from '../../src/errors/authentication-error.js'
import { ConnectionError } from '../../src/errors/connection-error.js'
import { Connection } from '../../src/network/connection.js'
import { apiVersions } from '../../src/protocol/apis/api-versions/api-versions.js'
import { apiByKey } from '../../src/protocol/apis/index.js'
import { saslHandshake } from '../../src/protocol/apis/sasl-handshake/sasl-handshake.js'
import { Writer } from '../../src/protocol/buffer/writer.js'
import { decodeRequestFrame, encodeResponseFrame, FrameSplitter } from '../../src/protocol/frame.js'

/** A broker stand-in that answers ApiVersions and SaslHandshake after `delayMs`, and logs what arrives. */
async function fakeBroker(delayMs: number) {
  const received: string[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    const splitter = new FrameSplitter({ maxFrameBytes: 1 << 20 })
    socket.on('data', (chunk: Buffer) => {
      for (const frame of splitter.push(chunk)) {
        const { header, api } = decodeRequestFrame(frame)
        received.push(api.name)
        setTimeout(() => {
          const w = new Writer(256)
          const body =
            api.apiKey === saslHandshake.apiKey
              ? { errorCode: 0, mechanisms: ['PLAIN'] }
              : { errorCode: 0, apiKeys: [], throttleTimeMs: 0 }
          encodeResponseFrame(
            w,
            apiByKey(header.apiKey) as never,
            header.apiVersion,
            header.correlationId,
            body as never,
          )
          if (!socket.destroyed) socket.write(w.toBufferCopy())
        }, delayMs)
      }
    })
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    received,
    close: () => {
      for (const s of sockets) s.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const versionsRequest = { clientSoftwareName: 't', clientSoftwareVersion: '1' }

describe('Connection: exclusive exchanges and TLS failures', () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn()
  })

  it('holds requests sent during an exclusive exchange and writes them after it, in order', async () => {
    const broker = await fakeBroker(20)
    cleanup.push(broker.close)
    const c = await Connection.connect({ host: '127.0.0.1', port: broker.port })
    cleanup.push(() => c.close())
    const before = c.send(apiVersions, 3, versionsRequest)
    let during: Promise<unknown> | undefined
    await c.exclusive(async (send) => {
      during = c.send(apiVersions, 3, versionsRequest)
      expect(c.inFlight).toBe(2)
      await send(saslHandshake, 1, { mechanism: 'PLAIN' })
      // The held request has not reached the broker while the exchange runs.
      expect(broker.received).toEqual(['ApiVersions', 'SaslHandshake'])
      await send(saslHandshake, 1, { mechanism: 'PLAIN' })
    })
    await Promise.all([before, during])
    expect(broker.received).toEqual(['ApiVersions', 'SaslHandshake', 'SaslHandshake', 'ApiVersions'])
    expect(c.inFlight).toBe(0)
  })

  it('rejects held requests with the error an exchange aborts the connection with, without writing them', async () => {
    const broker = await fakeBroker(5)
    cleanup.push(broker.close)
    const c = await Connection.connect({ host: '127.0.0.1', port: broker.port })
    let held: Promise<unknown> | undefined
    const failure = new AuthenticationError({ mechanism: 'PLAIN', broker: c.address, reason: 'revoked' })
    await c.exclusive(async (send) => {
      held = c.send(apiVersions, 3, versionsRequest)
      held.catch(() => {})
      await send(saslHandshake, 1, { mechanism: 'PLAIN' })
      c.abort(failure)
    })
    await expect(held).rejects.toBe(failure)
    expect(c.open).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(broker.received).toEqual(['SaslHandshake'])
  })

  it('refuses to nest exclusive exchanges', async () => {
    const broker = await fakeBroker(1)
    cleanup.push(broker.close)
    const c = await Connection.connect({ host: '127.0.0.1', port: broker.port })
    cleanup.push(() => c.close())
    await c.exclusive(async () => {
      await expect(c.exclusive(async () => 1)).rejects.toThrow(/already running/)
    })
  })

  it('reports a TLS client talking to a plain TCP listener as an AuthenticationError for TLS, not a retriable error', async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => {})
      socket.on('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const port = (server.address() as net.AddressInfo).port
    const error = await Connection.connect({ host: '127.0.0.1', port, tls: {} }).catch((e: unknown) => e)
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect((error as AuthenticationError).mechanism).toBe('TLS')
    expect((error as Error).message).toMatch(/is this a TLS listener/)
  })

  it('keeps a refused TLS connection a retriable ConnectionError (the broker may be restarting)', async () => {
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as net.AddressInfo).port
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const error = await Connection.connect({ host: '127.0.0.1', port, tls: {} }).catch((e: unknown) => e)
    expect(ConnectionError.isInstance(error)).toBe(true)
    expect((error as ConnectionError).retriable).toBe(true)
  })
})
