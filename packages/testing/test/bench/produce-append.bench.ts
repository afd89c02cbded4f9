/**
 * Cost of the mock broker's Produce path per record batch: framing, CRC, validation of every
 * record and the append, for a producer-benchmark-sized load (200,000 records of 100 bytes,
 * uncompressed, in batches as the producer fills them: 16 KiB and 1 MiB). No sockets: the handler
 * is called directly, so the numbers are the broker's own work. It also times the record walk of
 * `validateRecordBatch` alone (without the CRC, which the broker computed before validation
 * existed): what validating every record adds to each batch.
 *
 * Run from the repo root:
 *   npx tsx --conditions=@tributary/source packages/testing/test/bench/produce-append.bench.ts
 */
import { Buffer } from 'node:buffer'
import {
  encodeRecordBatchSync,
  type ProduceRequest,
  type RequestHeader,
  validateRecordBatch,
} from '@tributary/core/protocol'
import { ClusterState } from '../../src/mock-cluster/cluster-state.js'
import { produceHandler } from '../../src/mock-cluster/handlers/produce.js'

const TOTAL_RECORDS = 200_000
const VALUE_BYTES = 100

function makeBatch(records: number): Buffer {
  const value = Buffer.alloc(VALUE_BYTES, 0x61)
  return encodeRecordBatchSync({
    producerId: -1n,
    records: Array.from({ length: records }, (_, i) => ({
      key: null,
      value,
      timestamp: 1_700_000_000_000n + BigInt(i),
    })),
  })
}

function newState(): ClusterState {
  const state = new ClusterState(
    {
      clusterId: 'bench',
      autoCreateTopics: false,
      defaultPartitions: 1,
      defaultReplicationFactor: 1,
      maxMessageBytes: 2 * 1024 * 1024,
      codecs: [],
      loadCodecs: false,
    },
    () => [{ nodeId: 1, host: '127.0.0.1', port: 1, running: true }],
  )
  state.createTopic('bench', 1, 1)
  return state
}

const header: RequestHeader = { apiKey: 0, apiVersion: 9, correlationId: 1, clientId: 'bench' }
const context = { brokerId: 1, connection: { remote: 'bench' } }

async function run(batchBytes: number): Promise<void> {
  // Records of 100 B take 107 B in a batch (length, attributes, deltas, key and value lengths, headers count).
  const perBatch = Math.max(1, Math.floor((batchBytes - 61) / 108))
  const batches = Math.ceil(TOTAL_RECORDS / perBatch)
  const batch = makeBatch(perBatch)
  const request = (): ProduceRequest => ({
    transactionalId: null,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: 'bench', partitionData: [{ index: 0, records: batch }] }],
  })
  const rounds: number[] = []
  for (let round = 0; round < 7; round++) {
    const handler = produceHandler(newState())
    const started = process.hrtime.bigint()
    for (let i = 0; i < batches; i++) {
      const response = await handler.handle(context, header, request())
      const code = (response as { responses: Array<{ partitionResponses: Array<{ errorCode: number }> }> }).responses[0]
        ?.partitionResponses[0]?.errorCode
      if (code !== 0) throw new Error(`batch rejected with error code ${code}`)
    }
    rounds.push(Number(process.hrtime.bigint() - started) / 1e3 / batches)
  }
  rounds.sort((a, b) => a - b)
  const median = rounds[3] as number
  let walk = Number.POSITIVE_INFINITY
  for (let round = 0; round < 7; round++) {
    const started = process.hrtime.bigint()
    for (let i = 0; i < batches; i++) {
      if (validateRecordBatch(batch, { verifyCrc: false }).errorCode !== 0) throw new Error('invalid batch')
    }
    walk = Math.min(walk, Number(process.hrtime.bigint() - started) / 1e3 / batches)
  }
  console.log(
    `${String(batch.length).padStart(8)} B batches of ${String(perBatch).padStart(5)} records x ${batches}: ` +
      `${median.toFixed(1).padStart(7)} µs per batch median (${((median * 1000) / perBatch).toFixed(0)} ns per record), ` +
      `best ${(rounds[0] as number).toFixed(1)} µs; ${((median * batches) / 1000).toFixed(1)} ms for ${TOTAL_RECORDS} records; ` +
      `record validation ${walk.toFixed(1)} µs of it (best, ${((walk * 1000) / perBatch).toFixed(0)} ns per record)`,
  )
}

await run(16 * 1024)
await run(1024 * 1024)
