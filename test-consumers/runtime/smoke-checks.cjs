const assert = require('node:assert/strict')

const loaded = (req, pkg) => Object.keys(req.cache).some((path) => path.includes(`/node_modules/${pkg}/`))

/** The checks, for either build of @tributary/testing. */
async function check(MockSchemaRegistry, req, build) {
  assert.throws(() => req.resolve('protobufjs'), /Cannot find module/, 'protobufjs must not be installed here')
  const mock = await MockSchemaRegistry.start()
  try {
    assert.equal(loaded(req, 'avsc'), false, 'avsc loaded before any Avro schema')
    const avro = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }] }
    const id = await mock.register('orders-value', { schema: JSON.stringify(avro), schemaType: 'AVRO' })
    assert.equal(typeof id, 'number')
    assert.equal(loaded(req, 'avsc'), true, 'avsc not loaded by an Avro schema')
    await assert.rejects(
      mock.register('points-value', {
        schema: 'syntax = "proto3"; message P { int32 x = 1; }',
        schemaType: 'PROTOBUF',
      }),
      (error) => /npm install -D protobufjs/.test(String(error?.message)),
      'a Protobuf schema without protobufjs must fail naming the package',
    )
  } finally {
    await mock.stop()
  }
  console.log(
    `smoke (${build}): avsc loaded on the first Avro schema; no protobufjs: the Protobuf schema failed naming it`,
  )
}

module.exports = { check }
