import { ApiKeys, ErrorCodes, type InitProducerIdRequest, type InitProducerIdResponse } from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

/** Answers InitProducerId with a fresh producer id, or a bumped epoch for a known one. */
export function initProducerIdHandler(
  state: ClusterState,
): RequestHandler<InitProducerIdRequest, InitProducerIdResponse> {
  return {
    handle(context, _header, request) {
      const failures = state.failuresFor(ApiKeys.InitProducerId, context.brokerId)
      const injected = failures.request()
      failures.commit()
      if (injected !== undefined) {
        return { throttleTimeMs: 0, errorCode: injected, producerId: -1n, producerEpoch: -1 }
      }
      const txnId = request.transactionalId
      if (txnId !== null && txnId !== '' && state.coordinatorFor(txnId)?.nodeId !== context.brokerId) {
        return { throttleTimeMs: 0, errorCode: ErrorCodes.NOT_COORDINATOR, producerId: -1n, producerEpoch: -1 }
      }
      const result = state.initProducerId(
        txnId,
        request.transactionTimeoutMs,
        request.producerId ?? -1n,
        request.producerEpoch ?? -1,
      )
      return { throttleTimeMs: 0, ...result }
    },
  }
}
