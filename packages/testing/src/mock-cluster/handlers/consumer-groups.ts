import {
  ApiKeys,
  type ConsumerGroupDescribeRequest,
  type ConsumerGroupDescribeResponse,
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
  ErrorCodes,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import { groupFailures } from '../groups/failures.js'
import { groupContext } from './groups.js'
import type { RequestHandler } from './handler.js'

// The KIP-848 consumer group APIs: ConsumerGroupHeartbeat (join, heartbeat, reconcile, leave in
// one request) and ConsumerGroupDescribe.

/** Every operation Kafka supports on a GROUP resource (AclEntry.supportedOperations), as a bit field. */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 11)

export function consumerGroupHeartbeatHandler(
  state: ClusterState,
): RequestHandler<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse> {
  return {
    handle(context, header, r) {
      const failed = (errorCode: number): ConsumerGroupHeartbeatResponse => ({
        throttleTimeMs: 0,
        errorCode,
        errorMessage: null,
        memberId: null,
        memberEpoch: 0,
        heartbeatIntervalMs: 0,
        assignment: null,
      })
      const failures = groupFailures(state, ApiKeys.ConsumerGroupHeartbeat, context.brokerId)
      const injected = failures.group(r.groupId)
      failures.commit()
      if (injected !== undefined) return failed(injected)
      if (r.groupId !== '') {
        const wrongBroker = state.groups.checkCoordinator(r.groupId, context.brokerId)
        if (wrongBroker !== ErrorCodes.NONE) return failed(wrongBroker)
      }
      return {
        throttleTimeMs: 0,
        ...state.groups.consumerGroupHeartbeat(groupContext(context, header.clientId, header.apiVersion), r),
      }
    },
  }
}

export function consumerGroupDescribeHandler(
  state: ClusterState,
): RequestHandler<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse> {
  return {
    handle(context, _header, r) {
      const failures = groupFailures(state, ApiKeys.ConsumerGroupDescribe, context.brokerId)
      const failed = (groupId: string, errorCode: number) => ({
        errorCode,
        errorMessage: null,
        groupId,
        groupState: '',
        groupEpoch: 0,
        assignmentEpoch: 0,
        assignorName: '',
        members: [],
        authorizedOperations: -2147483648,
      })
      const groups = r.groupIds.map((groupId) => {
        const injected = failures.group(groupId)
        if (injected !== undefined) return failed(groupId, injected)
        if (groupId === '') return failed(groupId, ErrorCodes.INVALID_GROUP_ID)
        const wrongBroker = state.groups.checkCoordinator(groupId, context.brokerId)
        if (wrongBroker !== ErrorCodes.NONE) return failed(groupId, wrongBroker)
        const d = state.groups.describeConsumerGroup(groupId)
        return {
          ...d,
          groupId,
          members: d.members.map((m) => ({
            ...m,
            subscribedTopicRegex: null,
            assignment: { topicPartitions: m.assignment },
            targetAssignment: { topicPartitions: m.targetAssignment },
          })),
          authorizedOperations: r.includeAuthorizedOperations ? GROUP_OPERATIONS : -2147483648,
        }
      })
      failures.commit()
      return { throttleTimeMs: 0, groups }
    },
  }
}
