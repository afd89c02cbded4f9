import type { CaseSpec, ChildTask } from '../workload.js'

/** One client driven through its fastest idiomatic bulk path, waiting for every acknowledgement. */
export interface Driver {
  /** Connects (metadata, producer id) before anything is timed. */
  connect(): Promise<void>
  /**
   * Sends records `from` to `to - 1` of the workload and resolves with how many the client reported
   * acknowledged, once all are; rejects if the client reported any failure.
   */
  sendRange(from: number, to: number): Promise<number>
  /** Sends record `i` alone and resolves once it is acknowledged: the latency case's one awaited send. */
  sendOne(i: number): Promise<void>
  close(): Promise<void>
}

export interface DriverContext {
  readonly task: ChildTask
  readonly spec: CaseSpec
  /** The values, cycled by record index. */
  readonly values: readonly string[]
}

/**
 * Records `from` to `to - 1` as arrays of `task.messagesPerSend`, a chunk of `task.chunk` at a time:
 * the arrays of a chunk sent all at once and awaited together (`concurrent`), or one after the
 * other. `send(s, e)` sends records `s` to `e - 1`. Resolves with how many were sent.
 */
export async function sendInArrays(
  task: ChildTask,
  from: number,
  to: number,
  concurrent: boolean,
  send: (s: number, e: number) => Promise<unknown>,
): Promise<number> {
  for (let start = from; start < to; start += task.chunk) {
    const end = Math.min(to, start + task.chunk)
    const sends: Array<Promise<unknown>> = []
    for (let s = start; s < end; s += task.messagesPerSend) {
      const sent = send(s, Math.min(end, s + task.messagesPerSend))
      if (concurrent) sends.push(sent)
      else await sent
    }
    await Promise.all(sends)
  }
  return to - from
}
