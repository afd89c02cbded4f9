import { fileURLToPath } from 'node:url'
import { until } from '@tributary/test-support/async'
import { killChildren, run, start } from '@tributary/test-support/processes'
import { Kafka, logLevel } from 'kafkajs'
import { afterEach, describe, expect, it } from 'vitest'

// tributary-mock as a group coordinator: --verbose prints what the groups do, --help lists the
// group settings, bad values exit 2.

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))
const NODE_ARGS = ['--conditions=@tributary/source', '--import', 'tsx', CLI]

describe('tributary-mock with consumer groups', () => {
  afterEach(() => killChildren())

  it('prints the group activity with --verbose: joins, rebalances, syncs and commits', async () => {
    const cli = await start(process.execPath, [...NODE_ARGS, '--port', '0', '--topic', 'orders:2', '--verbose'])
    const address = await until(() => {
      const line = cli.lines.find((l) => l.includes('listening on'))
      return line?.split('listening on ')[1]?.split(',')
    }, `the CLI listening (stderr: ${cli.stderr()})`)
    const kafka = new Kafka({ clientId: 'cli-group', brokers: address, logLevel: logLevel.NOTHING })
    const producer = kafka.producer()
    const consumer = kafka.consumer({ groupId: 'readers', heartbeatInterval: 300, maxWaitTimeInMs: 100 })
    try {
      await producer.connect()
      await producer.send({ topic: 'orders', messages: [{ value: 'a' }, { value: 'b' }] })
      await consumer.connect()
      await consumer.subscribe({ topic: 'orders', fromBeginning: true })
      let seen = 0
      await consumer.run({
        eachMessage: async () => {
          seen++
        },
      })
      await until(() => seen === 2, 'the records consumed')
      await until(() => cli.lines.some((l) => l.includes('commits')), 'a commit printed')
    } finally {
      await consumer.disconnect()
      await producer.disconnect()
    }
    await until(() => cli.lines.some((l) => l.includes('leaves readers')), 'the leave printed')
    await cli.kill('SIGINT')
    const groupLines = cli.lines.filter((l) => l.startsWith('[group readers]'))
    const expected = [
      /MEMBER_ID_REQUIRED/,
      /joins readers/,
      /rebalances/,
      /waiting for SyncGroup/,
      /is stable at generation 1/,
    ]
    for (const pattern of expected)
      expect(
        groupLines.some((l) => pattern.test(l)),
        String(pattern),
      ).toBe(true)
    expect(groupLines.some((l) => /commits \d+ offset\(s\) from /.test(l))).toBe(true)
  })

  it('lists the group settings in --help and refuses bad values', async () => {
    const help = await run(process.execPath, [...NODE_ARGS, '--help'])
    for (const flag of [
      '--verbose',
      '--group-initial-rebalance-delay-ms',
      '--group-min-session-timeout-ms',
      '--group-max-session-timeout-ms',
      '--group-max-size',
    ]) {
      expect(help.stdout).toContain(flag)
    }
    const bad = await run(process.execPath, [...NODE_ARGS, '--port', '0', '--group-max-size', '0']).catch(
      (e: Error) => e,
    )
    expect(bad).toBeInstanceOf(Error)
    expect((bad as Error).message).toMatch(/exit code 2[\s\S]*group-max-size must be a positive integer, got 0/)
  })
})
