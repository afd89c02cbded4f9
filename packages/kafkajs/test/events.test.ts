import diagnosticsChannel from 'node:diagnostics_channel'
import { TRIBUTARY_CHANNELS } from '@tributary/core'
import { describe, expect, it } from 'vitest'
import type { InstrumentationEvent, RequestEvent } from '../src/index.js'
import { secureRandom, setup } from './helpers.js'

describe('instrumentation events', () => {
  const t = setup()

  it('emits a REQUEST per Produce request with its broker, size and duration', async () => {
    const topic = `events-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
    const producer = t.producer(cluster)
    const requests: RequestEvent[] = []
    producer.on(producer.events.REQUEST, (e) => requests.push(e))
    await producer.connect()
    await producer.send({ topic, messages: [{ value: 'x'.repeat(100) }] })
    const produce = requests.filter((e) => e.payload.apiName === 'Produce')
    expect(produce).toHaveLength(1)
    const leader = cluster.brokers.find((b) => b.nodeId === cluster.leaderOf(topic, 0))
    expect(produce[0]).toMatchObject({
      type: 'producer.network.request',
      payload: { apiKey: 0, broker: `${leader?.host}:${leader?.port}`, clientId: expect.any(String) },
    })
    expect(produce[0]?.payload.size).toBeGreaterThan(100)
    expect(produce[0]?.payload.duration).toBeGreaterThanOrEqual(0)
    expect(requests.map((e) => e.payload.apiName)).toEqual(
      expect.arrayContaining(['ApiVersions', 'Metadata', 'Produce']),
    )
  })

  it('gives a producer only its own client id’s requests', async () => {
    const topic = `events-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
    const a = t.producer(cluster, {}, { clientId: 'client-a' })
    const b = t.producer(cluster, {}, { clientId: 'client-b' })
    const seen: Array<InstrumentationEvent<{ clientId: string }>> = []
    a.on(a.events.REQUEST, (e) => seen.push(e))
    await a.connect()
    await b.connect()
    await b.send({ topic, messages: [{ value: 'from b' }] })
    await a.send({ topic, messages: [{ value: 'from a' }] })
    expect(seen.length).toBeGreaterThan(0)
    expect(new Set(seen.map((e) => e.payload.clientId))).toEqual(new Set(['client-a']))
  })

  it('keeps the producer going when a listener throws or rejects, and removes a listener', async () => {
    const topic = `events-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
    const logged: string[] = []
    const producer = t.producer(
      cluster,
      {},
      { logLevel: 1, logCreator: () => (entry) => logged.push(entry.log.message) },
    )
    producer.on(producer.events.CONNECT, () => {
      throw new Error('sync listener failure')
    })
    producer.on(producer.events.CONNECT, async () => {
      throw new Error('async listener failure')
    })
    let calls = 0
    const remove = producer.on(producer.events.DISCONNECT, () => {
      calls++
    })
    await producer.connect()
    await producer.send({ topic, messages: [{ value: 'still sent' }] })
    await producer.disconnect()
    remove()
    await producer.connect()
    await producer.disconnect()
    expect(calls).toBe(1)
    await expect
      .poll(() => logged)
      .toEqual(
        expect.arrayContaining([
          'Failed to execute listener: sync listener failure',
          'Failed to execute listener: async listener failure',
        ]),
      )
  })

  it('subscribes to the channels only while a listener needs them, and not after disconnect', async () => {
    const cluster = await t.cluster()
    const request = diagnosticsChannel.tracingChannel(TRIBUTARY_CHANNELS.request)
    const subscribed = () => (request as unknown as { asyncEnd: { hasSubscribers: boolean } }).asyncEnd.hasSubscribers
    const producer = t.producer(cluster)
    expect(subscribed()).toBe(false)
    const remove = producer.on(producer.events.REQUEST, () => {})
    expect(subscribed()).toBe(true)
    remove()
    expect(subscribed()).toBe(false)
    producer.on(producer.events.REQUEST_TIMEOUT, () => {})
    await producer.connect()
    expect(subscribed()).toBe(true)
    await producer.disconnect()
    expect(subscribed()).toBe(false)
    await producer.connect()
    expect(subscribed()).toBe(true)
    await producer.disconnect()
  })
})
