import { defineConfig, type Options } from 'tsup'

/**
 * The one tsup configuration every package builds with: ESM + CJS + declarations for both.
 * `entry` maps output names to sources, e.g. `{ index: 'src/index.ts', protocol: 'src/protocol/index.ts' }`.
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
    ...extra,
  })
}
