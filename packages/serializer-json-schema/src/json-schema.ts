import type { Schema, SchemaReference, SchemaRegistryClient } from '@tributary/schema-registry'
import type { Options as AjvOptions, ErrorObject, ValidateFunction } from 'ajv'
import Ajv from 'ajv'
import Ajv2019 from 'ajv/dist/2019.js'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { FromSchema, JSONSchema } from 'json-schema-to-ts'
import { JsonSchemaValidationError, type JsonSchemaValidationProblem } from './json-schema-validation-error.js'

/**
 * A JSON Schema: an object (write it `as const` for inferred types), a boolean, or its JSON text. Any
 * draft's keywords are accepted (`$defs`, `prefixItems`, ...); the inferred type understands the
 * keywords of json-schema-to-ts.
 */
export type JsonSchemaInput = Readonly<Record<string, unknown>> | boolean | string

/** A value type as a serializer accepts it: arrays and objects may be readonly (`as const` values fit). */
export type DeepReadonly<T> = T extends (infer E)[]
  ? ReadonlyArray<DeepReadonly<E>>
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T

/**
 * A registered schema this one refers to with `$ref` (by `name`, e.g. `"$ref": "address.json"`), and
 * optionally its content: given, it is used for local validation (no fetch) and, written `as const`
 * with a `$id` equal to `name`, for the inferred type.
 */
export interface JsonSchemaReference extends SchemaReference {
  readonly schema?: JsonSchemaInput | undefined
}

/**
 * The TypeScript type of the values a JSON Schema describes (json-schema-to-ts's `FromSchema`), for a
 * schema written `as const`; `unknown` for schema text or a schema typed loosely. `References` are the
 * referenced schemas `$ref` may name by `$id`.
 */
export type JsonSchemaType<S, References extends readonly unknown[] = []> = string extends S
  ? unknown
  : S extends string
    ? unknown
    : S extends JSONSchema
      ? FromSchema<S, { references: ReferencedSchemas<References> }>
      : unknown

type ReferencedSchemas<R extends readonly unknown[]> = R extends readonly [infer First, ...infer Rest]
  ? First extends { readonly schema: infer S extends Exclude<JSONSchema, boolean> }
    ? [S, ...ReferencedSchemas<Rest>]
    : ReferencedSchemas<Rest>
  : []

/** How values are validated: ajv options on top of the defaults (`strict: false`, `allErrors: true`, formats on). */
export interface JsonSchemaValidationOptions {
  /** Validate values against the schema (default true): before writing, and after reading. */
  validate?: boolean | undefined
  /** Extra ajv options, e.g. `{ coerceTypes: false, useDefaults: true }`. */
  ajvOptions?: AjvOptions | undefined
}

const DRAFT_2020_12 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/
const DRAFT_2019_09 = /^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/
const OLDER_DRAFT = /^https?:\/\/json-schema\.org\/draft-0[46]\/schema#?$/

/** Parses schema text; objects and booleans pass through. */
export function schemaObject(schema: JsonSchemaInput): JSONSchema {
  if (typeof schema !== 'string') return schema as JSONSchema
  const parsed: unknown = JSON.parse(schema)
  if (typeof parsed !== 'boolean' && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) {
    throw new TypeError('a JSON Schema is an object or a boolean')
  }
  return parsed as JSONSchema
}

/** The text registered for a schema: the text given, or the object as JSON. */
export function schemaText(schema: JsonSchemaInput): string {
  return typeof schema === 'string' ? schema : JSON.stringify(schema)
}

/** The schema's `title`: its record name for `RecordNameStrategy`, as in Confluent's serializers. */
export function schemaTitle(schema: JSONSchema): string | undefined {
  return typeof schema === 'object' && typeof schema.title === 'string' ? schema.title : undefined
}

/** `title` or `$id`, for messages. */
export function schemaLabel(schema: JSONSchema): string {
  if (typeof schema === 'boolean') return String(schema)
  return schemaTitle(schema) ?? (typeof schema.$id === 'string' ? schema.$id : 'schema')
}

/** A compiled check of values against one schema (with its references). */
/** Throws a JsonSchemaValidationError listing every problem; returns when the value fits. */
export type Validator = (value: unknown) => void

/**
 * Compiles a schema with the draft it names in `$schema`, as the registry reads it: 2020-12 and
 * 2019-09 with ajv's classes for them, draft-07 (also the default, as in the registry) with ajv's
 * default class, which also takes draft-06 and draft-04 schemas (as draft-07). Referenced schemas are added under their reference names first.
 */
export function compileValidator(
  schema: JSONSchema,
  references: ReadonlyArray<{ readonly name: string; readonly schema: JSONSchema }>,
  options: JsonSchemaValidationOptions,
): Validator {
  const ajv = ajvFor(schema, options.ajvOptions)
  for (const ref of references) {
    if (ajv.getSchema(ref.name) === undefined) ajv.addSchema(ref.schema as object, ref.name)
  }
  const validate: ValidateFunction = ajv.compile(schema as object)
  const label = schemaLabel(schema)
  return (value) => {
    if (validate(value)) return
    throw new JsonSchemaValidationError(label, (validate.errors ?? []).map(toProblem))
  }
}

function ajvFor(schema: JSONSchema, extra: AjvOptions | undefined): Ajv {
  const options: AjvOptions = { strict: false, allErrors: true, ...extra }
  const dialect = typeof schema === 'object' && typeof schema.$schema === 'string' ? schema.$schema : ''
  let ajv: Ajv
  if (DRAFT_2020_12.test(dialect)) ajv = new Ajv2020(options) as unknown as Ajv
  else if (DRAFT_2019_09.test(dialect)) ajv = new Ajv2019(options) as unknown as Ajv
  // Draft-06 (and -04) schemas validate as draft-07, their successor, without checking them against
  // their own meta-schema, which ajv does not bundle by default.
  else ajv = new Ajv(OLDER_DRAFT.test(dialect) ? { validateSchema: false, ...options } : options)
  addFormats(ajv)
  return ajv
}

function toProblem(error: ErrorObject): JsonSchemaValidationProblem {
  return {
    path: error.instancePath,
    message: error.message ?? error.keyword,
    keyword: error.keyword,
    schemaPath: error.schemaPath,
  }
}

/** Fetches the schemas a registered schema references (by subject and version), dependencies first. */
export async function fetchReferences(
  registry: SchemaRegistryClient,
  schema: Schema,
): Promise<Array<{ name: string; schema: JSONSchema }>> {
  const out: Array<{ name: string; schema: JSONSchema }> = []
  const seen = new Set<string>()
  const visit = async (s: Schema): Promise<void> => {
    for (const ref of s.references ?? []) {
      const key = `${ref.subject}\0${ref.version}`
      if (seen.has(key)) continue
      seen.add(key)
      const referenced = await registry.getVersion(ref.subject, ref.version)
      await visit(referenced)
      out.push({ name: ref.name, schema: schemaObject(referenced.schema) })
    }
  }
  await visit(schema)
  return out
}
