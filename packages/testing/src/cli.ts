import { parseArgs } from 'node:util'
import { MockCluster, type MockTopicConfig } from './index.js'

const HELP = `tributary-mock: a Kafka cluster in one process, for local development and tests.

Usage: tributary-mock [options]
  -p, --port <n>         first broker port (default 9092; brokers take consecutive ports; 0 = free ports)
  -b, --brokers <n>      number of brokers (default 1)
  -t, --topic <spec>     topic to create, name or name:partitions (repeatable)
      --partitions <n>   partitions of auto-created topics (default 1)
      --no-auto-create   answer UNKNOWN_TOPIC_OR_PARTITION instead of creating unknown topics
      --host <addr>      listen address (default 127.0.0.1)
  -v, --verbose          print group activity: joins, rebalances, syncs, leaves, expiries, commits
      --group-initial-rebalance-delay-ms <n>
                         wait this long for more members before a new group's first rebalance
                         (default 100; Kafka's group.initial.rebalance.delay.ms default is 3000)
      --group-min-session-timeout-ms <n>
                         shortest session timeout a member may ask for (default 6000, as Kafka)
      --group-max-session-timeout-ms <n>
                         longest session timeout a member may ask for (default 1800000, as Kafka)
      --group-max-size <n>
                         members per classic group (default 1000; Kafka's default is unbounded)
  -h, --help             this text

Runs until Ctrl-C.`

function main(): void {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse()
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)} (--help lists the options)`)
  }
  const values = parsed.values
  if (values.help) {
    console.log(HELP)
    return
  }
  const brokers = positiveInt(values.brokers, 'brokers')
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port + brokers - 1 > 65535) fail(`invalid --port ${values.port}`)
  const topics: MockTopicConfig[] = values.topic.map((spec) => {
    const [name, count] = spec.split(':')
    if (!name) fail(`invalid --topic ${spec}`)
    return { name, partitions: count === undefined ? 1 : positiveInt(count, `partitions of ${name}`) }
  })
  MockCluster.start({
    brokers,
    ports: port === 0 ? undefined : Array.from({ length: brokers }, (_, i) => port + i),
    topics,
    defaultPartitions: positiveInt(values.partitions, 'partitions'),
    autoCreateTopics: !values['no-auto-create'],
    host: values.host,
    logger: { info: (m) => console.log(m), warn: (m) => console.warn(m) },
    groups: {
      initialRebalanceDelayMs: nonNegativeInt(
        values['group-initial-rebalance-delay-ms'],
        'group-initial-rebalance-delay-ms',
      ),
      minSessionTimeoutMs: nonNegativeInt(values['group-min-session-timeout-ms'], 'group-min-session-timeout-ms'),
      maxSessionTimeoutMs: nonNegativeInt(values['group-max-session-timeout-ms'], 'group-max-session-timeout-ms'),
      maxSize: positiveInt(values['group-max-size'], 'group-max-size'),
    },
  }).then(
    (cluster) => {
      if (values.verbose) cluster.on('group', (e) => console.log(`[group ${e.groupId}] ${e.message}`))
      console.log(`tributary-mock: ${brokers} broker(s) listening on ${cluster.bootstrapBrokers.join(',')}`)
      for (const t of topics) console.log(`  topic ${t.name} (${t.partitions} partition(s))`)
      console.log('Press Ctrl-C to stop.')
      const shutdown = () => {
        void cluster.stop().then(() => process.exit(0))
      }
      process.once('SIGINT', shutdown)
      process.once('SIGTERM', shutdown)
    },
    (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
  )
}

function parse() {
  return parseArgs({
    options: {
      port: { type: 'string', short: 'p', default: '9092' },
      brokers: { type: 'string', short: 'b', default: '1' },
      topic: { type: 'string', short: 't', multiple: true, default: [] },
      partitions: { type: 'string', default: '1' },
      'no-auto-create': { type: 'boolean', default: false },
      host: { type: 'string', default: '127.0.0.1' },
      verbose: { type: 'boolean', short: 'v', default: false },
      'group-initial-rebalance-delay-ms': { type: 'string', default: '100' },
      'group-min-session-timeout-ms': { type: 'string', default: '6000' },
      'group-max-session-timeout-ms': { type: 'string', default: '1800000' },
      'group-max-size': { type: 'string', default: '1000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
}

function positiveInt(value: string, what: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) fail(`${what} must be a positive integer, got ${value}`)
  return n
}

function nonNegativeInt(value: string, what: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) fail(`${what} must be a non-negative integer, got ${value}`)
  return n
}

function fail(message: string): never {
  console.error(`tributary-mock: ${message}`)
  process.exit(2)
}

main()
