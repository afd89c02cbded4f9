import { Buffer } from 'node:buffer'

/**
 * One reusable buffer for bytes needed only for a moment (a key's UTF-8 bytes while it is hashed),
 * so that they cost no allocation. The view `bytesOf` returns is overwritten by the next call.
 */
export class ScratchBytes {
  private buffer = Buffer.allocUnsafe(256)

  bytesOf(text: string): Buffer {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (text.length * 3 > this.buffer.length)
      this.buffer = Buffer.allocUnsafe(Math.max(text.length * 3, this.buffer.length * 2))
    const n = this.buffer.write(text, 0, 'utf8')
    return this.buffer.subarray(0, n)
  }
}
