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
