// Small promise helpers for tests.

/** Resolves after `ms` milliseconds (of real time unless the test fakes timers). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Settles to the value or the error (anything thrown that is not an Error is wrapped in one). */
export function outcome<T>(promise: Promise<T>): Promise<T | Error> {
  return promise.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
}

export interface UntilOptions {
  /** How often the condition is checked. Default 20 ms. */
  intervalMs?: number
  /** Gives up (rejects, naming `what`) after this long; a hang detector, not a speed check. Default 45,000 ms. */
  timeoutMs?: number
}

/**
 * Resolves with the condition's first truthy value, checking it every `intervalMs`; rejects with
 * `what` (and the condition's error, if it threw last) when it is still falsy after `timeoutMs`.
 */
export async function until<T>(
  condition: () => T | Promise<T>,
  what: string,
  options: UntilOptions = {},
): Promise<Exclude<NonNullable<T>, false | 0 | ''>> {
  const { intervalMs = 20, timeoutMs = 45_000 } = options
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await condition()
      if (value !== undefined && value !== null && value !== false && value !== 0 && value !== '') {
        return value as Exclude<NonNullable<T>, false | 0 | ''>
      }
      lastError = undefined
    } catch (error) {
      lastError = error
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : ''
      throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms${why}`, { cause: lastError })
    }
    await sleep(intervalMs)
  }
}
