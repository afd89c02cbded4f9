import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node'

/**
 * Ends a run with one plain line, `Tests: N passed, N failed` (`, N skipped` when some were), that
 * tools can read without parsing Vitest's coloured summary. It runs beside the default reporter.
 *
 * A failure outside any test — a file that does not load, a failing `beforeAll`/`afterAll`, an
 * unhandled error — counts as one failed, so the line never reads "0 failed" for a failing run.
 */
export class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    _reason: TestRunEndReason,
  ): void {
    let passed = 0
    let failed = unhandledErrors.length
    let skipped = 0
    for (const testModule of testModules) {
      if (testModule.errors().length > 0) failed++
      for (const suite of testModule.children.allSuites()) if (suite.errors().length > 0) failed++
      for (const test of testModule.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
    }
    const line = `Tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`
    process.stdout.write(`\n${line}\n`)
  }
}

export default SummaryReporter
