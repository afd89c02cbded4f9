import { Producer, type ProducerOptions, type RecordMetadata, TributaryError } from '@tributary/core'
import { MockCluster } from '@tributary/testing'

// Shared bits of the minimized repros: each one is a standalone script that prints what it did and
// exits 1 when the bug shows (0 when the producer behaves). Run one with:
//   node --conditions=@tributary/source --import tsx integration/chaos/repro/<name>.ts

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const t0 = performance.now()
export function say(line: string): void {
  process.stdout.write(`[${String(Math.round(performance.now() - t0)).padStart(6)} ms] ${line}\n`)
}

/** How a record settled within a bound, or that it did not. */
export type Outcome =
  | { settled: 'acked'; meta: RecordMetadata }
  | { settled: 'failed'; error: unknown }
  | { settled: false }

/** Waits at most `ms` for a send's outcome. */
export async function outcome(promise: Promise<RecordMetadata>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined
  const result = await Promise.race<Outcome>([
    promise.then(
      (meta) => ({ settled: 'acked', meta }),
      (error: unknown) => ({ settled: 'failed', error }),
    ),
    new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ settled: false }), ms)
    }),
  ])
  clearTimeout(timer)
  return result
}

export function describe(o: Outcome): string {
  if (o.settled === 'acked') return `acked at ${o.meta.topic}-${o.meta.partition}@${o.meta.offset}`
  if (o.settled === 'failed') {
    const e = o.error as Error
    return `failed with ${TributaryError.isInstance(e) ? '' : 'UNTYPED '}${e?.name}: ${e?.message}`
  }
  return 'NOT SETTLED'
}

/** Runs a repro with a cluster and a producer, and exits with its verdict whatever happens. */
export async function repro(
  title: string,
  clusterOptions: Parameters<typeof MockCluster.start>[0],
  producerOptions: Omit<ProducerOptions<string, string>, 'bootstrapBrokers'>,
  body: (cluster: MockCluster, producer: Producer<string, string>) => Promise<string | undefined>,
): Promise<never> {
  say(title)
  const cluster = await MockCluster.start({ logger: false, ...clusterOptions })
  const producer = new Producer<string, string>({ ...producerOptions, bootstrapBrokers: cluster.bootstrapBrokers })
  const watchdog = setTimeout(() => {
    say('REPRO WATCHDOG: gave up after 60 s')
    process.exit(3)
  }, 60_000)
  let bug: string | undefined
  try {
    bug = await body(cluster, producer)
  } catch (error) {
    bug = `the repro threw: ${(error as Error)?.stack ?? String(error)}`
  }
  clearTimeout(watchdog)
  say(bug === undefined ? 'OK: the producer behaved' : `BUG: ${bug}`)
  await Promise.race([producer.close({ timeoutMs: 1000 }).catch(() => {}), sleep(3000)])
  await cluster.stop()
  process.exit(bug === undefined ? 0 : 1)
}
