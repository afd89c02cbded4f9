import net from 'node:net'
import v8 from 'node:v8'
import vm from 'node:vm'
import { prng } from '@tributary/test-support/random'
import { onTestFailed } from 'vitest'

// Seeds, raw sockets and memory readings for the mock broker's fuzz suites.

/**
 * The seed of this run: FUZZ_SEED when set (to replay a failure), else a fresh one. A failing test
 * prints it, with the command line that replays it.
 */
export const FUZZ_SEED =
  process.env.FUZZ_SEED === undefined ? (Math.random() * 2 ** 32) >>> 0 : Number(process.env.FUZZ_SEED)

/** FUZZ_SCALE multiplies the amount of fuzzing (default 1, a few seconds), for long runs by hand. */
export const FUZZ_SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1) || 1)

/**
 * Messages of errors that are bugs, not verdicts on the input: a JavaScript error escaping a
 * decoder or handler instead of a ProtocolError. The broker logs why it closes each connection.
 */
export const BUG_MESSAGES =
  /Cannot read prop|is not a function|is not iterable|out of range|outside buffer bounds|Invalid array length|Maximum call stack|undefined|NaN/

/** A generator seeded from the run's seed and the test's name; a failure prints how to replay it. */
export function seeded(name: string): Random {
  onTestFailed(() => {
    console.error(`fuzz: '${name}' failed with seed ${FUZZ_SEED}; replay it with FUZZ_SEED=${FUZZ_SEED}`)
  })
  let h = FUZZ_SEED
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
  return new Random(prng(h))
}

/** Typed helpers over a [0, 1) source. */
export class Random {
  constructor(readonly next: () => number) {}

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n)
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255)
    return out
  }

  chance(p: number): boolean {
    return this.next() < p
  }
}

/** What happened on a raw connection. */
export interface RawOutcome {
  /** The server closed the connection before we ended our side. */
  closedByServer: boolean
  /** Response frames received (their bodies). */
  responses: Buffer[]
}

/** When `rawExchange` ends its side of the connection. */
export interface EndWhen {
  /** 'now': right after writing; 'server': never (wait for the server to close); or when a response makes this true. */
  until: 'now' | 'server' | ((responses: readonly Buffer[]) => boolean)
  /**
   * End after this many ms if neither the server closed nor the predicate came true (the server may be
   * waiting for more bytes). Default 1,000 with a predicate, 10,000 with 'server'.
   */
  fallbackMs?: number
}

/**
 * Connects to 127.0.0.1:port, writes each chunk (letting the event loop turn between them), then
 * waits until the server closes the connection or `end` says to end our side, and then for the
 * close. Resolves with what happened; never rejects (a reset is a close).
 */
export function rawExchange(port: number, chunks: readonly Buffer[], end: EndWhen): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    const responses: Buffer[] = []
    let pending: Buffer = Buffer.alloc(0)
    let ended = false
    let written = false
    let closedByServer = false
    let fallback: NodeJS.Timeout | undefined
    let reaper: NodeJS.Timeout | undefined
    const finish = () => {
      if (ended) return
      ended = true
      if (fallback !== undefined) clearTimeout(fallback)
      if (!socket.destroyed) socket.end()
      // A server that does not answer our FIN would leave the socket half-open: destroy after a while.
      reaper = setTimeout(() => socket.destroy(), 5000).unref()
    }
    const check = () => {
      if (written && typeof end.until === 'function' && end.until(responses)) finish()
    }
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = pending.readInt32BE(0)
        responses.push(pending.subarray(4, 4 + size))
        pending = pending.subarray(4 + size)
      }
      check()
    })
    const serverGone = () => {
      if (!ended) closedByServer = true
    }
    socket.on('end', serverGone)
    socket.on('error', serverGone)
    socket.on('close', () => {
      serverGone()
      if (fallback !== undefined) clearTimeout(fallback)
      if (reaper !== undefined) clearTimeout(reaper)
      resolve({ closedByServer, responses })
    })
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed || closedByServer) break
        socket.write(chunk)
        await new Promise((r) => setImmediate(r))
      }
      written = true
      if (end.until === 'now') finish()
      else if (end.until === 'server') {
        // Bounded, so a server that wrongly keeps the connection fails the test's assertion, not its timeout.
        if (!ended && !closedByServer) fallback = setTimeout(finish, end.fallbackMs ?? 10_000)
      } else {
        check()
        if (!ended) fallback = setTimeout(finish, end.fallbackMs ?? 1000)
      }
    })
  })
}

let collectGarbage: (() => void) | undefined

/** Forces a full garbage collection (exposing `gc` at run time when Node was not started with --expose-gc). */
export function gc(): void {
  if (collectGarbage === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc
    if (exposed !== undefined) collectGarbage = exposed
    else {
      v8.setFlagsFromString('--expose-gc')
      collectGarbage = vm.runInNewContext('gc') as () => void
    }
  }
  collectGarbage()
}

/** Heap and buffer memory in use after a full collection, in bytes. */
export async function settledMemory(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r))
    gc()
  }
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}
