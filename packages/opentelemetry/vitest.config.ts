import { defineConfig } from 'vitest/config'
import { packageVitestConfig, SOURCE_CONDITION } from '../../vitest.config.base.js'

// The shared configuration without Vite's `module` condition: @opentelemetry/* packages map it to an
// ESM build with extensionless imports, which Node cannot load once Vitest externalizes them.
export default defineConfig({
  ...packageVitestConfig(),
  ssr: { resolve: { conditions: [SOURCE_CONDITION, 'node', 'development|production'] } },
})
