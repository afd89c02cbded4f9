#!/usr/bin/env node
// Generates packages/core/src/protocol/error-codes.ts from Kafka's errors.tsv (code, name, retriable).
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const source = resolve(process.argv[2] ?? join(root, '../shared/kafka-protocol/errors.tsv'))
const rows = readFileSync(source, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'))
  .map(([code, name, retriable]) => ({ code: Number(code), name, retriable: retriable === 'true' }))

const out = `// Generated from Kafka's errors.tsv by scripts/generate-error-codes.mjs — do not edit.

/** Kafka error codes by name. */
export const ErrorCodes = {
${rows.map((r) => `  ${r.name}: ${r.code},`).join('\n')}
} as const

/** The name of a Kafka error code. */
export type ErrorCodeName = keyof typeof ErrorCodes

interface ErrorInfo {
  readonly name: string
  readonly retriable: boolean
}

const byCode = new Map<number, ErrorInfo>([
${rows.map((r) => `  [${r.code}, { name: '${r.name}', retriable: ${r.retriable} }],`).join('\n')}
])

/** Kafka's name and retriability for an error code; unknown codes are non-retriable. */
export function errorInfo(code: number): ErrorInfo {
  return byCode.get(code) ?? { name: \`UNKNOWN_ERROR_CODE_\${code}\`, retriable: false }
}
`
writeFileSync(join(root, 'packages/core/src/protocol/error-codes.ts'), out)
console.log(`wrote ${rows.length} error codes`)
