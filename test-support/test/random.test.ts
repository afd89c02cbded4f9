import { describe, expect, it } from 'vitest'
import { prng } from '../src/random.js'

describe('prng (mulberry32)', () => {
  it('gives the same numbers in [0, 1) for the same seed, and others for another seed', () => {
    const a = prng(42)
    const b = prng(42)
    const first = Array.from({ length: 1000 }, () => a())
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first)
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(prng(43)()).not.toBe(first[0])
  })

  it('is mulberry32: seed 1 starts 0.6270739405881613, as every mulberry32 does', () => {
    const next = prng(1)
    expect([next(), next(), next()].map((x) => Math.floor(x * 2 ** 32))).toEqual([2693262067, 11749833, 2265367787])
  })
})
