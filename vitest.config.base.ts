import { defineConfig } from 'vitest/config'
import { SummaryReporter } from './scripts/vitest-summary-reporter.js'

/** The export condition that maps `@tributary/*` imports to their TypeScript sources. */
export const SOURCE_CONDITION = '@tributary/source'

/**
 * Test options shared by the root run (all packages in one process) and each package's own run. A
 * run that finds no test fails: every project (each packages/*, integration, test-support) has tests,
 * so finding none means a broken include pattern or filter, not a pass.
 */
export const sharedTestOptions = {
  passWithNoTests: false,
  testTimeout: 60_000,
  hookTimeout: 60_000,
  teardownTimeout: 10_000,
  reporters: ['default', new SummaryReporter()],
}

/**
 * The one Vitest configuration every package tests with: Node, sources instead of builds (the
 * `@tributary/source` export condition, so `import '@tributary/core'` loads packages/core/src), tests
 * in `test/**\/*.test.ts`, and timeouts that leave room for real sockets and child processes.
 * Run alone (`vitest run` in the package) or as a project of the root vitest.config.ts.
 */
export function packageVitestConfig() {
  return defineConfig({
    // Tests run in Vite's server (SSR) environment, so the condition goes into `ssr.resolve`, ahead of
    // Vite's own server defaults. Only Vite resolves it: Node never sees it, because a `.ts` source outside
    // node_modules is always transformed by Vitest, never externalized.
    ssr: {
      resolve: {
        conditions: [SOURCE_CONDITION, 'module', 'node', 'development|production'],
      },
    },
    test: {
      ...sharedTestOptions,
      environment: 'node',
      include: ['test/**/*.test.ts'],
    },
  })
}
