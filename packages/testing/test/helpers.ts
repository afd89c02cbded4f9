import {
  type ApiDefinition,
  Connection,
  encodeRecordBatch,
  type ProduceRequest,
  type ProduceResponse,
  produce,
} from '@tributary/core/protocol'
import type { MockCluster } from '../src/index.js'

/** Connections opened by a test, closed by `closeAll`. */
export class Connections {
  private readonly opened: Connection[] = []

  async to(cluster: MockCluster, brokerId = 1): Promise<Connection> {
    const broker = cluster.brokers.find((b) => b.nodeId === brokerId)
    if (broker === undefined) throw new Error(`no broker ${brokerId}`)
    const connection = await Connection.connect({
      host: broker.host,
      port: broker.port,
      clientId: 'mock-test',
      requestTimeoutMs: 10_000,
    })
    this.opened.push(connection)
    return connection
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((c) => c.close()))
  }
}

/** A batch of string records with optional idempotence fields. */
export function batch(
  values: string[],
  options: { producerId?: bigint; producerEpoch?: number; baseSequence?: number; key?: string } = {},
): Promise<Buffer> {
  return encodeRecordBatch({
    producerId: options.producerId ?? -1n,
    producerEpoch: options.producerEpoch ?? -1,
    baseSequence: options.baseSequence ?? -1,
    records: values.map((v, i) => ({
      key: options.key === undefined ? null : Buffer.from(options.key),
      value: Buffer.from(v),
      headers: [{ key: 'i', value: Buffer.from(String(i)) }],
      timestamp: 1_700_000_000_000n + BigInt(i),
    })),
  })
}

/** Sends one Produce request for one partition and returns that partition's answer. */
export async function produceOne(
  connection: Connection,
  topic: string,
  partition: number,
  records: Buffer,
  version = 9,
  acks = -1,
) {
  const request: ProduceRequest = {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  }
  const response = await connection.send(produce as ApiDefinition<ProduceRequest, ProduceResponse>, version, request)
  const answer = response.responses[0]?.partitionResponses[0]
  if (answer === undefined) throw new Error('empty produce response')
  return answer
}
