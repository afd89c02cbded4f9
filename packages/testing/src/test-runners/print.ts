/**
 * Prints the mock cluster's report for a failed test with `print` (default `console.error`, which
 * Vitest and Jest show with the test's output). A report that cannot be made says why instead.
 */
export function printFailureReport(
  report: () => string,
  testName: string | undefined,
  print: ((text: string) => void) | undefined,
): void {
  const title = testName === undefined ? 'a test failed' : `test "${testName}" failed`
  let text: string
  try {
    text = `[@tributary/testing] ${title}; ${report()}`
  } catch (error) {
    text = `[@tributary/testing] ${title}; the mock cluster report failed: ${error instanceof Error ? error.message : String(error)}`
  }
  ;(print ?? console.error)(text)
}
