// The same as smoke.mjs, loading @tributary/testing through require (its CommonJS build).
const { MockSchemaRegistry } = require('@tributary/testing')
const { check } = require('./smoke-checks.cjs')

check(MockSchemaRegistry, require, 'CommonJS').catch((error) => {
  console.error(error)
  process.exit(1)
})
