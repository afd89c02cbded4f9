import { defineConfig } from 'vitest/config'
import { sharedTestOptions } from './vitest.config.base.js'

// One Vitest process for every package: each packages/*/vitest.config.ts is a project, and so are the
// integration tests, the tests of the shared test helpers (test-support) and of the examples.
export default defineConfig({
  test: {
    ...sharedTestOptions,
    projects: [
      'packages/*/vitest.config.ts',
      'integration/vitest.config.ts',
      'test-support/vitest.config.ts',
      'examples/vitest.config.ts',
    ],
  },
})
