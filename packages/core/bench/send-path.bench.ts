// The CPU of the send path alone: records appended to their batches, no network. A cluster gives the
// producer its metadata. The loop is synchronous, so it measures serializing, choosing a partition and
// encoding into batches; sealing and sending happen after it (and are cut short by close).
//
//   npx tsx --conditions=@tributary/source packages/core/bench/send-path.bench.ts [records] [valueBytes] [keyed]
//
// Prints µs of CPU per record (user + system) for three rounds. Under valgrind --tool=callgrind the
// instruction count of the whole run compares two versions of the code on a busy machine.

import { Producer } from '@tributary/core'
import { MockCluster } from '@tributary/testing'

const records = Number(process.argv[2] ?? 200_000)
const valueBytes = Number(process.argv[3] ?? 100)
const keyed = (process.argv[4] ?? 'keyed') === 'keyed'
const rounds = Number(process.env.ROUNDS ?? 3)

const cluster = await MockCluster.start({ topics: [{ name: 't', partitions: 6 }], logger: false })
const value = 'v'.repeat(valueBytes)
try {
  for (let round = 0; round < rounds; round++) {
    const producer = new Producer<string | null, string>({
      bootstrapBrokers: cluster.bootstrapBrokers,
      lingerMs: 600_000,
      deliveryTimeoutMs: 1_200_000,
      bufferBytes: 1024 * 1024 * 1024,
      logger: {},
    })
    // One record sent for real, so the topic's metadata is known before the timed loop.
    const warm = producer.send({ topic: 't', value: 'warm-up' })
    await producer.flush()
    await warm
    // The callback form, with one callback for all: no promise per record kept alive by the loop, so
    // what is measured is the send path, not the garbage collector walking a growing heap.
    let settled = 0
    const done = () => {
      settled++
    }
    const before = process.cpuUsage()
    for (let i = 0; i < records; i++) {
      producer.send({ topic: 't', key: keyed ? `key-${i % 10_000}` : null, value, headers: { source: 'bench' } }, done)
    }
    const used = process.cpuUsage(before)
    console.log(
      `round ${round + 1}: ${((used.user + used.system) / records).toFixed(3)} µs CPU per record (${records} records, ${valueBytes} B values, ${keyed ? 'keyed' : 'unkeyed'})`,
    )
    await producer.close({ timeoutMs: 0 })
    if (settled !== records) throw new Error(`${records - settled} records did not settle`)
  }
} finally {
  await cluster.stop()
}
