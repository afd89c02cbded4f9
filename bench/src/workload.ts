// What every client sends: the cases, the records, and the message a child process reports back.
// Shared by the orchestrator (run.ts) and the child processes (child.ts), so both agree on it.

/** A workload: the same records for every client. */
export interface CaseSpec {
  readonly id: string
  readonly title: string
  /** Bytes of each value (ASCII JSON-like text, so characters = bytes). */
  readonly valueBytes: number
  readonly keyed: boolean
  readonly gzip: boolean
  /** Records relative to the run's --records (gzip is slower for everyone, so it sends fewer). */
  readonly recordsFactor: number
  /** Only when named with --cases. */
  readonly extra?: boolean
  /**
   * 'throughput' (the default): the records as fast as the client takes them, through its bulk path.
   * 'latency': one awaited send at a time (a loop of single sends), each timed: p50/p99.
   * 'stall': after the warm-up the brokers stop answering; the client is handed the records without
   * waiting for acknowledgements, and its peak RSS is what counts (how much it buffers).
   */
  readonly kind?: 'throughput' | 'latency' | 'stall'
}

export const CASES: readonly CaseSpec[] = [
  { id: 'keyed-1k', title: '1 KiB values, keyed', valueBytes: 1024, keyed: true, gzip: false, recordsFactor: 1 },
  // 100-byte values: five times the records (1,000,000 in a full run), per the targets.
  {
    id: 'unkeyed-100b',
    title: '100-byte values, unkeyed',
    valueBytes: 100,
    keyed: false,
    gzip: false,
    recordsFactor: 5,
  },
  { id: 'keyed-100b', title: '100-byte values, keyed', valueBytes: 100, keyed: true, gzip: false, recordsFactor: 5 },
  { id: 'gzip-1k', title: 'gzip, 1 KiB values, keyed', valueBytes: 1024, keyed: true, gzip: true, recordsFactor: 0.5 },
  // One awaited send at a time, each timed (2,000 in a full run): what a lone request-path send costs.
  {
    id: 'single-send',
    title: 'single awaited send, 100-byte value, keyed (latency)',
    valueBytes: 100,
    keyed: true,
    gzip: false,
    recordsFactor: 0.01,
    kind: 'latency',
  },
  // Not in the default run: peak RSS when the brokers stop answering (npm run bench -- --cases stall).
  {
    id: 'stall',
    title: '1 KiB values, keyed, brokers stop answering after the warm-up (peak RSS)',
    valueBytes: 1024,
    keyed: true,
    gzip: false,
    recordsFactor: 1,
    kind: 'stall',
    extra: true,
  },
  // Not in the default run: for the CRC32C comparison (tributary-send-jscrc), where the checksum weighs most.
  {
    id: 'keyed-16k',
    title: '16 KiB values, keyed',
    valueBytes: 16 * 1024,
    keyed: true,
    gzip: false,
    recordsFactor: 0.1,
    extra: true,
  },
]

/** One line of the table: a client and the way it is driven. */
export interface ContenderSpec {
  readonly id: string
  readonly client: 'tributary' | 'kafkajs' | 'platformatic'
  /** `{version}` is replaced by the installed version of `pkg`. */
  readonly label: string
  /** The package whose version the label shows (an npm alias name where the peer is installed under one). */
  readonly pkg?: string
  /** The Tributary lines are the numerators of the ratios. */
  readonly tributary: boolean
  /** The lowest Node.js major the client runs on. */
  readonly minNode?: number
  /** In the default run: of the throughput cases, of the latency case, of the stall case. */
  readonly defaultFor?: ReadonlyArray<'throughput' | 'latency' | 'stall'>
  /** Left out of the default run on Node.js majors at or above this one (replaced by a newer peer). */
  readonly defaultBelowNode?: number
}

const TRIBUTARY = '@tributary/core'
const PLATFORMATIC_1 = '@platformatic/kafka'
const PLATFORMATIC_2 = 'platformatic-kafka-2'

export const CONTENDERS: readonly ContenderSpec[] = [
  {
    id: 'tributary-send',
    client: 'tributary',
    label: 'Tributary send() ×chunk + Promise.all (defaults: adaptive linger)',
    pkg: TRIBUTARY,
    tributary: true,
    defaultFor: ['throughput', 'latency', 'stall'],
  },
  {
    id: 'tributary-sendBatch',
    client: 'tributary',
    label: 'Tributary sendBatch(chunk)',
    pkg: TRIBUTARY,
    tributary: true,
    defaultFor: ['throughput'],
  },
  {
    id: 'kafkajs',
    client: 'kafkajs',
    label: 'kafkajs {version} (defaults, not idempotent)',
    pkg: 'kafkajs',
    tributary: false,
    defaultFor: ['throughput', 'latency', 'stall'],
  },
  {
    id: 'kafkajs-idempotent',
    client: 'kafkajs',
    label: 'kafkajs {version} idempotent (maxInFlightRequests 1)',
    pkg: 'kafkajs',
    tributary: false,
    defaultFor: ['throughput'],
  },
  {
    id: 'platformatic',
    client: 'platformatic',
    label: '@platformatic/kafka {version} idempotent, concurrent send()s',
    pkg: PLATFORMATIC_2,
    tributary: false,
    minNode: 22,
    defaultFor: ['throughput', 'latency', 'stall'],
  },
  {
    id: 'platformatic-v1',
    client: 'platformatic',
    label: '@platformatic/kafka {version} idempotent, send()s one after another',
    pkg: PLATFORMATIC_1,
    tributary: false,
    defaultFor: ['throughput', 'latency', 'stall'],
    defaultBelowNode: 22,
  },
]

/** What the orchestrator tells a child (as JSON in argv[2]). */
export interface ChildTask {
  readonly contender: string
  readonly caseId: string
  readonly brokers: string[]
  readonly topic: string
  /** Records in the timed part. */
  readonly records: number
  /** Records sent (to the same topic) before timing starts, to connect and warm the JIT. */
  readonly warmup: number
  /** Records per Promise.all round for Tributary; kafkajs/platformatic send it as arrays of `messagesPerSend`. */
  readonly chunk: number
  readonly messagesPerSend: number
  /** The case's kind (see CaseSpec.kind). */
  readonly kind: 'throughput' | 'latency' | 'stall'
}

/** What a child reports (over IPC) when it is done. */
export interface ChildResult {
  readonly ok: true
  readonly seconds: number
  /** Client process CPU during the timed part, user + system, in seconds. */
  readonly cpuSeconds: number
  /** RSS at the end of the timed part. */
  readonly rssMiB: number
  /** The process's peak RSS (getrusage maxrss): connecting, warm-up and the timed part. */
  readonly peakRssMiB: number
  /** Stall case: RSS before the client was handed every record, and its JS heap once stalled, after a full GC. */
  readonly rssBeforeStallMiB?: number
  readonly heapUsedMiB?: number
  /** Stall case: the client refused sends at once (a BufferFullError with `refusedAtOnce`) instead of holding them. */
  readonly refusedAtOnce?: boolean
  readonly acked: number
  /** Latency case: each awaited send, microseconds (sorted summary). */
  readonly latencyUs?: LatencySummary
  /**
   * The timed part on the monotonic clock, microseconds (the clock of V8's CPU profiles on Linux,
   * so a profile can be cut to it).
   */
  readonly timedWindowUs: readonly [number, number]
}

export interface LatencySummary {
  readonly n: number
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly max: number
  readonly mean: number
}

/** Messages between a child and the orchestrator besides the result. */
export type ChildPhase = { phase: 'timed-start' } | { phase: 'timed-end' } | { phase: 'stall' }

export interface ChildFailure {
  readonly ok: false
  readonly error: string
}

export const HEADER_KEY = 'content-type'
export const HEADER_VALUE = 'application/json'

const WORDS =
  'order customer invoice shipped pending paid refund warehouse berlin lisbon oslo tokyo express standard gift note priority'.split(
    ' ',
  )

/**
 * A pool of distinct JSON-like values of exactly `bytes` ASCII characters, deterministic (a small
 * LCG), varied enough that gzip sees realistic (not degenerate) input.
 */
export function valuePool(bytes: number, count = 256): string[] {
  let seed = 0x2545f491
  const next = (n: number) => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0
    return seed % n
  }
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    let text = `{"id":${i},"customer":"c-${next(100_000)}","amount":${next(100_000) / 100},"items":[`
    const tail = '"}'
    let first = true
    while (text.length < bytes - 40) {
      text += `${first ? '' : ','}{"sku":"${WORDS[next(WORDS.length)]}-${next(1000)}","qty":${next(9) + 1}}`
      first = false
    }
    text += '],"note":"'
    while (text.length < bytes - tail.length) text += `${WORDS[next(WORDS.length)]} `
    text = text.slice(0, bytes - tail.length) + tail
    if (text.length !== bytes) throw new Error(`value of ${text.length} bytes, wanted ${bytes}`)
    out.push(text)
  }
  return out
}

/** The key of record `i` (keyed cases): distinct keys, so murmur2 spreads them over every partition. */
export const keyOf = (i: number): string => `customer-${i}`

export function findCase(id: string): CaseSpec {
  const c = CASES.find((x) => x.id === id)
  if (c === undefined) throw new Error(`unknown case ${id}; known: ${CASES.map((x) => x.id).join(', ')}`)
  return c
}

/** Selectable with --clients but not run by default. */
export const EXTRA_CONTENDERS: readonly ContenderSpec[] = [
  {
    id: 'tributary-linger5',
    client: 'tributary',
    label: 'Tributary send() with lingerMs: 5 (a fixed linger, as Java 4)',
    pkg: TRIBUTARY,
    tributary: true,
    defaultFor: ['latency'],
  },
  {
    id: 'tributary-buffer8m',
    client: 'tributary',
    label: 'Tributary send() with bufferBytes and maxWaitingBytes: 8 MiB',
    pkg: TRIBUTARY,
    tributary: true,
    defaultFor: ['stall'],
  },
  {
    id: 'tributary-wait-unbounded',
    client: 'tributary',
    label: 'Tributary send() with maxWaitingBytes: unbounded (every send waits up to maxBlockMs)',
    pkg: TRIBUTARY,
    tributary: true,
    defaultFor: ['stall'],
  },
  {
    id: 'tributary-send-jscrc',
    client: 'tributary',
    label: 'Tributary send() with the JavaScript CRC32C only (TRIBUTARY_CRC32C=js)',
    pkg: TRIBUTARY,
    tributary: true,
  },
  {
    id: 'tributary-send-traced',
    client: 'tributary',
    label: 'Tributary send() with one (no-op) subscriber on the send and request channels',
    pkg: TRIBUTARY,
    tributary: true,
  },
  // @tributary/kafkajs, driven as the kafkajs lines: peers of the native lines, so the ratio tables
  // show what the kafkajs-compatible layer costs (native ÷ compatible).
  {
    id: 'tributary-kafkajs',
    client: 'tributary',
    label: 'Tributary via @tributary/kafkajs (kafkajs API and driving, not idempotent)',
    pkg: '@tributary/kafkajs',
    tributary: false,
  },
  {
    id: 'tributary-kafkajs-idempotent',
    client: 'tributary',
    label: 'Tributary via @tributary/kafkajs, idempotent (maxInFlightRequests 1)',
    pkg: '@tributary/kafkajs',
    tributary: false,
  },
  {
    id: 'platformatic-serial',
    client: 'platformatic',
    label: '@platformatic/kafka {version} idempotent, send()s one after another',
    pkg: PLATFORMATIC_2,
    tributary: false,
    minNode: 22,
  },
  {
    id: 'platformatic-stream',
    client: 'platformatic',
    label: '@platformatic/kafka {version} idempotent, producer.asStream() (batchSize 1,000)',
    pkg: PLATFORMATIC_2,
    tributary: false,
    minNode: 22,
  },
  {
    id: 'platformatic-not-idempotent',
    client: 'platformatic',
    label: '@platformatic/kafka {version} not idempotent (acks all), concurrent send()s',
    pkg: PLATFORMATIC_2,
    tributary: false,
    minNode: 22,
  },
  {
    id: 'platformatic-v1-concurrent',
    client: 'platformatic',
    label: '@platformatic/kafka {version} not idempotent, concurrent sends',
    pkg: PLATFORMATIC_1,
    tributary: false,
  },
  {
    id: 'platformatic-v1-idempotent-concurrent',
    client: 'platformatic',
    label: '@platformatic/kafka {version} idempotent, concurrent sends (unsafe in 1.x)',
    pkg: PLATFORMATIC_1,
    tributary: false,
  },
]

/** The default lines of a case of this kind on this Node.js major. */
export function defaultContenders(kind: 'throughput' | 'latency' | 'stall', nodeMajor: number): ContenderSpec[] {
  return [...CONTENDERS, ...EXTRA_CONTENDERS].filter(
    (c) =>
      c.defaultFor?.includes(kind) === true &&
      nodeMajor >= (c.minNode ?? 0) &&
      nodeMajor < (c.defaultBelowNode ?? Number.POSITIVE_INFINITY),
  )
}

export function findContender(id: string): ContenderSpec {
  const all = [...CONTENDERS, ...EXTRA_CONTENDERS]
  const c = all.find((x) => x.id === id)
  if (c === undefined) throw new Error(`unknown client ${id}; known: ${all.map((x) => x.id).join(', ')}`)
  return c
}
