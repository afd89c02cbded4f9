import { defineConfig } from 'vitest/config'
import { sharedTestOptions } from './vitest.config.base.js'

// One Vitest process for every package: each packages/*/vitest.config.ts is a project.
export default defineConfig({
  test: {
    ...sharedTestOptions,
    projects: ['packages/*/vitest.config.ts', 'integration/vitest.config.ts'],
  },
})
