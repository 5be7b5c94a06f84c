import type { Ctx, Reply } from '../http/router.js';
import { json } from '../http/router.js';
import { graphError } from '../http/errors.js';
import type { ServiceDeps } from '../deps.js';

/** OData plumbing shared by Graph endpoints: page sizes, opaque skip tokens, links, $select projection. */

export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function badRequest(message: string, code = 'Request_BadRequest'): ODataError {
  return new ODataError(400, code, message);
}

/** Turns an ODataError thrown by a handler into Graph's error body. */
export function replyFor(ctx: Ctx, e: unknown): Reply {
  if (e instanceof ODataError) {
    const cid = ctx.headers['client-request-id'];
    return graphError(e.status, e.code, e.message, {}, typeof cid === 'string' ? cid : undefined);
  }
  throw e;
}

/** `$top`, falling back to `Prefer: odata.maxpagesize=N`, then the endpoint's default; outside 1..max is a 400. */
export function pageSize(ctx: Ctx, def: number, max: number): { size: number; preferApplied?: string } {
  const top = ctx.query.get('$top');
  if (top !== null) {
    const n = Number(top);
    if (!/^\d+$/.test(top) || n < 1 || n > max) throw badRequest(`Invalid page size specified: '${top}'. Must be between 1 and ${max} inclusive.`, 'Request_UnsupportedQuery');
    return { size: n };
  }
  const prefer = /odata\.maxpagesize=(\d+)/i.exec(String(ctx.headers.prefer ?? ''));
  if (prefer) {
    const n = Math.min(Math.max(Number(prefer[1]), 1), max);
    return { size: n, preferApplied: `odata.maxpagesize=${n}` };
  }
  return { size: def };
}

export interface SkipState {
  /** Which collection (guards against a token replayed on another endpoint or tenant). */
  k: string;
  t: string;
  /** Position; meaning is up to the endpoint. */
  o: number;
  [extra: string]: unknown;
}

export function encodeSkipToken(s: SkipState): string {
  return Buffer.from(JSON.stringify(s)).toString('base64url');
}

export function decodeSkipToken(raw: string | null, kind: string, tenantId: string): SkipState | undefined {
  if (raw === null) return undefined;
  try {
    const s = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as SkipState;
    if (s.k === kind && s.t === tenantId && Number.isInteger(s.o) && s.o >= 0) return s;
  } catch {
    // fall through to Graph's answer for a bad token
  }
  throw badRequest('Invalid $skiptoken.', 'Request_BadRequest');
}

/** The same request with a new $skiptoken: Graph's nextLinks keep the caller's other query options. */
export function nextLinkFor(deps: ServiceDeps, ctx: Ctx, token: string): string {
  const q = new URLSearchParams(ctx.query);
  q.delete('$skiptoken');
  q.set('$skiptoken', token);
  return `${deps.urls.graph}${ctx.path}?${q.toString().replace(/%24/g, '$')}`;
}

export function contextUrl(deps: ServiceDeps, fragment: string): string {
  return `${deps.urls.graph}/v1.0/$metadata#${fragment}`;
}

/** Parses `$select` against the entity's known properties (case-insensitive); unknown names are Graph's 400. */
export function parseSelect(ctx: Ctx, known: readonly string[], entity: string): string[] | undefined {
  const raw = ctx.query.get('$select');
  if (!raw) return undefined;
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  return raw.split(',').map((p) => {
    const name = byLower.get(p.trim().toLowerCase());
    if (!name) throw badRequest(`Could not find a property named '${p.trim()}' on type 'microsoft.graph.${entity}'.`);
    return name;
  });
}

/** Picks `fields` from an object; `id` always comes along, as Graph returns it with any $select. */
export function project(obj: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return obj;
  const out: Record<string, unknown> = {};
  for (const f of fields.includes('id') ? fields : ['id', ...fields]) out[f] = obj[f] ?? null;
  return out;
}

export function collection(
  deps: ServiceDeps,
  ctx: Ctx,
  fragment: string,
  value: unknown[],
  opts: { next?: string; count?: number; extraHeaders?: Record<string, string>; deltaLink?: string } = {},
): Reply {
  const body: Record<string, unknown> = { '@odata.context': contextUrl(deps, fragment) };
  if (opts.count !== undefined) body['@odata.count'] = opts.count;
  if (opts.next) body['@odata.nextLink'] = nextLinkFor(deps, ctx, opts.next);
  if (opts.deltaLink) body['@odata.deltaLink'] = opts.deltaLink;
  body.value = value;
  const cid = ctx.headers['client-request-id'];
  return json(200, body, { 'request-id': crypto.randomUUID(), ...(typeof cid === 'string' ? { 'client-request-id': cid } : {}), ...opts.extraHeaders });
}

/** `$select` suffix of an @odata.context, e.g. `users(displayName,mail)`. */
export function selectFragment(base: string, select: string[] | undefined): string {
  return select ? `${base}(${select.join(',')})` : base;
}

/** Whether the caller asked for Graph's advanced query mode (ConsistencyLevel: eventual). */
export function eventual(ctx: Ctx): boolean {
  return String(ctx.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
}

export function countRequested(ctx: Ctx): boolean {
  return (ctx.query.get('$count') ?? '').toLowerCase() === 'true';
}
