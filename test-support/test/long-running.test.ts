import { describe, expect, it } from 'vitest'
import { until } from '../src/async.js'
import { killChildren, start } from '../src/processes.js'

const node = process.execPath

describe('start', () => {
  it('collects stdout line by line while the child runs, and kills it', async () => {
    const script = 'let i = 0; setInterval(() => console.log("line " + i++), 5); process.stderr.write("started")'
    const child = await start(node, ['-e', script])
    const seen: string[] = []
    child.onLine((line) => seen.push(line))
    await until(() => child.lines.length >= 3, 'three lines')
    expect(child.lines.slice(0, 3)).toEqual(['line 0', 'line 1', 'line 2'])
    await child.kill('SIGTERM')
    expect(await child.exited).toEqual({ code: null, signal: 'SIGTERM' })
    expect(seen.slice(0, 3)).toEqual(['line 0', 'line 1', 'line 2'])
    expect(child.stderr()).toBe('started')
  })

  it('is killed by killChildren', async () => {
    const child = await start(node, ['-e', 'setInterval(() => {}, 1000)'])
    killChildren()
    expect((await child.exited).signal).toBe('SIGKILL')
  })

  it('rejects with an install hint for a program that is not there', async () => {
    await expect(start('no-such-peer-program', [])).rejects.toThrow(
      /not found \(spawn ENOENT\); scripts\/install-system-deps.sh/,
    )
  })
})

describe('until', () => {
  it('resolves with the first truthy value of the condition', async () => {
    let n = 0
    expect(await until(() => (++n >= 3 ? { n } : undefined), 'n to reach 3', { intervalMs: 1 })).toEqual({ n: 3 })
  })

  it('rejects naming what it waited for, with the last error of the condition', async () => {
    const error = await until(
      () => {
        throw new Error('not yet')
      },
      'the impossible',
      { intervalMs: 1, timeoutMs: 20 },
    ).catch((e: unknown) => e)
    expect((error as Error).message).toBe('gave up waiting for the impossible after 20 ms: not yet')
  })
})
