import { execFileSync } from 'node:child_process'
import { INSTALL_HINT } from './processes.js'

/** The Python Kafka clients the peer tests use: kafka-python (`kafka`) and confluent-kafka. */
export const PYTHON_KAFKA_CLIENTS: readonly string[] = ['kafka', 'confluent_kafka']

/** The compression modules kafka-python and confluent-kafka need for snappy, lz4 and zstd batches. */
export const PYTHON_CODEC_MODULES: readonly string[] = ['snappy', 'lz4.frame', 'zstandard']

const found = new Map<string, string>()

/** Where to look, in order: $PYTHON when set, the `python3` on PATH, then Debian's. */
function candidates(): string[] {
  return [...new Set([process.env.PYTHON, 'python3', '/usr/bin/python3'])].filter(
    (candidate): candidate is string => candidate !== undefined && candidate !== '',
  )
}

/**
 * The first of $PYTHON, `python3` and `/usr/bin/python3` that can import every module given (by
 * default both Kafka clients); cached per module list and $PYTHON. Debian's python3 has the clients
 * (scripts/install-system-deps.sh installs them), but a pyenv or virtualenv `python3` first on PATH
 * may not: $PYTHON picks one explicitly. Throws, naming what was tried, when none can.
 */
export function python(modules: readonly string[] = PYTHON_KAFKA_CLIENTS): string {
  const tried = candidates()
  const key = `${tried.join('\n')}\n${modules.join(',')}`
  const cached = found.get(key)
  if (cached !== undefined) return cached
  const script = modules.length === 0 ? 'pass' : `import ${modules.join(', ')}`
  for (const candidate of tried) {
    try {
      execFileSync(candidate, ['-c', script], { stdio: 'ignore', timeout: 20_000 })
      found.set(key, candidate)
      return candidate
    } catch {}
  }
  throw new Error(`no python3 (tried ${tried.join(', ')}) can import ${modules.join(', ')}; ${INSTALL_HINT}`)
}
