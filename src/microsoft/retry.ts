/**
 * Retries for Microsoft API reads: 429 and 503 honour `Retry-After`; other 5xx, connection resets and truncated
 * bodies (a JSON parse failure of a 2xx) back off exponentially. Anything else (4xx, auth) is thrown at once: a retry
 * cannot fix it. The Graph client's own RetryHandler covers 429/503/504 only, three times; this covers the rest.
 */
export interface RetryOptions {
  /** Tries in all, the first included. Default 6. */
  attempts?: number;
  /** First backoff when the answer gives no Retry-After. Default 500 ms, doubled each time. */
  baseDelayMs?: number;
  /** Ceiling of any single wait, Retry-After included. Default 60 s. */
  maxDelayMs?: number;
  /** Injected so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Told about each retry (for the log). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  signal?: AbortSignal;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const NETWORK_CODES = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|UND_ERR_CLOSED|ERR_STREAM_PREMATURE_CLOSE|other side closed|socket hang up|fetch failed|terminated/i;

interface ErrorShape {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
  name?: unknown;
  cause?: unknown;
  headers?: unknown;
  body?: unknown;
  retryAfterMs?: unknown;
}

/** Why an error is worth retrying, or undefined when it is not. */
export function retryReason(err: unknown): string | undefined {
  const e = (err ?? {}) as ErrorShape;
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
  if (status !== undefined && RETRY_STATUSES.has(status)) return `HTTP ${status}`;
  // A body cut off mid-read: a JSON parse failure, or (Azure SDKs) a RestError "Error reading response as text: aborted".
  if (e.name === 'SyntaxError' || (typeof e.message === 'string' && /Unexpected end of JSON|Unterminated string|JSON at position|is not valid JSON|Error reading response/i.test(e.message)))
    return 'truncated response';
  // The Graph client keeps a failure it cannot classify (e.g. a TypeError from another realm under jest) in `body`.
  const body = e.body !== null && e.body !== undefined && typeof e.body === 'object' ? String(e.body) : undefined;
  const texts = [e.code, e.message, body, (e.cause as ErrorShape | undefined)?.code, (e.cause as ErrorShape | undefined)?.message].filter((t): t is string => typeof t === 'string');
  if (texts.some((t) => NETWORK_CODES.test(t))) return 'connection reset';
  // The Graph client wraps failures it cannot read (a reset, a cut body) as GraphError with status -1.
  if (status === -1) return 'unreadable response';
  return undefined;
}

/** Milliseconds the service asked to wait (Retry-After seconds or HTTP date), if it said. */
export function retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  const e = (err ?? {}) as ErrorShape;
  if (typeof e.retryAfterMs === 'number') return e.retryAfterMs;
  const headers = e.headers as { get?(name: string): string | null } | Record<string, string> | undefined;
  const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Runs `fn`, retrying what {@link retryReason} accepts. Throws the last error when the tries run out. */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 6;
  const base = opts.baseDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 60_000;
  const sleep = opts.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const reason = retryReason(err);
      if (!reason || attempt >= attempts || opts.signal?.aborted) throw err;
      const delayMs = Math.min(max, retryAfterMs(err) ?? base * 2 ** (attempt - 1));
      opts.onRetry?.({ attempt, delayMs, reason });
      await sleep(delayMs);
    }
  }
}
