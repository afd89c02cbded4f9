// Avro-serialized 1 KiB records with a schema registry, end to end: Tributary's Producer with
// avroSerializer (@tributary/serializer-avro + @tributary/schema-registry) against kafkajs with
// @kafkajs/confluent-schema-registry (4.x on Node >= 22, from peer-clients/node22 under the alias
// confluent-schema-registry-4; 3.x from the root install on Node 20) doing the same work (Confluent wire format, the schema registered
// once, every record validated and encoded, acks all), both producing to the same in-process
// MockCluster with a MockSchemaRegistry. Each client runs in its own child process, in alternating
// rounds; the table shows the median of the rounds and the ratio.
//
//   npm run bench:avro -w @tributary/bench [-- --records 50000 --rounds 3]     # on Node 24 (scripts/with-node.mjs)
//   cd bench && node --conditions=@tributary/source --import tsx src/avro-serializers.ts   # on the running Node
//
// The Tributary numbers come from the TypeScript sources (the @tributary/source condition); run
// `npx nx run-many -t build` and drop the condition to measure the built packages instead.
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Producer, type RecordMetadata, stringSerializer } from '@tributary/core'
import { SchemaRegistryClient } from '@tributary/schema-registry'
import { avroSerializer } from '@tributary/serializer-avro'
import { MockCluster, MockSchemaRegistry } from '@tributary/testing'
import avro from 'avsc'
import { Kafka, logLevel, Partitioners } from 'kafkajs'

// 4.x needs Node >= 22 (its engines); the API the bench uses (register, encode) is the same as 3.x's.
const REGISTRY_MODULE =
  Number(process.versions.node.split('.')[0]) >= 22
    ? 'confluent-schema-registry-4'
    : '@kafkajs/confluent-schema-registry'
const { SchemaRegistry: KafkajsRegistry, SchemaType } = createRequire(import.meta.url)(
  REGISTRY_MODULE,
) as typeof import('@kafkajs/confluent-schema-registry')
const REGISTRY_VERSION = (createRequire(import.meta.url)(`${REGISTRY_MODULE}/package.json`) as { version: string })
  .version

interface Order {
  id: string
  customer: string
  placedAt: number
  status: 'NEW' | 'PAID' | 'SHIPPED'
  items: Array<{ sku: string; name: string; quantity: number; price: number }>
  note: string
}

const ORDER_SCHEMA = {
  type: 'record',
  name: 'Order',
  namespace: 'bench.avro',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'customer', type: 'string' },
    { name: 'placedAt', type: 'long' },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED'] } },
    {
      name: 'items',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Item',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'name', type: 'string' },
            { name: 'quantity', type: 'int' },
            { name: 'price', type: 'double' },
          ],
        },
      },
    },
    { name: 'note', type: 'string' },
  ],
}

const TOPIC = 'avro-orders'
const PARTITIONS = 6
const CHUNK = 1000
const TARGET_BYTES = 1024

/** 64 distinct orders whose Avro encoding is exactly 1 KiB (the note pads each one). */
function makeOrders(): Order[] {
  const type = avro.Type.forSchema(ORDER_SCHEMA as avro.Schema)
  return Array.from({ length: 64 }, (_, n) => {
    const order: Order = {
      id: `order-${String(n).padStart(6, '0')}`,
      customer: `customer-${(n * 7919) % 10_000}@example.com`,
      placedAt: 1_700_000_000_000 + n * 1000,
      status: (['NEW', 'PAID', 'SHIPPED'] as const)[n % 3] as Order['status'],
      items: Array.from({ length: 8 }, (_, i) => ({
        sku: `SKU-${n}-${i}`,
        name: `Item number ${i} of order ${n}, a product with a long name`,
        quantity: 1 + ((n + i) % 5),
        price: 9.99 + i + n / 100,
      })),
      note: '',
    }
    const base = type.toBuffer(order).length
    // a string of length L costs L + its varint length (1 byte below 64, 2 up to 8191)
    let pad = TARGET_BYTES - base
    while (pad > 0 && type.toBuffer({ ...order, note: 'x'.repeat(pad) }).length > TARGET_BYTES) pad--
    order.note = 'x'.repeat(Math.max(0, pad))
    return order
  })
}

interface ChildTask {
  client: 'tributary' | 'kafkajs'
  brokers: string[]
  registryUrl: string
  records: number
  warmup: number
}

interface ChildResult {
  client: string
  seconds: number
  recordsPerSecond: number
  cpuSeconds: number
  encodedBytes: number
}

async function runTributary(task: ChildTask, orders: Order[]): Promise<ChildResult> {
  const registry = new SchemaRegistryClient({ url: task.registryUrl })
  const producer = new Producer({
    clientId: 'bench-avro-tributary',
    bootstrapBrokers: task.brokers,
    serializers: { key: stringSerializer(), value: avroSerializer<Order>({ schema: ORDER_SCHEMA, registry }) },
    logger: {},
  })
  await producer.connect()
  const sendRange = async (from: number, to: number): Promise<void> => {
    for (let start = from; start < to; start += CHUNK) {
      const end = Math.min(to, start + CHUNK)
      const pending: Array<Promise<RecordMetadata>> = new Array(end - start)
      for (let i = start; i < end; i++) {
        const order = orders[i % orders.length] as Order
        pending[i - start] = producer.send({ topic: TOPIC, key: order.id, value: order })
      }
      await Promise.all(pending)
    }
  }
  await sendRange(0, task.warmup)
  const result = await timed('tributary', task.records, () => sendRange(0, task.records))
  await producer.close()
  return result
}

async function runKafkajs(task: ChildTask, orders: Order[]): Promise<ChildResult> {
  const registry = new KafkajsRegistry({ host: task.registryUrl })
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(ORDER_SCHEMA) },
    { subject: `${TOPIC}-value` },
  )
  const kafka = new Kafka({ clientId: 'bench-avro-kafkajs', brokers: task.brokers, logLevel: logLevel.NOTHING })
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false })
  await producer.connect()
  const sendRange = async (from: number, to: number): Promise<void> => {
    for (let start = from; start < to; start += CHUNK) {
      const end = Math.min(to, start + CHUNK)
      const messages = await Promise.all(
        Array.from({ length: end - start }, async (_, k) => {
          const order = orders[(start + k) % orders.length] as Order
          return { key: order.id, value: await registry.encode(id, order) }
        }),
      )
      await producer.send({ topic: TOPIC, acks: -1, messages })
    }
  }
  await sendRange(0, task.warmup)
  const result = await timed('kafkajs', task.records, () => sendRange(0, task.records))
  await producer.disconnect()
  return result
}

async function timed(client: string, records: number, run: () => Promise<void>): Promise<ChildResult> {
  const cpu = process.cpuUsage()
  const started = process.hrtime.bigint()
  await run()
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const used = process.cpuUsage(cpu)
  return {
    client,
    seconds,
    recordsPerSecond: records / seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    encodedBytes: TARGET_BYTES,
  }
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  return at < 0 ? fallback : Number(process.argv[at + 1])
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

async function child(task: ChildTask): Promise<void> {
  const orders = makeOrders()
  const result = task.client === 'tributary' ? await runTributary(task, orders) : await runKafkajs(task, orders)
  process.send?.(result)
}

async function main(): Promise<void> {
  const records = argument('records', 50_000)
  const rounds = argument('rounds', 3)
  const orders = makeOrders()
  const sizes = new Set(orders.map((o) => avro.Type.forSchema(ORDER_SCHEMA as avro.Schema).toBuffer(o).length))
  const cluster = await MockCluster.start({
    brokers: 3,
    topics: [{ name: TOPIC, partitions: PARTITIONS }],
    logger: false,
  })
  const registry = await MockSchemaRegistry.start()
  const results: ChildResult[] = []
  try {
    for (let round = 0; round < rounds; round++) {
      for (const client of ['tributary', 'kafkajs'] as const) {
        const task: ChildTask = {
          client,
          brokers: cluster.bootstrapBrokers,
          registryUrl: registry.url,
          records,
          warmup: Math.min(5000, records),
        }
        const result = await new Promise<ChildResult>((resolve, reject) => {
          const proc = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(task)], {
            execArgv: process.execArgv,
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          })
          let got: ChildResult | undefined
          proc.on('message', (m) => {
            got = m as ChildResult
          })
          proc.on('exit', (code) => (got ? resolve(got) : reject(new Error(`${client} child exited with ${code}`))))
        })
        results.push(result)
        console.log(
          `round ${round + 1} ${client.padEnd(9)} ${Math.round(result.recordsPerSecond).toLocaleString('en-US').padStart(9)} records/s  ` +
            `${result.seconds.toFixed(2)} s  cpu ${result.cpuSeconds.toFixed(2)} s`,
        )
      }
    }
  } finally {
    await registry.stop()
    await cluster.stop()
  }
  const of = (client: string) => results.filter((r) => r.client === client)
  const trib = median(of('tributary').map((r) => r.recordsPerSecond))
  const kjs = median(of('kafkajs').map((r) => r.recordsPerSecond))
  const cpuPerRecord = (client: string) => (median(of(client).map((r) => r.cpuSeconds)) / records) * 1e6
  console.log(
    `\nAvro 1 KiB records (encoded sizes ${[...sizes].join(', ')} B), ${records} per run, median of ${rounds}, Node ${process.version}:`,
  )
  console.log('| client | records/s | MiB/s | client CPU µs/record |')
  console.log('| --- | ---: | ---: | ---: |')
  for (const [label, client, rate] of [
    ['Tributary Producer + avroSerializer', 'tributary', trib],
    [`kafkajs 2.2.4 + @kafkajs/confluent-schema-registry ${REGISTRY_VERSION}`, 'kafkajs', kjs],
  ] as const) {
    console.log(
      `| ${label} | ${Math.round(rate).toLocaleString('en-US')} | ${((rate * TARGET_BYTES) / 1048576).toFixed(1)} | ${cpuPerRecord(client).toFixed(1)} |`,
    )
  }
  console.log(`\nratio Tributary / kafkajs: ${(trib / kjs).toFixed(2)}x`)
}

const childAt = process.argv.indexOf('--child')
if (childAt >= 0) {
  await child(JSON.parse(process.argv[childAt + 1] as string) as ChildTask)
} else {
  await main()
}
