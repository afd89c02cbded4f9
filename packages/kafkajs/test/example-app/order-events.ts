// An application's event publisher written for kafkajs (modelled on kafkajs's examples/producer.js
// and its documentation): keyed JSON events with headers and gzip, a batch to several topics, a
// consume-transform-produce transaction, error handling by kafkajs's error classes, and request
// metrics from instrumentation events. order-events.kafkajs.ts imports kafkajs; order-events.ts is
// the same file with that import changed to @tributary/kafkajs, and example-app.test.ts runs the same
// tests against both.
import {
  CompressionTypes,
  Kafka,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  logLevel,
  Partitioners,
  type Producer,
  type RecordMetadata,
} from '@tributary/kafkajs'

export interface Order {
  id: string
  customer: string
  total: number
}

export interface OrderEventsConfig {
  brokers: string[]
  clientId?: string
  /** For the settlement transactions. */
  transactionalId?: string
}

export type PublishOutcome = 'sent' | 'retry-later' | 'rejected'

export class OrderEvents {
  private readonly kafka: Kafka
  private readonly producer: Producer
  private readonly settlements: Producer
  /** Produce request durations, from the REQUEST instrumentation events. */
  readonly produceLatencies: number[] = []

  constructor(config: OrderEventsConfig) {
    this.kafka = new Kafka({
      clientId: config.clientId ?? 'order-service',
      brokers: config.brokers,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 20, retries: 3 },
    })
    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true })
    this.settlements = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      transactionalId: config.transactionalId ?? 'order-settlements',
      maxInFlightRequests: 1,
      idempotent: true,
    })
    this.producer.on(this.producer.events.REQUEST, ({ payload }) => {
      if (payload.apiName === 'Produce') this.produceLatencies.push(payload.duration)
    })
  }

  async start(): Promise<void> {
    await Promise.all([this.producer.connect(), this.settlements.connect()])
  }

  async stop(): Promise<void> {
    await Promise.all([this.producer.disconnect(), this.settlements.disconnect()])
  }

  /** One event per order, keyed by the order id so an order's events stay in order. */
  async orderPlaced(order: Order, correlationId: string): Promise<RecordMetadata> {
    const [written] = await this.producer.send({
      topic: 'orders',
      compression: CompressionTypes.GZIP,
      messages: [
        {
          key: order.id,
          value: JSON.stringify(order),
          headers: { 'event-type': 'order-placed', 'correlation-id': correlationId },
        },
      ],
    })
    if (written === undefined) throw new Error('no acknowledgement')
    return written
  }

  /** Imported orders go to `orders`, and a line per order to `audit`, in one call. */
  async ordersImported(orders: Order[]): Promise<RecordMetadata[]> {
    return this.producer.sendBatch({
      topicMessages: [
        { topic: 'orders', messages: orders.map((o) => ({ key: o.id, value: JSON.stringify(o) })) },
        { topic: 'audit', messages: orders.map((o) => ({ value: `imported ${o.id}` })) },
      ],
    })
  }

  /** Consume-transform-produce: ledger entries and the consumed offset commit together, or not at all. */
  async settle(payments: Array<{ orderId: string; amount: number; offset: string }>, groupId: string): Promise<void> {
    const transaction = await this.settlements.transaction()
    try {
      await transaction.send({
        topic: 'ledger',
        messages: payments.map((p) => ({ key: p.orderId, value: `+${p.amount}` })),
      })
      const last = payments[payments.length - 1]
      if (last !== undefined) {
        await transaction.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic: 'payments', partitions: [{ partition: 0, offset: String(Number(last.offset) + 1) }] }],
        })
      }
      await transaction.commit()
    } catch (error) {
      if (transaction.isActive()) await transaction.abort()
      throw error
    }
  }

  /** What the caller does about a failed publish, decided the kafkajs way. */
  async tryPublish(order: Order): Promise<PublishOutcome> {
    try {
      await this.producer.send({ topic: 'orders', messages: [{ key: order.id, value: JSON.stringify(order) }] })
      return 'sent'
    } catch (error) {
      if (error instanceof KafkaJSNumberOfRetriesExceeded) return 'retry-later'
      if (error instanceof KafkaJSProtocolError && error.type === 'TOPIC_AUTHORIZATION_FAILED') return 'rejected'
      if (error instanceof Error && error.name === 'KafkaJSProtocolError') return 'rejected'
      throw error
    }
  }
}
