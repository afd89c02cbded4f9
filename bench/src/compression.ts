// Compression cases: 1 KiB JSON-like values (the workload's value pool), keyed, through each codec,
// Tributary (@tributary/compression) against kafkajs with codec plugins, each client in its own
// process producing to the in-process mock cluster. Reports value MB/s, records/s, client CPU and
// the compression ratio of the batches the cluster stored.
//
//   node --conditions=@tributary/source --import tsx src/compression.ts [--records N] [--codecs snappy,lz4]
//
// kafkajs's codec plugins: kafkajs-snappy (snappyjs, pure JS) is the one kafkajs documents. The
// documented lz4 and zstd plugins (kafkajs-lz4 on the `lz4` package, @kafkajs/zstd on `cppzst`)
// compile native code at install time, which a fresh machine here cannot do reliably, so kafkajs
// gets lz4js (pure JS, the fastest pure-JS lz4) and libzstd compiled to WebAssembly
// (@bokuweb/zstd-wasm, level 3) instead.

import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { lz4 } from '@tributary/compression/lz4'
import { snappy } from '@tributary/compression/snappy'
import { zstd } from '@tributary/compression/zstd'
import { type Codec, Producer, type ProducerRecord } from '@tributary/core'
import { MockCluster } from '@tributary/testing'
import { HEADER_KEY, HEADER_VALUE, keyOf, valuePool } from './workload.js'

type CodecName = 'gzip' | 'snappy' | 'lz4' | 'zstd'
type Client = 'tributary' | 'kafkajs'

interface Task {
  client: Client
  codec: CodecName
  brokers: string[]
  topic: string
  records: number
  warmup: number
}

interface Result {
  seconds: number
  cpuSeconds: number
}

const CHUNK = 1000
const MESSAGES_PER_SEND = 100
const VALUE_BYTES = 1024
const PARTITIONS = 6

function ourCodec(name: CodecName): Codec | 'gzip' {
  switch (name) {
    case 'gzip':
      return 'gzip'
    case 'snappy':
      return snappy()
    case 'lz4':
      return lz4()
    case 'zstd':
      return zstd()
  }
}

async function kafkajsSender(task: Task) {
  // kafkajs is CommonJS; its CompressionCodecs is not among the names Node detects for named imports.
  const { CompressionCodecs, CompressionTypes, Kafka, logLevel, Partitioners } = (await import('kafkajs')).default
  const types: Record<CodecName, number> = {
    gzip: CompressionTypes.GZIP,
    snappy: CompressionTypes.Snappy,
    lz4: CompressionTypes.LZ4,
    zstd: CompressionTypes.ZSTD,
  }
  if (task.codec === 'snappy') {
    // @ts-expect-error kafkajs-snappy ships no types
    CompressionCodecs[CompressionTypes.Snappy] = (await import('kafkajs-snappy')).default
  } else if (task.codec === 'lz4') {
    // @ts-expect-error lz4js ships no types
    const lz4js = (await import('lz4js')).default as { compress(b: Uint8Array): Uint8Array }
    CompressionCodecs[CompressionTypes.LZ4] = () => ({
      compress: async (encoder: { buffer: Buffer }) => Buffer.from(lz4js.compress(encoder.buffer)),
      decompress: async () => {
        throw new Error('not used')
      },
    })
  } else if (task.codec === 'zstd') {
    const wasm = await import('@bokuweb/zstd-wasm')
    await wasm.init()
    CompressionCodecs[CompressionTypes.ZSTD] = () => ({
      compress: async (encoder: { buffer: Buffer }) => Buffer.from(wasm.compress(encoder.buffer, 3)),
      decompress: async () => {
        throw new Error('not used')
      },
    })
  }
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: task.brokers, logLevel: logLevel.NOTHING })
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false })
  await producer.connect()
  const values = valuePool(VALUE_BYTES)
  return {
    async send(from: number, to: number) {
      for (let start = from; start < to; start += CHUNK) {
        const end = Math.min(to, start + CHUNK)
        const sends: Array<Promise<unknown>> = []
        for (let s = start; s < end; s += MESSAGES_PER_SEND) {
          const messages = []
          for (let i = s; i < Math.min(end, s + MESSAGES_PER_SEND); i++) {
            messages.push({
              key: keyOf(i),
              value: values[i % values.length] as string,
              headers: { [HEADER_KEY]: HEADER_VALUE },
            })
          }
          sends.push(producer.send({ topic: task.topic, acks: -1, compression: types[task.codec], messages }))
        }
        await Promise.all(sends)
      }
    },
    close: () => producer.disconnect(),
  }
}

async function tributarySender(task: Task) {
  const producer = new Producer<string, string>({
    clientId: 'bench-tributary',
    bootstrapBrokers: task.brokers,
    acks: 'all',
    compression: ourCodec(task.codec),
    logger: {},
  })
  await producer.connect()
  const values = valuePool(VALUE_BYTES)
  return {
    async send(from: number, to: number) {
      for (let start = from; start < to; start += CHUNK) {
        const records: Array<ProducerRecord<string, string>> = []
        for (let i = start; i < Math.min(to, start + CHUNK); i++) {
          records.push({
            topic: task.topic,
            key: keyOf(i),
            value: values[i % values.length] as string,
            headers: { [HEADER_KEY]: HEADER_VALUE },
          })
        }
        for (const r of await producer.sendBatch(records)) if (!r.ok) throw r.error
      }
    },
    close: () => producer.close(),
  }
}

async function child(task: Task): Promise<void> {
  const sender = task.client === 'tributary' ? await tributarySender(task) : await kafkajsSender(task)
  await sender.send(0, task.warmup)
  globalThis.gc?.()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await sender.send(task.warmup, task.warmup + task.records)
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  await sender.close()
  const result: Result = { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
  await new Promise<void>((resolve) => (process.send ? process.send(result, () => resolve()) : resolve()))
}

function runChild(task: Task): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(task)], {
      execArgv: ['--conditions=@tributary/source', '--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let result: Result | undefined
    child.on('message', (m) => {
      result = m as Result
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      result !== undefined && code === 0
        ? resolve(result)
        : reject(new Error(`${task.client} ${task.codec} exited with ${code}`)),
    )
  })
}

/** Stored bytes against the bytes they decompress to (plus the 61-byte batch headers). */
function ratio(cluster: MockCluster, topic: string): number {
  const codecs: Record<number, Codec> = { 2: snappy(), 3: lz4(), 4: zstd() }
  let stored = 0
  let raw = 0
  for (let p = 0; p < PARTITIONS; p++) {
    for (const b of cluster.batches(topic, p)) {
      stored += b.bytes.length
      const section = b.bytes.subarray(61)
      const codec = codecs[b.compression]
      raw += 61 + (b.compression === 1 ? zlibSize(section) : codec ? codec.decompress(section).length : section.length)
    }
  }
  return raw / stored
}

let gunzip: ((b: Buffer) => Buffer) | undefined
function zlibSize(section: Buffer): number {
  return (gunzip as (b: Buffer) => Buffer)(section).length
}

async function main(): Promise<void> {
  gunzip = (await import('node:zlib')).gunzipSync
  const arg = (name: string) => {
    const i = process.argv.indexOf(name)
    return i < 0 ? undefined : process.argv[i + 1]
  }
  const records = Number(arg('--records') ?? 20_000)
  const codecs = (arg('--codecs') ?? 'snappy,lz4,zstd,gzip').split(',') as CodecName[]
  const cluster = await MockCluster.start({ brokers: 3, logger: false })
  const rows: string[] = []
  try {
    for (const codec of codecs) {
      for (const client of ['tributary', 'kafkajs'] as const) {
        const topic = `${client}-${codec}`
        cluster.createTopic(topic, PARTITIONS)
        const warmup = Math.min(5000, records)
        const r = await runChild({ client, codec, brokers: cluster.bootstrapBrokers, topic, records, warmup })
        const mbps = (records * VALUE_BYTES) / r.seconds / 1e6
        const label =
          client === 'tributary'
            ? `Tributary (${codec === 'gzip' ? 'core gzip' : `@tributary/compression ${codec}`})`
            : `kafkajs 2.2.4 + ${PLUGINS[codec]}`
        rows.push(
          `| ${codec} | ${label} | ${Math.round(records / r.seconds).toLocaleString('en-US')} | ${mbps.toFixed(1)} | ${(r.cpuSeconds / r.seconds).toFixed(2)} | ${ratio(cluster, topic).toFixed(2)} |`,
        )
        process.stderr.write(`${rows[rows.length - 1]}\n`)
      }
    }
  } finally {
    await cluster.stop()
  }
  console.log(
    `\n${records.toLocaleString('en-US')} keyed records of ${VALUE_BYTES}-byte JSON-like values per run, acks all, 3 brokers, ${PARTITIONS} partitions\n`,
  )
  console.log('| codec | client | records/s | value MB/s | client CPU (cores) | compression ratio |')
  console.log('| --- | --- | ---: | ---: | ---: | ---: |')
  for (const row of rows) console.log(row)
}

const PLUGINS: Record<CodecName, string> = {
  gzip: 'built-in gzip',
  snappy: 'kafkajs-snappy',
  lz4: 'lz4js plugin',
  zstd: 'zstd-wasm plugin',
}

if (process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3] ?? '{}') as Task).catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
} else {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
