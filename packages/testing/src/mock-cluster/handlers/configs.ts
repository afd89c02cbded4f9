import {
  type AlterConfigsRequest,
  type AlterConfigsResponse,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
  type DescribeConfigsResponseDescribeConfigsResult,
  ErrorCodes,
  type IncrementalAlterConfigsRequest,
  type IncrementalAlterConfigsResponse,
} from '@tributary/core/protocol'
import type { ClusterState } from '../cluster-state.js'
import {
  BROKER_CONFIGS,
  ConfigError,
  ConfigSource,
  InvalidConfigurationError,
  TOPIC_CONFIGS,
} from '../config-schema.js'
import { validateTopicConfigs } from '../config-store.js'
import { invalidTopicName } from '../topic-rules.js'
import type { RequestHandler } from './handler.js'

// DescribeConfigs, AlterConfigs and IncrementalAlterConfigs as a Kafka 4 broker answers them, with
// the checks of the broker that receives the request (ConfigHelper, ConfigAdminManager.preprocess)
// and of the controller it forwards changes to (ControllerApis, ConfigurationControlManager,
// ControllerConfigurationValidator, LogConfig.validate), in their order and with their messages.

/** ConfigResource.Type ids. */
const TOPIC = 2
const BROKER = 4
const BROKER_LOGGER = 8
const CLIENT_METRICS = 16
const GROUP = 32
const TYPE_NAMES = new Map([
  [TOPIC, 'TOPIC'],
  [BROKER, 'BROKER'],
  [BROKER_LOGGER, 'BROKER_LOGGER'],
  [CLIENT_METRICS, 'CLIENT_METRICS'],
  [GROUP, 'GROUP'],
])

/** AlterConfigOp.OpType ids. */
const SET = 0
const DELETE = 1
const APPEND = 2
const SUBTRACT = 3

/** An error answered for a resource. */
interface ApiError {
  errorCode: number
  errorMessage: string | null
}

const NONE: ApiError = { errorCode: ErrorCodes.NONE, errorMessage: null }
const invalidRequest = (message: string): ApiError => ({ errorCode: ErrorCodes.INVALID_REQUEST, errorMessage: message })

/** Java's Integer.parseInt, or undefined. */
function parseInt32(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined
  const n = Number(text)
  return n >= -(2 ** 31) && n <= 2 ** 31 - 1 ? n : undefined
}

/** Answers DescribeConfigs (v1+) for topics and brokers, as ConfigHelper.describeConfigs does. */
export function describeConfigsHandler(
  state: ClusterState,
): RequestHandler<DescribeConfigsRequest, DescribeConfigsResponse> {
  return {
    handle(context, _header, request) {
      const includeSynonyms = request.includeSynonyms === true
      const results = request.resources.map((resource): DescribeConfigsResponseDescribeConfigsResult => {
        const result = (error: ApiError, configs: DescribeConfigsResponseDescribeConfigsResult['configs'] = []) => ({
          errorCode: error.errorCode,
          errorMessage: error.errorMessage,
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          configs,
        })
        const keys = resource.configurationKeys
        const name = resource.resourceName
        switch (resource.resourceType) {
          case TOPIC: {
            const problem = invalidTopicName(name)
            if (problem !== undefined)
              return result({ errorCode: ErrorCodes.INVALID_TOPIC_EXCEPTION, errorMessage: problem })
            const topic = state.topics.get(name)
            if (topic === undefined)
              return result({ errorCode: ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null })
            return result(NONE, state.configs.describeTopic(topic, context.brokerId, keys, includeSynonyms))
          }
          case BROKER: {
            if (name === '')
              return result(NONE, state.configs.describeClusterDefaults(context.brokerId, keys, includeSynonyms))
            const id = parseInt32(name)
            if (id === undefined) return result(invalidRequest(`Broker id must be an integer, but it is: ${name}`))
            if (id !== context.brokerId) {
              return result(
                invalidRequest(
                  `Unexpected broker id, expected ${context.brokerId} or empty string, but received ${name}`,
                ),
              )
            }
            return result(NONE, state.configs.describeBroker(context.brokerId, keys, includeSynonyms))
          }
          case BROKER_LOGGER: {
            if (name === '') return result(invalidRequest('Broker id must not be empty'))
            const id = parseInt32(name)
            if (id === undefined) return result(invalidRequest(`Broker id must be an integer, but it is: ${name}`))
            if (id !== context.brokerId) {
              return result(invalidRequest(`Unexpected broker id, expected ${context.brokerId} but received ${name}`))
            }
            const root = {
              name: 'root',
              value: 'INFO',
              readOnly: false,
              configSource: ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG,
              isSensitive: false,
              synonyms: [],
              configType: 0,
              documentation: null,
            }
            return result(NONE, keys === null || keys.length === 0 || keys.includes('root') ? [root] : [])
          }
          case CLIENT_METRICS:
            // No client metrics subscription exists in the mock: Kafka answers an empty list.
            if (name === '') return result(invalidRequest('Client metrics subscription name must not be empty'))
            return result(NONE)
          case GROUP:
            return result(invalidRequest('the mock cluster does not describe GROUP configs'))
          default:
            return result(invalidRequest(`Unexpected resource type UNKNOWN for resource ${name}`))
        }
      })
      return { throttleTimeMs: 0, results }
    },
  }
}

/** A requested change of one resource, as both AlterConfigs APIs carry it. */
interface ResourceChange {
  resourceType: number
  resourceName: string
  configs: Array<{ name: string; op: number; value: string | null }>
}

/** Answers AlterConfigs (the legacy API: the given configs replace the resource's). */
export function alterConfigsHandler(state: ClusterState): RequestHandler<AlterConfigsRequest, AlterConfigsResponse> {
  return {
    handle(context, _header, request) {
      const changes = request.resources.map(
        (r): ResourceChange => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          configs: r.configs.map((c) => ({ name: c.name, op: SET, value: c.value })),
        }),
      )
      const errors = alter(state, context.brokerId, changes, request.validateOnly, false)
      return { throttleTimeMs: 0, responses: responses(changes, errors) }
    },
  }
}

/** Answers IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT per config. */
export function incrementalAlterConfigsHandler(
  state: ClusterState,
): RequestHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> {
  return {
    handle(context, _header, request) {
      const changes = request.resources.map(
        (r): ResourceChange => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          configs: r.configs.map((c) => ({ name: c.name, op: c.configOperation, value: c.value })),
        }),
      )
      const errors = alter(state, context.brokerId, changes, request.validateOnly, true)
      return { throttleTimeMs: 0, responses: responses(changes, errors) }
    },
  }
}

function responses(changes: ResourceChange[], errors: ApiError[]) {
  return changes.map((c, i) => ({
    errorCode: (errors[i] as ApiError).errorCode,
    errorMessage: (errors[i] as ApiError).errorMessage,
    resourceType: c.resourceType,
    resourceName: c.resourceName,
  }))
}

/**
 * Both AlterConfigs APIs: first the receiving broker's preprocessing (duplicates, null values,
 * broker resources named after another broker, dynamic broker config validation), then the
 * controller's (topic names, LogConfig validation, existence), then the change, unless validateOnly.
 */
function alter(
  state: ClusterState,
  brokerId: number,
  changes: ResourceChange[],
  validateOnly: boolean,
  incremental: boolean,
): ApiError[] {
  const seen = new Map<string, number>()
  const errors: Array<ApiError | undefined> = changes.map(() => undefined)
  changes.forEach((c, i) => {
    const id = `${c.resourceType}:${c.resourceName}`
    const previous = seen.get(id)
    if (previous !== undefined) {
      const duplicate = invalidRequest('Each resource must appear at most once.')
      errors[previous] = duplicate
      errors[i] = duplicate
    }
    seen.set(id, i)
  })
  return changes.map((change, i) => errors[i] ?? alterOne(state, brokerId, change, validateOnly, incremental))
}

function alterOne(
  state: ClusterState,
  brokerId: number,
  change: ResourceChange,
  validateOnly: boolean,
  incremental: boolean,
): ApiError {
  // ConfigAdminManager.preprocess, on the broker that received the request.
  const names = change.configs.map((c) => c.name)
  if (new Set(names).size !== names.length) return invalidRequest('Error due to duplicate config keys')
  const nulls = change.configs.filter((c) => c.value === null && (!incremental || c.op !== DELETE)).map((c) => c.name)
  if (nulls.length > 0) return invalidRequest(`Null value not supported for : ${nulls.join(', ')}`)
  const unknownOp = change.configs.find((c) => c.op < SET || c.op > SUBTRACT)
  switch (change.resourceType) {
    case BROKER:
      return alterBroker(state, brokerId, change, validateOnly, incremental, unknownOp?.op)
    case TOPIC:
      if (unknownOp !== undefined) return invalidRequest(`Unknown operations type ${unknownOp.op}`)
      return alterTopic(state, change, validateOnly, incremental)
    case BROKER_LOGGER:
    case CLIENT_METRICS:
    case GROUP:
      if (change.resourceType === BROKER_LOGGER && !incremental) {
        return invalidRequest(`Unknown resource type ${change.resourceType}`)
      }
      return invalidRequest(`the mock cluster does not alter ${TYPE_NAMES.get(change.resourceType)} configs`)
    default:
      return invalidRequest(`Unknown resource type ${change.resourceType}`)
  }
}

/** The list a config currently holds, or its default, split as Kafka splits it (empty parts dropped). */
function parts(value: string | null | undefined): string[] {
  return (value ?? '').split(',').filter((p) => p !== '')
}

function alterBroker(
  state: ClusterState,
  brokerId: number,
  change: ResourceChange,
  validateOnly: boolean,
  incremental: boolean,
  unknownOp: number | undefined,
): ApiError {
  const name = change.resourceName
  let target: number | undefined
  if (name !== '') {
    target = parseInt32(name)
    if (target === undefined) return invalidRequest(`Node id must be an integer, but it is: ${name}`)
    if (target !== brokerId) return invalidRequest(`Unexpected broker id, expected ${brokerId}, but received ${name}`)
  }
  if (unknownOp !== undefined) return invalidRequest(`Unknown operations type ${unknownOp}`)
  const current = state.configs.dynamicBrokerConfigs(target)
  // The legacy API replaces the resource's configs; the incremental one changes the ones named.
  const next = incremental ? new Map(current) : new Map<string, string>()
  for (const c of change.configs) {
    const key = BROKER_CONFIGS.get(c.name)
    if (c.op === SET) next.set(c.name, c.value as string)
    else if (c.op === DELETE) next.delete(c.name)
    else {
      // ConfigAdminManager.prepareIncrementalConfigs: only LIST configs can be appended to.
      if (key === undefined) return { errorCode: ErrorCodes.UNKNOWN_SERVER_ERROR, errorMessage: null }
      const verb = c.op === APPEND ? 'append' : 'subtract'
      if (key.type !== 'LIST') {
        return {
          errorCode: ErrorCodes.INVALID_CONFIG,
          errorMessage: `Config value ${verb} is not allowed for config key: ${c.name}`,
        }
      }
      const old = parts(next.get(c.name) ?? key.default)
      const given = (c.value as string).split(',')
      next.set(
        c.name,
        (c.op === APPEND
          ? [...old, ...given.filter((v) => !old.includes(v))]
          : old.filter((v) => !given.includes(v))
        ).join(','),
      )
    }
  }
  const problem = state.configs.brokerConfigProblem(next)
  if (problem !== undefined) return invalidRequest(problem)
  if (!validateOnly) state.configs.setDynamicBrokerConfigs(target, next)
  return NONE
}

function alterTopic(
  state: ClusterState,
  change: ResourceChange,
  validateOnly: boolean,
  incremental: boolean,
): ApiError {
  const name = change.resourceName
  // ControllerConfigurationValidator: the name, then LogConfig.validate, then whether the topic exists.
  if (name === '') return invalidRequest('Default topic resources are not allowed.')
  const problem = invalidTopicName(name)
  if (problem !== undefined) return { errorCode: ErrorCodes.INVALID_TOPIC_EXCEPTION, errorMessage: problem }
  const topic = state.topics.get(name)
  const current = topic === undefined ? new Map<string, string>() : state.configs.topicOverrides(topic)
  let next: Map<string, string | null>
  if (!incremental) {
    next = new Map(change.configs.map((c) => [c.name, c.value]))
  } else {
    next = new Map(current)
    for (const c of change.configs) {
      if (c.op === SET) next.set(c.name, c.value)
      else if (c.op === DELETE) next.delete(c.name)
      else {
        const key = TOPIC_CONFIGS.get(c.name)
        const opName = c.op === APPEND ? 'APPEND' : 'SUBTRACT'
        if (key === undefined || key.type !== 'LIST') {
          return {
            errorCode: ErrorCodes.INVALID_CONFIG,
            errorMessage: `Can't ${opName} to key ${c.name} because its type is not LIST.`,
          }
        }
        const list = parts(next.get(c.name) ?? key.default)
        for (const v of (c.value as string).split(',')) {
          if (c.op === APPEND) {
            if (!list.includes(v)) list.push(v)
          } else {
            const at = list.indexOf(v)
            if (at >= 0) list.splice(at, 1)
          }
        }
        next.set(c.name, list.join(','))
      }
    }
  }
  try {
    validateTopicConfigs(next)
  } catch (error) {
    if (error instanceof ConfigError || error instanceof InvalidConfigurationError) {
      return { errorCode: ErrorCodes.INVALID_CONFIG, errorMessage: error.message }
    }
    throw error
  }
  if (topic === undefined) {
    return { errorCode: ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `The topic '${name}' does not exist.` }
  }
  if (!validateOnly) state.configs.setTopicOverrides(topic, next as Map<string, string>)
  return NONE
}
