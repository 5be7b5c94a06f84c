import type { Ctx, Router } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import type { SignIn } from '../world/types.js';
import { drawErrorCode, SignInDraw } from '../world/signins.js';
import { SignInPageWriter } from './signinJson.js';
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
  test: (s: SignIn | SignInDraw) => boolean;
}

/**
 * Filterable properties, read from a SignIn or, for a generated sign-in, from its draws (no object is built for a
 * page); both readers give the same value for the same sign-in.
 */
export const SIGN_IN_FIELDS: Record<string, { signIn: (s: SignIn) => unknown; draw: (d: SignInDraw) => unknown }> = {
  userid: { signIn: (s) => s.userId, draw: (d) => d.user.id },
  appid: { signIn: (s) => s.appId, draw: (d) => d.app.appId },
  userprincipalname: { signIn: (s) => s.userPrincipalName, draw: (d) => d.user.userPrincipalName },
  userdisplayname: { signIn: (s) => s.userDisplayName, draw: (d) => d.user.displayName },
  appdisplayname: { signIn: (s) => s.appDisplayName, draw: (d) => d.app.name },
  ipaddress: { signIn: (s) => s.ipAddress, draw: (d) => `${d.ip0}.${d.ip1}.${d.ip2}.${d.ip3}` },
  'status/errorcode': { signIn: (s) => s.status.errorCode, draw: drawErrorCode },
  'location/countryorregion': { signIn: (s) => s.location.countryOrRegion, draw: (d) => d.place.usageLocation },
  'location/city': { signIn: (s) => s.location.city, draw: (d) => d.place.city },
  clientappused: { signIn: (s) => s.clientAppUsed, draw: (d) => d.clientAppUsed },
};

const read = (field: (typeof SIGN_IN_FIELDS)[string], s: SignIn | SignInDraw) => (s instanceof SignInDraw ? field.draw(s) : field.signIn(s));

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
  const tests: ((s: SignIn | SignInDraw) => boolean)[] = [];
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
      if (m && Object.hasOwn(SIGN_IN_FIELDS, m[1].toLowerCase())) {
        const get = SIGN_IN_FIELDS[m[1].toLowerCase()];
        const v = m[2].trim();
        const want: unknown = /^'.*'$/.test(v) ? v.slice(1, -1).replace(/''/g, "'").toLowerCase() : Number(v);
        tests.push((s) => {
          const got = read(get, s);
          return typeof got === 'string' ? got.toLowerCase() === want : got === want;
        });
        continue;
      }
      m = /^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
      if (m && Object.hasOwn(SIGN_IN_FIELDS, m[1].toLowerCase())) {
        const get = SIGN_IN_FIELDS[m[1].toLowerCase()];
        const prefix = m[2].replace(/''/g, "'").toLowerCase();
        tests.push((s) => String(read(get, s) ?? '').toLowerCase().startsWith(prefix));
        continue;
      }
      throw badRequest(`Invalid filter clause: ${clause}`);
    }
  }
  return { lo, hi: Math.max(lo, hi), test: (s) => tests.every((t) => t(s)) };
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
    const page = new SignInPageWriter(Math.min(size, Math.max(q.hi - p, 0)));
    // One draw for the whole scan: each sign-in is written before the next position refills it.
    const draw = new SignInDraw();
    let taken = 0;
    const scanEnd = Math.min(q.hi, p + MAX_SCAN_PER_PAGE);
    for (; p < scanEnd && taken < size; p++) {
      const s = world.signInEntryAt(tenant, p, draw);
      if (s && q.test(s)) {
        page.add(s);
        taken++;
      }
    }
    const reply = collection(deps, ctx, 'auditLogs/signIns', [], { next: p < q.hi ? encodeSkipToken({ k: 'signIns', t: tenant, o: count - p }) : undefined });
    return { ...reply, body: page.body(JSON.stringify(reply.body)) };
  }));
}
