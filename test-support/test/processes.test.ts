import { describe, expect, it } from 'vitest'
import { jsonLines, killChildren, lines, run } from '../src/processes.js'

const node = process.execPath

describe('run', () => {
  it('resolves with stdout as text and bytes, stderr, and when the child ran', async () => {
    const script = 'process.stdout.write(Buffer.from([0x68, 0x69, 0xff])); process.stderr.write("warned")'
    const result = await run(node, ['-e', script])
    expect(result.stdoutBytes).toEqual(Buffer.from([0x68, 0x69, 0xff]))
    expect(result.stdout).toBe(Buffer.from([0x68, 0x69, 0xff]).toString('utf8'))
    expect(result.stderr).toBe('warned')
    expect(result.startedAt).toBeLessThanOrEqual(result.endedAt)
  })

  it('writes `input` to the child’s stdin and closes it', async () => {
    const { stdout } = await run(node, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'a\nb\n' })
    expect(lines(stdout)).toEqual(['a', 'b'])
  })

  it('passes `env` to the child', async () => {
    const { stdout } = await run(node, ['-e', 'process.stdout.write(process.env.PEER ?? "")'], {
      env: { ...process.env, PEER: 'kcat' },
    })
    expect(stdout).toBe('kcat')
  })

  it('rejects on a non-zero exit, naming the command (inline scripts cut short), the code and the end of stderr', async () => {
    const script = `${'/* padding */ '.repeat(10)}\nconsole.error("first"); console.error("it broke"); process.exit(3)`
    const error = (await run(node, ['-e', script]).catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toContain(`${node} -e <${script.length} chars> failed with exit code 3:`)
    expect(error.message).toMatch(/first\nit broke$/)
  })

  it('kills a child that outlives timeoutMs and says so', async () => {
    const error = await run(node, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 50 }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/failed with signal SIGKILL \(timed out after 50 ms\)$/)
  })

  it('says how to install a program that is not there', async () => {
    const error = await run('tributary-no-such-peer', []).catch((e: unknown) => e)
    expect((error as Error).message).toBe(
      'tributary-no-such-peer not found (spawn ENOENT); scripts/install-system-deps.sh installs it',
    )
  })

  it('killChildren kills the children still running', async () => {
    const running = run(node, ['-e', 'setInterval(() => {}, 1000)']).catch((e: unknown) => e)
    // Killed as soon as it is spawned: the child never gets to run its script.
    killChildren()
    expect(((await running) as Error).message).toMatch(/failed with signal SIGKILL$/)
  })
})

describe('lines and jsonLines', () => {
  it('split output into its non-empty lines, parsing each as JSON for jsonLines', () => {
    expect(lines('a\n\nb\n')).toEqual(['a', 'b'])
    expect(jsonLines<{ n: number }>('{"n":1}\n{"n":2}\n')).toEqual([{ n: 1 }, { n: 2 }])
  })
})
