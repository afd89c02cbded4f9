/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) as used by Kafka record batches.
 *
 * Slice-by-8: eight 256-entry tables, built once when the module loads, let the main loop consume
 * eight bytes per iteration with eight table look-ups and no data-dependent branches.
 */

const POLY = 0x82f63b78

/** The eight tables laid out one after another: table k is `TABLE[k * 256 .. k * 256 + 255]`. */
const TABLE = buildTables()

function buildTables(): Int32Array {
  const t = new Int32Array(8 * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1
    t[n] = c
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n] as number
    for (let k = 1; k < 8; k++) {
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
  const t = TABLE
  let c = ~crc | 0
  let i = start
  // Whole eight-byte blocks first, then the remaining zero to seven bytes one at a time.
  const blocksEnd = end - ((end - i) & 7)
  while (i < blocksEnd) {
    c ^=
      (buf[i] as number) |
      ((buf[i + 1] as number) << 8) |
      ((buf[i + 2] as number) << 16) |
      ((buf[i + 3] as number) << 24)
    c =
      (t[0x700 + (c & 0xff)] as number) ^
      (t[0x600 + ((c >>> 8) & 0xff)] as number) ^
      (t[0x500 + ((c >>> 16) & 0xff)] as number) ^
      (t[0x400 + (c >>> 24)] as number) ^
      (t[0x300 + (buf[i + 4] as number)] as number) ^
      (t[0x200 + (buf[i + 5] as number)] as number) ^
      (t[0x100 + (buf[i + 6] as number)] as number) ^
      (t[buf[i + 7] as number] as number)
    i += 8
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
