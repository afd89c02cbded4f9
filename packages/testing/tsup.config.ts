import { packageConfig } from '../../tsup.config.base.js'

const SHEBANG = '#!/usr/bin/env node\n'

export default packageConfig(
  {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    // Test-runner fixtures: runner-neutral, and bound to Vitest (an optional peer, imported by that entry only).
    fixtures: 'src/test-runners/index.ts',
    vitest: 'src/vitest/index.ts',
  },
  {
    // `import.meta.url` in the CommonJS build (format-libraries.ts loads avsc and protobufjs with createRequire).
    shims: true,
    plugins: [
      {
        // The `tributary-mock` bin (dist/cli.js) needs a shebang; the library entries must not get one.
        name: 'cli-shebang',
        renderChunk(code, info) {
          if (!/[\\/]cli\.c?js$/.test(info.path) || code.startsWith('#!')) return
          info.mode = 0o755
          // Shift the source map one line down for the line added on top.
          if (typeof info.map === 'string') {
            const map = JSON.parse(info.map) as { mappings: string }
            map.mappings = `;${map.mappings}`
            info.map = JSON.stringify(map)
          }
          return { code: SHEBANG + code }
        },
      },
    ],
  },
)
