import { Producer, type ProducerOptions, type ProducerRecord, type RecordMetadata } from '@tributary/core'
import { HEADER_KEY, HEADER_VALUE, keyOf } from '../workload.js'
import type { Driver, DriverContext } from './driver.js'

type Rec = ProducerRecord<string | null, string>

/**
 * Tributary with its defaults (idempotent, acks all, adaptive linger, batchBytes 1 MiB): either `send`
 * for every record of a chunk and `Promise.all` over the promises, or one `sendBatch` per chunk.
 * `options` overrides a default (lingerMs 5, a smaller bufferBytes, maxWaitingBytes) for the contrast lines.
 */
export function tributaryDriver(
  ctx: DriverContext,
  mode: 'send' | 'sendBatch',
  options: Partial<Pick<ProducerOptions<string | null, string>, 'lingerMs' | 'bufferBytes' | 'maxWaitingBytes'>> = {},
): Driver {
  const { task, spec, values } = ctx
  const producer = new Producer<string | null, string>({
    clientId: 'bench-tributary',
    bootstrapBrokers: task.brokers,
    acks: 'all',
    compression: spec.gzip ? 'gzip' : 'none',
    logger: {},
    ...options,
  })
  const topic = task.topic
  const record = (i: number): Rec => ({
    topic,
    key: spec.keyed ? keyOf(i) : null,
    value: values[i % values.length] as string,
    headers: { [HEADER_KEY]: HEADER_VALUE },
  })

  return {
    async connect() {
      await producer.connect()
    },
    async sendRange(from, to) {
      let acked = 0
      for (let start = from; start < to; start += task.chunk) {
        const end = Math.min(to, start + task.chunk)
        if (mode === 'send') {
          const pending: Array<Promise<RecordMetadata>> = new Array(end - start)
          for (let i = start; i < end; i++) pending[i - start] = producer.send(record(i))
          acked += (await Promise.all(pending)).length
        } else {
          const records: Rec[] = new Array(end - start)
          for (let i = start; i < end; i++) records[i - start] = record(i)
          const results = await producer.sendBatch(records)
          for (const r of results) {
            if (!r.ok) throw r.error
            acked++
          }
        }
      }
      return acked
    },
    async sendOne(i) {
      await producer.send(record(i))
    },
    async close() {
      await producer.close()
    },
  }
}
