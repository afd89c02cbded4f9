import { type ApiVersionsRequest, type ApiVersionsResponse, ErrorCodes } from '@tributary/core/protocol'
import type { RequestHandler } from './handler.js'

/** Answers ApiVersions with the versions the mock cluster implements. */
export function apiVersionsHandler(
  ranges: () => ReadonlyArray<{ apiKey: number; min: number; max: number }>,
): RequestHandler<ApiVersionsRequest, ApiVersionsResponse> {
  const body = (errorCode: number): ApiVersionsResponse => ({
    errorCode,
    apiKeys: ranges().map((r) => ({ apiKey: r.apiKey, minVersion: r.min, maxVersion: r.max })),
    throttleTimeMs: 0,
  })
  return {
    handle: () => body(ErrorCodes.NONE),
    unsupportedVersion: () => body(ErrorCodes.UNSUPPORTED_VERSION),
  }
}
