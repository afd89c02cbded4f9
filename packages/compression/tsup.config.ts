import { packageConfig } from '../../tsup.config.base.js'

export default packageConfig({
  index: 'src/index.ts',
  snappy: 'src/snappy.ts',
  lz4: 'src/lz4.ts',
  zstd: 'src/zstd.ts',
})
