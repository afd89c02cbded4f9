import { describe, expect, it } from 'vitest'
import { RecordAccumulator } from '../../src/producer/accumulator.js'
import type { ProducerBatch } from '../../src/producer/batch.js'
import type { CompletionTarget } from '../../src/producer/completion.js'
import { Reader } from '../../src/protocol/buffer/reader.js'
import { readRecord, recordSize } from '../../src/protocol/records/record.js'

const target: CompletionTarget = { settle: () => {} }

function add(acc: RecordAccumulator, partition: number, value: string, timeoutMs = 1_000, now = 1_000) {
  const q = acc.queue('t', partition)
  const bytes = Buffer.from(value)
  const size = recordSize(0, 0, null, bytes)
  return acc.append(q, size, now, now, null, bytes, undefined, target, 0, now + timeoutMs, timeoutMs)
}

describe('RecordAccumulator', () => {
  it('appends records of a partition into one open batch until the next would pass batchBytes', () => {
    const acc = new RecordAccumulator({ batchBytes: 200, bufferBytes: 10_000 })
    const first = add(acc, 0, 'x'.repeat(50))
    const second = add(acc, 0, 'y'.repeat(50))
    expect(second.batch).toBe(first.batch)
    const third = add(acc, 0, 'z'.repeat(90))
    expect(third.batch).not.toBe(first.batch)
    expect(third.closedFull).toBe(first.batch)
    expect(acc.queue('t', 0).batches).toHaveLength(2)
  })

  it('keeps a record in the open batch when only its upper-bound estimate, not its exact size, would pass batchBytes', () => {
    const acc = new RecordAccumulator({ batchBytes: 200, bufferBytes: 10_000 })
    const q = acc.queue('t', 0)
    const first = add(acc, 0, 'x'.repeat(50))
    const value = 'y'.repeat(50)
    // A string value's bound counts three bytes a character; its UTF-8 is 50 bytes and fits.
    const second = acc.append(q, 3 * 50 + 10, 1_000, 1_000, null, value, undefined, target, 1, 2_000, 1_000)
    expect(second.batch).toBe(first.batch)
    expect(second.closedFull).toBeUndefined()
    expect(first.batch.recordCount).toBe(2)
  })

  it('starts a new batch for a record with another delivery timeout, so a batch shares one deadline', () => {
    const acc = new RecordAccumulator({ batchBytes: 10_000, bufferBytes: 10_000 })
    const a = add(acc, 0, 'a', 1_000)
    const b = add(acc, 0, 'b', 5_000)
    expect(b.batch).not.toBe(a.batch)
    expect([a.batch.deadline, b.batch.deadline]).toEqual([2_000, 6_000])
  })

  it('counts buffered bytes until release, and lets one record in even when it alone exceeds the buffer', () => {
    const acc = new RecordAccumulator({ batchBytes: 10_000, bufferBytes: 100 })
    expect(acc.hasRoom(500)).toBe(true)
    const { batch } = add(acc, 0, 'x'.repeat(80))
    expect(acc.hasRoom(50)).toBe(false)
    acc.release(batch)
    expect(acc.bufferedBytes).toBe(0)
    expect(acc.hasRoom(50)).toBe(true)
  })

  it('splits a batch into two halves that hold its records in order, with the same buffer count', () => {
    const acc = new RecordAccumulator({ batchBytes: 10_000, bufferBytes: 100_000 })
    const values = ['a', 'bb', 'ccc', 'dddd', 'eeeee']
    let batch = add(acc, 0, values[0] as string).batch
    for (const v of values.slice(1)) batch = add(acc, 0, v).batch
    const q = acc.queue('t', 0)
    q.batches.shift()
    batch.sequence = 10
    const before = acc.bufferedBytes
    const [first, second] = acc.split(q, batch)
    expect([first.recordCount, second.recordCount]).toEqual([3, 2])
    expect([first.sequence, second.sequence]).toEqual([10, 13])
    expect(q.batches).toEqual([first, second])
    expect(acc.bufferedBytes).toBe(before)
    const read = (b: typeof first) => {
      const r = new Reader(b.records())
      return Array.from({ length: b.recordCount }, () => readRecord(r).value?.toString())
    }
    expect([...read(first), ...read(second)]).toEqual(values)
  })

  it('hands a finished batch’s memory to the next batch, which settles only its own records', () => {
    const acc = new RecordAccumulator({ batchBytes: 10_000, bufferBytes: 100_000 })
    const settled: string[] = []
    const tracking = (name: string): CompletionTarget => ({
      settle: (i, error) => settled.push(`${name}${i}:${error === null ? 'ok' : 'failed'}`),
    })
    const q = acc.queue('t', 0)
    const appendTo = (name: string, count: number) => {
      let batch: ProducerBatch | undefined
      for (let i = 0; i < count; i++) {
        batch = acc.append(q, 100, 1_000, 1_000, null, `${name}${i}`, undefined, tracking(name), i, 2_000, 1_000).batch
      }
      if (batch === undefined) throw new Error('no batch')
      batch.closed = true
      q.batches.shift()
      return batch
    }
    const first = appendTo('a', 3)
    first.complete(10n, -1n)
    acc.release(first)
    const second = appendTo('b', 2)
    expect(settled).toEqual(['a0:ok', 'a1:ok', 'a2:ok'])
    // A batch released before it was done (split: its records moved to two new batches) must not
    // reach the records now in its arrays.
    acc.release(second)
    const third = appendTo('c', 1)
    second.fail(new Error('late'))
    second.complete(10n, -1n)
    expect(settled).toEqual(['a0:ok', 'a1:ok', 'a2:ok'])
    third.fail(new Error('broker gone'))
    expect(settled.slice(3)).toEqual(['c0:failed'])
    const r = new Reader(third.records())
    expect([readRecord(r).value?.toString(), r.remaining]).toEqual(['c0', 0])
  })
})
