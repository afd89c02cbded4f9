import { avro } from './format-libraries.js'

/** Parses an Avro schema after its references (dependencies first), which define named types it uses. */
export function parseAvro(schema: string, deps: readonly string[]): avro.Type {
  const registry: Record<string, avro.Type> = {}
  for (const dep of deps) avro.Type.forSchema(JSON.parse(dep) as avro.Schema, { registry })
  return avro.Type.forSchema(JSON.parse(schema) as avro.Schema, { registry })
}

/**
 * Why data written with `writer` could not be read with `reader` (empty when it can), by Avro's
 * schema resolution rules as avsc implements them: a reader field without a default that the writer
 * lacks, a type that does not promote, a missing enum symbol, a record renamed without an alias.
 */
export function avroIncompatibilities(reader: avro.Type, writer: avro.Type): string[] {
  try {
    reader.createResolver(writer)
    return []
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)]
  }
}
