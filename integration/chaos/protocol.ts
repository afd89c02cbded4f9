import type { FaultAction } from './faults.js'

// Messages between the harness and the broker process (child_process.fork's IPC channel, with
// 'advanced' serialization so typed arrays and bigints cross as they are).

/** What the broker process is started with (JSON in argv[2]). */
export interface BrokerProcessConfig {
  brokers: number
  ports: number[]
  topic: string
  partitions: number
}

/** The records of the topic as stored, column by column (one entry per record). */
export interface StoredRecords {
  partition: Int32Array
  offset: Float64Array
  /** The producer epoch and sequence number each record was written with. */
  epoch: Int16Array
  sequence: Int32Array
  /** Keys joined by '\n'; a null key is NULL_MARK. */
  keys: string
  /** Values joined by '\n'; a null value is NULL_MARK. */
  values: string
}

/** Stands for a null key or value in `StoredRecords`. */
export const NULL_MARK = '\u0000null'

/** The cluster as the broker process sees it. */
export interface ClusterSnapshot {
  leaders: number[]
  endOffsets: number[]
  running: boolean[]
  /** Requests received, by API name. */
  requests: Record<string, number>
  /** Log lines of the mock cluster, by kind (numbers stripped), with a count. */
  warnings: Record<string, number>
}

/** A request to the broker process. */
export type BrokerRequest =
  | { id: number; type: 'apply'; actions: FaultAction[] }
  | { id: number; type: 'heal' }
  | { id: number; type: 'snapshot' }
  | { id: number; type: 'records' }
  | { id: number; type: 'shutdown' }

/** A message from the broker process. */
export type BrokerMessage =
  | { type: 'ready'; bootstrapBrokers: string[] }
  | { type: 'start-failed'; error: string; addressInUse: boolean }
  | { type: 'reply'; id: number; ok: true; result?: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
