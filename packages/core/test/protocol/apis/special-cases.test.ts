import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import {
  type ApiVersionsResponse,
  apiVersions,
  fetch,
  metadata,
  type ProduceResponse,
  produce,
} from '../../../src/protocol/apis/index.js'
import { Reader } from '../../../src/protocol/buffer/reader.js'
import { Writer } from '../../../src/protocol/buffer/writer.js'

function bytes(fn: (w: Writer) => void): Buffer {
  const w = new Writer(16)
  fn(w)
  return w.toBufferCopy()
}

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex')

describe('ApiVersions', () => {
  it('writes ClientSoftwareName and ClientSoftwareVersion as compact strings from v3, with an empty tag section', () => {
    const request = { clientSoftwareName: 'tributary', clientSoftwareVersion: '0.1.0' }
    expect(bytes((w) => apiVersions.encodeRequest(w, 3, request))).toEqual(
      Buffer.concat([
        Buffer.from([10]),
        Buffer.from('tributary'),
        Buffer.from([6]),
        Buffer.from('0.1.0'),
        Buffer.from([0]),
      ]),
    )
    // and leaves them out before v3
    expect(bytes((w) => apiVersions.encodeRequest(w, 2, request))).toEqual(Buffer.alloc(0))
    expect(apiVersions.decodeRequest(new Reader(Buffer.alloc(0)), 2)).toEqual({
      clientSoftwareName: '',
      clientSoftwareVersion: '',
    })
  })

  it('writes only tagged fields that differ from their defaults, in tag order', () => {
    const response: ApiVersionsResponse = {
      errorCode: 0,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: 5n,
      zkMigrationReady: true,
    }
    expect(bytes((w) => apiVersions.encodeResponse(w, 3, response))).toEqual(
      hex(`0000 02 0012 0000 0004 00 00000000
           02  01 08 0000000000000005  03 01 01`),
    )
  })

  it('reads SupportedFeatures, FinalizedFeaturesEpoch, FinalizedFeatures and ZkMigrationReady, skipping unknown tags', () => {
    const input = hex(`0000 01 00000000
      05
      00 0f 02 09 6b726166742e7665 0001 0003 00
      01 08 0000000000000007
      02 0a 02 04 6d6574 0014 0001 00
      03 01 01
      1f 03 aabbcc`)
    expect(apiVersions.decodeResponse(new Reader(input), 3)).toEqual({
      errorCode: 0,
      apiKeys: [],
      throttleTimeMs: 0,
      supportedFeatures: [{ name: 'kraft.ve', minVersion: 1, maxVersion: 3 }],
      finalizedFeaturesEpoch: 7n,
      finalizedFeatures: [{ name: 'met', maxVersionLevel: 20, minVersionLevel: 1 }],
      zkMigrationReady: true,
    })
  })

  it('fills tagged fields with their defaults when absent', () => {
    const input = hex('0000 01 00000000 00')
    expect(apiVersions.decodeResponse(new Reader(input), 4)).toEqual({
      errorCode: 0,
      apiKeys: [],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1n,
      finalizedFeatures: [],
      zkMigrationReady: false,
    })
  })

  it('writes a tagged field of 128 bytes or more with a multi-byte size', () => {
    const supportedFeatures = Array.from({ length: 20 }, (_, i) => ({
      name: `feature.with.a.long.name.${i}`,
      minVersion: 1,
      maxVersion: i,
    }))
    const response: ApiVersionsResponse = { errorCode: 0, apiKeys: [], throttleTimeMs: 0, supportedFeatures }
    const encoded = bytes((w) => apiVersions.encodeResponse(w, 3, response))
    // error code, empty array, throttle time, then one tagged field: tag 0, size as a two-byte varint
    expect(encoded[7]).toBe(1)
    expect(encoded[8]).toBe(0)
    const size = (encoded[9] as number) - 0x80 + ((encoded[10] as number) << 7)
    expect(size).toBe(encoded.length - 11)
    expect(size).toBeGreaterThan(127)
    expect(apiVersions.decodeResponse(new Reader(encoded), 3).supportedFeatures).toEqual(supportedFeatures)
  })
})

describe('Produce', () => {
  it('writes TransactionalId as a nullable string from v3 and skips it before', () => {
    const request = { transactionalId: 'tx', acks: 1, timeoutMs: 100, topicData: [] }
    expect(bytes((w) => produce.encodeRequest(w, 2, request))).toEqual(hex('0001 00000064 00000000'))
    expect(bytes((w) => produce.encodeRequest(w, 3, request))).toEqual(hex('0002 7478 0001 00000064 00000000'))
    expect(bytes((w) => produce.encodeRequest(w, 3, { ...request, transactionalId: null }))).toEqual(
      hex('ffff 0001 00000064 00000000'),
    )
    expect(bytes((w) => produce.encodeRequest(w, 9, { ...request, transactionalId: null }))).toEqual(
      hex('00 0001 00000064 01 00'),
    )
  })

  it('attaches large records by reference and reads them back as a view, without copying', () => {
    const records = Buffer.alloc(1000, 7)
    const w = new Writer()
    produce.encodeRequest(w, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
    })
    const chunks = w.toChunks()
    expect(chunks).toContain(records)
    const frame = w.toBufferCopy()
    const decoded = produce.decodeRequest(new Reader(frame), 9)
    const read = decoded.topicData[0]?.partitionData[0]?.records
    expect(read).toEqual(records)
    // a view of the frame: writing through it changes the frame
    read?.fill(1)
    expect(frame.includes(Buffer.alloc(1000, 1))).toBe(true)
  })

  it('writes null records as -1 and as 0 in compact form', () => {
    const request = { acks: 1, timeoutMs: 1, topicData: [{ name: 't', partitionData: [{ index: 2, records: null }] }] }
    expect(bytes((w) => produce.encodeRequest(w, 3, request))).toEqual(
      hex('ffff 0001 00000001 00000001 0001 74 00000001 00000002 ffffffff'),
    )
    expect(bytes((w) => produce.encodeRequest(w, 9, request))).toEqual(
      hex('00 0001 00000001 02 02 74 02 00000002 00 00 00 00'),
    )
    expect(produce.decodeRequest(new Reader(bytes((w) => produce.encodeRequest(w, 9, request))), 9)).toEqual({
      ...request,
      transactionalId: null,
    })
  })

  it('decodes a v0 response with every later field at its default', () => {
    const input = hex('00000001 0001 74 00000001 00000000 0000 000000000000002a')
    expect(produce.decodeResponse(new Reader(input), 0)).toEqual({
      responses: [
        {
          name: 't',
          partitionResponses: [
            {
              index: 0,
              errorCode: 0,
              baseOffset: 42n,
              logAppendTimeMs: -1n,
              logStartOffset: -1n,
              recordErrors: [],
              errorMessage: null,
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
            },
          ],
        },
      ],
      throttleTimeMs: 0,
      nodeEndpoints: [],
    })
  })

  it('writes CurrentLeader and NodeEndpoints as tagged fields from v10 only when set', () => {
    const response: ProduceResponse = {
      responses: [
        {
          name: 't',
          partitionResponses: [
            { index: 0, errorCode: 6, baseOffset: -1n, currentLeader: { leaderId: 2, leaderEpoch: 9 } },
          ],
        },
      ],
      throttleTimeMs: 0,
      nodeEndpoints: [{ nodeId: 2, host: 'h', port: 9092, rack: null }],
    }
    const v10 = bytes((w) => produce.encodeResponse(w, 10, response))
    expect(v10).toEqual(
      hex(`02 02 74 02 00000000 0006 ffffffffffffffff ffffffffffffffff ffffffffffffffff 01 00
           01 00 09 00000002 00000009 00
           00 00000000
           01 00 0d 02 00000002 02 68 00002384 00 00`),
    )
    const decoded = produce.decodeResponse(new Reader(v10), 10)
    expect(decoded.responses[0]?.partitionResponses[0]?.currentLeader).toEqual({ leaderId: 2, leaderEpoch: 9 })
    expect(decoded.nodeEndpoints).toEqual([{ nodeId: 2, host: 'h', port: 9092, rack: null }])
    // v9 is flexible but has neither field: both tag sections stay empty
    const v9 = produce.decodeResponse(new Reader(bytes((w) => produce.encodeResponse(w, 9, response))), 9)
    expect(v9.nodeEndpoints).toEqual([])
    expect(v9.responses[0]?.partitionResponses[0]?.currentLeader).toEqual({ leaderId: -1, leaderEpoch: -1 })
    // a leader equal to the default is not written at all
    const unset = structuredClone(response)
    const partition = unset.responses[0]?.partitionResponses[0]
    if (partition !== undefined) partition.currentLeader = { leaderId: -1, leaderEpoch: -1 }
    delete unset.nodeEndpoints
    const withDefaults = bytes((w) => produce.encodeResponse(w, 10, unset))
    if (partition !== undefined) delete partition.currentLeader
    expect(withDefaults).toEqual(bytes((w) => produce.encodeResponse(w, 10, unset)))
  })
})

describe('Fetch', () => {
  const base = { maxWaitMs: 100, minBytes: 1, topics: [] }

  it('writes ClusterId (tag 0) only when it is not null, and ReplicaState (tag 1) only from v15', () => {
    expect(bytes((w) => fetch.encodeRequest(w, 12, { ...base, clusterId: null }))).toEqual(
      bytes((w) => fetch.encodeRequest(w, 12, base)),
    )
    const withCluster = bytes((w) => fetch.encodeRequest(w, 12, { ...base, clusterId: 'c1' }))
    expect(withCluster.subarray(-6)).toEqual(hex('01 00 03 03 6331'))
    const state = { replicaId: 3, replicaEpoch: 8n }
    const v15 = bytes((w) => fetch.encodeRequest(w, 15, { ...base, replicaState: state }))
    expect(v15.subarray(-16)).toEqual(hex('01 01 0d 00000003 0000000000000008 00'))
    expect(fetch.decodeRequest(new Reader(v15), 15)).toMatchObject({
      replicaId: -1,
      replicaState: state,
      clusterId: null,
    })
    const v14 = bytes((w) => fetch.encodeRequest(w, 14, { ...base, replicaId: 3, replicaState: state }))
    expect(fetch.decodeRequest(new Reader(v14), 14)).toMatchObject({
      replicaId: 3,
      replicaState: { replicaId: -1, replicaEpoch: -1n },
    })
  })

  it('reads DivergingEpoch, CurrentLeader and SnapshotId from a partition and returns records as a view', () => {
    const records = Buffer.alloc(300, 1)
    const response = {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 'orders',
          topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
          partitions: [
            {
              partitionIndex: 1,
              errorCode: 0,
              highWatermark: 10n,
              divergingEpoch: { epoch: 3, endOffset: 7n },
              currentLeader: { leaderId: 1, leaderEpoch: 4 },
              snapshotId: { endOffset: 5n, epoch: 2 },
              records,
            },
          ],
        },
      ],
    }
    const encoded = bytes((w) => fetch.encodeResponse(w, 12, response))
    const partition = fetch.decodeResponse(new Reader(encoded), 12).responses[0]?.partitions[0]
    expect(partition).toMatchObject({
      divergingEpoch: { epoch: 3, endOffset: 7n },
      currentLeader: { leaderId: 1, leaderEpoch: 4 },
      snapshotId: { endOffset: 5n, epoch: 2 },
      abortedTransactions: null,
      preferredReadReplica: -1,
      lastStableOffset: -1n,
    })
    expect(partition?.records).toEqual(records)
    partition?.records?.fill(2)
    expect(encoded.includes(Buffer.alloc(300, 2))).toBe(true)
  })
})

describe('Metadata', () => {
  it('reads topic ids from v10 as base64url and writes canonical UUID strings as the same bytes', () => {
    const canonical = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'
    const request = { topics: [{ topicId: canonical, name: null }] }
    const encoded = bytes((w) => metadata.encodeRequest(w, 12, request))
    const topicId = Buffer.from(canonical.replaceAll('-', ''), 'hex').toString('base64url')
    expect(metadata.decodeRequest(new Reader(encoded), 12).topics).toEqual([{ topicId, name: null }])
    // before v10 the topic id is not on the wire and reads as the zero UUID
    const v9 = bytes((w) => metadata.encodeRequest(w, 9, { topics: [{ topicId, name: 'a' }] }))
    expect(metadata.decodeRequest(new Reader(v9), 9).topics).toEqual([{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'a' }])
  })

  it('treats null topics as all topics from v1', () => {
    const encoded = bytes((w) => metadata.encodeRequest(w, 12, { topics: null }))
    // topics, AllowAutoTopicCreation (default true), IncludeTopicAuthorizedOperations, tags
    expect(encoded).toEqual(hex('00 01 00 00'))
    expect(metadata.decodeRequest(new Reader(encoded), 12)).toEqual({
      topics: null,
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    })
  })
})
