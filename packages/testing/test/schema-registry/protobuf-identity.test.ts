// Which Protobuf texts the registry takes for the same schema. Reference: Confluent's
// `ProtobufSchema.canonicalString()` is `ProtobufSchemaUtils.toString` of the file as Square Wire's
// `ProtoParser` reads it (comments are documentation it never prints; fields print before oneofs,
// nested messages before nested enums, `default` and `json_name` after the other field options);
// `normalize()` is `toNormalizedString` (names fully qualified, fields by number, options by name,
// map entry messages folded into `map<K, V>`, imports sorted). A base64 FileDescriptorProto is read
// with `toProtoFile(FileDescriptorProto)`. The registry stores that string and finds schemas by it.
import { MockSchemaRegistry } from '@tributary/testing'
import descriptor from 'protobufjs/ext/descriptor.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { call, register } from './helpers.js'

const proto = `syntax = "proto3";
package acme;

message Order {
  string id = 1;
  Money price = 2;
  oneof payment {
    string card = 3;
    string voucher = 4;
  }
  map<string, string> labels = 5;
  message Money {
    int64 cents = 1;
  }
  enum Status {
    NEW = 0;
    PAID = 1;
  }
  Status status = 6 [deprecated = true, json_name = "state"];
}
`
/** What the registry stores for `proto`. */
const canonical = `syntax = "proto3";
package acme;

message Order {
  string id = 1;
  Money price = 2;
  map<string, string> labels = 5;
  Status status = 6 [
    deprecated = true,
    json_name = "state"
  ];

  oneof payment {
    string card = 3;
    string voucher = 4;
  }

  message Money {
    int64 cents = 1;
  }
  enum Status {
    NEW = 0;
    PAID = 1;
  }
}
`

/** The same file written other ways: the same schema to the registry. */
const sameSchema: Record<string, string> = {
  'the canonical text itself': canonical,
  'on one line': proto.replace(/\s*\n\s*/g, ' '),
  'with comments': proto
    .replace('message Order {', '// An order.\nmessage Order { /* fields follow */')
    .replace('string id = 1;', 'string id = 1; // the key')
    .replace('enum Status {', '/**\n * Where it is.\n */\nenum Status {'),
  'tabs, CRLF and blank lines': proto.replace(/ {2}/g, '\t').replace(/\n/g, '\r\n\r\n'),
  'the oneof declared first': proto
    .replace('  oneof payment {\n    string card = 3;\n    string voucher = 4;\n  }\n', '')
    .replace(
      'message Order {\n',
      'message Order {\n  oneof payment {\n    string card = 3;\n    string voucher = 4;\n  }\n',
    ),
  'the enum declared before the message': proto.replace(
    '  message Money {\n    int64 cents = 1;\n  }\n  enum Status {\n    NEW = 0;\n    PAID = 1;\n  }\n',
    '  enum Status {\n    NEW = 0;\n    PAID = 1;\n  }\n  message Money {\n    int64 cents = 1;\n  }\n',
  ),
  'json_name first (it is not an option)': proto.replace(
    '[deprecated = true, json_name = "state"]',
    "[json_name = 'state', deprecated = true]",
  ),
  'a hexadecimal field number': proto.replace('string id = 1;', 'string id = 0x1;'),
  'map<string,string> without the space': proto.replace('map<string, string>', 'map < string , string >'),
  'a stray semicolon': proto.replace('message Order {', 'message Order {;'),
}

/** Changes the canonical string keeps: a new version (without normalize). */
const otherSchema: Record<string, string> = {
  'a renamed field': proto.replace('string id = 1;', 'string key = 1;'),
  'a type written fully qualified': proto.replace('Money price = 2;', '.acme.Order.Money price = 2;'),
  'fields in another order': proto.replace('string id = 1;\n  Money price = 2;', 'Money price = 2;\n  string id = 1;'),
  'messages in another order': proto.replace('message Order {', 'message First {}\nmessage Order {'),
  'options in another order': proto.replace(
    '[deprecated = true, json_name = "state"]',
    '[packed = false, deprecated = true]',
  ),
  'an option added': proto.replace('package acme;', 'package acme;\noption java_package = "com.acme";'),
  'no syntax line (proto2)': proto
    .replace('syntax = "proto3";\n', '')
    .replace(/ {2}(string|Money|Status|int64) /g, '  optional $1 ')
    .replace('    optional string card', '    string card')
    .replace('    optional string voucher', '    string voucher'),
}

describe('MockSchemaRegistry: Protobuf schema identity, as the registry canonicalizes', () => {
  let mock: MockSchemaRegistry

  beforeEach(async () => {
    mock = await MockSchemaRegistry.start({ compatibility: 'NONE' })
  })
  afterEach(async () => {
    await mock.stop()
  })

  const protobuf = { schemaType: 'PROTOBUF' }

  it('stores and serves the canonical string', async () => {
    expect(await register(mock, 'orders-value', proto, protobuf)).toBe(1)
    expect((await call(mock, 'GET', '/schemas/ids/1')).body).toEqual({
      id: 1,
      schema: canonical,
      schemaType: 'PROTOBUF',
    })
  })

  it.each(Object.entries(sameSchema))('the same schema, %s: the same id and version', async (_, text) => {
    expect(await register(mock, 'orders-value', proto, protobuf)).toBe(1)
    expect(await register(mock, 'orders-value', text, protobuf)).toBe(1)
    expect((await call(mock, 'GET', '/subjects/orders-value/versions')).body).toEqual([1])
    expect(await register(mock, 'other-value', text, protobuf)).toBe(1)
    expect((await call(mock, 'POST', '/subjects/orders-value', { schema: text, ...protobuf })).body).toEqual({
      subject: 'orders-value',
      version: 1,
      id: 1,
      schema: canonical,
      schemaType: 'PROTOBUF',
    })
  })

  it.each(Object.entries(otherSchema))('a different schema, %s: a new id and version', async (_, text) => {
    expect(await register(mock, 'orders-value', proto, protobuf)).toBe(1)
    expect((await call(mock, 'POST', '/subjects/orders-value', { schema: text, ...protobuf })).body).toMatchObject({
      error_code: 40403,
    })
    expect(await register(mock, 'orders-value', text, protobuf)).toBe(2)
  })

  it('normalize=true: qualified names, fields by number and options by name make one schema', async () => {
    const qualified = otherSchema['a type written fully qualified'] as string
    const reordered = otherSchema['fields in another order'] as string
    expect(await register(mock, 'n-value', proto, protobuf, '?normalize=true')).toBe(1)
    expect(await register(mock, 'n-value', qualified, protobuf, '?normalize=true')).toBe(1)
    expect(await register(mock, 'n-value', reordered, protobuf, '?normalize=true')).toBe(1)
    expect((await call(mock, 'GET', '/subjects/n-value/versions')).body).toEqual([1])
    const stored = mock.schemaById(1).schema
    expect(stored).toContain('.acme.Order.Money price = 2;')
    expect(stored).toContain('.acme.Order.Status status = 6 [\n    deprecated = true,\n    json_name = "state"\n  ];')
    expect(
      (await call(mock, 'POST', '/subjects/n-value?normalize=true', { schema: qualified, ...protobuf })).body,
    ).toMatchObject({
      version: 1,
      id: 1,
    })
    // without normalize the look-up compares the canonical string, which differs from the stored one
    expect((await call(mock, 'POST', '/subjects/n-value', { schema: proto, ...protobuf })).body).toMatchObject({
      error_code: 40403,
    })
    // the global config can ask for it instead of the query
    expect((await call(mock, 'PUT', '/config', { normalize: true })).body).toEqual({ normalize: true })
    expect((await call(mock, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'NONE', normalize: true })
    expect((await call(mock, 'POST', '/subjects/n-value', { schema: proto, ...protobuf })).body).toMatchObject({
      id: 1,
    })
  })

  it('a base64 FileDescriptorProto is stored as text, map fields as their *Entry messages where the descriptor lists them', async () => {
    // laid out as protoc lays it out: the entry message where the map field is declared
    const file = descriptor.FileDescriptorProto.create({
      name: 'order.proto',
      package: 'acme',
      syntax: 'proto3',
      messageType: [
        {
          name: 'Order',
          field: [
            { name: 'labels', number: 1, label: 3, type: 11, typeName: '.acme.Order.LabelsEntry' },
            { name: 'note', number: 2, label: 1, type: 9 },
          ],
          nestedType: [
            { name: 'Before', field: [{ name: 'a', number: 1, label: 1, type: 9 }] },
            {
              name: 'LabelsEntry',
              field: [
                { name: 'key', number: 1, label: 1, type: 9 },
                { name: 'value', number: 2, label: 1, type: 9 },
              ],
              options: { mapEntry: true },
            },
            { name: 'After', field: [{ name: 'b', number: 1, label: 1, type: 5 }] },
          ],
        },
      ],
    })
    const base64 = Buffer.from(descriptor.FileDescriptorProto.encode(file).finish()).toString('base64')
    expect(await register(mock, 'd-value', base64, protobuf)).toBe(1)
    const stored = `syntax = "proto3";
package acme;

message Order {
  repeated .acme.Order.LabelsEntry labels = 1;
  string note = 2;

  message Before {
    string a = 1;
  }
  message LabelsEntry {
    option map_entry = true;
  
    string key = 1;
    string value = 2;
  }
  message After {
    int32 b = 1;
  }
}
`
    expect(mock.schemaById(1).schema).toBe(stored)
    // the same descriptor, or its text: the same schema
    expect(await register(mock, 'd-value', base64, protobuf)).toBe(1)
    expect(await register(mock, 'd-value', stored, protobuf)).toBe(1)
    // as the Java deserializer reads indexes over it, the entry message counts
    expect(mock.messageName(1, [0, 2])).toBe('acme.Order.After')
    expect(mock.messageIndexes(1, 'acme.Order.After')).toEqual([0, 2])
    expect(mock.messageIndexes(1, 'acme.Order.After', { normalize: true })).toEqual([0, 1])
    // the same file as .proto text with map<> is another canonical string; normalized, the descriptor
    // is that string (here the text needs no normalizing): one id
    const text =
      'syntax = "proto3";\npackage acme;\nmessage Order {\n  message Before { string a = 1; }\n  map<string, string> labels = 1;\n  message After { int32 b = 1; }\n  string note = 2;\n}\n'
    expect(await register(mock, 'd-value', text, protobuf)).toBe(2)
    expect(await register(mock, 'normalized-value', base64, protobuf, '?normalize=true')).toBe(2)
    expect(await register(mock, 'normalized-value', text, protobuf, '?normalize=true')).toBe(2)
    expect(mock.schemaById(2).schema).not.toContain('Entry')
    expect(mock.messageName(2, [0, 1])).toBe('acme.Order.After')
    // under BACKWARD, the descriptor's spelling of the map (and its entry message) changes nothing
    expect((await call(mock, 'PUT', '/config/b-value', { compatibility: 'BACKWARD' })).status).toBe(200)
    expect(await register(mock, 'b-value', text, protobuf)).toBe(2)
    expect(await register(mock, 'b-value', base64, protobuf)).toBe(1)
    expect((await call(mock, 'GET', '/subjects/b-value/versions')).body).toEqual([1, 2])
  })

  it('format=serialized lists map entry messages after the declared nested messages, as DynamicSchema does', async () => {
    const text =
      'syntax = "proto3";\npackage acme;\nmessage Order {\n  message Before { string a = 1; }\n  map<string, string> labels = 1;\n  message After { int32 b = 1; }\n  map<string, After> by_name = 2;\n}\n'
    expect(await register(mock, 's-value', text, protobuf)).toBe(1)
    const { body } = await call(mock, 'GET', '/schemas/ids/1?format=serialized')
    const file = descriptor.FileDescriptorProto.decode(
      Buffer.from((body as { schema: string }).schema, 'base64'),
    ) as unknown as descriptor.IFileDescriptorProto
    const order = file.messageType?.[0]
    // declared messages keep their indexes ([0, 0] and [0, 1]) for readers that count every nested message
    expect(order?.nestedType?.map((n) => [n.name, n.options?.mapEntry === true])).toEqual([
      ['Before', false],
      ['After', false],
      ['labelsEntry', true],
      ['ByNameEntry', true],
    ])
    expect(order?.field?.map((f) => f.typeName)).toEqual(['.acme.Order.labelsEntry', '.acme.Order.ByNameEntry'])
  })

  it('a file the registry cannot parse is refused with 42201', async () => {
    const bad = await call(mock, 'POST', '/subjects/x/versions', {
      schema: 'syntax = "proto3";\nmessage A { string a = 1; /* trailing */ string b = 2; }',
      ...protobuf,
    })
    expect(bad.body).toMatchObject({ error_code: 42201 })
    const edition = await call(mock, 'POST', '/subjects/x/versions', {
      schema: 'edition = "2023";\nmessage A { string a = 1; }',
      ...protobuf,
    })
    expect(edition.body).toMatchObject({ error_code: 42201 })
  })
})
