/**
 * What was thrown, as an Error: an Error as it is, anything else (a string, a number, undefined)
 * wrapped in one whose message shows it, with the value as the `cause`.
 */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value
  let text: string
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  } catch {
    text = String(value)
  }
  return new Error(`non-Error thrown: ${text}`, { cause: value })
}

/** The message of what was thrown: an Error's message, or the value shown as text. */
export function errorMessage(value: unknown): string {
  return value instanceof Error ? value.message : toError(value).message.replace(/^non-Error thrown: /, '')
}
