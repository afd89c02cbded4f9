// Message indexes next to map fields, measured against the reference implementations.
//
// The Java serializer writes `ProtobufSchema.toMessageIndexes(name)` and the Java deserializer reads
// `toMessageName(indexes)`, both counting every nested message of the *registered* schema as the
// registry parses it. A schema registered from a descriptor (the Java serializer registers
// `new ProtobufSchema(descriptor)`, the Confluent JavaScript one a base64 FileDescriptorProto) declares
// a synthetic `*Entry` message for each map field where protoc put it, so the messages declared after
// a map field shift by one; a schema registered as `.proto` text with `map<K, V>` fields (as ours are)
// declares none. MockSchemaRegistry's `messageIndexes` / `messageName` are ports of those two methods
// over the schema it stores (as the registry stores it), so they stand in for the Java client here.
//
// fixtures/indexes.desc.b64 is `protoc -o indexes.pb fixtures/indexes.proto` (libprotoc 3.21.12),
// base64: the descriptors protoc gives the Java and JavaScript code generators.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  create,
  createFileRegistry,
  createMutableRegistry,
  type DescMessage,
  fromBinary,
  type Registry,
} from '@bufbuild/protobuf'
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt'
import {
  SchemaRegistryClient as ConfluentClient,
  ProtobufDeserializer as ConfluentProtobufDeserializer,
  ProtobufSerializer as ConfluentProtobufSerializer,
  SerdeType,
} from '@confluentinc/schemaregistry'
import { decodeProtobufWireFormat, SchemaRegistryClient } from '@tributary/schema-registry'
import { protobufDeserializer, protobufSerializer } from '@tributary/serializer-protobuf'
import { MockSchemaRegistry } from '@tributary/testing'
import protobuf from 'protobufjs'
import descriptor from 'protobufjs/ext/descriptor.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const root = new protobuf.Root().loadSync(fixture('indexes.proto'), { keepCase: true })
const descriptorSet = Buffer.from(readFileSync(fixture('indexes.desc.b64'), 'utf8').trim(), 'base64')
const fileDescriptor = (descriptor.FileDescriptorSet.decode(descriptorSet) as unknown as descriptor.IFileDescriptorSet)
  .file[0] as descriptor.IFileDescriptorProto
const protocFileBase64 = Buffer.from(
  descriptor.FileDescriptorProto.encode(fileDescriptor as protobuf.Message).finish(),
).toString('base64')

/**
 * One value per message of fixtures/indexes.proto, with its indexes in both countings (`js`: the
 * value as @bufbuild/protobuf's `create` takes it, when its oneof shape differs).
 */
const cases: Array<{
  name: string
  value: Record<string, unknown>
  js?: Record<string, unknown>
  withoutEntries: number[]
  withEntries: number[]
}> = [
  {
    name: 'acme.idx.Envelope',
    value: { labels: { a: 'b' }, text: 'hi', body: { data: Buffer.from([1, 2]) } },
    js: { labels: { a: 'b' }, kind: { case: 'text', value: 'hi' }, body: { data: Buffer.from([1, 2]) } },
    withoutEntries: [0],
    withEntries: [0],
  },
  { name: 'acme.idx.Envelope.Header', value: { id: 'h-1' }, withoutEntries: [0, 0], withEntries: [0, 0] },
  // after `map<string, string> labels`: protoc's LabelsEntry comes first
  { name: 'acme.idx.Envelope.Body', value: { data: Buffer.from('xyz') }, withoutEntries: [0, 1], withEntries: [0, 2] },
  // after a oneof (no synthetic message) and the map
  { name: 'acme.idx.Envelope.Trailer', value: { crc: 7 }, withoutEntries: [0, 2], withEntries: [0, 3] },
  // after a second map field (PartsEntry)
  { name: 'acme.idx.Envelope.Nested', value: { leaf: { v: 'l' } }, withoutEntries: [0, 3], withEntries: [0, 5] },
  // three and four levels deep, each level with its own map field
  { name: 'acme.idx.Envelope.Nested.Leaf', value: { v: 'leaf' }, withoutEntries: [0, 3, 0], withEntries: [0, 5, 1] },
  {
    name: 'acme.idx.Envelope.Nested.Branch',
    value: { leaves: { k: { v: 'x' } }, twig: { ok: true } },
    withoutEntries: [0, 3, 1],
    withEntries: [0, 5, 2],
  },
  {
    name: 'acme.idx.Envelope.Nested.Branch.Twig',
    value: { ok: true },
    withoutEntries: [0, 3, 1, 0],
    withEntries: [0, 5, 2, 1],
  },
  { name: 'acme.idx.Second', value: { counts: { n: 3 } }, withoutEntries: [1], withEntries: [1] },
  { name: 'acme.idx.Second.Inner', value: { s: 'in' }, withoutEntries: [1, 0], withEntries: [1, 1] },
]

const value = { topic: 't', part: 'value' as const }

/** The full name of a decoded message's type. */
function typeName(message: protobuf.Message | null): string | undefined {
  return (message?.$type as protobuf.Type | undefined)?.fullName
}

function indexesOf(bytes: Uint8Array): { id: number; indexes: number[]; header: number[] } {
  const { schemaId, messageIndexes, payload } = decodeProtobufWireFormat(bytes)
  return { id: schemaId, indexes: [...messageIndexes], header: [...bytes.subarray(5, bytes.length - payload.length)] }
}

describe('Protobuf message indexes next to map fields', () => {
  let mock: MockSchemaRegistry
  let registry: SchemaRegistryClient
  let confluent: InstanceType<typeof ConfluentClient>
  let files: Registry

  beforeAll(async () => {
    mock = await MockSchemaRegistry.start()
    registry = new SchemaRegistryClient({ url: mock.url })
    confluent = new ConfluentClient({ baseURLs: [mock.url] })
    files = createFileRegistry(fromBinary(FileDescriptorSetSchema, descriptorSet))
  })
  afterAll(async () => {
    await mock.stop()
  })

  /** The serializer takes a mutable registry: every message of the fixture. */
  function mutable(): ReturnType<typeof createMutableRegistry> {
    return createMutableRegistry(...cases.map((c) => desc(c.name)))
  }

  function desc(name: string): DescMessage {
    const d = files.getMessage(name)
    if (d === undefined) throw new Error(`no descriptor for ${name}`)
    return d
  }

  it('ours name the intended message of the schema we register, as Java resolves them; [0] is the single byte 0', async () => {
    for (const c of cases) {
      const type = root.lookupType(c.name)
      const bytes = (await protobufSerializer({ type, registry, subject: 'ours-value', fromObject: true })(
        c.value,
        value,
      )) as Buffer
      const { id, indexes, header } = indexesOf(bytes)
      expect(indexes, c.name).toEqual(c.withoutEntries)
      // the Java deserializer (toMessageName over the registered schema) reads the intended message,
      // and the Java serializer (toMessageIndexes over it) would write the same indexes
      expect(mock.messageName(id, indexes), c.name).toBe(c.name)
      expect(mock.messageIndexes(id, c.name), c.name).toEqual(indexes)
      if (c.name === 'acme.idx.Envelope') expect(header).toEqual([0])
      const read = await protobufDeserializer<protobuf.Message>({ registry })(bytes)
      expect(typeName(read)).toBe(`.${c.name}`)
    }
    expect(mock.subjects()).toEqual(['ours-value'])
  })

  it('against a schema registered from protoc descriptors (as the Java serializer registers it), the map entries count', async () => {
    // Registered as the Java serializer's `new ProtobufSchema(descriptor)` or the JavaScript one's
    // base64 FileDescriptorProto: the registry stores its text with the *Entry messages declared.
    const id = await mock.register('java-value', { schema: protocFileBase64, schemaType: 'PROTOBUF' })
    expect(mock.schemaById(id).schema).toContain('message LabelsEntry {\n    option map_entry = true;')
    for (const c of cases) {
      // what the Java serializer writes for this schema
      expect(mock.messageIndexes(id, c.name), c.name).toEqual(c.withEntries)
      // ours, given that schema (useLatest): the same indexes, read back as the same message
      const type = root.lookupType(c.name)
      const serialize = protobufSerializer({ type, registry, subject: 'java-value', useLatest: true, fromObject: true })
      const bytes = (await serialize(c.value, value)) as Buffer
      expect(indexesOf(bytes), c.name).toMatchObject({ id, indexes: c.withEntries })
      expect(mock.messageName(id, c.withEntries)).toBe(c.name)
      const read = await protobufDeserializer<Record<string, unknown>>({ registry, toObject: { bytes: Buffer } })(bytes)
      expect(read, c.name).toEqual(type.toObject(type.fromObject(c.value), { bytes: Buffer }))
    }
    // a map field of such a schema reads as a map, not as a list of entry messages
    const envelope = await protobufDeserializer<Record<string, unknown>>({ registry, toObject: {} })(
      (await protobufSerializer({
        type: root.lookupType('acme.idx.Envelope'),
        registry,
        subject: 'java-value',
        useLatest: true,
      })({ labels: { a: 'b' } }, value)) as Buffer,
    )
    expect(envelope).toEqual({ labels: { a: 'b' } })
  })

  it('the Confluent JavaScript serializer counts without map entries: the same bytes as ours, read both ways', async () => {
    const theirs = new ConfluentProtobufSerializer(confluent, SerdeType.VALUE, {
      autoRegisterSchemas: true,
      registry: mutable(),
    })
    const theirReader = new ConfluentProtobufDeserializer(confluent, SerdeType.VALUE, {})
    const ourReader = protobufDeserializer<protobuf.Message>({ registry })
    const measured: string[] = []
    for (const c of cases) {
      const type = root.lookupType(c.name)
      const ours = (await protobufSerializer({ type, registry, subject: 'ours-value', fromObject: true })(
        c.value,
        value,
      )) as Buffer
      const theirBytes = await theirs.serialize('js', create(desc(c.name), c.js ?? c.value))
      const their = indexesOf(theirBytes)
      // the same indexes (the count of nested messages without map entries), the same bytes after the id
      expect(their.indexes, c.name).toEqual(c.withoutEntries)
      expect(theirBytes.subarray(5), c.name).toEqual(ours.subarray(5))

      // ours, read by theirs: the intended message
      expect(((await theirReader.deserialize('ours', ours)) as { $typeName: string }).$typeName, c.name).toBe(c.name)

      // theirs, read as Java reads it: their schema (a descriptor) declares the map entries, so where a
      // map field comes before the message, Java names another message, a map entry, or none at all;
      // ours reads as Java does, and refuses a map entry or a missing message
      let javaReads: string
      try {
        javaReads = mock.messageName(their.id, their.indexes)
      } catch (error) {
        javaReads = `invalid: ${(error as Error).message}`
      }
      if (c.withEntries.join() === c.withoutEntries.join()) {
        expect(javaReads, c.name).toBe(c.name)
        expect(typeName(await ourReader(theirBytes))).toBe(`.${c.name}`)
      } else {
        measured.push(`${c.name} [${their.indexes}] -> ${javaReads}`)
        expect(javaReads, c.name).not.toBe(c.name)
        if (javaReads.startsWith('invalid')) {
          await expect(ourReader(theirBytes), c.name).rejects.toThrow(/out of range/)
        } else if (javaReads.endsWith('Entry')) {
          await expect(ourReader(theirBytes), c.name).rejects.toThrow(/map field/)
        } else {
          expect(typeName(await ourReader(theirBytes))).toBe(`.${javaReads}`)
        }
      }
    }
    expect(measured).toEqual([
      'acme.idx.Envelope.Body [0,1] -> acme.idx.Envelope.LabelsEntry',
      'acme.idx.Envelope.Trailer [0,2] -> acme.idx.Envelope.Body',
      'acme.idx.Envelope.Nested [0,3] -> acme.idx.Envelope.Trailer',
      'acme.idx.Envelope.Nested.Leaf [0,3,0] -> invalid: Invalid message indexes: [0, 3, 0]',
      'acme.idx.Envelope.Nested.Branch [0,3,1] -> invalid: Invalid message indexes: [0, 3, 1]',
      'acme.idx.Envelope.Nested.Branch.Twig [0,3,1,0] -> invalid: Invalid message indexes: [0, 3, 1, 0]',
      'acme.idx.Second.Inner [1,0] -> acme.idx.Second.CountsEntry',
    ])
    expect(mock.subjects()).toContain('js-value')
  })

  it('with normalize (normalizeSchemas / normalize.schemas) the registered schema declares no map entries: every reader agrees', async () => {
    const theirs = new ConfluentProtobufSerializer(confluent, SerdeType.VALUE, {
      autoRegisterSchemas: true,
      normalizeSchemas: true,
      registry: mutable(),
    })
    const ourReader = protobufDeserializer<protobuf.Message>({ registry })
    for (const c of cases) {
      const theirBytes = await theirs.serialize('normalized', create(desc(c.name), c.js ?? c.value))
      const their = indexesOf(theirBytes)
      expect(mock.schemaById(their.id).schema).not.toContain('map_entry')
      expect(their.indexes, c.name).toEqual(c.withoutEntries)
      // the Java serializer with normalize.schemas=true skips the entries too (toMessageIndexes(name, true))
      expect(mock.messageIndexes(their.id, c.name, { normalize: true })).toEqual(c.withoutEntries)
      expect(mock.messageName(their.id, their.indexes)).toBe(c.name)
      expect(typeName(await ourReader(theirBytes))).toBe(`.${c.name}`)
    }
  })

  it('a writer schema served as a base64 FileDescriptorProto is read counting its map entries, as Java reads it', async () => {
    // Confluent's registry serves text; a registry that serves the descriptor itself gets the same reading.
    const served = {
      getSchemaById: async () => ({ schema: protocFileBase64, schemaType: 'PROTOBUF' as const }),
      getVersion: async () => {
        throw new Error('no references')
      },
    } as unknown as SchemaRegistryClient
    const read = protobufDeserializer<protobuf.Message>({ registry: served })
    for (const c of cases) {
      const type = root.lookupType(c.name)
      const payload = type.encode(type.fromObject(c.value)).finish()
      const indexes =
        c.withEntries.length === 1 && c.withEntries[0] === 0
          ? [0]
          : [c.withEntries.length * 2, ...c.withEntries.map((i) => i * 2)]
      const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0, 1, ...indexes]), payload])
      expect(typeName(await read(bytes)), c.name).toBe(`.${c.name}`)
    }
    // [0, 1] names Envelope.LabelsEntry there: refused, not decoded as a map entry
    await expect(read(Buffer.from([0, 0, 0, 0, 1, 4, 0, 2]))).rejects.toThrow(
      /LabelsEntry, the synthetic message of a map field/,
    )
  })
})
