import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../../src/errors/protocol-error.js'
import type { ApiDefinition } from '../../../src/protocol/apis/api-definition.js'
import { apiByKey, apiDefinitions, apiVersions, metadata, produce } from '../../../src/protocol/apis/index.js'
import { Reader } from '../../../src/protocol/buffer/reader.js'
import { Writer } from '../../../src/protocol/buffer/writer.js'
import { buildSample, loadSchemas } from './schema-samples.js'

/** The error `fn` throws (failing the test when it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

function expectProtocolError(fn: () => unknown, message?: RegExp): void {
  const error = thrown(fn)
  expect(ProtocolError.isInstance(error), String(error)).toBe(true)
  if (message !== undefined) expect((error as Error).message).toMatch(message)
}

function bytes(fn: (w: Writer) => void): Buffer {
  const w = new Writer(64)
  fn(w)
  return w.toBufferCopy()
}

const schemas = loadSchemas()

describe('decoding truncated input', () => {
  for (const schema of schemas) {
    const api = apiByKey(schema.apiKey) as ApiDefinition<unknown, unknown>
    it(`throws a ProtocolError for every truncation of every ${schema.name} version, both directions`, () => {
      for (let version = schema.minVersion; version <= schema.maxVersion; version++) {
        for (const direction of ['request', 'response'] as const) {
          const sample = buildSample(schema[direction].fields, version, 'full')
          const encode = direction === 'request' ? api.encodeRequest : api.encodeResponse
          const decode = direction === 'request' ? api.decodeRequest : api.decodeResponse
          const full = bytes((w) => encode.call(api, w, version, sample))
          for (let end = 0; end < full.length; end++) {
            let error: unknown
            try {
              decode.call(api, new Reader(full, 0, end), version)
            } catch (e) {
              error = e
            }
            if (!ProtocolError.isInstance(error)) {
              throw new Error(`${schema.name} v${version} ${direction} cut at ${end}/${full.length}: ${String(error)}`)
            }
          }
        }
      }
    })
  }
})

describe('decoding hostile lengths', () => {
  // Produce v3 request: transactional id, acks, timeout, then the topic array.
  const head = (w: Writer) => w.writeString(null).writeInt16(1).writeInt32(1000)

  it('rejects a negative string length', () => {
    const input = bytes((w) => head(w).writeInt32(1).writeInt16(-2).writeRaw(Buffer.alloc(32)))
    expectProtocolError(() => produce.decodeRequest(new Reader(input), 3), /string length/)
  })

  it('rejects a null string where the version does not allow one', () => {
    const input = bytes((w) => head(w).writeInt32(1).writeInt16(-1).writeRaw(Buffer.alloc(32)))
    expectProtocolError(() => produce.decodeRequest(new Reader(input), 3), /string length -1/)
  })

  it('rejects a negative array length', () => {
    const input = bytes((w) => head(w).writeInt32(-2))
    expectProtocolError(() => produce.decodeRequest(new Reader(input), 3), /negative array length/)
  })

  it('rejects a null array where the field is not nullable', () => {
    const input = bytes((w) => head(w).writeInt32(-1))
    expectProtocolError(() => produce.decodeRequest(new Reader(input), 3), /topicData cannot be null in version 3/)
  })

  it('rejects an array count larger than the bytes left before reading any element', () => {
    const input = bytes((w) => head(w).writeInt32(0x7fffffff).writeRaw(Buffer.alloc(64)))
    const reader = new Reader(input)
    expectProtocolError(() => produce.decodeRequest(reader, 3), /exceeds/)
    // The reader stopped right after the count: no element was read (nor 2^31 of them attempted),
    // which a wall-clock bound ("under 50 ms") used to stand in for.
    expect(reader.offset).toBe(input.length - 64)
  })

  it('rejects a huge compact array count in a flexible version', () => {
    const input = bytes((w) => w.writeUnsignedVarInt(0).writeInt16(1).writeInt32(1000).writeUnsignedVarInt(0xfffffff0))
    expectProtocolError(() => produce.decodeRequest(new Reader(input), 9), /exceeds/)
  })

  it('rejects a negative records length other than -1', () => {
    const input = bytes((w) =>
      head(w).writeInt32(1).writeString('t').writeInt32(1).writeInt32(0).writeInt32(-7).writeRaw(Buffer.alloc(32)),
    )
    expectProtocolError(() => produce.decodeRequest(new Reader(input), 3), /negative length/)
  })

  it('rejects records longer than the bytes left', () => {
    const input = bytes((w) =>
      head(w).writeInt32(1).writeString('t').writeInt32(1).writeInt32(0).writeInt32(100).writeRaw(Buffer.alloc(32)),
    )
    expectProtocolError(() => produce.decodeRequest(new Reader(input), 3), /truncated/)
  })

  it('rejects a tagged field whose size runs past the end', () => {
    // ApiVersions v3 response: error code, empty compact array, throttle time, one tag claiming 50 bytes
    const input = bytes((w) =>
      w
        .writeInt16(0)
        .writeUnsignedVarInt(1)
        .writeInt32(0)
        .writeUnsignedVarInt(1)
        .writeUnsignedVarInt(1)
        .writeUnsignedVarInt(50),
    )
    expectProtocolError(() => apiVersions.decodeResponse(new Reader(input), 3), /tagged field/)
  })

  it('rejects a known tagged field whose content is longer than its declared size', () => {
    // tag 1 (FinalizedFeaturesEpoch, an int64) declared as 4 bytes
    const input = bytes((w) =>
      w
        .writeInt16(0)
        .writeUnsignedVarInt(1)
        .writeInt32(0)
        .writeUnsignedVarInt(1)
        .writeUnsignedVarInt(1)
        .writeUnsignedVarInt(4)
        .writeInt32(0)
        .writeRaw(Buffer.alloc(8)),
    )
    expectProtocolError(() => apiVersions.decodeResponse(new Reader(input), 3), /truncated/)
  })

  it('rejects a huge tagged-field count without hanging', () => {
    const input = bytes((w) => w.writeInt16(0).writeUnsignedVarInt(1).writeInt32(0).writeUnsignedVarInt(0xffffffff))
    expectProtocolError(() => apiVersions.decodeResponse(new Reader(input), 3), /truncated/)
  })

  it('rejects an overlong varint', () => {
    const input = bytes((w) => w.writeRaw(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])))
    expectProtocolError(() => apiVersions.decodeRequest(new Reader(input), 3), /longer than 32 bits/)
  })
})

describe('unsupported versions', () => {
  for (const api of apiDefinitions) {
    it(`${api.name} refuses to encode or decode versions outside ${api.minVersion}-${api.maxVersion}`, () => {
      const message = new RegExp(
        `^${api.name} version ${api.maxVersion + 1} is not supported \\(supported: ${api.minVersion}-${api.maxVersion}\\)$`,
      )
      const w = new Writer()
      expectProtocolError(() => api.encodeRequest(w, api.maxVersion + 1, {}), message)
      expectProtocolError(() => api.encodeResponse(w, api.maxVersion + 1, {}), message)
      expectProtocolError(() => api.decodeRequest(new Reader(Buffer.alloc(64)), api.maxVersion + 1), message)
      expectProtocolError(() => api.decodeResponse(new Reader(Buffer.alloc(64)), api.maxVersion + 1), message)
      expectProtocolError(() => api.encodeRequest(w, api.minVersion - 1, {}), /is not supported/)
      expectProtocolError(() => api.decodeResponse(new Reader(Buffer.alloc(64)), Number.NaN), /is not supported/)
      expect(w.offset).toBe(0)
    })
  }
})

describe('encoding a null where the version does not allow one', () => {
  it('throws a ProtocolError for null Metadata topics in v0 and writes them as -1 from v1', () => {
    expectProtocolError(
      () => metadata.encodeRequest(new Writer(), 0, { topics: null }),
      /topics cannot be null in version 0/,
    )
    expect(bytes((w) => metadata.encodeRequest(w, 1, { topics: null }))).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]))
  })

  it('throws a ProtocolError for a null topic name before Metadata v10', () => {
    expectProtocolError(
      () => metadata.encodeRequest(new Writer(), 9, { topics: [{ name: null }] }),
      /MetadataRequestTopic\.name cannot be null in version 9/,
    )
  })
})
