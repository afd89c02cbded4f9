import {
  ErrorCodes,
  type SaslAuthenticateRequest,
  type SaslAuthenticateResponse,
  type SaslHandshakeRequest,
  type SaslHandshakeResponse,
} from '@tributary/core/protocol'
import type { RequestHandler } from '../handlers/handler.js'

// What a Kafka broker's request handler answers to SASL requests that reach it, i.e. on a
// listener without SASL (the SASL listener's authenticator answers them before they get there).

/** SaslHandshake on a listener without SASL: ILLEGAL_SASL_STATE, as Kafka's KafkaApis answers. */
export function saslHandshakeHandler(): RequestHandler<SaslHandshakeRequest, SaslHandshakeResponse> {
  return { handle: () => ({ errorCode: ErrorCodes.ILLEGAL_SASL_STATE, mechanisms: [] }) }
}

/** SaslAuthenticate on a listener without SASL: ILLEGAL_SASL_STATE. */
export function saslAuthenticateHandler(): RequestHandler<SaslAuthenticateRequest, SaslAuthenticateResponse> {
  return {
    handle: () => ({
      errorCode: ErrorCodes.ILLEGAL_SASL_STATE,
      errorMessage: 'SaslAuthenticate request received on a listener without SASL',
      authBytes: Buffer.alloc(0),
      sessionLifetimeMs: 0n,
    }),
  }
}
