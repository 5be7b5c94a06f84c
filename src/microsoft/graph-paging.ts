import type { Client } from '@microsoft/microsoft-graph-client';

/**
 * Paging and retries over the Graph client, for imports that store page by page. The client's own RetryHandler
 * already retries 429/503/504 three times after `Retry-After`; this adds a few whole-request retries on top, for
 * what it does not cover (a reset connection, a truncated body, a 500/502, throttling that outlasts its retries),
 * again honouring `Retry-After` when Graph sent one.
 */

export interface GraphRetryOptions {
  /** Attempts in all, the first included. Default 4. */
  attempts?: number;
  /** Backoff without a Retry-After: base, 2×, 4×… Default 1000 ms. */
  baseDelayMs?: number;
  /** Longest wait honoured, whatever Retry-After says. Default 120 s. */
  maxDelayMs?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
}

export interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Whether a failed Graph call is worth repeating: throttling, a server error, or no usable response at all. */
export function isTransientGraphError(err: unknown): boolean {
  const status = (err as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status > 0) return TRANSIENT_STATUS.has(status);
  // No status: the connection dropped, the body was cut short, or the JSON did not parse.
  return !(err instanceof Error && /abort/i.test(err.name));
}

/** Seconds (or an HTTP date) from a GraphError's Retry-After header, in ms. */
export function retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  const headers = (err as { headers?: { get?: (name: string) => string | null } })?.headers;
  const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : null;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    }, { once: true });
  });

/** GET one Graph URL (a path, or an absolute nextLink) with retries. */
export async function graphGet<T>(client: Client, url: string, opts: GraphRetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 120_000;
  const sleep = opts.sleep ?? ((ms: number) => defaultSleep(ms, opts.signal));
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      let request = client.api(url);
      if (opts.headers) request = request.headers(opts.headers);
      return (await request.get()) as T;
    } catch (err) {
      if (attempt >= attempts || !isTransientGraphError(err)) throw err;
      await sleep(Math.min(retryAfterMs(err) ?? base * 2 ** (attempt - 1), max));
    }
  }
}

/**
 * The pages of a Graph collection, following `@odata.nextLink`. Yields each page as it arrives, so the caller
 * stores it before the next one is fetched (bounded memory, and a crash loses at most the page in hand).
 */
export async function* graphPages<T>(client: Client, first: string, opts: GraphRetryOptions = {}): AsyncGenerator<GraphPage<T>, void, undefined> {
  let url: string | undefined = first;
  while (url) {
    const page: GraphPage<T> = await graphGet<GraphPage<T>>(client, url, opts);
    yield { ...page, value: page.value ?? [] };
    url = page['@odata.nextLink'];
  }
}
