import { type MessageToProduce, Producer, stringSerializers } from '@platformatic/kafka'
import { HEADER_KEY, HEADER_VALUE, keyOf } from '../workload.js'
import { type Driver, type DriverContext, sendInArrays } from './driver.js'

type Msg = MessageToProduce<string, string, string, string>

/**
 * @platformatic/kafka 1.x (1.35, from peer-clients/), idempotent (it then forces acks all and one request in flight per
 * connection): `send({ messages })` with arrays of `messagesPerSend`. Each `send` is one Produce
 * request per leader and the idempotent sequence numbers advance only when its response arrives,
 * so concurrent idempotent sends would reuse sequences: they are awaited one after another (with
 * `concurrent` they are started together, which is only safe without idempotence).
 */
export function platformaticDriver(ctx: DriverContext, options: { idempotent: boolean; concurrent: boolean }): Driver {
  const { task, spec, values } = ctx
  const producer = new Producer<string, string, string, string>({
    clientId: 'bench-platformatic',
    bootstrapBrokers: task.brokers,
    serializers: stringSerializers,
    idempotent: options.idempotent,
    acks: -1,
    compression: spec.gzip ? 'gzip' : 'none',
    autocreateTopics: false,
  })
  const topic = task.topic

  const batch = (s: number, e: number): Msg[] => {
    const messages: Msg[] = new Array(e - s)
    for (let i = s; i < e; i++) {
      const m: Msg = {
        topic,
        value: values[i % values.length] as string,
        headers: { [HEADER_KEY]: HEADER_VALUE },
      }
      if (spec.keyed) m.key = keyOf(i)
      messages[i - s] = m
    }
    return messages
  }

  return {
    async connect() {
      await producer.metadata({ topics: [topic] })
      if (options.idempotent) await producer.initIdempotentProducer({})
    },
    sendRange: (from, to) =>
      sendInArrays(task, from, to, options.concurrent, (s, e) => producer.send({ messages: batch(s, e) })),
    async sendOne(i) {
      await producer.send({ messages: batch(i, i + 1) })
    },
    async close() {
      await producer.close()
    },
  }
}
