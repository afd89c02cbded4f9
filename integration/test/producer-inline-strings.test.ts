import type { PartitionerInput } from '@tributary/core'
import { useHarness } from '@tributary/test-support/harness'
import { describe, expect, it } from 'vitest'

// Strings given to the built-in serializers go into batches as UTF-8 without a Buffer of their own;
// what a partitioner, the broker and a reader see must not change.

describe('Producer with string keys, values and headers', () => {
  const h = useHarness({ producer: { logger: {} } })

  it('gives a custom partitioner Buffers, as the Partitioner interface promises', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 3 }] })
    const seen: PartitionerInput[] = []
    const p = h.producer({
      bootstrapBrokers: c.bootstrapBrokers,
      partitioner: {
        partition: (input) => {
          seen.push(input)
          return 2
        },
      },
    })
    await p.send({ topic: 't', key: 'k-é', value: 'v-ü', headers: { h: 'x-ß' } })
    expect(Buffer.isBuffer(seen[0]?.key)).toBe(true)
    expect(seen[0]?.key?.toString('utf8')).toBe('k-é')
    expect(seen[0]?.value?.toString('utf8')).toBe('v-ü')
    expect(seen[0]?.headers?.map((x) => [x.key, x.value?.toString('utf8')])).toEqual([['h', 'x-ß']])
    expect(Buffer.isBuffer(seen[0]?.headers?.[0]?.value)).toBe(true)
  })

  it('stores the same bytes for a string as for its UTF-8 Buffer', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers })
    const text = 'naïve ☕ 🦀'
    await p.send({ topic: 't', key: text, value: text, headers: [['h', text]] })
    await p.send({ topic: 't', key: Buffer.from(text), value: Buffer.from(text), headers: [['h', Buffer.from(text)]] })
    const [a, b] = c.records('t')
    expect(a?.key).toEqual(b?.key)
    expect(a?.value).toEqual(b?.value)
    expect(a?.headers).toEqual(b?.headers)
    expect(a?.value?.toString('utf8')).toBe(text)
  })

  it('keeps each record’s headers object, whether the record is encoded at once or waits for metadata', async () => {
    // Objects of strings are read into a list the producer reuses; a record that must wait (here for
    // the topic's metadata, before connect) keeps a copy, so later records cannot change its headers.
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers })
    const headersOf = (i: number): Record<string, string> => {
      const headers: Record<string, string> = { 'content-type': 'application/json', n: `r${i}` }
      if (i % 3 === 0) headers.extra = 'é'.repeat(i)
      return headers
    }
    const waiting = Array.from({ length: 20 }, (_, i) => p.send({ topic: 't', value: `v${i}`, headers: headersOf(i) }))
    await Promise.all(waiting)
    for (let i = 20; i < 40; i++) await p.send({ topic: 't', value: `v${i}`, headers: headersOf(i) })
    const stored = c.records('t')
    expect(stored).toHaveLength(40)
    stored.forEach((record, i) => {
      expect(record.value?.toString('utf8')).toBe(`v${i}`)
      const decoded = record.headers.map((x) => [x.key, x.value?.toString('utf8')])
      expect(decoded, `record ${i}`).toEqual(Object.entries(headersOf(i)))
    })
  })

  it('encodes a header getter’s value once, and skips inherited properties, as for any headers object', async () => {
    const c = await h.start({ topics: [{ name: 't', partitions: 1 }] })
    const p = h.producer({ bootstrapBrokers: c.bootstrapBrokers })
    await p.connect()
    let reads = 0
    const changing = {
      get trace(): string {
        reads++
        return 'x'.repeat(reads * 70)
      },
    }
    const inherited = Object.create({ inherited: 'no' }) as Record<string, string>
    inherited.own = 'yes'
    await p.send({ topic: 't', value: 'a', headers: changing })
    await p.send({ topic: 't', value: 'b', headers: inherited })
    const [a, b] = c.records('t')
    expect(a?.headers).toHaveLength(1)
    expect(a?.headers[0]?.value?.toString('utf8')).toBe('x'.repeat(reads * 70))
    expect(b?.headers.map((x) => [x.key, x.value?.toString('utf8')])).toEqual([['own', 'yes']])
  })
})
