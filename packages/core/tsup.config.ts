import { packageConfig } from '../../tsup.config.base.js'

// `import.meta.url` in the CommonJS build: crc32c.ts loads the optional native CRC32C with createRequire.
export default packageConfig({ index: 'src/index.ts', protocol: 'src/protocol/index.ts' }, { shims: true })
