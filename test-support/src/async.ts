// Small promise helpers for tests.

/** Resolves after `ms` milliseconds (of real time unless the test fakes timers). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Settles to the value or the error (anything thrown that is not an Error is wrapped in one). */
export function outcome<T>(promise: Promise<T>): Promise<T | Error> {
  return promise.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
}
