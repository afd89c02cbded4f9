import { defineConfig, type Options } from 'tsup'

/**
 * The one tsup configuration every package builds with: ESM + CJS + declarations for both.
 * `entry` maps output names to sources, e.g. `{ index: 'src/index.ts', protocol: 'src/protocol/index.ts' }`.
 *
 * Source maps are kept, without `sourcesContent`: every package ships its `src/` (the `@tributary/source`
 * export condition points there), and the maps' `sources` (`../src/...`) point into it, so stack traces
 * (`node --enable-source-maps`) and debuggers show the TypeScript lines without a second copy of every
 * source inside each map. `scripts/check-package-size.mjs` checks that every map source is shipped.
 */
export function packageConfig(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    outDir: 'dist',
    esbuildOptions(options) {
      options.sourcesContent = false
    },
    ...extra,
  })
}
