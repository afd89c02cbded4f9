// Random fault sequences (fast-check, seeded): per API, the broker answers its first requests with
// randomly chosen faults (sometimes one fault for every request, until it heals), some connections
// start with garbage or are closed at once; the producer's settings and the records' forms vary.
// Every run checks the same invariants as the scenarios: every record settles by its deadline,
// acknowledged or with a typed error; nothing allocates absurdly; after heal() a new send on the
// same producer is acknowledged and stored, and flush() and close() resolve.
//
// Reproduce a failure with the seed it prints:
//   FUZZ_SEED=<seed> npx vitest run --project @tributary/core test/fuzz/random-faults.test.ts
// (add FUZZ_PATH=<path> from the failure report to rerun only the failing run). FUZZ_RUNS sets the
// number of runs (default 25); FUZZ_SHRINK=1 shrinks a failure to a smaller
// sequence (slow: every shrink step is a run with real sockets).

import fc from 'fast-check'
import { describe, it } from 'vitest'
import {
  API_NAMES,
  type ApiName,
  type ConnectionFault,
  connectionFaults,
  type FakeBroker,
  faults,
  type Mutator,
} from './fake-broker.js'
import { assertClean, type RecordPlan, runScenario, settleMargin, type Timing } from './harness.js'
import { guardProcess } from './scenario.js'

guardProcess()

/** A fault as plain data, so that fast-check can print (and shrink) it. */
interface FaultSpec {
  readonly fault: string
  readonly arg?: number
}

const common: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.constant({ fault: 'healthy' }),
  fc.record({ fault: fc.constant('wrongCorrelationId'), arg: fc.constantFrom(1, 7, -3, 1_000_000) }),
  fc.record({ fault: fc.constant('truncatedFrame'), arg: fc.constantFrom(0, 0.1, 0.5, 0.9) }),
  fc.record({ fault: fc.constant('truncatedIntoNext'), arg: fc.constantFrom(0.1, 0.5, 0.9) }),
  fc.record({ fault: fc.constant('randomAfterHeader'), arg: fc.integer({ min: 0, max: 200 }) }),
  fc.constant({ fault: 'absurdArrayCount' }),
  fc.constant({ fault: 'silent' }),
  fc.constant({ fault: 'closeMidResponse' }),
  fc.constant({ fault: 'closeWithoutAnswer' }),
  // One answer inside the request timeout, one after it.
  fc.record({ fault: fc.constant('delay'), arg: fc.constantFrom(50, 450) }),
  // Unknown codes, and known ones that mean something else for each API.
  fc.record({ fault: fc.constant('errorCode'), arg: fc.constantFrom(9999, -5, 1, 3, 6, 7, 15, 35) }),
)

const specific: Record<ApiName, fc.Arbitrary<FaultSpec>> = {
  // Not apiVersionsEmpty / apiVersionsInvertedRanges: whether a connection that negotiated no usable
  // version must be dropped is a scenario of its own (handshake-faults); here it would fail most runs.
  ApiVersions: fc.record({ fault: fc.constant('errorCode'), arg: fc.constantFrom(35, 9999) }),
  Metadata: fc.oneof(
    fc.record({
      fault: fc.constant('metadataPartitionIndex'),
      arg: fc.constantFrom(50_000_000, -1, 3, 2_147_483_647, -2_147_483_648),
    }),
    fc.constant({ fault: 'metadataZeroPartitions' }),
    fc.constant({ fault: 'metadataNoLeader' }),
    fc.constant({ fault: 'metadataUnknownLeader' }),
    fc.constant({ fault: 'metadataNoBrokers' }),
    fc.constant({ fault: 'metadataDuplicatePartitions' }),
    fc.record({ fault: fc.constant('metadataPartitionErrorCode'), arg: fc.constantFrom(9999, -5, 5, 9) }),
  ),
  InitProducerId: fc.constant({ fault: 'initProducerIdNegative' }),
  Produce: fc.oneof(
    fc.record({ fault: fc.constant('produceBaseOffset'), arg: fc.constantFrom(-1, -5) }),
    fc.constant({ fault: 'produceUnaskedPartitions' }),
    fc.constant({ fault: 'produceDuplicatePartitions' }),
    fc.record({ fault: fc.constant('producePartitionIndex'), arg: fc.constantFrom(50_000_000, -1) }),
    fc.constant({ fault: 'produceEmpty' }),
  ),
}

function mutator(spec: FaultSpec): Mutator {
  const arg = spec.arg ?? 0
  switch (spec.fault) {
    case 'healthy':
      return faults.healthy()
    case 'wrongCorrelationId':
      return faults.wrongCorrelationId(arg)
    case 'truncatedFrame':
      return faults.truncatedFrame(arg)
    case 'truncatedIntoNext':
      return faults.truncatedIntoNext(arg)
    case 'randomAfterHeader':
      return faults.randomAfterHeader(arg)
    case 'absurdArrayCount':
      return faults.absurdArrayCount()
    case 'silent':
      return faults.silent()
    case 'closeMidResponse':
      return faults.closeMidResponse()
    case 'closeWithoutAnswer':
      return faults.closeWithoutAnswer()
    case 'delay':
      return faults.delay(arg)
    case 'errorCode':
      return faults.errorCode(arg)
    case 'apiVersionsEmpty':
      return faults.apiVersionsEmpty()
    case 'apiVersionsInvertedRanges':
      return faults.apiVersionsInvertedRanges()
    case 'metadataPartitionIndex':
      return faults.metadataPartitionIndex(arg)
    case 'metadataZeroPartitions':
      return faults.metadataZeroPartitions()
    case 'metadataNoLeader':
      return faults.metadataNoLeader()
    case 'metadataUnknownLeader':
      return faults.metadataUnknownLeader()
    case 'metadataNoBrokers':
      return faults.metadataNoBrokers()
    case 'metadataDuplicatePartitions':
      return faults.metadataDuplicatePartitions()
    case 'metadataPartitionErrorCode':
      return faults.metadataPartitionErrorCode(arg)
    case 'initProducerIdNegative':
      return faults.initProducerIdNegative()
    case 'produceBaseOffset':
      return faults.produceBaseOffset(BigInt(arg))
    case 'produceUnaskedPartitions':
      return faults.produceUnaskedPartitions()
    case 'produceDuplicatePartitions':
      return faults.produceDuplicatePartitions()
    case 'producePartitionIndex':
      return faults.producePartitionIndex(arg)
    case 'produceEmpty':
      return faults.produceEmpty()
    default:
      throw new Error(`unknown fault ${spec.fault}`)
  }
}

type ConnectionSpec = 'junk-frame' | 'negative-size' | 'noise' | 'close'

function connectionFault(spec: ConnectionSpec): ConnectionFault {
  return spec === 'close' ? connectionFaults.closeOnAccept() : connectionFaults.garbageFirst(spec)
}

const faultFor = (api: ApiName) => fc.oneof({ arbitrary: common, weight: 3 }, { arbitrary: specific[api], weight: 2 })

/** What one run does. */
interface Run {
  /** Per API: faults for its first requests, one each. */
  readonly sequences: Record<ApiName, FaultSpec[]>
  /** Per API, sometimes: one fault for every request after the sequence, until heal(). */
  readonly standing: Record<ApiName, FaultSpec | undefined>
  readonly connections: ConnectionSpec[]
  readonly plan: RecordPlan
  readonly producer: { acks: 'all' | 1; idempotent: boolean; maxInFlight: number; lingerMs: number }
  readonly seed: number
}

const runArbitrary: fc.Arbitrary<Run> = fc.record({
  sequences: fc.record(
    Object.fromEntries(API_NAMES.map((api) => [api, fc.array(faultFor(api), { maxLength: 4 })])) as Record<
      ApiName,
      fc.Arbitrary<FaultSpec[]>
    >,
  ),
  // A standing fault for one API in about five: most runs end with a healthy broker.
  standing: fc.record(
    Object.fromEntries(
      API_NAMES.map((api) => [
        api,
        fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: faultFor(api), weight: 1 }),
      ]),
    ) as Record<ApiName, fc.Arbitrary<FaultSpec | undefined>>,
  ),
  connections: fc.array(fc.constantFrom<ConnectionSpec>('junk-frame', 'negative-size', 'noise', 'close'), {
    maxLength: 2,
  }),
  plan: fc
    .record({
      promise: fc.integer({ min: 0, max: 3 }),
      callback: fc.integer({ min: 0, max: 3 }),
      batch: fc.integer({ min: 0, max: 4 }),
    })
    .filter((p) => p.promise + p.callback + p.batch > 0),
  producer: fc.oneof(
    fc.record({
      acks: fc.constant<'all'>('all'),
      idempotent: fc.boolean(),
      maxInFlight: fc.integer({ min: 1, max: 5 }),
      lingerMs: fc.integer({ min: 0, max: 5 }),
    }),
    fc.record({
      acks: fc.constant<1>(1),
      idempotent: fc.constant(false),
      maxInFlight: fc.integer({ min: 1, max: 5 }),
      lingerMs: fc.integer({ min: 0, max: 5 }),
    }),
  ),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
})

/** Short timeouts: a run that fails everything still ends in about two seconds. */
const TIMING: Partial<Timing> = {
  requestTimeoutMs: 300,
  deliveryTimeoutMs: 1000,
  maxBlockMs: 800,
  retryBackoffMs: 10,
  retryBackoffMaxMs: 100,
  connectTimeoutMs: 300,
}

function arrange(run: Run, broker: FakeBroker): void {
  for (const api of API_NAMES) {
    broker.next(api, ...run.sequences[api].map(mutator))
    const standing = run.standing[api]
    if (standing !== undefined) broker.always(api, mutator(standing))
  }
  broker.nextConnections(...run.connections.map(connectionFault))
}

function envInteger(name: string): number | undefined {
  const text = process.env[name]
  if (text === undefined || text.trim() === '') return undefined
  const value = Number(text)
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got '${text}'`)
  return value
}

const seed = envInteger('FUZZ_SEED') ?? (Date.now() ^ Math.floor(Math.random() * 2 ** 31)) | 0
const numRuns = envInteger('FUZZ_RUNS') ?? 25
const shrink = process.env.FUZZ_SHRINK === '1'
/** fast-check's replay path of a failure (printed with it), to rerun only that run: FUZZ_PATH=12 with FUZZ_SEED. */
const path = process.env.FUZZ_PATH?.trim() || undefined
const fullTiming = { deliveryTimeoutMs: 1000, requestTimeoutMs: 300 } as Timing
/** Per run: the fault phase and recovery, send, flush and close, each bounded by deadline + margin. */
const perRunBoundMs = 4 * (fullTiming.deliveryTimeoutMs + settleMargin(fullTiming)) + 1000

describe('random fault sequences', () => {
  it(
    `every record settles, errors are typed, and the producer recovers, over ${numRuns} seeded runs`,
    async () => {
      try {
        await fc.assert(
          fc.asyncProperty(runArbitrary, async (run) => {
            const report = await runScenario({
              arrange: (broker) => arrange(run, broker),
              // Random faults have no one problem to name: any typed error with a message will do.
              problem: /\S/,
              plan: run.plan,
              timing: { ...TIMING, lingerMs: run.producer.lingerMs },
              producer: {
                acks: run.producer.acks,
                idempotent: run.producer.idempotent,
                maxInFlight: run.producer.maxInFlight,
              },
              broker: { seed: run.seed },
              acksMayLie: [...run.sequences.Produce, run.standing.Produce].some(
                (f) => f?.fault === 'produceBaseOffset' || f?.fault === 'produceDuplicatePartitions',
              ),
            })
            assertClean(report)
          }),
          { seed, numRuns, endOnFailure: !shrink, ...(path === undefined ? {} : { path }) },
        )
      } catch (error) {
        const message = (error as Error).message
        throw new Error(
          `random fault run failed; reproduce with FUZZ_SEED=${seed} npx vitest run --project @tributary/core test/fuzz/random-faults.test.ts\n${message}`,
          { cause: error },
        )
      }
    },
    numRuns * perRunBoundMs + 30_000,
  )
})
