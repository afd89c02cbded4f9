import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { killChildren, start } from '@tributary/test-support/processes'
import { afterEach, describe, expect, it } from 'vitest'

// The fixtures under the real test runners, each in a child process running a small project whose
// tests fail on purpose: Vitest (test/vitest-consumer, @tributary/testing/vitest) and Jest
// (test/jest-consumer, @tributary/testing/fixtures with Jest's hooks). Each child must print the
// cluster's report for the failing tests only, and exit on its own (a cluster left running would
// keep it alive until the timeout).

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

afterEach(() => {
  killChildren()
})

/** This process's environment without what the parent Vitest set for its own workers. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VITEST') || key === 'TEST' || key === 'NODE_ENV' || key === 'NODE_OPTIONS') continue
    env[key] = value
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra }
}

async function runToExit(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = await start(command, args, { env })
  const { code } = await child.exited
  return { code, output: `${child.lines.join('\n')}\n${child.stderr()}` }
}

/** The titles of the reports in the output, in order. */
function reportTitles(output: string): string[] {
  return [...output.matchAll(/\[@tributary\/testing\] (test "[^"]+" failed|a test failed);/g)].map(
    (m) => m[1] as string,
  )
}

describe('the fixtures under real test runners', () => {
  it('Vitest: useMockCluster and mockClusterTest print the report for the failing tests only', async () => {
    const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs')
    const { code, output } = await runToExit(
      process.execPath,
      [vitest, 'run', '--root', join(here, 'vitest-consumer')],
      childEnv(),
    )
    expect(code, output).toBe(1)
    expect(output).toMatch(/Tests {2}2 failed \| 3 passed \(5\)/)
    expect(reportTitles(output)).toEqual([
      'test "fails on purpose: hooks-b" failed',
      'test "fails on purpose: fixture-b" failed',
    ])
    // Per-test requests for the file-scoped cluster, its records cleared after the tests before.
    expect(output).toMatch(/failed; mock cluster: brokers 1=127\.0\.0\.1:\d+\nrequests during the test \(\d+\):/)
    expect(output).toContain('orders-0@1 key "hooks-b" value "order hooks-b"')
    expect(output).toContain('orders-0@0 key "fixture-b" value "order fixture-b"')
    expect(output).toMatch(/schema registry http:\/\/127\.0\.0\.1:\d+: subjects none/)
    expect(output).toContain(
      "WaitForRecordsTimeoutError: waitForRecords('orders', { count: 2 }) timed out after 50 ms: 1 of 2 record(s) arrived (orders-0: 1)",
    )
  })

  it('Jest: the runner-neutral useMockCluster with Jest hooks and a failure-flag environment', async () => {
    const jest = join(dirname(require.resolve('jest/package.json')), 'bin', 'jest.js')
    const config = join(here, 'jest-consumer', 'jest.config.cjs')
    const passing = await runToExit(process.execPath, [jest, '--config', config], childEnv())
    expect(passing.code, passing.output).toBe(0)
    expect(passing.output).toMatch(/Tests: {7}1 skipped, 2 passed, 3 total/)
    expect(reportTitles(passing.output)).toEqual([])

    const failing = await runToExit(
      process.execPath,
      [jest, '--config', config],
      childEnv({ TRIBUTARY_FAIL_ON_PURPOSE: '1' }),
    )
    expect(failing.code, failing.output).toBe(1)
    expect(failing.output).toMatch(/Tests: {7}1 failed, 2 passed, 3 total/)
    expect(reportTitles(failing.output)).toEqual(['test "fails on purpose: jest-d" failed'])
    expect(failing.output).toMatch(/requests during the test \(\d+\):\n\s+[\d:.]+ broker 1 ApiVersions/)
    expect(failing.output).toContain('orders-1@3 key "jest-d" value "order jest-d"')
    expect(failing.output).not.toContain('did not exit')
  })
})
