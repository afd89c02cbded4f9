import type { RequestHeader } from '@tributary/core/protocol'

/** What a handler knows about the broker and connection a request came in on. */
export interface BrokerContext {
  readonly brokerId: number
  readonly connection: {
    readonly remote: string
    /** Aborted when the connection closes, so that a handler still waiting can stop. */
    readonly closed?: AbortSignal
  }
}

/**
 * Answers one API. `handle` returns the response body, or undefined for no response at all
 * (a Produce with acks=0).
 */
export interface RequestHandler<Request = unknown, Response = unknown> {
  handle(
    context: BrokerContext,
    header: RequestHeader,
    request: Request,
  ): Response | undefined | Promise<Response | undefined>
  /** For ApiVersions only: the v0 body sent when the requested version is unsupported. */
  unsupportedVersion?(context: BrokerContext): Response
}
