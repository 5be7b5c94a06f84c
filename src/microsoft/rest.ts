import { withRetries, type RetryOptions } from './retry.js';

/**
 * A failed call to a Microsoft REST API that has no SDK here (Partner Center, Microsoft.ManagementPartner).
 * `code` is the service's own code (Partner Center: a number such as 900421; ARM: a string such as `BadRequest`).
 */
export class MicrosoftRestError extends Error {
  override name = 'MicrosoftRestError';
  constructor(
    readonly statusCode: number,
    readonly code: string | number | undefined,
    message: string,
    readonly headers?: Headers,
  ) {
    super(message);
  }
}

export interface RestCall {
  method?: 'GET' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  token: () => Promise<string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Statuses that are an answer rather than an error (e.g. 404 for "nothing linked"). */
  accept?: number[];
}

/**
 * One JSON call with a bearer token, retried as {@link withRetries} says. Only GET, PUT and DELETE are retried
 * (they are idempotent); the body of a failure becomes a {@link MicrosoftRestError} with the service's code.
 */
export async function restJson<T>(call: RestCall, retry: RetryOptions = {}): Promise<{ status: number; body: T | undefined; headers: Headers }> {
  const once = async () => {
    const res = await fetch(call.url, {
      method: call.method ?? 'GET',
      headers: {
        authorization: `Bearer ${await call.token()}`,
        accept: 'application/json',
        ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...call.headers,
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    const text = await res.text();
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch (err) {
        if (res.ok) throw err; // a cut body: SyntaxError, retried
      }
    }
    if (res.ok || call.accept?.includes(res.status)) return { status: res.status, body: body as T | undefined, headers: res.headers };
    const b = (body ?? {}) as { code?: string | number; description?: string; error?: { code?: string; message?: string } };
    const code = b.error?.code ?? b.code;
    const message = b.error?.message ?? b.description ?? `HTTP ${res.status}`;
    throw new MicrosoftRestError(res.status, code, message, res.headers);
  };
  return call.method === 'PATCH' ? once() : withRetries(once, retry);
}
