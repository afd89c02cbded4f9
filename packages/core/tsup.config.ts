import { packageConfig } from '../../tsup.config.base.js'

export default packageConfig({ index: 'src/index.ts', protocol: 'src/protocol/index.ts' })
