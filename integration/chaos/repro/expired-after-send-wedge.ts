import { describe, outcome, repro, say, sleep } from './support.js'

// Found by: npm run chaos -- --seed 2 --records 200000 --duration 10 (and most seeds): after the
// first storm that outlasts deliveryTimeoutMs, nothing is acknowledged any more.
//
// A batch that was sent once and then expires while waiting to be retried makes the producer
// request an epoch bump ("bumping the producer epoch: a batch expired after it was sent"). The bump
// waits for nothing to be in flight, but nothing asks again once that is true: every drain skips
// every partition while the bump is pending, so no record is ever sent again. Records still settle
// (they expire with TimeoutError) but the producer never sends, even after the cluster recovered.

const DELIVERY_MS = 1500
await repro(
  'a sent batch expires during an error storm; afterwards the cluster is healthy',
  { brokers: 1, topics: [{ name: 't', partitions: 1 }] },
  { deliveryTimeoutMs: DELIVERY_MS, requestTimeoutMs: 500, lingerMs: 0, retryBackoffMs: 1000, retryBackoffMaxMs: 1000 },
  async (cluster, producer) => {
    say(`warm-up: ${describe(await outcome(producer.send({ topic: 't', key: 'k', value: 'warm-up' }), 5000))}`)
    // Every Produce fails, retriably, for longer than the delivery timeout.
    cluster.failNext('Produce', { errorCode: 19 /* NOT_ENOUGH_REPLICAS */, count: 1_000_000 })
    const stormed = await outcome(producer.send({ topic: 't', key: 'k', value: 'in the storm' }), DELIVERY_MS + 3000)
    say(`record sent into the storm: ${describe(stormed)}`)
    cluster.clearFailures()
    await sleep(100)
    say('storm over, the cluster is healthy')
    const after = await outcome(producer.send({ topic: 't', key: 'k', value: 'after' }), DELIVERY_MS + 3000)
    say(`record sent after the storm: ${describe(after)}`)
    const requests = cluster.requests().filter((r) => r.apiName === 'Produce').length
    say(
      `Produce requests received in total: ${requests}; InitProducerId: ${cluster.requests().filter((r) => r.apiName === 'InitProducerId').length}`,
    )
    if (after.settled !== 'acked') return `a record sent after the storm was not acknowledged (${describe(after)})`
    return undefined
  },
)
