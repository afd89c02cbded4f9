import {
  ApiKeys,
  ErrorCodes,
  type FetchRequest,
  type FetchResponse,
  type FetchResponsePartitionData,
} from '@tributary/core/protocol'
import type { ClusterState, PartitionState, TopicState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'
/**
 * Kafka answers a partition without data (or with an error) with empty records, never null:
 * librdkafka 2.0 rejects a null record set (size -1) as a parse failure ("invalid MessageSetSize -1").
 */
const NO_RECORDS = Buffer.alloc(0)

/**
 * Answers Fetch with the stored batches as they were produced (compressed ones stay
 * compressed). Waits up to `maxWaitMs` for `minBytes` when there is nothing to return yet, and no
 * longer than its connection stays open.
 * Fetch sessions are not kept: session id 0 tells clients to send full fetches.
 */
export function fetchHandler(state: ClusterState): RequestHandler<FetchRequest, FetchResponse> {
  return {
    async handle(context, header, request) {
      const byId = header.apiVersion >= 13
      const deadline = Date.now() + Math.max(0, request.maxWaitMs)
      for (;;) {
        const failures = state.failuresFor(ApiKeys.Fetch, context.brokerId)
        const response = answer(state, context.brokerId, request, byId, failures)
        const waitMs = deadline - Date.now()
        if (response.bytes >= request.minBytes || response.hasError || waitMs <= 0 || response.waitOn.length === 0) {
          failures.commit()
          return response.body
        }
        if (context.connection.closed?.aborted === true) return undefined
        await waitForAppend(response.waitOn, waitMs, context.connection.closed)
      }
    },
  }
}

/** Longest single wait: setTimeout takes at most 2^31 - 1 ms (longer ones fire at once, which would spin). */
const MAX_TIMER_MS = 0x7fffffff

/**
 * Resolves at the first append to any of `partitions`, after `timeoutMs`, or when the connection
 * closes, whichever comes first; then cancels the rest, so a long fetch leaves nothing behind.
 */
function waitForAppend(
  partitions: PartitionState[],
  timeoutMs: number,
  closed: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve) => {
    const cancels: Array<() => void> = []
    const timer = setTimeout(done, Math.min(timeoutMs, MAX_TIMER_MS))
    closed?.addEventListener('abort', done)
    for (const p of partitions) cancels.push(p.log.onAppend(done))
    function done(): void {
      clearTimeout(timer)
      closed?.removeEventListener('abort', done)
      for (const cancel of cancels) cancel()
      resolve()
    }
  })
}

function answer(
  state: ClusterState,
  brokerId: number,
  request: FetchRequest,
  byId: boolean,
  failures: ReturnType<ClusterState['failuresFor']>,
): { body: FetchResponse; bytes: number; hasError: boolean; waitOn: PartitionState[] } {
  let budget = request.maxBytes ?? 0x7fffffff
  let bytes = 0
  let hasError = false
  const waitOn: PartitionState[] = []
  const responses = request.topics.map((t) => {
    const topic: TopicState | undefined = byId
      ? state.topicsById.get(t.topicId ?? ZERO_UUID)
      : state.topics.get(t.topic ?? '')
    const name = topic?.name ?? t.topic ?? ''
    return {
      topic: name,
      topicId: topic?.id ?? t.topicId ?? ZERO_UUID,
      partitions: t.partitions.map((p): FetchResponsePartitionData => {
        const partition = topic?.partitions[p.partition]
        const error = (errorCode: number): FetchResponsePartitionData => {
          hasError = true
          return partitionData(p.partition, errorCode, -1n, -1n, null)
        }
        if (topic === undefined || partition === undefined) {
          return error(byId ? ErrorCodes.UNKNOWN_TOPIC_ID : ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION)
        }
        if (partition.leader !== brokerId) return error(ErrorCodes.NOT_LEADER_OR_FOLLOWER)
        const injected = failures.partition(name, p.partition)
        if (injected !== undefined) return error(injected)
        const log = partition.log
        if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) {
          hasError = true
          return partitionData(p.partition, ErrorCodes.OFFSET_OUT_OF_RANGE, log.logEndOffset, log.logStartOffset, null)
        }
        const committed = request.isolationLevel === 1
        const upTo = committed ? log.lastStableOffset : log.logEndOffset
        const batches = budget > 0 ? log.read(p.fetchOffset, Math.min(p.partitionMaxBytes, budget), upTo) : []
        let size = 0
        for (const b of batches) size += b.bytes.length
        budget -= size
        bytes += size
        if (batches.length === 0) waitOn.push(partition)
        const records =
          batches.length === 0
            ? null
            : Buffer.concat(
                batches.map((b) => b.bytes),
                size,
              )
        const data = partitionData(p.partition, ErrorCodes.NONE, log.logEndOffset, log.logStartOffset, records)
        data.lastStableOffset = log.lastStableOffset
        const last = batches[batches.length - 1]
        if (committed && last !== undefined) {
          data.abortedTransactions = log
            .abortedBetween(p.fetchOffset, last.lastOffset + 1n)
            .map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset }))
        }
        return data
      }),
    }
  })
  return {
    body: { throttleTimeMs: 0, errorCode: ErrorCodes.NONE, sessionId: 0, responses },
    bytes,
    hasError,
    waitOn,
  }
}

function partitionData(
  partitionIndex: number,
  errorCode: number,
  highWatermark: bigint,
  logStartOffset: bigint,
  records: Buffer | null,
): FetchResponsePartitionData {
  return {
    partitionIndex,
    errorCode,
    highWatermark,
    lastStableOffset: highWatermark,
    logStartOffset,
    abortedTransactions: [],
    preferredReadReplica: -1,
    records: records ?? NO_RECORDS,
  }
}
