import type { MockSchemaRegistry } from '@tributary/testing'

/** One HTTP call to the mock, as any client makes it; the body parsed when it is JSON. */
export async function call(
  mock: MockSchemaRegistry,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } }
  if (body !== undefined) init.body = JSON.stringify(body)
  const response = await fetch(`${mock.url}${path}`, init)
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  return { status: response.status, body: parsed }
}

/** Registers and answers the id (or the error body). */
export async function register(
  mock: MockSchemaRegistry,
  subject: string,
  schema: string,
  extra: Record<string, unknown> = {},
  query = '',
): Promise<unknown> {
  const { body } = await call(mock, 'POST', `/subjects/${subject}/versions${query}`, { schema, ...extra })
  return (body as { id?: number }).id ?? body
}
