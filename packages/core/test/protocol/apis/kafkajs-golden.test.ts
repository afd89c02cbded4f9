import { Buffer } from 'node:buffer'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import type { ApiDefinition } from '../../../src/protocol/apis/api-definition.js'
import {
  apiVersions,
  createTopics,
  deleteTopics,
  type FetchResponse,
  fetch,
  findCoordinator,
  initProducerId,
  listOffsets,
  metadata,
  type ProduceRequest,
  produce,
} from '../../../src/protocol/apis/index.js'
import { Reader } from '../../../src/protocol/buffer/reader.js'
import { Writer } from '../../../src/protocol/buffer/writer.js'
import { encodeRequestFrame } from '../../../src/protocol/frame.js'

// Golden tests against kafkajs's own protocol code (its CommonJS sources): our request bodies must
// equal the bytes kafkajs encodes for the same request, and our responses must decode with kafkajs's
// decode + parse to the values we encoded.

const require = createRequire(import.meta.url)

interface KafkajsRequest {
  apiKey: number
  apiVersion: number
  encode(): Promise<{ buffer: Buffer }>
}
interface KafkajsResponse {
  decode(raw: Buffer): Promise<unknown>
  parse(data: unknown): Promise<unknown>
}

const kafkajsRequest = (api: string, version: number) =>
  require(`kafkajs/src/protocol/requests/${api}/v${version}/request.js`) as (args: object) => KafkajsRequest
const kafkajsResponse = (api: string, version: number) =>
  require(`kafkajs/src/protocol/requests/${api}/v${version}/response.js`) as KafkajsResponse
const kafkajsFrame = require('kafkajs/src/protocol/request.js') as (args: {
  correlationId: number
  clientId: string
  request: KafkajsRequest
}) => Promise<{ buffer: Buffer }>
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch(args: object): Promise<{ buffer: Buffer }>
}
const KafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (args: object) => unknown
const MessageSet = require('kafkajs/src/protocol/messageSet/index.js') as (args: object) => { buffer: Buffer }

async function theirBody(api: string, version: number, args: object): Promise<Buffer> {
  return (await kafkajsRequest(api, version)(args).encode()).buffer
}

function ourRequestBody<Req>(api: ApiDefinition<Req, unknown>, version: number, request: Req): Buffer {
  const w = new Writer(64)
  api.encodeRequest(w, version, request)
  return w.toBufferCopy()
}

function ourResponseBody<Res>(api: ApiDefinition<unknown, Res>, version: number, response: Res): Buffer {
  const w = new Writer(64)
  api.encodeResponse(w, version, response)
  return w.toBufferCopy()
}

async function theirDecode(api: string, version: number, bytes: Buffer): Promise<unknown> {
  const module = kafkajsResponse(api, version)
  return module.parse(await module.decode(bytes))
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** kafkajs reports throttle time as throttleTime up to some version, then as clientSideThrottleTime. */
function throttle(version: number, since: number, clientSideSince: number, value: number): object {
  if (version < since) return {}
  return version >= clientSideSince ? { throttleTime: 0, clientSideThrottleTime: value } : { throttleTime: value }
}

describe('ApiVersions against kafkajs', () => {
  for (const version of range(0, 2)) {
    it(`encodes the same v${version} request frame as kafkajs`, async () => {
      const theirs = await kafkajsFrame({
        correlationId: 42,
        clientId: 'golden-client',
        request: kafkajsRequest('apiVersions', version)({}),
      })
      const w = new Writer()
      encodeRequestFrame(w, apiVersions, version, 42, 'golden-client', {})
      expect(w.toBufferCopy().equals(theirs.buffer)).toBe(true)
    })

    it(`writes a v${version} response kafkajs decodes`, async () => {
      const bytes = ourResponseBody(apiVersions, version, {
        errorCode: 0,
        apiKeys: [
          { apiKey: 0, minVersion: 3, maxVersion: 11 },
          { apiKey: 18, minVersion: 0, maxVersion: 4 },
        ],
        throttleTimeMs: 17,
      })
      const decoded = await theirDecode('apiVersions', version, bytes)
      expect(decoded).toEqual({
        errorCode: 0,
        apiVersions: [
          { apiKey: 0, minVersion: 3, maxVersion: 11 },
          { apiKey: 18, minVersion: 0, maxVersion: 4 },
        ],
        ...throttle(version, 1, 2, 17),
      })
    })
  }
})

describe('Metadata against kafkajs', () => {
  for (const version of range(0, 6)) {
    it(`encodes the same v${version} request body as kafkajs for named topics`, async () => {
      const theirs = await theirBody('metadata', version, {
        topics: ['orders', 'päyments'],
        allowAutoTopicCreation: false,
      })
      const ours = ourRequestBody(metadata, version, {
        topics: [{ name: 'orders' }, { name: 'päyments' }],
        allowAutoTopicCreation: false,
      })
      expect(ours.equals(theirs)).toBe(true)
    })

    if (version >= 1) {
      it(`encodes the same v${version} request body as kafkajs for all topics (null)`, async () => {
        const theirs = await theirBody('metadata', version, { topics: [] })
        const ours = ourRequestBody(metadata, version, { topics: null })
        expect(ours.equals(theirs)).toBe(true)
      })
    }

    it(`writes a v${version} response kafkajs decodes`, async () => {
      const bytes = ourResponseBody(metadata, version, {
        throttleTimeMs: 9,
        brokers: [
          { nodeId: 1, host: 'b1.local', port: 9092, rack: 'r1' },
          { nodeId: 2, host: 'b2.local', port: 9093, rack: null },
        ],
        clusterId: 'cluster-x',
        controllerId: 2,
        topics: [
          {
            errorCode: 0,
            name: 'orders',
            isInternal: false,
            partitions: [
              {
                errorCode: 0,
                partitionIndex: 0,
                leaderId: 1,
                leaderEpoch: 4,
                replicaNodes: [1, 2],
                isrNodes: [1],
                offlineReplicas: [2],
              },
            ],
          },
        ],
      })
      const decoded = await theirDecode('metadata', version, bytes)
      expect(decoded).toEqual({
        ...throttle(version, 3, 6, 9),
        brokers: [
          { nodeId: 1, host: 'b1.local', port: 9092, ...(version >= 1 ? { rack: 'r1' } : {}) },
          { nodeId: 2, host: 'b2.local', port: 9093, ...(version >= 1 ? { rack: null } : {}) },
        ],
        ...(version >= 2 ? { clusterId: 'cluster-x' } : {}),
        ...(version >= 1 ? { controllerId: 2 } : {}),
        topicMetadata: [
          {
            topicErrorCode: 0,
            topic: 'orders',
            ...(version >= 1 ? { isInternal: false } : {}),
            partitionMetadata: [
              {
                partitionErrorCode: 0,
                partitionId: 0,
                leader: 1,
                replicas: [1, 2],
                isr: [1],
                ...(version >= 5 ? { offlineReplicas: [2] } : {}),
              },
            ],
          },
        ],
      })
    })
  }
})

describe('Produce against kafkajs', () => {
  const messages = [
    { key: 'k1', value: 'v1', timestamp: 1_700_000_000_000 },
    { key: null, value: 'a longer value that makes the record set bigger', timestamp: 1_700_000_000_001 },
  ]

  for (const version of range(0, 7)) {
    it(`frames records exactly as kafkajs does in a v${version} request`, async () => {
      const args = {
        acks: -1,
        timeout: 30_000,
        transactionalId: version >= 3 ? 'tx-1' : undefined,
        topicData: [
          {
            topic: 'orders',
            partitions: [
              { partition: 0, messages },
              { partition: 3, messages: messages.slice(0, 1) },
            ],
          },
          { topic: 'audit', partitions: [{ partition: 1, messages }] },
        ],
      }
      const theirs = await theirBody('produce', version, args)
      // Our decoder reads the framing; the records are kafkajs's own bytes (message sets or batches).
      const decoded = produce.decodeRequest(new Reader(theirs), version)
      expect(decoded).toMatchObject({
        transactionalId: version >= 3 ? 'tx-1' : null,
        acks: -1,
        timeoutMs: 30_000,
        topicData: [
          { name: 'orders', partitionData: [{ index: 0 }, { index: 3 }] },
          { name: 'audit', partitionData: [{ index: 1 }] },
        ],
      })
      const records = decoded.topicData.flatMap((t) => t.partitionData.map((p) => p.records))
      for (const r of records) expect(r?.length).toBeGreaterThan(0)
      const request: ProduceRequest = {
        transactionalId: version >= 3 ? 'tx-1' : null,
        acks: -1,
        timeoutMs: 30_000,
        topicData: [
          {
            name: 'orders',
            partitionData: [
              { index: 0, records: records[0] ?? null },
              { index: 3, records: records[1] ?? null },
            ],
          },
          { name: 'audit', partitionData: [{ index: 1, records: records[2] ?? null }] },
        ],
      }
      expect(ourRequestBody(produce, version, request).equals(theirs)).toBe(true)
    })

    it(`writes a v${version} response kafkajs decodes`, async () => {
      const bytes = ourResponseBody(produce, version, {
        responses: [
          {
            name: 'orders',
            partitionResponses: [
              {
                index: 0,
                errorCode: 0,
                baseOffset: 1234567890123n,
                logAppendTimeMs: 1_700_000_000_002n,
                logStartOffset: 7n,
              },
              { index: 3, errorCode: 0, baseOffset: 0n, logAppendTimeMs: -1n, logStartOffset: 0n },
            ],
          },
        ],
        throttleTimeMs: 5,
      })
      const decoded = await theirDecode('produce', version, bytes)
      const partition = (p: number, base: string, appendTime: string, start: string) => ({
        partition: p,
        errorCode: 0,
        // kafkajs names the base offset `offset` and the log append time `timestamp` before v3
        ...(version >= 3 ? { baseOffset: base } : { offset: base }),
        ...(version === 2 ? { timestamp: appendTime } : version >= 3 ? { logAppendTime: appendTime } : {}),
        ...(version >= 5 ? { logStartOffset: start } : {}),
      })
      expect(decoded).toEqual({
        topics: [
          {
            topicName: 'orders',
            partitions: [partition(0, '1234567890123', '1700000000002', '7'), partition(3, '0', '-1', '0')],
          },
        ],
        ...throttle(version, 1, 6, 5),
      })
    })
  }

  it('encodes the same whole v7 request frame as kafkajs, header included', async () => {
    const request = kafkajsRequest(
      'produce',
      7,
    )({
      acks: 1,
      timeout: 1000,
      topicData: [{ topic: 't', partitions: [{ partition: 0, messages }] }],
    })
    const theirs = (await kafkajsFrame({ correlationId: 7, clientId: 'golden', request })).buffer
    const body = (await request.encode()).buffer
    const decoded = produce.decodeRequest(new Reader(body), 7)
    const w = new Writer()
    encodeRequestFrame(w, produce, 7, 7, 'golden', decoded)
    expect(w.toBufferCopy().equals(theirs)).toBe(true)
  })
})

describe('Fetch against kafkajs', () => {
  for (const version of range(0, 11)) {
    it(`encodes the same v${version} request body as kafkajs`, async () => {
      const theirs = await theirBody('fetch', version, {
        replicaId: -1,
        maxWaitTime: 500,
        minBytes: 1,
        maxBytes: 52_428_800,
        isolationLevel: 1,
        sessionId: 12,
        sessionEpoch: 3,
        rackId: 'rack-a',
        topics: [
          {
            topic: 'orders',
            partitions: [
              {
                partition: 0,
                currentLeaderEpoch: 6,
                fetchOffset: '1234567890123',
                logStartOffset: '-1',
                maxBytes: 1_048_576,
              },
              { partition: 2, currentLeaderEpoch: 6, fetchOffset: '0', logStartOffset: '-1', maxBytes: 1_048_576 },
            ],
          },
        ],
        forgottenTopics: [{ topic: 'old', partitions: [4, 5] }],
      })
      const ours = ourRequestBody(fetch, version, {
        replicaId: -1,
        maxWaitMs: 500,
        minBytes: 1,
        maxBytes: 52_428_800,
        isolationLevel: 1,
        sessionId: 12,
        sessionEpoch: 3,
        topics: [
          {
            topic: 'orders',
            partitions: [
              {
                partition: 0,
                currentLeaderEpoch: 6,
                fetchOffset: 1234567890123n,
                logStartOffset: -1n,
                partitionMaxBytes: 1_048_576,
              },
              {
                partition: 2,
                currentLeaderEpoch: 6,
                fetchOffset: 0n,
                logStartOffset: -1n,
                partitionMaxBytes: 1_048_576,
              },
            ],
          },
        ],
        forgottenTopicsData: [{ topic: 'old', partitions: [4, 5] }],
        rackId: 'rack-a',
      })
      expect(ours.equals(theirs)).toBe(true)
    })

    it(`writes a v${version} response with records kafkajs decodes`, async () => {
      const records =
        version >= 4
          ? (
              await RecordBatch({
                firstOffset: '10',
                firstTimestamp: 1_700_000_000_000,
                maxTimestamp: 1_700_000_000_000,
                lastOffsetDelta: 1,
                records: [
                  KafkajsRecord({ offsetDelta: 0, key: Buffer.from('k1'), value: Buffer.from('v1') }),
                  KafkajsRecord({ offsetDelta: 1, key: Buffer.from('k2'), value: Buffer.from('v2') }),
                ],
              })
            ).buffer
          : MessageSet({
              messageVersion: version >= 2 ? 1 : 0,
              entries: [
                { key: 'k1', value: 'v1', timestamp: 1_700_000_000_000 },
                { key: 'k2', value: 'v2', timestamp: 1_700_000_000_000 },
              ],
            }).buffer
      const response: FetchResponse = {
        throttleTimeMs: 3,
        errorCode: 0,
        sessionId: 99,
        responses: [
          {
            topic: 'orders',
            partitions: [
              {
                partitionIndex: 0,
                errorCode: 0,
                highWatermark: 12n,
                lastStableOffset: 11n,
                logStartOffset: 2n,
                abortedTransactions: [{ producerId: 77n, firstOffset: 10n }],
                preferredReadReplica: -1,
                records,
              },
            ],
          },
        ],
      }
      const decoded = (await theirDecode('fetch', version, ourResponseBody(fetch, version, response))) as {
        responses: { topicName: string; partitions: Record<string, unknown>[] }[]
      } & Record<string, unknown>
      const partition = decoded.responses[0]?.partitions[0] as Record<string, unknown>
      expect(decoded.responses[0]?.topicName).toBe('orders')
      expect(partition).toMatchObject({
        partition: 0,
        errorCode: 0,
        highWatermark: '12',
        ...(version >= 4
          ? { lastStableOffset: '11', abortedTransactions: [{ producerId: '77', firstOffset: '10' }] }
          : {}),
        ...(version >= 5 ? { lastStartOffset: '2' } : {}),
        ...(version >= 11 ? { preferredReadReplica: -1 } : {}),
      })
      const messages = partition.messages as { key: Buffer; value: Buffer; offset: string }[]
      // kafkajs's message set encoder numbers messages from 0; its record batches keep the base offset
      const first = version >= 4 ? 10 : 0
      expect(messages.map((m) => [m.key.toString(), m.value.toString(), m.offset])).toEqual([
        ['k1', 'v1', String(first)],
        ['k2', 'v2', String(first + 1)],
      ])
      expect(decoded).toMatchObject({
        ...throttle(version, 1, 8, 3),
        ...(version >= 7 ? { errorCode: 0, sessionId: 99 } : {}),
      })
    })
  }
})

describe('ListOffsets against kafkajs', () => {
  for (const version of range(0, 3)) {
    it(`encodes the same v${version} request body as kafkajs`, async () => {
      const theirs = await theirBody('listOffsets', version, {
        replicaId: -1,
        isolationLevel: 1,
        topics: [
          {
            topic: 'orders',
            partitions: [
              { partition: 0, timestamp: '-1', maxNumOffsets: 1 },
              { partition: 1, timestamp: '1700000000000', maxNumOffsets: 1 },
            ],
          },
        ],
      })
      const ours = ourRequestBody(listOffsets, version, {
        replicaId: -1,
        isolationLevel: 1,
        topics: [
          {
            name: 'orders',
            partitions: [
              { partitionIndex: 0, timestamp: -1n, maxNumOffsets: 1 },
              { partitionIndex: 1, timestamp: 1_700_000_000_000n, maxNumOffsets: 1 },
            ],
          },
        ],
      })
      expect(ours.equals(theirs)).toBe(true)
    })

    it(`writes a v${version} response kafkajs decodes`, async () => {
      const bytes = ourResponseBody(listOffsets, version, {
        throttleTimeMs: 4,
        topics: [
          {
            name: 'orders',
            partitions: [
              {
                partitionIndex: 0,
                errorCode: 0,
                oldStyleOffsets: [42n, 0n],
                timestamp: 1_700_000_000_000n,
                offset: 42n,
              },
            ],
          },
        ],
      })
      const decoded = await theirDecode('listOffsets', version, bytes)
      const partition =
        version === 0
          ? { partition: 0, errorCode: 0, offsets: ['42', '0'] }
          : { partition: 0, errorCode: 0, timestamp: '1700000000000', offset: '42' }
      expect(decoded).toEqual({
        ...throttle(version, 2, 3, 4),
        responses: [{ topic: 'orders', partitions: [partition] }],
      })
    })
  }
})

describe('FindCoordinator against kafkajs', () => {
  for (const version of range(0, 2)) {
    it(`encodes the same v${version} request body as kafkajs`, async () => {
      const theirs = await theirBody(
        'findCoordinator',
        version,
        version === 0 ? { groupId: 'group-1' } : { coordinatorKey: 'tx-1', coordinatorType: 1 },
      )
      const ours = ourRequestBody(
        findCoordinator,
        version,
        version === 0 ? { key: 'group-1' } : { key: 'tx-1', keyType: 1 },
      )
      expect(ours.equals(theirs)).toBe(true)
    })

    it(`writes a v${version} response kafkajs decodes`, async () => {
      const bytes = ourResponseBody(findCoordinator, version, {
        throttleTimeMs: 8,
        errorCode: 0,
        errorMessage: 'ok',
        nodeId: 3,
        host: 'coordinator.local',
        port: 19092,
      })
      const decoded = await theirDecode('findCoordinator', version, bytes)
      expect(decoded).toEqual({
        ...throttle(version, 1, 2, 8),
        errorCode: 0,
        ...(version >= 1 ? { errorMessage: 'ok' } : {}),
        coordinator: { nodeId: 3, host: 'coordinator.local', port: 19092 },
      })
    })
  }
})

describe('InitProducerId against kafkajs', () => {
  for (const version of range(0, 1)) {
    for (const transactionalId of ['tx-1', null]) {
      it(`encodes the same v${version} request body as kafkajs with transactional id ${transactionalId}`, async () => {
        const theirs = await theirBody('initProducerId', version, { transactionalId, transactionTimeout: 60_000 })
        const ours = ourRequestBody(initProducerId, version, { transactionalId, transactionTimeoutMs: 60_000 })
        expect(ours.equals(theirs)).toBe(true)
      })
    }

    it(`writes a v${version} response kafkajs decodes`, async () => {
      const bytes = ourResponseBody(initProducerId, version, {
        throttleTimeMs: 2,
        errorCode: 0,
        producerId: 9_007_199_254_740_993n,
        producerEpoch: 5,
      })
      const decoded = await theirDecode('initProducerId', version, bytes)
      expect(decoded).toEqual({
        ...throttle(version, 0, 1, 2),
        errorCode: 0,
        producerId: '9007199254740993',
        producerEpoch: 5,
      })
    })
  }
})

describe('CreateTopics against kafkajs', () => {
  for (const version of range(0, 3)) {
    it(`encodes the same v${version} request body as kafkajs`, async () => {
      const theirs = await theirBody('createTopics', version, {
        timeout: 15_000,
        validateOnly: true,
        topics: [
          {
            topic: 'orders',
            numPartitions: -1,
            replicationFactor: -1,
            replicaAssignment: [
              { partition: 0, replicas: [1, 2] },
              { partition: 1, replicas: [2, 3] },
            ],
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
          { topic: 'audit', numPartitions: 6, replicationFactor: 3 },
        ],
      })
      const ours = ourRequestBody(createTopics, version, {
        timeoutMs: 15_000,
        validateOnly: true,
        topics: [
          {
            name: 'orders',
            numPartitions: -1,
            replicationFactor: -1,
            assignments: [
              { partitionIndex: 0, brokerIds: [1, 2] },
              { partitionIndex: 1, brokerIds: [2, 3] },
            ],
            configs: [{ name: 'cleanup.policy', value: 'compact' }],
          },
          { name: 'audit', numPartitions: 6, replicationFactor: 3, assignments: [], configs: [] },
        ],
      })
      expect(ours.equals(theirs)).toBe(true)
    })

    it(`writes a v${version} response kafkajs decodes`, async () => {
      const bytes = ourResponseBody(createTopics, version, {
        throttleTimeMs: 6,
        topics: [
          { name: 'orders', errorCode: 0, errorMessage: null },
          { name: 'audit', errorCode: 0, errorMessage: 'fine' },
        ],
      })
      const decoded = await theirDecode('createTopics', version, bytes)
      expect(decoded).toEqual({
        ...throttle(version, 2, 3, 6),
        topicErrors: [
          { topic: 'audit', errorCode: 0, ...(version >= 1 ? { errorMessage: 'fine' } : {}) },
          { topic: 'orders', errorCode: 0, ...(version >= 1 ? { errorMessage: null } : {}) },
        ],
      })
    })
  }
})

describe('DeleteTopics against kafkajs', () => {
  for (const version of range(0, 1)) {
    it(`encodes the same v${version} request body as kafkajs`, async () => {
      const theirs = await theirBody('deleteTopics', version, { topics: ['orders', 'audit'], timeout: 5000 })
      const ours = ourRequestBody(deleteTopics, version, { topicNames: ['orders', 'audit'], timeoutMs: 5000 })
      expect(ours.equals(theirs)).toBe(true)
    })

    it(`writes a v${version} response kafkajs decodes`, async () => {
      const bytes = ourResponseBody(deleteTopics, version, {
        throttleTimeMs: 1,
        responses: [
          { name: 'orders', errorCode: 0 },
          { name: 'audit', errorCode: 0 },
        ],
      })
      const decoded = await theirDecode('deleteTopics', version, bytes)
      expect(decoded).toEqual({
        ...(version >= 1 ? { throttleTime: 0, clientSideThrottleTime: 1 } : {}),
        topicErrors: [
          { topic: 'audit', errorCode: 0 },
          { topic: 'orders', errorCode: 0 },
        ],
      })
    })
  }
})
