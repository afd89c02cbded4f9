import type { Buffer } from 'node:buffer'
import type * as avro from 'avsc'
import type { AvroSchemaInput, LogicalTypeConstructor } from './avro-type.js'

/*
 * The TypeScript type of the values an Avro schema describes, computed from the schema literal
 * (written `as const`, or inline in the call): records (nested, and named types referred to by name),
 * enums, arrays, maps, unions (unwrapped, or wrapped where avsc's default `wrapUnions: 'auto'` wraps
 * them: two branches of the same JavaScript kind), fixed and bytes (Buffer), and logical types. A
 * schema given as JSON text or an avsc Type has no type here (`unknown`): name it with `<T>`.
 */

/**
 * The value types of logical types the serializer is configured with (`logicalTypes`), by logical
 * type name. Empty here: declare yours by augmenting it, and they win over the built-in assumptions
 * (timestamps and `date` as `Date`):
 *
 * ```ts
 * declare module '@tributary/serializer-avro' {
 *   interface AvroLogicalTypes { decimal: Big; uuid: string }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation
export interface AvroLogicalTypes {}

/** What an implemented logical type is assumed to read as, unless `AvroLogicalTypes` says otherwise. */
interface DefaultLogicalTypes {
  'timestamp-millis': Date
  'timestamp-micros': Date
  'local-timestamp-millis': Date
  'local-timestamp-micros': Date
  date: Date
}

/** The logical type implementations given as `logicalTypes`, by name. */
export type AvroLogicalTypeMap = Readonly<Record<string, LogicalTypeConstructor>>

/** No logical type implemented (the default of the `logicalTypes` type parameter). */
export type NoLogicalTypes = Readonly<Record<never, LogicalTypeConstructor>>

/**
 * `read`: values as a deserializer returns them (every field present). `write`: values as a serializer
 * accepts them (fields with a `default` may be left out, arrays may be readonly).
 */
export type AvroTypeMode = 'read' | 'write'

interface Ctx {
  readonly named: unknown
  readonly logical: string
  readonly mode: AvroTypeMode
}

/**
 * The TypeScript type of values of Avro schema `S`; `L` the configured logical types (the
 * `logicalTypes` option); `M` whether for reading or writing. `unknown` when `S` is not a schema literal.
 */
export type AvroValue<S, L = NoLogicalTypes, M extends AvroTypeMode = 'read'> = AvroSchemaInput extends S
  ? unknown
  : S extends avro.Type
    ? unknown
    : Infer<S, { named: NamedIn<S, undefined>; logical: Extract<keyof L, string>; mode: M }>

type PrimitiveName = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string'

type Primitive<N extends PrimitiveName> = N extends 'null'
  ? null
  : N extends 'boolean'
    ? boolean
    : N extends 'bytes'
      ? Buffer
      : N extends 'string'
        ? string
        : number

type Infer<S, C extends Ctx> = S extends string
  ? string extends S
    ? unknown
    : S extends PrimitiveName
      ? Primitive<S>
      : Lookup<S, C>
  : S extends readonly unknown[]
    ? Union<S, C>
    : S extends { readonly logicalType: infer LT extends string }
      ? Logical<S, LT, C>
      : S extends { readonly type: 'record' | 'error'; readonly fields: infer F extends readonly unknown[] }
        ? RecordOf<F[number], C>
        : S extends { readonly type: 'enum'; readonly symbols: readonly (infer E)[] }
          ? E
          : S extends { readonly type: 'array'; readonly items: infer I }
            ? C['mode'] extends 'write'
              ? ReadonlyArray<Infer<I, C>>
              : Infer<I, C>[]
            : S extends { readonly type: 'map'; readonly values: infer V }
              ? Record<string, Infer<V, C>>
              : S extends { readonly type: 'fixed' }
                ? Buffer
                : S extends { readonly type: infer T }
                  ? Infer<T, C>
                  : unknown

type Logical<S, LT extends string, C extends Ctx> = LT extends C['logical']
  ? LT extends keyof AvroLogicalTypes
    ? AvroLogicalTypes[LT]
    : LT extends keyof DefaultLogicalTypes
      ? DefaultLogicalTypes[LT]
      : unknown
  : S extends { readonly type: 'fixed' }
    ? Buffer
    : S extends { readonly type: infer T }
      ? Infer<T, C>
      : unknown

type FieldName<F> = F extends { readonly name: infer N extends string } ? N : never
type WithDefault<F> = F extends { readonly default: unknown } ? F : never

type RecordOf<F, C extends Ctx> = C['mode'] extends 'write'
  ? Flatten<
      {
        [K in Exclude<F, WithDefault<F>> as FieldName<K>]: K extends { readonly type: infer T } ? Infer<T, C> : never
      } & {
        [K in WithDefault<F> as FieldName<K>]?: K extends { readonly type: infer T } ? Infer<T, C> : never
      }
    >
  : { [K in F as FieldName<K>]: K extends { readonly type: infer T } ? Infer<T, C> : never }

type Flatten<T> = { [K in keyof T]: T[K] }

/** Every record, enum and fixed declared in a schema, with the namespace it inherits. */
type NamedIn<S, NS> = S extends readonly unknown[]
  ? NamedIn<S[number], NS>
  : S extends { readonly type: 'record' | 'error'; readonly name: string; readonly fields: readonly (infer F)[] }
    ? Declared<S, NS> | (F extends { readonly type: infer T } ? NamedIn<T, NamespaceOf<S, NS>> : never)
    : S extends { readonly type: 'enum' | 'fixed'; readonly name: string }
      ? Declared<S, NS>
      : S extends { readonly type: 'array'; readonly items: infer I }
        ? NamedIn<I, NS>
        : S extends { readonly type: 'map'; readonly values: infer V }
          ? NamedIn<V, NS>
          : never

type NamespaceOf<S, NS> = S extends { readonly name: `${string}.${string}` }
  ? LeadingNamespace<S['name']>
  : S extends { readonly namespace: infer N extends string }
    ? N
    : NS

type LeadingNamespace<N extends string> = N extends `${infer Head}.${infer Rest}`
  ? Rest extends `${string}.${string}`
    ? `${Head}.${LeadingNamespace<Rest>}`
    : Head
  : never

type Declared<S extends { readonly name: string }, NS> = {
  readonly schema: S
  readonly fullName: S['name'] extends `${string}.${string}`
    ? S['name']
    : NamespaceOf<S, NS> extends infer N extends string
      ? N extends ''
        ? S['name']
        : `${N}.${S['name']}`
      : S['name']
  readonly shortName: S['name'] extends `${string}.${infer Last}` ? LastSegment<Last> : S['name']
}

type LastSegment<N extends string> = N extends `${string}.${infer Rest}` ? LastSegment<Rest> : N

/** A named type referred to by name: by full name, else by its name alone. */
type Lookup<N extends string, C extends Ctx> = [Extract<C['named'], { readonly fullName: N }>] extends [never]
  ? Extract<C['named'], { readonly shortName: LastSegment<N> }> extends { readonly schema: infer S }
    ? Infer<S, C>
    : unknown
  : Extract<C['named'], { readonly fullName: N }> extends { readonly schema: infer S }
    ? Infer<S, C>
    : unknown

// --- unions ---

/** avsc's bucket of a branch: unions with two branches in one bucket are wrapped (`wrapUnions: 'auto'`). */
type Bucket<S, C extends Ctx> = S extends string
  ? S extends 'int' | 'long' | 'float' | 'double'
    ? 'number'
    : S extends PrimitiveName
      ? S extends 'bytes'
        ? 'buffer'
        : S
      : Lookup<S, C> extends infer T
        ? T extends Buffer
          ? 'buffer'
          : T extends string
            ? 'string'
            : 'object'
        : never
  : S extends { readonly logicalType: infer LT extends string }
    ? `logical:${LT}`
    : S extends { readonly type: 'record' | 'error' | 'map' }
      ? 'object'
      : S extends { readonly type: 'enum' }
        ? 'string'
        : S extends { readonly type: 'fixed' }
          ? 'buffer'
          : S extends { readonly type: 'array' }
            ? 'array'
            : S extends { readonly type: infer T }
              ? Bucket<T, C>
              : 'unknown'

type Ambiguous<B extends readonly unknown[], Seen = never> = B extends readonly [infer First, ...infer Rest]
  ? First extends Seen
    ? true
    : Ambiguous<Rest, Seen | First>
  : false

type Buckets<S extends readonly unknown[], C extends Ctx> = { [K in keyof S]: Bucket<S[K], C> }

type Union<S extends readonly unknown[], C extends Ctx> =
  Ambiguous<Buckets<S, C>> extends true ? Wrapped<S[number], C> : Infer<S[number], C>

/** A wrapped union's value: `null`, or `{ <branch name>: value }`. */
type Wrapped<S, C extends Ctx> = S extends 'null' ? null : { readonly [K in BranchName<S, C>]: Infer<S, C> }

type BranchName<S, C extends Ctx> = S extends string
  ? S extends PrimitiveName
    ? S
    : [Extract<C['named'], { readonly fullName: S }>] extends [never]
      ? Extract<C['named'], { readonly shortName: LastSegment<S> }> extends {
          readonly fullName: infer F extends string
        }
        ? F
        : S
      : S
  : S extends { readonly logicalType: string; readonly type: infer T }
    ? BranchName<T, C>
    : S extends { readonly type: 'record' | 'error' | 'enum' | 'fixed'; readonly name: string }
      ? Extract<C['named'], { readonly schema: S }> extends { readonly fullName: infer F extends string }
        ? F
        : S['name']
      : S extends { readonly type: infer T extends string }
        ? T
        : never
