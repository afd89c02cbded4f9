// Generated from Kafka's ConsumerGroupDescribeRequest.json/ConsumerGroupDescribeResponse.json by scripts/generate-protocol.mjs — do not edit.
//
// ConsumerGroupDescribe (API key 69)
//   valid versions: 0
//   flexible versions: 0+
//
// ConsumerGroupDescribe Request (Version: 0) => [group_ids] include_authorized_operations _tagged_fields
//   group_ids => COMPACT_STRING
//   include_authorized_operations => BOOLEAN
//
// ConsumerGroupDescribe Response (Version: 0) => throttle_time_ms [groups] _tagged_fields
//   throttle_time_ms => INT32
//   groups => error_code error_message group_id group_state group_epoch assignment_epoch assignor_name [members] authorized_operations _tagged_fields
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//     group_id => COMPACT_STRING
//     group_state => COMPACT_STRING
//     group_epoch => INT32
//     assignment_epoch => INT32
//     assignor_name => COMPACT_STRING
//     members => member_id instance_id rack_id member_epoch client_id client_host [subscribed_topic_names] subscribed_topic_regex assignment target_assignment _tagged_fields
//       member_id => COMPACT_STRING
//       instance_id => COMPACT_NULLABLE_STRING
//       rack_id => COMPACT_NULLABLE_STRING
//       member_epoch => INT32
//       client_id => COMPACT_STRING
//       client_host => COMPACT_STRING
//       subscribed_topic_names => COMPACT_STRING
//       subscribed_topic_regex => COMPACT_NULLABLE_STRING
//       assignment => [topic_partitions] _tagged_fields
//         topic_partitions => topic_id topic_name [partitions] _tagged_fields
//           topic_id => UUID
//           topic_name => COMPACT_STRING
//           partitions => INT32
//       target_assignment => [topic_partitions] _tagged_fields
//         topic_partitions => topic_id topic_name [partitions] _tagged_fields
//           topic_id => UUID
//           topic_name => COMPACT_STRING
//           partitions => INT32
//     authorized_operations => INT32

import type { Reader } from '../../buffer/reader.js'
import type { Writer } from '../../buffer/writer.js'
import type { ApiDefinition } from '../api-definition.js'
import { nullNotAllowed, unsupportedVersion } from '../support.js'

/** ConsumerGroupDescribe (API key 69), versions 0-0. */
export const consumerGroupDescribe: ApiDefinition<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse> = {
  apiKey: 69,
  name: 'ConsumerGroupDescribe',
  minVersion: 0,
  maxVersion: 0,
  firstFlexibleVersion: 0,
  encodeRequest(writer: Writer, version: number, request: ConsumerGroupDescribeRequest): void {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('ConsumerGroupDescribe', version, 0, 0)
    writeConsumerGroupDescribeRequest(writer, version, request)
  },
  decodeRequest(reader: Reader, version: number): ConsumerGroupDescribeRequest {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('ConsumerGroupDescribe', version, 0, 0)
    return readConsumerGroupDescribeRequest(reader, version)
  },
  encodeResponse(writer: Writer, version: number, response: ConsumerGroupDescribeResponse): void {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('ConsumerGroupDescribe', version, 0, 0)
    writeConsumerGroupDescribeResponse(writer, version, response)
  },
  decodeResponse(reader: Reader, version: number): ConsumerGroupDescribeResponse {
    if (!(version >= 0 && version <= 0)) throw unsupportedVersion('ConsumerGroupDescribe', version, 0, 0)
    return readConsumerGroupDescribeResponse(reader, version)
  },
}

/** The ConsumerGroupDescribe request. */
export interface ConsumerGroupDescribeRequest {
  /** The ids of the groups to describe. (Versions 0+.) */
  groupIds: string[]
  /** Whether to include authorized operations. (Versions 0+.) */
  includeAuthorizedOperations: boolean
}

function writeConsumerGroupDescribeRequest(w: Writer, _version: number, s: ConsumerGroupDescribeRequest): void {
  const groupIds = s.groupIds
  w.writeCompactArrayLength(groupIds.length)
  for (const item of groupIds) w.writeCompactString(item)
  w.writeBoolean(s.includeAuthorizedOperations)
  w.writeEmptyTaggedFields()
}

function readConsumerGroupDescribeRequest(r: Reader, version: number): ConsumerGroupDescribeRequest {
  const groupIdsCount = r.readCompactArrayLength(1)
  if (groupIdsCount === null) throw nullNotAllowed('ConsumerGroupDescribeRequest.groupIds', version)
  const groupIds: string[] = []
  for (let i = 0; i < groupIdsCount; i++) groupIds.push(r.readCompactString())
  const includeAuthorizedOperations = r.readBoolean()
  r.readTaggedFields()
  return { groupIds, includeAuthorizedOperations }
}

/** The ConsumerGroupDescribe response. */
export interface ConsumerGroupDescribeResponse {
  /**
   * The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the
   * request did not violate any quota. (Versions 0+.)
   */
  throttleTimeMs: number
  /** Each described group. (Versions 0+.) */
  groups: ConsumerGroupDescribeResponseDescribedGroup[]
}

/** DescribedGroup in ConsumerGroupDescribeResponse. */
export interface ConsumerGroupDescribeResponseDescribedGroup {
  /** The describe error, or 0 if there was no error. (Versions 0+.) */
  errorCode: number
  /** The top-level error message, or null if there was no error. (Versions 0+, nullable 0+, default null.) */
  errorMessage: string | null
  /** The group ID string. (Versions 0+.) */
  groupId: string
  /** The group state string, or the empty string. (Versions 0+.) */
  groupState: string
  /** The group epoch. (Versions 0+.) */
  groupEpoch: number
  /** The assignment epoch. (Versions 0+.) */
  assignmentEpoch: number
  /** The selected assignor. (Versions 0+.) */
  assignorName: string
  /** The members. (Versions 0+.) */
  members: ConsumerGroupDescribeResponseMember[]
  /** 32-bit bitfield to represent authorized operations for this group. (Versions 0+, default -2147483648.) */
  authorizedOperations: number
}

/** Member in ConsumerGroupDescribeResponse. */
export interface ConsumerGroupDescribeResponseMember {
  /** The member ID. (Versions 0+.) */
  memberId: string
  /** The member instance ID. (Versions 0+, nullable 0+, default null.) */
  instanceId: string | null
  /** The member rack ID. (Versions 0+, nullable 0+, default null.) */
  rackId: string | null
  /** The current member epoch. (Versions 0+.) */
  memberEpoch: number
  /** The client ID. (Versions 0+.) */
  clientId: string
  /** The client host. (Versions 0+.) */
  clientHost: string
  /** The subscribed topic names. (Versions 0+.) */
  subscribedTopicNames: string[]
  /** the subscribed topic regex otherwise or null of not provided. (Versions 0+, nullable 0+, default null.) */
  subscribedTopicRegex: string | null
  /** The current assignment. (Versions 0+.) */
  assignment: ConsumerGroupDescribeResponseAssignment
  /** The target assignment. (Versions 0+.) */
  targetAssignment: ConsumerGroupDescribeResponseAssignment
}

/** Assignment in ConsumerGroupDescribeResponse. */
export interface ConsumerGroupDescribeResponseAssignment {
  /** The assigned topic-partitions to the member. (Versions 0+.) */
  topicPartitions: ConsumerGroupDescribeResponseTopicPartitions[]
}

/** TopicPartitions in ConsumerGroupDescribeResponse. */
export interface ConsumerGroupDescribeResponseTopicPartitions {
  /** The topic ID. (Versions 0+.) */
  topicId: string
  /** The topic name. (Versions 0+.) */
  topicName: string
  /** The partitions. (Versions 0+.) */
  partitions: number[]
}

function writeConsumerGroupDescribeResponse(w: Writer, version: number, s: ConsumerGroupDescribeResponse): void {
  w.writeInt32(s.throttleTimeMs)
  const groups = s.groups
  w.writeCompactArrayLength(groups.length)
  for (const item of groups) writeConsumerGroupDescribeResponseDescribedGroup(w, version, item)
  w.writeEmptyTaggedFields()
}

function readConsumerGroupDescribeResponse(r: Reader, version: number): ConsumerGroupDescribeResponse {
  const throttleTimeMs = r.readInt32()
  const groupsCount = r.readCompactArrayLength(20)
  if (groupsCount === null) throw nullNotAllowed('ConsumerGroupDescribeResponse.groups', version)
  const groups: ConsumerGroupDescribeResponseDescribedGroup[] = []
  for (let i = 0; i < groupsCount; i++) groups.push(readConsumerGroupDescribeResponseDescribedGroup(r, version))
  r.readTaggedFields()
  return { throttleTimeMs, groups }
}

function writeConsumerGroupDescribeResponseDescribedGroup(
  w: Writer,
  version: number,
  s: ConsumerGroupDescribeResponseDescribedGroup,
): void {
  w.writeInt16(s.errorCode)
  w.writeCompactString(s.errorMessage)
  w.writeCompactString(s.groupId)
  w.writeCompactString(s.groupState)
  w.writeInt32(s.groupEpoch)
  w.writeInt32(s.assignmentEpoch)
  w.writeCompactString(s.assignorName)
  const members = s.members
  w.writeCompactArrayLength(members.length)
  for (const item of members) writeConsumerGroupDescribeResponseMember(w, version, item)
  w.writeInt32(s.authorizedOperations)
  w.writeEmptyTaggedFields()
}

function readConsumerGroupDescribeResponseDescribedGroup(
  r: Reader,
  version: number,
): ConsumerGroupDescribeResponseDescribedGroup {
  const errorCode = r.readInt16()
  const errorMessage = r.readCompactNullableString()
  const groupId = r.readCompactString()
  const groupState = r.readCompactString()
  const groupEpoch = r.readInt32()
  const assignmentEpoch = r.readInt32()
  const assignorName = r.readCompactString()
  const membersCount = r.readCompactArrayLength(16)
  if (membersCount === null) throw nullNotAllowed('ConsumerGroupDescribeResponseDescribedGroup.members', version)
  const members: ConsumerGroupDescribeResponseMember[] = []
  for (let i = 0; i < membersCount; i++) members.push(readConsumerGroupDescribeResponseMember(r, version))
  const authorizedOperations = r.readInt32()
  r.readTaggedFields()
  return {
    errorCode,
    errorMessage,
    groupId,
    groupState,
    groupEpoch,
    assignmentEpoch,
    assignorName,
    members,
    authorizedOperations,
  }
}

function writeConsumerGroupDescribeResponseMember(
  w: Writer,
  version: number,
  s: ConsumerGroupDescribeResponseMember,
): void {
  w.writeCompactString(s.memberId)
  w.writeCompactString(s.instanceId)
  w.writeCompactString(s.rackId)
  w.writeInt32(s.memberEpoch)
  w.writeCompactString(s.clientId)
  w.writeCompactString(s.clientHost)
  const subscribedTopicNames = s.subscribedTopicNames
  w.writeCompactArrayLength(subscribedTopicNames.length)
  for (const item of subscribedTopicNames) w.writeCompactString(item)
  w.writeCompactString(s.subscribedTopicRegex)
  const assignment = s.assignment
  writeConsumerGroupDescribeResponseAssignment(w, version, assignment)
  const targetAssignment = s.targetAssignment
  writeConsumerGroupDescribeResponseAssignment(w, version, targetAssignment)
  w.writeEmptyTaggedFields()
}

function readConsumerGroupDescribeResponseMember(r: Reader, version: number): ConsumerGroupDescribeResponseMember {
  const memberId = r.readCompactString()
  const instanceId = r.readCompactNullableString()
  const rackId = r.readCompactNullableString()
  const memberEpoch = r.readInt32()
  const clientId = r.readCompactString()
  const clientHost = r.readCompactString()
  const subscribedTopicNamesCount = r.readCompactArrayLength(1)
  if (subscribedTopicNamesCount === null)
    throw nullNotAllowed('ConsumerGroupDescribeResponseMember.subscribedTopicNames', version)
  const subscribedTopicNames: string[] = []
  for (let i = 0; i < subscribedTopicNamesCount; i++) subscribedTopicNames.push(r.readCompactString())
  const subscribedTopicRegex = r.readCompactNullableString()
  const assignment = readConsumerGroupDescribeResponseAssignment(r, version)
  const targetAssignment = readConsumerGroupDescribeResponseAssignment(r, version)
  r.readTaggedFields()
  return {
    memberId,
    instanceId,
    rackId,
    memberEpoch,
    clientId,
    clientHost,
    subscribedTopicNames,
    subscribedTopicRegex,
    assignment,
    targetAssignment,
  }
}

function writeConsumerGroupDescribeResponseAssignment(
  w: Writer,
  version: number,
  s: ConsumerGroupDescribeResponseAssignment,
): void {
  const topicPartitions = s.topicPartitions
  w.writeCompactArrayLength(topicPartitions.length)
  for (const item of topicPartitions) writeConsumerGroupDescribeResponseTopicPartitions(w, version, item)
  w.writeEmptyTaggedFields()
}

function readConsumerGroupDescribeResponseAssignment(
  r: Reader,
  version: number,
): ConsumerGroupDescribeResponseAssignment {
  const topicPartitionsCount = r.readCompactArrayLength(19)
  if (topicPartitionsCount === null)
    throw nullNotAllowed('ConsumerGroupDescribeResponseAssignment.topicPartitions', version)
  const topicPartitions: ConsumerGroupDescribeResponseTopicPartitions[] = []
  for (let i = 0; i < topicPartitionsCount; i++)
    topicPartitions.push(readConsumerGroupDescribeResponseTopicPartitions(r, version))
  r.readTaggedFields()
  return { topicPartitions }
}

function writeConsumerGroupDescribeResponseTopicPartitions(
  w: Writer,
  _version: number,
  s: ConsumerGroupDescribeResponseTopicPartitions,
): void {
  w.writeUuid(s.topicId)
  w.writeCompactString(s.topicName)
  const partitions = s.partitions
  w.writeCompactArrayLength(partitions.length)
  for (const item of partitions) w.writeInt32(item)
  w.writeEmptyTaggedFields()
}

function readConsumerGroupDescribeResponseTopicPartitions(
  r: Reader,
  version: number,
): ConsumerGroupDescribeResponseTopicPartitions {
  const topicId = r.readUuid()
  const topicName = r.readCompactString()
  const partitionsCount = r.readCompactArrayLength(4)
  if (partitionsCount === null) throw nullNotAllowed('ConsumerGroupDescribeResponseTopicPartitions.partitions', version)
  const partitions: number[] = []
  for (let i = 0; i < partitionsCount; i++) partitions.push(r.readInt32())
  r.readTaggedFields()
  return { topicId, topicName, partitions }
}
