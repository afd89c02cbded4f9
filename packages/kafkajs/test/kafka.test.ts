// The Kafka client and the producer's configuration: what kafkajs accepts, how it maps to
// Tributary's core, and what this package refuses (clearly) because it cannot honour it.
import { unsecuredJwt } from '@tributary/test-support/sasl'
import { afterEach, describe, expect, it } from 'vitest'
import { CompressionTypes, Kafka, KafkaJSNotImplemented, type LogEntry, logLevel } from '../src/index.js'
import { secureRandom, setup } from './helpers.js'

describe('Kafka', () => {
  const t = setup()

  it('does not provide consumers or admin clients, in the types and at run time, and says where they come from', () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:9092'] })
    // @ts-expect-error consumers come from kafkajs itself
    expect(() => kafka.consumer({ groupId: 'g' })).toThrow(KafkaJSNotImplemented)
    // @ts-expect-error admin clients come from kafkajs itself
    expect(() => kafka.admin()).toThrow(/create consumers and admin clients with kafkajs itself/)
  })

  it('takes the brokers from a function on every connect, and reports what it throws as a connection error', async () => {
    const cluster = await t.cluster()
    let calls = 0
    const producer = t.producer(
      cluster,
      {},
      {
        brokers: async () => {
          calls++
          return cluster.bootstrapBrokers
        },
      },
    )
    await producer.connect()
    await producer.disconnect()
    await producer.connect()
    expect(calls).toBe(2)
    const failing = t.producer(
      cluster,
      {},
      {
        brokers: () => {
          throw new Error('service discovery is down')
        },
      },
    )
    await expect(failing.connect()).rejects.toMatchObject({
      name: 'KafkaJSConnectionError',
      message: 'Failed to connect: "config.brokers" threw: service discovery is down',
    })
    const empty = t.producer(cluster, {}, { brokers: [] })
    await expect(empty.connect()).rejects.toThrow('Failed to connect: brokers array is empty')
  })

  it('refuses what it cannot honour when the producer is created: custom sockets, AWS IAM and custom SASL mechanisms', () => {
    const kafka = (config: object) => new Kafka({ brokers: ['127.0.0.1:9092'], ...config })
    expect(() => kafka({ socketFactory: () => ({}) as never }).producer()).toThrow(/socketFactory is not supported/)
    expect(() =>
      kafka({
        sasl: { mechanism: 'aws', authorizationIdentity: 'a', accessKeyId: 'b', secretAccessKey: 'c' },
      }).producer(),
    ).toThrow(/SASL AWS mechanism is not supported/)
    expect(() =>
      kafka({
        sasl: { mechanism: 'my-mechanism', authenticationProvider: () => ({ authenticate: async () => {} }) },
      }).producer(),
    ).toThrow(/custom authenticationProvider/)
  })

  it('authenticates with OAUTHBEARER through oauthBearerProvider', async () => {
    const cluster = await t.cluster({ sasl: { mechanisms: ['OAUTHBEARER'] } })
    const producer = t.producer(
      cluster,
      {},
      {
        sasl: {
          mechanism: 'oauthbearer',
          oauthBearerProvider: async () => ({
            value: unsecuredJwt({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 }),
          }),
        },
      },
    )
    await producer.connect()
    await producer.send({ topic: `t-${secureRandom()}`, messages: [{ value: 'authenticated' }] })
  })

  describe('retries', () => {
    it('gives up after `retry.retries` retries, with KafkaJSNumberOfRetriesExceeded naming the last error', async () => {
      const topic = `retries-${secureRandom()}`
      const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
      const producer = t.producer(cluster, { retry: { retries: 2, initialRetryTime: 5 } })
      await producer.connect()
      cluster.failNext('Produce', { errorCode: 7, count: 10 }) // REQUEST_TIMED_OUT
      await expect(producer.send({ topic, messages: [{ value: 'x' }] })).rejects.toMatchObject({
        name: 'KafkaJSNumberOfRetriesExceeded',
        retriable: false,
        retryCount: 2,
        message: 'The request timed out',
      })
      expect(cluster.requests().filter((r) => r.apiName === 'Produce')).toHaveLength(3)
    })

    it('takes the client’s retry options under the producer’s', async () => {
      const topic = `retries-${secureRandom()}`
      const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
      const producer = t.producer(cluster, { retry: { retries: 1 } }, { retry: { retries: 4, initialRetryTime: 5 } })
      await producer.connect()
      cluster.failNext('Produce', { errorCode: 7, count: 10 })
      await expect(producer.send({ topic, messages: [{ value: 'x' }] })).rejects.toHaveProperty('retryCount', 1)
      expect(cluster.requests().filter((r) => r.apiName === 'Produce')).toHaveLength(2)
    })

    it('sends once with retries 0 (not idempotent), and fails at once on a non-retriable error', async () => {
      const topic = `retries-${secureRandom()}`
      const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
      const producer = t.producer(cluster, { retry: { retries: 0 } })
      await producer.connect()
      cluster.failNext('Produce', { errorCode: 7 })
      await expect(producer.send({ topic, messages: [{ value: 'x' }] })).rejects.toHaveProperty(
        'name',
        'KafkaJSNumberOfRetriesExceeded',
      )
      cluster.failNext('Produce', { errorCode: 29 }) // TOPIC_AUTHORIZATION_FAILED: not retriable
      await expect(producer.send({ topic, messages: [{ value: 'x' }] })).rejects.toMatchObject({
        name: 'KafkaJSProtocolError',
        type: 'TOPIC_AUTHORIZATION_FAILED',
        retriable: false,
      })
    })
  })

  describe('messages', () => {
    it('writes keys, values and headers as kafkajs does: Buffers as they are, anything else as a string', async () => {
      const topic = `messages-${secureRandom()}`
      const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
      const producer = t.producer(cluster)
      await producer.connect()
      await producer.send({
        topic,
        messages: [
          { key: Buffer.from([1, 2]), value: Buffer.from([3]), timestamp: '1700000000000' },
          { key: 42 as never, value: { a: 1 } as never, headers: { n: 7 as never } },
          {
            key: null,
            value: null,
            headers: { many: ['a', Buffer.from('b')], missing: undefined, one: 'c' },
          },
        ],
      })
      const [a, b, c] = cluster.records(topic)
      expect([a?.key, a?.value, a?.timestamp]).toEqual([Buffer.from([1, 2]), Buffer.from([3]), 1700000000000n])
      expect([b?.key?.toString(), b?.value?.toString(), b?.headers[0]?.value?.toString()]).toEqual([
        '42',
        '[object Object]',
        '7',
      ])
      expect([c?.key, c?.value]).toEqual([null, null])
      expect(c?.headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual([
        ['many', 'a'],
        ['many', 'b'],
        ['missing', null],
        ['one', 'c'],
      ])
    })

    it('reports the log append time of a LogAppendTime topic, and -1 otherwise', async () => {
      const appended = `appended-${secureRandom()}`
      const created = `created-${secureRandom()}`
      const cluster = await t.cluster({
        topics: [
          { name: appended, partitions: 1, configs: { 'message.timestamp.type': 'LogAppendTime' } },
          { name: created, partitions: 1 },
        ],
      })
      const producer = t.producer(cluster)
      await producer.connect()
      const old = '1600000000000'
      const [a] = await producer.send({ topic: appended, messages: [{ value: 'x', timestamp: old }] })
      const [c] = await producer.send({ topic: created, messages: [{ value: 'x', timestamp: old }] })
      expect(Number(a?.logAppendTime)).toBeGreaterThan(Number(old))
      expect(a?.logAppendTime).toBe(String(cluster.records(appended)[0]?.timestamp))
      expect(c?.logAppendTime).toBe('-1')
    })

    it('answers with one entry per partition written, each with the first offset written to it', async () => {
      const topic = `messages-${secureRandom()}`
      const cluster = await t.cluster({ topics: [{ name: topic, partitions: 3 }] })
      const producer = t.producer(cluster)
      await producer.connect()
      await producer.send({ topic, messages: [{ value: 'p1', partition: 1 }] })
      const result = await producer.send({
        topic,
        acks: 1,
        messages: [2, 1, 2, 1, 0].map((partition, i) => ({ value: `m${i}`, partition })),
      })
      expect(result.map((r) => [r.partition, r.baseOffset])).toEqual([
        [0, '0'],
        [1, '1'],
        [2, '0'],
      ])
    })

    it('refuses acks other than -1, 0 and 1 as a broker does', async () => {
      const cluster = await t.cluster()
      const producer = t.producer(cluster)
      await producer.connect()
      await expect(producer.send({ topic: 't', acks: 2, messages: [{ value: 'x' }] })).rejects.toMatchObject({
        name: 'KafkaJSProtocolError',
        type: 'INVALID_REQUIRED_ACKS',
      })
    })

    it('sends with each acks, compression and timeout asked for, and connects each combination once', async () => {
      const topic = `variants-${secureRandom()}`
      const cluster = await t.cluster({ topics: [{ name: topic, partitions: 1 }] })
      const producer = t.producer(cluster)
      await producer.connect()
      const connections = () => cluster.requests().filter((r) => r.apiName === 'ApiVersions').length
      const round = async () => {
        await producer.send({ topic, messages: [{ value: 'all' }] })
        await producer.send({ topic, acks: 1, messages: [{ value: 'leader' }] })
        await producer.send({ topic, acks: 0, messages: [{ value: 'none' }] })
        await producer.send({ topic, compression: CompressionTypes.GZIP, messages: [{ value: 'gzip' }] })
        await producer.send({ topic, timeout: 5000, messages: [{ value: 'timeout' }] })
      }
      await round()
      const afterFirst = connections()
      await round()
      // The second round reuses the five core producers (and their connections) of the first.
      expect(connections()).toBe(afterFirst)
      await expect.poll(() => cluster.records(topic).length).toBe(10)
      expect(cluster.records(topic).filter((r) => r.compression === CompressionTypes.GZIP)).toHaveLength(2)
    })
  })

  describe('logging', () => {
    const saved = process.env.KAFKAJS_LOG_LEVEL
    afterEach(() => {
      if (saved === undefined) delete process.env.KAFKAJS_LOG_LEVEL
      else process.env.KAFKAJS_LOG_LEVEL = saved
    })

    it('gives kafkajs’s log entries to a logCreator, at the level asked for', () => {
      const entries: LogEntry[] = []
      let createdWith: number | undefined
      const kafka = new Kafka({
        brokers: ['127.0.0.1:9092'],
        logLevel: logLevel.WARN,
        logCreator: (level) => {
          createdWith = level
          return (entry) => entries.push(entry)
        },
      })
      const logger = kafka.producer().logger()
      logger.info('not at WARN')
      logger.warn('careful', { topic: 'orders' })
      logger.error('broken')
      expect(createdWith).toBe(logLevel.WARN)
      expect(entries).toEqual([
        {
          namespace: 'Producer',
          level: logLevel.WARN,
          label: 'WARN',
          log: { timestamp: expect.any(String), logger: 'kafkajs', message: 'careful', topic: 'orders' },
        },
        {
          namespace: 'Producer',
          level: logLevel.ERROR,
          label: 'ERROR',
          log: { timestamp: expect.any(String), logger: 'kafkajs', message: 'broken' },
        },
      ])
      kafka.logger().setLogLevel(logLevel.DEBUG)
      kafka.logger().debug('now at DEBUG')
      expect(entries.at(-1)).toMatchObject({ namespace: '', label: 'DEBUG', log: { message: 'now at DEBUG' } })
    })

    it('takes the level from KAFKAJS_LOG_LEVEL when it is set', () => {
      process.env.KAFKAJS_LOG_LEVEL = 'debug'
      const entries: LogEntry[] = []
      const kafka = new Kafka({
        brokers: ['127.0.0.1:9092'],
        logLevel: logLevel.NOTHING,
        logCreator: () => (e) => entries.push(e),
      })
      kafka.logger().debug('shown')
      expect(entries.map((e) => e.log.message)).toEqual(['shown'])
    })
  })
})
