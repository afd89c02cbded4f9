import { once } from 'node:events'
import { type MessageToProduce, Producer, type ProducerStreamReport, stringSerializers } from 'platformatic-kafka-2'
import { HEADER_KEY, HEADER_VALUE, keyOf } from '../workload.js'
import { type Driver, type DriverContext, sendInArrays } from './driver.js'

type Msg = MessageToProduce<string, string, string, string>

export interface Platformatic2Options {
  idempotent: boolean
  /**
   * How the arrays of `messagesPerSend` are handed over:
   * - concurrent: every `send({ messages })` of a chunk at once, awaited together;
   * - serial: each `send` awaited before the next;
   * - stream: `producer.asStream()`, a Writable that batches `batchSize` messages per `send`.
   */
  mode: 'concurrent' | 'serial' | 'stream'
}

/**
 * @platformatic/kafka 2.x (peer-clients/node22, Node >= 22), imported under its npm alias
 * `platformatic-kafka-2` so that it sits beside the 1.x the tests use.
 *
 * Its producer API is the 1.x one (`send({ messages })`, one Produce request per leader per call)
 * plus `asStream()`. What changed for the benchmark: since 2.3 (platformatic/kafka#310, the fix of
 * #309; reported again on 2.1 as #326) an idempotent `send` reserves its sequence numbers when it
 * is called, not when its response arrives, so concurrent idempotent sends no longer reuse
 * sequences. Idempotence still forces `maxInflights: 1` per connection, so concurrent sends queue
 * per broker in call order, which keeps each partition's sequences in order on the wire. The
 * default line (`platformatic`) therefore starts all sends of a chunk at once; every run is checked
 * against the brokers' high watermarks, which would show a lost or duplicated record.
 */
export function platformatic2Driver(ctx: DriverContext, options: Platformatic2Options): Driver {
  const { task, spec, values } = ctx
  const producer = new Producer<string, string, string, string>({
    clientId: 'bench-platformatic-2',
    bootstrapBrokers: task.brokers,
    serializers: stringSerializers,
    idempotent: options.idempotent,
    acks: -1,
    compression: spec.gzip ? 'gzip' : 'none',
    autocreateTopics: false,
  })
  const topic = task.topic

  const message = (i: number): Msg => {
    const m: Msg = { topic, value: values[i % values.length] as string, headers: { [HEADER_KEY]: HEADER_VALUE } }
    if (spec.keyed) m.key = keyOf(i)
    return m
  }
  const batch = (s: number, e: number): Msg[] => {
    const messages: Msg[] = new Array(e - s)
    for (let i = s; i < e; i++) messages[i - s] = message(i)
    return messages
  }

  const stream =
    options.mode === 'stream'
      ? producer.asStream({ batchSize: task.messagesPerSend, batchTime: 0, reportMode: 'batch' })
      : undefined
  let streamAcked = 0
  let streamError: Error | undefined
  stream?.on('delivery-report', (report: ProducerStreamReport) => {
    streamAcked += report.count
  })
  stream?.on('error', (error: Error) => {
    streamError = error
  })

  async function viaStream(from: number, to: number): Promise<number> {
    const s = stream as NonNullable<typeof stream>
    const target = streamAcked + (to - from)
    for (let i = from; i < to; i++) {
      if (!s.write(message(i))) await once(s, 'drain')
      if (streamError !== undefined) throw streamError
    }
    while (streamAcked < target) {
      if (streamError !== undefined) throw streamError
      await once(s, 'flush')
    }
    return to - from
  }

  return {
    async connect() {
      await producer.metadata({ topics: [topic] })
      if (options.idempotent) await producer.initIdempotentProducer({})
    },
    async sendRange(from, to) {
      if (options.mode === 'stream') return viaStream(from, to)
      return sendInArrays(task, from, to, options.mode === 'concurrent', (s, e) =>
        producer.send({ messages: batch(s, e) }),
      )
    },
    async sendOne(i) {
      await producer.send({ messages: [message(i)] })
    },
    async close() {
      if (stream !== undefined) await stream.close()
      await producer.close()
    },
  }
}
