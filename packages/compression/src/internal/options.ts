/**
 * Inputs at least this large are compressed asynchronously, in chunks on the libuv thread pool, so a
 * large batch does not block the event loop and the chunks of one batch (and the batches of one
 * drain) compress in parallel. Below it the binding is called synchronously: measured on Node 20,
 * a thread-pool round trip costs about as much as compressing 16 KiB inline with these codecs.
 */
export const ASYNC_FROM_BYTES = 64 * 1024

/** Splits `data` into views of at most `size` bytes (none for empty input). */
export function chunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = []
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, Math.min(i + size, data.length)))
  return out
}
