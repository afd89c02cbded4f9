import { useTestCertificates } from '@tributary/test-support/certificates'
import { useHarness } from '@tributary/test-support/harness'
import { consumeWithKcat, kcat, produceWithKcat, kcatProperties as props } from '@tributary/test-support/kcat'
import { run } from '@tributary/test-support/processes'
import { python } from '@tributary/test-support/python'
import { describe, expect, it } from 'vitest'
import type { MockCluster, MockClusterOptions } from '../../src/index.js'

// The mock cluster's SASL and TLS server side against independent clients: kcat (librdkafka 2.0),
// confluent-kafka for Python (librdkafka) and kafka-python (its own SASL code, SaslHandshake v0
// with raw tokens). Each produces over an authenticated connection, the records must be stored
// as sent, and the same client reads them back through the same listener.

const USERS = { alice: 'alice-secret', bob: 'bob-secret' }

/** A consumed record as the python scripts print it. */
interface PyRecord {
  p: number
  o: number
  k: string
  v: string
}

/** confluent-kafka (librdkafka): an idempotent producer, then a consumer reading the topic back, both with `conf`. */
const CONFLUENT_SCRIPT = `
import json, sys
from confluent_kafka import Producer, Consumer, TopicPartition
conf = json.loads(sys.argv[1]); topic = sys.argv[2]; n = int(sys.argv[3])
errors = []
def delivered(err, msg):
    if err is not None: errors.append(str(err))
p = Producer(dict(conf, **{'enable.idempotence': True, 'linger.ms': 5}))
for i in range(n): p.produce(topic, key='k-%d' % (i % 5), value='py-%d' % i, on_delivery=delivered)
left = p.flush(30)
if left or errors:
    sys.stderr.write('delivery failed: %r, %d left\\n' % (errors[:3], left)); sys.exit(2)
c = Consumer(dict(conf, **{'group.id': 'sasl-peer', 'enable.auto.commit': False}))
parts = sorted(c.list_topics(topic, timeout=10).topics[topic].partitions.keys())
ends = {q: c.get_watermark_offsets(TopicPartition(topic, q), timeout=10)[1] for q in parts}
c.assign([TopicPartition(topic, q, 0) for q in parts])
left = {q for q in parts if ends[q] > 0}
out = []
while left:
    m = c.poll(10)
    if m is None: break
    if m.error(): continue
    out.append({'p': m.partition(), 'o': m.offset(), 'k': m.key().decode(), 'v': m.value().decode()})
    if m.offset() + 1 >= ends[m.partition()]: left.discard(m.partition())
c.close()
print(json.dumps(out))
`

/** kafka-python: a producer, then a consumer with assigned partitions, both with SASL. */
const KAFKA_PYTHON_SCRIPT = `
import json, sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
brokers, topic, n = sys.argv[1].split(','), sys.argv[2], int(sys.argv[3])
sec = dict(security_protocol='SASL_PLAINTEXT', sasl_mechanism=sys.argv[4],
           sasl_plain_username=sys.argv[5], sasl_plain_password=sys.argv[6])
p = KafkaProducer(bootstrap_servers=brokers, acks='all', **sec)
for f in [p.send(topic, key=('k-%d' % (i % 5)).encode(), value=('kp-%d' % i).encode()) for i in range(n)]:
    f.get(timeout=30)
p.close()
c = KafkaConsumer(bootstrap_servers=brokers, group_id=None, enable_auto_commit=False,
                  auto_offset_reset='earliest', **sec)
tps = [TopicPartition(topic, q) for q in sorted(c.partitions_for_topic(topic))]
c.assign(tps)
c.seek_to_beginning(*tps)
ends = c.end_offsets(tps)
left = {tp for tp in tps if ends[tp] > 0}
out = []
while left:
    for tp, ms in c.poll(timeout_ms=1000).items():
        for m in ms:
            out.append({'p': m.partition, 'o': m.offset, 'k': m.key.decode(), 'v': m.value.decode()})
            if m.offset + 1 >= ends[tp]: left.discard(tp)
c.close()
print(json.dumps(out))
`

describe('SASL and TLS against kcat, confluent-kafka and kafka-python', () => {
  const harness = useHarness()
  const certs = useTestCertificates()
  let logLines: string[] = []

  function start(options: MockClusterOptions): Promise<MockCluster> {
    logLines = []
    const record = (m: string) => logLines.push(m)
    return harness.start({ logger: { info: record, warn: record }, ...options })
  }

  /** The stored records of a topic as `key value` lines, by partition and offset. */
  const stored = (c: MockCluster, topic: string) =>
    c.records(topic).map((r) => ({ p: r.partition, o: Number(r.offset), k: r.key?.toString(), v: r.value?.toString() }))

  async function kcatRoundTrip(c: MockCluster, topic: string, security: Record<string, string>, count = 300) {
    const messages = Array.from({ length: count }, (_, i) => `key-${i % 13}\tvalue-${i}`)
    await produceWithKcat(c.bootstrapBrokers, topic, `${messages.join('\n')}\n`, {
      properties: { ...security, 'enable.idempotence': 'true', acks: 'all' },
    })
    const records = c.records(topic)
    expect(records).toHaveLength(count)
    expect(new Set(records.map((r) => `${r.key?.toString()}\t${r.value?.toString()}`))).toEqual(new Set(messages))
    expect(new Set(records.map((r) => r.producerId)).size).toBe(1)
    const read = (await consumeWithKcat(c.bootstrapBrokers, topic, { properties: security }))
      .map((j) => ({ p: j.partition, o: j.offset, k: j.key ?? undefined, v: j.payload ?? undefined }))
      .sort((a, b) => a.p - b.p || a.o - b.o)
    expect(read).toEqual(stored(c, topic))
  }

  describe('kcat', () => {
    it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])(
      'produces (idempotent) and consumes with SASL_PLAINTEXT %s on a 3-broker cluster',
      async (mechanism) => {
        const c = await start({ brokers: 3, topics: [{ name: 'orders', partitions: 6 }], sasl: { users: USERS } })
        await kcatRoundTrip(c, 'orders', {
          'security.protocol': 'SASL_PLAINTEXT',
          'sasl.mechanisms': mechanism,
          'sasl.username': 'bob',
          'sasl.password': USERS.bob,
        })
        const log = c.requests()
        expect(log.some((r) => r.apiName === 'SaslHandshake' && r.apiVersion === 1)).toBe(true)
        expect(log.some((r) => r.apiName === 'SaslAuthenticate')).toBe(true)
        expect(logLines).toContain(`broker 1: authenticated bob with SASL ${mechanism}`)
      },
    )

    it('fails with the broker’s SASL_AUTHENTICATION_FAILED message on a wrong password', async () => {
      const c = await start({ sasl: { users: USERS } })
      const error = await kcat([
        '-L',
        '-b',
        c.bootstrapBrokers.join(','),
        '-m',
        '2',
        ...props({
          'security.protocol': 'SASL_PLAINTEXT',
          'sasl.mechanisms': 'SCRAM-SHA-256',
          'sasl.username': 'alice',
          'sasl.password': 'wrong',
        }),
      ]).then(
        () => undefined,
        (e: Error) => e,
      )
      expect(error?.message).toMatch(
        /SASL authentication error: Authentication failed during authentication due to invalid credentials/,
      )
      expect(c.requests().filter((r) => r.apiName === 'Metadata')).toEqual([])
    })

    it('OAUTHBEARER with librdkafka’s unsecured JWT (sasl.oauthbearer.config) produces and consumes', async () => {
      const tokens: string[] = []
      const c = await start({
        brokers: 2,
        topics: [{ name: 'oauth', partitions: 2 }],
        sasl: {
          mechanisms: ['OAUTHBEARER'],
          oauthbearer: (token) => {
            tokens.push(token)
            const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as {
              sub: string
            }
            return { principal: claims.sub }
          },
        },
      })
      await kcatRoundTrip(
        c,
        'oauth',
        {
          'security.protocol': 'SASL_PLAINTEXT',
          'sasl.mechanisms': 'OAUTHBEARER',
          'enable.sasl.oauthbearer.unsecure.jwt': 'true',
          'sasl.oauthbearer.config': 'principal=svc-kcat scope=produce',
        },
        100,
      )
      expect(tokens.length).toBeGreaterThan(0)
      expect(logLines).toContain('broker 1: authenticated svc-kcat with SASL OAUTHBEARER')
      // librdkafka's unsecured JWT: header and claims, no signature.
      expect(tokens[0]).toMatch(/^[\w-]+\.[\w-]+\.$/)
    })

    it('SSL: produces and consumes over TLS with ssl.ca.location naming the self-signed CA', async () => {
      const c = await start({
        brokers: 3,
        topics: [{ name: 'tls', partitions: 3 }],
        tls: { key: certs.key, cert: certs.cert },
      })
      await kcatRoundTrip(c, 'tls', { 'security.protocol': 'SSL', 'ssl.ca.location': certs.path('ca.pem') })
    })

    it('SASL_SSL: SCRAM-SHA-512 over TLS', async () => {
      const c = await start({
        brokers: 2,
        topics: [{ name: 'both', partitions: 2 }],
        tls: { key: certs.key, cert: certs.cert },
        sasl: { users: USERS, mechanisms: ['SCRAM-SHA-512'] },
      })
      await kcatRoundTrip(c, 'both', {
        'security.protocol': 'SASL_SSL',
        'ssl.ca.location': certs.path('ca.pem'),
        'sasl.mechanisms': 'SCRAM-SHA-512',
        'sasl.username': 'alice',
        'sasl.password': USERS.alice,
      })
    })

    it('SSL: refuses the broker certificate when trusting another CA', async () => {
      const c = await start({ tls: { key: certs.key, cert: certs.cert } })
      const error = await kcat([
        '-L',
        '-b',
        c.bootstrapBrokers.join(','),
        '-m',
        '2',
        ...props({ 'security.protocol': 'SSL', 'ssl.ca.location': certs.path('other-ca.pem') }),
      ]).then(
        () => undefined,
        (e: Error) => e,
      )
      expect(error?.message).toMatch(/certificate verify failed/)
    })
  })

  describe('confluent-kafka (Python, librdkafka)', () => {
    it.each([
      { mechanism: 'SCRAM-SHA-256', tls: false },
      { mechanism: 'SCRAM-SHA-512', tls: false },
      { mechanism: 'PLAIN', tls: false },
      { mechanism: 'SCRAM-SHA-256', tls: true },
    ])('produces idempotently and consumes back with $mechanism (TLS: $tls)', async ({ mechanism, tls }) => {
      const c = await start({
        brokers: 3,
        topics: [{ name: 'py', partitions: 3 }],
        sasl: { users: USERS },
        ...(tls ? { tls: { key: certs.key, cert: certs.cert } } : {}),
      })
      const conf = {
        'bootstrap.servers': c.bootstrapBrokers.join(','),
        'security.protocol': tls ? 'SASL_SSL' : 'SASL_PLAINTEXT',
        'sasl.mechanisms': mechanism,
        'sasl.username': 'alice',
        'sasl.password': USERS.alice,
        ...(tls ? { 'ssl.ca.location': certs.path('ca.pem') } : {}),
      }
      const { stdout } = await run(
        python(['confluent_kafka']),
        ['-c', CONFLUENT_SCRIPT, JSON.stringify(conf), 'py', '200'],
        {
          timeoutMs: 90_000,
        },
      )
      const records = stored(c, 'py')
      expect(records).toHaveLength(200)
      expect(new Set(records.map((r) => r.v))).toEqual(new Set(Array.from({ length: 200 }, (_, i) => `py-${i}`)))
      const read = (JSON.parse(stdout) as PyRecord[]).sort((a, b) => a.p - b.p || a.o - b.o)
      expect(read).toEqual(records)
      expect(logLines).toContain(`broker 1: authenticated alice with SASL ${mechanism}`)
    })
  })

  describe('kafka-python (SaslHandshake v0, raw SASL tokens)', () => {
    it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])('produces and consumes back with %s', async (mechanism) => {
      const c = await start({ brokers: 2, topics: [{ name: 'kp', partitions: 2 }], sasl: { users: USERS } })
      const { stdout } = await run(
        python(['kafka']),
        ['-c', KAFKA_PYTHON_SCRIPT, c.bootstrapBrokers.join(','), 'kp', '50', mechanism, 'bob', USERS.bob],
        { timeoutMs: 90_000 },
      )
      const records = stored(c, 'kp')
      expect(records).toHaveLength(50)
      const read = (JSON.parse(stdout) as PyRecord[]).sort((a, b) => a.p - b.p || a.o - b.o)
      expect(read).toEqual(records)
      const handshakes = c.requests().filter((r) => r.apiName === 'SaslHandshake')
      expect(handshakes.length).toBeGreaterThan(0)
      expect(handshakes.every((r) => r.apiVersion === 0)).toBe(true)
      // No SaslAuthenticate requests: the tokens went raw.
      expect(c.requests().some((r) => r.apiName === 'SaslAuthenticate')).toBe(false)
      expect(logLines).toContain(`broker 1: authenticated bob with SASL ${mechanism}`)
    })

    it('a wrong password gets the connection closed (no error code exists in v0 mode)', async () => {
      const c = await start({ sasl: { users: USERS } })
      const error = await run(
        python(['kafka']),
        ['-c', KAFKA_PYTHON_SCRIPT, c.bootstrapBrokers.join(','), 'kp', '1', 'SCRAM-SHA-256', 'bob', 'wrong'],
        { timeoutMs: 90_000 },
      ).then(
        () => undefined,
        (e: Error) => e,
      )
      expect(error).toBeInstanceOf(Error)
      expect(logLines.some((l) => /SCRAM-SHA-256.*invalid credentials|closing connection/.test(l))).toBe(true)
      expect(c.requests().some((r) => r.apiName === 'Metadata')).toBe(false)
    })
  })
})
