import { describe, outcome, repro, say, sleep } from './support.js'

// Found by: npm run chaos -- --seed 2 --records 100000 --duration 12 (with the wedge of
// expired-after-send-wedge.ts patched out in a scratch copy): records stored twice, the second
// copy after records sent later (no-duplicates and order-per-partition fail).
//
// When the producer bumps its epoch it renumbers every queued batch from sequence 0 under the new
// epoch, in every partition, including a batch queued for a retry whose first attempt may have
// been written (its connection dropped after the broker appended it, or its request timed out).
// The broker cannot recognise the renumbered batch as a retry, so it appends it again: a
// duplicate, behind whatever that partition stored meanwhile. (The Java client keeps such a batch
// on its old epoch and sequence until it resolves, and rewrites sequences only of the partitions
// that needed the bump.) Any bump does it; here the bump comes from UNKNOWN_PRODUCER_ID on another
// partition, in the chaos run from a sent batch that expired.

await repro(
  'an epoch bump renumbers a batch whose first attempt was written, and the broker stores it twice',
  { brokers: 2, topics: [{ name: 't', partitions: 2 }] },
  { deliveryTimeoutMs: 10_000, requestTimeoutMs: 5000, lingerMs: 0, retryBackoffMs: 1500, retryBackoffMaxMs: 1500 },
  async (cluster, producer) => {
    say(`leaders: t-0 on broker ${cluster.leaderOf('t', 0)}, t-1 on broker ${cluster.leaderOf('t', 1)}`)
    for (const p of [0, 1]) {
      say(
        `warm-up t-${p}: ${describe(await outcome(producer.send({ topic: 't', partition: p, value: `warm-up ${p}` }), 5000))}`,
      )
    }
    // X: broker 1 appends it, then the connection drops before the answer: outcome unknown, retried.
    cluster.setLatency(1, 500)
    const x = producer.send({ topic: 't', partition: 0, value: 'X' })
    await sleep(150)
    say(`t-0 end offset ${cluster.endOffset('t', 0)} (X appended); broker 1 drops its connections before answering`)
    cluster.dropConnections(1)
    cluster.setLatency(1, 0)
    await sleep(100)
    // Y: broker 2 answers UNKNOWN_PRODUCER_ID, and the producer bumps its epoch while X waits for its retry.
    cluster.failNext('Produce', { errorCode: 59, topic: 't', partition: 1 })
    const y = producer.send({ topic: 't', partition: 1, value: 'Y' })
    const [xo, yo] = await Promise.all([outcome(x, 15_000), outcome(y, 15_000)])
    say(`X: ${describe(xo)}; Y: ${describe(yo)}`)
    const stored = cluster
      .records('t', 0)
      .map((r) => `${r.value?.toString()}@${r.offset} (epoch ${r.producerEpoch}, seq ${r.sequence})`)
    say(`t-0 holds: ${stored.join(', ')}`)
    const copies = cluster.records('t', 0).filter((r) => r.value?.toString() === 'X').length
    if (copies > 1) return `X is stored ${copies} times in t-0`
    return undefined
  },
)
