import {
  type AddOffsetsToTxnRequest,
  type AddOffsetsToTxnResponse,
  type AddPartitionsToTxnRequest,
  type AddPartitionsToTxnRequestAddPartitionsToTxnTopic,
  type AddPartitionsToTxnResponse,
  type AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult,
  type EndTxnRequest,
  type EndTxnResponse,
  ErrorCodes,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponse,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

/** The error for a request that reached a broker other than the key's coordinator, if so. */
function notCoordinator(state: ClusterState, key: string, brokerId: number): number | undefined {
  return state.coordinatorFor(key)?.nodeId === brokerId ? undefined : ErrorCodes.NOT_COORDINATOR
}

/**
 * AddPartitionsToTxn: the client form (v0-3, one transaction) and the batched form (v4+, many
 * transactions, as brokers send it).
 */
export function addPartitionsToTxnHandler(
  state: ClusterState,
): RequestHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> {
  const add = (
    brokerId: number,
    transactionalId: string,
    producerId: bigint,
    epoch: number,
    topics: AddPartitionsToTxnRequestAddPartitionsToTxnTopic[],
  ): AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[] => {
    const wanted = topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })))
    const wrongBroker = notCoordinator(state, transactionalId, brokerId)
    const results =
      wrongBroker === undefined
        ? state.transactions.addPartitions(transactionalId, producerId, epoch, wanted)
        : wanted.map((p) => ({ ...p, errorCode: wrongBroker }))
    return topics.map((t) => ({
      name: t.name,
      resultsByPartition: results
        .filter((r) => r.topic === t.name)
        .map((r) => ({ partitionIndex: r.partition, partitionErrorCode: r.errorCode })),
    }))
  }
  return {
    handle(context, header, request) {
      if (header.apiVersion <= 3) {
        return {
          throttleTimeMs: 0,
          resultsByTopicV3AndBelow: add(
            context.brokerId,
            request.v3AndBelowTransactionalId ?? '',
            request.v3AndBelowProducerId ?? -1n,
            request.v3AndBelowProducerEpoch ?? -1,
            request.v3AndBelowTopics ?? [],
          ),
        }
      }
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCodes.NONE,
        resultsByTransaction: (request.transactions ?? []).map((t) => ({
          transactionalId: t.transactionalId ?? '',
          topicResults: add(
            context.brokerId,
            t.transactionalId ?? '',
            t.producerId ?? -1n,
            t.producerEpoch ?? -1,
            t.topics ?? [],
          ),
        })),
      }
    },
  }
}

/** AddOffsetsToTxn: a consumer group's offsets join the transaction. */
export function addOffsetsToTxnHandler(
  state: ClusterState,
): RequestHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> {
  return {
    handle(context, _header, r) {
      const errorCode =
        notCoordinator(state, r.transactionalId, context.brokerId) ??
        state.transactions.addOffsets(r.transactionalId, r.producerId, r.producerEpoch, r.groupId)
      return { throttleTimeMs: 0, errorCode }
    },
  }
}

/**
 * TxnOffsetCommit, sent to the group's coordinator: offsets pending until the transaction commits.
 * The group checks the member and generation first (a zombie of an older generation gets
 * ILLEGAL_GENERATION, KIP-447), as OffsetMetadataManager.validateTransactionalOffsetCommit does.
 */
export function txnOffsetCommitHandler(
  state: ClusterState,
): RequestHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse> {
  return {
    handle(context, _header, r) {
      const tooLarge = (p: { committedMetadata: string | null }) => state.groups.metadataTooLarge(p.committedMetadata)
      const errorCode =
        (r.groupId === '' ? ErrorCodes.INVALID_GROUP_ID : undefined) ??
        (state.groups.checkCoordinator(r.groupId, context.brokerId) || undefined) ??
        (state.groups.validateTransactionalOffsetCommit(
          r.groupId,
          r.memberId ?? '',
          r.groupInstanceId ?? null,
          r.generationId ?? -1,
        ) ||
          undefined) ??
        state.transactions.commitOffsets(
          r.transactionalId,
          r.producerId,
          r.producerEpoch,
          r.groupId,
          r.topics.flatMap((t) =>
            t.partitions
              .filter((p) => !tooLarge(p))
              .map((p) => ({
                topic: t.name,
                partition: p.partitionIndex,
                offset: p.committedOffset,
                leaderEpoch: p.committedLeaderEpoch ?? -1,
                metadata: p.committedMetadata,
              })),
          ),
        )
      return {
        throttleTimeMs: 0,
        topics: r.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: errorCode === ErrorCodes.NONE && tooLarge(p) ? ErrorCodes.OFFSET_METADATA_TOO_LARGE : errorCode,
          })),
        })),
      }
    },
  }
}

/** EndTxn: commit or abort, writing markers into every partition of the transaction. */
export function endTxnHandler(state: ClusterState): RequestHandler<EndTxnRequest, EndTxnResponse> {
  return {
    handle(context, _header, r) {
      const errorCode =
        notCoordinator(state, r.transactionalId, context.brokerId) ??
        state.transactions.endTransaction(r.transactionalId, r.producerId, r.producerEpoch, r.committed)
      return { throttleTimeMs: 0, errorCode, producerId: r.producerId, producerEpoch: r.producerEpoch }
    },
  }
}
