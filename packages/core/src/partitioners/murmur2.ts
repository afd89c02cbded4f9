import { Buffer } from 'node:buffer'

const SEED = 0x9747b28c
const M = 0x5bd1e995
const R = 24

/**
 * The 32-bit murmur2 hash exactly as Kafka's Java client computes it (`Utils.murmur2`), returned as
 * the same signed 32-bit integer, so keys land on the partitions every Java-compatible client chooses.
 */
export function murmur2(key: Uint8Array): number {
  return murmur2Of(key, key.length)
}

/** `murmur2` of the first `length` bytes of `bytes`. */
function murmur2Of(bytes: Uint8Array, length: number): number {
  let h = SEED ^ length
  const whole = length & ~3
  for (let i = 0; i < whole; i += 4) {
    const k =
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24)
    h = mix(h, k)
  }
  const rest = length & 3
  if (rest !== 0) {
    if (rest === 3) h ^= (bytes[whole + 2] as number) << 16
    if (rest >= 2) h ^= (bytes[whole + 1] as number) << 8
    h ^= bytes[whole] as number
    h = Math.imul(h, M)
  }
  return finish(h)
}

function mix(h: number, word: number): number {
  let k = Math.imul(word, M)
  k ^= k >>> R
  k = Math.imul(k, M)
  return Math.imul(h, M) ^ k
}

function finish(hash: number): number {
  let h = hash
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h
}

/** Reused for the UTF-8 bytes of a non-ASCII key while it is hashed. */
let scratch = Buffer.allocUnsafe(256)

/**
 * `murmur2` of a string's UTF-8 bytes, without a Buffer for them: an ASCII string is hashed from its
 * character codes (they are its UTF-8 bytes), any other is encoded into a reused buffer first.
 */
export function murmur2Utf8(text: string): number {
  const length = text.length
  let h = SEED ^ length
  const whole = length & ~3
  let i = 0
  for (; i < whole; i += 4) {
    const a = text.charCodeAt(i)
    const b = text.charCodeAt(i + 1)
    const c = text.charCodeAt(i + 2)
    const d = text.charCodeAt(i + 3)
    if ((a | b | c | d) >= 0x80) return murmur2OfEncoded(text)
    h = mix(h, a | (b << 8) | (c << 16) | (d << 24))
  }
  const rest = length & 3
  if (rest !== 0) {
    const a = text.charCodeAt(whole)
    const b = rest >= 2 ? text.charCodeAt(whole + 1) : 0
    const c = rest === 3 ? text.charCodeAt(whole + 2) : 0
    if ((a | b | c) >= 0x80) return murmur2OfEncoded(text)
    h ^= (c << 16) | (b << 8) | a
    h = Math.imul(h, M)
  }
  return finish(h)
}

/** Keys longer than this (in UTF-8 bytes at most) get a Buffer of their own, so the kept one stays small. */
const MAX_SCRATCH_BYTES = 64 * 1024

function murmur2OfEncoded(text: string): number {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  const bound = text.length * 3
  if (bound > MAX_SCRATCH_BYTES) return murmur2(Buffer.from(text, 'utf8'))
  if (bound > scratch.length)
    scratch = Buffer.allocUnsafe(Math.min(MAX_SCRATCH_BYTES, Math.max(bound, scratch.length * 2)))
  return murmur2Of(scratch, scratch.write(text, 0, 'utf8'))
}

/**
 * Kafka's `Utils.toPositive`: clears the sign bit, so a negative hash maps to a non-negative number
 * (not its absolute value) exactly as the Java client does before taking the modulo.
 */
export function toPositive(n: number): number {
  return n & 0x7fffffff
}
