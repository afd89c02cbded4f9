import type { Producer } from '@tributary/core'
import type { MockCluster } from '@tributary/testing'
import { describe, expect, it } from 'vitest'
import { useHarness } from '../src/harness.js'
import { run } from '../src/processes.js'

// The tests of this file run in order: each later one checks what the harness cleaned up after the
// one before.

describe('useHarness', () => {
  const { start, producer, defer, startRegistry } = useHarness({ producer: { lingerMs: 0 } })
  let cluster: MockCluster | undefined
  let registryUrl = ''
  let made: Producer | undefined
  const order: string[] = []
  let child: Promise<unknown> | undefined

  it('starts a quiet cluster and makes producers with its defaults', async () => {
    cluster = await start({ topics: [{ name: 't' }] })
    made = producer({ bootstrapBrokers: cluster.bootstrapBrokers })
    expect((await made.send({ topic: 't', value: 'v' })).offset).toBe(0n)
    registryUrl = (await startRegistry()).url
    defer(() => order.push('deferred'))
    child = run(process.execPath, ['-e', 'setInterval(() => {}, 1000)']).catch((e: unknown) => e)
  })

  it('after a test: killed its children, ran what it deferred, closed its producers, stopped its cluster and registry', async () => {
    expect(((await child) as Error).message).toMatch(/SIGKILL/)
    expect(order).toEqual(['deferred'])
    await expect(made?.send({ topic: 't', value: 'after' })).rejects.toThrow(/closed/)
    await expect(fetch(`${registryUrl}/subjects`)).rejects.toThrow()
    const stopped = cluster?.bootstrapBrokers[0] as string
    const [host, port] = stopped.split(':')
    const { connect } = await import('node:net')
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: host as string, port: Number(port) }, () => resolve('connected'))
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? ''))
    })
    expect(refused).toBe('ECONNREFUSED')
  })
})
