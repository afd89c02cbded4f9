import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { makeThrowawayTls, type ThrowawayTls } from './cli/throwaway-tls.js'
import { MockCluster, type MockTopicConfig } from './index.js'
import { MOCK_SASL_MECHANISMS, type MockSaslMechanism, type MockSaslOptions } from './mock-cluster/sasl/options.js'
import { MockSchemaRegistry } from './schema-registry/mock-schema-registry.js'

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

Security (SASL_PLAINTEXT, SSL or SASL_SSL listeners):
      --sasl <user:password[,user:password...]>
                         require SASL with these users (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512)
      --sasl-mechanisms <list>
                         the enabled mechanisms, comma-separated: PLAIN, SCRAM-SHA-256,
                         SCRAM-SHA-512, OAUTHBEARER (accepts unsecured JWTs, as librdkafka's
                         sasl.oauthbearer.config makes them)
      --tls              TLS with a throwaway CA and certificate for 127.0.0.1 and localhost, made
                         at start and deleted at exit; prints the CA file for clients to trust
      --tls-cert <file>  TLS with this PEM certificate (chain) ...
      --tls-key <file>   ... and this PEM private key

Beside the cluster:
      --registry [port]  run a mock Confluent Schema Registry on 127.0.0.1 (default port 8081; 0 = free)
      --ui [port]        serve the web inspector on 127.0.0.1 (default a free port): brokers,
                         topics, records (decoded through --registry's schemas), groups,
                         transactions, the live request log, fault buttons

  -h, --help             this text

Runs until Ctrl-C (SIGINT) or SIGTERM, then stops cleanly and exits 0. Exit code 2 means bad
usage, 1 a failure at run time (e.g. a port in use).

Records live in memory only: there is no --data directory. Keeping topics across restarts
faithfully means keeping topic ids, producer ids and sequences, transactions and committed
offsets consistent, and writing every batch as it arrives so that a killed process loses
nothing; less than that gives clients a cluster that silently lost state, which is worse
than a fresh one. Produce the data again at start (kcat -P, or a seed script) instead.`

/** Bad usage: exit code 2. */
class UsageError extends Error {}

/** Options that take an optional value (`--registry`, `--registry 8085`, `--registry=8085`). */
const OPTIONAL_VALUE = new Set(['--registry', '--ui'])

/** Gives each option of OPTIONAL_VALUE an explicit value (empty when none follows), for parseArgs. */
function withOptionalValues(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') {
      out.push(...argv.slice(i))
      break
    }
    if (!OPTIONAL_VALUE.has(arg)) {
      out.push(arg)
      continue
    }
    const next = argv[i + 1]
    if (next !== undefined && /^\d+$/.test(next)) {
      out.push(`${arg}=${next}`)
      i++
    } else {
      out.push(`${arg}=`)
    }
  }
  return out
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: withOptionalValues(argv),
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
      sasl: { type: 'string' },
      'sasl-mechanisms': { type: 'string' },
      tls: { type: 'boolean', default: false },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      registry: { type: 'string' },
      ui: { type: 'string' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
}

interface Running {
  cluster: MockCluster
  registry: MockSchemaRegistry | undefined
  tls: ThrowawayTls | undefined
}

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>['values']
  try {
    values = parse(process.argv.slice(2)).values
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)} (--help lists the options)`)
  }
  if (values.help) {
    console.log(HELP)
    return
  }
  if (values.data !== undefined) {
    throw new UsageError(
      '--data is not supported: records live in memory only (see --help for why); produce the data again at start instead',
    )
  }
  const brokers = positiveInt(values.brokers, 'brokers')
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port + brokers - 1 > 65535)
    throw new UsageError(`invalid --port ${values.port}`)
  const topics: MockTopicConfig[] = values.topic.map((spec) => {
    const [name, count] = spec.split(':')
    if (!name) throw new UsageError(`invalid --topic ${spec}`)
    return { name, partitions: count === undefined ? 1 : positiveInt(count, `partitions of ${name}`) }
  })
  const sasl = saslOptions(values.sasl, values['sasl-mechanisms'])
  const registryPort = values.registry === undefined ? undefined : portOption(values.registry, 8081, '--registry')
  const uiPort = values.ui === undefined ? undefined : portOption(values.ui, 0, '--ui')
  const tlsFiles = tlsFromFiles(values.tls, values['tls-cert'], values['tls-key'])
  const groups = {
    initialRebalanceDelayMs: nonNegativeInt(
      values['group-initial-rebalance-delay-ms'],
      'group-initial-rebalance-delay-ms',
    ),
    minSessionTimeoutMs: nonNegativeInt(values['group-min-session-timeout-ms'], 'group-min-session-timeout-ms'),
    maxSessionTimeoutMs: nonNegativeInt(values['group-max-session-timeout-ms'], 'group-max-session-timeout-ms'),
    maxSize: positiveInt(values['group-max-size'], 'group-max-size'),
  }
  const defaultPartitions = positiveInt(values.partitions, 'partitions')

  const throwaway = values.tls ? makeThrowawayTls() : undefined
  let registry: MockSchemaRegistry | undefined
  let cluster: MockCluster
  try {
    if (registryPort !== undefined) registry = await MockSchemaRegistry.start({ port: registryPort })
    cluster = await MockCluster.start({
      brokers,
      ports: port === 0 ? undefined : Array.from({ length: brokers }, (_, i) => port + i),
      topics,
      defaultPartitions,
      autoCreateTopics: !values['no-auto-create'],
      host: values.host,
      logger: { info: (m) => console.log(m), warn: (m) => console.warn(m) },
      groups,
      sasl,
      tls: throwaway ?? tlsFiles,
      ...(uiPort === undefined ? {} : { ui: { port: uiPort, registry } }),
    })
  } catch (error) {
    await registry?.stop()
    throwaway?.remove()
    // What Kafka refuses in a topic (a name, a partition count) comes from the arguments.
    if (error instanceof RangeError) throw new UsageError(error.message)
    throw error
  }
  const running: Running = { cluster, registry, tls: throwaway }
  if (values.verbose) cluster.on('group', (e) => console.log(`[group ${e.groupId}] ${e.message}`))
  console.log(`tributary-mock: ${brokers} broker(s) listening on ${cluster.bootstrapBrokers.join(',')}`)
  for (const t of topics) console.log(`  topic ${t.name} (${t.partitions} partition(s))`)
  const secure = throwaway !== undefined || tlsFiles !== undefined
  const protocol = sasl === undefined ? (secure ? 'SSL' : 'PLAINTEXT') : secure ? 'SASL_SSL' : 'SASL_PLAINTEXT'
  if (sasl !== undefined) {
    const mechanisms = sasl.mechanisms ?? MOCK_SASL_MECHANISMS.filter((m) => m !== 'OAUTHBEARER')
    console.log(
      `  security protocol ${protocol}: mechanisms ${mechanisms.join(', ')}; users ${Object.keys(sasl.users ?? {}).join(', ') || '(none)'}`,
    )
  } else if (secure) {
    console.log(`  security protocol ${protocol}`)
  }
  if (throwaway !== undefined) console.log(`  TLS CA certificate (throwaway, deleted at exit): ${throwaway.caPath}`)
  if (protocol !== 'PLAINTEXT') {
    const user = Object.keys(sasl?.users ?? {})[0]
    const saslArgs =
      user === undefined ? '' : ` -X sasl.mechanisms=PLAIN -X sasl.username=${user} -X sasl.password=<password>`
    const caArgs =
      throwaway === undefined
        ? secure
          ? ' -X ssl.ca.location=<CA file>'
          : ''
        : ` -X ssl.ca.location=${throwaway.caPath}`
    console.log(
      `  e.g. kcat -b ${cluster.bootstrapBrokers[0]} -X security.protocol=${protocol.toLowerCase()}${caArgs}${saslArgs} -L`,
    )
  }
  if (registry !== undefined) console.log(`  schema registry: ${registry.url}`)
  if (cluster.uiUrl !== undefined) console.log(`  web inspector: ${cluster.uiUrl}`)
  console.log('Press Ctrl-C to stop.')
  stopOnSignals(running)
}

function stopOnSignals(running: Running): void {
  let stopping = false
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal: stop waiting.
      running.tls?.remove()
      console.error(`tributary-mock: ${signal} again, exiting without waiting`)
      process.exit(1)
    }
    stopping = true
    void (async () => {
      try {
        await running.cluster.stop()
        await running.registry?.stop()
        running.tls?.remove()
        process.exit(0)
      } catch (error) {
        console.error(`tributary-mock: stopping failed: ${error instanceof Error ? error.message : String(error)}`)
        running.tls?.remove()
        process.exit(1)
      }
    })()
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

function saslOptions(users: string | undefined, mechanismList: string | undefined): MockSaslOptions | undefined {
  if (users === undefined && mechanismList === undefined) return undefined
  const out: MockSaslOptions = {}
  if (users !== undefined) {
    const parsed: Record<string, string> = {}
    for (const pair of users.split(',')) {
      const colon = pair.indexOf(':')
      if (colon <= 0) throw new UsageError(`invalid --sasl ${pair}: want user:password`)
      parsed[pair.slice(0, colon)] = pair.slice(colon + 1)
    }
    out.users = parsed
  }
  if (mechanismList !== undefined) {
    const mechanisms = mechanismList.split(',').map((m) => m.trim().toUpperCase())
    for (const m of mechanisms) {
      if (!(MOCK_SASL_MECHANISMS as readonly string[]).includes(m)) {
        throw new UsageError(`unknown SASL mechanism ${m}; the mock has ${MOCK_SASL_MECHANISMS.join(', ')}`)
      }
    }
    out.mechanisms = [...new Set(mechanisms)] as MockSaslMechanism[]
  }
  const needUsers = (out.mechanisms ?? ['PLAIN']).some((m) => m !== 'OAUTHBEARER')
  if (needUsers && out.users === undefined) {
    throw new UsageError(`--sasl-mechanisms ${mechanismList} needs users: --sasl user:password`)
  }
  return out
}

function tlsFromFiles(
  generate: boolean,
  certFile: string | undefined,
  keyFile: string | undefined,
): { cert: string; key: string } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined
  if (generate) throw new UsageError('--tls makes its own certificate; leave out --tls-cert and --tls-key, or --tls')
  if (certFile === undefined || keyFile === undefined) throw new UsageError('--tls-cert and --tls-key go together')
  const read = (file: string, flag: string) => {
    try {
      return readFileSync(file, 'utf8')
    } catch (error) {
      throw new UsageError(`cannot read ${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }
  }
  return { cert: read(certFile, '--tls-cert'), key: read(keyFile, '--tls-key') }
}

function portOption(value: string, fallback: number, flag: string): number {
  if (value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`invalid ${flag} port ${value}`)
  return n
}

function positiveInt(value: string, what: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} must be a positive integer, got ${value}`)
  return n
}

function nonNegativeInt(value: string, what: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${what} must be a non-negative integer, got ${value}`)
  return n
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  console.error(`tributary-mock: ${message}`)
  process.exit(error instanceof UsageError ? 2 : 1)
})
