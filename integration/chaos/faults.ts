import { createHash } from 'node:crypto'
import { Prng } from './prng.js'

// The fault schedule: a pure function of the seed and the cluster shape. Each step waits 50-200 ms
// (the wall-clock gaps stretch under load; the sequence never changes) and then applies one fault,
// or restores one applied earlier (a restarted broker, latency back to 0, the end of a storm).
// Restorations are placed on the schedule's own clock (the sum of the gaps), so a storm planned to
// outlast the delivery timeout outlasts it in real time too: real gaps are never shorter.

/** Kafka error codes the schedule injects. */
export const ErrorCode = {
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  NOT_ENOUGH_REPLICAS: 19,
} as const

const ERROR_NAMES = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]))

/** Kafka's name of an injected error code. */
export function errorName(code: number): string {
  return ERROR_NAMES.get(code) ?? `error ${code}`
}

/** A request API the cluster can be told to fail. */
export type FailApi = 'Produce' | 'Metadata' | 'InitProducerId'

/** One operation on the mock cluster, as the broker process executes it. */
export type FaultAction =
  | { op: 'failNext'; api: FailApi; errorCode: number; count: number; partition?: number; brokerId?: number }
  | { op: 'clearFailures' }
  | { op: 'setLatency'; brokerId: number; ms: number }
  | { op: 'dropConnections'; brokerId?: number }
  | { op: 'moveLeader'; partition: number; brokerId: number }
  | { op: 'stopBroker'; brokerId: number }
  | { op: 'startBroker'; brokerId: number }

/** The families of faults; `--kinds` selects among them. */
export const FAULT_KINDS = [
  'produce-error',
  'metadata-error',
  'init-pid-error',
  'leader-move',
  'drop-connections',
  'latency',
  'broker-restart',
  'storm',
  'blackhole',
  'blackout',
] as const

export type FaultKind = (typeof FAULT_KINDS)[number]

/** One step of the schedule. */
export interface FaultStep {
  /** Position in the schedule, from 0. */
  index: number
  /** Wait this long after the previous step, in milliseconds. */
  delayMs: number
  /** Time on the schedule's clock (sum of the delays so far). */
  atMs: number
  kind: FaultKind
  /** Undefined for a fault; for a restoration, the index of the step that it undoes. */
  restores?: number
  /** What happens, in words. */
  label: string
  actions: FaultAction[]
}

/** The shape of the cluster and the producer's timeouts, which the schedule is scaled to. */
export interface ScheduleShape {
  brokers: number
  partitions: number
  deliveryTimeoutMs: number
  requestTimeoutMs: number
}

const WEIGHTS: Record<FaultKind, number> = {
  'produce-error': 20,
  'leader-move': 16,
  'drop-connections': 12,
  latency: 10,
  'metadata-error': 8,
  'broker-restart': 8,
  'init-pid-error': 6,
  storm: 2,
  blackhole: 1.5,
  blackout: 1,
}

/** Effectively unlimited: a storm fails every matching request until it is cleared. */
const STORM_COUNT = 1_000_000_000

interface Pending {
  atMs: number
  step: Omit<FaultStep, 'index' | 'delayMs' | 'atMs'>
}

/** The endless fault schedule of a seed: the same seed and shape always give the same steps. */
export function* faultSchedule(seed: number, shape: ScheduleShape): Generator<FaultStep, never, undefined> {
  const rng = new Prng(seed, 1)
  const { brokers, partitions, deliveryTimeoutMs, requestTimeoutMs } = shape
  const allBrokers = Array.from({ length: brokers }, (_, i) => i + 1)
  const down = new Set<number>()
  const slow = new Set<number>()
  let storm = false
  let blackout = false
  const pending: Pending[] = []
  let atMs = 0
  for (let index = 0; ; index++) {
    const delayMs = rng.int(50, 200)
    atMs += delayMs
    pending.sort((a, b) => a.atMs - b.atMs)
    const due = pending[0] !== undefined && pending[0].atMs <= atMs ? pending.shift() : undefined
    if (due !== undefined) {
      const restored = due.step
      if (restored.kind === 'broker-restart') {
        for (const a of restored.actions) if (a.op === 'startBroker') down.delete(a.brokerId)
      } else if (restored.kind === 'latency' || restored.kind === 'blackhole') {
        for (const a of restored.actions) if (a.op === 'setLatency') slow.delete(a.brokerId)
      } else if (restored.kind === 'storm') {
        storm = false
      } else if (restored.kind === 'blackout') {
        blackout = false
        down.clear()
      }
      yield { index, delayMs, atMs, ...restored }
      continue
    }

    const up = allBrokers.filter((b) => !down.has(b))
    const weights: Record<FaultKind, number> = { ...WEIGHTS }
    if (blackout) {
      weights['leader-move'] = 0
      weights['broker-restart'] = 0
    }
    if (down.size >= brokers - 1) weights['broker-restart'] = 0
    if (slow.size >= brokers) {
      weights.latency = 0
      weights.blackhole = 0
    }
    if (storm || blackout) weights.storm = 0
    if (storm || blackout || down.size > 0) weights.blackout = 0
    const kind = rng.weighted(weights)
    const later = (afterMs: number, step: Pending['step']): void => {
      pending.push({ atMs: atMs + afterMs, step })
    }

    let step: Omit<FaultStep, 'index' | 'delayMs' | 'atMs'>
    switch (kind) {
      case 'produce-error': {
        const errorCode = rng.pick([
          ErrorCode.NOT_LEADER_OR_FOLLOWER,
          ErrorCode.NOT_ENOUGH_REPLICAS,
          ErrorCode.REQUEST_TIMED_OUT,
        ])
        const count = rng.int(1, 8)
        const scope = rng.next()
        if (scope < 0.5) {
          const partition = rng.int(0, partitions - 1)
          step = {
            kind,
            label: `Produce fails with ${errorName(errorCode)} (${errorCode}) ${count}x for partition ${partition}`,
            actions: [{ op: 'failNext', api: 'Produce', errorCode, count, partition }],
          }
        } else if (scope < 0.75) {
          const brokerId = rng.pick(allBrokers)
          step = {
            kind,
            label: `Produce fails with ${errorName(errorCode)} (${errorCode}) ${count}x on broker ${brokerId}`,
            actions: [{ op: 'failNext', api: 'Produce', errorCode, count, brokerId }],
          }
        } else {
          step = {
            kind,
            label: `Produce fails with ${errorName(errorCode)} (${errorCode}) ${count}x on any broker`,
            actions: [{ op: 'failNext', api: 'Produce', errorCode, count }],
          }
        }
        break
      }
      case 'metadata-error': {
        const count = rng.int(1, 4)
        step = {
          kind,
          label: `Metadata answers LEADER_NOT_AVAILABLE (5) ${count}x`,
          actions: [{ op: 'failNext', api: 'Metadata', errorCode: ErrorCode.LEADER_NOT_AVAILABLE, count }],
        }
        break
      }
      case 'init-pid-error': {
        const errorCode = rng.pick([
          ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
          ErrorCode.COORDINATOR_NOT_AVAILABLE,
          ErrorCode.NOT_COORDINATOR,
        ])
        const count = rng.int(1, 3)
        step = {
          kind,
          label: `InitProducerId fails with ${errorName(errorCode)} (${errorCode}) ${count}x`,
          actions: [{ op: 'failNext', api: 'InitProducerId', errorCode, count }],
        }
        break
      }
      case 'leader-move': {
        const partition = rng.int(0, partitions - 1)
        const brokerId = rng.pick(up)
        step = {
          kind,
          label: `leader of partition ${partition} moves to broker ${brokerId}`,
          actions: [{ op: 'moveLeader', partition, brokerId }],
        }
        break
      }
      case 'drop-connections': {
        if (rng.chance(0.3)) {
          step = { kind, label: 'every broker drops its connections', actions: [{ op: 'dropConnections' }] }
        } else {
          const brokerId = rng.pick(allBrokers)
          step = {
            kind,
            label: `broker ${brokerId} drops its connections`,
            actions: [{ op: 'dropConnections', brokerId }],
          }
        }
        break
      }
      case 'latency': {
        const brokerId = rng.pick(allBrokers.filter((b) => !slow.has(b)))
        // Mostly small; one in five longer than the request timeout, so that requests time out on the
        // client after the broker has written their batches (outcome unknown to the producer).
        const ms = rng.chance(0.8)
          ? rng.int(20, 300)
          : rng.int(Math.round(requestTimeoutMs * 1.2), Math.round(requestTimeoutMs * 2.5))
        const forMs = rng.int(300, Math.round(deliveryTimeoutMs * 1.5))
        slow.add(brokerId)
        step = {
          kind,
          label: `broker ${brokerId} answers ${ms} ms late (for ${forMs} ms)`,
          actions: [{ op: 'setLatency', brokerId, ms }],
        }
        later(forMs, {
          kind,
          restores: -1,
          label: `broker ${brokerId} answers at once again`,
          actions: [{ op: 'setLatency', brokerId, ms: 0 }],
        })
        break
      }
      case 'blackhole': {
        // A broker that takes requests (and writes their batches) but answers none of them for
        // longer than the delivery timeout, like a long GC pause or a one-way network partition:
        // the producer must time the requests out, give up on their batches (outcome unknown),
        // and find the broker again afterwards.
        const brokerId = rng.pick(allBrokers.filter((b) => !slow.has(b)))
        const forMs = Math.round(deliveryTimeoutMs * rng.float(1.1, 1.6))
        slow.add(brokerId)
        step = {
          kind,
          label: `blackhole: broker ${brokerId} answers ${forMs} ms late (for ${forMs} ms)`,
          actions: [{ op: 'setLatency', brokerId, ms: forMs }],
        }
        later(forMs, {
          kind,
          restores: -1,
          label: `blackhole ends: broker ${brokerId} answers at once again`,
          actions: [{ op: 'setLatency', brokerId, ms: 0 }],
        })
        break
      }
      case 'broker-restart': {
        const brokerId = rng.pick(up)
        const forMs = rng.int(300, Math.round(deliveryTimeoutMs * 1.5))
        down.add(brokerId)
        step = {
          kind,
          label: `broker ${brokerId} stops (for ${forMs} ms)`,
          actions: [{ op: 'stopBroker', brokerId }],
        }
        later(forMs, {
          kind,
          restores: -1,
          label: `broker ${brokerId} starts again`,
          actions: [{ op: 'startBroker', brokerId }],
        })
        break
      }
      case 'storm': {
        // Longer than the delivery timeout: records sent into it must fail with TimeoutError.
        const forMs = Math.round(deliveryTimeoutMs * rng.float(1.2, 2))
        const errorCode = rng.pick([
          ErrorCode.NOT_ENOUGH_REPLICAS,
          ErrorCode.NOT_LEADER_OR_FOLLOWER,
          ErrorCode.REQUEST_TIMED_OUT,
        ])
        const scope = rng.next()
        const actions: FaultAction[] = []
        let where: string
        if (scope < 0.5) {
          const partition = rng.int(0, partitions - 1)
          where = `partition ${partition}`
          actions.push({ op: 'failNext', api: 'Produce', errorCode, count: STORM_COUNT, partition })
        } else if (scope < 0.8) {
          const brokerId = rng.pick(allBrokers)
          where = `broker ${brokerId}`
          actions.push({ op: 'failNext', api: 'Produce', errorCode, count: STORM_COUNT, brokerId })
        } else {
          where = 'every broker'
          actions.push({ op: 'failNext', api: 'Produce', errorCode, count: STORM_COUNT })
        }
        const extras: string[] = []
        if (rng.chance(0.4)) {
          const code = rng.pick([ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE])
          actions.push({ op: 'failNext', api: 'InitProducerId', errorCode: code, count: STORM_COUNT })
          extras.push(`InitProducerId fails with ${errorName(code)} (${code})`)
        }
        if (rng.chance(0.2)) {
          actions.push({
            op: 'failNext',
            api: 'Metadata',
            errorCode: ErrorCode.LEADER_NOT_AVAILABLE,
            count: STORM_COUNT,
          })
          extras.push('Metadata answers LEADER_NOT_AVAILABLE (5)')
        }
        storm = true
        step = {
          kind,
          label: `storm: Produce fails with ${errorName(errorCode)} (${errorCode}) on ${where}${extras.map((e) => `; ${e}`).join('')} (for ${forMs} ms)`,
          actions,
        }
        later(forMs, { kind, restores: -1, label: 'storm ends', actions: [{ op: 'clearFailures' }] })
        break
      }
      case 'blackout': {
        const forMs = Math.round(deliveryTimeoutMs * rng.float(1.1, 1.6))
        blackout = true
        for (const b of allBrokers) down.add(b)
        step = {
          kind,
          label: `blackout: every broker stops (for ${forMs} ms)`,
          actions: allBrokers.map((brokerId) => ({ op: 'stopBroker', brokerId }) as const),
        }
        later(forMs, {
          kind,
          restores: -1,
          label: 'blackout ends: every broker starts',
          actions: allBrokers.map((brokerId) => ({ op: 'startBroker', brokerId }) as const),
        })
        break
      }
    }
    // A restoration names the step it undoes, once that step's index is known.
    const last = pending[pending.length - 1]
    if (last !== undefined && last.step.restores === -1) last.step = { ...last.step, restores: index }
    yield { index, delayMs, atMs, ...step }
  }
}

/** A digest of steps, to compare two runs' schedules at a glance. */
export function scheduleDigest(steps: readonly FaultStep[]): string {
  const hash = createHash('sha256')
  for (const s of steps) hash.update(JSON.stringify([s.index, s.kind, s.restores ?? null, s.actions]))
  return hash.digest('hex').slice(0, 16)
}

/** The first `count` steps of a seed's schedule. */
export function firstSteps(seed: number, shape: ScheduleShape, count: number): FaultStep[] {
  const out: FaultStep[] = []
  const gen = faultSchedule(seed, shape)
  for (let i = 0; i < count; i++) out.push(gen.next().value)
  return out
}
