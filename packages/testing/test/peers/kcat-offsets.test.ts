import { encodeRecordBatch } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { consumeWithKcat, kcat, produceWithKcat } from '@tributary/test-support/kcat'
import { lines } from '@tributary/test-support/processes'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Connections, produceOne } from '../helpers.js'

// kcat (librdkafka 2.0) against the mock's ListOffsets, DeleteRecords and LogAppendTime topics:
// offset lookups by timestamp (-Q), reading from the beginning after records were deleted, and the
// broker's time on records of a LogAppendTime topic.

const timed = (...timestamps: number[]) =>
  encodeRecordBatch({ records: timestamps.map((t) => ({ value: Buffer.from(`at-${t}`), timestamp: BigInt(t) })) })

describe('kcat offsets and timestamps', () => {
  const { start } = useHarness()
  const connections = new Connections()
  afterEach(async () => {
    vi.useRealTimers()
    await connections.closeAll()
  })

  it('looks offsets up by timestamp with -Q at record granularity, as Kafka searches the first batch that reaches it', async () => {
    const c = await start({ brokers: 2, topics: [{ name: 't', partitions: 2 }] })
    const conn = await connections.to(c, c.leaderOf('t', 0))
    await produceOne(conn, 't', 0, await timed(1000, 2000, 3000))
    await produceOne(conn, 't', 0, await timed(2500, 4000))
    // One lookup per run: librdkafka sends a partition named twice in one request, which Kafka refuses.
    const lookup = async (timestamp: number) => {
      const { stdout } = await kcat([
        '-Q',
        '-b',
        c.bootstrapBrokers.join(','),
        '-t',
        `t:0:${timestamp}`,
        '-t',
        `t:1:${timestamp}`,
      ])
      return lines(stdout)
    }
    expect(await lookup(1500)).toEqual(['t [0] offset 1', 't [1] offset -1'])
    expect(await lookup(2500)).toEqual(['t [0] offset 2', 't [1] offset -1'])
    expect(await lookup(3500)).toEqual(['t [0] offset 4', 't [1] offset -1'])
    expect(await lookup(5000)).toEqual(['t [0] offset -1', 't [1] offset -1'])
  })

  it('reads from the log start with -o beginning after DeleteRecords moved it into a batch', async () => {
    const c = await start({ topics: [{ name: 't', partitions: 1 }] })
    await produceWithKcat(c.bootstrapBrokers, 't', 'a\nb\nc\nd\ne\n', { args: ['-p', '0'] })
    c.deleteRecords('t', 0, 3n)
    const read = await consumeWithKcat(c.bootstrapBrokers, 't')
    expect(read.map((m) => [m.offset, m.payload])).toEqual([
      [3, 'd'],
      [4, 'e'],
    ])
  })

  it('shows the broker’s clock as the timestamp of records on a LogAppendTime topic', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_600_000_000_000)
    const c = await start({ topics: [{ name: 'stamped', configs: { 'message.timestamp.type': 'LogAppendTime' } }] })
    await produceWithKcat(c.bootstrapBrokers, 'stamped', 'k1\tv1\nk2\tv2\n')
    const read = await consumeWithKcat(c.bootstrapBrokers, 'stamped')
    expect(read.map((m) => [m.payload, m.tstype, m.ts])).toEqual([
      ['v1', 'logappend', 1_600_000_000_000],
      ['v2', 'logappend', 1_600_000_000_000],
    ])
  })
})
