// The fake broker itself: healthy, it serves a Producer end to end; each fault puts on the wire
// what its label says (checked with the core's own response decoder), so that the scenarios test
// the client against the faults they claim to.

import { Buffer } from 'node:buffer'
import net from 'node:net'
import { Producer } from '@tributary/core'
import {
  type ApiDefinition,
  apiVersions,
  decodeResponseFrame,
  encodeRecordBatchSync,
  encodeRequestFrame,
  FrameSplitter,
  initProducerId,
  metadata,
  produce,
  Writer,
} from '@tributary/core/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { type ApiName, connectionFaults, FakeBroker, faults, type Mutator } from './fake-broker.js'
import { DEFAULT_TIMING, producerOptions, TOPIC, within } from './harness.js'
import { guardProcess } from './scenario.js'

guardProcess()

const brokers: FakeBroker[] = []
const sockets: net.Socket[] = []

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  for (const b of brokers.splice(0)) await b.close()
})

async function start(): Promise<FakeBroker> {
  const broker = await FakeBroker.start({ topics: { [TOPIC]: 3 } })
  brokers.push(broker)
  return broker
}

/** A raw client: sends requests, collects the bytes that come back. */
async function rawClient(broker: FakeBroker) {
  const socket = net.connect({ host: '127.0.0.1', port: broker.port })
  sockets.push(socket)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('error', reject)
  })
  let received = Buffer.alloc(0)
  let closed = false
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk])
  })
  socket.on('close', () => {
    closed = true
  })
  socket.on('error', () => {})
  let correlationId = 100
  return {
    send<Req>(api: ApiDefinition<Req, unknown>, version: number, request: Req): number {
      const w = new Writer(256)
      encodeRequestFrame(w, api, version, ++correlationId, 'raw', request)
      socket.write(w.toBufferCopy())
      return correlationId
    },
    /** Waits for at least `n` bytes and the whole first frame (or the close, or 2 s). */
    async bytes(n: number): Promise<Buffer> {
      const enough = () =>
        received.length >= n && (received.length < 4 || received.length >= 4 + received.readInt32BE(0))
      for (let i = 0; i < 200 && !enough() && !closed; i++) await new Promise((r) => setTimeout(r, 10))
      return received
    },
    get closed() {
      return closed
    },
  }
}

const REQUESTS = {
  ApiVersions: [apiVersions, 4, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' }],
  Metadata: [
    metadata,
    12,
    {
      topics: [{ name: TOPIC, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    },
  ],
  InitProducerId: [
    initProducerId,
    5,
    { transactionalId: null, transactionTimeoutMs: 60000, producerId: -1n, producerEpoch: -1 },
  ],
  Produce: [
    produce,
    11,
    {
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topicData: [
        {
          name: TOPIC,
          partitionData: [{ index: 1, records: encodeRecordBatchSync({ records: [{ value: Buffer.from('v') }] }) }],
        },
      ],
    },
  ],
} as const satisfies Record<ApiName, readonly [unknown, number, unknown]>

/** Sends one request of `api` with `mutator` in place and returns the frames that came back. */
async function exchange(api: ApiName, mutator: Mutator, wait = 1) {
  const broker = await start()
  broker.next(api, mutator)
  const client = await rawClient(broker)
  const [definition, version, request] = REQUESTS[api] as unknown as [ApiDefinition<unknown, unknown>, number, unknown]
  const correlationId = client.send(definition, version, request)
  const bytes = await client.bytes(wait)
  const frames = [...new FrameSplitter().push(bytes)]
  const decode = (frame: Buffer) => decodeResponseFrame(frame, definition, version)
  return { broker, client, correlationId, bytes, frames, decode }
}

describe('the fake broker', () => {
  it('serves a producer end to end and stores what it acknowledged', async () => {
    const broker = await start()
    const producer = new Producer<string | null, string>(producerOptions(broker, DEFAULT_TIMING))
    try {
      const meta = await producer.send({ topic: TOPIC, key: 'k', value: 'hello' })
      const results = await producer.sendBatch([
        { topic: TOPIC, value: 'a', partition: 2 },
        { topic: TOPIC, value: 'b', partition: 2 },
      ])
      expect(results.map((r) => r.ok)).toEqual([true, true])
      expect(broker.stored(TOPIC).map((r) => r.value)).toEqual(expect.arrayContaining(['hello', 'a', 'b']))
      const stored = broker.stored(TOPIC).find((r) => r.value === 'hello')
      expect(stored?.offset).toBe(meta.offset)
      expect(stored?.partition).toBe(meta.partition)
      const p2 = broker.stored(TOPIC).filter((r) => r.partition === 2)
      expect(p2.map((r) => r.offset)).toEqual(p2.map((_, i) => BigInt(i)))
    } finally {
      await within(producer.close(), 5000)
    }
    expect(broker.problems).toEqual([])
    expect(broker.requests.map((r) => r.api)).toEqual(
      expect.arrayContaining(['ApiVersions', 'Metadata', 'InitProducerId', 'Produce']),
    )
  })

  it('answers a wrong correlation id', async () => {
    const { frames, correlationId, decode } = await exchange('Metadata', faults.wrongCorrelationId(7))
    expect(frames).toHaveLength(1)
    expect(decode(frames[0] as Buffer).correlationId).toBe(correlationId + 7)
  })

  it.each(['ApiVersions', 'Metadata', 'InitProducerId', 'Produce'] as const)(
    'sends a %s frame that does not decode when truncated, with random bytes, or with an absurd count',
    async (api) => {
      for (const mutator of [faults.truncatedFrame(), faults.randomAfterHeader(), faults.absurdArrayCount()]) {
        const { frames, decode } = await exchange(api, mutator)
        expect(frames, mutator.label).toHaveLength(1)
        // Random bytes could decode by chance; with the broker's fixed seed they do not.
        expect(() => decode(frames[0] as Buffer), `${api}: ${mutator.label}`).toThrow()
      }
    },
  )

  // Not InitProducerId: its body has a fixed size and no count, so a frame that ends inside the next
  // response still decodes (to a garbage producer id); only the stream after it is misaligned.
  it.each(['ApiVersions', 'Metadata', 'Produce'] as const)(
    'runs a truncated %s frame into the next response',
    async (api) => {
      const { bytes, correlationId, decode } = await exchange(api, faults.truncatedIntoNext(0.5), 64)
      const size = bytes.readInt32BE(0)
      const first = bytes.subarray(4, 4 + size)
      expect(first.readInt32BE(0)).toBe(correlationId)
      // The next response starts inside the first frame.
      const nextAt = bytes.indexOf(bytes.subarray(0, 4), 4)
      expect(nextAt).toBeGreaterThan(4)
      expect(nextAt).toBeLessThan(4 + size)
      expect(bytes.readInt32BE(nextAt + 4)).toBe(correlationId + 1)
      expect(() => decode(first)).toThrow()
    },
  )

  it('declares 2^31-1 elements', async () => {
    const { frames } = await exchange('Metadata', faults.absurdArrayCount())
    const body = (frames[0] as Buffer).subarray(4 + 1 + 4) // correlation id, empty tagged fields, throttle
    expect(body.subarray(0, 5)).toEqual(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x08])) // varint 2^31
  })

  it('reports the Metadata mutations in the decoded response', async () => {
    const cases: Array<[Mutator, (m: import('@tributary/core/protocol').MetadataResponse) => void]> = [
      [
        faults.metadataPartitionIndex(50_000_000),
        (m) => expect(m.topics[0]?.partitions[0]?.partitionIndex).toBe(50_000_000),
      ],
      [faults.metadataPartitionIndex(-1), (m) => expect(m.topics[0]?.partitions[0]?.partitionIndex).toBe(-1)],
      [faults.metadataZeroPartitions(), (m) => expect(m.topics[0]?.partitions).toEqual([])],
      [faults.metadataNoLeader(), (m) => expect(m.topics[0]?.partitions.map((p) => p.leaderId)).toEqual([-1, -1, -1])],
      [faults.metadataUnknownLeader(77), (m) => expect(m.topics[0]?.partitions[0]?.leaderId).toBe(77)],
      [faults.metadataNoBrokers(), (m) => expect(m.brokers).toEqual([])],
      [faults.metadataDuplicatePartitions(), (m) => expect(m.topics[0]?.partitions).toHaveLength(6)],
      [faults.errorCode(9999), (m) => expect(m.topics[0]?.errorCode).toBe(9999)],
    ]
    for (const [mutator, check] of cases) {
      const { frames, decode } = await exchange('Metadata', mutator)
      check(decode(frames[0] as Buffer).response as never)
    }
  })

  it('reports the Produce mutations in the decoded response, and stores the records', async () => {
    const cases: Array<[Mutator, (p: import('@tributary/core/protocol').ProduceResponse) => void]> = [
      [faults.produceBaseOffset(-1n), (p) => expect(p.responses[0]?.partitionResponses[0]?.baseOffset).toBe(-1n)],
      [faults.errorCode(-5), (p) => expect(p.responses[0]?.partitionResponses[0]?.errorCode).toBe(-5)],
      [
        faults.produceUnaskedPartitions(),
        (p) => expect(p.responses.map((t) => t.name)).toEqual(['never-asked', TOPIC]),
      ],
      [faults.produceDuplicatePartitions(), (p) => expect(p.responses[0]?.partitionResponses).toHaveLength(2)],
      [
        faults.producePartitionIndex(50_000_000),
        (p) => expect(p.responses[0]?.partitionResponses[0]?.index).toBe(50_000_000),
      ],
      [faults.produceEmpty(), (p) => expect(p.responses).toEqual([])],
    ]
    for (const [mutator, check] of cases) {
      const { broker, frames, decode } = await exchange('Produce', mutator)
      check(decode(frames[0] as Buffer).response as never)
      expect(broker.stored(TOPIC).map((r) => r.value)).toEqual(['v'])
    }
  })

  it('stays silent, closes mid-response and answers late', async () => {
    const silent = await exchange('ApiVersions', faults.silent())
    expect(silent.bytes).toHaveLength(0)
    expect(silent.client.closed).toBe(false)

    const closing = await exchange('ApiVersions', faults.closeMidResponse())
    expect(closing.client.closed).toBe(true)
    expect(closing.bytes.length).toBeGreaterThan(0)
    expect(closing.bytes.length).toBeLessThan(4 + closing.bytes.readInt32BE(0))

    const late = await exchange('ApiVersions', faults.delay(100), 8)
    expect(late.frames).toHaveLength(1)
    expect(late.broker.requests[0]?.reply).toBe('healthy answer after 100 ms')
  })

  it('writes garbage as the first bytes of a connection', async () => {
    const broker = await start()
    broker.nextConnections(connectionFaults.garbageFirst('negative-size'))
    const client = await rawClient(broker)
    const bytes = await client.bytes(4)
    expect(bytes.readInt32BE(0)).toBeLessThan(0)
  })

  it('is healthy again after heal()', async () => {
    const broker = await start()
    broker.always('ApiVersions', faults.silent())
    broker.heal()
    const client = await rawClient(broker)
    client.send(apiVersions, 4, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' })
    const frames = [...new FrameSplitter().push(await client.bytes(8))]
    expect(decodeResponseFrame(frames[0] as Buffer, apiVersions, 4).response.errorCode).toBe(0)
  })
})
