import type { ProducerBatch } from '../producer/batch.js'

/**
 * Why the head batch of a partition is not sent right now: one reason per gate of the drain, so
 * that a record that times out can say what it waited for.
 */
export type WaitReason =
  | 'linger'
  | 'the answer to the request in flight to its broker'
  | 'retry backoff'
  | 'newer metadata'
  | 'a leader'
  | 'a connection to the leader'
  | 'the broker to end its throttling'
  | 'a free request slot on the connection'
  | 'earlier batches of the partition in flight'
  | 'the outcome of an expired batch'
  | 'a producer id'
  | 'an epoch bump'
  | 'the partition to join the transaction'
  | 'room in the request'

/**
 * One partition's batches and its idempotence state. Sequences are counted without wrapping (the
 * wire carries them modulo 2^31), so comparisons stay simple.
 *
 * - `batches`: not in flight, oldest first: batches to retry (in sequence order), then new ones;
 *   the last may still be open.
 * - `inFlight`: batches of this partition taken for Produce requests that have not ended.
 * - `producerId` / `epoch`: the identity its sequences belong to. A partition keeps it while it has
 *   batches outstanding, even after the producer moved to a newer epoch for another partition, and
 *   adopts the newest one (sequences from 0) once it has none — as the Java client does.
 * - `nextSequence` / `lastAcked`: the sequence the next new batch gets, and the last sequence the
 *   broker acknowledged (-1 before any).
 * - `abandonedUpTo`: the last sequence of batches given up without a definite answer (expired after
 *   they were sent, or failed after a sequence was assigned); -1 when none. Until a later
 *   acknowledgement covers it, the partition's next sequenced batch is sent alone to find out
 *   whether the broker has those sequences; when it has not (or no such batch is left), the
 *   partition restarts its sequences under a newer epoch (`resetPending`).
 */
export class PartitionQueue {
  readonly topic: string
  readonly partition: number
  readonly batches: ProducerBatch[] = []
  inFlight = 0
  producerId = -1n
  epoch = -1
  nextSequence = 0
  lastAcked = -1
  abandonedUpTo = -1
  /** The partition must restart its sequences under a newer epoch once nothing of it is in flight. */
  resetPending = false
  /** What the head batch waited for at the last drain. */
  waitingFor: WaitReason | undefined

  constructor(topic: string, partition: number) {
    this.topic = topic
    this.partition = partition
  }

  /** The batch records are appended to, if one is open. */
  get open(): ProducerBatch | undefined {
    const last = this.batches[this.batches.length - 1]
    return last !== undefined && !last.closed ? last : undefined
  }

  /** True when batches with a sequence are queued (retries, or halves of a split batch). */
  get hasSequencedQueued(): boolean {
    return (this.batches[0]?.sequence ?? -1) >= 0
  }

  /** Puts batches that must be sent again back, in sequence order ahead of batches without one. */
  requeue(batch: ProducerBatch): void {
    if (batch.sequence < 0) {
      this.batches.unshift(batch)
      return
    }
    let i = 0
    while (i < this.batches.length) {
      const b = this.batches[i] as ProducerBatch
      if (b.sequence < 0 || b.sequence > batch.sequence) break
      i++
    }
    this.batches.splice(i, 0, batch)
  }

  /** A sequenced batch was given up without a definite answer from the broker. */
  abandon(batch: ProducerBatch): void {
    if (batch.sequence >= 0 && batch.lastSequence > this.abandonedUpTo) this.abandonedUpTo = batch.lastSequence
  }

  /**
   * What to do about sequences given up on, once nothing of the partition is in flight: nothing
   * (`resolved`: none, or a later acknowledgement covered them), send the next sequenced batch to
   * find out (`probe`), or restart the sequences (`reset`).
   */
  resolution(): 'resolved' | 'probe' | 'reset' | 'wait' {
    if (this.abandonedUpTo < 0) return 'resolved'
    if (this.lastAcked >= this.abandonedUpTo) {
      this.abandonedUpTo = -1
      return 'resolved'
    }
    if (this.inFlight > 0) return 'wait'
    return this.hasSequencedQueued ? 'probe' : 'reset'
  }

  /**
   * Restarts the sequences under `producerId` and `epoch`: 0 for the first queued batch that had a
   * sequence, and so on in queue order (their headers are rewritten when they are sent).
   */
  restart(producerId: bigint, epoch: number): void {
    this.producerId = producerId
    this.epoch = epoch
    this.nextSequence = 0
    this.lastAcked = -1
    this.abandonedUpTo = -1
    this.resetPending = false
    for (const batch of this.batches) {
      if (batch.sequence < 0) continue
      batch.sequence = this.nextSequence
      this.nextSequence += batch.recordCount
    }
  }
}
