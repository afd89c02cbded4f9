import { defineConfig } from 'vitest/config'

// A Vitest project of its own, run in a child process by test/runners.test.ts: its tests fail on
// purpose (to show the failure report), so it is not a project of the repository's Vitest run.
export default defineConfig({
  ssr: { resolve: { conditions: ['@tributary/source', 'module', 'node', 'development|production'] } },
  test: { include: ['*.vitest.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 30_000 },
})
