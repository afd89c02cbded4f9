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
}

export const CASES: readonly CaseSpec[] = [
  { id: 'keyed-1k', title: '1 KiB values, keyed', valueBytes: 1024, keyed: true, gzip: false, recordsFactor: 1 },
  {
    id: 'unkeyed-100b',
    title: '100-byte values, unkeyed',
    valueBytes: 100,
    keyed: false,
    gzip: false,
    recordsFactor: 1,
  },
  { id: 'gzip-1k', title: 'gzip, 1 KiB values, keyed', valueBytes: 1024, keyed: true, gzip: true, recordsFactor: 0.5 },
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
  readonly label: string
  /** The Tributary lines are the numerators of the ratios. */
  readonly tributary: boolean
}

export const CONTENDERS: readonly ContenderSpec[] = [
  { id: 'tributary-send', client: 'tributary', label: 'Tributary send() ×chunk + Promise.all', tributary: true },
  { id: 'tributary-sendBatch', client: 'tributary', label: 'Tributary sendBatch(chunk)', tributary: true },
  { id: 'kafkajs', client: 'kafkajs', label: 'kafkajs 2.2.4 (defaults, not idempotent)', tributary: false },
  {
    id: 'kafkajs-idempotent',
    client: 'kafkajs',
    label: 'kafkajs 2.2.4 idempotent (maxInFlightRequests 1)',
    tributary: false,
  },
  { id: 'platformatic', client: 'platformatic', label: '@platformatic/kafka 1.35 idempotent', tributary: false },
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
}

/** What a child reports (over IPC) when it is done. */
export interface ChildResult {
  readonly ok: true
  readonly seconds: number
  /** Client process CPU during the timed part, user + system, in seconds. */
  readonly cpuSeconds: number
  readonly rssMiB: number
  readonly acked: number
  /**
   * The timed part on the monotonic clock, microseconds (the clock of V8's CPU profiles on Linux,
   * so a profile can be cut to it).
   */
  readonly timedWindowUs: readonly [number, number]
}

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
    id: 'tributary-send-jscrc',
    client: 'tributary',
    label: 'Tributary send() with the JavaScript CRC32C only (TRIBUTARY_CRC32C=js)',
    tributary: true,
  },
  {
    id: 'tributary-send-traced',
    client: 'tributary',
    label: 'Tributary send() with one (no-op) subscriber on the send and request channels',
    tributary: true,
  },
  // @tributary/kafkajs, driven as the kafkajs lines: peers of the native lines, so the ratio tables
  // show what the kafkajs-compatible layer costs (native ÷ compatible).
  {
    id: 'tributary-kafkajs',
    client: 'tributary',
    label: 'Tributary via @tributary/kafkajs (kafkajs API and driving, not idempotent)',
    tributary: false,
  },
  {
    id: 'tributary-kafkajs-idempotent',
    client: 'tributary',
    label: 'Tributary via @tributary/kafkajs, idempotent (maxInFlightRequests 1)',
    tributary: false,
  },
  {
    id: 'platformatic-concurrent',
    client: 'platformatic',
    label: '@platformatic/kafka 1.35 not idempotent, concurrent sends',
    tributary: false,
  },
  {
    id: 'platformatic-idempotent-concurrent',
    client: 'platformatic',
    label: '@platformatic/kafka 1.35 idempotent, concurrent sends (unsafe)',
    tributary: false,
  },
]

export function findContender(id: string): ContenderSpec {
  const all = [...CONTENDERS, ...EXTRA_CONTENDERS]
  const c = all.find((x) => x.id === id)
  if (c === undefined) throw new Error(`unknown client ${id}; known: ${all.map((x) => x.id).join(', ')}`)
  return c
}
