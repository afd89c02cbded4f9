import { createRequire } from 'node:module'
import {
  AuthenticationError,
  BrokerNotAvailableError,
  BufferFullError,
  ConfigError,
  ConnectionError,
  KafkaProtocolError,
  ProducerClosedError,
  RecordTooLargeError,
  RetriesExhaustedError,
  TimeoutError,
  TransactionStateError,
} from '@tributary/core'
import * as kafkajs from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { describeErrorCode, toKafkaJSError } from '../src/errors/from-tributary.js'
import { KAFKAJS_ERROR_CODES } from '../src/errors/protocol-errors.js'
import * as ours from '../src/index.js'

const require = createRequire(import.meta.url)

/** kafkajs declares some constructors without parameters, though they take a message. */
const make = (C: unknown, ...args: unknown[]): Error => new (C as new (...a: unknown[]) => Error)(...args)

describe('kafkajs error classes', () => {
  const kafkajsErrorNames = Object.keys(kafkajs).filter((name) => /^KafkaJS/.test(name))

  it('exports every error class kafkajs exports', () => {
    const missing = kafkajsErrorNames.filter((name) => !(name in ours))
    expect(missing).toEqual([])
  })

  it('builds errors with kafkajs’s names, messages and fields', () => {
    const pairs: Array<[Error, Error]> = [
      [new ours.KafkaJSError('x'), new kafkajs.KafkaJSError('x')],
      [new ours.KafkaJSNonRetriableError('x'), new kafkajs.KafkaJSNonRetriableError('x')],
      [
        new ours.KafkaJSConnectionError('x', { broker: 'b:1' }),
        new kafkajs.KafkaJSConnectionError('x', { broker: 'b:1' }),
      ],
      [new ours.KafkaJSNotImplemented('x'), make(kafkajs.KafkaJSNotImplemented, 'x')],
      [new ours.KafkaJSTimeout('x'), make(kafkajs.KafkaJSTimeout, 'x')],
      [new ours.KafkaJSSASLAuthenticationError('x'), make(kafkajs.KafkaJSSASLAuthenticationError, 'x')],
      [
        new ours.KafkaJSNumberOfRetriesExceeded(new Error('last'), { retryCount: 5, retryTime: 300 }),
        new kafkajs.KafkaJSNumberOfRetriesExceeded(new Error('last'), { retryCount: 5, retryTime: 300 }),
      ],
    ]
    for (const [mine, theirs] of pairs) {
      expect(mine.name).toBe(theirs.name)
      expect(mine.message).toBe(theirs.message)
      const fields = (e: Error) => {
        const { stack: _stack, cause: _cause, ...rest } = e as Error & Record<string, unknown>
        return rest
      }
      expect(fields(mine)).toEqual(fields(theirs))
    }
  })

  it('builds protocol errors from kafkajs’s table: type, code, retriable, message', () => {
    const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
      createErrorFromCode: (code: number) => kafkajs.KafkaJSProtocolError
    }
    for (const [code] of KAFKAJS_ERROR_CODES) {
      const theirs = createErrorFromCode(code)
      const mine = new ours.KafkaJSProtocolError(describeErrorCode(code))
      expect([mine.name, mine.type, mine.code, mine.retriable, mine.message, mine.helpUrl]).toEqual([
        theirs.name,
        theirs.type,
        theirs.code,
        theirs.retriable,
        theirs.message,
        theirs.helpUrl,
      ])
    }
  })

  it('has the same generated table as the installed kafkajs (run `npm run generate:errors` when not)', () => {
    const { errorCodes } = require('kafkajs/src/protocol/error.js') as {
      errorCodes: Array<{ code: number; type: string; retriable: boolean; message: string; helpUrl?: string }>
    }
    expect(
      KAFKAJS_ERROR_CODES.map(([code, type, retriable, message, helpUrl]) => ({
        code,
        type,
        retriable,
        message,
        helpUrl,
      })),
    ).toEqual(
      errorCodes.map(({ code, type, retriable, message, helpUrl }) => ({ code, type, retriable, message, helpUrl })),
    )
  })

  it('recognises instances with instanceof, isInstance (subclasses included) and name', () => {
    const error = new ours.KafkaJSNumberOfRetriesExceeded('gave up', { retryCount: 1, retryTime: 2 })
    expect(error).toBeInstanceOf(ours.KafkaJSNonRetriableError)
    expect(error).toBeInstanceOf(ours.KafkaJSError)
    expect(error).toBeInstanceOf(Error)
    expect(ours.KafkaJSNumberOfRetriesExceeded.isInstance(error)).toBe(true)
    expect(ours.KafkaJSNonRetriableError.isInstance(error)).toBe(true)
    expect(ours.KafkaJSError.isInstance(error)).toBe(true)
    expect(ours.KafkaJSProtocolError.isInstance(error)).toBe(false)
    expect(ours.KafkaJSError.isInstance(new Error('x'))).toBe(false)
    expect(ours.KafkaJSError.isInstance(new kafkajs.KafkaJSError('x'))).toBe(false)
    // A copy from another module instance (ESM and CJS builds both loaded) carries the same brand.
    const foreign = Object.assign(Object.create(Error.prototype), {})
    Object.defineProperty(foreign, Symbol.for('tributary.kafkajs.error'), {
      value: new Set(['KafkaJSError', 'KafkaJSProtocolError']),
    })
    expect(ours.KafkaJSProtocolError.isInstance(foreign)).toBe(true)
    expect(error.name).toBe('KafkaJSNumberOfRetriesExceeded')
    expect(error.retriable).toBe(false)
  })
})

describe('from Tributary errors', () => {
  const map = (error: unknown) => toKafkaJSError(error) as ours.KafkaJSError & Record<string, unknown>

  it('maps a broker error code to KafkaJSProtocolError with kafkajs’s type, and keeps the original as cause', () => {
    const original = new KafkaProtocolError(6, { api: 'Produce', topic: 'orders', partition: 1 })
    const error = map(original)
    expect(error).toBeInstanceOf(ours.KafkaJSProtocolError)
    expect(error).toMatchObject({
      name: 'KafkaJSProtocolError',
      type: 'NOT_LEADER_FOR_PARTITION', // kafkajs's name; Kafka's is NOT_LEADER_OR_FOLLOWER
      code: 6,
      retriable: true,
      message: 'This server is not the leader for that topic-partition',
    })
    expect(error.cause).toBe(original)
  })

  it('names a code kafkajs 2.2.4 does not know as Kafka does, with its real code', () => {
    const error = map(new KafkaProtocolError(90)) // PRODUCER_FENCED, newer than kafkajs
    expect(error).toMatchObject({ name: 'KafkaJSProtocolError', type: 'PRODUCER_FENCED', code: 90 })
  })

  it('maps exhausted retries to KafkaJSNumberOfRetriesExceeded with the last error’s message', () => {
    const last = new KafkaProtocolError(5)
    const original = new RetriesExhaustedError({
      topic: 't',
      partition: 0,
      records: 1,
      attempts: 6,
      retries: 5,
      cause: last,
    })
    const error = map(original)
    expect(error).toBeInstanceOf(ours.KafkaJSNumberOfRetriesExceeded)
    expect(error).toMatchObject({
      name: 'KafkaJSNumberOfRetriesExceeded',
      retriable: false,
      retryCount: 5,
      message: 'There is no leader for this topic-partition as we are in the middle of a leadership election',
    })
    // As in kafkajs, the cause is the last error; its own cause is the Tributary error.
    expect(error.cause).toMatchObject({ name: 'KafkaJSProtocolError', type: 'LEADER_NOT_AVAILABLE', code: 5 })
    expect((error.cause as Error).cause).toBe(original)
    expect(((error.cause as Error).cause as Error).cause).toBe(last)
  })

  it('maps a delivery timeout after retriable errors to KafkaJSNumberOfRetriesExceeded, and one without to KafkaJSTimeout', () => {
    const last = new ConnectionError('request Produce (correlation id 7) to 127.0.0.1:9092 timed out after 30000 ms')
    expect(map(new TimeoutError({ waitingFor: 'x', timeoutMs: 10, cause: last }))).toMatchObject({
      name: 'KafkaJSNumberOfRetriesExceeded',
      message: 'Request Produce(key: 0) timed out',
      cause: { name: 'KafkaJSRequestTimeoutError', broker: '127.0.0.1:9092', correlationId: 7 },
    })
    expect(map(new TimeoutError('waited', { timeoutMs: 10 }))).toMatchObject({
      name: 'KafkaJSTimeout',
      message: 'waited',
    })
  })

  it('maps connection problems to KafkaJSConnectionError and request timeouts to KafkaJSRequestTimeoutError', () => {
    expect(map(new ConnectionError('connection to 127.0.0.1:9092 closed'))).toMatchObject({
      name: 'KafkaJSConnectionError',
      broker: '127.0.0.1:9092',
      retriable: true,
    })
    expect(map(new BrokerNotAvailableError(['a:1', 'b:2']))).toMatchObject({
      name: 'KafkaJSConnectionError',
      broker: 'a:1',
    })
    expect(
      map(new ConnectionError('request Metadata (correlation id 12) to 127.0.0.1:9092 timed out after 200 ms')),
    ).toMatchObject({
      name: 'KafkaJSRequestTimeoutError',
      broker: '127.0.0.1:9092',
      correlationId: 12,
      retriable: true,
    })
  })

  it('maps authentication failures as kafkajs words them', () => {
    const sasl = new AuthenticationError({ mechanism: 'SCRAM-SHA-256', broker: 'b:1', reason: 'bad password' })
    expect(map(sasl)).toMatchObject({ name: 'KafkaJSSASLAuthenticationError', retriable: false })
    expect(map(sasl).message).toMatch(/^SASL SCRAM SHA256 authentication failed: /)
    const tls = new AuthenticationError({ mechanism: 'TLS', broker: 'b:1', reason: 'self-signed' })
    expect(map(tls)).toMatchObject({ name: 'KafkaJSConnectionError', broker: 'b:1' })
  })

  it('maps what was refused before sending', () => {
    expect(map(new RecordTooLargeError(2_000_000, 1_048_576))).toMatchObject({
      name: 'KafkaJSProtocolError',
      type: 'MESSAGE_TOO_LARGE',
      code: 10,
    })
    expect(map(new ConfigError('acks', "'all', -1, 1 or 0"))).toMatchObject({ name: 'KafkaJSNonRetriableError' })
    expect(map(new TransactionStateError('no transaction'))).toMatchObject({ name: 'KafkaJSNonRetriableError' })
    expect(map(new ProducerClosedError('send'))).toMatchObject({ name: 'KafkaJSNonRetriableError' })
    expect(map(new BufferFullError(10, 10))).toMatchObject({ name: 'KafkaJSError', retriable: true })
  })

  it('leaves errors that are not Tributary’s alone (kafkajs’s, and user code’s)', () => {
    const mine = new Error('from a partitioner')
    expect(toKafkaJSError(mine)).toBe(mine)
    const already = new ours.KafkaJSError('x')
    expect(toKafkaJSError(already)).toBe(already)
  })
})
