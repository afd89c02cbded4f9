/**
 * The one backoff policy of the client, as the Java client's: exponential from `initialMs`,
 * doubling per attempt up to `maxMs`, with ±20% jitter so that clients do not retry in step. A
 * `maxMs` below `initialMs` makes the backoff that constant value (Java's rule for
 * retry.backoff.max.ms).
 */
export interface BackoffPolicy {
  readonly initialMs: number
  readonly maxMs: number
}

const JITTER = 0.2

/** The delay before retry number `attempt` (0 for the first retry), jittered, in milliseconds. */
export function backoffMs(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const { initialMs, maxMs } = policy
  if (maxMs <= initialMs) return Math.max(0, maxMs)
  const exp = initialMs * 2 ** Math.min(Math.max(attempt, 0), 30)
  const capped = Math.min(exp, maxMs)
  const jittered = capped * (1 - JITTER + random() * 2 * JITTER)
  return Math.max(0, Math.min(jittered, maxMs))
}

/** Resolves after `ms`; the timer does not keep the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref())
}

/** What `retryUntil` needs besides the operation. */
export interface RetryOptions {
  policy: BackoffPolicy
  /** Milliseconds since the epoch; no attempt starts after it. */
  deadline: number
  /** Whether an error thrown by an attempt may be retried. */
  retriable: (error: unknown) => boolean
  /** Called before each backoff, e.g. to log or to forget a cached coordinator. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  /** What to throw when the deadline passes: given the last error. */
  timeout: (lastError: unknown) => Error
}

/**
 * Runs `attempt` until it succeeds, a non-retriable error is thrown (rethrown as it is), or the
 * next backoff would end past the deadline (then `timeout(lastError)` is thrown).
 */
export async function retryUntil<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (error) {
      if (!options.retriable(error)) throw error
      const delay = backoffMs(options.policy, attempt)
      if (Date.now() + delay >= options.deadline) throw options.timeout(error)
      options.onRetry?.(error, attempt, delay)
      await sleep(delay)
    }
  }
}
