import { describe, expect, it } from 'vitest'
import {
  BrokerNotAvailableError,
  BufferFullError,
  ConfigError,
  ConnectionError,
  KafkaProtocolError,
  LeaderNotAvailableError,
  ProducerClosedError,
  ProtocolError,
  RecordTooLargeError,
  SerializationError,
  TimeoutError,
  TributaryError,
} from '../../src/errors/index.js'
import { ErrorCodes } from '../../src/protocol/error-codes.js'

interface Case {
  readonly error: TributaryError
  readonly isInstance: (value: unknown) => boolean
  readonly name: string
  readonly brand: string
  readonly code: number
  readonly retriable: boolean
}

const cases: readonly Case[] = [
  {
    error: new ConfigError('lingerMs', 'an integer', { received: -1 }),
    isInstance: ConfigError.isInstance,
    name: 'ConfigError',
    brand: 'tributary.error.config',
    code: -1,
    retriable: false,
  },
  {
    error: new SerializationError('value', 'orders', new Error('boom')),
    isInstance: SerializationError.isInstance,
    name: 'SerializationError',
    brand: 'tributary.error.serialization',
    code: -1,
    retriable: false,
  },
  {
    error: new BufferFullError(1024, 100),
    isInstance: BufferFullError.isInstance,
    name: 'BufferFullError',
    brand: 'tributary.error.buffer-full',
    code: -1,
    retriable: true,
  },
  {
    error: new RecordTooLargeError(2_000_000, 1_048_576),
    isInstance: RecordTooLargeError.isInstance,
    name: 'RecordTooLargeError',
    brand: 'tributary.error.record-too-large',
    code: ErrorCodes.MESSAGE_TOO_LARGE,
    retriable: false,
  },
  {
    error: new TimeoutError({ waitingFor: 'a record', timeoutMs: 10 }),
    isInstance: TimeoutError.isInstance,
    name: 'TimeoutError',
    brand: 'tributary.error.timeout',
    code: -1,
    retriable: false,
  },
  {
    error: new BrokerNotAvailableError(['127.0.0.1:9092']),
    isInstance: BrokerNotAvailableError.isInstance,
    name: 'BrokerNotAvailableError',
    brand: 'tributary.error.broker-not-available',
    code: ErrorCodes.BROKER_NOT_AVAILABLE,
    retriable: true,
  },
  {
    error: new LeaderNotAvailableError('orders', 3),
    isInstance: LeaderNotAvailableError.isInstance,
    name: 'LeaderNotAvailableError',
    brand: 'tributary.error.leader-not-available',
    code: ErrorCodes.LEADER_NOT_AVAILABLE,
    retriable: true,
  },
  {
    error: new KafkaProtocolError(ErrorCodes.NOT_LEADER_OR_FOLLOWER),
    isInstance: KafkaProtocolError.isInstance,
    name: 'KafkaProtocolError',
    brand: 'tributary.error.kafka-protocol',
    code: ErrorCodes.NOT_LEADER_OR_FOLLOWER,
    retriable: true,
  },
  {
    error: new ProducerClosedError('send'),
    isInstance: ProducerClosedError.isInstance,
    name: 'ProducerClosedError',
    brand: 'tributary.error.producer-closed',
    code: -1,
    retriable: false,
  },
]

describe('every producer error', () => {
  it.each(cases)('$name has its name, code and retriability', ({ error, name, code, retriable }) => {
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(TributaryError)
    expect(error.name).toBe(name)
    expect(error.name).toBe(error.constructor.name)
    expect(error.code).toBe(code)
    expect(error.retriable).toBe(retriable)
    expect(String(error)).toMatch(new RegExp(`^${name}: `))
  })

  it.each(cases)(
    '$name is recognised by its own isInstance and by TributaryError.isInstance',
    ({ error, isInstance }) => {
      expect(isInstance(error)).toBe(true)
      expect(TributaryError.isInstance(error)).toBe(true)
    },
  )

  it.each(cases)('$name is not mistaken for any other error class', ({ error, name }) => {
    for (const other of cases) {
      if (other.name !== name) expect(other.isInstance(error)).toBe(false)
    }
    expect(ConnectionError.isInstance(error)).toBe(false)
    expect(ProtocolError.isInstance(error)).toBe(false)
  })

  it.each(cases)(
    '$name.isInstance recognises a copy from a duplicate package by its Symbol.for brand',
    ({ error, isInstance, brand }) => {
      // What a second (ESM vs CJS) copy of the package creates: another class, the same global symbols.
      class DuplicateCopy extends Error {
        constructor(message: string) {
          super(message)
          Object.assign(this, { [Symbol.for('tributary.error')]: true, [Symbol.for(brand)]: true })
        }
      }
      const copy = new DuplicateCopy(error.message)
      expect(copy instanceof TributaryError).toBe(false)
      expect(isInstance(copy)).toBe(true)
      expect(TributaryError.isInstance(copy)).toBe(true)
      expect(isInstance({ [Symbol.for(brand)]: true })).toBe(true)
    },
  )

  it.each(cases)('$name.isInstance rejects look-alikes without the brand', ({ error, isInstance }) => {
    expect(isInstance(null)).toBe(false)
    expect(isInstance(undefined)).toBe(false)
    expect(isInstance('ConfigError')).toBe(false)
    expect(isInstance(new Error(error.message))).toBe(false)
    expect(isInstance({ name: error.name, code: error.code, retriable: error.retriable })).toBe(false)
    expect(isInstance(new TributaryError('plain'))).toBe(false)
  })
})

describe('ConfigError', () => {
  it('names the option, the value received and what is allowed', () => {
    const error = new ConfigError('lingerMs', 'an integer number of milliseconds from 0 to 2147483647', {
      received: -1,
    })
    expect(error.message).toBe(
      'Invalid lingerMs: got -1. Allowed: an integer number of milliseconds from 0 to 2147483647.',
    )
    expect(error.option).toBe('lingerMs')
    expect(error.options).toEqual(['lingerMs'])
    expect(error.allowed).toBe('an integer number of milliseconds from 0 to 2147483647')
  })

  it('names every option of a conflict and gives the reason', () => {
    const error = new ConfigError(
      ['deliveryTimeoutMs', 'lingerMs', 'requestTimeoutMs'],
      'deliveryTimeoutMs >= lingerMs + requestTimeoutMs',
      {
        reason: 'deliveryTimeoutMs is too short',
      },
    )
    expect(error.message).toBe(
      'Invalid deliveryTimeoutMs, lingerMs and requestTimeoutMs: deliveryTimeoutMs is too short. Allowed: deliveryTimeoutMs >= lingerMs + requestTimeoutMs.',
    )
    expect(error.option).toBe('deliveryTimeoutMs')
    expect(error.options).toEqual(['deliveryTimeoutMs', 'lingerMs', 'requestTimeoutMs'])
  })

  it('shows the received value unambiguously', () => {
    const got = (received: unknown): string =>
      new ConfigError('x', 'y', { received }).message.replace(/^Invalid x: got (.*)\. Allowed: y\.$/, '$1')
    expect(got('5')).toBe("'5' (a string)")
    expect(got(5)).toBe('5')
    expect(got(Number.NaN)).toBe('NaN')
    expect(got(5n)).toBe('5n (a bigint)')
    expect(got(true)).toBe('true')
    expect(got(null)).toBe('null')
    expect(got(undefined)).toBe('undefined')
    expect(got([1, 2])).toBe('an array of 2')
    expect(got({})).toBe('an object')
    expect(got(new Map())).toBe('a Map')
    expect(got(() => 1)).toBe('a function')
    expect(got('x'.repeat(200))).toBe(`'${'x'.repeat(80)}...' (a string)`)
  })

  it('says "not allowed" when neither a value nor a reason is given, and keeps the cause', () => {
    const cause = new Error('inner')
    const error = new ConfigError('compression', "'none' or 'gzip'", { cause })
    expect(error.message).toBe("Invalid compression: not allowed. Allowed: 'none' or 'gzip'.")
    expect(error.cause).toBe(cause)
  })
})

describe('SerializationError', () => {
  it('names the part and the topic and carries the cause', () => {
    const cause = new TypeError('Do not know how to serialize a BigInt')
    const error = new SerializationError('value', 'orders', cause)
    expect(error.message).toBe(
      "Could not serialize the value of a record for topic 'orders': Do not know how to serialize a BigInt",
    )
    expect(error.part).toBe('value')
    expect(error.topic).toBe('orders')
    expect(error.cause).toBe(cause)
  })

  it('reads naturally for every part', () => {
    expect(new SerializationError('key', 't', 'x').message).toMatch(/^Could not serialize the key of a record/)
    expect(new SerializationError('headerKey', 't', 'x').message).toMatch(
      /^Could not serialize a header key of a record/,
    )
    expect(new SerializationError('headerValue', 't', 'x').message).toMatch(
      /^Could not serialize a header value of a record/,
    )
  })

  it('accepts a thrown non-error as the cause', () => {
    const error = new SerializationError('key', 'orders', 'not a string')
    expect(error.message).toMatch(/: not a string$/)
    expect(error.cause).toBe('not a string')
  })
})

describe('BufferFullError', () => {
  it('says which limits were reached and what to do', () => {
    const error = new BufferFullError(33_554_432, 60_000)
    expect(error.message).toMatch(/bufferBytes 33554432/)
    expect(error.message).toMatch(/maxBlockMs \(60000 ms\)/)
    expect(error.message).toMatch(/raise bufferBytes or maxBlockMs/)
    expect(error.bufferBytes).toBe(33_554_432)
    expect(error.maxBlockMs).toBe(60_000)
  })
})

describe('RecordTooLargeError', () => {
  it('gives the size and the limit of maxRequestBytes by default', () => {
    const error = new RecordTooLargeError(2_000_000, 1_048_576)
    expect(error.message).toBe(
      "A record is 2000000 bytes when serialized, more than maxRequestBytes (1048576 bytes). Make the record smaller, or raise maxRequestBytes (and the topic's max.message.bytes on the brokers).",
    )
    expect(error.size).toBe(2_000_000)
    expect(error.limit).toBe(1_048_576)
    expect(error.limitName).toBe('maxRequestBytes')
    expect(error.topic).toBeUndefined()
  })

  it('names another limit, the topic and the partition when given', () => {
    const error = new RecordTooLargeError(50, 40, { limitName: 'bufferBytes', topic: 'orders', partition: 2 })
    expect(error.message).toBe(
      'A record for orders-2 is 50 bytes when serialized, more than bufferBytes (40 bytes). Make the record smaller, or raise bufferBytes.',
    )
    expect(new RecordTooLargeError(50, 40, { topic: 'orders' }).message).toMatch(
      /^A record for topic 'orders' is 50 bytes/,
    )
    expect(error.topic).toBe('orders')
    expect(error.partition).toBe(2)
  })
})

describe('TimeoutError', () => {
  it('says what was waiting and for how long, with the option and the last error', () => {
    const last = new KafkaProtocolError(ErrorCodes.NOT_ENOUGH_REPLICAS, { topic: 'orders', partition: 1 })
    const error = new TimeoutError({
      waitingFor: 'the acknowledgement of 3 records for orders-1',
      timeoutMs: 120_000,
      option: 'deliveryTimeoutMs',
      cause: last,
    })
    expect(error.message).toBe(
      `Timed out after 120000 ms (deliveryTimeoutMs) waiting for the acknowledgement of 3 records for orders-1. Last error: ${last.message}`,
    )
    expect(error.timeoutMs).toBe(120_000)
    expect(error.cause).toBe(last)
    expect(error.retriable).toBe(false)
  })

  it('takes a ready message too', () => {
    const cause = new Error('refused')
    const error = new TimeoutError("topic 'orders' not present in metadata after 100 ms", { cause, timeoutMs: 100 })
    expect(error.message).toBe("topic 'orders' not present in metadata after 100 ms")
    expect(error.cause).toBe(cause)
    expect(error.timeoutMs).toBe(100)
    expect(new TimeoutError('waited').timeoutMs).toBeUndefined()
  })
})

describe('BrokerNotAvailableError', () => {
  it('names every address tried and the last error', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:9092')
    const error = new BrokerNotAvailableError(['127.0.0.1:9092', 'kafka-2:9093'], cause)
    expect(error.message).toMatch(/^No Kafka broker is reachable \(tried 127\.0\.0\.1:9092, kafka-2:9093\)\./)
    expect(error.message).toMatch(/Last error: connect ECONNREFUSED 127\.0\.0\.1:9092\./)
    expect(error.message).toMatch(/bootstrapBrokers/)
    expect(error.addresses).toEqual(['127.0.0.1:9092', 'kafka-2:9093'])
    expect(error.cause).toBe(cause)
  })

  it('says so when no address was known', () => {
    expect(new BrokerNotAvailableError([]).message).toMatch(/no broker addresses were known/)
  })
})

describe('LeaderNotAvailableError', () => {
  it('names the topic-partition', () => {
    const error = new LeaderNotAvailableError('orders', 4)
    expect(error.message).toMatch(/^Partition orders-4 has no leader available/)
    expect(error.topic).toBe('orders')
    expect(error.partition).toBe(4)
  })
})

describe('KafkaProtocolError', () => {
  it('carries the code, its Kafka name and its retriability from Kafka’s list', () => {
    const notLeader = new KafkaProtocolError(6)
    expect(notLeader.code).toBe(6)
    expect(notLeader.kafkaName).toBe('NOT_LEADER_OR_FOLLOWER')
    expect(notLeader.retriable).toBe(true)
    const tooLarge = new KafkaProtocolError(ErrorCodes.MESSAGE_TOO_LARGE)
    expect(tooLarge.kafkaName).toBe('MESSAGE_TOO_LARGE')
    expect(tooLarge.retriable).toBe(false)
    const authz = new KafkaProtocolError(ErrorCodes.TOPIC_AUTHORIZATION_FAILED)
    expect(authz.retriable).toBe(false)
  })

  it('puts the API, the topic-partition, the broker message and advice in the message', () => {
    const error = new KafkaProtocolError(ErrorCodes.NOT_LEADER_OR_FOLLOWER, {
      api: 'Produce',
      topic: 'orders',
      partition: 3,
      brokerMessage: 'This server is not the leader for that topic-partition.',
    })
    expect(error.message).toBe(
      "Broker error NOT_LEADER_OR_FOLLOWER (6) from Produce for orders-3: This server is not the leader for that topic-partition. The partition's leader moved; the producer refreshes metadata and retries.",
    )
    expect(error.api).toBe('Produce')
    expect(error.topic).toBe('orders')
    expect(error.partition).toBe(3)
    expect(error.brokerMessage).toBe('This server is not the leader for that topic-partition.')
  })

  it('leaves out what it does not know', () => {
    expect(new KafkaProtocolError(ErrorCodes.POLICY_VIOLATION).message).toBe('Broker error POLICY_VIOLATION (44)')
    expect(new KafkaProtocolError(ErrorCodes.POLICY_VIOLATION, { topic: 'orders', brokerMessage: null }).message).toBe(
      "Broker error POLICY_VIOLATION (44) for topic 'orders'",
    )
    const empty = new KafkaProtocolError(ErrorCodes.POLICY_VIOLATION, { brokerMessage: '' })
    expect(empty.message).toBe('Broker error POLICY_VIOLATION (44)')
    expect(empty.brokerMessage).toBeUndefined()
  })

  it('says what to do where it is obvious', () => {
    expect(new KafkaProtocolError(ErrorCodes.NOT_LEADER_OR_FOLLOWER, { topic: 'orders', partition: 0 }).message).toBe(
      "Broker error NOT_LEADER_OR_FOLLOWER (6) for orders-0. The partition's leader moved; the producer refreshes metadata and retries.",
    )
    expect(new KafkaProtocolError(ErrorCodes.TOPIC_AUTHORIZATION_FAILED, { topic: 'orders' }).message).toMatch(
      /WRITE and DESCRIBE on the topic/,
    )
    expect(new KafkaProtocolError(ErrorCodes.MESSAGE_TOO_LARGE).message).toMatch(/max\.message\.bytes/)
    expect(new KafkaProtocolError(ErrorCodes.CLUSTER_AUTHORIZATION_FAILED).message).toMatch(
      /IDEMPOTENT_WRITE.*idempotent: false/,
    )
    expect(new KafkaProtocolError(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION).message).toMatch(/Create the topic/)
  })

  it('handles a code Kafka does not define', () => {
    const error = new KafkaProtocolError(999)
    expect(error.kafkaName).toBe('UNKNOWN_ERROR_CODE_999')
    expect(error.retriable).toBe(false)
    expect(error.message).toBe('Broker error UNKNOWN_ERROR_CODE_999 (999)')
  })
})

describe('ProducerClosedError', () => {
  it('names the operation called after close', () => {
    const error = new ProducerClosedError('send')
    expect(error.message).toBe(
      'Cannot call send(): the producer is closed. Create a new Producer to send more records.',
    )
    expect(error.operation).toBe('send')
  })

  it('explains why a buffered record was abandoned', () => {
    const error = new ProducerClosedError(undefined, { reason: 'close() timed out after 5000 ms' })
    expect(error.message).toBe(
      'The producer was closed before the record was delivered: close() timed out after 5000 ms. Create a new Producer to send more records.',
    )
    expect(error.operation).toBeUndefined()
    expect(new ProducerClosedError().message).toBe(
      'The producer is closed. Create a new Producer to send more records.',
    )
  })
})
