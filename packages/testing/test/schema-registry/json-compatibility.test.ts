// MockSchemaRegistry's JSON Schema rules: the registry's canonical form (Jackson's compact JSON) and its
// compatibility checks (the json-schema-provider's SchemaDiff under the default STRICT policy).
import { MockSchemaRegistry } from '@tributary/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

const json = (schema: unknown) => ({ schema: JSON.stringify(schema), schemaType: 'JSON' as const })

describe('MockSchemaRegistry: JSON Schema', () => {
  let registry: MockSchemaRegistry

  beforeAll(async () => {
    registry = await MockSchemaRegistry.start()
  })
  beforeEach(() => registry.reset())
  afterAll(async () => {
    await registry.stop()
  })

  async function check(
    subject: string,
    schema: unknown,
    references: unknown[] = [],
  ): Promise<{ is_compatible: boolean; messages: string[] }> {
    const response = await fetch(`${registry.url}/compatibility/subjects/${subject}/versions/latest?verbose=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ ...json(schema), references }),
    })
    return (await response.json()) as { is_compatible: boolean; messages: string[] }
  }

  it('stores the compact form, keeps key order and 1.0; normalize sorts keys', async () => {
    const id = await registry.register('a', { schema: '{ "type": "number", "maximum": 1.0 }', schemaType: 'JSON' })
    expect(registry.schemaById(id).schema).toBe('{"type":"number","maximum":1.0}')
    const n = await registry.register(
      'b',
      { schema: '{"type":"object","properties":{}}', schemaType: 'JSON' },
      { normalize: true },
    )
    expect(registry.schemaById(n).schema).toBe('{"properties":{},"type":"object"}')
    await expect(registry.register('c', { schema: '[1]', schemaType: 'JSON' })).rejects.toThrow(
      'expected an object or boolean at the root',
    )
  })

  it('BACKWARD: the common evolutions of an object, as the registry judges them', async () => {
    const closed = {
      type: 'object',
      properties: { id: { type: 'string' }, n: { type: 'integer' } },
      required: ['id'],
      additionalProperties: false,
    }
    await registry.register('closed', json(closed))
    const variants: Array<[string, unknown, boolean]> = [
      [
        'optional property added to a closed model',
        { ...closed, properties: { ...closed.properties, x: { type: 'string' } } },
        true,
      ],
      ['property removed from a closed model', { ...closed, properties: { id: { type: 'string' } } }, false],
      [
        'required property added without a default',
        { ...closed, properties: { ...closed.properties, x: { type: 'string' } }, required: ['id', 'x'] },
        false,
      ],
      [
        'required property added with a default',
        { ...closed, properties: { ...closed.properties, x: { type: 'string', default: 'a' } }, required: ['id', 'x'] },
        true,
      ],
      ['integer widened to number', { ...closed, properties: { ...closed.properties, n: { type: 'number' } } }, true],
      ['string to number', { ...closed, properties: { ...closed.properties, id: { type: 'number' } } }, false],
      ['required removed', { ...closed, required: [] }, true],
      [
        'a type made nullable (a sum type extended)',
        { ...closed, properties: { ...closed.properties, id: { type: ['string', 'null'] } } },
        true,
      ],
      [
        'maxLength added',
        { ...closed, properties: { ...closed.properties, id: { type: 'string', maxLength: 3 } } },
        false,
      ],
      ['description changed', { ...closed, description: 'orders' }, true],
    ]
    for (const [what, schema, compatible] of variants) {
      expect((await check('closed', schema)).is_compatible, what).toBe(compatible)
    }
    const open = { type: 'object', properties: { id: { type: 'string' } } }
    await registry.register('open', json(open))
    const grown = await check('open', { type: 'object', properties: { id: { type: 'string' }, x: { type: 'string' } } })
    expect(grown.is_compatible).toBe(false)
    expect(grown.messages).toEqual([
      `{errorType:"OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", description:"The new schema has an open content model and has a property or item at path '#/properties/x' which is missing in the old schema'}`,
    ])
    expect((await check('open', { type: 'object', properties: {} })).is_compatible).toBe(true)
  })

  it('enums, arrays, unions and $ref (in the document and to a reference)', async () => {
    await registry.register('e', json({ enum: ['A', 'B'] }))
    expect((await check('e', { enum: ['A', 'B', 'C'] })).is_compatible).toBe(true)
    expect((await check('e', { enum: ['A'] })).is_compatible).toBe(false)
    await registry.register('arr', json({ type: 'array', items: { type: 'integer' } }))
    expect((await check('arr', { type: 'array', items: { type: 'number' } })).is_compatible).toBe(true)
    expect((await check('arr', { type: 'array', items: { type: 'string' } })).is_compatible).toBe(false)
    await registry.register('u', json({ oneOf: [{ type: 'string' }, { type: 'integer' }] }))
    expect(
      (await check('u', { oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] })).is_compatible,
    ).toBe(true)
    expect((await check('u', { oneOf: [{ type: 'string' }] })).is_compatible).toBe(false)
    const withDefs = (t: string) => ({
      $defs: { id: { type: t } },
      type: 'object',
      properties: { id: { $ref: '#/$defs/id' } },
      additionalProperties: false,
    })
    await registry.register('defs', json(withDefs('string')))
    expect((await check('defs', withDefs('string'))).is_compatible).toBe(true)
    expect((await check('defs', withDefs('boolean'))).messages[0]).toContain('TYPE_CHANGED')
    // a $ref to a referenced schema is compared through it
    await registry.register('address', json({ type: 'object', properties: { city: { type: 'string' } } }))
    const references = [{ name: 'address.json', subject: 'address', version: 1 }]
    const customer = (address: unknown) => ({
      type: 'object',
      properties: { address },
      additionalProperties: false,
    })
    await registry.register('customer', { ...json(customer({ $ref: 'address.json' })), references })
    expect((await check('customer', customer({ $ref: 'address.json' }), references)).is_compatible).toBe(true)
    expect((await check('customer', customer({ type: 'object' }))).is_compatible).toBe(true)
    expect((await check('customer', customer({ type: 'string' }))).messages[0]).toContain(
      `{errorType:"TYPE_CHANGED", description:"A type at path '#/properties/address' is different`,
    )
  })

  it('FORWARD and FULL compare the other way, and both ways', async () => {
    const v1 = { type: 'object', properties: { a: { type: 'string' } } }
    const v2 = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } }
    for (const [level, compatible] of [
      ['BACKWARD', false],
      ['FORWARD', true],
      ['FULL', false],
      ['NONE', true],
    ] as const) {
      registry.reset()
      await registry.register('s', json(v1))
      await fetch(`${registry.url}/config/s`, {
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ compatibility: level }),
      })
      expect((await check('s', v2)).is_compatible, level).toBe(compatible)
    }
    // Under NONE anything goes; back under BACKWARD, a changed root type is refused.
    expect(await registry.register('s', json({ type: 'string' }))).toBeGreaterThan(0)
    await fetch(`${registry.url}/config/s`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    })
    await expect(registry.register('s', json({ type: 'number' }))).rejects.toThrow('TYPE_CHANGED')
  })
})
