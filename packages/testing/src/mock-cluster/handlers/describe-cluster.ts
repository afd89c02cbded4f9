import { type DescribeClusterRequest, type DescribeClusterResponse, ErrorCodes } from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import type { RequestHandler } from './handler.js'

/** EndpointType ids (KIP-919): a broker serves the BROKER endpoint type. */
const BROKER_ENDPOINT = 1
const CONTROLLER_ENDPOINT = 2
/**
 * The cluster operations a broker without an authorizer reports as allowed (AuthHelper.authorizedOperations:
 * every operation AclEntry.supportedOperations lists for CLUSTER), as a bit field of AclOperation codes:
 * CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12.
 */
const CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12].reduce((bits, op) => bits | (1 << op), 0)
const NOT_REQUESTED = -2147483648

/**
 * Answers DescribeCluster as a Kafka broker does (KafkaApis.handleDescribeCluster,
 * AuthHelper.computeDescribeClusterResponse): the running brokers, the controller, and the cluster's
 * authorized operations when asked. A request for the controller endpoints gets
 * MISMATCHED_ENDPOINT_TYPE, an unknown endpoint type UNSUPPORTED_ENDPOINT_TYPE (INVALID_REQUEST in v0).
 */
export function describeClusterHandler(
  state: ClusterState,
): RequestHandler<DescribeClusterRequest, DescribeClusterResponse> {
  return {
    handle(_context, header, request) {
      const endpointType = request.endpointType ?? BROKER_ENDPOINT
      const fail = (errorCode: number, errorMessage: string): DescribeClusterResponse => ({
        throttleTimeMs: 0,
        errorCode: header.apiVersion === 0 ? ErrorCodes.INVALID_REQUEST : errorCode,
        errorMessage,
        endpointType: BROKER_ENDPOINT,
        clusterId: '',
        controllerId: -1,
        brokers: [],
        clusterAuthorizedOperations: NOT_REQUESTED,
      })
      if (endpointType !== BROKER_ENDPOINT && endpointType !== CONTROLLER_ENDPOINT) {
        return fail(ErrorCodes.UNSUPPORTED_ENDPOINT_TYPE, `Unsupported endpoint type ${endpointType}`)
      }
      if (endpointType !== BROKER_ENDPOINT) {
        return fail(
          ErrorCodes.MISMATCHED_ENDPOINT_TYPE,
          'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
        )
      }
      const brokers = state.brokers
        .filter((b) => b.running)
        .map((b) => ({ brokerId: b.nodeId, host: b.host, port: b.port, rack: null }))
      const controllerId = state.controllerId
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCodes.NONE,
        errorMessage: null,
        endpointType: BROKER_ENDPOINT,
        clusterId: state.config.clusterId,
        controllerId: brokers.some((b) => b.brokerId === controllerId) ? controllerId : -1,
        brokers,
        clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? CLUSTER_OPERATIONS : NOT_REQUESTED,
      }
    },
  }
}
