import { TributaryError } from './tributary-error.js'

const BRAND = Symbol.for('tributary.error.config')

/** Details of a ConfigError beyond the option names and what they allow. */
export interface ConfigErrorOptions {
  /** The value given, quoted in the message. Leave it out when the option was missing or for conflicts. */
  received?: unknown
  /** What is wrong, when it is more than "this value is not allowed" (a conflict between options, a missing option). */
  reason?: string
  /** The error that led to this one, e.g. a codec factory that threw. */
  cause?: unknown
}

/**
 * An option (or a combination of options) is invalid. Thrown at construction, before anything is
 * sent, with the option's name and the values it allows, so the fix is clear from the message. Never retriable.
 */
export class ConfigError extends TributaryError {
  /** The option at fault (the first one, when several conflict). */
  readonly option: string
  /** Every option involved, in the order named in the message. */
  readonly options: readonly string[]
  /** What the option accepts, e.g. `an integer from 0 to 2147483647`. */
  readonly allowed: string
  private readonly [BRAND] = true

  constructor(option: string | readonly string[], allowed: string, options: ConfigErrorOptions = {}) {
    const names: readonly string[] = typeof option === 'string' ? [option] : option
    const problem = options.reason ?? ('received' in options ? `got ${describeValue(options.received)}` : 'not allowed')
    super(`Invalid ${listNames(names)}: ${problem}. Allowed: ${allowed}.`, {
      code: -1,
      retriable: false,
      cause: options.cause,
    })
    this.name = 'ConfigError'
    this.option = names[0] ?? ''
    this.options = names
    this.allowed = allowed
  }

  static override isInstance(value: unknown): value is ConfigError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? 'option'
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

const MAX_SHOWN = 80

/** A short, unambiguous rendering of a configuration value for an error message. */
function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length > MAX_SHOWN ? `'${value.slice(0, MAX_SHOWN)}...' (a string)` : `'${value}' (a string)`
    case 'bigint':
      return `${value}n (a bigint)`
    case 'function':
      return 'a function'
    case 'symbol':
      return value.toString()
    case 'object': {
      if (value === null) return 'null'
      if (Array.isArray(value)) return `an array of ${value.length}`
      const constructorName = (value as { constructor?: { name?: unknown } }).constructor?.name
      return typeof constructorName === 'string' && constructorName !== 'Object' ? `a ${constructorName}` : 'an object'
    }
    default:
      return String(value)
  }
}
