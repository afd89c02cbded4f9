// Minimal types for the independent pure-JS codecs the tests check Tributary's output against.
declare module 'snappyjs' {
  export function compress(input: Uint8Array): Uint8Array
  export function uncompress(input: Uint8Array): Uint8Array
}
declare module 'lz4js' {
  export function compress(input: Uint8Array): Uint8Array
  export function decompress(input: Uint8Array, maxSize?: number): Uint8Array
}
declare module 'lz4js/xxh32.js' {
  export function hash(seed: number, data: Uint8Array, start: number, length: number): number
}
