import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler sees of one request. The body is already read (bounded) before routing. */
export interface Ctx {
  req: IncomingMessage;
  method: string;
  url: URL;
  /** Path without the query, exactly as sent (not lower-cased). */
  path: string;
  /** Named groups from the route's pattern, URI-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  /** Parses the body as JSON; throws BadRequest-shaped errors are the caller's job. */
  json<T = unknown>(): T | undefined;
  /** Parses an application/x-www-form-urlencoded body. */
  form(): URLSearchParams;
  /** Which service answered (login, arm, graph, partnerCenter, control); set by the route. */
  service: ServiceName;
}

export type ServiceName = 'login' | 'arm' | 'graph' | 'partnerCenter' | 'control';

/** A response. `body` objects are sent as JSON; strings as-is with the given content-type. */
export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

export type Handler = (ctx: Ctx) => Promise<Reply> | Reply;

interface Route {
  method: string;
  service: ServiceName;
  pattern: RegExp;
  handler: Handler;
}

/**
 * A small ordered router. Patterns are RegExps with named groups, matched against the whole path.
 * ARM paths are case-insensitive on Microsoft's side, so ARM routes should pass the `i` flag.
 * (Never use the `g` flag: RegExp.test with `g` is stateful.)
 */
export class Router {
  private readonly routes: Route[] = [];

  add(service: ServiceName, method: string, pattern: RegExp, handler: Handler): this {
    if (pattern.global) throw new Error(`route ${pattern} must not use the g flag`);
    this.routes.push({ service, method: method.toUpperCase(), pattern, handler });
    return this;
  }

  /** Returns the first matching route, or which methods the path allows (for 405). */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: string[] } {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.method !== method.toUpperCase()) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) params[k] = safeDecode(v);
      return { route, params };
    }
    return { allowed };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

export function html(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, body, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } };
}

export function redirect(location: string): Reply {
  return { status: 302, headers: { location }, body: '' };
}

/** The same reply with its JSON body already serialised (so the work can be done before the latency ends). */
export function serialized(reply: Reply): Reply {
  if (reply.body === undefined || Buffer.isBuffer(reply.body) || typeof reply.body === 'string') return reply;
  const headers = { ...(reply.headers ?? {}) };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
  return { ...reply, headers, body: JSON.stringify(reply.body) };
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const headers = { ...(reply.headers ?? {}) };
  let payload: string | Buffer = '';
  if (Buffer.isBuffer(reply.body) || typeof reply.body === 'string') payload = reply.body;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status, { ...headers, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}
