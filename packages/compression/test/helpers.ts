import { readFileSync } from 'node:fs'

const WORDS = 'order customer invoice shipped pending paid refund warehouse berlin lisbon oslo tokyo'.split(' ')

/**
 * The input every fixture in test/fixtures compresses: JSON lines from a small LCG, generated the
 * same way by fixtures/generate.py.
 */
export function fixtureInput(size = 100 * 1024): Buffer {
  let seed = 0x2545f491
  const parts: string[] = []
  let length = 0
  for (let i = 0; length < size; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    const line = `{"id":${i},"customer":"c-${seed % 100000}","note":"${WORDS[seed % WORDS.length]}","qty":${seed % 9}}\n`
    parts.push(line)
    length += line.length
  }
  return Buffer.from(parts.join('')).subarray(0, size)
}

/** A fixture file's bytes. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url))
}

/** Bytes that do not compress (a deterministic xorshift stream). */
export function incompressible(size: number): Buffer {
  const out = Buffer.allocUnsafe(size)
  let x = 0x9e3779b9
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** 1 KiB JSON-like values concatenated, as the records section of a batch of them would be. */
export function jsonValues(count: number): Buffer {
  const values: string[] = []
  let seed = 7
  for (let i = 0; i < count; i++) {
    let text = `{"id":${i},"customer":"c-${i * 7919}","items":[`
    while (text.length < 1000) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      text += `{"sku":"${WORDS[seed % WORDS.length]}-${seed % 1000}","qty":${(seed % 9) + 1}},`
    }
    values.push(`${text.slice(0, 1021)}]}`)
  }
  return Buffer.from(values.join(''))
}

/**
 * Asserts two byte sequences are equal. Much faster than `toEqual` on large buffers (which compares
 * element by element through the generic matcher) and says where they first differ.
 */
export function expectBytes(actual: Uint8Array, expected: Uint8Array, label = 'bytes'): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength)
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)
  if (a.equals(b)) return
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  throw new Error(`${label}: ${a.length} byte(s) where ${b.length} were expected, first difference at byte ${i}`)
}
