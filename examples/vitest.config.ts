import { packageVitestConfig } from '../vitest.config.base.js'

export default packageVitestConfig()
