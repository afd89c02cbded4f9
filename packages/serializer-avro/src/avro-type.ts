import avro from 'avsc'
import type { AvroValidationProblem } from './avro-validation-error.js'

/**
 * An Avro schema: an avsc Type, a schema object (typed loosely, so that plain object literals and
 * parsed `.avsc` files fit), or its JSON text (a bare type name such as `string` too).
 */
export type AvroSchemaInput = avro.Type | avro.Schema | Readonly<Record<string, unknown>> | readonly unknown[] | string

/** A constructor of a custom logical type (a subclass of avsc's `types.LogicalType`). */
export type LogicalTypeConstructor = new (schema: avro.Schema, opts?: unknown) => avro.types.LogicalType

/** How schemas are parsed: avsc's `Type.forSchema` options, and the logical types to implement. */
export interface AvroParseOptions {
  /**
   * Implementations of logical types by name, e.g. `{ 'timestamp-millis': DateType }` (avsc's
   * `logicalTypes`). A logical type without one reads and writes as its underlying type.
   */
  logicalTypes?: Readonly<Record<string, LogicalTypeConstructor>> | undefined
  /** Any other option of avsc's `Type.forSchema` (`wrapUnions`, `typeHook`, `namespace`, ...). */
  parseOptions?: Partial<avro.ForSchemaOptions> | undefined
}

export function forSchemaOptions(
  options: AvroParseOptions,
  registry?: Record<string, avro.Type>,
): Partial<avro.ForSchemaOptions> {
  const out: Partial<avro.ForSchemaOptions> = { ...options.parseOptions }
  if (options.logicalTypes !== undefined) out.logicalTypes = { ...out.logicalTypes, ...options.logicalTypes }
  if (registry !== undefined) out.registry = registry
  return out
}

/** Parses a schema given as an avsc Type, a JSON object or JSON text. */
export function toType(schema: AvroSchemaInput, options: AvroParseOptions): avro.Type {
  if (avro.Type.isType(schema)) return schema as avro.Type
  const parsed = typeof schema === 'string' ? parseJson(schema) : schema
  return avro.Type.forSchema(parsed as avro.Schema, forSchemaOptions(options))
}

function parseJson(text: string): avro.Schema {
  const trimmed = text.trim()
  // A bare type name (`string`) is a schema too.
  if (isBarePrimitive(trimmed)) return trimmed as avro.Schema
  return JSON.parse(trimmed) as avro.Schema
}

function isBarePrimitive(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(text.trim())
}

/** The schema text to register: the text given, or the Type's schema with its attributes (logicalType, ...). */
export function schemaText(schema: AvroSchemaInput, type: avro.Type): string {
  if (typeof schema === 'string') return isBarePrimitive(schema) ? JSON.stringify(schema.trim()) : schema
  if (!avro.Type.isType(schema)) return JSON.stringify(schema)
  return JSON.stringify(type.schema({ exportAttrs: true }))
}

/** Every problem with a value, with readable paths; empty when it is valid. */
export function validationProblems(type: avro.Type, value: unknown): AvroValidationProblem[] {
  const problems: AvroValidationProblem[] = []
  type.isValid(value, {
    errorHook: (path, found, expected) => {
      problems.push({ path: formatPath(type, path), expected: describeType(expected), value: found })
    },
  })
  return problems
}

/** `items[2].price` rather than avsc's `['items', '2', 'price']`. */
export function formatPath(root: avro.Type, path: readonly string[]): string {
  let type: avro.Type | undefined = root
  let out = ''
  for (const step of path) {
    const t: avro.Type | undefined = type === undefined ? undefined : underlying(type)
    if (t instanceof avro.types.ArrayType) {
      out += `[${step}]`
      type = t.itemsType
    } else if (t instanceof avro.types.MapType) {
      out += `[${JSON.stringify(step)}]`
      type = t.valuesType as avro.Type
    } else if (t instanceof avro.types.RecordType) {
      out += out === '' ? step : `.${step}`
      type = t.field(step)?.type
    } else if (t instanceof avro.types.WrappedUnionType) {
      out += `<${step}>`
      type = t.types.find((b) => b.branchName === step)
    } else {
      out += out === '' ? step : `.${step}`
      type = undefined
    }
  }
  return out
}

/** `double`, `record com.acme.Order`, `enum Color [RED, GREEN]`, `union [null, string]`, `array<double>`. */
export function describeType(type: avro.Type, depth = 0): string {
  if (type instanceof avro.types.LogicalType) {
    const name = type.typeName.replace(/^logical:/, '')
    return `${describeType(type.underlyingType, depth)} (logicalType ${name})`
  }
  if (depth > 2) return type.name ?? type.typeName
  if (type instanceof avro.types.UnwrappedUnionType || type instanceof avro.types.WrappedUnionType) {
    return `union [${type.types.map((t) => describeType(t, depth + 1)).join(', ')}]`
  }
  if (type instanceof avro.types.ArrayType) return `array<${describeType(type.itemsType, depth + 1)}>`
  if (type instanceof avro.types.MapType) return `map<${describeType(type.valuesType as avro.Type, depth + 1)}>`
  if (type instanceof avro.types.EnumType) {
    const symbols = type.symbols.length > 8 ? [...type.symbols.slice(0, 8), '...'] : type.symbols
    return `enum ${type.name} [${symbols.join(', ')}]`
  }
  if (type instanceof avro.types.FixedType) return `fixed ${type.name} (${type.size} bytes)`
  if (type.name !== undefined) return `${type.typeName} ${type.name}`
  return type.typeName
}

function underlying(type: avro.Type): avro.Type {
  return type instanceof avro.types.LogicalType ? type.underlyingType : type
}

/** `record com.acme.Order` or `schema` for unnamed types. */
export function typeLabel(type: avro.Type): string {
  return type.name === undefined ? `${type.typeName} schema` : `${type.typeName} ${type.name}`
}
