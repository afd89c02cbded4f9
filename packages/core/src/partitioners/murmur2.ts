const SEED = 0x9747b28c
const M = 0x5bd1e995
const R = 24

/**
 * The 32-bit murmur2 hash exactly as Kafka's Java client computes it (`Utils.murmur2`), returned as
 * the same signed 32-bit integer, so keys land on the partitions every Java-compatible client chooses.
 */
export function murmur2(key: Uint8Array): number {
  const length = key.length
  let h = SEED ^ length
  const whole = length & ~3
  for (let i = 0; i < whole; i += 4) {
    let k =
      (key[i] as number) |
      ((key[i + 1] as number) << 8) |
      ((key[i + 2] as number) << 16) |
      ((key[i + 3] as number) << 24)
    k = Math.imul(k, M)
    k ^= k >>> R
    k = Math.imul(k, M)
    h = Math.imul(h, M)
    h ^= k
  }
  const rest = length & 3
  if (rest !== 0) {
    if (rest === 3) h ^= (key[whole + 2] as number) << 16
    if (rest >= 2) h ^= (key[whole + 1] as number) << 8
    h ^= key[whole] as number
    h = Math.imul(h, M)
  }
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h
}

/**
 * Kafka's `Utils.toPositive`: clears the sign bit, so a negative hash maps to a non-negative number
 * (not its absolute value) exactly as the Java client does before taking the modulo.
 */
export function toPositive(n: number): number {
  return n & 0x7fffffff
}
