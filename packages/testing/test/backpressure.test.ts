import net from 'node:net'
import {
  type ApiDefinition,
  encodeRequestFrame,
  type MetadataRequest,
  metadata,
  Writer,
} from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it } from 'vitest'

// A client that pipelines requests without reading the responses must not make the broker buffer
// every response: like Kafka, which reads one request at a time per connection, the broker stops
// reading from it until it catches up, and then answers everything, in order.

const REQUESTS = 2000

function metadataFrame(correlationId: number): Buffer {
  const w = new Writer(64)
  encodeRequestFrame(w, metadata as ApiDefinition<MetadataRequest, unknown>, 12, correlationId, 'greedy', {
    topics: null,
    allowAutoTopicCreation: false,
    includeTopicAuthorizedOperations: false,
  })
  return w.toBufferCopy()
}

/** Resolves once `value()` has not changed for `turns` consecutive checks a few ms apart. */
async function stable(value: () => number, turns = 20): Promise<number> {
  let last = -1
  let same = 0
  while (same < turns) {
    await new Promise((r) => setTimeout(r, 10))
    const now = value()
    same = now === last ? same + 1 : 0
    last = now
  }
  return last
}

describe('Backpressure', () => {
  const { start, defer } = useHarness()

  it('stops reading from a client that does not read its responses, then answers every request in order', async () => {
    // Metadata for 300 topics: about 30 KB per response, 60 MB for all of them.
    const c = await start({ topics: Array.from({ length: 300 }, (_, i) => ({ name: `topic-${i}`, partitions: 2 })) })
    let handled = 0
    c.on('request', () => handled++)
    const broker = c.brokers[0]
    if (broker === undefined) throw new Error('no broker')
    const socket = net.connect({ host: broker.host, port: broker.port })
    defer(() => socket.destroy())
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.pause()
    const requests = Buffer.concat(Array.from({ length: REQUESTS }, (_, i) => metadataFrame(i)))
    socket.write(requests)

    const whileNotReading = await stable(() => handled)
    expect(whileNotReading).toBeGreaterThan(0)
    expect(whileNotReading).toBeLessThan(REQUESTS)

    // Reading again, the client gets every answer, in order.
    const ids: number[] = []
    let pending: Buffer = Buffer.alloc(0)
    const all = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
        while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
          ids.push(pending.readInt32BE(4))
          pending = pending.subarray(4 + pending.readInt32BE(0))
        }
        if (ids.length === REQUESTS) resolve()
      })
    })
    socket.resume()
    await all
    expect(ids).toEqual(Array.from({ length: REQUESTS }, (_, i) => i))
    expect(handled).toBe(REQUESTS)
  })
})
