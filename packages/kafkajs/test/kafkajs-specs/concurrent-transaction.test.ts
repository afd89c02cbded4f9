// kafkajs's src/producer/__tests__/concurrentTransaction.spec.js (kafkajs 2.2.4), rewritten against
// this package and the mock cluster.
import { beforeEach, describe, expect, it } from 'vitest'
import type { Transaction } from '../../src/index.js'
import { secureRandom, setup } from '../helpers.js'

describe('Producer > Transactional producer (kafkajs src/producer/__tests__/concurrentTransaction.spec.js)', () => {
  const t = setup()
  let topicName: string
  let transactionalId: string
  let message: { key: string; value: string }

  beforeEach(() => {
    topicName = `test-topic-${secureRandom()}`
    transactionalId = `transactional-id-${secureRandom()}`
    message = { key: `key-${secureRandom()}`, value: `value-${secureRandom()}` }
  })

  describe('when there is an ongoing transaction on connect', () => {
    it('retries initProducerId to cancel the ongoing transaction', async () => {
      const cluster = await t.cluster({ topics: [{ name: topicName, partitions: 1 }] })
      const newProducer = () => t.producer(cluster, { idempotent: true, transactionalId, transactionTimeout: 100 })

      // Producer 1 will create a transaction and "crash", it will never commit or abort the connection
      const producer1 = newProducer()
      await producer1.connect()
      const transaction1 = await producer1.transaction()
      await transaction1.send({ topic: topicName, messages: [message] })

      // Producer 2 starts with the same transactional id to cause the concurrent transactions error
      const producer2 = newProducer()
      await producer2.connect()
      let transaction2: Transaction | undefined
      await expect(producer2.transaction().then((t2) => (transaction2 = t2))).resolves.toBeTruthy()
      await transaction2?.send({ topic: topicName, messages: [message] })
      await transaction2?.commit()

      // Only the second producer's message is visible to read_committed consumers.
      expect(cluster.records(topicName, { isolation: 'read_committed' })).toHaveLength(1)
      // The first producer was fenced: its transaction cannot commit.
      await expect(transaction1.commit()).rejects.toThrow()
    })
  })
})
