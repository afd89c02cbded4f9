import { describe, expect, it } from 'vitest'
import { apiByKey, apiDefinitions } from '../../../src/protocol/apis/index.js'
import { Reader } from '../../../src/protocol/buffer/reader.js'
import { Writer } from '../../../src/protocol/buffer/writer.js'
import { buildSample, expectedDecoded, loadSchemas, type SampleMode } from './schema-samples.js'

const schemas = loadSchemas()
const modes: SampleMode[] = ['full', 'nulls', 'minimal']

function encode(fn: (w: Writer) => void): Buffer {
  const w = new Writer(64)
  fn(w)
  return w.toBufferCopy()
}

describe('generated API definitions', () => {
  it('cover every API the generator was given, each with a descriptor', () => {
    expect(apiDefinitions.map((a) => a.name).sort()).toEqual(schemas.map((s) => s.name).sort())
    expect(apiDefinitions.length).toBe(36)
  })

  it('are ordered by API key and found by key', () => {
    const keys = apiDefinitions.map((a) => a.apiKey)
    expect(keys).toEqual([...keys].sort((a, b) => a - b))
    for (const api of apiDefinitions) expect(apiByKey(api.apiKey)).toBe(api)
    expect(apiByKey(9999)).toBeUndefined()
    expect(apiByKey(-1)).toBeUndefined()
  })

  for (const schema of schemas) {
    it(`${schema.name} matches its descriptor's key and versions`, () => {
      const api = apiByKey(schema.apiKey)
      expect(api?.name).toBe(schema.name)
      expect(api?.minVersion).toBe(schema.minVersion)
      expect(api?.maxVersion).toBe(schema.maxVersion)
      expect(api?.firstFlexibleVersion).toBe(schema.firstFlexibleVersion ?? Number.POSITIVE_INFINITY)
    })
  }
})

for (const schema of schemas) {
  describe(`${schema.name} (API key ${schema.apiKey})`, () => {
    const api = apiByKey(schema.apiKey)
    if (api === undefined) throw new Error(`no definition for ${schema.name}`)
    for (let version = schema.minVersion; version <= schema.maxVersion; version++) {
      for (const direction of ['request', 'response'] as const) {
        const fields = schema[direction].fields
        const enc = direction === 'request' ? api.encodeRequest : api.encodeResponse
        const dec = direction === 'request' ? api.decodeRequest : api.decodeResponse
        for (const mode of modes) {
          it(`round-trips a v${version} ${direction} with ${mode} fields, re-encoding to the same bytes`, () => {
            const input = buildSample(fields, version, mode)
            const bytes = encode((w) => enc.call(api, w, version, input))
            const reader = new Reader(bytes)
            const decoded = dec.call(api, reader, version)
            expect(reader.remaining).toBe(0)
            expect(decoded).toStrictEqual(expectedDecoded(fields, version, input))
            const again = encode((w) => enc.call(api, w, version, decoded))
            expect(again.equals(bytes)).toBe(true)
          })
        }
      }
    }
  })
}
