// Deterministic pseudo-random numbers, so every run of a test sends the same data and a failure can
// be reproduced from its seed.

/** mulberry32: a small, fast PRNG with a 32-bit seed; numbers in [0, 1), as Math.random gives. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
