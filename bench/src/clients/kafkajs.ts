import { CompressionTypes, Kafka, logLevel, type Message, Partitioners, type ProducerConfig } from 'kafkajs'
import { HEADER_KEY, HEADER_VALUE, keyOf } from '../workload.js'
import { type Driver, type DriverContext, sendInArrays } from './driver.js'

/**
 * kafkajs: per chunk, `send` calls of `messagesPerSend` messages each, all started at once and
 * awaited together (kafkajs turns each into one Produce request per broker). Idempotent needs
 * `maxInFlightRequests: 1`; kafkajs then serializes requests per broker with a lock.
 */
export function kafkajsDriver(ctx: DriverContext, idempotent: boolean): Driver {
  const { task, spec, values } = ctx
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: task.brokers, logLevel: logLevel.NOTHING })
  const config: ProducerConfig = {
    // The Java-compatible murmur2 partitioner (kafkajs 2's default, named to silence its warning).
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
    idempotent,
  }
  if (idempotent) config.maxInFlightRequests = 1
  const producer = kafka.producer(config)
  const topic = task.topic
  const compression = spec.gzip ? CompressionTypes.GZIP : CompressionTypes.None

  return {
    async connect() {
      await producer.connect()
    },
    sendRange: (from, to) =>
      sendInArrays(task, from, to, true, (s, e) => {
        const messages: Message[] = new Array(e - s)
        for (let i = s; i < e; i++) {
          messages[i - s] = {
            key: spec.keyed ? keyOf(i) : null,
            value: values[i % values.length] as string,
            headers: { [HEADER_KEY]: HEADER_VALUE },
          }
        }
        return producer.send({ topic, acks: -1, compression, messages })
      }),
    async sendOne(i) {
      await producer.send({
        topic,
        acks: -1,
        compression,
        messages: [
          {
            key: spec.keyed ? keyOf(i) : null,
            value: values[i % values.length] as string,
            headers: { [HEADER_KEY]: HEADER_VALUE },
          },
        ],
      })
    },
    async close() {
      await producer.disconnect()
    },
  }
}
