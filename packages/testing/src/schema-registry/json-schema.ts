import { parseJsonTree, sortedJsonTree, writeJsonTree } from './json-tree.js'

/*
 * JSON Schema as the Confluent Schema Registry identifies and compares it (`JsonSchema` and the
 * `json.diff` package of the registry's json-schema-provider). The registry loads a schema into Everit's
 * model (a string, number, object, array, enum, const, combined, not or reference schema, a schema with
 * several of those being a synthetic `allOf`) and walks two models side by side, collecting typed
 * differences; a change is compatible when every difference is in the STRICT policy's set (the
 * default). This is a port of that walk over the raw JSON, covering what schemas commonly use:
 * types (a list of types is an `anyOf`), properties and `required`, open, partially open and closed
 * content models (`additionalProperties`, `patternProperties`, `unevaluatedProperties`), `items` and
 * tuples, enums and `const`, string and number bounds, `allOf`/`anyOf`/`oneOf`/`not`, and `$ref`
 * to `#/definitions`, `#/$defs` and to referenced schemas (by reference name or `$id`). Left out:
 * `dependencies`, `contains`, `if`/`then`/`else`, and `connect.*` properties other than the bytes rule.
 */

/** A JSON Schema and the schemas it references, by reference name. */
export interface JsonSchemaDocument {
  readonly root: unknown
  readonly references: ReadonlyMap<string, unknown>
}

/** The registry's canonical string of a JSON Schema: Jackson's compact form (key order kept, `1.0` stays `1.0`). */
export function jsonSchemaCanonicalString(text: string, normalize: boolean): string {
  const tree = parseJsonTree(text)
  if (tree.t !== 'object' && tree.t !== 'boolean') {
    throw new Error(
      `expected an object or boolean at the root, found ${tree.t === 'int' || tree.t === 'double' ? 'number' : tree.t}`,
    )
  }
  return writeJsonTree(normalize ? sortedJsonTree(tree) : tree)
}

/** Parses a JSON Schema for comparisons; throws on invalid JSON or a root that is not an object or boolean. */
export function parseJsonSchema(text: string, references: ReadonlyMap<string, string>): JsonSchemaDocument {
  jsonSchemaCanonicalString(text, false)
  const refs = new Map<string, unknown>()
  for (const [name, refText] of references) refs.set(name, JSON.parse(refText))
  return { root: JSON.parse(text), references: refs }
}

// --- the model ---

type Criterion = 'allOf' | 'anyOf' | 'oneOf'

interface Common {
  readonly raw: unknown
  readonly id: unknown
  readonly title: unknown
  readonly description: unknown
  readonly defaultValue: unknown
  readonly hasDefault: boolean
  readonly connectType: unknown
}

type Model = Common &
  (
    | { readonly k: 'empty' }
    | { readonly k: 'false' }
    | { readonly k: 'boolean' }
    | { readonly k: 'null' }
    | {
        readonly k: 'string'
        readonly minLength: number | undefined
        readonly maxLength: number | undefined
        readonly pattern: string | undefined
      }
    | {
        readonly k: 'number'
        readonly integer: boolean
        readonly minimum: number | undefined
        readonly maximum: number | undefined
        readonly exclusiveMinimum: number | undefined
        readonly exclusiveMaximum: number | undefined
        readonly multipleOf: number | undefined
      }
    | {
        readonly k: 'object'
        readonly properties: ReadonlyMap<string, Ref>
        readonly required: ReadonlySet<string>
        readonly additional: boolean
        readonly additionalSchema: Ref | undefined
        readonly patternProperties: ReadonlyArray<readonly [RegExp, Ref]>
        readonly unevaluated: Ref | undefined
        readonly minProperties: number | undefined
        readonly maxProperties: number | undefined
      }
    | {
        readonly k: 'array'
        readonly allItems: Ref | undefined
        readonly itemSchemas: readonly Ref[] | undefined
        readonly additionalItems: boolean
        readonly additionalItemsSchema: Ref | undefined
        readonly unevaluated: Ref | undefined
        readonly minItems: number | undefined
        readonly maxItems: number | undefined
        readonly uniqueItems: boolean
        readonly minContains: number | undefined
        readonly maxContains: number | undefined
      }
    | { readonly k: 'enum'; readonly values: readonly unknown[] }
    | { readonly k: 'const'; readonly value: unknown }
    | { readonly k: 'combined'; readonly criterion: Criterion; readonly subschemas: readonly Ref[] }
    | { readonly k: 'not'; readonly schema: Ref }
    | { readonly k: 'ref'; readonly target: () => Model }
  )

/** A schema position: its model, built on first use (so recursive `$ref`s terminate). */
type Ref = () => Model

const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format']
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']
const OBJECT_KEYWORDS = [
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'minProperties',
  'maxProperties',
  'dependencies',
  'propertyNames',
  'unevaluatedProperties',
]
const ARRAY_KEYWORDS = ['items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'contains']

class Loader {
  private readonly cache = new Map<unknown, Model>()

  constructor(private readonly doc: JsonSchemaDocument) {}

  ref(raw: unknown, base: unknown): Ref {
    let model: Model | undefined
    return () => {
      model ??= this.load(raw, base)
      return model
    }
  }

  /** `base`: the document the schema sits in (for `#/...` pointers). */
  load(raw: unknown, base: unknown): Model {
    const cached = this.cache.get(raw)
    if (cached !== undefined && typeof raw === 'object' && raw !== null) return cached
    const model = this.build(raw, base)
    if (typeof raw === 'object' && raw !== null) this.cache.set(raw, model)
    return model
  }

  private build(raw: unknown, base: unknown): Model {
    if (raw === true || raw === undefined) return { ...common(raw), k: 'empty' }
    if (raw === false) return { ...common(raw), k: 'false' }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ...common(raw), k: 'empty' }
    const o = raw as Record<string, unknown>
    const parts: Model[] = []
    if (typeof o.$ref === 'string') {
      const target = this.resolve(o.$ref, base)
      parts.push({ ...common(raw), k: 'ref', target: () => this.load(target.schema, target.base) })
    }
    const typed = this.typed(o, base)
    if (typed !== undefined) parts.push(typed)
    if (Array.isArray(o.enum)) parts.push({ ...common(raw), k: 'enum', values: o.enum })
    if ('const' in o) parts.push({ ...common(raw), k: 'const', value: o.const })
    if (o.not !== undefined) parts.push({ ...common(raw), k: 'not', schema: this.ref(o.not, base) })
    const combined = (['allOf', 'anyOf', 'oneOf'] as const).filter((c) => Array.isArray(o[c]))
    for (const c of combined) {
      parts.push({
        ...common(raw),
        k: 'combined',
        criterion: c,
        subschemas: (o[c] as unknown[]).map((s) => this.ref(s, base)),
      })
    }
    if (parts.length === 0) return { ...common(raw), k: 'empty' }
    if (parts.length === 1) return parts[0] as Model
    return {
      ...common(raw),
      k: 'combined',
      criterion: 'allOf',
      subschemas: parts.map((p) => () => ({ ...p, ...common(undefined), raw: p.raw })),
    }
  }

  /** The schema a `type` (or, without one, the keywords) implies; a list of types is an `anyOf`. */
  private typed(o: Record<string, unknown>, base: unknown): Model | undefined {
    const type = o.type
    if (typeof type === 'string') return this.ofType(type, o, base, true)
    if (Array.isArray(type)) {
      return {
        ...common(o),
        k: 'combined',
        criterion: 'anyOf',
        subschemas: type.map((t) => () => ({ ...this.ofType(String(t), o, base, true), ...common(undefined) })),
      }
    }
    const has = (keywords: readonly string[]): boolean => keywords.some((k) => k in o)
    const implied: Model[] = []
    if (has(STRING_KEYWORDS)) implied.push(this.ofType('string', o, base, false))
    if (has(NUMBER_KEYWORDS)) implied.push(this.ofType('number', o, base, false))
    if (has(OBJECT_KEYWORDS)) implied.push(this.ofType('object', o, base, false))
    if (has(ARRAY_KEYWORDS)) implied.push(this.ofType('array', o, base, false))
    if (implied.length === 0) return undefined
    if (implied.length === 1) return implied[0]
    return { ...common(o), k: 'combined', criterion: 'allOf', subschemas: implied.map((m) => () => m) }
  }

  private ofType(type: string, o: Record<string, unknown>, base: unknown, _explicit: boolean): Model {
    const c = common(o)
    switch (type) {
      case 'string':
        return {
          ...c,
          k: 'string',
          minLength: num(o.minLength),
          maxLength: num(o.maxLength),
          pattern: typeof o.pattern === 'string' ? o.pattern : undefined,
        }
      case 'integer':
      case 'number':
        return {
          ...c,
          k: 'number',
          integer: type === 'integer',
          minimum: num(o.minimum),
          maximum: num(o.maximum),
          exclusiveMinimum: num(o.exclusiveMinimum),
          exclusiveMaximum: num(o.exclusiveMaximum),
          multipleOf: num(o.multipleOf),
        }
      case 'boolean':
        return { ...c, k: 'boolean' }
      case 'null':
        return { ...c, k: 'null' }
      case 'object': {
        const properties = new Map<string, Ref>()
        if (isObject(o.properties)) {
          for (const [name, s] of Object.entries(o.properties)) properties.set(name, this.ref(s, base))
        }
        const patterns: Array<readonly [RegExp, Ref]> = []
        if (isObject(o.patternProperties)) {
          for (const [p, s] of Object.entries(o.patternProperties))
            patterns.push([new RegExp(p, 'u'), this.ref(s, base)])
        }
        const ap = o.additionalProperties
        return {
          ...c,
          k: 'object',
          properties,
          required: new Set(Array.isArray(o.required) ? o.required.map(String) : []),
          additional: ap !== false,
          additionalSchema: isObject(ap) ? this.ref(ap, base) : undefined,
          patternProperties: patterns,
          unevaluated: o.unevaluatedProperties === undefined ? undefined : this.ref(o.unevaluatedProperties, base),
          minProperties: num(o.minProperties),
          maxProperties: num(o.maxProperties),
        }
      }
      case 'array': {
        // Draft 2020-12 tuples are `prefixItems` (then `items` for the rest); earlier drafts, an `items` array.
        const tuple = Array.isArray(o.prefixItems) ? o.prefixItems : Array.isArray(o.items) ? o.items : undefined
        const rest = Array.isArray(o.prefixItems) ? o.items : o.additionalItems
        const all = tuple === undefined && o.items !== undefined ? this.ref(o.items, base) : undefined
        return {
          ...c,
          k: 'array',
          allItems: all,
          itemSchemas: tuple?.map((s) => this.ref(s, base)),
          additionalItems: rest !== false,
          additionalItemsSchema: isObject(rest) ? this.ref(rest, base) : undefined,
          unevaluated: o.unevaluatedItems === undefined ? undefined : this.ref(o.unevaluatedItems, base),
          minItems: num(o.minItems),
          maxItems: num(o.maxItems),
          uniqueItems: o.uniqueItems === true,
          minContains: num(o.minContains),
          maxContains: num(o.maxContains),
        }
      }
      default:
        throw new Error(`unknown type '${type}'`)
    }
  }

  /** A `$ref` target: a pointer into this document, or a referenced schema by name or `$id` (with a pointer). */
  private resolve(ref: string, base: unknown): { schema: unknown; base: unknown } {
    const hash = ref.indexOf('#')
    const uri = hash < 0 ? ref : ref.slice(0, hash)
    const pointer = hash < 0 ? '' : ref.slice(hash + 1)
    let document = base
    if (uri !== '' && !sameId(base, uri)) {
      document = this.doc.references.get(uri)
      if (document === undefined) {
        for (const r of [this.doc.root, ...this.doc.references.values()]) if (sameId(r, uri)) document = r
      }
      if (document === undefined) throw new Error(`$ref '${ref}' names no schema among the references`)
    }
    let target = document
    for (const step of pointer.split('/').slice(1)) {
      const key = step.replace(/~1/g, '/').replace(/~0/g, '~')
      target = isObject(target) || Array.isArray(target) ? (target as Record<string, unknown>)[key] : undefined
      if (target === undefined) throw new Error(`$ref '${ref}' points at nothing`)
    }
    return { schema: target, base: document }
  }
}

function sameId(schema: unknown, uri: string): boolean {
  return isObject(schema) && typeof schema.$id === 'string' && schema.$id.replace(/#$/, '') === uri
}

function common(raw: unknown): Common {
  const o = isObject(raw) ? raw : {}
  return {
    raw,
    id: o.$id ?? o.id,
    title: o.title,
    description: o.description,
    defaultValue: o.default,
    hasDefault: 'default' in o,
    connectType: o['connect.type'],
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined
}

// --- the diff ---

/** Differences the STRICT compatibility policy (the registry's default) accepts. */
const COMPATIBLE = new Set([
  'ID_CHANGED',
  'DESCRIPTION_CHANGED',
  'TITLE_CHANGED',
  'DEFAULT_CHANGED',
  'SCHEMA_REMOVED',
  'TYPE_EXTENDED',
  'MAX_LENGTH_INCREASED',
  'MAX_LENGTH_REMOVED',
  'MIN_LENGTH_DECREASED',
  'MIN_LENGTH_REMOVED',
  'PATTERN_REMOVED',
  'MAXIMUM_INCREASED',
  'MAXIMUM_REMOVED',
  'MINIMUM_DECREASED',
  'MINIMUM_REMOVED',
  'EXCLUSIVE_MAXIMUM_INCREASED',
  'EXCLUSIVE_MAXIMUM_REMOVED',
  'EXCLUSIVE_MINIMUM_DECREASED',
  'EXCLUSIVE_MINIMUM_REMOVED',
  'MULTIPLE_OF_REDUCED',
  'MULTIPLE_OF_REMOVED',
  'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED',
  'REQUIRED_ATTRIBUTE_REMOVED',
  'DEPENDENCY_ARRAY_NARROWED',
  'DEPENDENCY_ARRAY_REMOVED',
  'DEPENDENCY_SCHEMA_REMOVED',
  'MAX_PROPERTIES_INCREASED',
  'MAX_PROPERTIES_REMOVED',
  'MIN_PROPERTIES_DECREASED',
  'MIN_PROPERTIES_REMOVED',
  'ADDITIONAL_PROPERTIES_ADDED',
  'ADDITIONAL_PROPERTIES_EXTENDED',
  'UNEVALUATED_PROPERTIES_ADDED',
  'UNEVALUATED_PROPERTIES_EXTENDED',
  'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'MAX_ITEMS_INCREASED',
  'MAX_ITEMS_REMOVED',
  'MIN_ITEMS_DECREASED',
  'MIN_ITEMS_REMOVED',
  'MAX_CONTAINS_INCREASED',
  'MAX_CONTAINS_REMOVED',
  'MIN_CONTAINS_DECREASED',
  'MIN_CONTAINS_REMOVED',
  'UNIQUE_ITEMS_REMOVED',
  'ADDITIONAL_ITEMS_ADDED',
  'ADDITIONAL_ITEMS_EXTENDED',
  'UNEVALUATED_ITEMS_ADDED',
  'UNEVALUATED_ITEMS_EXTENDED',
  'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL',
  'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ENUM_ARRAY_EXTENDED',
  'COMBINED_TYPE_EXTENDED',
  'PRODUCT_TYPE_NARROWED',
  'SUM_TYPE_EXTENDED',
  'NOT_TYPE_NARROWED',
])

/** One difference between two schemas: its type (the registry's `Difference.Type`) and JSON path. */
export interface JsonSchemaDifference {
  readonly type: string
  readonly path: string
}

class Context {
  readonly diffs: JsonSchemaDifference[] = []
  private readonly path: string[]

  constructor(
    path: readonly string[],
    private readonly stack: Set<string>,
    private readonly ids: Map<Model, number>,
  ) {
    this.path = [...path]
  }

  sub(): Context {
    return new Context(this.path, this.stack, this.ids)
  }

  add(type: string, attribute?: string): void {
    const steps = attribute === undefined ? this.path : [...this.path, attribute]
    this.diffs.push({ type, path: `#/${steps.join('/')}` })
  }

  addAll(diffs: readonly JsonSchemaDifference[]): void {
    this.diffs.push(...diffs)
  }

  in<T>(step: string, run: () => T): T {
    this.path.push(step)
    try {
      return run()
    } finally {
      this.path.pop()
    }
  }

  get compatible(): boolean {
    return this.diffs.every((d) => COMPATIBLE.has(d.type))
  }

  /** A pair already being compared further up (a recursive `$ref`) counts as compatible. */
  guard(original: Model, update: Model, run: () => void): void {
    const key = `${this.idOf(original)}:${this.idOf(update)}`
    if (this.stack.has(key)) return
    this.stack.add(key)
    try {
      run()
    } finally {
      this.stack.delete(key)
    }
  }

  private idOf(model: Model): number {
    let id = this.ids.get(model)
    if (id === undefined) {
      id = this.ids.size
      this.ids.set(model, id)
    }
    return id
  }
}

/** Every difference from `original` to `update` (the registry's `SchemaDiff.compare`). */
export function jsonSchemaDifferences(
  original: JsonSchemaDocument,
  update: JsonSchemaDocument,
): JsonSchemaDifference[] {
  const ctx = new Context([], new Set(), new Map())
  compare(
    ctx,
    new Loader(original).load(original.root, original.root),
    new Loader(update).load(update.root, update.root),
  )
  return ctx.diffs
}

/**
 * Why data written with `writer` may not be read with `reader` (empty when it may), in the registry's
 * words: `reader.isBackwardCompatible(writer)`, each incompatible difference as the registry prints it.
 */
export function jsonSchemaIncompatibilities(
  reader: JsonSchemaDocument,
  writer: JsonSchemaDocument,
  readerLabel: string,
  writerLabel: string,
): string[] {
  return jsonSchemaDifferences(writer, reader)
    .filter((d) => !COMPATIBLE.has(d.type))
    .map((d) => `{errorType:"${d.type}", description:"${describe(d, readerLabel, writerLabel)}'}`)
}

function compare(ctx: Context, originalIn: Model | undefined, updateIn: Model | undefined): void {
  if (originalIn === undefined && updateIn === undefined) return
  if (originalIn === undefined) {
    ctx.add('SCHEMA_ADDED')
    return
  }
  if (updateIn === undefined) {
    ctx.add('SCHEMA_REMOVED')
    return
  }
  const original = deref(originalIn)
  const update = deref(updateIn)
  ctx.guard(original, update, () => compareTypes(ctx, original, update))
}

function deref(model: Model): Model {
  let m = model
  for (let i = 0; m.k === 'ref' && i < 100; i++) m = m.target()
  return m
}

function compareTypes(ctx: Context, original: Model, update: Model): void {
  if (original.k !== 'combined' && update.k === 'combined') {
    if (update.subschemas.length === 1) {
      const sub = ctx.sub()
      compare(sub, original, (update.subschemas[0] as Ref)())
      if (sub.compatible) {
        ctx.addAll(sub.diffs)
        return
      }
    } else if (update.criterion === 'anyOf' || update.criterion === 'oneOf') {
      for (const s of update.subschemas) {
        const sub = ctx.sub()
        compare(sub, original, s())
        if (sub.compatible) {
          ctx.addAll(sub.diffs)
          ctx.add('SUM_TYPE_EXTENDED')
          return
        }
      }
    }
  } else if (original.k === 'combined' && update.k !== 'combined') {
    if (original.subschemas.length === 1) {
      const sub = ctx.sub()
      compare(sub, (original.subschemas[0] as Ref)(), update)
      if (sub.compatible) {
        ctx.addAll(sub.diffs)
        return
      }
    } else if (original.criterion === 'allOf') {
      for (const s of original.subschemas) {
        const sub = ctx.sub()
        compare(sub, s(), update)
        if (sub.compatible) {
          ctx.addAll(sub.diffs)
          ctx.add('PRODUCT_TYPE_NARROWED')
          return
        }
      }
    }
  }

  if (original.k !== update.k) {
    if (original.k === 'false' || update.k === 'empty') return
    if (original.connectType === 'bytes' && update.connectType === 'bytes') return
    ctx.add('TYPE_CHANGED')
    return
  }

  if (!same(original.id, update.id)) ctx.add('ID_CHANGED')
  if (!same(original.title, update.title)) ctx.add('TITLE_CHANGED')
  if (!same(original.description, update.description)) ctx.add('DESCRIPTION_CHANGED')
  if (!same(original.defaultValue, update.defaultValue)) ctx.add('DEFAULT_CHANGED')

  switch (original.k) {
    case 'string':
      compareString(ctx, original, update as typeof original)
      return
    case 'number':
      compareNumber(ctx, original, update as typeof original)
      return
    case 'const':
      if (!same(original.value, (update as typeof original).value)) ctx.add('ENUM_ARRAY_CHANGED', 'const')
      return
    case 'enum':
      compareEnum(ctx, original.values, (update as typeof original).values)
      return
    case 'combined':
      compareCombined(ctx, original, update as typeof original)
      return
    case 'not':
      ctx.in('not', () => {
        const sub = ctx.sub()
        compare(sub, (update as typeof original).schema(), original.schema())
        ctx.add(sub.compatible ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED')
      })
      return
    case 'object':
      compareObject(ctx, original, update as typeof original)
      return
    case 'array':
      compareArray(ctx, original, update as typeof original)
      return
    default:
  }
}

function bound(
  ctx: Context,
  name: string,
  original: number | undefined,
  update: number | undefined,
  types: readonly [added: string, removed: string, increased: string, decreased: string],
): void {
  if (original === update) return
  if (original === undefined) ctx.add(types[0], name)
  else if (update === undefined) ctx.add(types[1], name)
  else if (original < update) ctx.add(types[2], name)
  else if (original > update) ctx.add(types[3], name)
}

const kinds = (prefix: string) =>
  [`${prefix}_ADDED`, `${prefix}_REMOVED`, `${prefix}_INCREASED`, `${prefix}_DECREASED`] as const

function compareString(
  ctx: Context,
  original: Extract<Model, { k: 'string' }>,
  update: Extract<Model, { k: 'string' }>,
): void {
  bound(ctx, 'maxLength', original.maxLength, update.maxLength, kinds('MAX_LENGTH'))
  bound(ctx, 'minLength', original.minLength, update.minLength, kinds('MIN_LENGTH'))
  if (original.pattern === undefined && update.pattern !== undefined) ctx.add('PATTERN_ADDED', 'pattern')
  else if (original.pattern !== undefined && update.pattern === undefined) ctx.add('PATTERN_REMOVED', 'pattern')
  else if (original.pattern !== update.pattern) ctx.add('PATTERN_CHANGED', 'pattern')
}

function compareNumber(
  ctx: Context,
  original: Extract<Model, { k: 'number' }>,
  update: Extract<Model, { k: 'number' }>,
): void {
  bound(ctx, 'maximum', original.maximum, update.maximum, kinds('MAXIMUM'))
  bound(ctx, 'minimum', original.minimum, update.minimum, kinds('MINIMUM'))
  bound(ctx, 'exclusiveMaximum', original.exclusiveMaximum, update.exclusiveMaximum, kinds('EXCLUSIVE_MAXIMUM'))
  bound(ctx, 'exclusiveMinimum', original.exclusiveMinimum, update.exclusiveMinimum, kinds('EXCLUSIVE_MINIMUM'))
  const a = original.multipleOf
  const b = update.multipleOf
  if (a !== b) {
    if (a === undefined) ctx.add('MULTIPLE_OF_ADDED', 'multipleOf')
    else if (b === undefined) ctx.add('MULTIPLE_OF_REMOVED', 'multipleOf')
    else if (a !== 0 && isMultiple(b, a)) ctx.add('MULTIPLE_OF_EXPANDED', 'multipleOf')
    else if (b !== 0 && isMultiple(a, b)) ctx.add('MULTIPLE_OF_REDUCED', 'multipleOf')
    else ctx.add('MULTIPLE_OF_CHANGED', 'multipleOf')
  }
  if (original.integer !== update.integer) ctx.add(original.integer ? 'TYPE_EXTENDED' : 'TYPE_NARROWED')
}

/** Whether `a` is a multiple of `b`, in decimal arithmetic as Java's BigDecimal (0.3 is a multiple of 0.1). */
function isMultiple(a: number, b: number): boolean {
  const scale = Math.max(decimals(a), decimals(b))
  const f = 10 ** scale
  return Math.round(a * f) % Math.round(b * f) === 0
}

function decimals(n: number): number {
  const s = String(n)
  if (s.includes('e-')) return Number(s.split('e-')[1]) + (s.split('e')[0]?.split('.')[1]?.length ?? 0)
  return s.split('.')[1]?.length ?? 0
}

function compareEnum(ctx: Context, original: readonly unknown[], update: readonly unknown[]): void {
  const a = new Set(original.map(key))
  const b = new Set(update.map(key))
  if (a.size === b.size && [...a].every((v) => b.has(v))) return
  if ([...a].every((v) => b.has(v))) ctx.add('ENUM_ARRAY_EXTENDED', 'enum')
  else if ([...b].every((v) => a.has(v))) ctx.add('ENUM_ARRAY_NARROWED', 'enum')
  else ctx.add('ENUM_ARRAY_CHANGED', 'enum')
}

function compareCombined(
  ctx: Context,
  original: Extract<Model, { k: 'combined' }>,
  update: Extract<Model, { k: 'combined' }>,
): void {
  const a = original.criterion
  const b = update.criterion
  if (a !== b) {
    const single = (m: typeof original): boolean => m.subschemas.length === 1
    const extended =
      b === 'anyOf' ||
      (single(original) && single(update)) ||
      (single(original) && b === 'oneOf') ||
      (single(update) && a === 'allOf')
    ctx.add(extended ? 'COMBINED_TYPE_EXTENDED' : 'COMBINED_TYPE_CHANGED')
    if (!extended) return
  }
  const originals = distinct(original.subschemas)
  const updates = distinct(update.subschemas)
  if (originals.length < updates.length) ctx.add(b === 'allOf' ? 'PRODUCT_TYPE_EXTENDED' : 'SUM_TYPE_EXTENDED')
  else if (originals.length > updates.length) ctx.add(a === 'allOf' ? 'PRODUCT_TYPE_NARROWED' : 'SUM_TYPE_NARROWED')

  const edges: Array<Array<JsonSchemaDifference[] | undefined>> = originals.map((o, i) =>
    ctx.in(`${a}/${i}`, () =>
      updates.map((u) => {
        const sub = ctx.sub()
        compare(sub, o, u)
        return sub.compatible ? sub.diffs : undefined
      }),
    ),
  )
  const matching = maximumMatching(edges)
  for (const [i, j] of matching) ctx.addAll(edges[i]?.[j] ?? [])
  if (matching.length < Math.min(originals.length, updates.length)) ctx.add('COMBINED_TYPE_SUBSCHEMAS_CHANGED')
}

/** The subschemas with duplicates (the same JSON) collapsed, as the registry's sets of schemas do. */
function distinct(subschemas: readonly Ref[]): Model[] {
  const seen = new Set<string>()
  const out: Model[] = []
  for (const s of subschemas) {
    const model = s()
    const k = key(model.raw)
    if (model.raw !== undefined && seen.has(k)) continue
    seen.add(k)
    out.push(model)
  }
  return out
}

/** A maximum bipartite matching (augmenting paths) over the compatible original/update pairs. */
function maximumMatching(edges: ReadonlyArray<ReadonlyArray<unknown>>): Array<[number, number]> {
  const matchOfUpdate = new Map<number, number>()
  const tryAssign = (i: number, seen: Set<number>): boolean => {
    const row = edges[i] ?? []
    for (let j = 0; j < row.length; j++) {
      if (row[j] === undefined || seen.has(j)) continue
      seen.add(j)
      const current = matchOfUpdate.get(j)
      if (current === undefined || tryAssign(current, seen)) {
        matchOfUpdate.set(j, i)
        return true
      }
    }
    return false
  }
  for (let i = 0; i < edges.length; i++) tryAssign(i, new Set())
  return [...matchOfUpdate].map(([j, i]) => [i, j])
}

function isOpenObject(m: Extract<Model, { k: 'object' }>): boolean {
  if (!m.additional || m.additionalSchema !== undefined || m.patternProperties.length > 0) return false
  const u = m.unevaluated?.()
  return u === undefined || u.k === 'empty'
}

function partialObjectSchema(m: Extract<Model, { k: 'object' }>, property: string): Model | undefined {
  for (const [pattern, schema] of m.patternProperties) if (pattern.test(property)) return schema()
  if (m.additionalSchema !== undefined) return m.additionalSchema()
  if (m.additional && m.additionalSchema === undefined) {
    const u = m.unevaluated?.()
    if (u !== undefined && u.k !== 'false' && u.k !== 'empty') return u
  }
  return undefined
}

function compareObject(
  ctx: Context,
  original: Extract<Model, { k: 'object' }>,
  update: Extract<Model, { k: 'object' }>,
): void {
  ctx.in('required', () => {
    for (const name of original.properties.keys()) {
      const u = update.properties.get(name)
      if (u === undefined) continue
      ctx.in(name, () => {
        const was = original.required.has(name)
        const is = update.required.has(name)
        if (was && !is) ctx.add('REQUIRED_ATTRIBUTE_REMOVED')
        else if (!was && is)
          ctx.add(u().hasDefault ? 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' : 'REQUIRED_ATTRIBUTE_ADDED')
      })
    }
  })
  ctx.in('properties', () => {
    const names = new Set([...original.properties.keys(), ...update.properties.keys()])
    for (const name of names) {
      ctx.in(name, () => {
        const o = original.properties.get(name)
        const u = update.properties.get(name)
        if (u === undefined) {
          if (isOpenObject(update)) {
            ctx.add('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL')
            return
          }
          const partial = partialObjectSchema(update, name)
          if (partial !== undefined) {
            const sub = ctx.sub()
            compare(sub, (o as Ref)(), partial)
            ctx.addAll(sub.diffs)
            ctx.add(
              sub.compatible
                ? 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
                : 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
            )
            return
          }
          ctx.add(
            (o as Ref)().k === 'false'
              ? 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL'
              : 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
          )
          return
        }
        if (o === undefined) {
          const added = u()
          if (isOpenObject(original)) {
            if (added.k === 'empty') {
              ctx.add('PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL')
              return
            }
            if (update.required.has(name)) {
              ctx.add(
                added.hasDefault
                  ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL'
                  : 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
              )
              return
            }
            ctx.add('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL')
            return
          }
          const partial = partialObjectSchema(original, name)
          if (partial !== undefined) {
            const sub = ctx.sub()
            compare(sub, partial, added)
            ctx.addAll(sub.diffs)
            ctx.add(
              sub.compatible
                ? 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
                : 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
            )
          }
          if (update.required.has(name)) {
            ctx.add(
              added.hasDefault
                ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL'
                : 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
            )
            return
          }
          ctx.add('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL')
          return
        }
        compare(ctx, o(), u())
      })
    }
  })
  ctx.in('additionalProperties', () => {
    if (original.additional !== update.additional) {
      ctx.add(update.additional ? 'ADDITIONAL_PROPERTIES_ADDED' : 'ADDITIONAL_PROPERTIES_REMOVED')
    } else if (original.additionalSchema === undefined && update.additionalSchema !== undefined) {
      ctx.add('ADDITIONAL_PROPERTIES_NARROWED')
    } else if (update.additionalSchema === undefined && original.additionalSchema !== undefined) {
      ctx.add('ADDITIONAL_PROPERTIES_EXTENDED')
    } else {
      compare(ctx, original.additionalSchema?.(), update.additionalSchema?.())
    }
  })
  compareUnevaluated(ctx, 'unevaluatedProperties', 'UNEVALUATED_PROPERTIES', original.unevaluated, update.unevaluated)
  bound(ctx, 'maxProperties', original.maxProperties, update.maxProperties, kinds('MAX_PROPERTIES'))
  bound(ctx, 'minProperties', original.minProperties, update.minProperties, kinds('MIN_PROPERTIES'))
}

function compareUnevaluated(
  ctx: Context,
  keyword: string,
  prefix: string,
  originalRef: Ref | undefined,
  updateRef: Ref | undefined,
): void {
  const o = originalRef?.()
  const u = updateRef?.()
  if (o === undefined && u === undefined) return
  ctx.in(keyword, () => {
    if (o === undefined) ctx.add(u?.k === 'false' ? `${prefix}_REMOVED` : `${prefix}_NARROWED`)
    else if (u === undefined) ctx.add(o.k === 'false' ? `${prefix}_ADDED` : `${prefix}_EXTENDED`)
    else if (o.k === 'false' && u.k !== 'false') ctx.add(`${prefix}_ADDED`)
    else if (o.k !== 'false' && u.k === 'false') ctx.add(`${prefix}_REMOVED`)
    else if (o.k === 'empty' && u.k !== 'empty') ctx.add(`${prefix}_NARROWED`)
    else if (o.k !== 'empty' && u.k === 'empty') ctx.add(`${prefix}_EXTENDED`)
    else compare(ctx, o, u)
  })
}

function isOpenArray(m: Extract<Model, { k: 'array' }>): boolean {
  if (!m.additionalItems || m.additionalItemsSchema !== undefined) return false
  const u = m.unevaluated?.()
  return u === undefined || u.k === 'empty'
}

function partialArraySchema(m: Extract<Model, { k: 'array' }>): Model | undefined {
  if (m.additionalItemsSchema !== undefined) return m.additionalItemsSchema()
  if (m.additionalItems) {
    const u = m.unevaluated?.()
    if (u !== undefined && u.k !== 'false' && u.k !== 'empty') return u
  }
  return undefined
}

function compareArray(
  ctx: Context,
  original: Extract<Model, { k: 'array' }>,
  update: Extract<Model, { k: 'array' }>,
): void {
  ctx.in('items', () => compare(ctx, original.allItems?.(), update.allItems?.()))
  const a = original.itemSchemas ?? []
  const b = update.itemSchemas ?? []
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    ctx.in(`items/${i}`, () => {
      const o = a[i]
      const u = b[i]
      if (o !== undefined && u !== undefined) {
        compare(ctx, o(), u())
        return
      }
      if (o !== undefined) {
        if (isOpenArray(update)) {
          ctx.add('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL')
          return
        }
        const partial = partialArraySchema(update)
        if (partial !== undefined) {
          const sub = ctx.sub()
          compare(sub, o(), partial)
          ctx.addAll(sub.diffs)
          ctx.add(
            sub.compatible
              ? 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
              : 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
          )
          return
        }
        ctx.add(
          o().k === 'false'
            ? 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL'
            : 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL',
        )
        return
      }
      const added = (u as Ref)()
      if (isOpenArray(original)) {
        ctx.add(
          added.k === 'empty'
            ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL'
            : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
        )
        return
      }
      const partial = partialArraySchema(original)
      if (partial === undefined) {
        ctx.add('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL')
        return
      }
      const sub = ctx.sub()
      compare(sub, partial, added)
      ctx.addAll(sub.diffs)
      ctx.add(
        sub.compatible
          ? 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
          : 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      )
    })
  }
  ctx.in('additionalItems', () => {
    if (original.additionalItems !== update.additionalItems) {
      ctx.add(original.additionalItems ? 'ADDITIONAL_ITEMS_REMOVED' : 'ADDITIONAL_ITEMS_ADDED')
    } else if (original.additionalItemsSchema === undefined && update.additionalItemsSchema !== undefined) {
      ctx.add('ADDITIONAL_ITEMS_NARROWED')
    } else if (update.additionalItemsSchema === undefined && original.additionalItemsSchema !== undefined) {
      ctx.add('ADDITIONAL_ITEMS_EXTENDED')
    } else {
      compare(ctx, original.additionalItemsSchema?.(), update.additionalItemsSchema?.())
    }
  })
  compareUnevaluated(ctx, 'unevaluatedItems', 'UNEVALUATED_ITEMS', original.unevaluated, update.unevaluated)
  bound(ctx, 'maxItems', original.maxItems, update.maxItems, kinds('MAX_ITEMS'))
  bound(ctx, 'minItems', original.minItems, update.minItems, kinds('MIN_ITEMS'))
  bound(ctx, 'maxContains', original.maxContains, update.maxContains, kinds('MAX_CONTAINS'))
  bound(ctx, 'minContains', original.minContains, update.minContains, kinds('MIN_CONTAINS'))
  if (original.uniqueItems !== update.uniqueItems) {
    ctx.add(original.uniqueItems ? 'UNIQUE_ITEMS_REMOVED' : 'UNIQUE_ITEMS_ADDED', 'uniqueItems')
  }
}

function same(a: unknown, b: unknown): boolean {
  return key(a) === key(b)
}

/** A comparison key for JSON values: object keys sorted, so `{a,b}` and `{b,a}` are the same. */
function key(value: unknown): string {
  if (value === undefined) return 'undefined'
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (isObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    )
  }
  return value
}

/** The registry's description of a difference (`Difference.error()`), with `%s` as `reader` and `writer`. */
function describe(d: JsonSchemaDifference, reader: string, writer: string): string {
  const template = MESSAGES.find(([types]) => types.includes(d.type))?.[1] ?? ''
  return template.replace('{path}', d.path).replace('%s', reader).replace('%s', writer)
}

const MESSAGES: ReadonlyArray<readonly [readonly string[], string]> = [
  [
    [
      'MAXIMUM_ADDED',
      'MINIMUM_ADDED',
      'EXCLUSIVE_MAXIMUM_ADDED',
      'EXCLUSIVE_MINIMUM_ADDED',
      'MULTIPLE_OF_ADDED',
      'MAX_LENGTH_ADDED',
      'MIN_LENGTH_ADDED',
      'PATTERN_ADDED',
      'REQUIRED_ATTRIBUTE_ADDED',
      'MAX_PROPERTIES_ADDED',
      'MIN_PROPERTIES_ADDED',
      'DEPENDENCY_ARRAY_ADDED',
      'DEPENDENCY_SCHEMA_ADDED',
      'MAX_ITEMS_ADDED',
      'MIN_ITEMS_ADDED',
      'MAX_CONTAINS_ADDED',
      'MIN_CONTAINS_ADDED',
      'UNIQUE_ITEMS_ADDED',
      'ADDITIONAL_ITEMS_REMOVED',
      'ADDITIONAL_PROPERTIES_REMOVED',
      'UNEVALUATED_PROPERTIES_REMOVED',
      'UNEVALUATED_ITEMS_REMOVED',
    ],
    "The keyword at path '{path}' in the %s schema is not present in the %s schema",
  ],
  [
    [
      'MIN_LENGTH_INCREASED',
      'MINIMUM_INCREASED',
      'EXCLUSIVE_MINIMUM_INCREASED',
      'MIN_PROPERTIES_INCREASED',
      'MULTIPLE_OF_EXPANDED',
      'MIN_ITEMS_INCREASED',
      'MIN_CONTAINS_INCREASED',
    ],
    "The value at path '{path}' in the %s schema is more than its value in the %s schema",
  ],
  [
    [
      'MAX_LENGTH_DECREASED',
      'MAXIMUM_DECREASED',
      'MAX_ITEMS_DECREASED',
      'MAX_CONTAINS_DECREASED',
      'EXCLUSIVE_MAXIMUM_DECREASED',
      'MAX_PROPERTIES_DECREASED',
    ],
    "The value at path '{path}' in the %s schema is less than its value in the %s schema",
  ],
  [
    ['PATTERN_CHANGED', 'MULTIPLE_OF_CHANGED', 'DEPENDENCY_ARRAY_CHANGED'],
    "The value at path '{path}' is different between the %s and %s schema",
  ],
  [
    [
      'ADDITIONAL_ITEMS_NARROWED',
      'ENUM_ARRAY_NARROWED',
      'SUM_TYPE_NARROWED',
      'ADDITIONAL_PROPERTIES_NARROWED',
      'UNEVALUATED_PROPERTIES_NARROWED',
      'UNEVALUATED_ITEMS_NARROWED',
    ],
    "An array or combined type at path '{path}' has fewer elements in the %s schema than the %s schema",
  ],
  [
    ['DEPENDENCY_ARRAY_EXTENDED', 'PRODUCT_TYPE_EXTENDED', 'SUM_TYPE_EXTENDED', 'NOT_TYPE_EXTENDED'],
    "An array or combined type at path '{path}' has more elements in the %s schema than the %s schema",
  ],
  [
    [
      'TYPE_CHANGED',
      'TYPE_NARROWED',
      'COMBINED_TYPE_CHANGED',
      'COMBINED_TYPE_SUBSCHEMAS_CHANGED',
      'ENUM_ARRAY_CHANGED',
    ],
    "A type at path '{path}' is different between the %s schema and the %s schema",
  ],
  [
    [
      'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
      'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL',
      'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
      'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
    ],
    "The %s schema has an open content model and has a property or item at path '{path}' which is missing in the %s schema",
  ],
  [
    ['REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL'],
    "The %s schema has an unopen content model and has a required property at path '{path}' which is missing in the %s schema",
  ],
  [
    ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL'],
    "The %s has a closed content model and is missing a property or item present at path '{path}' in the %s schema",
  ],
  [
    [
      'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    ],
    "A property or item is missing in the %s schema but present at path '{path}' in the %s schema and is not covered by its partially open content model",
  ],
  [
    [
      'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    ],
    "The %s schema has a property or item at path '{path}' which is missing in the %s schema and is not covered by its partially open content model",
  ],
]
