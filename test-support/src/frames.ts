// Kafka frames seen from the outside: tests that tap sockets reassemble requests and responses
// themselves rather than trust the frame splitter of the code under test.

/** Reassembles Kafka frames (int32 size, then that many bytes of body) from a byte stream. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0)

  constructor(private readonly onFrame: (body: Buffer) => void) {}

  /** Takes the next chunk of the stream and calls `onFrame` for each frame it completes. */
  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0)
      if (this.pending.length < 4 + size) break
      this.onFrame(this.pending.subarray(4, 4 + size))
      this.pending = this.pending.subarray(4 + size)
    }
  }
}
