/** The longest delay setTimeout takes (about 24.8 days); longer timeouts are clamped to it. */
const MAX_DELAY_MS = 2 ** 31 - 1

/**
 * Keyed timers on the broker's clock (the global setTimeout, so that fake timers drive them), like
 * the group coordinator's timer in Kafka: scheduling a key replaces its pending timer, and
 * `cancelAll` (on cluster.stop()) clears every one. Timers are unref'd: they never keep a process
 * alive. A callback that throws is reported to `onError` and never reaches the event loop.
 */
export class KeyedTimers {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly onError: (error: unknown) => void
  private stopped = false

  constructor(onError: (error: unknown) => void) {
    this.onError = onError
  }

  /** Runs `fn` after `delayMs` unless the key is cancelled or rescheduled before. */
  schedule(key: string, delayMs: number, fn: () => void): void {
    if (this.stopped) return
    this.cancel(key)
    const delay = Math.min(Math.max(0, Math.floor(delayMs)), MAX_DELAY_MS)
    const timer = setTimeout(() => {
      if (this.timers.get(key) !== timer) return
      this.timers.delete(key)
      try {
        fn()
      } catch (error) {
        this.onError(error)
      }
    }, delay)
    timer.unref?.()
    this.timers.set(key, timer)
  }

  cancel(key: string): void {
    const timer = this.timers.get(key)
    if (timer === undefined) return
    clearTimeout(timer)
    this.timers.delete(key)
  }

  has(key: string): boolean {
    return this.timers.has(key)
  }

  /** How many timers are pending (for tests of the cleanup). */
  get size(): number {
    return this.timers.size
  }

  /** Clears every timer; nothing can be scheduled afterwards. */
  cancelAll(): void {
    this.stopped = true
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
  }
}
