import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../src/errors/protocol-error.js'
import { apiVersions, fetch, metadata, type ProduceRequest, produce } from '../../src/protocol/apis/index.js'
import { Reader } from '../../src/protocol/buffer/reader.js'
import { Writer } from '../../src/protocol/buffer/writer.js'
import {
  decodeRequestFrame,
  decodeRequestHeaderOnly,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
} from '../../src/protocol/frame.js'
import {
  readRequestHeader,
  readResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  writeRequestHeader,
  writeResponseHeader,
} from '../../src/protocol/header.js'

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex')

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

/** A whole frame from a writer, and the bytes after its size. */
function frameOf(w: Writer): { whole: Buffer; body: Buffer } {
  const whole = w.toBufferCopy()
  return { whole, body: whole.subarray(4) }
}

describe('header versions', () => {
  it('uses request header v2 and response header v1 for flexible versions, v1 and v0 before', () => {
    expect(requestHeaderVersion(produce, 8)).toBe(1)
    expect(requestHeaderVersion(produce, 9)).toBe(2)
    expect(responseHeaderVersion(produce, 8)).toBe(0)
    expect(responseHeaderVersion(produce, 9)).toBe(1)
    expect(requestHeaderVersion(metadata, 12)).toBe(2)
  })

  it('always uses response header v0 for ApiVersions, even in flexible versions', () => {
    expect(requestHeaderVersion(apiVersions, 3)).toBe(2)
    expect(responseHeaderVersion(apiVersions, 3)).toBe(0)
    expect(responseHeaderVersion(apiVersions, 4)).toBe(0)
  })

  it('writes the client id as a non-compact nullable string in request header v2', () => {
    const w = new Writer()
    writeRequestHeader(w, 2, { apiKey: 18, apiVersion: 3, correlationId: 7, clientId: 'ab' })
    expect(w.toBufferCopy()).toEqual(hex('0012 0003 00000007 0002 6162 00'))
    w.reset()
    writeRequestHeader(w, 1, { apiKey: 3, apiVersion: 1, correlationId: -1, clientId: null })
    expect(w.toBufferCopy()).toEqual(hex('0003 0001 ffffffff ffff'))
  })

  it('reads a request header, skipping tagged fields only when the version is flexible', () => {
    const r = new Reader(hex('0012 0003 00000007 0002 6162 01 05 02 aabb ff'))
    expect(readRequestHeader(r)).toEqual({
      apiKey: 18,
      apiVersion: 3,
      correlationId: 7,
      clientId: 'ab',
      headerVersion: 2,
    })
    expect(r.offset).toBe(17)
    const r1 = new Reader(hex('0012 0002 00000007 ffff 01'))
    expect(readRequestHeader(r1)).toMatchObject({ clientId: null, headerVersion: 1 })
    expect(r1.offset).toBe(10)
  })

  it('writes and reads response headers of both versions', () => {
    const w = new Writer()
    writeResponseHeader(w, 1, 9)
    writeResponseHeader(w, 0, 10)
    expect(w.toBufferCopy()).toEqual(hex('00000009 00 0000000a'))
    const r = new Reader(w.toBufferCopy())
    expect(readResponseHeader(r, 1)).toBe(9)
    expect(readResponseHeader(r, 0)).toBe(10)
  })
})

describe('request frames', () => {
  const records = Buffer.alloc(4096, 0xab)
  const request: ProduceRequest = {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: 'orders', partitionData: [{ index: 0, records }] }],
  }

  for (const version of [3, 9]) {
    it(`counts attached records in the size of a v${version} Produce frame and decodes it back`, () => {
      const w = new Writer(64)
      encodeRequestFrame(w, produce, version, 41, 'client-a', request)
      const chunks = w.toChunks()
      expect(chunks).toContain(records)
      expect(chunks.length).toBeGreaterThan(1)
      const { whole, body } = frameOf(w)
      expect(whole.readInt32BE(0)).toBe(whole.length - 4)
      const decoded = decodeRequestFrame(body)
      expect(decoded.header).toEqual({
        apiKey: 0,
        apiVersion: version,
        correlationId: 41,
        clientId: 'client-a',
        headerVersion: version >= 9 ? 2 : 1,
      })
      expect(decoded.api).toBe(produce)
      expect(decoded.request).toEqual(request)
    })
  }

  it('appends a frame after whatever the writer already holds', () => {
    const w = new Writer(16)
    encodeRequestFrame(w, apiVersions, 0, 1, 'c', {})
    encodeRequestFrame(w, apiVersions, 3, 2, 'c', { clientSoftwareName: 'n', clientSoftwareVersion: 'v' })
    const all = w.toBufferCopy()
    const first = all.readInt32BE(0)
    expect(decodeRequestFrame(all.subarray(4, 4 + first)).header.correlationId).toBe(1)
    const second = all.subarray(4 + first)
    expect(second.readInt32BE(0)).toBe(second.length - 4)
    expect(decodeRequestFrame(second.subarray(4)).request).toEqual({
      clientSoftwareName: 'n',
      clientSoftwareVersion: 'v',
    })
  })

  it('accepts a Reader and leaves it at the end of the frame', () => {
    const w = new Writer()
    encodeRequestFrame(w, metadata, 12, 5, null, { topics: null })
    const r = new Reader(frameOf(w).body)
    expect(decodeRequestFrame(r).header.clientId).toBeNull()
    expect(r.remaining).toBe(0)
  })

  it('throws a ProtocolError for an unknown API key', () => {
    const frame = hex('7fff 0000 00000001 ffff')
    const error = thrown(() => decodeRequestFrame(frame))
    expect(ProtocolError.isInstance(error)).toBe(true)
    expect(error.message).toMatch(/unknown API key 32767/)
  })

  it('throws a ProtocolError for an unsupported version but can still read the header alone', () => {
    // ApiVersions v9, as a newer client would send it: flexible, so the header has tagged fields
    const frame = hex('0012 0009 0000002a 0001 63 00  04 6e6577 02 31 00')
    const error = thrown(() => decodeRequestFrame(frame))
    expect(ProtocolError.isInstance(error)).toBe(true)
    expect(error.message).toBe('ApiVersions version 9 is not supported (supported: 0-4)')
    const r = new Reader(frame)
    expect(decodeRequestHeaderOnly(r)).toEqual({
      apiKey: 18,
      apiVersion: 9,
      correlationId: 42,
      clientId: 'c',
      headerVersion: 2,
    })
    expect(r.offset).toBe(12)
    expect(decodeRequestHeaderOnly(frame).correlationId).toBe(42)
  })

  it('refuses to encode an unsupported version without writing anything', () => {
    const w = new Writer()
    expect(ProtocolError.isInstance(thrown(() => encodeRequestFrame(w, produce, 12, 1, 'c', request)))).toBe(true)
    expect(w.position).toBe(0)
  })

  it('throws a ProtocolError for a truncated header', () => {
    for (let end = 0; end < 10; end++) {
      const frame = hex('0000 0003 00000001 0001 61').subarray(0, end)
      expect(ProtocolError.isInstance(thrown(() => decodeRequestFrame(frame)))).toBe(true)
    }
  })
})

describe('response frames', () => {
  it('writes the ApiVersions v3 response with header v0 (no tag byte) and reads it back', () => {
    const w = new Writer()
    const response = { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }], throttleTimeMs: 0 }
    encodeResponseFrame(w, apiVersions, 3, 77, response)
    const { whole, body } = frameOf(w)
    expect(whole).toEqual(hex('00000013 0000004d 0000 02 0012 0000 0004 00 00000000 00'))
    expect(decodeResponseFrame(body, apiVersions, 3)).toEqual({
      correlationId: 77,
      response: {
        ...response,
        supportedFeatures: [],
        finalizedFeaturesEpoch: -1n,
        finalizedFeatures: [],
        zkMigrationReady: false,
      },
    })
  })

  it('writes a flexible response with header v1 and reads it from a Reader', () => {
    const w = new Writer()
    encodeResponseFrame(w, fetch, 12, 3, { throttleTimeMs: 1, errorCode: 0, sessionId: 5, responses: [] })
    const { whole, body } = frameOf(w)
    expect(whole.subarray(0, 9)).toEqual(hex('00000011 00000003 00'))
    const r = new Reader(body)
    const { correlationId, response } = decodeResponseFrame(r, fetch, 12)
    expect(correlationId).toBe(3)
    expect(response.sessionId).toBe(5)
    expect(r.remaining).toBe(0)
  })

  it('throws a ProtocolError when asked to decode an unsupported version', () => {
    const error = thrown(() => decodeResponseFrame(Buffer.alloc(16), metadata, 13))
    expect(ProtocolError.isInstance(error)).toBe(true)
    expect(error.message).toBe('Metadata version 13 is not supported (supported: 0-12)')
  })
})
