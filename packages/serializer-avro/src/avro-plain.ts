import avro from 'avsc'

type Convert = (value: unknown) => unknown

/**
 * A function turning values avsc decoded with `type` into plain objects: records become `{}` objects
 * (avsc decodes them as instances of generated classes, which `toStrictEqual` and structured clones
 * tell apart from object literals), wrapped union branches plain `{ branch: value }` objects. Buffers,
 * numbers, strings and what logical types return are kept as they are. Undefined when the type holds
 * nothing to convert.
 */
export function plainConverter(type: avro.Type): Convert | undefined {
  return build(type, new Map())
}

function build(type: avro.Type, memo: Map<avro.Type, Convert | undefined | 'pending'>): Convert | undefined {
  const known = memo.get(type)
  if (known === 'pending') {
    // A recursive type: refer to the converter being built, through the memo.
    return (value) => (memo.get(type) as Convert)(value)
  }
  if (memo.has(type)) return known as Convert | undefined
  memo.set(type, 'pending')
  const made = make(type, memo)
  memo.set(type, made)
  return made
}

function make(type: avro.Type, memo: Map<avro.Type, Convert | undefined | 'pending'>): Convert | undefined {
  if (type instanceof avro.types.LogicalType) return undefined
  if (type instanceof avro.types.RecordType) {
    const fields = type.fields.map((f) => [f.name, build(f.type, memo)] as const)
    return (value) => {
      if (value === null || typeof value !== 'object') return value
      const record = value as Record<string, unknown>
      const out: Record<string, unknown> = {}
      for (const [name, convert] of fields) out[name] = convert === undefined ? record[name] : convert(record[name])
      return out
    }
  }
  if (type instanceof avro.types.ArrayType) {
    const items = build(type.itemsType, memo)
    return items === undefined ? undefined : (value) => (Array.isArray(value) ? value.map(items) : value)
  }
  if (type instanceof avro.types.MapType) {
    const values = build(type.valuesType as avro.Type, memo)
    if (values === undefined) return undefined
    return (value) => {
      if (value === null || typeof value !== 'object') return value
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) out[k] = values(v)
      return out
    }
  }
  if (type instanceof avro.types.WrappedUnionType) {
    const branches = new Map(type.types.map((t) => [t.branchName as string, build(t, memo)]))
    return (value) => {
      if (value === null || typeof value !== 'object') return value
      const [name, inner] = Object.entries(value)[0] ?? []
      if (name === undefined) return value
      const convert = branches.get(name)
      return { [name]: convert === undefined ? inner : convert(inner) }
    }
  }
  if (type instanceof avro.types.UnwrappedUnionType) {
    // Branches are in distinct buckets: at most one is an object (a record or a map), one an array.
    const objectBranch = type.types.find((t) => t instanceof avro.types.RecordType || t instanceof avro.types.MapType)
    const arrayBranch = type.types.find((t) => t instanceof avro.types.ArrayType)
    const forObject = objectBranch === undefined ? undefined : build(objectBranch, memo)
    const forArray = arrayBranch === undefined ? undefined : build(arrayBranch, memo)
    if (forObject === undefined && forArray === undefined) return undefined
    // Only a value of that branch is converted, not what a logical type branch returned (a Date, ...).
    const isBranchValue =
      objectBranch instanceof avro.types.RecordType
        ? (value: object) => value instanceof objectBranch.recordConstructor
        : (value: object) => Object.getPrototypeOf(value) === Object.prototype
    return (value) => {
      if (Array.isArray(value)) return forArray === undefined ? value : forArray(value)
      if (value !== null && typeof value === 'object' && forObject !== undefined && isBranchValue(value)) {
        return forObject(value)
      }
      return value
    }
  }
  return undefined
}
