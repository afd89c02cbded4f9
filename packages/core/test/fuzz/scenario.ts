// Shared wiring of the scenario files: process guards per file, one `it` per scenario with a
// timeout that turns a hang into a failure, and the problem patterns the errors must name.

import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import {
  assertClean,
  DEFAULT_TIMING,
  installProcessGuards,
  type ProcessGuards,
  runScenario,
  type Scenario,
  scenarioTimeout,
} from './harness.js'

/**
 * Installs the unhandled-rejection / uncaught-exception guards for the file; after each test,
 * asserts that none fired.
 */
export function guardProcess(): void {
  let guards: ProcessGuards | undefined
  beforeAll(() => {
    guards = installProcessGuards()
  })
  afterEach(async () => {
    // Let rejections of the test's last promises surface before looking.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(guards?.takeNew() ?? [], 'unhandled rejections / uncaught exceptions').toEqual([])
  })
  afterAll(() => guards?.dispose())
}

/** One scenario as one test, named as a sentence. */
export function scenario(name: string, spec: Scenario): void {
  const timing = { ...DEFAULT_TIMING, ...spec.timing }
  it(name, async () => assertClean(await runScenario(spec)), scenarioTimeout(timing))
}

/** What the errors must name, per kind of fault. */
export const PROBLEM = {
  correlation: /correlation id/i,
  undecodable: /could not be decoded|decod|truncated|exceeds|malformed|runs past|past the end/i,
  /** Random bytes: anything that says the response was not understood (or what was wrong in it). */
  garbled:
    /could not be decoded|decod|truncated|exceeds|malformed|runs past|past the end|invalid|negative|null|unknown|error code|correlation id|frame|larger than/i,
  noAnswer: /timed out|timeout|no answer|did not answer|not answered/i,
  closed: /closed|reset|ECONNRESET|EPIPE|socket hang up/i,
} as const
