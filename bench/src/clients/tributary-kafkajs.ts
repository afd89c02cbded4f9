import { CompressionTypes, Kafka, logLevel, type Message, Partitioners, type ProducerConfig } from '@tributary/kafkajs'
import { HEADER_KEY, HEADER_VALUE, keyOf } from '../workload.js'
import type { Driver, DriverContext } from './driver.js'

/**
 * Tributary through @tributary/kafkajs, driven exactly as the kafkajs driver drives kafkajs (the same
 * configuration, the same `send` calls of `messagesPerSend` messages, all started at once per chunk):
 * an application that switched its kafkajs import. Set against the native lines, it shows what the
 * kafkajs-compatible layer costs over Tributary's own API; against kafkajs, what switching gains.
 */
export function tributaryKafkajsDriver(ctx: DriverContext, idempotent: boolean): Driver {
  const { task, spec, values } = ctx
  const kafka = new Kafka({ clientId: 'bench-tributary-kafkajs', brokers: task.brokers, logLevel: logLevel.NOTHING })
  const config: ProducerConfig = {
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
    async sendRange(from, to) {
      let acked = 0
      for (let start = from; start < to; start += task.chunk) {
        const end = Math.min(to, start + task.chunk)
        const sends: Array<Promise<unknown>> = []
        const counts: number[] = []
        for (let s = start; s < end; s += task.messagesPerSend) {
          const e = Math.min(end, s + task.messagesPerSend)
          const messages: Message[] = new Array(e - s)
          for (let i = s; i < e; i++) {
            messages[i - s] = {
              key: spec.keyed ? keyOf(i) : null,
              value: values[i % values.length] as string,
              headers: { [HEADER_KEY]: HEADER_VALUE },
            }
          }
          sends.push(producer.send({ topic, acks: -1, compression, messages }))
          counts.push(e - s)
        }
        await Promise.all(sends)
        for (const c of counts) acked += c
      }
      return acked
    },
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
