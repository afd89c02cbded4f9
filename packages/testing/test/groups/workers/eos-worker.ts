// A consume-transform-produce worker for the exactly-once test, run as its own process so that the
// test can kill it (SIGKILL) mid-stream:
//   node --conditions=@tributary/source --import tsx eos-worker.ts BOOTSTRAP TRANSACTIONAL_ID GROUP INPUT OUTPUT
// A kafkajs consumer in GROUP reads INPUT; each batch goes to OUTPUT (value `out-<input value>`) in
// one transaction of Tributary's producer together with the batch's next offset for GROUP, sent with
// the consumer's generation and member id (KIP-447 fencing). A failed transaction is aborted and the
// batch read again. Prints JSON lines: {"event":"committed","count":n} and {"event":"aborted","error":...}.
import { Producer } from '@tributary/core'
import { Kafka, logLevel } from 'kafkajs'

const [bootstrap, transactionalId, groupId, input, output] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
]
const emit = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`)

const kafka = new Kafka({ clientId: transactionalId, brokers: bootstrap.split(','), logLevel: logLevel.NOTHING })
const consumer = kafka.consumer({
  groupId,
  sessionTimeout: 1500,
  rebalanceTimeout: 3000,
  heartbeatInterval: 100,
  maxWaitTimeInMs: 100,
  maxBytesPerPartition: 2000,
  retry: { retries: 50, initialRetryTime: 50 },
})
let memberId = ''
let generationId = -1
consumer.on(consumer.events.GROUP_JOIN, (e) => {
  memberId = e.payload.memberId
})
consumer.on(consumer.events.HEARTBEAT, (e) => {
  memberId = e.payload.memberId
  generationId = e.payload.groupGenerationId
})
const producer = new Producer({ bootstrapBrokers: bootstrap.split(','), transactionalId, clientId: transactionalId })

await producer.connect()
await consumer.connect()
await consumer.subscribe({ topic: input, fromBeginning: true })
await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
    const messages = batch.messages
    const last = messages.at(-1)
    if (last === undefined) return
    try {
      await producer.transaction(async (tx) => {
        await tx.sendBatch(
          messages.map((m) => ({ topic: output, key: m.key?.toString() ?? null, value: `out-${m.value?.toString()}` })),
        )
        await tx.sendOffsets([{ topic: batch.topic, partition: batch.partition, offset: BigInt(last.offset) + 1n }], {
          groupId,
          generationId,
          memberId,
        })
      })
      resolveOffset(last.offset)
      emit({ event: 'committed', count: messages.length })
    } catch (error) {
      emit({ event: 'aborted', error: error instanceof Error ? error.message : String(error) })
      consumer.seek({ topic: batch.topic, partition: batch.partition, offset: batch.firstOffset() ?? last.offset })
    }
    await heartbeat()
  },
})
emit({ event: 'ready' })
