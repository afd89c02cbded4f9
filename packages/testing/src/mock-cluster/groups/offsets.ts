/** An offset committed for a group's partition, as Kafka's OffsetAndMetadata keeps it. */
export interface CommittedOffset {
  offset: bigint
  /** -1 when the committer gave none. */
  leaderEpoch: number
  /** '' when the committer gave none (null), as Kafka stores it. */
  metadata: string
  /** Milliseconds since the epoch, the coordinator's clock at the commit. */
  commitTimestamp: number
  /** Whether it came from a committed transaction (TxnOffsetCommit then EndTxn). */
  transactional: boolean
}

/** Committed offsets per group, topic and partition (Kafka's OffsetMetadataManager main store). */
export class OffsetStore {
  private readonly byGroup = new Map<string, Map<string, Map<number, CommittedOffset>>>()

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.byGroup.get(groupId)?.get(topic)?.get(partition)
  }

  put(groupId: string, topic: string, partition: number, value: CommittedOffset): void {
    let topics = this.byGroup.get(groupId)
    if (topics === undefined) {
      topics = new Map()
      this.byGroup.set(groupId, topics)
    }
    let partitions = topics.get(topic)
    if (partitions === undefined) {
      partitions = new Map()
      topics.set(topic, partitions)
    }
    partitions.set(partition, value)
  }

  /** Removes one offset; true if there was one. */
  delete(groupId: string, topic: string, partition: number): boolean {
    const topics = this.byGroup.get(groupId)
    const partitions = topics?.get(topic)
    if (topics === undefined || partitions === undefined || !partitions.delete(partition)) return false
    if (partitions.size === 0) topics.delete(topic)
    if (topics.size === 0) this.byGroup.delete(groupId)
    return true
  }

  /** Removes every offset of a group; returns how many there were. */
  deleteGroup(groupId: string): number {
    let n = 0
    for (const partitions of this.byGroup.get(groupId)?.values() ?? []) n += partitions.size
    this.byGroup.delete(groupId)
    return n
  }

  /** Removes every offset of a topic in every group (the topic was deleted). */
  deleteTopic(topic: string): void {
    for (const [groupId, topics] of this.byGroup) {
      topics.delete(topic)
      if (topics.size === 0) this.byGroup.delete(groupId)
    }
  }

  /** A group's offsets, topic by topic, partitions in ascending order. */
  list(groupId: string): Array<{ topic: string; partition: number; committed: CommittedOffset }> {
    const out: Array<{ topic: string; partition: number; committed: CommittedOffset }> = []
    for (const [topic, partitions] of this.byGroup.get(groupId) ?? []) {
      for (const partition of [...partitions.keys()].sort((a, b) => a - b)) {
        out.push({ topic, partition, committed: partitions.get(partition) as CommittedOffset })
      }
    }
    return out
  }

  hasGroup(groupId: string): boolean {
    return this.byGroup.has(groupId)
  }

  groupIds(): string[] {
    return [...this.byGroup.keys()]
  }
}
