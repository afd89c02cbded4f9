// The example application's tests, run against the application as written for kafkajs and as switched
// to @tributary/kafkajs by changing its import line: the same tests pass for both.
import { readFileSync } from 'node:fs'
import { murmur2, toPositive } from '@tributary/core'
import type { MockCluster } from '@tributary/testing'
import { describe, expect, it } from 'vitest'
import { secureRandom, setup } from '../helpers.js'
import * as withTributary from './order-events.js'
import * as withKafkajs from './order-events.kafkajs.js'

/** The service's public API (both variants have it). */
type OrderEventsApi = { [K in keyof withKafkajs.OrderEvents]: withKafkajs.OrderEvents[K] }

const variants = [
  ['kafkajs', withKafkajs],
  ['@tributary/kafkajs', withTributary],
] as const

it('switches from kafkajs to @tributary/kafkajs by changing one import', () => {
  const lines = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8').split('\n')
  const before = lines('order-events.kafkajs.ts')
  const after = lines('order-events.ts')
  expect(after).toHaveLength(before.length)
  const changed = before.flatMap((line, i) => (line === after[i] ? [] : [[line, after[i]]]))
  expect(changed).toEqual([["} from 'kafkajs'", "} from '@tributary/kafkajs'"]])
})

for (const [name, app] of variants) {
  describe(`the order service with ${name}`, () => {
    const t = setup()

    const start = async (): Promise<{ cluster: MockCluster; events: OrderEventsApi }> => {
      const cluster = await t.cluster({
        topics: [
          { name: 'orders', partitions: 6 },
          { name: 'audit', partitions: 1 },
          { name: 'ledger', partitions: 3 },
          { name: 'payments', partitions: 1 },
        ],
      })
      const events = new app.OrderEvents({
        brokers: cluster.bootstrapBrokers,
        transactionalId: `settlements-${secureRandom()}`,
      })
      t.track({ disconnect: () => events.stop() })
      await events.start()
      return { cluster, events }
    }

    const order = (i: number) => ({ id: `order-${i}`, customer: `c-${i % 3}`, total: 10 * i })

    it('publishes an order keyed by its id, gzip-compressed, with its headers, on the Java-compatible partition', async () => {
      const { cluster, events } = await start()
      const written = await events.orderPlaced(order(7), 'corr-7')
      const partition = toPositive(murmur2(Buffer.from('order-7'))) % 6
      expect(written).toMatchObject({ topicName: 'orders', partition, errorCode: 0, baseOffset: '0' })
      const [record] = cluster.records('orders')
      expect(record).toMatchObject({ partition, compression: 1 })
      expect(JSON.parse(String(record?.value))).toEqual(order(7))
      expect(record?.headers.map((h) => [h.key, String(h.value)])).toEqual([
        ['event-type', 'order-placed'],
        ['correlation-id', 'corr-7'],
      ])
      expect(events.produceLatencies.length).toBeGreaterThan(0)
    })

    it('imports orders to two topics in one call', async () => {
      const { cluster, events } = await start()
      const orders = Array.from({ length: 12 }, (_, i) => order(i))
      const written = await events.ordersImported(orders)
      expect(written.filter((w) => w.topicName === 'audit')).toEqual([
        expect.objectContaining({ topicName: 'audit', partition: 0, baseOffset: '0' }),
      ])
      const partitions = written.filter((w) => w.topicName === 'orders').map((w) => w.partition)
      expect(new Set(partitions).size).toBe(partitions.length)
      expect(cluster.records('orders')).toHaveLength(12)
      expect(cluster.records('audit').map((r) => String(r.value))).toEqual(orders.map((o) => `imported ${o.id}`))
    })

    it('settles payments and commits the consumed offset in one transaction', async () => {
      const { cluster, events } = await start()
      await events.settle(
        [
          { orderId: 'order-1', amount: 10, offset: '41' },
          { orderId: 'order-2', amount: 20, offset: '42' },
        ],
        'settler',
      )
      expect(
        cluster
          .records('ledger', { isolation: 'read_committed' })
          .map((r) => String(r.value))
          .sort(),
      ).toEqual(['+10', '+20'])
      expect(cluster.committedOffsets('settler').get('payments:0')).toBe(43n)
    })

    it('tells a retriable failure from a refusal, by kafkajs’s error classes', async () => {
      const { cluster, events } = await start()
      await events.orderPlaced(order(1), 'warm-up') // metadata loaded
      cluster.failNext('Produce', { errorCode: 29, topic: 'orders' }) // TOPIC_AUTHORIZATION_FAILED
      expect(await events.tryPublish(order(2))).toBe('rejected')
      cluster.failNext('Produce', { errorCode: 7, topic: 'orders', count: 100 }) // REQUEST_TIMED_OUT, each retry
      expect(await events.tryPublish(order(3))).toBe('retry-later')
      cluster.clearFailures()
      expect(await events.tryPublish(order(4))).toBe('sent')
    })
  })
}
