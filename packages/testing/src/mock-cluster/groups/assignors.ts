// Server-side assignors of KIP-848 consumer groups (Kafka's group.consumer.assignors: uniform, the
// default, then range). Partitions are keyed by topic id, as in Kafka's assignor API.

/** A partition assignment: topic id to partitions. */
export type TopicPartitions = Map<string, Set<number>>

export interface AssignorMember {
  memberId: string
  /** Topic ids the member subscribes to that exist. */
  subscribed: ReadonlySet<string>
  /** The member's current target assignment, for stickiness. */
  current: TopicPartitions
}

export interface AssignorInput {
  /** In a stable order (the group's member order). */
  members: AssignorMember[]
  /** Partition count per subscribed topic id. */
  partitions: ReadonlyMap<string, number>
}

export type ServerAssignor = (input: AssignorInput) => Map<string, TopicPartitions>

export const ASSIGNOR_NAMES = ['uniform', 'range'] as const

function add(assignment: TopicPartitions, topicId: string, partition: number): void {
  let set = assignment.get(topicId)
  if (set === undefined) {
    set = new Set()
    assignment.set(topicId, set)
  }
  set.add(partition)
}

function count(assignment: TopicPartitions): number {
  let n = 0
  for (const s of assignment.values()) n += s.size
  return n
}

function sameSubscriptions(members: readonly AssignorMember[]): boolean {
  const first = members[0]
  if (first === undefined) return true
  return members.every(
    (m) => m.subscribed.size === first.subscribed.size && [...m.subscribed].every((t) => first.subscribed.has(t)),
  )
}

/**
 * The uniform assignor. With one subscription for all members, Kafka's
 * UniformHomogeneousAssignmentBuilder: every member keeps its current partitions up to its quota
 * (total / members, the first `total % members` members one more), the rest go to members below
 * their quota. With different subscriptions, a sticky balance: current owners keep subscribed
 * partitions, free ones go to the least loaded subscriber, then partitions move from a member with
 * two or more more partitions to a subscriber with fewer until no such move remains (Kafka's
 * heterogeneous builder reaches a comparable balance by a different route).
 */
export const uniformAssignor: ServerAssignor = ({ members, partitions }) => {
  const result = new Map<string, TopicPartitions>()
  for (const m of members) result.set(m.memberId, new Map())
  if (members.length === 0) return result
  if (sameSubscriptions(members)) {
    const topics = [...(members[0] as AssignorMember).subscribed].filter((t) => partitions.has(t)).sort()
    let total = 0
    for (const t of topics) total += partitions.get(t) as number
    const minQuota = Math.floor(total / members.length)
    let extra = total % members.length
    const taken = new Set<string>()
    const unfilled: Array<{ memberId: string; remaining: number }> = []
    for (const m of members) {
      let quota = minQuota
      if (extra > 0) {
        quota++
        extra--
      }
      const mine = result.get(m.memberId) as TopicPartitions
      for (const [topicId, set] of m.current) {
        const size = partitions.get(topicId)
        if (size === undefined || !m.subscribed.has(topicId)) continue
        for (const p of [...set].sort((a, b) => a - b)) {
          const key = `${topicId}:${p}`
          if (p >= size || taken.has(key) || quota === 0) continue
          taken.add(key)
          add(mine, topicId, p)
          quota--
        }
      }
      if (quota > 0) unfilled.push({ memberId: m.memberId, remaining: quota })
    }
    const free: Array<[string, number]> = []
    for (const t of topics) {
      for (let p = 0; p < (partitions.get(t) as number); p++) if (!taken.has(`${t}:${p}`)) free.push([t, p])
    }
    let next = 0
    for (const u of unfilled) {
      const mine = result.get(u.memberId) as TopicPartitions
      for (let i = 0; i < u.remaining && next < free.length; i++) {
        const [t, p] = free[next++] as [string, number]
        add(mine, t, p)
      }
    }
    return result
  }
  // Heterogeneous subscriptions.
  const owner = new Map<string, string>()
  for (const m of members) {
    for (const [topicId, set] of m.current) {
      const size = partitions.get(topicId)
      if (size === undefined || !m.subscribed.has(topicId)) continue
      for (const p of set) {
        const key = `${topicId}:${p}`
        if (p < size && !owner.has(key)) {
          owner.set(key, m.memberId)
          add(result.get(m.memberId) as TopicPartitions, topicId, p)
        }
      }
    }
  }
  const load = (id: string) => count(result.get(id) as TopicPartitions)
  for (const topicId of [...partitions.keys()].sort()) {
    const subscribers = members.filter((m) => m.subscribed.has(topicId))
    if (subscribers.length === 0) continue
    for (let p = 0; p < (partitions.get(topicId) as number); p++) {
      if (owner.has(`${topicId}:${p}`)) continue
      const least = subscribers.reduce((a, b) => (load(b.memberId) < load(a.memberId) ? b : a))
      owner.set(`${topicId}:${p}`, least.memberId)
      add(result.get(least.memberId) as TopicPartitions, topicId, p)
    }
  }
  // Move partitions from overloaded to underloaded subscribers; each move lowers the spread.
  for (let moves = 0; moves < 100_000; moves++) {
    let moved = false
    for (const from of members) {
      const fromAssignment = result.get(from.memberId) as TopicPartitions
      for (const to of members) {
        if (load(from.memberId) - load(to.memberId) < 2) continue
        for (const [topicId, set] of fromAssignment) {
          if (!to.subscribed.has(topicId) || set.size === 0) continue
          const p = Math.max(...set)
          set.delete(p)
          if (set.size === 0) fromAssignment.delete(topicId)
          add(result.get(to.memberId) as TopicPartitions, topicId, p)
          moved = true
          break
        }
        if (moved) break
      }
      if (moved) break
    }
    if (!moved) break
  }
  return result
}

/**
 * The range assignor: for each topic, its subscribers sorted by member id get consecutive ranges
 * of partitions, the first `partitions % subscribers` one more (co-partitioned topics land together).
 */
export const rangeAssignor: ServerAssignor = ({ members, partitions }) => {
  const result = new Map<string, TopicPartitions>()
  for (const m of members) result.set(m.memberId, new Map())
  for (const topicId of [...partitions.keys()].sort()) {
    const subscribers = members
      .filter((m) => m.subscribed.has(topicId))
      .map((m) => m.memberId)
      .sort()
    if (subscribers.length === 0) continue
    const n = partitions.get(topicId) as number
    const per = Math.floor(n / subscribers.length)
    const extra = n % subscribers.length
    let next = 0
    subscribers.forEach((memberId, i) => {
      const take = per + (i < extra ? 1 : 0)
      for (let k = 0; k < take; k++) add(result.get(memberId) as TopicPartitions, topicId, next++)
    })
  }
  return result
}

export const SERVER_ASSIGNORS: Record<(typeof ASSIGNOR_NAMES)[number], ServerAssignor> = {
  uniform: uniformAssignor,
  range: rangeAssignor,
}
