// A `.proto` file as the Confluent Schema Registry reads it: a port of Square Wire's `ProtoParser`
// (with its `SyntaxReader` and `OptionReader`; the registry pins Wire 6.4.5), which `ProtobufSchema`
// parses registered text with.
// The element tree keeps what the registry's canonical string prints and drops what it ignores
// (whitespace, comments); `proto-canonical.ts` prints it.

export type Label = 'optional' | 'required' | 'repeated'
export type OptionKind = 'STRING' | 'BOOLEAN' | 'NUMBER' | 'ENUM' | 'MAP' | 'LIST' | 'OPTION'

export interface OptionElement {
  readonly name: string
  readonly kind: OptionKind
  readonly value: OptionValue
  readonly parenthesized: boolean
}

/** A BOOLEAN, ENUM or NUMBER value inside an option map or list. */
export interface OptionPrimitive {
  readonly primitive: true
  readonly kind: OptionKind
  readonly value: string
}

export type OptionValue = string | OptionElement | OptionPrimitive | OptionMap | OptionValue[]
export type OptionMap = Map<string, OptionValue>

export interface FieldElement {
  readonly label: Label | undefined
  readonly type: string
  readonly name: string
  readonly defaultValue: string | undefined
  readonly jsonName: string | undefined
  readonly tag: number
  readonly options: readonly OptionElement[]
}

export type ReservedValue = string | number | readonly [number, number]

export interface ReservedElement {
  readonly values: readonly ReservedValue[]
}

export interface ExtensionsElement {
  readonly values: ReadonlyArray<number | readonly [number, number]>
  readonly options: readonly OptionElement[]
}

export interface GroupElement {
  readonly label: Label | undefined
  readonly name: string
  readonly tag: number
  readonly fields: readonly FieldElement[]
}

export interface OneOfElement {
  readonly name: string
  readonly fields: readonly FieldElement[]
  readonly groups: readonly GroupElement[]
  readonly options: readonly OptionElement[]
}

export interface ExtendElement {
  readonly name: string
  readonly fields: readonly FieldElement[]
}

export interface MessageElement {
  readonly kind: 'message'
  readonly name: string
  readonly nestedTypes: readonly TypeElement[]
  readonly options: readonly OptionElement[]
  readonly reserveds: readonly ReservedElement[]
  readonly fields: readonly FieldElement[]
  readonly oneOfs: readonly OneOfElement[]
  readonly extensions: readonly ExtensionsElement[]
  readonly groups: readonly GroupElement[]
  readonly extendDeclarations: readonly ExtendElement[]
}

export interface EnumConstantElement {
  readonly name: string
  readonly tag: number
  readonly options: readonly OptionElement[]
}

export interface EnumElement {
  readonly kind: 'enum'
  readonly name: string
  readonly options: readonly OptionElement[]
  readonly constants: readonly EnumConstantElement[]
  readonly reserveds: readonly ReservedElement[]
}

export type TypeElement = MessageElement | EnumElement

export interface RpcElement {
  readonly name: string
  readonly requestType: string
  readonly responseType: string
  readonly requestStreaming: boolean
  readonly responseStreaming: boolean
  readonly options: readonly OptionElement[]
}

export interface ServiceElement {
  readonly name: string
  readonly rpcs: readonly RpcElement[]
  readonly options: readonly OptionElement[]
}

export interface ProtoFileElement {
  readonly packageName: string | undefined
  readonly syntax: 'proto2' | 'proto3' | undefined
  readonly imports: readonly string[]
  readonly publicImports: readonly string[]
  readonly weakImports: readonly string[]
  readonly types: readonly TypeElement[]
  readonly services: readonly ServiceElement[]
  readonly extendDeclarations: readonly ExtendElement[]
  readonly options: readonly OptionElement[]
}

/** Wire's `MAX_TAG_VALUE`: `max` in reserved and extension ranges. */
export const MAX_TAG_VALUE = 536_870_911

export class ProtoSyntaxError extends Error {}

/** Wire's `SyntaxReader`: characters, words, quoted strings, comments. */
class SyntaxReader {
  pos = 0
  private line = 0
  private lineStart = 0

  constructor(private readonly data: string) {}

  exhausted(): boolean {
    return this.pos === this.data.length
  }

  readChar(): string {
    const c = this.peekChar()
    this.pos++
    return c
  }

  require(c: string): void {
    const read = this.readChar()
    this.expect(read === c, () => `expected '${c}' but was '${read}'`)
  }

  peekChar(): string {
    this.skipWhitespace(true)
    this.expect(this.pos < this.data.length, () => 'unexpected end of file')
    return this.data[this.pos] as string
  }

  /** Consumes `c` when it is next. */
  peekCharIs(c: string): boolean {
    if (this.peekChar() === c) {
      this.pos++
      return true
    }
    return false
  }

  pushBack(c: string): void {
    if (this.data[this.pos - 1] !== c) throw new Error('pushBack mismatch')
    this.pos--
  }

  readString(): string {
    this.skipWhitespace(true)
    const c = this.peekChar()
    return c === '"' || c === "'" ? this.readQuotedString() : this.readWord()
  }

  readQuotedString(): string {
    let startQuote = this.readChar()
    this.expect(startQuote === '"' || startQuote === "'", () => 'expected quoted string')
    let result = ''
    while (this.pos < this.data.length) {
      let c = this.data[this.pos++] as string
      if (c === startQuote) {
        // Adjacent strings are concatenated.
        const next = this.peekChar()
        if (next === '"' || next === "'") {
          startQuote = this.readChar()
          continue
        }
        return result
      }
      if (c === '\\') {
        this.expect(this.pos < this.data.length, () => 'unexpected end of file')
        c = this.data[this.pos++] as string
        switch (c) {
          case 'a':
            c = '\u0007'
            break
          case 'b':
            c = '\b'
            break
          case 'f':
            c = '\f'
            break
          case 'n':
            c = '\n'
            break
          case 'r':
            c = '\r'
            break
          case 't':
            c = '\t'
            break
          case 'v':
            c = '\u000b'
            break
          case 'x':
          case 'X':
            c = this.readNumericEscape(16, 2)
            break
          case '0':
          case '1':
          case '2':
          case '3':
          case '4':
          case '5':
          case '6':
          case '7':
            this.pos--
            c = this.readNumericEscape(8, 3)
            break
        }
      }
      result += c
      if (c === '\n') this.newline()
    }
    throw this.unexpected('unterminated string')
  }

  private readNumericEscape(radix: number, len: number): string {
    let value = -1
    const end = Math.min(this.pos + len, this.data.length)
    while (this.pos < end) {
      const digit = Number.parseInt(this.data[this.pos] as string, 16)
      if (Number.isNaN(digit) || digit >= radix) break
      value = value < 0 ? digit : value * radix + digit
      this.pos++
    }
    this.expect(value >= 0, () => 'expected a digit after \\x or \\X')
    return String.fromCharCode(value)
  }

  /** A (paren-wrapped), [square-wrapped] or naked name. */
  readName(allowLeadingDigit = true, retainWrap = false, allowDots = true): string {
    const c = this.peekChar()
    if (c === '(' || c === '[') {
      this.pos++
      const word = this.readWord(allowLeadingDigit)
      const close = c === '(' ? ')' : ']'
      this.expect(this.readChar() === close, () => `expected '${close}'`)
      return retainWrap ? `${c}${word}${close}` : word
    }
    return this.readWord(allowLeadingDigit, allowDots)
  }

  /** A scalar, map or type name; `map<K, V>` comes back as `map<K, V>` with one space. */
  readDataType(name: string = this.readWord()): string {
    if (name === 'map') {
      this.expect(this.readChar() === '<', () => "expected '<'")
      const key = this.readDataType()
      this.expect(this.readChar() === ',', () => "expected ','")
      const value = this.readDataType()
      this.expect(this.readChar() === '>', () => "expected '>'")
      return `map<${key}, ${value}>`
    }
    let out = name
    while (this.peekChar() === '.') {
      this.pos++
      out += `.${this.readWord()}`
    }
    return out
  }

  readWord(allowLeadingDigit = true, allowDots = true): string {
    this.skipWhitespace(true)
    const start = this.pos
    while (this.pos < this.data.length) {
      const c = this.data[this.pos] as string
      if (/[a-zA-Z0-9_-]/.test(c) || (c === '.' && allowDots)) this.pos++
      else break
    }
    this.expect(start < this.pos, () => 'expected a word')
    if (!allowLeadingDigit) {
      this.expect(!/[0-9]/.test(this.data[start] as string), () => 'field and constant names cannot start with a digit')
    }
    return this.data.slice(start, this.pos)
  }

  readInt(): number {
    let tag = this.readWord()
    let radix = 10
    if (tag.startsWith('0x') || tag.startsWith('0X')) {
      tag = tag.slice(2)
      radix = 16
    }
    const valid = radix === 16 ? /^[+-]?[0-9a-fA-F]+$/ : /^[+-]?[0-9]+$/
    const n = Number.parseInt(tag, radix)
    if (!valid.test(tag) || n > 2147483647 || n < -2147483648)
      throw this.unexpected(`expected an integer but was ${tag}`)
    return n
  }

  /** Skips whitespace and comments (the registry keeps comments as documentation, which it never prints). */
  readDocumentation(): void {
    for (;;) {
      this.skipWhitespace(false)
      if (this.pos === this.data.length || this.data[this.pos] !== '/') return
      this.readComment()
    }
  }

  private readComment(): void {
    this.pos++
    const kind = this.pos < this.data.length ? this.data[this.pos++] : undefined
    if (kind === '*') {
      while (this.pos + 1 < this.data.length) {
        if (this.data[this.pos] === '*' && this.data[this.pos + 1] === '/') {
          this.pos += 2
          return
        }
        if (this.data[this.pos] === '\n') {
          this.pos++
          this.newline()
        } else this.pos++
      }
      throw this.unexpected('unterminated comment')
    }
    if (kind === '/') {
      while (this.pos < this.data.length) {
        if (this.data[this.pos++] === '\n') {
          this.newline()
          break
        }
      }
      return
    }
    throw this.unexpected("unexpected '/'")
  }

  /** A comment on the rest of the line after a declaration belongs to it (and nothing may follow it). */
  tryAppendTrailingDocumentation(): void {
    while (this.pos < this.data.length) {
      const c = this.data[this.pos]
      if (c === ' ' || c === '\t') this.pos++
      else if (c === '/') {
        this.pos++
        break
      } else return
    }
    if (this.pos >= this.data.length) return
    if (this.data[this.pos] !== '/' && this.data[this.pos] !== '*') {
      this.pos--
      throw this.unexpected("expected '//' or '/*'")
    }
    const star = this.data[this.pos] === '*'
    this.pos++
    if (star) {
      for (;;) {
        this.expect(this.pos < this.data.length, () => 'trailing comment must be closed')
        if (this.data[this.pos] === '*' && this.data[this.pos + 1] === '/') {
          this.pos += 2
          break
        }
        this.pos++
      }
      while (this.pos < this.data.length) {
        const c = this.data[this.pos++]
        if (c === '\n') {
          this.newline()
          break
        }
        // Wire 6.4.5, which the registry uses, takes a '\r' here for syntax too.
        this.expect(c === ' ' || c === '\t', () => 'no syntax may follow trailing comment')
      }
    } else {
      while (this.pos < this.data.length) {
        if (this.data[this.pos++] === '\n') {
          this.newline()
          break
        }
      }
    }
  }

  private skipWhitespace(skipComments: boolean): void {
    while (this.pos < this.data.length) {
      const c = this.data[this.pos]
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        this.pos++
        if (c === '\n') this.newline()
      } else if (skipComments && c === '/') {
        this.readComment()
      } else return
    }
  }

  private newline(): void {
    this.line++
    this.lineStart = this.pos
  }

  expect(condition: boolean, message: () => string): void {
    if (!condition) throw this.unexpected(message())
  }

  unexpected(message: string): ProtoSyntaxError {
    return new ProtoSyntaxError(`Syntax error in ${this.line + 1}:${this.pos - this.lineStart + 1}: ${message}`)
  }
}

/** Wire's `OptionReader`. */
class OptionReader {
  constructor(private readonly reader: SyntaxReader) {}

  readOptions(): OptionElement[] {
    if (!this.reader.peekCharIs('[')) return []
    const result: OptionElement[] = []
    for (;;) {
      result.push(this.readOption('='))
      if (this.reader.peekCharIs(']')) break
      this.reader.expect(this.reader.peekCharIs(','), () => "Expected ',' or ']")
    }
    return result
  }

  readOption(separator: string): OptionElement {
    const reader = this.reader
    const isExtension = reader.peekChar() === '['
    const isParenthesized = reader.peekChar() === '('
    let name = reader.readName()
    if (isExtension) name = `[${name}]`
    const subNames: string[] = []
    let c: string
    for (;;) {
      c = reader.readChar()
      if (c !== '.') break
      subNames.push(reader.readName(true, true, false))
    }
    if (separator === ':' && c === '{') reader.pushBack('{')
    else reader.expect(c === separator, () => `expected '${separator}' in option`)
    let { kind, value } = this.readKindAndValue()
    for (const sub of [...subNames].reverse()) {
      const parenthesized = sub.startsWith('(')
      value = { name: parenthesized ? sub.slice(1, -1) : sub, kind, value, parenthesized }
      kind = 'OPTION'
    }
    return { name, kind, value, parenthesized: isParenthesized }
  }

  private readKindAndValue(): { kind: OptionKind; value: OptionValue } {
    const peeked = this.reader.peekChar()
    if (peeked === '{') return { kind: 'MAP', value: this.readMap() }
    if (peeked === '[') return { kind: 'LIST', value: this.readList() }
    if (peeked === '"' || peeked === "'") return { kind: 'STRING', value: this.reader.readString() }
    if (/[0-9-]/.test(peeked)) return { kind: 'NUMBER', value: this.reader.readWord() }
    const word = this.reader.readWord()
    if (word === 'true' || word === 'false') return { kind: 'BOOLEAN', value: word }
    return { kind: 'ENUM', value: word }
  }

  private readMap(): OptionMap {
    this.reader.require('{')
    const result: OptionMap = new Map()
    for (;;) {
      if (this.reader.peekCharIs('}')) return result
      const option = this.readOption(':')
      const value: OptionValue =
        option.kind === 'BOOLEAN' || option.kind === 'ENUM' || option.kind === 'NUMBER'
          ? { primitive: true, kind: option.kind, value: option.value as string }
          : option.value
      if (isOptionElement(value)) {
        let nested = result.get(option.name)
        if (!(nested instanceof Map)) {
          nested = new Map()
          result.set(option.name, nested)
        }
        nested.set(value.name, value.value)
      } else {
        const previous = result.get(option.name)
        if (previous === undefined) result.set(option.name, value)
        else if (Array.isArray(previous)) {
          if (Array.isArray(value)) previous.push(...value)
          else previous.push(value)
        } else result.set(option.name, [previous, ...(Array.isArray(value) ? value : [value])])
      }
      if (!this.reader.peekCharIs(',')) this.reader.peekCharIs(';')
    }
  }

  private readList(): OptionValue[] {
    this.reader.require('[')
    const result: OptionValue[] = []
    for (;;) {
      if (this.reader.peekCharIs(']')) return result
      const { kind, value } = this.readKindAndValue()
      result.push(
        kind === 'BOOLEAN' || kind === 'ENUM' || kind === 'NUMBER'
          ? { primitive: true, kind, value: value as string }
          : value,
      )
      if (this.reader.peekCharIs(',')) continue
      this.reader.expect(this.reader.peekChar() === ']', () => "expected ',' or ']'")
    }
  }
}

export function isOptionElement(v: unknown): v is OptionElement {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && 'parenthesized' in v
}

export function isOptionPrimitive(v: unknown): v is OptionPrimitive {
  return typeof v === 'object' && v !== null && 'primitive' in v
}

type Context = 'FILE' | 'MESSAGE' | 'ENUM' | 'RPC' | 'EXTEND' | 'SERVICE'

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? U[] : T[K]
}

/** Wire's `ProtoParser.parse`: a `.proto` file's elements, or a ProtoSyntaxError. */
export function parseProtoFile(text: string): ProtoFileElement {
  return new ProtoParser(text).readProtoFile()
}

class ProtoParser {
  private readonly reader: SyntaxReader
  private readonly file: Mutable<ProtoFileElement> = {
    packageName: undefined,
    syntax: undefined,
    imports: [],
    publicImports: [],
    weakImports: [],
    types: [],
    services: [],
    extendDeclarations: [],
    options: [],
  }
  private declarationCount = 0

  constructor(text: string) {
    this.reader = new SyntaxReader(text)
  }

  readProtoFile(): ProtoFileElement {
    for (;;) {
      this.reader.readDocumentation()
      if (this.reader.exhausted()) return this.file
      const declaration = this.readDeclaration('FILE')
      if (declaration === undefined) continue
      if (declaration.k === 'type') {
        if (this.file.types.some((t) => t.name === declaration.v.name)) {
          throw new ProtoSyntaxError(`${declaration.v.name} is already defined`)
        }
        this.file.types.push(declaration.v)
      } else if (declaration.k === 'service') {
        if (this.file.services.some((s) => s.name === declaration.v.name)) {
          throw new ProtoSyntaxError(`${declaration.v.name} is already defined`)
        }
        this.file.services.push(declaration.v)
      } else if (declaration.k === 'option') this.file.options.push(declaration.v)
      else if (declaration.k === 'extend') this.file.extendDeclarations.push(declaration.v)
    }
  }

  private readDeclaration(context: Context): Declaration | undefined {
    const index = this.declarationCount++
    const reader = this.reader
    if (reader.peekCharIs(';')) return undefined
    const label = reader.readWord(context !== 'ENUM')
    if (label === 'package' && context === 'FILE') {
      this.file.packageName = reader.readName()
      reader.require(';')
      return undefined
    }
    if (label === 'import' && context === 'FILE') {
      const peeked = reader.peekChar()
      if (peeked === '"' || peeked === "'") this.file.imports.push(reader.readQuotedString())
      else {
        const kind = reader.readString()
        if (kind === 'weak') this.file.weakImports.push(reader.readQuotedString())
        else if (kind === 'public') this.file.publicImports.push(reader.readQuotedString())
        else throw reader.unexpected('expected quoted string')
      }
      reader.require(';')
      return undefined
    }
    if (label === 'syntax' && context === 'FILE') {
      reader.expect(this.file.syntax === undefined, () => 'too many syntax definitions')
      reader.require('=')
      reader.expect(index === 0, () => "'syntax' element must be the first declaration in a file")
      const syntax = reader.readQuotedString()
      if (syntax !== 'proto2' && syntax !== 'proto3') throw reader.unexpected(`unexpected syntax: ${syntax}`)
      this.file.syntax = syntax
      reader.require(';')
      return undefined
    }
    if (label === 'option') {
      const option = new OptionReader(reader).readOption('=')
      reader.require(';')
      return { k: 'option', v: option }
    }
    if (label === 'reserved') return { k: 'reserved', v: this.readReserved() }
    if (label === 'message' && (context === 'FILE' || context === 'MESSAGE'))
      return { k: 'type', v: this.readMessage() }
    if (label === 'enum' && (context === 'FILE' || context === 'MESSAGE')) return { k: 'type', v: this.readEnum() }
    if (label === 'service' && context === 'FILE') return { k: 'service', v: this.readService() }
    if (label === 'extend' && (context === 'FILE' || context === 'MESSAGE'))
      return { k: 'extend', v: this.readExtend() }
    if (label === 'rpc' && context === 'SERVICE') return { k: 'rpc', v: this.readRpc() }
    if (label === 'oneof' && context === 'MESSAGE') return { k: 'oneof', v: this.readOneOf() }
    if (label === 'extensions' && context === 'MESSAGE') return { k: 'extensions', v: this.readExtensions() }
    if (context === 'MESSAGE' || context === 'EXTEND') return this.readField(label)
    if (context === 'ENUM') return { k: 'constant', v: this.readEnumConstant(label) }
    if (label === 'edition' && context === 'FILE') throw reader.unexpected('edition is not currently supported')
    throw reader.unexpected(`unexpected label: ${label}`)
  }

  private readMessage(): MessageElement {
    const name = this.reader.readName()
    const m: Mutable<MessageElement> = {
      kind: 'message',
      name,
      nestedTypes: [],
      options: [],
      reserveds: [],
      fields: [],
      oneOfs: [],
      extensions: [],
      groups: [],
      extendDeclarations: [],
    }
    this.reader.require('{')
    for (;;) {
      this.reader.readDocumentation()
      if (this.reader.peekCharIs('}')) break
      const d = this.readDeclaration('MESSAGE')
      if (d === undefined) continue
      if (d.k === 'field') m.fields.push(d.v)
      else if (d.k === 'oneof') m.oneOfs.push(d.v)
      else if (d.k === 'group') m.groups.push(d.v)
      else if (d.k === 'type') m.nestedTypes.push(d.v)
      else if (d.k === 'extensions') m.extensions.push(d.v)
      else if (d.k === 'option') m.options.push(d.v)
      else if (d.k === 'extend') m.extendDeclarations.push(d.v)
      else if (d.k === 'reserved') m.reserveds.push(d.v)
    }
    return m
  }

  private readExtend(): ExtendElement {
    const name = this.reader.readName()
    const fields: FieldElement[] = []
    this.reader.require('{')
    for (;;) {
      this.reader.readDocumentation()
      if (this.reader.peekCharIs('}')) break
      const d = this.readDeclaration('EXTEND')
      if (d?.k === 'field') fields.push(d.v)
    }
    return { name, fields }
  }

  private readService(): ServiceElement {
    const name = this.reader.readName()
    const rpcs: RpcElement[] = []
    const options: OptionElement[] = []
    this.reader.require('{')
    for (;;) {
      this.reader.readDocumentation()
      if (this.reader.peekCharIs('}')) break
      const d = this.readDeclaration('SERVICE')
      if (d?.k === 'rpc') rpcs.push(d.v)
      else if (d?.k === 'option') options.push(d.v)
    }
    return { name, rpcs, options }
  }

  private readEnum(): EnumElement {
    const name = this.reader.readName()
    const constants: EnumConstantElement[] = []
    const options: OptionElement[] = []
    const reserveds: ReservedElement[] = []
    this.reader.require('{')
    for (;;) {
      this.reader.readDocumentation()
      if (this.reader.peekCharIs('}')) break
      const d = this.readDeclaration('ENUM')
      if (d?.k === 'constant') constants.push(d.v)
      else if (d?.k === 'option') options.push(d.v)
      else if (d?.k === 'reserved') reserveds.push(d.v)
    }
    return { kind: 'enum', name, options, constants, reserveds }
  }

  private readField(word: string): Declaration {
    const reader = this.reader
    let label: Label | undefined
    let type: string
    if (word === 'required') {
      reader.expect(this.file.syntax !== 'proto3', () => "'required' label forbidden in proto3 field declarations")
      label = 'required'
      type = reader.readDataType()
    } else if (word === 'optional') {
      label = 'optional'
      type = reader.readDataType()
    } else if (word === 'repeated') {
      label = 'repeated'
      type = reader.readDataType()
    } else {
      reader.expect(
        this.file.syntax === 'proto3' || (word === 'map' && reader.peekChar() === '<'),
        () => `unexpected label: ${word}`,
      )
      label = undefined
      type = reader.readDataType(word)
    }
    reader.expect(!type.startsWith('map<') || label === undefined, () => "'map' type cannot have label")
    if (type === 'group') return { k: 'group', v: this.readGroup(label) }
    return { k: 'field', v: this.readFieldRest(label, type) }
  }

  private readFieldRest(label: Label | undefined, type: string): FieldElement {
    const reader = this.reader
    const name = reader.readName(false)
    reader.require('=')
    const tag = reader.readInt()
    const options = new OptionReader(reader).readOptions()
    const defaultValue = stripValue('default', options)
    const jsonName = stripValue('json_name', options)
    reader.require(';')
    reader.tryAppendTrailingDocumentation()
    return { label, type, name, defaultValue, jsonName, tag, options }
  }

  private readOneOf(): OneOfElement {
    const reader = this.reader
    const name = reader.readName()
    const fields: FieldElement[] = []
    const groups: GroupElement[] = []
    const options: OptionElement[] = []
    reader.require('{')
    for (;;) {
      reader.readDocumentation()
      if (reader.peekCharIs('}')) break
      const type = reader.readDataType()
      if (type === 'group') groups.push(this.readGroup(undefined))
      else if (type === 'option') {
        options.push(new OptionReader(reader).readOption('='))
        reader.require(';')
      } else fields.push(this.readFieldRest(undefined, type))
    }
    return { name, fields, groups, options }
  }

  private readGroup(label: Label | undefined): GroupElement {
    const reader = this.reader
    const name = reader.readWord()
    reader.require('=')
    const tag = reader.readInt()
    const fields: FieldElement[] = []
    reader.require('{')
    for (;;) {
      reader.readDocumentation()
      if (reader.peekCharIs('}')) break
      const field = this.readField(reader.readWord())
      if (field.k !== 'field') throw reader.unexpected('expected field declaration')
      fields.push(field.v)
    }
    return { label, name, tag, fields }
  }

  private readReserved(): ReservedElement {
    const reader = this.reader
    const values: ReservedValue[] = []
    for (;;) {
      const c = reader.peekChar()
      if (c === '"' || c === "'") values.push(reader.readQuotedString())
      else {
        const start = reader.readInt()
        const next = reader.peekChar()
        if (next === ',' || next === ';') values.push(start)
        else {
          reader.expect(reader.readWord() === 'to', () => "expected ',', ';', or 'to'")
          const end = reader.readWord()
          values.push([start, end === 'max' ? MAX_TAG_VALUE : Number.parseInt(end, 10)])
        }
      }
      const sep = reader.readChar()
      if (sep === ';') break
      if (sep !== ',') throw reader.unexpected("expected ',' or ';'")
    }
    reader.tryAppendTrailingDocumentation()
    return { values }
  }

  private readExtensions(): ExtensionsElement {
    const reader = this.reader
    const values: Array<number | [number, number]> = []
    const options: OptionElement[] = []
    for (;;) {
      const start = reader.readInt()
      const next = reader.peekChar()
      if (next === ',' || next === ';' || next === '[') values.push(start)
      else {
        reader.expect(reader.readWord() === 'to', () => "expected ',', ';', '[' or 'to'")
        const end = reader.readWord()
        values.push([start, end === 'max' ? MAX_TAG_VALUE : Number.parseInt(end, 10)])
      }
      if (reader.peekChar() === '[') {
        options.push(...new OptionReader(reader).readOptions())
        reader.require(';')
        break
      }
      const sep = reader.readChar()
      if (sep === ';') break
      if (sep !== ',') throw reader.unexpected("expected ',' or ';'")
    }
    return { values, options }
  }

  private readEnumConstant(name: string): EnumConstantElement {
    const reader = this.reader
    reader.require('=')
    const tag = reader.readInt()
    const options = new OptionReader(reader).readOptions()
    reader.require(';')
    reader.tryAppendTrailingDocumentation()
    return { name, tag, options }
  }

  private readRpc(): RpcElement {
    const reader = this.reader
    const name = reader.readName()
    reader.require('(')
    let requestStreaming = false
    let word = reader.readWord()
    let requestType: string
    if (word === 'stream') {
      requestType = reader.readDataType()
      requestStreaming = true
    } else requestType = reader.readDataType(word)
    reader.require(')')
    reader.expect(reader.readWord() === 'returns', () => "expected 'returns'")
    reader.require('(')
    let responseStreaming = false
    word = reader.readWord()
    let responseType: string
    if (word === 'stream') {
      responseType = reader.readDataType()
      responseStreaming = true
    } else responseType = reader.readDataType(word)
    reader.require(')')
    const options: OptionElement[] = []
    if (reader.peekCharIs('{')) {
      for (;;) {
        reader.readDocumentation()
        if (reader.peekCharIs('}')) break
        const d = this.readDeclaration('RPC')
        if (d?.k === 'option') options.push(d.v)
      }
    } else reader.require(';')
    return { name, requestType, responseType, requestStreaming, responseStreaming, options }
  }
}

type Declaration =
  | { k: 'type'; v: TypeElement }
  | { k: 'service'; v: ServiceElement }
  | { k: 'option'; v: OptionElement }
  | { k: 'extend'; v: ExtendElement }
  | { k: 'reserved'; v: ReservedElement }
  | { k: 'rpc'; v: RpcElement }
  | { k: 'oneof'; v: OneOfElement }
  | { k: 'extensions'; v: ExtensionsElement }
  | { k: 'field'; v: FieldElement }
  | { k: 'group'; v: GroupElement }
  | { k: 'constant'; v: EnumConstantElement }

/** Defaults and `json_name` are not options: taken out of the list (the last one wins). */
function stripValue(name: string, options: OptionElement[]): string | undefined {
  let result: string | undefined
  for (let i = 0; i < options.length; ) {
    const o = options[i] as OptionElement
    if (o.name === name) {
      result = optionValueString(o.value)
      options.splice(i, 1)
    } else i++
  }
  return result
}

/** Kotlin's `toString()` of an option value, as `stripValue` takes it. */
function optionValueString(v: OptionValue): string {
  if (typeof v === 'string') return v
  if (isOptionPrimitive(v)) return v.value
  if (isOptionElement(v)) return `OptionElement(name=${v.name})`
  if (Array.isArray(v)) return `[${v.map(optionValueString).join(', ')}]`
  return `{${[...v.entries()].map(([k, x]) => `${k}=${optionValueString(x)}`).join(', ')}}`
}
