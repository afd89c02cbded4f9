import {
  type ApiDefinition,
  type ApiVersionsRequest,
  type ApiVersionsResponse,
  apiByKey,
  apiVersions,
  Connection,
  type CreateTopicsRequest,
  createTopics,
  decodeRequestHeaderOnly,
  encodeRequestFrame,
  type FetchRequest,
  fetch,
  type ListOffsetsRequest,
  listOffsets,
  type MetadataRequest,
  metadata,
  type ProduceRequest,
  produce,
  Reader,
  Writer,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it } from 'vitest'
import type { MockCluster } from '../../src/index.js'
import { rawBatch } from '../record-bytes.js'
import {
  BUG_MESSAGES,
  type EndWhen,
  FUZZ_SCALE,
  type Random,
  rawExchange,
  seeded,
  settledMemory,
} from './fuzz-support.js'

// The mock broker against hostile input: random bytes, bad frame sizes, truncated frames, huge
// counts, every API key and version with a garbage body, mutated valid requests, on many
// connections at once. Whatever arrives, the process must not crash, a malformed frame must close
// its own connection only, memory must not grow with what was sent, and a real producer must be
// served normally afterwards. Seeded: a failure prints FUZZ_SEED to replay it.

const MAX_FRAME_BYTES = 1024 * 1024
const PROBE_CORRELATION_ID = 0x7eadbeef
const TOPIC = 'fuzz'

/** A frame (size prefix included) for a request. */
function frame<Req>(api: ApiDefinition<Req, unknown>, version: number, request: Req, correlationId = 1): Buffer {
  const w = new Writer(256)
  encodeRequestFrame(w, api, version, correlationId, 'fuzz', request)
  return w.toBufferCopy()
}

/** An ApiVersions request sent after the fuzz bytes: answered only if the connection survived them. */
const PROBE = frame(
  apiVersions as ApiDefinition<ApiVersionsRequest, ApiVersionsResponse>,
  3,
  { clientSoftwareName: 'probe', clientSoftwareVersion: '1' },
  PROBE_CORRELATION_ID,
)

const probeAnswered = (responses: readonly Buffer[]) =>
  responses.some((r) => r.length >= 4 && r.readInt32BE(0) === PROBE_CORRELATION_ID)

/** Valid requests of the APIs the mock serves, for truncation and mutation. */
function validFrames(): Buffer[] {
  return [
    frame(metadata as ApiDefinition<MetadataRequest, unknown>, 12, {
      topics: [{ name: TOPIC, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    }),
    frame(produce as ApiDefinition<ProduceRequest, unknown>, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: TOPIC, partitionData: [{ index: 0, records: rawBatch() }] }],
    }),
    frame(produce as ApiDefinition<ProduceRequest, unknown>, 7, {
      transactionalId: null,
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: TOPIC, partitionData: [{ index: 1, records: rawBatch() }] }],
    }),
    frame(createTopics as ApiDefinition<CreateTopicsRequest, unknown>, 7, {
      topics: [{ name: 'made-by-fuzz', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 1000,
      validateOnly: true,
    }),
    frame(listOffsets as ApiDefinition<ListOffsetsRequest, unknown>, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }],
    }),
    frame(fetch as ApiDefinition<FetchRequest, unknown>, 12, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: TOPIC,
          partitions: [
            { partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    }),
    PROBE,
  ]
}

/** What the server must do with a byte stream: close the connection, wait for more bytes, or either. */
type Expectation = 'close' | 'incomplete' | 'unknown'

/**
 * Predicts the broker's reaction from the frames in `stream`: a bad size, a header that does not
 * parse, an API or version the broker does not serve (ApiVersions excepted: it is answered with
 * UNSUPPORTED_VERSION) or a body that does not decode closes the connection before any later
 * frame is answered. A frame that decodes may be answered or not (its handler decides).
 */
function expectation(stream: Buffer, served: ReadonlyMap<number, { min: number; max: number }>): Expectation {
  let at = 0
  let decodable = false
  while (at < stream.length) {
    if (stream.length - at < 4) return decodable ? 'unknown' : 'incomplete'
    const size = stream.readInt32BE(at)
    if (size < 0 || size > MAX_FRAME_BYTES) return decodable ? 'unknown' : 'close'
    if (stream.length - at - 4 < size) return decodable ? 'unknown' : 'incomplete'
    const reader = new Reader(stream.subarray(at + 4, at + 4 + size))
    at += 4 + size
    try {
      const header = decodeRequestHeaderOnly(reader)
      const api = apiByKey(header.apiKey)
      const range = served.get(header.apiKey)
      if (api === undefined || range === undefined) return decodable ? 'unknown' : 'close'
      if (header.apiVersion < range.min || header.apiVersion > range.max) {
        if (header.apiKey === 18) {
          decodable = true
          continue
        }
        return decodable ? 'unknown' : 'close'
      }
      api.decodeRequest(reader, header.apiVersion)
      decodable = true
    } catch {
      return decodable ? 'unknown' : 'close'
    }
  }
  return 'unknown'
}

/** One hostile exchange: what to send and how it was made. */
interface Attack {
  kind: string
  chunks: Buffer[]
}

function sized(body: Buffer, size = body.length): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length)
  out.writeInt32BE(size, 0)
  body.copy(out, 4)
  return out
}

function header(apiKey: number, version: number, rnd: Random): Buffer {
  const w = new Writer(64)
  w.writeInt16(apiKey).writeInt16(version).writeInt32(rnd.int(0, 0x7fffffff))
  w.writeString(rnd.chance(0.2) ? null : `c${rnd.int(0, 999)}`)
  // A flexible header has a tagged-field section; garbage may or may not look like one.
  if (rnd.chance(0.5)) w.writeUInt8(0)
  return w.toBufferCopy()
}

/** Splits bytes at random points, so that frames arrive in pieces and several in one piece. */
function chop(bytes: Buffer, rnd: Random): Buffer[] {
  const out: Buffer[] = []
  let at = 0
  while (at < bytes.length) {
    const n = rnd.chance(0.5) ? bytes.length - at : rnd.int(1, Math.max(1, bytes.length - at))
    out.push(bytes.subarray(at, at + n))
    at += n
  }
  return out
}

function attack(rnd: Random, valid: readonly Buffer[]): Attack {
  const kind = rnd.pick([
    'bad size',
    'tiny frame',
    'random bytes',
    'garbage body for an API key and version',
    'huge count',
    'truncated request',
    'mutated request',
    'valid request then garbage',
  ] as const)
  let bytes: Buffer
  switch (kind) {
    case 'bad size':
      bytes = sized(rnd.bytes(rnd.int(0, 64)), rnd.pick([-1, -0x80000000, MAX_FRAME_BYTES + 1, 0x7fffffff]))
      break
    case 'tiny frame':
      bytes = sized(rnd.bytes(rnd.int(0, 9)))
      break
    case 'random bytes':
      bytes = rnd.bytes(rnd.int(1, 3000))
      break
    case 'garbage body for an API key and version': {
      const apiKey = rnd.chance(0.9) ? rnd.int(0, 75) : rnd.int(-5, 0x7fff)
      const max = apiByKey(apiKey)?.maxVersion ?? 5
      const version = rnd.int(-1, max + 2)
      bytes = sized(Buffer.concat([header(apiKey, version, rnd), rnd.bytes(rnd.int(0, 400))]))
      break
    }
    case 'huge count': {
      const apiKey = rnd.pick([0, 1, 2, 3, 19, 22, 24])
      const max = apiByKey(apiKey)?.maxVersion ?? 0
      const count = rnd.pick([
        Buffer.from([0x7f, 0xff, 0xff, 0xff]),
        Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
        Buffer.from([0x00, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff]),
      ])
      bytes = sized(Buffer.concat([header(apiKey, rnd.int(0, max), rnd), count, rnd.bytes(rnd.int(0, 32))]))
      break
    }
    case 'truncated request': {
      const whole = rnd.pick(valid)
      bytes = whole.subarray(0, rnd.int(1, whole.length - 1))
      break
    }
    case 'mutated request': {
      bytes = Buffer.from(rnd.pick(valid))
      for (let flips = rnd.int(1, 6); flips > 0; flips--) bytes[rnd.int(4, bytes.length - 1)] = rnd.int(0, 255)
      break
    }
    case 'valid request then garbage':
      bytes = Buffer.concat([rnd.pick(valid), sized(Buffer.concat([header(3, 12, rnd), rnd.bytes(rnd.int(0, 64))]))])
      break
  }
  return { kind, chunks: chop(kind === 'truncated request' ? bytes : Buffer.concat([bytes, PROBE]), rnd) }
}

async function servedRanges(cluster: MockCluster): Promise<Map<number, { min: number; max: number }>> {
  const broker = cluster.brokers[0]
  if (broker === undefined) throw new Error('no broker')
  const conn = await Connection.connect({
    host: broker.host,
    port: broker.port,
    clientId: 'fuzz',
    requestTimeoutMs: 10_000,
  })
  try {
    const response = await conn.send(apiVersions, 3, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' })
    // The mock advertises Produce from v0 for old librdkafka versions but serves it from v3.
    return new Map(
      response.apiKeys.map((k) => [k.apiKey, { min: k.apiKey === 0 ? 3 : k.minVersion, max: k.maxVersion }]),
    )
  } finally {
    await conn.close()
  }
}

/** Runs attacks `concurrency` at a time; returns what went against expectations. */
async function barrage(
  cluster: MockCluster,
  rnd: Random,
  count: number,
  concurrency: number,
  served: ReadonlyMap<number, { min: number; max: number }>,
): Promise<{ violations: string[]; kinds: Map<string, number>; bytes: number }> {
  const port = cluster.brokers[0]?.port as number
  const valid = validFrames()
  const violations: string[] = []
  const kinds = new Map<string, number>()
  let bytes = 0
  for (let done = 0; done < count; done += concurrency) {
    const round = Array.from({ length: Math.min(concurrency, count - done) }, () => attack(rnd, valid))
    await Promise.all(
      round.map(async (a) => {
        const stream = Buffer.concat(a.chunks)
        bytes += stream.length
        kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1)
        const expected = expectation(stream, served)
        const end: EndWhen =
          expected === 'close'
            ? { until: 'server' }
            : expected === 'incomplete'
              ? { until: 'now' }
              : { until: probeAnswered }
        const outcome = await rawExchange(port, a.chunks, end)
        if (expected === 'close' && (!outcome.closedByServer || probeAnswered(outcome.responses))) {
          violations.push(
            `${a.kind}: expected the server to close the connection; got ${JSON.stringify(outcome)} for ${stream.toString('hex').slice(0, 200)}`,
          )
        }
      }),
    )
  }
  return { violations, kinds, bytes }
}

describe('Mock broker fuzzing', () => {
  const { start, producer } = useHarness()

  it('closes only the connection of each malformed frame, keeps serving the others, then serves a real producer', async () => {
    const rnd = seeded('malformed frames on many connections')
    const closings: string[] = []
    const c = await start({
      topics: [{ name: TOPIC, partitions: 3 }],
      maxFrameBytes: MAX_FRAME_BYTES,
      logger: { info: () => {}, warn: (message) => closings.push(message) },
    })
    const served = await servedRanges(c)
    const broker = c.brokers[0]
    if (broker === undefined) throw new Error('no broker')

    // Well-behaved clients working throughout, on their own connections.
    let stop = false
    const goodErrors: unknown[] = []
    let goodRequests = 0
    const good = Array.from({ length: 4 }, async (_, i) => {
      const conn = await Connection.connect({
        host: broker.host,
        port: broker.port,
        clientId: `good-${i}`,
        requestTimeoutMs: 20_000,
      })
      try {
        while (!stop) {
          const answer = await conn.send(
            produce as ApiDefinition<
              ProduceRequest,
              { responses: Array<{ partitionResponses: Array<{ errorCode: number }> }> }
            >,
            9,
            {
              transactionalId: null,
              acks: -1,
              timeoutMs: 1000,
              topicData: [{ name: TOPIC, partitionData: [{ index: i % 3, records: rawBatch() }] }],
            },
          )
          if (answer.responses[0]?.partitionResponses[0]?.errorCode !== 0) goodErrors.push(answer)
          await conn.send(apiVersions, 3, { clientSoftwareName: 'good', clientSoftwareVersion: '1' })
          goodRequests += 2
        }
      } catch (error) {
        goodErrors.push(error)
      } finally {
        await conn.close()
      }
    })

    const result = await barrage(c, rnd, 600 * FUZZ_SCALE, 24, served)
    stop = true
    await Promise.all(good)

    expect(result.violations).toEqual([])
    expect(goodErrors).toEqual([])
    // The broker closed connections for what it read (a ProtocolError), never for an error of its own.
    expect(closings.length).toBeGreaterThan(0)
    expect(closings.filter((m) => BUG_MESSAGES.test(m))).toEqual([])
    expect(goodRequests).toBeGreaterThan(0)
    // Every kind of attack was tried.
    expect(result.kinds.size).toBe(8)

    // A real producer is served normally afterwards, and records() decodes everything stored.
    const before = c.records(TOPIC).length
    const p = producer({ bootstrapBrokers: c.bootstrapBrokers })
    const sent = Array.from({ length: 200 }, (_, i) => ({ topic: TOPIC, key: `k${i % 7}`, value: `after fuzz ${i}` }))
    const results = await p.sendBatch(sent)
    expect(results.every((r) => r.ok)).toBe(true)
    await p.flush()
    const values = c.records(TOPIC).map((r) => r.value?.toString())
    expect(values).toHaveLength(before + 200)
    expect(values.filter((v) => v?.startsWith('after fuzz')).sort()).toEqual(sent.map((s) => s.value).sort())
  })

  it('holds no memory for what malformed frames sent, round after round', async () => {
    const rnd = seeded('memory stays flat')
    const c = await start({ topics: [{ name: TOPIC, partitions: 3 }], maxFrameBytes: MAX_FRAME_BYTES })
    const port = c.brokers[0]?.port as number
    const big = (n: number) => {
      // A Produce header, then a body of random bytes that does not decode: the frame is read whole.
      const body = Buffer.concat([header(0, 9, rnd), rnd.bytes(n)])
      return sized(body)
    }
    const round = async () => {
      let bytes = 0
      await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          // Whole malformed frames (closed by the broker) and frames cut off (dropped when the client leaves).
          const whole = big(256 * 1024)
          const cut = big(512 * 1024).subarray(0, 256 * 1024)
          bytes += whole.length + cut.length
          await rawExchange(port, [whole], { until: 'server' })
          await rawExchange(port, [cut], { until: 'now' })
          if (i % 4 === 0) await rawExchange(port, [PROBE, PROBE, PROBE], { until: probeAnswered })
        }),
      )
      return bytes
    }
    await round() // warm up: code paths compiled, pools sized
    const baseline = await settledMemory()
    let sent = 0
    for (let r = 0; r < 6; r++) sent += await round()
    const growth = (await settledMemory()) - baseline
    // Every byte sent held on to would be `sent` (about 48 MiB); allow a fraction for noise.
    expect(sent).toBeGreaterThan(40 * 1024 * 1024)
    expect(growth).toBeLessThan(sent / 8)
    expect(c.records(TOPIC)).toEqual([])
  })
})
