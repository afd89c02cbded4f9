import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ProducerFencedError } from '../../src/errors/producer-fenced-error.js'
import { TimeoutError } from '../../src/errors/timeout-error.js'
import { TransactionStateError } from '../../src/errors/transaction-state-error.js'
import type { BrokerPool } from '../../src/network/broker-pool.js'
import { TransactionManager } from '../../src/producer/transactions.js'
import { ErrorCodes } from '../../src/protocol/error-codes.js'
import { ProducerIdentity } from '../../src/sender/producer-id.js'

// The transaction manager on a fake coordinator: no sockets, the answers scripted per API.

type Answer = (request: Record<string, unknown>) => Record<string, unknown>

/** A coordinator that answers each API with its next scripted answer, then as a healthy coordinator does. */
function fakeCoordinator(script: Record<string, Answer[]>) {
  const calls: Array<{ api: string; request: Record<string, unknown> }> = []
  let epoch = 0
  const defaults: Record<string, Answer> = {
    FindCoordinator: () => ({
      errorCode: 0,
      coordinators: [{ key: 'tx', nodeId: 1, host: '127.0.0.1', port: 9092, errorCode: 0, errorMessage: null }],
    }),
    InitProducerId: (r) => {
      if (r.producerId !== -1n) epoch = (r.producerEpoch as number) + 1
      return { errorCode: 0, producerId: 42n, producerEpoch: epoch }
    },
    AddPartitionsToTxn: (r) => ({
      resultsByTopicV3AndBelow: (r.v3AndBelowTopics as Array<{ name: string; partitions: number[] }>).map((t) => ({
        name: t.name,
        resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: 0 })),
      })),
    }),
    EndTxn: () => ({ errorCode: 0 }),
  }
  const connection = {
    version: () => 4,
    send: async (api: { name: string }, request: Record<string, unknown>) => {
      calls.push({ api: api.name, request })
      const answer = script[api.name]?.shift()
      return (answer ?? defaults[api.name] ?? (() => ({ errorCode: 0 })))(request)
    },
  }
  const pool = {
    any: async () => connection,
    get: async () => connection,
    setBrokers: () => {},
  }
  return { pool: pool as unknown as BrokerPool, calls }
}

function manager(script: Record<string, Answer[]> = {}) {
  const { pool, calls } = fakeCoordinator(script)
  const identity = new ProducerIdentity(pool, {
    transactionTimeoutMs: 60_000,
    backoff: { initialMs: 100, maxMs: 1000 },
  })
  const txn = new TransactionManager(pool, identity, {
    transactionalId: 'tx',
    transactionTimeoutMs: 60_000,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 1000,
    operationTimeoutMs: 5_000,
  })
  return { txn, identity, calls }
}

describe('TransactionManager', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('gets the producer id and epoch for its transactional id from the coordinator', async () => {
    const { txn, identity, calls } = manager()
    await txn.init()
    expect([identity.producerId, identity.producerEpoch]).toEqual([42n, 0])
    expect(calls.map((c) => c.api)).toEqual(['FindCoordinator', 'InitProducerId'])
    expect(calls[1]?.request).toMatchObject({ transactionalId: 'tx', producerId: -1n, producerEpoch: -1 })
  })

  it('retries COORDINATOR_LOAD_IN_PROGRESS with backoff until the coordinator answers', async () => {
    const loading: Answer = () => ({ errorCode: ErrorCodes.COORDINATOR_LOAD_IN_PROGRESS })
    const { txn, identity, calls } = manager({ InitProducerId: [loading, loading] })
    const done = txn.init()
    await vi.advanceTimersByTimeAsync(1_000)
    await done
    expect(calls.filter((c) => c.api === 'InitProducerId')).toHaveLength(3)
    expect(identity.producerId).toBe(42n)
  })

  it('gives up with a TimeoutError naming the API and the last error when the coordinator never becomes available', async () => {
    const unavailable: Answer = () => ({ errorCode: ErrorCodes.COORDINATOR_NOT_AVAILABLE })
    const { txn } = manager({ InitProducerId: Array.from({ length: 1_000 }, () => unavailable) })
    const done = txn.init().then(
      () => undefined,
      (error: Error) => error,
    )
    await vi.advanceTimersByTimeAsync(6_000)
    const error = await done
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect(error?.message).toMatch(/InitProducerId for transactionalId 'tx'.*COORDINATOR_NOT_AVAILABLE/)
  })

  it('is fenced for good by PRODUCER_FENCED: begin and sends fail with ProducerFencedError', async () => {
    const { txn } = manager({ EndTxn: [() => ({ errorCode: ErrorCodes.PRODUCER_FENCED })] })
    await txn.init()
    txn.begin()
    txn.isAdded('t', 0)
    await vi.advanceTimersByTimeAsync(0)
    await expect(txn.end(true)).rejects.toSatisfy((e: unknown) => ProducerFencedError.isInstance(e))
    expect(ProducerFencedError.isInstance(txn.sendError())).toBe(true)
    expect(() => txn.begin()).toThrow(/fenced/i)
  })

  it('can only abort after a record failed; the abort bumps the epoch (KIP-360) when the sequences broke', async () => {
    const { txn, identity, calls } = manager()
    let restarted = 0
    txn.onEpochBumped = () => restarted++
    await txn.init()
    txn.begin()
    txn.isAdded('t', 0)
    await vi.advanceTimersByTimeAsync(0)
    const failure = new Error('OUT_OF_ORDER_SEQUENCE_NUMBER')
    txn.markAbortable(failure)
    txn.requireEpochBump()
    expect(txn.abortError).toBe(failure)
    expect(() => txn.checkCommittable()).toThrow(TransactionStateError)
    await txn.end(false)
    const bump = calls.filter((c) => c.api === 'InitProducerId').at(-1)
    expect(bump?.request).toMatchObject({ transactionalId: 'tx', producerId: 42n, producerEpoch: 0 })
    expect(identity.producerEpoch).toBe(1)
    expect(restarted).toBe(1)
    expect(txn.abortError).toBeUndefined()
    txn.begin()
    expect(txn.sendError()).toBeUndefined()
  })

  it('does not bump the epoch on an abort when the sequences are intact', async () => {
    const { txn, calls } = manager()
    await txn.init()
    txn.begin()
    txn.isAdded('t', 0)
    await vi.advanceTimersByTimeAsync(0)
    await txn.end(false)
    expect(calls.filter((c) => c.api === 'InitProducerId')).toHaveLength(1)
    expect(calls.at(-1)?.request).toMatchObject({ committed: false })
  })
})
