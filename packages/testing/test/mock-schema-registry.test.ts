import { MockSchemaRegistry } from '@tributary/testing'
import descriptor from 'protobufjs/ext/descriptor.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

// The mock over plain HTTP, as any client sees it.

const user = JSON.stringify({ type: 'record', name: 'User', fields: [{ name: 'name', type: 'string' }] })
const withDefault = JSON.stringify({
  type: 'record',
  name: 'User',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'age', type: 'int', default: 0 },
  ],
})
const withoutDefault = JSON.stringify({
  type: 'record',
  name: 'User',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'email', type: 'string' },
  ],
})

describe('MockSchemaRegistry', () => {
  let mock: MockSchemaRegistry

  beforeEach(async () => {
    mock = await MockSchemaRegistry.start()
  })
  afterEach(async () => {
    await mock.stop()
  })

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const init: RequestInit = { method, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } }
    if (body !== undefined) init.body = JSON.stringify(body)
    const response = await fetch(`${mock.url}${path}`, init)
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {}
    return { status: response.status, body: parsed }
  }

  it('listens on 127.0.0.1 and stops', async () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(mock.running).toBe(true)
    expect((await call('GET', '/')).status).toBe(200)
    const url = mock.url
    await mock.stop()
    expect(mock.running).toBe(false)
    await expect(fetch(`${url}/subjects`)).rejects.toThrow()
    await mock.start()
  })

  it('registers versions, reuses ids for the same schema, and serves subjects, versions and ids', async () => {
    expect(await call('POST', '/subjects/users-value/versions', { schema: user })).toEqual({
      status: 200,
      body: { id: 1 },
    })
    // the same schema, whitespace aside: the same id and no new version
    const spaced = JSON.stringify(JSON.parse(user), null, 2)
    expect((await call('POST', '/subjects/users-value/versions', { schema: spaced })).body).toEqual({ id: 1 })
    expect((await call('POST', '/subjects/users-value/versions', { schema: withDefault })).body).toEqual({ id: 2 })
    expect((await call('POST', '/subjects/people-value/versions', { schema: user })).body).toEqual({ id: 1 })

    expect((await call('GET', '/subjects')).body).toEqual(['people-value', 'users-value'])
    expect((await call('GET', '/subjects/users-value/versions')).body).toEqual([1, 2])
    expect((await call('GET', '/subjects/users-value/versions/latest')).body).toEqual({
      subject: 'users-value',
      version: 2,
      id: 2,
      schema: withDefault,
    })
    expect((await call('GET', '/subjects/users-value/versions/1/schema')).body).toEqual(JSON.parse(user))
    expect((await call('GET', '/schemas/ids/1')).body).toEqual({ id: 1, schema: user })
    expect((await call('GET', '/schemas/ids/1/versions')).body).toEqual([
      { subject: 'users-value', version: 1 },
      { subject: 'people-value', version: 1 },
    ])
    expect((await call('POST', '/subjects/users-value', { schema: user })).body).toEqual({
      subject: 'users-value',
      version: 1,
      id: 1,
      schema: user,
    })
    expect((await call('GET', '/schemas/types')).body).toEqual(['JSON', 'PROTOBUF', 'AVRO'])
  })

  it('answers errors with the registry error codes', async () => {
    expect(await call('GET', '/schemas/ids/9')).toEqual({
      status: 404,
      body: { error_code: 40403, message: 'Schema 9 not found' },
    })
    expect((await call('GET', '/subjects/nope/versions')).body).toMatchObject({ error_code: 40401 })
    await call('POST', '/subjects/users-value/versions', { schema: user })
    expect((await call('GET', '/subjects/users-value/versions/7')).body).toMatchObject({ error_code: 40402 })
    expect((await call('POST', '/subjects/users-value', { schema: withDefault })).body).toMatchObject({
      error_code: 40403,
    })
    expect((await call('POST', '/subjects/x/versions', { schema: '{"type": "nope"}' })).body).toMatchObject({
      error_code: 42201,
    })
    expect((await call('POST', '/subjects/x/versions', { schema: '' })).body).toMatchObject({ error_code: 42201 })
    expect((await call('GET', '/nothing/here')).status).toBe(404)
  })

  it('BACKWARD by default: a new field needs a default; levels per subject and globally', async () => {
    await call('POST', '/subjects/users-value/versions', { schema: user })
    const refused = await call('POST', '/subjects/users-value/versions', { schema: withoutDefault })
    expect(refused.status).toBe(409)
    expect(refused.body).toMatchObject({ error_code: 409 })
    expect((refused.body as { message: string }).message).toContain('email')
    expect(
      (
        await call('POST', '/compatibility/subjects/users-value/versions/latest?verbose=true', {
          schema: withoutDefault,
        })
      ).body,
    ).toMatchObject({ is_compatible: false, messages: [expect.stringContaining('email')] })
    expect(
      (await call('POST', '/compatibility/subjects/users-value/versions/latest', { schema: withDefault })).body,
    ).toEqual({ is_compatible: true })

    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' })
    expect((await call('GET', '/config/users-value')).body).toMatchObject({ error_code: 40408 })
    expect((await call('GET', '/config/users-value?defaultToGlobal=true')).body).toEqual({
      compatibilityLevel: 'BACKWARD',
    })
    expect((await call('PUT', '/config/users-value', { compatibility: 'FORWARD' })).body).toEqual({
      compatibility: 'FORWARD',
    })
    // FORWARD: old readers must read new data; dropping a field without default breaks that
    expect((await call('POST', '/subjects/users-value/versions', { schema: withoutDefault })).status).toBe(200)
    expect((await call('PUT', '/config', { compatibility: 'NOPE' })).body).toMatchObject({ error_code: 42203 })
    mock.compatibility = 'NONE'
    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'NONE' })
  })

  it('transitive levels check every version', async () => {
    await call('PUT', '/config/t', { compatibility: 'BACKWARD_TRANSITIVE' })
    const a = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] })
    const b = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'long' }] })
    const c = JSON.stringify({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'long' },
        { name: 'x', type: 'int', default: 1 },
      ],
    })
    const d = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'float' }] })
    expect((await call('POST', '/subjects/t/versions', { schema: a })).status).toBe(200)
    expect((await call('POST', '/subjects/t/versions', { schema: b })).status).toBe(200) // int promotes to long
    expect((await call('POST', '/subjects/t/versions', { schema: c })).status).toBe(200)
    expect((await call('POST', '/subjects/t/versions', { schema: d })).status).toBe(200) // long promotes to float
  })

  it('references: checked on register, served with the schema, and listed by referencedby', async () => {
    const address = JSON.stringify({
      type: 'record',
      name: 'Address',
      namespace: 'a',
      fields: [{ name: 'city', type: 'string' }],
    })
    const customer = JSON.stringify({
      type: 'record',
      name: 'Customer',
      namespace: 'a',
      fields: [{ name: 'home', type: 'a.Address' }],
    })
    await call('POST', '/subjects/a.Address/versions', { schema: address })
    const references = [{ name: 'a.Address', subject: 'a.Address', version: 1 }]
    expect((await call('POST', '/subjects/customers-value/versions', { schema: customer })).body).toMatchObject({
      error_code: 42201,
    })
    expect((await call('POST', '/subjects/customers-value/versions', { schema: customer, references })).body).toEqual({
      id: 2,
    })
    // served as the registry stores it: Avro's canonical string, names relative to the namespace
    const canonicalCustomer = customer.replace('"a.Address"', '"Address"')
    expect((await call('GET', '/schemas/ids/2')).body).toEqual({ id: 2, schema: canonicalCustomer, references })
    expect((await call('GET', '/subjects/a.Address/versions/1/referencedby')).body).toEqual([2])
    const bad = [{ name: 'a.Address', subject: 'a.Address', version: 5 }]
    expect((await call('POST', '/subjects/x/versions', { schema: customer, references: bad })).body).toMatchObject({
      error_code: 42201,
    })
  })

  it('Protobuf: stores .proto text, serves it as a FileDescriptorProto with format=serialized', async () => {
    const common = 'syntax = "proto3";\npackage c;\nmessage Money { int32 cents = 1; }\n'
    const main =
      'syntax = "proto3";\npackage o;\nimport "common.proto";\nmessage Order { c.Money price = 1; map<string, int32> counts = 2; }\n'
    await call('POST', '/subjects/common.proto/versions', { schema: common, schemaType: 'PROTOBUF' })
    const references = [{ name: 'common.proto', subject: 'common.proto', version: 1 }]
    const { body } = await call('POST', '/subjects/orders-value/versions', {
      schema: main,
      schemaType: 'PROTOBUF',
      references,
    })
    expect(body).toEqual({ id: 2 })
    // served as the registry stores it: its canonical string of the file
    expect((await call('GET', '/schemas/ids/2')).body).toEqual({
      id: 2,
      schema:
        'syntax = "proto3";\npackage o;\n\nimport "common.proto";\n\nmessage Order {\n  c.Money price = 1;\n  map<string, int32> counts = 2;\n}\n',
      schemaType: 'PROTOBUF',
      references,
    })

    const serialized = (await call('GET', '/schemas/ids/2?format=serialized')).body as { schema: string }
    const file = descriptor.FileDescriptorProto.decode(
      Buffer.from(serialized.schema, 'base64'),
    ) as unknown as descriptor.IFileDescriptorProto
    expect(file.package).toBe('o')
    expect(file.dependency).toEqual(['common.proto'])
    expect(file.syntax).toBe('proto3')
    const order = file.messageType?.[0]
    expect(order?.name).toBe('Order')
    expect(order?.field?.map((f) => [f.name, f.typeName])).toEqual([
      ['price', '.c.Money'],
      ['counts', '.o.Order.countsEntry'], // named as the registry's DynamicSchema names it
    ])
    // a Protobuf schema whose import is not among its references is invalid
    expect((await call('POST', '/subjects/x/versions', { schema: main, schemaType: 'PROTOBUF' })).body).toMatchObject({
      error_code: 42201,
    })
    // and a base64 FileDescriptorProto can be registered too (as the Confluent JavaScript client does)
    const again = await call('POST', '/subjects/by-descriptor/versions', {
      schema: serialized.schema,
      schemaType: 'PROTOBUF',
      references,
    })
    expect(again.status).toBe(200)
  })

  it('requires credentials when told to', async () => {
    const secured = await MockSchemaRegistry.start({ auth: { username: 'u', password: 'p' } })
    try {
      expect((await fetch(`${secured.url}/subjects`)).status).toBe(401)
      const ok = await fetch(`${secured.url}/subjects`, {
        headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
      })
      expect(await ok.json()).toEqual([])
    } finally {
      await secured.stop()
    }
  })

  it('injects failures and latency, logs requests, deletes subjects, resets', async () => {
    mock.failNext(1, { status: 500, errorCode: 50001, message: 'store down', path: '/subjects' })
    expect(await call('GET', '/subjects')).toEqual({ status: 500, body: { error_code: 50001, message: 'store down' } })
    expect((await call('GET', '/subjects')).status).toBe(200)
    mock.failNext(1, { drop: true })
    await expect(fetch(`${mock.url}/subjects`)).rejects.toThrow()
    expect(mock.requests().map((r) => r.path)).toEqual(['/subjects', '/subjects', '/subjects'])

    await mock.register('s', user)
    expect((await call('DELETE', '/subjects/s')).body).toEqual([1])
    expect((await call('GET', '/subjects')).body).toEqual([])
    expect((await call('GET', '/subjects?deleted=true')).body).toEqual(['s'])
    expect((await call('DELETE', '/subjects/s?permanent=true')).body).toEqual([1])
    mock.setLatency(50)
    const started = Date.now()
    await call('GET', '/subjects')
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
    mock.reset()
    expect(mock.requests()).toEqual([])
    expect(await mock.register('s', user)).toBe(1)
  })
})
