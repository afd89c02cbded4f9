/**
 * JSON as Jackson's tree model reads it (what the registry's Java code compares and prints): object
 * keys keep their order (a repeated key keeps its first position and its last value), integers stay
 * integers of any size, and any number with a fraction or an exponent is a double, printed as Java's
 * `Double.toString` prints it (`1.0`, `1.0E10`). `JSON.parse` would lose the difference between `1`
 * and `1.0`, which the registry keeps.
 */
export type JsonTree =
  | { readonly t: 'object'; readonly entries: ReadonlyArray<readonly [string, JsonTree]> }
  | { readonly t: 'array'; readonly items: readonly JsonTree[] }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'double'; readonly v: number }
  | { readonly t: 'boolean'; readonly v: boolean }
  | { readonly t: 'null' }

/** Parses JSON text into a tree; throws a SyntaxError on invalid JSON. */
export function parseJsonTree(text: string): JsonTree {
  let pos = 0
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${pos} of the JSON`)
  }
  const skip = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos)
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++
      else break
    }
  }
  const readString = (): string => {
    pos++ // opening quote
    let out = ''
    for (;;) {
      if (pos >= text.length) fail('unterminated string')
      const c = text[pos++] as string
      if (c === '"') return out
      if (c === '\\') {
        const e = text[pos++]
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e
            break
          case 'b':
            out += '\b'
            break
          case 'f':
            out += '\f'
            break
          case 'n':
            out += '\n'
            break
          case 'r':
            out += '\r'
            break
          case 't':
            out += '\t'
            break
          case 'u': {
            const hex = text.slice(pos, pos + 4)
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape')
            out += String.fromCharCode(Number.parseInt(hex, 16))
            pos += 4
            break
          }
          default:
            fail('bad escape')
        }
      } else if (c.charCodeAt(0) < 0x20) {
        fail('control character in string')
      } else {
        out += c
      }
    }
  }
  const value = (): JsonTree => {
    skip()
    const c = text[pos]
    if (c === '{') {
      pos++
      const entries: Array<[string, JsonTree]> = []
      const index = new Map<string, number>()
      skip()
      if (text[pos] === '}') {
        pos++
        return { t: 'object', entries }
      }
      for (;;) {
        skip()
        if (text[pos] !== '"') fail('expected a key')
        const key = readString()
        skip()
        if (text[pos++] !== ':') fail("expected ':'")
        const v = value()
        const at = index.get(key)
        if (at === undefined) {
          index.set(key, entries.length)
          entries.push([key, v])
        } else {
          entries[at] = [key, v]
        }
        skip()
        const next = text[pos++]
        if (next === '}') return { t: 'object', entries }
        if (next !== ',') fail("expected ',' or '}'")
      }
    }
    if (c === '[') {
      pos++
      const items: JsonTree[] = []
      skip()
      if (text[pos] === ']') {
        pos++
        return { t: 'array', items }
      }
      for (;;) {
        items.push(value())
        skip()
        const next = text[pos++]
        if (next === ']') return { t: 'array', items }
        if (next !== ',') fail("expected ',' or ']'")
      }
    }
    if (c === '"') return { t: 'string', v: readString() }
    if (text.startsWith('true', pos)) {
      pos += 4
      return { t: 'boolean', v: true }
    }
    if (text.startsWith('false', pos)) {
      pos += 5
      return { t: 'boolean', v: false }
    }
    if (text.startsWith('null', pos)) {
      pos += 4
      return { t: 'null' }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos))
    if (m === null) return fail('unexpected character')
    pos += m[0].length
    if (m[1] === undefined && m[2] === undefined) return { t: 'int', v: BigInt(m[0]) }
    return { t: 'double', v: Number(m[0]) }
  }
  const result = value()
  skip()
  if (pos !== text.length) fail('unexpected text after the JSON value')
  return result
}

/** Compact JSON as Jackson writes a tree: no spaces, `"` `\` and control characters escaped. */
export function writeJsonTree(node: JsonTree): string {
  switch (node.t) {
    case 'object':
      return `{${node.entries.map(([k, v]) => `${jsonString(k)}:${writeJsonTree(v)}`).join(',')}}`
    case 'array':
      return `[${node.items.map(writeJsonTree).join(',')}]`
    case 'string':
      return jsonString(node.v)
    case 'int':
      return node.v.toString()
    case 'double':
      return javaDoubleToString(node.v)
    case 'boolean':
      return node.v ? 'true' : 'false'
    case 'null':
      return 'null'
  }
}

/** The tree with every object's keys sorted (for comparisons where Jackson compares maps). */
export function sortedJsonTree(node: JsonTree): JsonTree {
  if (node.t === 'object') {
    return {
      t: 'object',
      entries: [...node.entries]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortedJsonTree(v)]),
    }
  }
  if (node.t === 'array') return { t: 'array', items: node.items.map(sortedJsonTree) }
  return node
}

/** A JSON string literal as Jackson writes it (control characters as `\uXXXX` in upper-case hex). */
export function jsonString(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.charCodeAt(0)
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (c < 0x20) {
      if (ch === '\n') out += '\\n'
      else if (ch === '\r') out += '\\r'
      else if (ch === '\t') out += '\\t'
      else if (ch === '\b') out += '\\b'
      else if (ch === '\f') out += '\\f'
      else out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`
    } else out += ch
  }
  return `${out}"`
}

/** Java's `Double.toString`: at least one fraction digit, scientific notation outside [1e-3, 1e7). */
export function javaDoubleToString(d: number): string {
  return javaDecimal(d, d.toExponential())
}

/** Java's `Float.toString` of a float value: the shortest digits that read back as the same float. */
export function javaFloatToString(f: number): string {
  const value = Math.fround(f)
  if (!Number.isFinite(value) || value === 0) return javaDoubleToString(value)
  for (let p = 1; p <= 9; p++) {
    const candidate = value.toExponential(p - 1)
    if (Math.fround(Number(candidate)) === value) return javaDecimal(value, candidate)
  }
  return javaDecimal(value, value.toExponential(8))
}

function javaDecimal(d: number, exponential: string): string {
  if (Number.isNaN(d)) return 'NaN'
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity'
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0'
  const sign = d < 0 ? '-' : ''
  const [mantissa = '', exponentText = '0'] = exponential.replace(/^-/, '').split('e')
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0'
  const exponent = Number(exponentText)
  const abs = Math.abs(d)
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent >= 0) {
      const int = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
      return `${sign}${int}.${digits.slice(exponent + 1) || '0'}`
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`
}
