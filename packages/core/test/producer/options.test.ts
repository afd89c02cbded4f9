import { Buffer } from 'node:buffer'
import { describe, expect, it, vi } from 'vitest'
import type { Codec } from '../../src/compression/codec.js'
import { ConfigError } from '../../src/errors/config-error.js'
import type { Partitioner } from '../../src/plugins.js'
import { optionsFromProperties, resolveProducerOptions } from '../../src/producer/options.js'
import type { Logger, ProducerOptions } from '../../src/producer/types.js'
import { defaultSerializer, jsonSerializer, stringSerializer } from '../../src/serializers/index.js'

const brokers = ['127.0.0.1:9092']

/** Resolves options given as plain data, as a JavaScript caller could pass them. */
function resolve(options: Record<string, unknown>) {
  return resolveProducerOptions({ bootstrapBrokers: brokers, ...options } as ProducerOptions)
}

/** The ConfigError thrown by `fn`. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    if (ConfigError.isInstance(error)) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

const fakeCodec: Codec = {
  name: 'zstd',
  type: 4,
  compress: (data: Buffer) => data,
  decompress: (data: Buffer) => data,
}

describe('resolveProducerOptions defaults', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveProducerOptions({ bootstrapBrokers: brokers })
    expect(resolved).toMatchObject({
      clientId: 'tributary',
      bootstrapBrokers: [{ host: '127.0.0.1', port: 9092 }],
      acks: -1,
      idempotent: true,
      compression: null,
      lingerMs: undefined,
      batchBytes: 1_048_576,
      bufferBytes: 33_554_432,
      maxBlockMs: 60_000,
      maxInFlight: 5,
      requestTimeoutMs: 30_000,
      deliveryTimeoutMs: 120_000,
      retryBackoffMs: 100,
      retryBackoffMaxMs: 1_000,
      metadataMaxAgeMs: 300_000,
      maxRequestBytes: 1_048_576,
      connectTimeoutMs: 10_000,
    })
  })

  it('uses the default partitioner, a fresh one per producer', () => {
    const one = resolveProducerOptions({ bootstrapBrokers: brokers }).partitioner
    const two = resolveProducerOptions({ bootstrapBrokers: brokers }).partitioner
    expect(typeof one.partition).toBe('function')
    expect(typeof one.onBatchClosed).toBe('function')
    expect(one).not.toBe(two)
    expect(one.partition({ topic: 't', key: Buffer.from('foobar'), value: null, partitionCount: 50 })).toBe(16)
  })

  it('uses a no-op logger with every method', () => {
    const { logger } = resolveProducerOptions({ bootstrapBrokers: brokers })
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      expect(typeof logger[level]).toBe('function')
      expect(() => logger[level]('message', { a: 1 })).not.toThrow()
    }
  })

  it('uses the default serializer for keys, values and header values, and none for header keys', () => {
    const { serializers } = resolveProducerOptions({ bootstrapBrokers: brokers })
    expect(serializers.key).toBe(defaultSerializer)
    expect(serializers.value).toBe(defaultSerializer)
    expect(serializers.headerValue).toBe(defaultSerializer)
    expect(serializers.headerKey).toBeUndefined()
  })

  it('keeps the options given', () => {
    const partitioner: Partitioner = { partition: () => 0 }
    const key = stringSerializer()
    const value = jsonSerializer<{ id: number }>()
    const headerKey = stringSerializer()
    const resolved = resolveProducerOptions({
      clientId: 'orders-service',
      bootstrapBrokers: 'kafka-1:9092, kafka-2:9093',
      serializers: { key, value, headerKey },
      acks: 1,
      idempotent: false,
      compression: fakeCodec,
      lingerMs: 0,
      batchBytes: 16_384,
      bufferBytes: 1_000_000,
      maxBlockMs: 0,
      maxInFlight: 20,
      requestTimeoutMs: 1_000,
      deliveryTimeoutMs: 1_000,
      retryBackoffMs: 0,
      retryBackoffMaxMs: 50,
      metadataMaxAgeMs: 0,
      maxRequestBytes: 100,
      connectTimeoutMs: 1,
      partitioner,
    })
    expect(resolved).toMatchObject({
      clientId: 'orders-service',
      bootstrapBrokers: [
        { host: 'kafka-1', port: 9092 },
        { host: 'kafka-2', port: 9093 },
      ],
      acks: 1,
      idempotent: false,
      lingerMs: 0,
      batchBytes: 16_384,
      bufferBytes: 1_000_000,
      maxBlockMs: 0,
      maxInFlight: 20,
      requestTimeoutMs: 1_000,
      deliveryTimeoutMs: 1_000,
      retryBackoffMs: 0,
      retryBackoffMaxMs: 50,
      metadataMaxAgeMs: 0,
      maxRequestBytes: 100,
      connectTimeoutMs: 1,
    })
    expect(resolved.compression).toBe(fakeCodec)
    expect(resolved.partitioner).toBe(partitioner)
    expect(resolved.serializers.key).toBe(key)
    expect(resolved.serializers.value).toBe(value)
    expect(resolved.serializers.headerKey).toBe(headerKey)
    expect(resolved.serializers.headerValue).toBe(defaultSerializer)
  })
})

describe('resolveProducerOptions bootstrapBrokers', () => {
  it('accepts an array or a comma-separated string, trimming spaces', () => {
    expect(resolve({ bootstrapBrokers: [' a:1 ', 'b.example.com:65535'] }).bootstrapBrokers).toEqual([
      { host: 'a', port: 1 },
      { host: 'b.example.com', port: 65535 },
    ])
    expect(resolve({ bootstrapBrokers: 'a:1,b:2 , c_d-e:3,' }).bootstrapBrokers).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
      { host: 'c_d-e', port: 3 },
    ])
  })

  it('accepts IPv4 addresses and bracketed IPv6 addresses', () => {
    expect(
      resolve({ bootstrapBrokers: ['10.0.0.1:9092', '[::1]:9093', '[fe80::1%eth0]:9094'] }).bootstrapBrokers,
    ).toEqual([
      { host: '10.0.0.1', port: 9092 },
      { host: '::1', port: 9093 },
      { host: 'fe80::1%eth0', port: 9094 },
    ])
  })

  it('is required', () => {
    const error = configError(() => resolveProducerOptions({} as ProducerOptions))
    expect(error.option).toBe('bootstrapBrokers')
    expect(error.message).toMatch(
      /^Invalid bootstrapBrokers: it is required\. Allowed: a non-empty list of host:port entries/,
    )
  })

  it.each([
    [[], /no broker given/],
    ['', /no broker given/],
    [' , ', /no broker given/],
    ['localhost', /entry 'localhost' has no port/],
    [['localhost:'], /entry 'localhost:' is not host:port/],
    [['a:b'], /entry 'a:b' is not host:port/],
    [['::1:9092'], /entry '::1:9092' is not host:port/],
    [['a:1,b:2'], /entry 'a:1,b:2' is not host:port/],
    [['http://a:1'], /is not host:port/],
    [['a:0'], /entry 'a:0' has port 0, outside 1 to 65535/],
    [['a:65536'], /has port 65536, outside 1 to 65535/],
    [[''], /entry '' has no port/],
    [[9092], /an entry is not a string but number/],
    [9092, /got 9092/],
    [{ host: 'a', port: 1 }, /got an object/],
  ])('rejects %j', (value, message) => {
    const error = configError(() => resolve({ bootstrapBrokers: value }))
    expect(error.option).toBe('bootstrapBrokers')
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(/Allowed: a non-empty list of host:port entries \(port 1 to 65535\)/)
  })
})

describe('resolveProducerOptions validation', () => {
  it('rejects options that are not an object', () => {
    expect(configError(() => resolveProducerOptions(null as unknown as ProducerOptions)).option).toBe('options')
  })

  it.each([
    ['lingerMs', -1, 0, 2_147_483_647, 'milliseconds'],
    ['batchBytes', -1, 0, 2_147_483_647, 'bytes'],
    ['maxBlockMs', -1, 0, 2_147_483_647, 'milliseconds'],
    ['maxInFlight', 0, 1, 2_147_483_647, 'requests'],
    ['requestTimeoutMs', 0, 1, 2_147_483_647, 'milliseconds'],
    ['deliveryTimeoutMs', 0, 1, 2_147_483_647, 'milliseconds'],
    ['retryBackoffMs', -1, 0, 2_147_483_647, 'milliseconds'],
    ['retryBackoffMaxMs', -1, 0, 2_147_483_647, 'milliseconds'],
    ['metadataMaxAgeMs', -1, 0, 2_147_483_647, 'milliseconds'],
    ['maxRequestBytes', 0, 1, 2_147_483_647, 'bytes'],
    ['connectTimeoutMs', 0, 1, 2_147_483_647, 'milliseconds'],
  ])('checks %s is an integer in its range', (option, below, min, max, unit) => {
    const allowed = `an integer number of ${unit} from ${min} to ${max}`
    for (const bad of [below, max + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '5', 5n, null, true]) {
      const error = configError(() => resolve({ [option]: bad }))
      expect(error.option).toBe(option)
      expect(error.allowed).toBe(allowed)
      expect(error.message).toContain(`Invalid ${option}: got `)
    }
    expect(configError(() => resolve({ [option]: '5' })).message).toBe(
      `Invalid ${option}: got '5' (a string). Allowed: ${allowed}.`,
    )
  })

  it('checks bufferBytes is a positive safe integer', () => {
    expect(configError(() => resolve({ bufferBytes: 0 })).allowed).toBe(
      `an integer number of bytes from 1 to ${Number.MAX_SAFE_INTEGER}`,
    )
    expect(resolve({ bufferBytes: 2 ** 40 }).bufferBytes).toBe(2 ** 40)
  })

  it('bounds waiting records by the larger of bufferBytes and 32 MiB unless maxWaitingBytes is given', () => {
    expect(resolve({}).maxWaitingBytes).toBe(33_554_432)
    expect(resolve({ bufferBytes: 1_000, batchBytes: 1_000 }).maxWaitingBytes).toBe(33_554_432)
    expect(resolve({ bufferBytes: 2 ** 30 }).maxWaitingBytes).toBe(2 ** 30)
    expect(resolve({ maxWaitingBytes: 0 }).maxWaitingBytes).toBe(0)
    expect(resolve({ maxWaitingBytes: Number.MAX_SAFE_INTEGER }).maxWaitingBytes).toBe(Number.MAX_SAFE_INTEGER)
    expect(configError(() => resolve({ maxWaitingBytes: -1 })).allowed).toBe(
      `an integer number of bytes from 0 to ${Number.MAX_SAFE_INTEGER}`,
    )
    expect(configError(() => resolve({ maxWaitingBytes: 1.5 })).option).toBe('maxWaitingBytes')
  })

  it('treats options set to undefined as left out', () => {
    const resolved = resolve({
      lingerMs: undefined,
      acks: undefined,
      idempotent: undefined,
      compression: undefined,
      clientId: undefined,
    })
    expect(resolved.lingerMs).toBeUndefined()
    expect(resolved.acks).toBe(-1)
    expect(resolved.idempotent).toBe(true)
    expect(resolved.compression).toBeNull()
    expect(resolved.clientId).toBe('tributary')
  })

  it('checks clientId is a non-empty string', () => {
    for (const bad of ['', 5, null]) {
      const error = configError(() => resolve({ clientId: bad }))
      expect(error.option).toBe('clientId')
      expect(error.allowed).toBe('a non-empty string')
    }
  })

  it("normalises acks: 'all' and -1 to -1, 1 and 0 as they are", () => {
    expect(resolve({ acks: 'all' }).acks).toBe(-1)
    expect(resolve({ acks: -1 }).acks).toBe(-1)
    expect(resolve({ acks: 1, idempotent: false }).acks).toBe(1)
    expect(resolve({ acks: 0, idempotent: false }).acks).toBe(0)
  })

  it.each([2, -2, '1', 'ALL', 'leader', null, true])('rejects acks %j', (acks) => {
    const error = configError(() => resolve({ acks }))
    expect(error.option).toBe('acks')
    expect(error.message).toMatch(/Allowed: 'all', -1, 1 or 0\.$/)
  })

  it('checks idempotent is a boolean', () => {
    const error = configError(() => resolve({ idempotent: 'true' }))
    expect(error.message).toBe("Invalid idempotent: got 'true' (a string). Allowed: true or false.")
  })
})

describe('resolveProducerOptions compression', () => {
  it("resolves 'none' to no codec and 'gzip' to the built-in gzip codec", () => {
    expect(resolve({ compression: 'none' }).compression).toBeNull()
    const gzip = resolve({ compression: 'gzip' }).compression
    expect(gzip?.name).toBe('gzip')
    expect(gzip?.type).toBe(1)
    expect(gzip?.decompress(gzip.compress(Buffer.from('hello')) as Buffer).toString()).toBe('hello')
  })

  it('keeps a codec object', () => {
    expect(resolve({ compression: fakeCodec }).compression).toBe(fakeCodec)
  })

  it.each(['snappy', 'lz4', 'zstd'])("says to pass a codec from @tributary/compression for '%s'", (name) => {
    const error = configError(() => resolve({ compression: name }))
    expect(error.option).toBe('compression')
    expect(error.message).toContain(`'${name}' is not built into @tributary/core`)
    expect(error.message).toContain(`import { ${name} } from '@tributary/compression/${name}'`)
  })

  it.each([
    ['brotli', /got 'brotli' \(a string\)/],
    ['GZIP', /got 'GZIP'/],
    [1, /got 1/],
    [null, /got null/],
    [{ ...fakeCodec, name: undefined }, /the codec has no string name/],
    [{ ...fakeCodec, type: 0 }, /the codec's type is 0, not a Kafka compression type 1 to 4/],
    [{ ...fakeCodec, type: 5 }, /type is 5/],
    [{ ...fakeCodec, compress: undefined }, /the codec has no compress function/],
    [{ ...fakeCodec, decompress: 'no' }, /the codec has no decompress function/],
  ])('rejects %j', (compression, message) => {
    const error = configError(() => resolve({ compression }))
    expect(error.option).toBe('compression')
    expect(error.message).toMatch(message)
    expect(error.allowed).toBe(
      "'none', 'gzip' or a Codec object (snappy, lz4 and zstd come from @tributary/compression)",
    )
  })
})

describe('resolveProducerOptions serializers, partitioner and logger', () => {
  it('checks each serializer is a function', () => {
    const error = configError(() => resolve({ serializers: { value: 'json' } }))
    expect(error.option).toBe('serializers.value')
    expect(error.message).toMatch(/^Invalid serializers\.value: got 'json' \(a string\)\. Allowed: a function/)
    expect(configError(() => resolve({ serializers: 'json' })).option).toBe('serializers')
  })

  it('checks the partitioner has a partition method and, if any, an onBatchClosed method', () => {
    expect(configError(() => resolve({ partitioner: () => 0 })).message).toMatch(/Invalid partitioner: got a function/)
    expect(configError(() => resolve({ partitioner: {} })).message).toMatch(/it has no partition method/)
    expect(configError(() => resolve({ partitioner: { partition: () => 0, onBatchClosed: 1 } })).message).toMatch(
      /its onBatchClosed is not a function/,
    )
  })

  it('checks the logger’s methods are functions', () => {
    expect(configError(() => resolve({ logger: 'console' })).option).toBe('logger')
    expect(configError(() => resolve({ logger: { info: 'yes' } })).option).toBe('logger.info')
  })

  it('fills in the logger methods left out and calls the given ones as methods', () => {
    class Sink {
      readonly lines: string[] = []
      warn(message: string): void {
        this.lines.push(`warn ${message}`)
      }
    }
    const sink = new Sink()
    const { logger } = resolve({ logger: sink })
    logger.debug('ignored')
    logger.warn('kept', { a: 1 })
    expect(sink.lines).toEqual(['warn kept'])
  })
})

describe('resolveProducerOptions idempotence rules (as the Java client)', () => {
  it('rejects idempotent: true with acks 0 or 1, saying it needs acks all', () => {
    for (const acks of [0, 1] as const) {
      const error = configError(() => resolve({ idempotent: true, acks }))
      expect(error.options).toEqual(['idempotent', 'acks'])
      expect(error.message).toBe(
        `Invalid idempotent and acks: an idempotent producer needs acks 'all' (every in-sync replica), got acks ${acks}. ` +
          "Allowed: acks 'all' with idempotent: true; for acks 0 or 1 set idempotent: false.",
      )
    }
  })

  it('disables idempotence quietly when idempotent is left out and acks is 0 or 1', () => {
    const info = vi.fn()
    expect(resolve({ acks: 1, logger: { info } }).idempotent).toBe(false)
    expect(resolve({ acks: 0 }).idempotent).toBe(false)
    expect(info).toHaveBeenCalledWith("Idempotence is disabled because acks is 1; it needs acks 'all'.", undefined)
  })

  it('rejects idempotent: true with more than 5 in flight', () => {
    const error = configError(() => resolve({ idempotent: true, maxInFlight: 6 }))
    expect(error.options).toEqual(['idempotent', 'maxInFlight'])
    expect(error.message).toMatch(/keeps at most 5 requests in flight, got maxInFlight 6/)
    expect(error.allowed).toBe('maxInFlight from 1 to 5 with idempotent: true; for more set idempotent: false')
    expect(resolve({ idempotent: true, maxInFlight: 5 }).idempotent).toBe(true)
  })

  it('disables idempotence quietly when idempotent is left out and more than 5 are in flight', () => {
    expect(resolve({ maxInFlight: 6 }).idempotent).toBe(false)
    expect(resolve({ maxInFlight: 6 }).maxInFlight).toBe(6)
  })

  it('allows acks 0 or 1 and any in-flight count without idempotence', () => {
    expect(resolve({ idempotent: false, acks: 0, maxInFlight: 100 })).toMatchObject({
      idempotent: false,
      acks: 0,
      maxInFlight: 100,
    })
  })
})

describe('resolveProducerOptions delivery timeout rule', () => {
  it('rejects a deliveryTimeoutMs shorter than lingerMs + requestTimeoutMs, naming all three', () => {
    const error = configError(() => resolve({ deliveryTimeoutMs: 30_004, lingerMs: 5, requestTimeoutMs: 30_000 }))
    expect(error.options).toEqual(['deliveryTimeoutMs', 'lingerMs', 'requestTimeoutMs'])
    expect(error.message).toMatch(
      /^Invalid deliveryTimeoutMs, lingerMs and requestTimeoutMs: deliveryTimeoutMs \(30004\) is less than lingerMs \+ requestTimeoutMs \(5 \+ 30000 = 30005\)/,
    )
    expect(error.message).toMatch(/Allowed: deliveryTimeoutMs >= lingerMs \+ requestTimeoutMs/)
    expect(resolve({ deliveryTimeoutMs: 30_005, lingerMs: 5, requestTimeoutMs: 30_000 }).deliveryTimeoutMs).toBe(30_005)
  })

  it('raises the default deliveryTimeoutMs to lingerMs + requestTimeoutMs, with a warning, as Java does', () => {
    const warn = vi.fn()
    const resolved = resolve({ lingerMs: 1_000, requestTimeoutMs: 200_000, logger: { warn } })
    expect(resolved.deliveryTimeoutMs).toBe(201_000)
    expect(warn).toHaveBeenCalledOnce()
  })

  it('rejects a lingerMs + requestTimeoutMs longer than any timer when the delivery timeout is left out', () => {
    const error = configError(() => resolve({ lingerMs: 2_000_000_000, requestTimeoutMs: 2_000_000_000 }))
    expect(error.options).toEqual(['deliveryTimeoutMs', 'lingerMs', 'requestTimeoutMs'])
  })
})

describe('resolveProducerOptions buffer rule', () => {
  it('rejects a batchBytes larger than bufferBytes', () => {
    const error = configError(() => resolve({ batchBytes: 2_000, bufferBytes: 1_999 }))
    expect(error.options).toEqual(['batchBytes', 'bufferBytes'])
    expect(error.message).toBe(
      'Invalid batchBytes and bufferBytes: batchBytes (2000) is larger than bufferBytes (1999), so a full batch could never be buffered. Allowed: batchBytes no larger than bufferBytes.',
    )
    expect(resolve({ batchBytes: 2_000, bufferBytes: 2_000 }).batchBytes).toBe(2_000)
  })

  it('applies the rule to the defaults too', () => {
    expect(configError(() => resolve({ bufferBytes: 1_000 })).options).toEqual(['batchBytes', 'bufferBytes'])
  })
})

describe('optionsFromProperties', () => {
  it('maps the Java client’s producer properties', () => {
    expect(
      optionsFromProperties({
        'bootstrap.servers': 'kafka-1:9092,kafka-2:9092',
        'client.id': 'orders',
        acks: 'all',
        'enable.idempotence': 'true',
        'compression.type': 'gzip',
        'linger.ms': '10',
        'batch.size': 16384,
        'buffer.memory': '67108864',
        'max.block.ms': 1000,
        'max.in.flight.requests.per.connection': '5',
        'request.timeout.ms': '20000',
        'delivery.timeout.ms': '60000',
        'retry.backoff.ms': '50',
        'retry.backoff.max.ms': '500',
        'metadata.max.age.ms': '60000',
        'max.request.size': '2097152',
        'socket.connection.setup.timeout.ms': '5000',
      }),
    ).toEqual({
      bootstrapBrokers: 'kafka-1:9092,kafka-2:9092',
      clientId: 'orders',
      acks: 'all',
      idempotent: true,
      compression: 'gzip',
      lingerMs: 10,
      batchBytes: 16384,
      bufferBytes: 67108864,
      maxBlockMs: 1000,
      maxInFlight: 5,
      requestTimeoutMs: 20000,
      deliveryTimeoutMs: 60000,
      retryBackoffMs: 50,
      retryBackoffMaxMs: 500,
      metadataMaxAgeMs: 60000,
      maxRequestBytes: 2097152,
      connectTimeoutMs: 5000,
    })
  })

  it('maps librdkafka’s names', () => {
    expect(
      optionsFromProperties({
        'metadata.broker.list': 'kafka:9092',
        'request.required.acks': '1',
        'compression.codec': 'none',
        'queue.buffering.max.ms': '0',
        'max.in.flight': '100',
        'message.timeout.ms': '300000',
      }),
    ).toEqual({
      bootstrapBrokers: 'kafka:9092',
      acks: 1,
      compression: 'none',
      lingerMs: 0,
      maxInFlight: 100,
      deliveryTimeoutMs: 300000,
    })
  })

  it('produces options resolveProducerOptions accepts, keeping Java’s implicit idempotence rule', () => {
    const resolved = resolveProducerOptions(optionsFromProperties({ 'bootstrap.servers': 'kafka:9092', acks: '1' }))
    expect(resolved.acks).toBe(1)
    expect(resolved.idempotent).toBe(false)
    expect(() =>
      resolveProducerOptions(
        optionsFromProperties({ 'bootstrap.servers': 'kafka:9092', acks: '1', 'enable.idempotence': true }),
      ),
    ).toThrow(/an idempotent producer needs acks 'all'/)
  })

  it.each([
    ['all', 'all'],
    ['ALL', 'all'],
    ['-1', 'all'],
    [-1, 'all'],
    ['1', 1],
    [1, 1],
    [' 0 ', 0],
    [0, 0],
  ])('maps acks %j to %j', (value, acks) => {
    expect(optionsFromProperties({ 'bootstrap.servers': 'k:1', acks: value }).acks).toBe(acks)
  })

  it.each(['2', 2, 'leader', true, ''])('rejects acks %j', (value) => {
    const error = configError(() => optionsFromProperties({ 'bootstrap.servers': 'k:1', acks: value }))
    expect(error.option).toBe('acks')
    expect(error.allowed).toBe("'all', -1, 1 or 0 (as a number or a string)")
  })

  it('parses booleans from booleans or the strings true and false', () => {
    const idempotent = (value: string | boolean) =>
      optionsFromProperties({ 'bootstrap.servers': 'k:1', 'enable.idempotence': value }).idempotent
    expect(idempotent(true)).toBe(true)
    expect(idempotent(false)).toBe(false)
    expect(idempotent('TRUE')).toBe(true)
    expect(idempotent(' false ')).toBe(false)
    for (const bad of ['yes', '1', 1, '']) {
      const error = configError(() => optionsFromProperties({ 'bootstrap.servers': 'k:1', 'enable.idempotence': bad }))
      expect(error.option).toBe('enable.idempotence')
    }
  })

  it.each(['snappy', 'lz4', 'zstd', 'ZSTD'])(
    'says to pass a codec from @tributary/compression for compression.type %s',
    (value) => {
      const error = configError(() => optionsFromProperties({ 'bootstrap.servers': 'k:1', 'compression.type': value }))
      expect(error.option).toBe('compression.type')
      expect(error.message).toContain('is not built into @tributary/core')
      expect(error.message).toContain('@tributary/compression/')
    },
  )

  it('rejects other compression types', () => {
    const error = configError(() =>
      optionsFromProperties({ 'bootstrap.servers': 'k:1', 'compression.codec': 'brotli' }),
    )
    expect(error.option).toBe('compression.codec')
    expect(error.message).toMatch(/got 'brotli'.*Allowed: 'none' or 'gzip'/)
  })

  it('parses numbers strictly, naming the property and its option', () => {
    for (const bad of ['5ms', '5.0', '1e3', '0x10', '', ' ', '5 5', 'NaN', 5.5, true, '-1']) {
      const error = configError(() => optionsFromProperties({ 'bootstrap.servers': 'k:1', 'linger.ms': bad }))
      expect(error.option).toBe('linger.ms')
      expect(error.allowed).toBe('an integer number of milliseconds from 0 to 2147483647 (the lingerMs option)')
    }
    expect(optionsFromProperties({ 'bootstrap.servers': 'k:1', 'linger.ms': ' 7 ' }).lingerMs).toBe(7)
    expect(optionsFromProperties({ 'bootstrap.servers': 'k:1', 'linger.ms': '+7' }).lingerMs).toBe(7)
  })

  it('checks ranges with the property name', () => {
    const error = configError(() =>
      optionsFromProperties({ 'bootstrap.servers': 'k:1', 'max.in.flight.requests.per.connection': '0' }),
    )
    expect(error.message).toBe(
      "Invalid max.in.flight.requests.per.connection: got '0' (a string). Allowed: an integer number of requests from 1 to 2147483647 (the maxInFlight option).",
    )
  })

  it('accepts batch.size 0, which turns batching off as in Java', () => {
    expect(optionsFromProperties({ 'bootstrap.servers': 'k:1', 'batch.size': '0' }).batchBytes).toBe(0)
  })

  it('checks string properties are strings', () => {
    expect(configError(() => optionsFromProperties({ 'bootstrap.servers': 9092 })).option).toBe('bootstrap.servers')
    expect(configError(() => optionsFromProperties({ 'bootstrap.servers': 'k:1', 'client.id': true })).option).toBe(
      'client.id',
    )
  })

  it('rejects values that are not strings, numbers or booleans', () => {
    const error = configError(() =>
      optionsFromProperties({ 'bootstrap.servers': 'k:1', 'linger.ms': null } as unknown as Record<string, string>),
    )
    expect(error.option).toBe('linger.ms')
    expect(error.allowed).toBe('a string, a number or a boolean')
  })

  it('requires bootstrap.servers', () => {
    const error = configError(() => optionsFromProperties({ 'linger.ms': 5 }))
    expect(error.option).toBe('bootstrap.servers')
    expect(error.message).toMatch(/it is required/)
  })

  it('allows a Java and a librdkafka name for the same option when they agree', () => {
    expect(
      optionsFromProperties({ 'bootstrap.servers': 'k:1', 'linger.ms': 5, 'queue.buffering.max.ms': '5' }).lingerMs,
    ).toBe(5)
    expect(optionsFromProperties({ 'bootstrap.servers': 'k:1', acks: 'all', 'request.required.acks': -1 }).acks).toBe(
      'all',
    )
  })

  it('rejects a Java and a librdkafka name for the same option when they disagree', () => {
    const error = configError(() =>
      optionsFromProperties({ 'bootstrap.servers': 'k:1', 'linger.ms': 5, 'queue.buffering.max.ms': 10 }),
    )
    expect(error.options).toEqual(['linger.ms', 'queue.buffering.max.ms'])
    expect(error.message).toMatch(/both set the lingerMs option, to different values/)
  })

  it('rejects unknown property names, naming each', () => {
    const error = configError(() =>
      optionsFromProperties({
        'bootstrap.servers': 'k:1',
        'enable.metrics.push': true,
        'key.serializer': 'org.apache.StringSerializer',
      }),
    )
    expect(error.options).toEqual(['enable.metrics.push', 'key.serializer'])
    expect(error.message).toMatch(
      /^Invalid enable\.metrics\.push and key\.serializer: unknown producer properties 'enable\.metrics\.push', 'key\.serializer'\./,
    )
    expect(error.allowed).toMatch(
      /^the supported producer properties: bootstrap\.servers, metadata\.broker\.list, client\.id, acks/,
    )
  })

  it.each([
    ['lingr.ms', 'linger.ms'],
    ['linger_ms', 'linger.ms'],
    ['Linger.MS', 'linger.ms'],
    ['bootstrap.server', 'bootstrap.servers'],
    ['max.inflight.requests.per.connection', 'max.in.flight.requests.per.connection'],
    ['compresion.type', 'compression.type'],
    ['enable-idempotence', 'enable.idempotence'],
  ])('suggests the closest property for the typo %s', (typo, suggestion) => {
    const error = configError(() => optionsFromProperties({ 'bootstrap.servers': 'k:1', [typo]: 1 }))
    expect(error.message).toContain(`unknown producer property '${typo}' (did you mean '${suggestion}'?)`)
  })

  it('suggests nothing for a name that is not a typo', () => {
    const error = configError(() =>
      optionsFromProperties({ 'bootstrap.servers': 'k:1', 'sasl.kerberos.service.name': 'kafka' }),
    )
    expect(error.message).toContain("unknown producer property 'sasl.kerberos.service.name'.")
    expect(error.message).not.toContain('did you mean')
  })

  it('rejects properties that are not an object', () => {
    expect(configError(() => optionsFromProperties(null as unknown as Record<string, string>)).option).toBe(
      'properties',
    )
  })
})

describe('a ConfigError from the options', () => {
  it('is thrown synchronously and is not retriable', () => {
    const error = configError(() => resolve({ lingerMs: -1 }))
    expect(error.name).toBe('ConfigError')
    expect(error.retriable).toBe(false)
    expect(error.code).toBe(-1)
  })

  it('keeps options of a logger typed as Logger', () => {
    const logger: Logger = {}
    expect(() => resolve({ logger })).not.toThrow()
  })
})

describe('the retries option', () => {
  it('defaults to no limit but the delivery timeout, as the Java client (Integer.MAX_VALUE)', () => {
    expect(resolve({}).retries).toBe(2_147_483_647)
    expect(resolve({ retries: 3 }).retries).toBe(3)
  })

  it('refuses retries 0 with idempotent: true, saying why and what to do instead', () => {
    const error = configError(() => resolve({ idempotent: true, retries: 0 }))
    expect(error.options).toEqual(['idempotent', 'retries'])
    expect(error.message).toMatch(/needs retries.*gap in the sequence numbers/)
    expect(error.allowed).toMatch(/for retries 0 set idempotent: false/)
  })

  it('turns idempotence off for retries 0 when idempotent was left out, and says so', () => {
    const info = vi.fn()
    const resolved = resolve({ retries: 0, logger: { info } })
    expect(resolved.idempotent).toBe(false)
    expect(info).toHaveBeenCalledWith('Idempotence is disabled because retries is 0; it needs retries.', undefined)
  })

  it('refuses retries 0 for a transactional producer', () => {
    const error = configError(() => resolve({ transactionalId: 'tx', retries: 0 }))
    expect(error.options).toEqual(['transactionalId', 'retries'])
  })

  it('refuses a negative or fractional count', () => {
    expect(configError(() => resolve({ retries: -1 })).option).toBe('retries')
    expect(configError(() => resolve({ retries: 1.5 })).option).toBe('retries')
  })

  it('maps the Java property retries and librdkafka message.send.max.retries', () => {
    expect(optionsFromProperties({ 'bootstrap.servers': 'k:1', retries: '4' }).retries).toBe(4)
    expect(optionsFromProperties({ 'bootstrap.servers': 'k:1', 'message.send.max.retries': 2 }).retries).toBe(2)
  })
})

describe('unknown options', () => {
  it('refuses an option name the producer does not know, suggesting the one meant', () => {
    const error = configError(() => resolve({ lingerMS: 5 }))
    expect(error.options).toEqual(['lingerMS'])
    expect(error.message).toMatch(/^Invalid lingerMS: unknown producer option 'lingerMS' \(did you mean 'lingerMs'\?\)/)
    expect(configError(() => resolve({ delivery_timeout_ms: 1 })).message).toMatch(/did you mean 'deliveryTimeoutMs'/)
  })

  it('names every unknown option at once, without a suggestion where none is close', () => {
    const error = configError(() => resolve({ frobnicate: true, bootstrapServers: 'x:1' }))
    expect(error.options).toEqual(['frobnicate', 'bootstrapServers'])
    expect(error.message).toMatch(/unknown producer options 'frobnicate', 'bootstrapServers'/)
    expect(error.allowed).toMatch(/^the producer options: clientId, bootstrapBrokers/)
  })
})
