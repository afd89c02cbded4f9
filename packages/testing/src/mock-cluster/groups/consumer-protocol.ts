// The embedded consumer protocol (Kafka's ConsumerProtocolSubscription and
// ConsumerProtocolAssignment, versions 0-3) that consumers put in JoinGroup metadata and SyncGroup
// assignments. Kafka's group coordinator stores both as opaque bytes; it only reads the subscribed
// topics (with the version 0 prefix, ClassicGroup.computeSubscribedTopics) and never fails a request
// over bytes that do not parse. The decoders here are the same: bounded, never throwing, undefined
// for anything that is not a well-formed message.

/** A decoded ConsumerProtocolSubscription (JoinGroup metadata of protocol type "consumer"). */
export interface ConsumerSubscription {
  version: number
  topics: string[]
  userData: Buffer | null
  /** Version 1+. */
  ownedPartitions: Array<{ topic: string; partitions: number[] }>
  /** Version 2+; -1 otherwise. */
  generationId: number
  /** Version 3+. */
  rackId: string | null
}

/** A decoded ConsumerProtocolAssignment (SyncGroup assignment of protocol type "consumer"). */
export interface ConsumerAssignment {
  version: number
  partitions: Array<{ topic: string; partitions: number[] }>
  userData: Buffer | null
}

class Cursor {
  offset = 0
  readonly bytes: Buffer

  constructor(bytes: Buffer) {
    this.bytes = bytes
  }

  need(n: number): void {
    if (n < 0 || this.offset + n > this.bytes.length) throw new RangeError('truncated')
  }

  int16(): number {
    this.need(2)
    const v = this.bytes.readInt16BE(this.offset)
    this.offset += 2
    return v
  }

  int32(): number {
    this.need(4)
    const v = this.bytes.readInt32BE(this.offset)
    this.offset += 4
    return v
  }

  string(nullable: boolean): string | null {
    const length = this.int16()
    if (length === -1 && nullable) return null
    if (length < 0) throw new RangeError('negative string length')
    this.need(length)
    const s = this.bytes.toString('utf8', this.offset, this.offset + length)
    this.offset += length
    return s
  }

  bytesField(): Buffer | null {
    const length = this.int32()
    if (length === -1) return null
    if (length < 0) throw new RangeError('negative bytes length')
    this.need(length)
    const b = Buffer.from(this.bytes.subarray(this.offset, this.offset + length))
    this.offset += length
    return b
  }

  /** An array length, checked against the bytes left (each element takes at least `minBytes`). */
  arrayLength(minBytes: number): number {
    const n = this.int32()
    if (n < 0 || n * minBytes > this.bytes.length - this.offset) throw new RangeError('bad array length')
    return n
  }

  topicPartitions(): Array<{ topic: string; partitions: number[] }> {
    const count = this.arrayLength(6)
    const out: Array<{ topic: string; partitions: number[] }> = []
    for (let i = 0; i < count; i++) {
      const topic = this.string(false) as string
      const n = this.arrayLength(4)
      const partitions: number[] = []
      for (let j = 0; j < n; j++) partitions.push(this.int32())
      out.push({ topic, partitions })
    }
    return out
  }
}

/**
 * Decodes JoinGroup metadata as a ConsumerProtocolSubscription. A version above 3 is read with the
 * fields of version 3 (later versions only append fields, as Kafka's own parser assumes).
 */
export function decodeSubscription(bytes: Buffer): ConsumerSubscription | undefined {
  try {
    const c = new Cursor(bytes)
    const version = c.int16()
    if (version < 0) return undefined
    const n = c.arrayLength(2)
    const topics: string[] = []
    for (let i = 0; i < n; i++) topics.push(c.string(false) as string)
    const userData = c.bytesField()
    const ownedPartitions = version >= 1 ? c.topicPartitions() : []
    const generationId = version >= 2 ? c.int32() : -1
    const rackId = version >= 3 ? c.string(true) : null
    return { version, topics, userData, ownedPartitions, generationId, rackId }
  } catch {
    return undefined
  }
}

/**
 * Decodes a SyncGroup assignment as a ConsumerProtocolAssignment; an empty buffer (Kafka's
 * EMPTY_ASSIGNMENT, what a member without an assignment gets) is an assignment of nothing.
 */
export function decodeAssignment(bytes: Buffer): ConsumerAssignment | undefined {
  if (bytes.length === 0) return { version: 0, partitions: [], userData: null }
  try {
    const c = new Cursor(bytes)
    const version = c.int16()
    if (version < 0) return undefined
    const partitions = c.topicPartitions()
    const userData = c.bytesField()
    return { version, partitions, userData }
  } catch {
    return undefined
  }
}

/** The topics of a subscription, or undefined when the metadata does not parse. */
export function subscribedTopicsOf(metadata: Buffer): string[] | undefined {
  return decodeSubscription(metadata)?.topics
}
