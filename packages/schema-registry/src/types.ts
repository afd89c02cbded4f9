/** The schema formats the Confluent Schema Registry knows. */
export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON'

/** A reference from a schema to another registered schema (an Avro named type, a Protobuf import). */
export interface SchemaReference {
  /** The name the referring schema uses: an Avro full name, or a Protobuf import path such as `common.proto`. */
  readonly name: string
  /** The subject the referenced schema is registered under. */
  readonly subject: string
  /** Its version in that subject. */
  readonly version: number
}

/** A schema as sent to and answered by the registry. */
export interface Schema {
  /** The schema text: Avro JSON, a `.proto` file, or JSON Schema. */
  readonly schema: string
  /** `AVRO` when absent, as in the registry. */
  readonly schemaType?: SchemaType | undefined
  readonly references?: readonly SchemaReference[] | undefined
}

/** A schema registered under a subject, at a version, with its global id. */
export interface RegisteredSchema extends Schema {
  readonly subject: string
  readonly id: number
  readonly version: number
}

/** Compatibility levels of a subject or of the registry. */
export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'

/** The answer of a compatibility check. */
export interface CompatibilityResult {
  readonly compatible: boolean
  /** Why not, when the registry says (it does with `verbose`). */
  readonly messages: readonly string[]
}
