// Which Avro texts the registry takes for the same schema. Reference: Confluent's
// `AbstractSchemaRegistry.canonicalizeSchema` stores `AvroSchema.canonicalString()`, which is Avro
// Java's `Schema.toString(referencedSchemas, false)` (not the Parsing Canonical Form: doc, defaults,
// aliases and custom properties stay), and `KafkaSchemaRegistry.register` / `lookUpSchemaUnderSubject`
// find a schema by the MD5 of that string and its references, then, within the subject, by
// `AvroSchema.equivalent` (Avro's `Schema.equals`, properties compared as maps, plus doc and aliases).
import { MockSchemaRegistry } from '@tributary/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { call, register } from './helpers.js'

const user = {
  type: 'record',
  name: 'User',
  namespace: 'acme',
  doc: 'A user',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string', default: '' },
    {
      name: 'address',
      type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] },
    },
    { name: 'previous', type: ['null', 'Address'], default: null },
    { name: 'score', type: 'double', default: 0.5 },
  ],
}
const canonical =
  '{"type":"record","name":"User","namespace":"acme","doc":"A user","fields":[{"name":"id","type":"long"},{"name":"name","type":"string","default":""},{"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"city","type":"string"}]}},{"name":"previous","type":["null","Address"],"default":null},{"name":"score","type":"double","default":0.5}]}'

/** The same schema written other ways: each is the same schema to the registry. */
const sameSchema: Record<string, string> = {
  'pretty-printed': JSON.stringify(user, null, 2),
  'keys in another order': `{"fields":[{"type":"long","name":"id"},{"default":"","type":"string","name":"name"},{"type":{"fields":[{"type":"string","name":"city"}],"name":"Address","type":"record"},"name":"address"},{"default":null,"type":["null","Address"],"name":"previous"},{"default":0.5,"type":"double","name":"score"}],"doc":"A user","namespace":"acme","name":"User","type":"record"}`,
  '{"type":"long"} for "long"': JSON.stringify({
    ...user,
    fields: [{ name: 'id', type: { type: 'long' } }, ...user.fields.slice(1)],
  }),
  'a full name for name + namespace': JSON.stringify({ ...user, name: 'acme.User', namespace: undefined }),
  'the nested namespace spelled out, a full name for a reference': JSON.stringify({
    ...user,
    fields: [
      ...user.fields.slice(0, 2),
      {
        name: 'address',
        type: { type: 'record', name: 'Address', namespace: 'acme', fields: [{ name: 'city', type: 'string' }] },
      },
      { name: 'previous', type: ['null', 'acme.Address'], default: null },
      user.fields[4],
    ],
  }),
  'order: ascending spelled out': JSON.stringify({
    ...user,
    fields: [{ name: 'id', type: 'long', order: 'ascending' }, ...user.fields.slice(1)],
  }),
  'empty aliases': JSON.stringify({
    ...user,
    fields: [{ name: 'id', type: 'long', aliases: [] }, ...user.fields.slice(1)],
  }),
  '5e-1 for 0.5': JSON.stringify(user).replace('"default":0.5', '"default":5e-1'),
}

/** Really different schemas: each gets a new version. */
const otherSchema: Record<string, string> = {
  'another doc': JSON.stringify({ ...user, doc: 'Someone' }),
  'a field doc': JSON.stringify({
    ...user,
    fields: [{ name: 'id', type: 'long', doc: 'the key' }, ...user.fields.slice(1)],
  }),
  'another default': JSON.stringify(user).replace('"default":""', '"default":"?"'),
  'fields in another order': JSON.stringify({
    ...user,
    fields: [user.fields[1], user.fields[0], ...user.fields.slice(2)],
  }),
  'a custom property': JSON.stringify({ ...user, 'x-owner': 'team-a' }),
  'a property on a primitive': JSON.stringify({
    ...user,
    fields: [{ name: 'id', type: { type: 'long', 'x-unit': 'ms' } }, ...user.fields.slice(1)],
  }),
  'an alias': JSON.stringify({ ...user, aliases: ['Person'] }),
  '1 for 1.0 as a default (Jackson keeps an int apart from a double)': JSON.stringify(user).replace(
    '"default":0.5',
    '"default":1',
  ),
}

describe('MockSchemaRegistry: Avro schema identity, as the registry canonicalizes', () => {
  let mock: MockSchemaRegistry

  beforeEach(async () => {
    mock = await MockSchemaRegistry.start({ compatibility: 'NONE' })
  })
  afterEach(async () => {
    await mock.stop()
  })

  it('stores and serves the canonical string: Avro Java `Schema.toString`', async () => {
    expect(await register(mock, 'users-value', JSON.stringify(user, null, 4))).toBe(1)
    expect((await call(mock, 'GET', '/schemas/ids/1')).body).toEqual({ id: 1, schema: canonical })
    expect((await call(mock, 'GET', '/subjects/users-value/versions/1/schema')).body).toEqual(JSON.parse(canonical))
  })

  it.each(Object.entries(sameSchema))('the same schema, %s: the same id and version', async (_, text) => {
    expect(await register(mock, 'users-value', JSON.stringify(user))).toBe(1)
    expect(await register(mock, 'users-value', text)).toBe(1)
    expect((await call(mock, 'GET', '/subjects/users-value/versions')).body).toEqual([1])
    // under another subject: the same global id
    expect(await register(mock, 'people-value', text)).toBe(1)
    expect((await call(mock, 'POST', '/subjects/users-value', { schema: text })).body).toEqual({
      subject: 'users-value',
      version: 1,
      id: 1,
      schema: canonical,
    })
  })

  it.each(Object.entries(otherSchema))('a different schema, %s: a new id and version', async (_, text) => {
    expect(await register(mock, 'users-value', JSON.stringify(user))).toBe(1)
    expect((await call(mock, 'POST', '/subjects/users-value', { schema: text })).body).toMatchObject({
      error_code: 40403,
    })
    expect(await register(mock, 'users-value', text)).toBe(2)
    expect((await call(mock, 'GET', '/subjects/users-value/versions')).body).toEqual([1, 2])
  })

  it('property order: the same version within the subject (equivalent), a new id in another subject (another MD5)', async () => {
    const a = JSON.stringify({
      type: 'record',
      name: 'E',
      fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis', 'x-zone': 'UTC' } }],
    })
    const b = a.replace(
      '"logicalType":"timestamp-millis","x-zone":"UTC"',
      '"x-zone":"UTC","logicalType":"timestamp-millis"',
    )
    expect(b).not.toBe(a)
    expect(await register(mock, 'events-value', a)).toBe(1)
    expect(await register(mock, 'events-value', b)).toBe(1)
    expect((await call(mock, 'GET', '/subjects/events-value/versions')).body).toEqual([1])
    // found by equivalence: the answer is the stored schema
    expect((await call(mock, 'POST', '/subjects/events-value', { schema: b })).body).toMatchObject({
      version: 1,
      id: 1,
      schema: a,
    })
    expect(await register(mock, 'other-value', b)).toBe(2)
    // normalized (logicalType first, the other properties sorted) both are the first one's string
    expect(await register(mock, 'n1-value', b, {}, '?normalize=true')).toBe(1)
    expect(await register(mock, 'n2-value', a, {}, '?normalize=true')).toBe(1)
  })

  it('normalize=true stores the normalized schema; look-ups normalize the same way (query or config)', async () => {
    const withDefaultOne = JSON.stringify({
      type: 'record',
      name: 'acme.M',
      fields: [{ name: 'x', type: 'double', default: 1, 'x-b': 1, 'x-a': 2 }],
    })
    expect(await register(mock, 'm-value', withDefaultOne, {}, '?normalize=true')).toBe(1)
    // AvroSchemaUtils.toNormalizedString: properties sorted, the default as the field's type (1.0)
    const stored =
      '{"type":"record","name":"M","namespace":"acme","fields":[{"name":"x","type":"double","default":1.0,"x-a":2,"x-b":1}]}'
    expect((await call(mock, 'GET', '/schemas/ids/1')).body).toEqual({ id: 1, schema: stored })
    // without normalize the submitted text is not the stored one
    expect((await call(mock, 'POST', '/subjects/m-value', { schema: withDefaultOne })).body).toMatchObject({
      error_code: 40403,
    })
    expect((await call(mock, 'POST', '/subjects/m-value?normalize=true', { schema: withDefaultOne })).body).toEqual({
      subject: 'm-value',
      version: 1,
      id: 1,
      schema: stored,
    })
    // the subject's config can ask for it instead of the query
    expect((await call(mock, 'PUT', '/config/m-value', { normalize: true })).body).toEqual({ normalize: true })
    expect((await call(mock, 'GET', '/config/m-value')).body).toEqual({ compatibilityLevel: 'NONE', normalize: true })
    expect((await call(mock, 'POST', '/subjects/m-value', { schema: withDefaultOne })).body).toMatchObject({ id: 1 })
    expect(await register(mock, 'm-value', withDefaultOne)).toBe(1)
    expect((await call(mock, 'GET', '/subjects/m-value/versions')).body).toEqual([1])
  })

  it('references: a name from a referenced schema is written relative to the namespace, and counts in the identity', async () => {
    const address = JSON.stringify({
      type: 'record',
      name: 'Address',
      namespace: 'acme',
      fields: [{ name: 'city', type: 'string' }],
    })
    expect(await register(mock, 'acme.Address', address)).toBe(1)
    const references = [{ name: 'acme.Address', subject: 'acme.Address', version: 1 }]
    const customer = (ref: string) =>
      JSON.stringify({ type: 'record', name: 'Customer', namespace: 'acme', fields: [{ name: 'home', type: ref }] })
    expect(await register(mock, 'customers-value', customer('acme.Address'), { references })).toBe(2)
    expect(await register(mock, 'customers-value', customer('Address'), { references })).toBe(2)
    expect((await call(mock, 'GET', '/schemas/ids/2')).body).toEqual({ id: 2, schema: customer('Address'), references })
    // the same text with other references is another schema
    expect(await register(mock, 'acme.Address', address.replace('"city"', '"town"'))).toBe(3)
    const v2 = [{ name: 'acme.Address', subject: 'acme.Address', version: 2 }]
    expect(await register(mock, 'customers-value', customer('acme.Address'), { references: v2 })).toBe(4)
  })

  it('the in-process register() takes the same path', async () => {
    expect(await mock.register('s', JSON.stringify(user))).toBe(1)
    expect(await mock.register('s', sameSchema['keys in another order'] as string)).toBe(1)
    expect(mock.schemaById(1).schema).toBe(canonical)
    expect(await mock.register('s', otherSchema['another doc'] as string)).toBe(2)
  })
})
