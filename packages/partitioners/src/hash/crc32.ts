/** The CRC-32 (IEEE 802.3, zlib's) lookup table, reflected polynomial 0xEDB88320. */
const TABLE = (() => {
  const table = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c
  }
  return table
})()

/**
 * CRC-32 as zlib and librdkafka's `rd_crc32` compute it (not Kafka's record-batch CRC-32C), as an
 * unsigned 32-bit integer.
 */
export function crc32(data: Uint8Array): number {
  let c = -1
  for (let i = 0; i < data.length; i++) c = (TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8)
  return (c ^ -1) >>> 0
}
