import { packageVitestConfig, SOURCE_CONDITION } from '../../vitest.config.base.js'

const config = packageVitestConfig()
// Vitest hands these conditions to Node as --conditions, so they also steer `require`. The peer tests
// load @confluentinc/schemaregistry, which pulls in the AWS SDK, whose `module` builds Node cannot load:
// leave `module` out here (nothing in this package's tests needs it).
config.ssr = { ...config.ssr, resolve: { conditions: [SOURCE_CONDITION, 'node', 'development|production'] } }

export default config
