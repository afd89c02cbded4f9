const OFFSET_BASIS = 0x811c9dc5
const PRIME = 0x01000193

/** The 32-bit FNV-1a hash (Go's `hash/fnv` New32a), as an unsigned 32-bit integer. */
export function fnv1a32(data: Uint8Array): number {
  let h = OFFSET_BASIS
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ (data[i] as number), PRIME)
  return h >>> 0
}
