import { fileURLToPath } from 'node:url'
import { killChildren, run } from '@tributary/test-support/processes'
import { afterEach, describe, expect, it } from 'vitest'

// The tributary-mock CLI refuses topics Kafka would refuse, naming the rule, before it listens.

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))

function cli(args: string[]) {
  return run(process.execPath, ['--conditions=@tributary/source', '--import', 'tsx', CLI, '--port', '0', ...args], {
    timeoutMs: 30_000,
  })
}

describe('the tributary-mock CLI and Kafka’s topic rules', () => {
  afterEach(() => killChildren())

  it.each([
    {
      args: ['--topic', 'no good:3'],
      rule: /exit code 2:\ntributary-mock: Topic name is invalid: 'no good' contains one or more characters/,
    },
    { args: ['--topic', '..'], rule: /exit code 2:\ntributary-mock: Topic name is invalid: '\.\.' is not allowed/ },
    {
      args: ['--topic', 'big:10000'],
      rule: /exit code 2:\ntributary-mock: partitions must be an integer from 1 to 9999, got 10000/,
    },
    {
      args: ['--partitions', '10000'],
      rule: /exit code 2:\ntributary-mock: defaultPartitions must be an integer from 1 to 9999/,
    },
  ])('exits 2 naming the rule for $args', async ({ args, rule }) => {
    await expect(cli(args)).rejects.toThrow(rule)
  })
})
