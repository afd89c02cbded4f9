// Types for the pure-JavaScript codecs the tests register with kafkajs (the packages have none).
declare module 'lz4js' {
  export function compress(input: Uint8Array): Uint8Array
  export function decompress(input: Uint8Array, maxSize?: number): Uint8Array
}
declare module 'kafkajs-snappy' {
  const codec: () => {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>
    decompress(buffer: Buffer): Promise<Buffer>
  }
  export default codec
}
