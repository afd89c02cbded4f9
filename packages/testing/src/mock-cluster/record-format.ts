import type { MockRecord } from './mock-cluster.js'

// Short, one-line views of records for error messages and failure reports: what a test author
// needs to recognise a record, never the whole payload.

/** How many characters of a key or value a one-line view shows. */
const MAX_TEXT = 60
const MAX_HEX_BYTES = 16

/**
 * A key, value or header value shortened for a message: `null`; text (valid UTF-8 without control
 * characters) as a JSON string cut at 60 characters; the Confluent wire format (magic byte 0 and a
 * schema id) named with its id; anything else as hex, cut at 16 bytes. The length is named when cut.
 */
export function formatBytes(bytes: Buffer | null): string {
  if (bytes === null) return 'null'
  if (bytes.length === 0) return '""'
  const text = printableText(bytes)
  if (text !== undefined) {
    if (text.length <= MAX_TEXT) return JSON.stringify(text)
    return `${JSON.stringify(text.slice(0, MAX_TEXT))}… (${bytes.length} bytes)`
  }
  if (bytes.length >= 5 && bytes[0] === 0) {
    return `<schema id ${bytes.readUInt32BE(1)}, ${bytes.length} bytes: ${hex(bytes)}>`
  }
  return `<${bytes.length} bytes: ${hex(bytes)}>`
}

/** A decoded key or value (an object from a deserializer) shortened for a message. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Buffer.isBuffer(value)) return formatBytes(value)
  let text: string
  try {
    text =
      typeof value === 'string'
        ? JSON.stringify(value)
        : (JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value))
  } catch {
    text = String(value)
  }
  return text.length <= MAX_TEXT + 2 ? text : `${text.slice(0, MAX_TEXT)}…`
}

/** `orders-1@4 key "o-2" value {"id":"o-2"}` */
export function formatRecord(record: MockRecord): string {
  return `${record.topic}-${record.partition}@${record.offset} key ${formatBytes(record.key)} value ${formatBytes(record.value)}`
}

/**
 * The last `count` records by arrival: by timestamp (the producer's clock, or the broker's on
 * LogAppendTime topics), then partition and offset; records are listed in partition order otherwise.
 */
export function lastRecords(records: readonly MockRecord[], count: number): MockRecord[] {
  if (count <= 0) return []
  const sorted = [...records].sort((a, b) =>
    a.timestamp !== b.timestamp
      ? a.timestamp < b.timestamp
        ? -1
        : 1
      : a.partition !== b.partition
        ? a.partition - b.partition
        : a.offset < b.offset
          ? -1
          : a.offset > b.offset
            ? 1
            : 0,
  )
  return sorted.slice(-count)
}

function hex(bytes: Buffer): string {
  const shown = bytes.subarray(0, MAX_HEX_BYTES).toString('hex')
  return bytes.length > MAX_HEX_BYTES ? `${shown}…` : shown
}

function printableText(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8')
  // A replacement character that was not in the bytes means invalid UTF-8.
  if (text.includes('\uFFFD') && !bytes.includes(Buffer.from('\uFFFD', 'utf8'))) return undefined
  // Control characters other than tab, newline and carriage return mean binary.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return undefined
  }
  return text
}
