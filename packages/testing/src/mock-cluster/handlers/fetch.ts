import {
  ApiKeys,
  ErrorCodes,
  type FetchRequest,
  type FetchResponse,
  type FetchResponseFetchableTopicResponse,
  type FetchResponseNodeEndpoint,
  type FetchResponsePartitionData,
} from '@tributary/core/protocol'
import type { ClusterState, PartitionState, RequestFailures } from '../cluster-state.js'
import {
  type CachedPartition,
  type FetchPartitionKey,
  type FetchSessionCaches,
  INVALID_SESSION_ID,
  mustRespond,
  nextEpoch,
  type PartitionFetchParams,
} from '../fetch-sessions.js'
import type { RequestHandler } from './handler.js'

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'
/**
 * Kafka answers a partition without data (or with an error) with empty records, never null:
 * librdkafka 2.0 rejects a null record set (size -1) as a parse failure ("invalid MessageSetSize -1").
 */
const NO_RECORDS = Buffer.alloc(0)
/** The broker's fetch.max.bytes default (55 MiB): a request's max_bytes is capped at it. */
const BROKER_FETCH_MAX_BYTES = 57_671_680
/** Longest single wait: setTimeout takes at most 2^31 - 1 ms (longer ones fire at once, which would spin). */
const MAX_TIMER_MS = 0x7fffffff

/** A partition to read, with the parameters it is read with. */
interface ToRead {
  key: FetchPartitionKey
  params: PartitionFetchParams
}

/** A partition's answer in a response, with what it was read as. */
interface Answered extends ToRead {
  data: FetchResponsePartitionData
}

/**
 * Answers Fetch as a Kafka 4 broker does (KafkaApis.handleFetchRequest, ReplicaManager.fetchMessages
 * and readFromLog, Partition.fetchRecords, LocalLog/LogSegment.read, FetchManager):
 *
 * - partitions are read in the request's order (a session's order for incremental fetches), the
 *   first non-empty one whole even when larger than the limits (KIP-74), then within the request's
 *   max_bytes (capped at fetch.max.bytes) and each partition's partition_max_bytes, the last batch
 *   possibly cut off as Kafka's byte slices are; unknown topics and partitions are answered last;
 * - a fetch offset below the log start offset or past the log end is OFFSET_OUT_OF_RANGE; a leader
 *   epoch older or newer than the partition's FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH; a broker
 *   that does not lead the partition NOT_LEADER_OR_FOLLOWER (with the current leader from v16);
 * - read_committed reads up to the last stable offset and lists the aborted transactions;
 * - with nothing to answer yet it waits up to max_wait_ms for min_bytes, and no longer than its
 *   connection stays open;
 * - fetch sessions (KIP-227): epoch 0 opens a session, incremental fetches update it and get only
 *   the partitions with news, as Kafka's FetchSessionCache does (see fetch-sessions.ts).
 */
export function fetchHandler(
  state: ClusterState,
  sessions: FetchSessionCaches,
): RequestHandler<FetchRequest, FetchResponse> {
  return {
    async handle(context, header, request) {
      const version = header.apiVersion
      const byId = version >= 13
      const cache = sessions.of(context.brokerId)
      const replicaId = request.replicaState?.replicaId ?? request.replicaId ?? -1

      // The partitions of the request, in order (a partition named twice keeps its first place).
      const fetchData = new Map<string, ToRead>()
      for (const t of request.topics) {
        const topicId = byId ? (t.topicId ?? ZERO_UUID) : ZERO_UUID
        const name = byId ? state.topicsById.get(topicId)?.name : (t.topic ?? '')
        for (const p of t.partitions) {
          const key = partitionKey(byId, topicId, name, p.partition)
          fetchData.set(key.key, {
            key,
            params: {
              fetchOffset: p.fetchOffset,
              maxBytes: p.partitionMaxBytes,
              currentLeaderEpoch: p.currentLeaderEpoch ?? -1,
              logStartOffset: p.logStartOffset ?? -1n,
            },
          })
        }
      }
      const toForget: string[] = []
      for (const f of request.forgottenTopicsData ?? []) {
        const topicId = byId ? (f.topicId ?? ZERO_UUID) : ZERO_UUID
        const name = byId ? state.topicsById.get(topicId)?.name : (f.topic ?? '')
        for (const p of f.partitions ?? []) toForget.push(partitionKey(byId, topicId, name, p).key)
      }

      const fetchContext = cache.newContext(
        version,
        request.sessionId ?? INVALID_SESSION_ID,
        request.sessionEpoch ?? -1,
        fetchData,
        toForget,
        Date.now(),
      )
      if (fetchContext.kind === 'error') {
        // SessionErrorContext: no partition is read.
        return { throttleTimeMs: 0, errorCode: fetchContext.errorCode, sessionId: INVALID_SESSION_ID, responses: [] }
      }
      const toRead: ToRead[] =
        fetchContext.kind === 'incremental'
          ? [...fetchContext.session.partitions.values()].map((c) => {
              if (c.topic === undefined) c.topic = state.topicsById.get(c.topicId)?.name
              return { key: c, params: c.params }
            })
          : [...fetchData.values()]

      const fetchMaxBytes = Math.min(request.maxBytes ?? 0x7fffffff, BROKER_FETCH_MAX_BYTES)
      const minBytes = Math.min(request.minBytes, fetchMaxBytes)
      // A monotonic clock for the wait: tests may fake Date (log append times, session eviction).
      const deadline = performance.now() + Math.max(0, request.maxWaitMs)
      let read: ReadResult
      for (;;) {
        const failures = state.failuresFor(ApiKeys.Fetch, context.brokerId)
        read = readAll(state, context.brokerId, version, request.isolationLevel === 1, fetchMaxBytes, toRead, failures)
        const waitMs = deadline - performance.now()
        if (
          request.maxWaitMs <= 0 ||
          read.readable.length === 0 ||
          read.bytes >= minBytes ||
          read.readError ||
          waitMs <= 0
        ) {
          failures.commit()
          break
        }
        if (closed(context.connection.closed)) return undefined
        await waitForAppend(read.readable, waitMs, context.connection.closed)
        if (closed(context.connection.closed)) return undefined
      }

      let sessionId = INVALID_SESSION_ID
      let answered = read.answered
      if (fetchContext.kind === 'full') {
        sessionId = cache.createSession(
          replicaId >= 0,
          byId,
          answered.map((a) => ({ key: a.key, params: a.params, answer: answerOf(a.data) })),
          Date.now(),
        )
      } else if (fetchContext.kind === 'incremental') {
        const session = fetchContext.session
        sessionId = session.id
        if (session.epoch !== nextEpoch(fetchContext.requestEpoch)) {
          // Another request of the session was served while this one waited.
          return { throttleTimeMs: 0, errorCode: ErrorCodes.INVALID_FETCH_SESSION_EPOCH, sessionId, responses: [] }
        }
        answered = answered.filter((a) => {
          const cached = session.partitions.get(a.key.key) as CachedPartition
          const respond = mustRespond(cached, answerOf(a.data))
          if (respond && (a.data.records?.length ?? 0) > 0) {
            // Partitions that returned records go to the end of the session, for fairness (KIP-74).
            session.partitions.delete(a.key.key)
            session.partitions.set(a.key.key, cached)
          }
          return respond
        })
      }
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCodes.NONE,
        sessionId,
        responses: groupByTopic(answered),
        nodeEndpoints: version >= 16 ? nodeEndpoints(state, answered) : [],
      }
    },
  }
}

function closed(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true
}

function partitionKey(byId: boolean, topicId: string, name: string | undefined, partition: number): FetchPartitionKey {
  return {
    key: byId ? `${topicId}:${partition}` : `${name ?? ''}:${partition}`,
    topicId,
    topic: name,
    partition,
  }
}

function answerOf(data: FetchResponsePartitionData) {
  return {
    errorCode: data.errorCode,
    highWatermark: data.highWatermark,
    logStartOffset: data.logStartOffset ?? -1n,
    recordsSize: data.records?.length ?? 0,
  }
}

interface ReadResult {
  /** Read partitions in order, then the erroneous ones (unknown topics and partitions), as Kafka orders them. */
  answered: Answered[]
  /** Bytes of records read. */
  bytes: number
  /** A partition that was read answered an error: Kafka responds at once. */
  readError: boolean
  /** The partitions that were read, whose appends can complete a waiting fetch. */
  readable: PartitionState[]
}

/** ReplicaManager.readFromLog over every partition, with KafkaApis's split into erroneous and readable. */
function readAll(
  state: ClusterState,
  brokerId: number,
  version: number,
  readCommitted: boolean,
  fetchMaxBytes: number,
  toRead: readonly ToRead[],
  failures: RequestFailures,
): ReadResult {
  const answered: Answered[] = []
  const erroneous: Answered[] = []
  const readable: PartitionState[] = []
  let limitBytes = fetchMaxBytes
  let minOneMessage = true
  let bytes = 0
  let readError = false
  for (const item of toRead) {
    const { key, params } = item
    const topic = key.topic === undefined ? undefined : state.topics.get(key.topic)
    const partition = topic?.partitions[key.partition]
    if (key.topic === undefined) {
      erroneous.push({ ...item, data: errorData(key.partition, ErrorCodes.UNKNOWN_TOPIC_ID) })
      continue
    }
    if (topic === undefined || partition === undefined) {
      erroneous.push({ ...item, data: errorData(key.partition, ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION) })
      continue
    }
    const fail = (errorCode: number): void => {
      readError = true
      const data = errorData(key.partition, errorCode)
      if (
        version >= 16 &&
        (errorCode === ErrorCodes.NOT_LEADER_OR_FOLLOWER || errorCode === ErrorCodes.FENCED_LEADER_EPOCH)
      ) {
        data.currentLeader = { leaderId: partition.leader, leaderEpoch: partition.leaderEpoch }
      }
      answered.push({ ...item, data })
    }
    readable.push(partition)
    if (!partition.replicas.includes(brokerId) && partition.leader !== brokerId) {
      // Not hosted here at all (ReplicaManager.getPartitionOrException).
      fail(ErrorCodes.NOT_LEADER_OR_FOLLOWER)
      continue
    }
    if (key.topicId !== ZERO_UUID && topic.id !== key.topicId) {
      fail(ErrorCodes.INCONSISTENT_TOPIC_ID)
      continue
    }
    const injected = failures.partition(topic.name, key.partition)
    if (injected !== undefined) {
      fail(injected)
      continue
    }
    if (params.currentLeaderEpoch >= 0 && params.currentLeaderEpoch !== partition.leaderEpoch) {
      fail(
        params.currentLeaderEpoch < partition.leaderEpoch
          ? ErrorCodes.FENCED_LEADER_EPOCH
          : ErrorCodes.UNKNOWN_LEADER_EPOCH,
      )
      continue
    }
    if (partition.leader !== brokerId) {
      fail(ErrorCodes.NOT_LEADER_OR_FOLLOWER)
      continue
    }
    const log = partition.log
    if (params.fetchOffset < log.logStartOffset || params.fetchOffset > log.logEndOffset) {
      fail(ErrorCodes.OFFSET_OUT_OF_RANGE)
      continue
    }
    const upTo = readCommitted ? log.lastStableOffset : log.logEndOffset
    const maxBytes = Math.min(params.maxBytes, limitBytes)
    if (maxBytes < 0 && params.fetchOffset < upTo) {
      // LogSegment.read refuses a negative size with an exception that is no API error.
      fail(ErrorCodes.UNKNOWN_SERVER_ERROR)
      continue
    }
    const slice = log.readForFetch(params.fetchOffset, maxBytes, upTo, minOneMessage)
    const size = slice.records.length
    if (size > 0) minOneMessage = false
    limitBytes = Math.max(0, limitBytes - size)
    bytes += size
    answered.push({
      ...item,
      data: {
        partitionIndex: key.partition,
        errorCode: ErrorCodes.NONE,
        highWatermark: log.logEndOffset,
        lastStableOffset: log.lastStableOffset,
        logStartOffset: log.logStartOffset,
        abortedTransactions:
          !readCommitted || slice.firstEntryIncomplete
            ? null
            : size === 0
              ? []
              : log
                  .abortedBetween(params.fetchOffset, slice.upperBoundOffset)
                  .map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset })),
        preferredReadReplica: -1,
        records: size === 0 ? NO_RECORDS : slice.records,
      },
    })
  }
  answered.push(...erroneous)
  return { answered, bytes, readError, readable }
}

/** FetchResponse.partitionResponse: an error with unknown offsets and no records. */
function errorData(partitionIndex: number, errorCode: number): FetchResponsePartitionData {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: NO_RECORDS,
  }
}

/** FetchResponse.toMessage: consecutive partitions of one topic share a topic entry. */
function groupByTopic(answered: readonly Answered[]): FetchResponseFetchableTopicResponse[] {
  const topics: FetchResponseFetchableTopicResponse[] = []
  let last: { key: FetchPartitionKey; entry: FetchResponseFetchableTopicResponse } | undefined
  for (const a of answered) {
    const same =
      last !== undefined &&
      (a.key.topicId !== ZERO_UUID ? last.key.topicId === a.key.topicId : last.key.topic === a.key.topic)
    if (same && last !== undefined) {
      last.entry.partitions.push(a.data)
      continue
    }
    const entry = { topic: a.key.topic ?? '', topicId: a.key.topicId, partitions: [a.data] }
    topics.push(entry)
    last = { key: a.key, entry }
  }
  return topics
}

/** The current leaders named in NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH answers (KIP-951). */
function nodeEndpoints(state: ClusterState, answered: readonly Answered[]): FetchResponseNodeEndpoint[] {
  const ids = new Set<number>()
  for (const a of answered) {
    const leader = a.data.currentLeader?.leaderId
    if (leader !== undefined && leader >= 0) ids.add(leader)
  }
  return state.brokers
    .filter((b) => ids.has(b.nodeId) && b.running)
    .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: null }))
}

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
