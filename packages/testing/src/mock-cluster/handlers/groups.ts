import {
  ApiKeys,
  type DeleteGroupsRequest,
  type DeleteGroupsResponse,
  type DescribeGroupsRequest,
  type DescribeGroupsResponse,
  ErrorCodes,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type ListGroupsRequest,
  type ListGroupsResponse,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import { type JoinResult, joinError, type SyncResult, syncError } from '../groups/classic-group.js'
import { clientHostOf, groupFailures } from '../groups/failures.js'
import type { GroupContext } from '../groups/group-coordinator.js'
import type { BrokerContext, RequestHandler } from './handler.js'

// The classic group APIs (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) and the group admin APIs
// (ListGroups, DescribeGroups, DeleteGroups), answered as KafkaApis and GroupCoordinatorService do:
// checks on the request first (INVALID_GROUP_ID, INVALID_SESSION_TIMEOUT, the mandatory protocol
// of SyncGroup v5), then NOT_COORDINATOR on a broker that does not coordinate the group, then the
// coordinator's answer.

/** Every operation Kafka supports on a GROUP resource (AclEntry.supportedOperations), as a bit field. */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 11)

export function groupContext(context: BrokerContext, clientId: string | null, apiVersion: number): GroupContext {
  return {
    brokerId: context.brokerId,
    clientId: clientId ?? '',
    clientHost: clientHostOf(context.connection.remote),
    apiVersion,
  }
}

export function joinGroupHandler(state: ClusterState): RequestHandler<JoinGroupRequest, JoinGroupResponse> {
  return {
    handle(context, header, r) {
      const version = header.apiVersion
      const encode = (res: JoinResult): JoinGroupResponse => ({
        throttleTimeMs: 0,
        errorCode: res.errorCode,
        generationId: res.generationId,
        protocolType: res.protocolType,
        // Not nullable before v7: Kafka sends '' for no protocol.
        protocolName: version >= 7 ? res.protocolName : (res.protocolName ?? ''),
        leader: res.leader,
        skipAssignment: res.skipAssignment,
        memberId: res.memberId,
        members: res.members,
      })
      const failures = groupFailures(state, ApiKeys.JoinGroup, context.brokerId)
      const injected = failures.group(r.groupId)
      failures.commit()
      if (injected !== undefined) return encode(joinError(injected, r.memberId))
      if (r.groupId === '') return encode(joinError(ErrorCodes.INVALID_GROUP_ID, r.memberId))
      const { minSessionTimeoutMs, maxSessionTimeoutMs } = state.groups.config
      if (r.sessionTimeoutMs < minSessionTimeoutMs || r.sessionTimeoutMs > maxSessionTimeoutMs) {
        return encode(joinError(ErrorCodes.INVALID_SESSION_TIMEOUT, r.memberId))
      }
      const wrongBroker = state.groups.checkCoordinator(r.groupId, context.brokerId)
      if (wrongBroker !== ErrorCodes.NONE) return encode(joinError(wrongBroker, ''))
      // JoinGroup v0 has no rebalance timeout: the session timeout stands in for it, as in Kafka.
      const request = version === 0 ? { ...r, rebalanceTimeoutMs: r.sessionTimeoutMs } : r
      return state.groups.joinGroup(groupContext(context, header.clientId, version), request).then(encode)
    },
  }
}

export function syncGroupHandler(state: ClusterState): RequestHandler<SyncGroupRequest, SyncGroupResponse> {
  return {
    handle(context, header, r) {
      const encode = (res: SyncResult): SyncGroupResponse => ({ throttleTimeMs: 0, ...res })
      if (header.apiVersion >= 5 && (r.protocolType === null || r.protocolName === null)) {
        return encode(syncError(ErrorCodes.INCONSISTENT_GROUP_PROTOCOL))
      }
      const failures = groupFailures(state, ApiKeys.SyncGroup, context.brokerId)
      const injected = failures.group(r.groupId)
      failures.commit()
      if (injected !== undefined) return encode(syncError(injected))
      if (r.groupId === '') return encode(syncError(ErrorCodes.INVALID_GROUP_ID))
      const wrongBroker = state.groups.checkCoordinator(r.groupId, context.brokerId)
      if (wrongBroker !== ErrorCodes.NONE) return encode(syncError(wrongBroker))
      return state.groups.syncGroup(r).then(encode)
    },
  }
}

export function heartbeatHandler(state: ClusterState): RequestHandler<HeartbeatRequest, HeartbeatResponse> {
  return {
    handle(context, _header, r) {
      const failures = groupFailures(state, ApiKeys.Heartbeat, context.brokerId)
      const injected = failures.group(r.groupId)
      failures.commit()
      const errorCode =
        injected ??
        (r.groupId === ''
          ? ErrorCodes.INVALID_GROUP_ID
          : state.groups.checkCoordinator(r.groupId, context.brokerId) ||
            state.groups.heartbeat(r.groupId, r.memberId, r.groupInstanceId ?? null, r.generationId))
      return { throttleTimeMs: 0, errorCode }
    },
  }
}

export function leaveGroupHandler(state: ClusterState): RequestHandler<LeaveGroupRequest, LeaveGroupResponse> {
  return {
    handle(context, header, r) {
      const version = header.apiVersion
      // Before v3 one member leaves, by member id.
      const members =
        version >= 3
          ? (r.members ?? []).map((m) => ({
              memberId: m.memberId ?? '',
              groupInstanceId: m.groupInstanceId ?? null,
              reason: m.reason ?? null,
            }))
          : [{ memberId: r.memberId ?? '', groupInstanceId: null, reason: null }]
      const encode = (result: {
        errorCode: number
        members: Array<{ memberId: string; groupInstanceId: string | null; errorCode: number }>
      }): LeaveGroupResponse => {
        if (version >= 3) return { throttleTimeMs: 0, errorCode: result.errorCode, members: result.members }
        // Before v3 the member's error is the top-level one (LeaveGroupResponse.getError).
        const first = result.members.find((m) => m.errorCode !== ErrorCodes.NONE)?.errorCode ?? ErrorCodes.NONE
        return { throttleTimeMs: 0, errorCode: result.errorCode !== ErrorCodes.NONE ? result.errorCode : first }
      }
      const failures = groupFailures(state, ApiKeys.LeaveGroup, context.brokerId)
      const injected = failures.group(r.groupId)
      failures.commit()
      if (injected !== undefined) return encode({ errorCode: injected, members: [] })
      if (r.groupId === '') return encode({ errorCode: ErrorCodes.INVALID_GROUP_ID, members: [] })
      const wrongBroker = state.groups.checkCoordinator(r.groupId, context.brokerId)
      if (wrongBroker !== ErrorCodes.NONE) return encode({ errorCode: wrongBroker, members: [] })
      return encode(state.groups.leaveGroup(r.groupId, members))
    },
  }
}

export function listGroupsHandler(state: ClusterState): RequestHandler<ListGroupsRequest, ListGroupsResponse> {
  return {
    handle(context, _header, r) {
      const failures = groupFailures(state, ApiKeys.ListGroups, context.brokerId)
      const injected = failures.group('')
      failures.commit()
      if (injected !== undefined) return { throttleTimeMs: 0, errorCode: injected, groups: [] }
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCodes.NONE,
        groups: state.groups.listGroups(context.brokerId, r.statesFilter ?? [], r.typesFilter ?? []),
      }
    },
  }
}

export function describeGroupsHandler(
  state: ClusterState,
): RequestHandler<DescribeGroupsRequest, DescribeGroupsResponse> {
  return {
    handle(context, header, r) {
      const failures = groupFailures(state, ApiKeys.DescribeGroups, context.brokerId)
      const failed = (groupId: string, errorCode: number) => ({
        errorCode,
        groupId,
        groupState: '',
        protocolType: '',
        protocolData: '',
        members: [],
      })
      const groups = r.groups.map((groupId) => {
        const injected = failures.group(groupId)
        if (injected !== undefined) return failed(groupId, injected)
        const wrongBroker = state.groups.checkCoordinator(groupId, context.brokerId)
        if (wrongBroker !== ErrorCodes.NONE) return failed(groupId, wrongBroker)
        const described = state.groups.describeGroup(groupId)
        return {
          errorCode: ErrorCodes.NONE,
          groupId,
          ...described,
          ...(header.apiVersion >= 3 && r.includeAuthorizedOperations === true
            ? { authorizedOperations: GROUP_OPERATIONS }
            : {}),
        }
      })
      failures.commit()
      return { throttleTimeMs: 0, groups }
    },
  }
}

export function deleteGroupsHandler(state: ClusterState): RequestHandler<DeleteGroupsRequest, DeleteGroupsResponse> {
  return {
    handle(context, _header, r) {
      const failures = groupFailures(state, ApiKeys.DeleteGroups, context.brokerId)
      const results = [...new Set(r.groupsNames)].map((groupId) => {
        const injected = failures.group(groupId)
        if (injected !== undefined) return { groupId, errorCode: injected }
        const wrongBroker = state.groups.checkCoordinator(groupId, context.brokerId)
        if (wrongBroker !== ErrorCodes.NONE) return { groupId, errorCode: wrongBroker }
        return { groupId, errorCode: state.groups.deleteGroup(groupId) }
      })
      failures.commit()
      return { throttleTimeMs: 0, results }
    },
  }
}
