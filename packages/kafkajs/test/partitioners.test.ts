import { Partitioners as KafkajsPartitioners } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { type PartitionerArgs, Partitioners, type PartitionMetadata } from '../src/index.js'
import { secureRandom, setup } from './helpers.js'

const metadata = (count: number, leaderless: number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : partitionId % 3,
    replicas: [partitionId % 3],
    isr: [partitionId % 3],
  }))

const keys = Array.from({ length: 500 }, (_, i) =>
  i % 2 === 0 ? `key-${i}-${secureRandom()}` : Buffer.from(secureRandom(), 'hex'),
)

describe('Partitioners', () => {
  const t = setup()

  for (const name of ['DefaultPartitioner', 'LegacyPartitioner', 'JavaCompatiblePartitioner'] as const) {
    it(`${name}() chooses kafkajs's partition for every keyed message`, () => {
      const mine = Partitioners[name]()
      const theirs = KafkajsPartitioners[name]()
      for (const count of [1, 3, 6, 17]) {
        const partitionMetadata = metadata(count)
        for (const key of keys) {
          const args = { topic: 't', partitionMetadata, message: { key, value: 'v' } }
          expect(mine(args)).toBe(theirs(args as never))
        }
      }
    })

    it(`${name}() keeps a message's partition`, () => {
      const args = { topic: 't', partitionMetadata: metadata(6), message: { key: 'k', value: 'v', partition: 4 } }
      expect(Partitioners[name]()(args)).toBe(4)
    })
  }

  it('DefaultPartitioner() spreads messages without a key round-robin over partitions with a leader, as kafkajs', () => {
    const partition = Partitioners.DefaultPartitioner()
    const partitionMetadata = metadata(6, [2, 4])
    const chosen = Array.from({ length: 8 }, () =>
      partition({ topic: 't', partitionMetadata, message: { value: 'v' } }),
    )
    expect(new Set(chosen)).toEqual(new Set([0, 1, 3, 5]))
    for (let i = 4; i < chosen.length; i++) expect(chosen[i]).toBe(chosen[i - 4])
  })

  for (const name of ['DefaultPartitioner', 'LegacyPartitioner'] as const) {
    it(`a producer with ${name} writes keyed messages where a kafkajs producer with it does`, async () => {
      const topic = `partitioned-${secureRandom()}`
      const cluster = await t.cluster({ topics: [{ name: topic, partitions: 7 }] })
      const messages = keys.slice(0, 100).map((key, i) => ({ key, value: `m-${i}` }))
      const theirs = t.track(t.kafkajs(cluster).producer({ createPartitioner: KafkajsPartitioners[name] }))
      await theirs.connect()
      await theirs.send({ topic, messages })
      const ours = t.producer(cluster, { createPartitioner: Partitioners[name] })
      await ours.connect()
      await ours.send({ topic, messages })
      const where = new Map<string, number[]>()
      for (const r of cluster.records(topic)) {
        const list = where.get(String(r.value)) ?? []
        list.push(r.partition)
        where.set(String(r.value), list)
      }
      expect(where.size).toBe(100)
      for (const [value, partitions] of where) {
        expect(partitions, value).toHaveLength(2)
        expect(partitions[0], value).toBe(partitions[1])
      }
    })
  }

  it('calls a custom partitioner with kafkajs’s arguments: the topic, the partition metadata and the message as given', async () => {
    const topic = `custom-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 4 }] })
    const calls: PartitionerArgs[] = []
    const producer = t.producer(cluster, {
      createPartitioner: () => (args) => {
        calls.push(args)
        return Number(String(args.message.headers?.route ?? '0'))
      },
    })
    await producer.connect()
    const result = await producer.send({
      topic,
      messages: [
        { key: 'a', value: 'to 3', headers: { route: '3' } },
        { key: Buffer.from('b'), value: 'to 1', headers: { route: '1' } },
        { value: 'to 0', partition: 2 }, // the partitioner decides, as in kafkajs
      ],
    })
    expect(calls.map((c) => c.message.key)).toEqual(['a', Buffer.from('b'), undefined])
    expect(calls[0]?.topic).toBe(topic)
    expect(calls[0]?.partitionMetadata.map((p) => [p.partitionId, p.leader])).toEqual(
      [0, 1, 2, 3].map((p) => [p, cluster.leaderOf(topic, p)]),
    )
    expect(cluster.records(topic).map((r) => [r.partition, r.value?.toString()])).toEqual([
      [0, 'to 0'],
      [1, 'to 1'],
      [3, 'to 3'],
    ])
    expect(result.map((r) => r.partition)).toEqual([0, 1, 3])
  })

  it('rejects the send when a custom partitioner returns no partition of the topic, or throws', async () => {
    const topic = `custom-${secureRandom()}`
    const cluster = await t.cluster({ topics: [{ name: topic, partitions: 2 }] })
    const broken = t.producer(cluster, { createPartitioner: () => () => 5 })
    await broken.connect()
    await expect(broken.send({ topic, messages: [{ value: 'x' }] })).rejects.toMatchObject({
      name: 'KafkaJSNonRetriableError',
      message: `The partitioner returned 5 for a message to topic "${topic}", which has 2 partitions`,
    })
    const failure = new Error('partitioner failed')
    const throwing = t.producer(cluster, {
      createPartitioner: () => () => {
        throw failure
      },
    })
    await throwing.connect()
    // kafkajs rejects with what the partitioner threw, as it is.
    await expect(throwing.send({ topic, messages: [{ value: 'x' }] })).rejects.toBe(failure)
    expect(cluster.records(topic)).toEqual([])
  })
})
