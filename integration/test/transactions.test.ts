import {
  ConfigError,
  Producer,
  ProducerFencedError,
  type ProducerOptions,
  TransactionStateError,
} from '@tributary/core'
import { ErrorCodes } from '@tributary/core/protocol'
import { useHarness } from '@tributary/test-support/harness'
import { kcat } from '@tributary/test-support/kcat'
import { run } from '@tributary/test-support/processes'
import { python } from '@tributary/test-support/python'
import type { MockCluster } from '@tributary/testing'
import { describe, expect, it } from 'vitest'

const TRANSACTIONAL_PRODUCER_PY = `
import sys
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': sys.argv[1], 'transactional.id': 'py-tx', 'transaction.timeout.ms': 60000})
p.init_transactions(30)
p.begin_transaction()
p.produce('u', key=b'k1', value=b'py-committed-1')
p.produce('u', key=b'k2', value=b'py-committed-2')
p.commit_transaction(30)
p.begin_transaction()
p.produce('u', key=b'k3', value=b'py-aborted')
p.flush(30)
p.abort_transaction(30)
print('done')
`

describe('Transactions against the mock cluster', () => {
  const harness = useHarness()

  const start = (): Promise<MockCluster> =>
    harness.start({ brokers: 3, topics: [{ name: 't', partitions: 3 }, { name: 'u' }] })

  function producer(c: MockCluster, options: Partial<ProducerOptions> = {}): Producer {
    return harness.producer({
      bootstrapBrokers: c.bootstrapBrokers,
      transactionalId: 'tx-1',
      retryBackoffMs: 10,
      ...options,
    })
  }

  const values = (c: MockCluster, topic: string, isolation: 'read_committed' | 'read_uncommitted') =>
    c
      .records(topic, { isolation })
      .map((r) => r.value?.toString())
      .sort()

  it('makes committed records visible to read_committed readers, written as transactional batches', async () => {
    const c = await start()
    const p = producer(c)
    const result = await p.transaction(async (tx) => {
      await tx.send({ topic: 't', key: 'a', value: 'one' })
      await tx.sendBatch([
        { topic: 't', key: 'b', value: 'two' },
        { topic: 'u', value: 'three' },
      ])
      return 'done'
    })
    expect(result).toBe('done')
    expect(values(c, 't', 'read_committed')).toEqual(['one', 'two'])
    expect(values(c, 'u', 'read_committed')).toEqual(['three'])
    expect(c.transaction('tx-1')).toMatchObject({ status: 'committed', epoch: 0 })
    const all = c.records('t')
    expect(all.every((r) => r.producerId === p.producerId)).toBe(true)
  })

  it('hides aborted records from read_committed readers but not from read_uncommitted ones', async () => {
    const c = await start()
    const p = producer(c)
    await expect(
      p.transaction(async (tx) => {
        await tx.send({ topic: 't', value: 'aborted' })
        throw new Error('business rule failed')
      }),
    ).rejects.toThrow('business rule failed')
    await p.transaction(async (tx) => {
      await tx.send({ topic: 't', value: 'committed' })
    })
    expect(values(c, 't', 'read_committed')).toEqual(['committed'])
    expect(values(c, 't', 'read_uncommitted')).toEqual(['aborted', 'committed'])
  })

  it('hides an open transaction from read_committed readers until it commits', async () => {
    const c = await start()
    const p = producer(c)
    await p.connect()
    p.beginTransaction()
    await p.send({ topic: 'u', value: 'pending' })
    expect(values(c, 'u', 'read_committed')).toEqual([])
    expect(values(c, 'u', 'read_uncommitted')).toEqual(['pending'])
    await p.commitTransaction()
    expect(values(c, 'u', 'read_committed')).toEqual(['pending'])
  })

  it('fences the older producer when a second one starts with the same transactionalId', async () => {
    const c = await start()
    const first = producer(c)
    await first.connect()
    first.beginTransaction()
    await first.send({ topic: 'u', value: 'from first' })
    const second = producer(c)
    await second.connect()
    expect(second.producerId).toBe(first.producerId)
    expect(second.producerEpoch).toBe(first.producerEpoch + 1)
    const error = await first.commitTransaction().catch((e: unknown) => e)
    expect(ProducerFencedError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ retriable: false })
    const refused = await first.send({ topic: 'u', value: 'again' }).catch((e: unknown) => e)
    expect(ProducerFencedError.isInstance(refused)).toBe(true)
    await second.transaction(async (tx) => {
      await tx.send({ topic: 'u', value: 'from second' })
    })
    expect(values(c, 'u', 'read_committed')).toEqual(['from second'])
  })

  it('leaves no committed duplicates when a producer dies mid-transaction and a new instance redoes the work', async () => {
    const c = await start()
    const dying = producer(c)
    await dying.connect()
    dying.beginTransaction()
    await dying.sendBatch(Array.from({ length: 50 }, (_, i) => ({ topic: 't', key: `k${i}`, value: `v${i}` })))
    // The process "dies": no commit, no abort, connections gone.
    await dying.close({ timeoutMs: 100 })
    const restarted = producer(c)
    await restarted.transaction(async (tx) => {
      await tx.sendBatch(Array.from({ length: 50 }, (_, i) => ({ topic: 't', key: `k${i}`, value: `v${i}` })))
    })
    const committed = values(c, 't', 'read_committed')
    expect(committed).toHaveLength(50)
    expect(new Set(committed).size).toBe(50)
    expect(values(c, 't', 'read_uncommitted')).toHaveLength(100)
  })

  it('commits consumer offsets with the transaction (consume-transform-produce)', async () => {
    const c = await start()
    const p = producer(c)
    await p.transaction(async (tx) => {
      await tx.send({ topic: 'u', value: 'transformed' })
      await tx.sendOffsets([{ topic: 't', partition: 1, offset: 42n }], { groupId: 'workers', generationId: -1 })
    })
    expect(c.committedOffsets('workers').get('t:1')).toBe(42n)
  })

  it('retries retriable coordinator errors', async () => {
    const c = await start()
    c.failNext('FindCoordinator', { errorCode: ErrorCodes.COORDINATOR_NOT_AVAILABLE, count: 2 })
    c.failNext('InitProducerId', { errorCode: ErrorCodes.COORDINATOR_LOAD_IN_PROGRESS })
    const p = producer(c)
    await p.transaction(async (tx) => {
      await tx.send({ topic: 'u', value: 'after retries' })
    })
    expect(values(c, 'u', 'read_committed')).toEqual(['after retries'])
  })

  it('rejects misuse with clear TransactionStateErrors', async () => {
    const c = await start()
    const p = producer(c)
    await p.connect()
    const outside = await p.send({ topic: 'u', value: 'x' }).catch((e: unknown) => e)
    expect(TransactionStateError.isInstance(outside)).toBe(true)
    expect((outside as Error).message).toMatch(/inside a transaction/)
    await expect(p.commitTransaction()).rejects.toThrow(/without an open transaction/)
    await expect(p.abortTransaction()).rejects.toThrow(/without an open transaction/)
    p.beginTransaction()
    expect(() => p.beginTransaction()).toThrow(/already open/)
    await expect(p.transaction(async () => {})).rejects.toThrow(/already open/)
    await p.abortTransaction()
    const plain = harness.producer({ bootstrapBrokers: c.bootstrapBrokers })
    expect(() => plain.beginTransaction()).toThrow(/transactionalId/)
    expect(() => new Producer({ bootstrapBrokers: c.bootstrapBrokers, transactionalId: 'x', acks: 1 })).toThrow(
      ConfigError,
    )
  })

  it('serves read_committed fetches that kcat filters: aborted records never reach it', async () => {
    const c = await start()
    const p = producer(c)
    await p.transaction(async (tx) => {
      await tx.send({ topic: 'u', value: 'c1' })
    })
    await p
      .transaction(async (tx) => {
        await tx.send({ topic: 'u', value: 'a1' })
        throw new Error('abort')
      })
      .catch(() => {})
    await p.transaction(async (tx) => {
      await tx.send({ topic: 'u', value: 'c2' })
    })
    const read = async (isolation: string) =>
      (
        await kcat(
          [
            '-C',
            '-b',
            c.bootstrapBrokers.join(','),
            '-t',
            'u',
            '-p',
            '0',
            '-o',
            'beginning',
            '-e',
            '-q',
            '-f',
            '%s\n',
            '-X',
            `isolation.level=${isolation}`,
          ],
          { timeoutMs: 30_000 },
        )
      ).stdout
    expect((await read('read_committed')).trim().split('\n')).toEqual(['c1', 'c2'])
    expect((await read('read_uncommitted')).trim().split('\n')).toEqual(['c1', 'a1', 'c2'])
  })

  it("serves Python confluent-kafka's transactional producer: commit, abort and fencing as librdkafka expects", async () => {
    const c = await start()
    const { stdout: out } = await run(python(), ['-c', TRANSACTIONAL_PRODUCER_PY, c.bootstrapBrokers.join(',')], {
      timeoutMs: 30_000,
    })
    expect(out.trim()).toBe('done')
    expect(values(c, 'u', 'read_committed')).toEqual(['py-committed-1', 'py-committed-2'])
    expect(values(c, 'u', 'read_uncommitted')).toEqual(['py-aborted', 'py-committed-1', 'py-committed-2'])
    expect(c.transaction('py-tx')).toMatchObject({ status: 'aborted', epoch: 0 })
    // Our producer with the same transactional id fences the Python one's epoch.
    const ours = producer(c, { transactionalId: 'py-tx' })
    await ours.connect()
    expect(c.transaction('py-tx')?.epoch).toBe(1)
  })
})
