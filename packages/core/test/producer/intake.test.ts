import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ClusterMetadata, TopicInfo } from '../../src/cluster/metadata.js'
import { BufferFullError } from '../../src/errors/buffer-full-error.js'
import { Intake, type IntakeHost, type Waiting } from '../../src/producer/intake.js'

const topicInfo = { partitions: [{ partition: 0 }] } as unknown as TopicInfo
const metadata = {
  topic: () => topicInfo,
  reason: () => 'known',
} as unknown as ClusterMetadata

/** A host whose buffer takes a record only while `room` is above 0, and wakes waiters on `free()`. */
function host() {
  let wake: () => void = () => {}
  const h = {
    room: 0,
    placed: [] as number[],
    free(n: number) {
      h.room += n
      wake()
    },
    host: {
      metadata,
      bufferBytes: 100,
      maxBlockMs: 1_000,
      maxWaitingBytes: 1_000,
      place: (w: Waiting) => {
        if (h.room === 0) return false
        h.room--
        h.placed.push(w.index)
        return true
      },
      waitForRoom: () =>
        new Promise<void>((resolve) => {
          wake = resolve
        }),
      warn: () => {},
      waitedForRoom: () => {},
      wakeSender: () => {},
    } satisfies IntakeHost,
  }
  return h
}

const settled: Array<[number, Error | null]> = []

function waiting(index: number, bytes: number, blockMs = 1_000): Waiting {
  const now = Date.now()
  return {
    topic: 't',
    partition: undefined,
    timestamp: undefined,
    target: { settle: (i, error) => settled.push([i, error]) },
    index,
    deadline: now + 10_000,
    timeoutMs: 10_000,
    blockUntil: now + blockMs,
    blockMs,
    key: null,
    value: 'v',
    headers: undefined,
    serialized: true,
    settled: false,
    bytes,
  }
}

describe('Intake', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    settled.length = 0
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('counts the bytes of the records it holds, and stops counting each one as it is placed', async () => {
    const h = host()
    const intake = new Intake(h.host)
    intake.push(waiting(0, 300))
    intake.push(waiting(1, 500))
    expect(intake.bytes).toBe(800)
    h.free(1)
    await vi.advanceTimersByTimeAsync(0)
    expect(h.placed).toEqual([0])
    expect(intake.bytes).toBe(500)
    h.free(1)
    await vi.advanceTimersByTimeAsync(0)
    expect(h.placed).toEqual([0, 1])
    expect(intake.size).toBe(0)
    expect(intake.bytes).toBe(0)
  })

  it('stops counting records that time out behind the head, and the head that times out', async () => {
    const h = host()
    const intake = new Intake(h.host)
    intake.push(waiting(0, 100, 500))
    intake.push(waiting(1, 200, 100))
    intake.push(waiting(2, 400, 1_000))
    await vi.advanceTimersByTimeAsync(100)
    // Record 1 expired where it waited; the others still count.
    expect(settled.map(([i]) => i)).toEqual([1])
    expect(intake.bytes).toBe(500)
    await vi.advanceTimersByTimeAsync(400)
    expect(settled.map(([i]) => i)).toEqual([1, 0])
    expect(BufferFullError.isInstance(settled[1]?.[1])).toBe(true)
    expect(intake.bytes).toBe(400)
    h.free(1)
    await vi.advanceTimersByTimeAsync(0)
    expect(h.placed).toEqual([2])
    expect(intake.bytes).toBe(0)
  })

  it('counts nothing once every record was failed', async () => {
    const h = host()
    const intake = new Intake(h.host)
    intake.push(waiting(0, 300))
    intake.push(waiting(1, 300))
    intake.failAll(new Error('closed'))
    expect(intake.bytes).toBe(0)
    expect(settled.map(([i]) => i)).toEqual([0, 1])
    await vi.advanceTimersByTimeAsync(2_000)
    expect(intake.size).toBe(0)
  })
})
