import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../../src/errors/protocol-error.js'
import { DEFAULT_MAX_FRAME_BYTES, FrameSplitter } from '../../src/protocol/frame.js'

/** A size-prefixed frame whose body is `body`. */
function framed(body: Buffer): Buffer {
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)
  return Buffer.concat([size, body])
}

const bodies = [Buffer.from('first frame'), Buffer.alloc(0), Buffer.alloc(1000, 7), Buffer.from('last')]
const stream = Buffer.concat(bodies.map(framed))

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

describe('FrameSplitter', () => {
  it('yields every frame of one chunk, as views of that chunk', () => {
    const splitter = new FrameSplitter()
    const frames = [...splitter.push(stream)]
    expect(frames).toEqual(bodies)
    let at = stream.byteOffset
    for (const f of frames) {
      expect(f.buffer).toBe(stream.buffer)
      expect(f.byteOffset).toBe(at + 4)
      at += 4 + f.length
    }
    expect(splitter.bufferedBytes).toBe(0)
  })

  it('yields the same frames when the stream arrives one byte at a time', () => {
    const splitter = new FrameSplitter()
    const frames: Buffer[] = []
    for (let i = 0; i < stream.length; i++) frames.push(...splitter.push(stream.subarray(i, i + 1)))
    expect(frames).toEqual(bodies)
    expect(splitter.bufferedBytes).toBe(0)
  })

  it('yields the same frames for every way of cutting the stream in two or three chunks', () => {
    const expected = Buffer.concat(bodies.map(framed))
    let cuts = 0
    for (let a = 0; a <= stream.length; a += 3) {
      for (let b = a; b <= stream.length; b += 61) {
        const splitter = new FrameSplitter()
        const frames = [
          ...splitter.push(stream.subarray(0, a)),
          ...splitter.push(stream.subarray(a, b)),
          ...splitter.push(stream.subarray(b)),
        ]
        const same = frames.length === bodies.length && Buffer.concat(frames.map(framed)).equals(expected)
        if (!same) throw new Error(`wrong frames for cuts at ${a} and ${b}`)
        cuts++
      }
    }
    expect(cuts).toBeGreaterThan(1000)
  })

  it('holds back a partial frame until the rest arrives', () => {
    const splitter = new FrameSplitter()
    const whole = framed(Buffer.from('hello'))
    expect([...splitter.push(whole.subarray(0, 6))]).toEqual([])
    expect(splitter.bufferedBytes).toBe(6)
    expect(splitter.nextFrame()).toBeUndefined()
    expect([...splitter.push(whole.subarray(6))]).toEqual([Buffer.from('hello')])
  })

  it('returns itself from push, so frames can also be taken later', () => {
    const splitter = new FrameSplitter()
    expect(splitter.push(stream.subarray(0, 20))).toBe(splitter)
    splitter.push(stream.subarray(20))
    const frames: Buffer[] = []
    for (let f = splitter.nextFrame(); f !== undefined; f = splitter.nextFrame()) frames.push(f)
    expect(frames).toEqual(bodies)
  })

  it('rejects a negative size with a ProtocolError, even when it arrives split across chunks', () => {
    const splitter = new FrameSplitter()
    splitter.push(Buffer.from([0xff, 0xff]))
    const error = thrown(() => [...splitter.push(Buffer.from([0xff, 0xfe, 0, 0]))])
    expect(ProtocolError.isInstance(error)).toBe(true)
    expect(error.message).toMatch(/negative frame size -2/)
  })

  it('rejects a size above the maximum before the frame arrives', () => {
    const splitter = new FrameSplitter({ maxFrameBytes: 1024 })
    expect([...splitter.push(framed(Buffer.alloc(1024)))]).toHaveLength(1)
    const header = Buffer.alloc(4)
    header.writeInt32BE(1025)
    const error = thrown(() => [...splitter.push(header)])
    expect(ProtocolError.isInstance(error)).toBe(true)
    expect(error.message).toMatch(/1025 bytes is larger than the maximum of 1024/)
  })

  it('defaults the maximum to 100 MiB', () => {
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(100 * 1024 * 1024)
    const splitter = new FrameSplitter()
    expect(splitter.maxFrameBytes).toBe(DEFAULT_MAX_FRAME_BYTES)
    const header = Buffer.alloc(4)
    header.writeInt32BE(DEFAULT_MAX_FRAME_BYTES + 1)
    expect(ProtocolError.isInstance(thrown(() => [...splitter.push(header)]))).toBe(true)
  })

  it('copies a frame that spans chunks into a buffer of its own', () => {
    const splitter = new FrameSplitter()
    const whole = framed(Buffer.from('spanning'))
    const first = whole.subarray(0, 7)
    const [frame] = [...splitter.push(first), ...splitter.push(whole.subarray(7))]
    expect(frame).toEqual(Buffer.from('spanning'))
    whole.fill(0)
    expect(frame).toEqual(Buffer.from('spanning'))
  })

  it('ignores empty chunks', () => {
    const splitter = new FrameSplitter()
    expect([...splitter.push(Buffer.alloc(0))]).toEqual([])
    expect([...splitter.push(stream)]).toEqual(bodies)
  })
})
