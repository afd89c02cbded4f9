import { describe, expect, it } from 'vitest'
import { AuthenticationError, ConnectionError, TributaryError } from '../../src/errors/index.js'
import { ErrorCodes } from '../../src/protocol/error-codes.js'

describe('AuthenticationError', () => {
  it('is a non-retriable TributaryError with the broker’s code, naming the mechanism and the broker', () => {
    const error = new AuthenticationError({
      mechanism: 'SCRAM-SHA-512',
      broker: 'kafka-1:9093',
      reason:
        'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
      code: ErrorCodes.SASL_AUTHENTICATION_FAILED,
      brokerMessage:
        'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    })
    expect(error).toBeInstanceOf(TributaryError)
    expect(error.name).toBe('AuthenticationError')
    expect(error.code).toBe(58)
    expect(error.retriable).toBe(false)
    expect(error.mechanism).toBe('SCRAM-SHA-512')
    expect(error.broker).toBe('kafka-1:9093')
    expect(error.enabledMechanisms).toEqual([])
    expect(error.message).toBe(
      'SASL SCRAM-SHA-512 authentication with broker kafka-1:9093 failed (SASL_AUTHENTICATION_FAILED): Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512. Check the SASL mechanism, username and password.',
    )
  })

  it('lists the enabled mechanisms on UNSUPPORTED_SASL_MECHANISM, and speaks of TLS for a TLS handshake', () => {
    const unsupported = new AuthenticationError({
      mechanism: 'PLAIN',
      broker: 'b:1',
      reason: 'the broker does not enable PLAIN; it enables SCRAM-SHA-512',
      code: ErrorCodes.UNSUPPORTED_SASL_MECHANISM,
      enabledMechanisms: ['SCRAM-SHA-512'],
    })
    expect(unsupported.enabledMechanisms).toEqual(['SCRAM-SHA-512'])
    expect(unsupported.message).toMatch(/UNSUPPORTED_SASL_MECHANISM.*enables SCRAM-SHA-512\. Choose a mechanism/)
    const tls = new AuthenticationError({ mechanism: 'TLS', broker: 'b:1', reason: 'self-signed certificate' })
    expect(tls.code).toBe(-1)
    expect(tls.message).toMatch(
      /^TLS handshake with broker b:1 failed: self-signed certificate\. Check the tls options/,
    )
  })

  it('is recognised by its Symbol.for brand across package copies, and by nothing else', () => {
    const error = new AuthenticationError({ mechanism: 'PLAIN', broker: 'b:1', reason: 'x' })
    expect(AuthenticationError.isInstance(error)).toBe(true)
    expect(TributaryError.isInstance(error)).toBe(true)
    expect(ConnectionError.isInstance(error)).toBe(false)
    expect(AuthenticationError.isInstance({ [Symbol.for('tributary.error.authentication')]: true })).toBe(true)
    expect(AuthenticationError.isInstance(new ConnectionError('closed'))).toBe(false)
    expect(AuthenticationError.isInstance(null)).toBe(false)
  })
})
