import { afterEach, describe, expect, it, vi } from 'vitest'
import { python } from '../src/python.js'

// Needs a python3 (scripts/install-system-deps.sh installs Debian's, with the Kafka clients).

describe('python', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('finds a python3 that imports both Kafka clients by default', async () => {
    const found = python()
    expect(found).toMatch(/python3$/)
  })

  it('prefers $PYTHON when it can import the modules', () => {
    vi.stubEnv('PYTHON', '/usr/bin/python3')
    expect(python(['json'])).toBe('/usr/bin/python3')
  })

  it('falls back to python3 on PATH, then /usr/bin/python3, when $PYTHON cannot', () => {
    vi.stubEnv('PYTHON', '/nonexistent/python3')
    expect(['python3', '/usr/bin/python3']).toContain(python(['json']))
  })

  it('names every interpreter it tried when none can import the modules', () => {
    vi.stubEnv('PYTHON', '/nonexistent/python3')
    expect(() => python(['tributary_no_such_module'])).toThrow(
      'no python3 (tried /nonexistent/python3, python3, /usr/bin/python3) can import tributary_no_such_module; scripts/install-system-deps.sh installs it',
    )
  })
})
