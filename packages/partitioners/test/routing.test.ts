import { Buffer } from 'node:buffer'
import { ConfigError, murmur2 } from '@tributary/core'
import { describe, expect, it } from 'vitest'
import { byHeader, explicit, fromFunction, roundRobin } from '../src/index.js'
import { partitionOf } from './helpers.js'

const headers = (...pairs: Array<[string, string | null]>) =>
  pairs.map(([key, value]) => ({ key, value: value === null ? null : Buffer.from(value) }))

describe('byHeader', () => {
  it('partitions by the murmur2 hash of the header value, as if it were the key', () => {
    const p = byHeader('tenant')
    for (const tenant of ['acme', 'globex', 'initech', '']) {
      expect(partitionOf(p, Buffer.from('some-key'), 12, { headers: headers(['tenant', tenant]) })).toBe(
        (murmur2(Buffer.from(tenant)) & 0x7fffffff) % 12,
      )
    }
  })

  it('uses the last header of that name', () => {
    const p = byHeader('tenant')
    expect(partitionOf(p, null, 50, { headers: headers(['tenant', 'a'], ['x', 'y'], ['tenant', 'b']) })).toBe(
      (murmur2(Buffer.from('b')) & 0x7fffffff) % 50,
    )
  })

  it('falls back to the key (javaDefault) without the header, or to the partitioner given', () => {
    const key = Buffer.from('order-1')
    expect(partitionOf(byHeader('tenant'), key, 9)).toBe((murmur2(key) & 0x7fffffff) % 9)
    expect(partitionOf(byHeader('tenant'), key, 9, { headers: headers(['tenant', null]) })).toBe(
      (murmur2(key) & 0x7fffffff) % 9,
    )
    const p = byHeader('tenant', { fallback: roundRobin() })
    expect([partitionOf(p, key, 3), partitionOf(p, key, 3)]).toEqual([0, 1])
  })

  it('passes batch events to a sticky fallback', () => {
    const closed: Array<[string, number]> = []
    const p = byHeader('h', { fallback: { partition: () => 0, onBatchClosed: (t, n) => closed.push([t, n]) } })
    p.onBatchClosed?.('t', 4)
    expect(closed).toEqual([['t', 4]])
  })

  it('needs a header name', () => {
    expect(() => byHeader('')).toThrow(ConfigError)
  })
})

describe('explicit', () => {
  it('fails a record that names no partition, saying what to do', () => {
    const p = explicit()
    expect(() => partitionOf(p, Buffer.from('k'), 3)).toThrow(ConfigError)
    expect(() => partitionOf(p, null, 3)).toThrow(/record.partition.*topic 't' names no partition/)
  })

  it('reads the partition number from a header', () => {
    const p = explicit({ header: 'partition' })
    expect(partitionOf(p, null, 8, { headers: headers(['partition', '5']) })).toBe(5)
    expect(partitionOf(p, null, 8, { headers: headers(['partition', '0']) })).toBe(0)
    expect(() => partitionOf(p, null, 8, { headers: headers(['partition', '8']) })).toThrow(/from 0 to 7/)
    expect(() => partitionOf(p, null, 8, { headers: headers(['partition', '-1']) })).toThrow(/got '-1'/)
    expect(() => partitionOf(p, null, 8, { headers: headers(['partition', 'two']) })).toThrow(ConfigError)
    expect(() => partitionOf(p, null, 8)).toThrow(/or a 'partition' header/)
  })

  it('sends records without a partition to the fallback when there is one', () => {
    const p = explicit({ header: 'p', fallback: roundRobin() })
    expect([
      partitionOf(p, null, 4),
      partitionOf(p, null, 4, { headers: headers(['p', '3']) }),
      partitionOf(p, null, 4),
    ]).toEqual([0, 3, 1])
  })
})

describe('fromFunction', () => {
  it('makes a partitioner of a function, with an optional batch hook', () => {
    const closed: number[] = []
    const p = fromFunction(
      ({ key, partitionCount }) => (key === null ? 0 : (key[0] as number) % partitionCount),
      (_topic, partition) => closed.push(partition),
    )
    expect(partitionOf(p, Buffer.from([7]), 5)).toBe(2)
    expect(partitionOf(p, null, 5)).toBe(0)
    p.onBatchClosed?.('t', 3)
    expect(closed).toEqual([3])
    expect(fromFunction(() => 1).onBatchClosed).toBeUndefined()
    expect(() => fromFunction('nope' as never)).toThrow(ConfigError)
  })
})
