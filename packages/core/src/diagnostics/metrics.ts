// The producer's metrics, with the Java producer's names where they apply. Counters move per batch
// or per request, never per record, so keeping them costs next to nothing on the hot path.

/** Rates are over the last 30 to 60 seconds, as the Java client's (two samples of 30 s). */
const SAMPLE_MS = 30_000

/**
 * A count and its rate per second over a sliding window: the current sample (up to 30 s) and the
 * one before it, as the Java client's rates (two samples of 30 s). A young meter divides by its age
 * (at least 1 s), not by a full window.
 */
class Meter {
  total = 0
  private current = 0
  private previous = 0
  private currentStart: number
  private readonly createdAt: number
  private hasPrevious = false

  constructor(now: number) {
    this.currentStart = now
    this.createdAt = now
  }

  record(n: number, now: number): void {
    this.roll(now)
    this.total += n
    this.current += n
  }

  rate(now: number): number {
    this.roll(now)
    const since = this.hasPrevious ? this.currentStart - SAMPLE_MS : this.createdAt
    return ((this.previous + this.current) * 1000) / Math.max(now - since, 1000)
  }

  private roll(now: number): void {
    const age = now - this.currentStart
    if (age < SAMPLE_MS) return
    // The current sample becomes the previous one, or, when a whole sample passed since, nothing is left.
    this.previous = age < 2 * SAMPLE_MS ? this.current : 0
    this.current = 0
    this.currentStart = now - (age % SAMPLE_MS)
    this.hasPrevious = true
  }
}

/** Average and maximum of values over the producer's life. */
class Stat {
  count = 0
  sum = 0
  max = 0

  record(value: number): void {
    this.count++
    this.sum += value
    if (value > this.max) this.max = value
  }

  get avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count
  }
}

/** Metrics of one topic. */
class TopicMetrics {
  readonly records: Meter
  readonly bytes: Meter
  readonly errors: Meter
  readonly retries: Meter
  readonly compression = new Stat()

  constructor(now: number) {
    this.records = new Meter(now)
    this.bytes = new Meter(now)
    this.errors = new Meter(now)
    this.retries = new Meter(now)
  }
}

/** Metrics of one broker connection. */
class BrokerMetrics {
  readonly requests: Meter
  readonly outgoing: Meter
  readonly latency = new Stat()
  readonly throttle = new Stat()

  constructor(now: number) {
    this.requests = new Meter(now)
    this.outgoing = new Meter(now)
  }
}

/** A snapshot of the producer's metrics: Java producer names, plain numbers, units in the docs. */
export interface ProducerMetrics {
  /** The producer as a whole (Java's `producer-metrics` group). */
  producer: Record<ProducerMetricName, number>
  /** Per broker node id (Java's `producer-node-metrics`). */
  brokers: Record<string, Record<BrokerMetricName, number>>
  /** Per topic (Java's `producer-topic-metrics`). */
  topics: Record<string, Record<TopicMetricName, number>>
}

export type ProducerMetricName =
  | 'record-send-total'
  | 'record-send-rate'
  | 'record-error-total'
  | 'record-error-rate'
  | 'record-retry-total'
  | 'record-retry-rate'
  | 'batch-size-avg'
  | 'batch-size-max'
  | 'records-per-request-avg'
  | 'compression-rate-avg'
  | 'request-total'
  | 'request-rate'
  | 'request-latency-avg'
  | 'request-latency-max'
  | 'produce-throttle-time-avg'
  | 'produce-throttle-time-max'
  | 'requests-in-flight'
  | 'buffer-total-bytes'
  | 'buffer-available-bytes'
  | 'bufferpool-wait-time-total'
  | 'waiting-records'
  | 'metadata-age'

export type BrokerMetricName =
  | 'request-total'
  | 'request-rate'
  | 'request-latency-avg'
  | 'request-latency-max'
  | 'outgoing-byte-total'
  | 'outgoing-byte-rate'
  | 'produce-throttle-time-avg'
  | 'produce-throttle-time-max'

export type TopicMetricName =
  | 'record-send-total'
  | 'record-send-rate'
  | 'byte-total'
  | 'byte-rate'
  | 'record-error-total'
  | 'record-error-rate'
  | 'record-retry-total'
  | 'record-retry-rate'
  | 'compression-rate'

/** What the snapshot reads from elsewhere in the producer. */
export interface MetricsSources {
  bufferTotalBytes: number
  bufferedBytes(): number
  requestsInFlight(): number
  waitingRecords(): number
  /** When metadata was last refreshed (ms since the epoch), 0 before. */
  metadataRefreshedAt(): number
}

/** Where the sender reports what it does; one per producer. */
export class MetricsRecorder {
  private readonly records: Meter
  private readonly errors: Meter
  private readonly retries: Meter
  private readonly requests: Meter
  private readonly batchSize = new Stat()
  private readonly recordsPerRequest = new Stat()
  private readonly compression = new Stat()
  private readonly latency = new Stat()
  private readonly throttle = new Stat()
  private readonly topics = new Map<string, TopicMetrics>()
  private readonly brokers = new Map<number, BrokerMetrics>()
  /** Milliseconds records spent waiting for buffer room. */
  bufferWaitMs = 0

  constructor(now = Date.now()) {
    this.records = new Meter(now)
    this.errors = new Meter(now)
    this.retries = new Meter(now)
    this.requests = new Meter(now)
  }

  /** A batch goes out in a request: its records count as sent (once per attempt, as Java's). */
  batchSent(
    topic: string,
    records: number,
    uncompressedBytes: number,
    bytes: number,
    compressed: boolean,
    now: number,
  ): void {
    this.records.record(records, now)
    this.batchSize.record(bytes)
    const t = this.topic(topic, now)
    t.records.record(records, now)
    t.bytes.record(bytes, now)
    if (compressed && uncompressedBytes > 0) {
      const ratio = bytes / uncompressedBytes
      this.compression.record(ratio)
      t.compression.record(ratio)
    }
  }

  /** A Produce request went to a broker. */
  requestSent(nodeId: number, records: number, bytes: number, now: number): void {
    this.requests.record(1, now)
    this.recordsPerRequest.record(records)
    const b = this.broker(nodeId, now)
    b.requests.record(1, now)
    b.outgoing.record(bytes, now)
  }

  /** A Produce request was answered (or failed) after `latencyMs`, throttled for `throttleMs`. */
  requestEnded(nodeId: number, latencyMs: number, throttleMs: number, now: number): void {
    this.latency.record(latencyMs)
    const b = this.broker(nodeId, now)
    b.latency.record(latencyMs)
    if (throttleMs > 0 || this.throttle.count > 0) {
      this.throttle.record(throttleMs)
      b.throttle.record(throttleMs)
    }
  }

  batchRetried(topic: string, records: number, now: number): void {
    this.retries.record(records, now)
    this.topic(topic, now).retries.record(records, now)
  }

  batchFailed(topic: string, records: number, now: number): void {
    this.errors.record(records, now)
    this.topic(topic, now).errors.record(records, now)
  }

  snapshot(sources: MetricsSources, now = Date.now()): ProducerMetrics {
    const refreshed = sources.metadataRefreshedAt()
    const producer: Record<ProducerMetricName, number> = {
      'record-send-total': this.records.total,
      'record-send-rate': this.records.rate(now),
      'record-error-total': this.errors.total,
      'record-error-rate': this.errors.rate(now),
      'record-retry-total': this.retries.total,
      'record-retry-rate': this.retries.rate(now),
      'batch-size-avg': this.batchSize.avg,
      'batch-size-max': this.batchSize.max,
      'records-per-request-avg': this.recordsPerRequest.avg,
      'compression-rate-avg': this.compression.count === 0 ? 1 : this.compression.avg,
      'request-total': this.requests.total,
      'request-rate': this.requests.rate(now),
      'request-latency-avg': this.latency.avg,
      'request-latency-max': this.latency.max,
      'produce-throttle-time-avg': this.throttle.avg,
      'produce-throttle-time-max': this.throttle.max,
      'requests-in-flight': sources.requestsInFlight(),
      'buffer-total-bytes': sources.bufferTotalBytes,
      'buffer-available-bytes': Math.max(0, sources.bufferTotalBytes - sources.bufferedBytes()),
      'bufferpool-wait-time-total': this.bufferWaitMs,
      'waiting-records': sources.waitingRecords(),
      'metadata-age': refreshed === 0 ? 0 : (now - refreshed) / 1000,
    }
    const brokers: ProducerMetrics['brokers'] = {}
    for (const [nodeId, b] of this.brokers) {
      brokers[String(nodeId)] = {
        'request-total': b.requests.total,
        'request-rate': b.requests.rate(now),
        'request-latency-avg': b.latency.avg,
        'request-latency-max': b.latency.max,
        'outgoing-byte-total': b.outgoing.total,
        'outgoing-byte-rate': b.outgoing.rate(now),
        'produce-throttle-time-avg': b.throttle.avg,
        'produce-throttle-time-max': b.throttle.max,
      }
    }
    const topics: ProducerMetrics['topics'] = {}
    for (const [name, t] of this.topics) {
      topics[name] = {
        'record-send-total': t.records.total,
        'record-send-rate': t.records.rate(now),
        'byte-total': t.bytes.total,
        'byte-rate': t.bytes.rate(now),
        'record-error-total': t.errors.total,
        'record-error-rate': t.errors.rate(now),
        'record-retry-total': t.retries.total,
        'record-retry-rate': t.retries.rate(now),
        'compression-rate': t.compression.count === 0 ? 1 : t.compression.avg,
      }
    }
    return { producer, brokers, topics }
  }

  private topic(name: string, now: number): TopicMetrics {
    let t = this.topics.get(name)
    if (t === undefined) {
      t = new TopicMetrics(now)
      this.topics.set(name, t)
    }
    return t
  }

  private broker(nodeId: number, now: number): BrokerMetrics {
    let b = this.brokers.get(nodeId)
    if (b === undefined) {
      b = new BrokerMetrics(now)
      this.brokers.set(nodeId, b)
    }
    return b
  }
}
