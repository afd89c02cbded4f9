import {
  ApiKeys,
  ErrorCodes,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

/** Answers FindCoordinator (groups and transactional ids) with the key's coordinator broker. */
export function findCoordinatorHandler(
  state: ClusterState,
): RequestHandler<FindCoordinatorRequest, FindCoordinatorResponse> {
  return {
    handle(context, header, request) {
      const failures = state.failuresFor(ApiKeys.FindCoordinator, context.brokerId)
      const injected = failures.request()
      failures.commit()
      const locate = (key: string) => {
        const broker = injected === undefined ? state.coordinatorFor(key) : undefined
        if (broker === undefined) {
          const errorCode = injected ?? ErrorCodes.COORDINATOR_NOT_AVAILABLE
          return { key, nodeId: -1, host: '', port: -1, errorCode, errorMessage: null }
        }
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
