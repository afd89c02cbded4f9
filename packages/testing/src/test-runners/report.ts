import type { MockCluster, MockRecord, MockRequestLogEntry } from '../mock-cluster/mock-cluster.js'
import { formatBytes, formatRecord, lastRecords } from '../mock-cluster/record-format.js'
import type { MockSchemaRegistry } from '../schema-registry/mock-schema-registry.js'

/** How much a failure report shows. */
export interface ReportOptions {
  /** The last requests the cluster received (during the test, for a fixture). Default 30. */
  requests?: number | undefined
  /** The last records of each topic. Default 5. */
  records?: number | undefined
  /** Topics with records shown in detail (the others are counted). Default 20. */
  topics?: number | undefined
}

/** What the report is made of: the cluster, the requests to show, an optional registry. */
export interface ReportInput {
  cluster: MockCluster
  /** The requests to list, oldest first, and how many there were in all (when more were dropped). */
  requests: readonly MockRequestLogEntry[]
  requestTotal: number
  /** What the requests are: 'during this test' or 'since the cluster started'. */
  requestsScope: string
  registry?: MockSchemaRegistry | undefined
  title?: string | undefined
}

/**
 * A plain-text account of a mock cluster for a failed test: brokers, the last requests (broker, API
 * and version, client id, time), each topic's record counts per partition and last records (keys and
 * values shortened), consumer groups with their state, members, committed offsets and lag, and the
 * schema registry's subjects and last requests.
 */
export function formatReport(input: ReportInput, options: ReportOptions = {}): string {
  const maxRequests = options.requests ?? 30
  const maxRecords = options.records ?? 5
  const maxTopics = options.topics ?? 20
  const { cluster } = input
  const lines: string[] = []
  const brokers = cluster.brokers.map((b) => `${b.nodeId}=${b.host}:${b.port}${b.running ? '' : ' (stopped)'}`)
  lines.push(`${input.title ?? 'mock cluster'}: brokers ${brokers.join(', ')}`)

  const shown = input.requests.slice(-maxRequests)
  if (input.requestTotal === 0) {
    lines.push(`requests ${input.requestsScope}: none`)
  } else {
    const of = shown.length < input.requestTotal ? `last ${shown.length} of ${input.requestTotal}` : `${shown.length}`
    lines.push(`requests ${input.requestsScope} (${of}):`)
    for (const r of shown) {
      const time = new Date(r.time).toISOString().slice(11, 23)
      lines.push(`  ${time} broker ${r.brokerId} ${r.apiName} v${r.apiVersion} client ${r.clientId ?? '(none)'}`)
    }
  }

  const empty: string[] = []
  let detailed = 0
  let notShown = 0
  const topics = cluster.topics().sort()
  if (topics.length === 0) lines.push('topics: none')
  else lines.push('topics:')
  for (const topic of topics) {
    let records: MockRecord[]
    try {
      records = cluster.records(topic)
    } catch (error) {
      lines.push(`  ${topic}: records could not be read: ${error instanceof Error ? error.message : String(error)}`)
      continue
    }
    const partitions = cluster.partitionCount(topic)
    const cleared: string[] = []
    for (let p = 0; p < partitions; p++) {
      const start = cluster.startOffset(topic, p)
      if (start > 0n) cleared.push(`${topic}-${p} from ${start}`)
    }
    const note = cleared.length > 0 ? ` (log start moved: ${cleared.join(', ')})` : ''
    if (records.length === 0) {
      empty.push(`${topic}${note}`)
      continue
    }
    if (detailed === maxTopics) {
      notShown++
      continue
    }
    detailed++
    const counts: string[] = []
    for (let p = 0; p < partitions; p++) counts.push(`${p}: ${records.filter((r) => r.partition === p).length}`)
    lines.push(`  ${topic}: ${records.length} record(s) in ${partitions} partition(s) [${counts.join(', ')}]${note}`)
    const last = lastRecords(records, maxRecords)
    if (last.length < records.length) lines.push(`    last ${last.length}:`)
    for (const r of last) lines.push(`    ${formatRecord(r)}${headersOf(r)}`)
  }
  if (notShown > 0)
    lines.push(`  ${notShown} more topic(s) with records not shown (report option topics: ${maxTopics})`)
  if (empty.length > 0) lines.push(`  no records: ${empty.join(', ')}`)

  const groups = cluster.groups()
  if (groups.length > 0) lines.push('groups:')
  for (const g of groups) {
    const members = g.members.map((m) => {
      const owned =
        m.assignment === undefined
          ? ''
          : ` ${Object.entries(m.assignment)
              .map(([t, ps]) => `${t}[${ps.join(',')}]`)
              .join(' ')}`
      return `${m.clientId}${owned}`
    })
    const protocol = g.protocol === undefined ? '' : ` ${g.protocol}`
    lines.push(
      `  ${g.groupId}: ${g.type}${protocol}, ${g.state}, generation ${g.generation}, ${g.members.length} member(s)${members.length > 0 ? `: ${members.join('; ')}` : ''}`,
    )
    const lag = cluster.lag(g.groupId)
    const committed = [...cluster.committedOffsets(g.groupId)].map(
      ([tp, offset]) => `${tp}=${offset} (lag ${lag.get(tp) ?? 0n})`,
    )
    if (committed.length > 0) lines.push(`    committed: ${committed.join(', ')}`)
  }

  const registry = input.registry
  if (registry !== undefined) {
    const subjects = registry.subjects()
    lines.push(
      `schema registry${registry.running ? ` ${registry.url}` : ' (stopped)'}: subjects ${subjects.length === 0 ? 'none' : subjects.join(', ')}`,
    )
    const requests = registry.requests().slice(-5)
    for (const r of requests) lines.push(`  ${r.method} ${r.path}`)
  }
  return lines.join('\n')
}

function headersOf(record: MockRecord): string {
  if (record.headers.length === 0) return ''
  return ` headers ${record.headers.map((h) => `${h.key}=${formatBytes(h.value)}`).join(' ')}`
}
