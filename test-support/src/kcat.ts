import { jsonLines, type RunOptions, type RunResult, run } from './processes.js'

// kcat (librdkafka, an independent C client) as a peer: produce to and consume from a cluster.
// Set KCAT_DEBUG (e.g. KCAT_DEBUG=feature,msg,protocol) to get librdkafka's debug log in failures.

/** One line of `kcat -C -J` output: key, payload and header bytes as kcat prints them. */
export interface KcatMessage {
  topic: string
  partition: number
  offset: number
  /** 'create', 'logappend' or 'unknown'. */
  tstype: string
  ts: number
  broker?: number
  key: string | null
  payload: string | null
  /** Header names and values in turn, duplicates kept; null for a header without a value. */
  headers?: Array<string | null>
}

/** One record as kcat's JSON envelope gives it, bytes restored. */
export interface KcatRecord {
  partition: number
  offset: bigint
  /** 'create', 'logappend' or 'unknown'. */
  tstype: string
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Array<[string, Buffer | null]>
}

export interface KcatConsumeOptions {
  /** Only this partition; every partition unless told. */
  partition?: number
  /** librdkafka properties, as `-X name=value`. */
  properties?: Record<string, string>
  /** 60,000 unless told. */
  timeoutMs?: number
}

export interface KcatProduceOptions {
  /** More kcat arguments (`-z`, `-H`, `-X`...). */
  args?: readonly string[]
  /** librdkafka properties, as `-X name=value`. */
  properties?: Record<string, string>
  /** 60,000 unless told. */
  timeoutMs?: number
}

/** `-X name=value` arguments from librdkafka properties. */
export function kcatProperties(properties: Record<string, string>): string[] {
  return Object.entries(properties).flatMap(([name, value]) => ['-X', `${name}=${value}`])
}

/** Runs kcat with `args` (and `-d $KCAT_DEBUG` when that is set); rejects with its stderr when it fails or hangs. */
export function kcat(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const debug = process.env.KCAT_DEBUG ? ['-d', process.env.KCAT_DEBUG] : []
  return run('kcat', [...args, ...debug], options)
}

/**
 * Produces `input` with kcat: one message per line, key and value separated by a tab (a line
 * without a tab is a value without a key).
 */
export function produceWithKcat(
  brokers: readonly string[],
  topic: string,
  input: string,
  options: KcatProduceOptions = {},
): Promise<RunResult> {
  return kcat(
    [
      '-P',
      '-b',
      brokers.join(','),
      '-t',
      topic,
      '-K',
      '\\t',
      ...kcatProperties(options.properties ?? {}),
      ...(options.args ?? []),
    ],
    { input, timeoutMs: options.timeoutMs ?? 60_000 },
  )
}

/** Consumes a topic (or one partition) from the beginning to its end with kcat's JSON envelope. */
function consume(brokers: readonly string[], topic: string, options: KcatConsumeOptions): Promise<RunResult> {
  const partition = options.partition === undefined ? [] : ['-p', String(options.partition)]
  return kcat(
    [
      '-C',
      '-q',
      '-b',
      brokers.join(','),
      '-t',
      topic,
      ...partition,
      '-o',
      'beginning',
      '-e',
      '-J',
      ...kcatProperties(options.properties ?? {}),
    ],
    { timeoutMs: options.timeoutMs ?? 60_000 },
  )
}

/**
 * Reads a topic (or one partition) from the beginning to its end with kcat, as the JSON lines kcat
 * prints, decoded as UTF-8 (for text keys, values and headers).
 */
export async function consumeWithKcat(
  brokers: readonly string[],
  topic: string,
  options: KcatConsumeOptions = {},
): Promise<KcatMessage[]> {
  return jsonLines<KcatMessage>((await consume(brokers, topic, options)).stdout)
}

/**
 * Reads a topic (or one partition) from the beginning to its end with kcat, CRCs checked by
 * librdkafka, bytes exact. kcat writes key, payload and header bytes raw except control characters
 * and quotes, so the output decoded as latin1 and parsed as JSON gives back every byte (one char per
 * byte).
 */
export async function readWithKcat(
  brokers: readonly string[],
  topic: string,
  options: Omit<KcatConsumeOptions, 'properties'> = {},
): Promise<KcatRecord[]> {
  const { stdoutBytes } = await consume(brokers, topic, { ...options, properties: { 'check.crcs': 'true' } })
  const latin1 = (s: string | null | undefined): Buffer | null =>
    s === null || s === undefined ? null : Buffer.from(s, 'latin1')
  return jsonLines<KcatMessage>(stdoutBytes.toString('latin1')).map((m) => {
    const flat = m.headers ?? []
    const headers: KcatRecord['headers'] = []
    for (let i = 0; i < flat.length; i += 2) {
      headers.push([(latin1(flat[i]) as Buffer).toString('utf8'), latin1(flat[i + 1])])
    }
    return {
      partition: m.partition,
      offset: BigInt(m.offset),
      tstype: m.tstype,
      timestamp: BigInt(m.ts),
      key: latin1(m.key),
      value: latin1(m.payload),
      headers,
    }
  })
}

/** Pairs up kcat's flat header list (name, value, name, value...). */
export function kcatHeaders(message: KcatMessage): Array<[string, string | null]> {
  const flat = message.headers ?? []
  const headers: Array<[string, string | null]> = []
  for (let i = 0; i < flat.length; i += 2) headers.push([flat[i] as string, flat[i + 1] ?? null])
  return headers
}
