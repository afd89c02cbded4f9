import { Buffer } from 'node:buffer'
import { createRequire } from 'node:module'
import { endianness } from 'node:os'

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) as used by Kafka record batches.
 *
 * Slice-by-16: sixteen 256-entry tables, built once when the module loads, let the main loop
 * consume sixteen bytes per iteration, read as four little-endian 32-bit words from an aligned
 * Int32Array view (about 1.6x the speed of reading bytes one by one, measured in the bench). On
 * big-endian machines, and for short or unaligned stretches, bytes are read one at a time.
 */

const POLY = 0x82f63b78

const SLICES = 16
const LITTLE_ENDIAN = endianness() === 'LE'

/** The tables laid out one after another: table k is `TABLE[k * 256 .. k * 256 + 255]`. */
const TABLE = buildTables()

function buildTables(): Int32Array {
  const t = new Int32Array(SLICES * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1
    t[n] = c
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n] as number
    for (let k = 1; k < SLICES; k++) {
      c = (t[c & 0xff] as number) ^ (c >>> 8)
      t[k * 256 + n] = c
    }
  }
  return t
}

/**
 * Continues a CRC-32C over `buf[start, end)`. `crc` is a previous result of `crc32c` or
 * `crc32cUpdate` (0 to begin), so `crc32cUpdate(crc32c(a), b)` equals `crc32c(a ++ b)`.
 * Returns the unsigned 32-bit checksum.
 */
export function crc32cUpdate(crc: number, buf: Uint8Array, start = 0, end = buf.length): number {
  if (start < 0 || end > buf.length || start > end) {
    throw new RangeError(`crc32c range [${start}, ${end}) is outside a buffer of ${buf.length} byte(s)`)
  }
  if (end - start >= NATIVE_FROM_BYTES) {
    const native = nativeCrc32c === undefined ? loadNative() : nativeCrc32c
    if (native !== null) return native(Buffer.from(buf.buffer, buf.byteOffset + start, end - start), crc) >>> 0
  }
  return update(crc, buf, start, end)
}

/** The JavaScript slice-by-16 implementation, used below NATIVE_FROM_BYTES or without the native one. */
export function crc32cUpdateJs(crc: number, buf: Uint8Array, start = 0, end = buf.length): number {
  if (start < 0 || end > buf.length || start > end) {
    throw new RangeError(`crc32c range [${start}, ${end}) is outside a buffer of ${buf.length} byte(s)`)
  }
  return update(crc, buf, start, end)
}

function update(crc: number, buf: Uint8Array, start: number, end: number): number {
  const t = TABLE
  let c = ~crc | 0
  let i = start
  if (LITTLE_ENDIAN && end - i >= 64) {
    // Bytes one at a time up to a 4-byte boundary of the underlying memory, then 16 at a time.
    while (((buf.byteOffset + i) & 3) !== 0) c = (t[(c ^ (buf[i++] as number)) & 0xff] as number) ^ (c >>> 8)
    const words = new Int32Array(buf.buffer, buf.byteOffset + i, ((end - i) >>> 4) << 2)
    for (let w = 0; w < words.length; w += 4) {
      const a = (words[w] as number) ^ c
      const b = words[w + 1] as number
      const d = words[w + 2] as number
      const e = words[w + 3] as number
      c =
        (t[0xf00 + (a & 0xff)] as number) ^
        (t[0xe00 + ((a >>> 8) & 0xff)] as number) ^
        (t[0xd00 + ((a >>> 16) & 0xff)] as number) ^
        (t[0xc00 + (a >>> 24)] as number) ^
        (t[0xb00 + (b & 0xff)] as number) ^
        (t[0xa00 + ((b >>> 8) & 0xff)] as number) ^
        (t[0x900 + ((b >>> 16) & 0xff)] as number) ^
        (t[0x800 + (b >>> 24)] as number) ^
        (t[0x700 + (d & 0xff)] as number) ^
        (t[0x600 + ((d >>> 8) & 0xff)] as number) ^
        (t[0x500 + ((d >>> 16) & 0xff)] as number) ^
        (t[0x400 + (d >>> 24)] as number) ^
        (t[0x300 + (e & 0xff)] as number) ^
        (t[0x200 + ((e >>> 8) & 0xff)] as number) ^
        (t[0x100 + ((e >>> 16) & 0xff)] as number) ^
        (t[e >>> 24] as number)
    }
    i += words.length * 4
  }
  while (i < end) {
    c = (t[(c ^ (buf[i++] as number)) & 0xff] as number) ^ (c >>> 8)
  }
  return ~c >>> 0
}

/** CRC-32C of `buf[start, end)` as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  return crc32cUpdate(0, buf, start, end)
}

// Hardware CRC32C (SSE 4.2 / ARMv8 CRC instructions) from @node-rs/crc32 when it is installed: an
// optional dependency with prebuilt binaries in per-platform packages, nothing built or downloaded at
// install. Loaded once, on the first checksum large enough to use it; if it is missing, fails to load,
// or gives a wrong answer on the check value, the JavaScript implementation is used. Below
// NATIVE_FROM_BYTES the JavaScript code is as fast (measured: 128 ns against 132 ns for 100 bytes;
// 1.4 against 3.6 GB/s at 1 KiB, 1.5 against 6.2 GB/s at 1 MiB). TRIBUTARY_CRC32C=js forces
// JavaScript.

type NativeCrc32c = (input: Buffer, initialState?: number) => number

/** Checksums of at least this many bytes go to the native implementation when there is one. */
export const NATIVE_FROM_BYTES = 512

/** undefined: not tried yet; null: unavailable. */
let nativeCrc32c: NativeCrc32c | null | undefined

function loadNative(): NativeCrc32c | null {
  nativeCrc32c = null
  if (process.env.TRIBUTARY_CRC32C === 'js') return null
  try {
    const require = createRequire(import.meta.url)
    const candidate = (require('@node-rs/crc32') as { crc32c?: unknown }).crc32c
    if (typeof candidate !== 'function') return null
    const fn = candidate as NativeCrc32c
    // The standard check value, and continuing from a previous result as crc32cUpdate does.
    const check = Buffer.from('123456789')
    if (fn(check) >>> 0 !== 0xe3069283) return null
    if (fn(check.subarray(4), fn(check.subarray(0, 4))) >>> 0 !== 0xe3069283) return null
    nativeCrc32c = fn
  } catch {
    nativeCrc32c = null
  }
  return nativeCrc32c
}

/** Which implementation checksums of NATIVE_FROM_BYTES or more use: `native` or `js`. */
export function crc32cImplementation(): 'native' | 'js' {
  return (nativeCrc32c === undefined ? loadNative() : nativeCrc32c) === null ? 'js' : 'native'
}
