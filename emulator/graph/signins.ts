import type { Ctx, Router } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import type { SignIn } from '../world/types.js';
import { graphError } from '../http/errors.js';
import { PERMS } from './auth.js';
import { endpoint } from './endpoint.js';
import { badRequest, collection, decodeSkipToken, encodeSkipToken, pageSize } from './odata.js';

/**
 * auditLogs/signIns, newest first. A createdDateTime range becomes an index range by binary search over the
 * time-ordered log; other clauses are checked while scanning that range, a bounded number per page (Graph, too,
 * may answer a sparse page with a nextLink). Skip tokens count from the oldest end, so sign-ins added while a
 * client pages (they are newest, so at the front) do not shift its position.
 */

const MAX_SCAN_PER_PAGE = 50_000;

interface SignInQuery {
  lo: number;
  hi: number;
  test: (s: SignIn) => boolean;
}

const FIELD: Record<string, (s: SignIn) => unknown> = {
  userid: (s) => s.userId,
  appid: (s) => s.appId,
  userprincipalname: (s) => s.userPrincipalName,
  userdisplayname: (s) => s.userDisplayName,
  appdisplayname: (s) => s.appDisplayName,
  ipaddress: (s) => s.ipAddress,
  'status/errorcode': (s) => s.status.errorCode,
  'location/countryorregion': (s) => s.location.countryOrRegion,
  'location/city': (s) => s.location.city,
  clientappused: (s) => s.clientAppUsed,
};

function parseTime(raw: string): number {
  const t = raw.trim().replace(/^'(.*)'$/, '$1');
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t) ? Date.parse(t) : NaN;
  if (Number.isNaN(ms)) throw badRequest(`Invalid filter clause: '${raw.trim()}' is not a valid DateTimeOffset.`);
  return ms;
}

function parseQuery(deps: ServiceDeps, tenant: string, raw: string | null): SignInQuery {
  const { world } = deps;
  let lo = 0;
  let hi = world.signInCount(tenant);
  const tests: ((s: SignIn) => boolean)[] = [];
  if (raw && raw.trim()) {
    if (/\s+or\s+/i.test(raw)) throw badRequest('Unsupported Query.', 'Request_UnsupportedQuery');
    for (const clause of raw.split(/\s+and\s+/i).map((c) => c.trim().replace(/^\((.*)\)$/, '$1'))) {
      let m = /^createdDateTime\s+(ge|gt|le|lt|eq)\s+(.+)$/i.exec(clause);
      if (m) {
        const ms = parseTime(m[2]);
        const op = m[1].toLowerCase();
        // Positions grow older: "newer than" bounds the end of the range, "older than" its start.
        if (op === 'ge' || op === 'eq') hi = Math.min(hi, world.signInIndexOlderThan(tenant, ms, false));
        if (op === 'gt') hi = Math.min(hi, world.signInIndexOlderThan(tenant, ms, true));
        if (op === 'le' || op === 'eq') lo = Math.max(lo, world.signInIndexOlderThan(tenant, ms, true));
        if (op === 'lt') lo = Math.max(lo, world.signInIndexOlderThan(tenant, ms, false));
        continue;
      }
      m = /^([\w/]+)\s+eq\s+(.+)$/i.exec(clause);
      if (m && FIELD[m[1].toLowerCase()]) {
        const get = FIELD[m[1].toLowerCase()];
        const v = m[2].trim();
        const want: unknown = /^'.*'$/.test(v) ? v.slice(1, -1).replace(/''/g, "'").toLowerCase() : Number(v);
        tests.push((s) => {
          const got = get(s);
          return typeof got === 'string' ? got.toLowerCase() === want : got === want;
        });
        continue;
      }
      m = /^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
      if (m && FIELD[m[1].toLowerCase()]) {
        const get = FIELD[m[1].toLowerCase()];
        const prefix = m[2].replace(/''/g, "'").toLowerCase();
        tests.push((s) => String(get(s) ?? '').toLowerCase().startsWith(prefix));
        continue;
      }
      throw badRequest(`Invalid filter clause: ${clause}`);
    }
  }
  return { lo, hi: Math.max(lo, hi), test: (s) => tests.every((t) => t(s)) };
}

function view(s: SignIn): Record<string, unknown> {
  return { riskEventTypes: [], ...s, location: { ...s.location, geoCoordinates: null } };
}

export function registerSignIns(router: Router, deps: ServiceDeps, hasPremium: (tenantId: string) => boolean): void {
  const { world } = deps;
  router.add('graph', 'GET', /^\/v1\.0\/auditLogs\/signIns\/?$/i, endpoint(deps, PERMS.signIns, (ctx: Ctx, caller) => {
    const tenant = caller.tenantId;
    if (!hasPremium(tenant)) {
      const cid = ctx.headers['client-request-id'];
      return graphError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license", {}, typeof cid === 'string' ? cid : undefined);
    }
    const { size } = pageSize(ctx, 1000, 1000);
    const q = parseQuery(deps, tenant, ctx.query.get('$filter'));
    const count = world.signInCount(tenant);
    const token = decodeSkipToken(ctx.query.get('$skiptoken'), 'signIns', tenant);
    let p = Math.max(q.lo, token ? count - token.o : 0);
    const page: Record<string, unknown>[] = [];
    const scanEnd = Math.min(q.hi, p + MAX_SCAN_PER_PAGE);
    for (; p < scanEnd && page.length < size; p++) {
      const s = world.signInAt(tenant, p);
      if (s && q.test(s)) page.push(view(s));
    }
    return collection(deps, ctx, 'auditLogs/signIns', page, { next: p < q.hi ? encodeSkipToken({ k: 'signIns', t: tenant, o: count - p }) : undefined });
  }));
}
