const { pathToFileURL } = require('node:url')
const { transformSync } = require('esbuild')

// TypeScript to CommonJS for Jest, with esbuild (which the repository has through tsup and Vite).
// `import.meta.url` (used to find optional peer dependencies) becomes the file's URL.
module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      sourcemap: true,
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(filename).href) },
    })
    return { code, map }
  },
}
