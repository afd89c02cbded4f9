import type { Schema, SchemaRegistryClient } from '@tributary/schema-registry'
import avro from 'avsc'
import { type AvroParseOptions, forSchemaOptions } from './avro-type.js'

/**
 * Parses a schema from the registry into an avsc Type, after the schemas it references (fetched by
 * subject and version, dependencies first), whose named types it may use.
 */
export async function parseRegisteredSchema(
  registry: SchemaRegistryClient,
  schema: Schema,
  options: AvroParseOptions,
): Promise<avro.Type> {
  if (schema.schemaType !== undefined && schema.schemaType !== 'AVRO') {
    throw new TypeError(`expected an Avro schema, the registry has a ${schema.schemaType} one`)
  }
  const names: Record<string, avro.Type> = {}
  const seen = new Set<string>()
  const addReferences = async (s: Schema): Promise<void> => {
    for (const ref of s.references ?? []) {
      const key = `${ref.subject}\0${ref.version}`
      if (seen.has(key)) continue
      seen.add(key)
      const referenced = await registry.getVersion(ref.subject, ref.version)
      await addReferences(referenced)
      avro.Type.forSchema(JSON.parse(referenced.schema) as avro.Schema, forSchemaOptions(options, names))
    }
  }
  await addReferences(schema)
  return avro.Type.forSchema(JSON.parse(schema.schema) as avro.Schema, forSchemaOptions(options, names))
}
