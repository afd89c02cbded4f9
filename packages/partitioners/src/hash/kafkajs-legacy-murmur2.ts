/* Ported expression for expression from kafkajs 2.2.4 (src/producer/partitioners/legacy/murmur2.js):
 * its arithmetic is deliberately reproduced, quirks included, because the point is to return what
 * kafkajs's LegacyPartitioner returns. Those quirks: the multiplications are done in floating point
 * (`k *= M` on a 32-bit value loses low bits once the product passes 2^53), the loop runs
 * ceil(length / 4) times (reading past the end as 0, so the tail bytes are mixed in twice), and
 * the result is converted back to a 32-bit integer only by the XORs. */

const SEED = 0x9747b28c
const M = 0x5bd1e995
const R = 24

/** kafkajs's legacy (pre-2.0 default) murmur2: a signed 32-bit integer, not Java's murmur2. */
export function kafkajsLegacyMurmur2(data: Uint8Array): number {
  const length = data.length
  const byte = (i: number): number => (data[i] ?? 0) & 0xff
  let h = SEED ^ length
  const length4 = length / 4
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4
    let k = byte(i4) + (byte(i4 + 1) << 8) + (byte(i4 + 2) << 16) + (byte(i4 + 3) << 24)
    k *= M
    k ^= k >>> R
    k *= M
    h *= M
    h ^= k
  }
  const whole = length & ~3
  const rest = length % 4
  if (rest === 3) h ^= byte(whole + 2) << 16
  if (rest >= 2) h ^= byte(whole + 1) << 8
  if (rest >= 1) {
    h ^= byte(whole)
    h *= M
  }
  h ^= h >>> 13
  h *= M
  h ^= h >>> 15
  return h
}
