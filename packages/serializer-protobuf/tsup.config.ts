import { packageConfig } from '../../tsup.config.base.js'

// `import.meta.url` in the CommonJS build: protobuf-es.ts loads the optional @bufbuild/protobuf with createRequire.
export default packageConfig({ index: 'src/index.ts' }, { shims: true })
