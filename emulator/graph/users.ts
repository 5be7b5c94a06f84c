import type { Ctx, Router } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import type { GraphUser } from '../world/types.js';
import { PERMS } from './auth.js';
import { endpoint, notFound } from './endpoint.js';
import { advancedQueryError, compileFilter, type CompiledFilter } from './filter.js';
import { badRequest, collection, contextUrl, countRequested, decodeSkipToken, encodeSkipToken, eventual, pageSize, parseSelect, selectFragment } from './odata.js';
import { DEFAULT_USER_PROPS, USER_PROPS, userProp, userView } from './userView.js';
import { json } from '../http/router.js';

/** startsWith/endsWith that Graph supports on users (endsWith only as an advanced query). */
const USER_STRING_OPS = [
  ...['displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'jobTitle', 'companyName', 'department', 'city', 'country', 'state', 'officeLocation'].map((p) => `startsWith:${p}`),
  'endsWith:mail',
  'endsWith:userPrincipalName',
  'endsWith:otherMails',
];

/** The query options of a user listing, validated as Graph validates them. */
export function userQuery(ctx: Ctx) {
  const select = parseSelect(ctx, USER_PROPS, 'user');
  const wantsCount = countRequested(ctx);
  const advancedMode = eventual(ctx) && wantsCount;
  if (wantsCount && !eventual(ctx)) throw badRequest('$count is not currently supported.');
  if (ctx.query.has('$orderby') && !advancedMode) throw badRequest('Sorting not supported for current query.', 'Request_UnsupportedQuery');
  if (ctx.query.has('$search')) throw badRequest('Request with $search query parameter only works through MSGraph with a special request header: \'ConsistencyLevel: eventual\'', 'Request_UnsupportedQuery');
  const raw = ctx.query.get('$filter');
  const filter: CompiledFilter | undefined = raw ? compileFilter(raw, USER_PROPS, 'user', USER_STRING_OPS) : undefined;
  if (filter?.advanced.length && !advancedMode) throw advancedQueryError(filter.advanced[0]);
  return { select, wantsCount, filter, rawFilter: raw ?? '' };
}

export function matches(u: GraphUser, filter: CompiledFilter | undefined): boolean {
  return !filter || filter.test((prop) => userProp(u, prop));
}

export function registerUsers(router: Router, deps: ServiceDeps): void {
  const { world } = deps;
  // A filtered $count is a full scan; cache it per world version so paging through a big tenant scans once.
  const counts = new Map<string, number>();
  const countMatching = (tenantId: string, rawFilter: string, filter: CompiledFilter | undefined): number => {
    if (!filter) return world.userCount(tenantId);
    const key = `${tenantId}|${world.version}|${rawFilter}`;
    let n = counts.get(key);
    if (n === undefined) {
      n = 0;
      for (const u of world.users(tenantId)) if (matches(u, filter)) n++;
      if (counts.size > 100) counts.clear();
      counts.set(key, n);
    }
    return n;
  };

  router.add('graph', 'GET', /^\/v1\.0\/users\/?$/i, endpoint(deps, PERMS.users, (ctx, caller) => {
    const q = userQuery(ctx);
    const { size } = pageSize(ctx, 100, 999);
    const tenant = caller.tenantId;
    const start = decodeSkipToken(ctx.query.get('$skiptoken'), 'users', tenant)?.o ?? 0;
    const slots = world.userSlots(tenant);
    const page: Record<string, unknown>[] = [];
    let i = start;
    for (; i < slots && page.length < size; i++) {
      const u = world.userAt(tenant, i);
      if (u && matches(u, q.filter)) page.push(userView(u, q.select ?? DEFAULT_USER_PROPS));
    }
    return collection(deps, ctx, selectFragment('users', q.select), page, {
      next: i < slots ? encodeSkipToken({ k: 'users', t: tenant, o: i }) : undefined,
      count: q.wantsCount ? countMatching(tenant, q.rawFilter, q.filter) : undefined,
    });
  }));

  router.add('graph', 'GET', /^\/v1\.0\/users\/\$count$/i, endpoint(deps, PERMS.users, (ctx, caller) => {
    if (!eventual(ctx)) throw badRequest('$count is not currently supported.');
    const raw = ctx.query.get('$filter');
    const filter = raw ? compileFilter(raw, USER_PROPS, 'user', USER_STRING_OPS) : undefined;
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: String(countMatching(caller.tenantId, raw ?? '', filter)) };
  }));

  const single = (ctx: Ctx, u: GraphUser | undefined, idForError: string) => {
    if (!u) return notFound(ctx, idForError);
    const select = parseSelect(ctx, USER_PROPS, 'user');
    const body = { '@odata.context': `${contextUrl(deps, selectFragment('users', select))}/$entity`, ...userView(u, select ?? DEFAULT_USER_PROPS) };
    return json(200, body);
  };

  router.add('graph', 'GET', /^\/v1\.0\/users\/(?<id>(?!delta(?:\(\))?$)[^/]+)\/?$/i, endpoint(deps, PERMS.users, (ctx, caller) =>
    single(ctx, world.user(caller.tenantId, ctx.params.id), ctx.params.id),
  ));

  router.add('graph', 'GET', /^\/v1\.0\/me\/?$/i, endpoint(deps, {}, (ctx, caller) => {
    if (!caller.delegated) throw badRequest('/me request is only valid with delegated authentication flow.', 'BadRequest');
    return single(ctx, world.user(caller.tenantId, caller.oid), caller.oid);
  }));
}
