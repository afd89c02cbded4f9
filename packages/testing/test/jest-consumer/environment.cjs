const { TestEnvironment } = require('jest-environment-node')

// Jest has no onTestFailed: an afterEach cannot see whether its test failed. A test environment
// sees every test event, so this one keeps a flag that useMockCluster's `testFailed` reads (the
// environment's global is the test file's global). It is the snippet of the package README.
class FailureFlagEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (event.name === 'test_start') this.global.__testFailed = false
    if (event.name === 'test_fn_failure') this.global.__testFailed = true
  }
}

module.exports = FailureFlagEnvironment
