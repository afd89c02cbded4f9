import {
  ApiKeys,
  ErrorCodes,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
  type FindCoordinatorResponseCoordinator,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

/** Key types of FindCoordinator (Kafka's CoordinatorType). */
const GROUP = 0
const TRANSACTION = 1

/**
 * Answers FindCoordinator as KafkaApis.getCoordinator does: a group's coordinator (the broker
 * `moveCoordinator` chose, or one chosen by a hash of the group id) for key type 0, a
 * transactional id's for key type 1, one key (v0-3) or a batch of keys (v4+). Share groups (key
 * type 2) have no coordinator here: INVALID_REQUEST, as Kafka answers without a share coordinator.
 */
export function findCoordinatorHandler(
  state: ClusterState,
): RequestHandler<FindCoordinatorRequest, FindCoordinatorResponse> {
  return {
    handle(context, header, request) {
      const failures = state.failuresFor(ApiKeys.FindCoordinator, context.brokerId)
      const injected = failures.request()
      failures.commit()
      const keyType = request.keyType ?? GROUP
      const locate = (key: string): Required<FindCoordinatorResponseCoordinator> => {
        const failed = (errorCode: number) => ({ key, nodeId: -1, host: '', port: -1, errorCode, errorMessage: null })
        if (injected !== undefined) return failed(injected)
        if (keyType !== GROUP && keyType !== TRANSACTION) return failed(ErrorCodes.INVALID_REQUEST)
        const nodeId = keyType === GROUP ? state.groups.coordinatorOf(key) : state.coordinatorFor(key)?.nodeId
        const broker = state.brokers.find((b) => b.nodeId === nodeId && b.running)
        if (broker === undefined) return failed(ErrorCodes.COORDINATOR_NOT_AVAILABLE)
        return { key, nodeId: broker.nodeId, host: broker.host, port: broker.port, errorCode: 0, errorMessage: null }
      }
      if (header.apiVersion >= 4) {
        return { throttleTimeMs: 0, coordinators: (request.coordinatorKeys ?? []).map(locate) }
      }
      const c = locate(request.key ?? '')
      return {
        throttleTimeMs: 0,
        errorCode: c.errorCode,
        errorMessage: c.errorMessage,
        nodeId: c.nodeId,
        host: c.host,
        port: c.port,
        coordinators: [],
      }
    },
  }
}
