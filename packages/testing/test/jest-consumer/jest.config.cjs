// A Jest project run by test/runners.test.ts in a child process: it proves the runner-neutral
// fixtures (@tributary/testing/fixtures) with Jest's hooks. It loads the TypeScript sources of the
// workspace packages (the @tributary/source export condition) compiled by esbuild; an application
// would load the published build instead and need none of the transform settings.
module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.jest.cjs'],
  testEnvironment: '<rootDir>/environment.cjs',
  testEnvironmentOptions: { customExportConditions: ['@tributary/source', 'require', 'node', 'default'] },
  transform: { '\\.ts$': '<rootDir>/esbuild-transform.cjs' },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json'],
  // The sources import each other as './x.js' (NodeNext style); the files are './x.ts'.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  watchman: false,
  testTimeout: 30_000,
}
