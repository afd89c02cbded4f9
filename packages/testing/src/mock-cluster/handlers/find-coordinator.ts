import {
  ApiKeys,
  ErrorCodes,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

/** Answers FindCoordinator: a key's coordinator is a running broker chosen by a hash of the key. */
export function findCoordinatorHandler(
  state: ClusterState,
): RequestHandler<FindCoordinatorRequest, FindCoordinatorResponse> {
  return {
    handle(context, header, request) {
      const failures = state.failuresFor(ApiKeys.FindCoordinator, context.brokerId)
      const injected = failures.request()
      failures.commit()
      const locate = (key: string) => {
        const running = state.brokers.filter((b) => b.running)
        if (injected !== undefined || running.length === 0) {
          const errorCode = injected ?? ErrorCodes.COORDINATOR_NOT_AVAILABLE
          return { key, nodeId: -1, host: '', port: -1, errorCode, errorMessage: null }
        }
        const broker = running[hash(key) % running.length] as (typeof running)[number]
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

function hash(key: string): number {
  let h = 0
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0
  return h & 0x7fffffff
}
