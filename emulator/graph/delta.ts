import type { Ctx, Router } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import { PERMS } from './auth.js';
import { endpoint } from './endpoint.js';
import { badRequest, collection, decodeSkipToken, encodeSkipToken, pageSize, parseSelect, selectFragment, type SkipState } from './odata.js';
import { DEFAULT_USER_PROPS, USER_PROPS, userView } from './userView.js';

/**
 * users/delta. The first round pages through every user; its last page carries a deltaLink whose token holds the
 * world version the round started at. Calling the deltaLink returns the users changed since that version (removed
 * ones as `@removed`), paged the same way, then a fresh deltaLink. Changes made during a round show up again in the
 * next one (at-least-once, as Graph's own delta).
 */

interface DeltaState extends SkipState {
  /** 'all' = initial round (o is a user slot), 'changes' = change round (o indexes the change list). */
  ph: 'all' | 'changes';
  /** Version the round started at (next deltaLink). */
  v: number;
  /** Version the change round reads changes after. */
  since?: number;
  s?: string[];
  n: number;
}

const MAX_PAGE = 999;

function decode(raw: string, kind: string, tenant: string): DeltaState {
  const s = decodeSkipToken(raw, kind, tenant) as DeltaState;
  if (s.ph !== 'all' && s.ph !== 'changes') throw badRequest('Invalid $skiptoken.');
  return s;
}

export function registerDelta(router: Router, deps: ServiceDeps): void {
  const { world } = deps;
  const base = `${deps.urls.graph}/v1.0/users/delta`;

  const answer = (ctx: Ctx, tenant: string, st: DeltaState) => {
    const fields = st.s ?? DEFAULT_USER_PROPS;
    const value: Record<string, unknown>[] = [];
    let o = st.o;
    let done: boolean;
    if (st.ph === 'all') {
      const slots = world.userSlots(tenant);
      for (; o < slots && value.length < st.n; o++) {
        const u = world.userAt(tenant, o);
        if (u) value.push(userView(u, fields));
      }
      done = o >= slots;
    } else {
      const changes = world.userChangesSince(tenant, st.since ?? 0);
      for (; o < changes.length && value.length < st.n; o++) {
        const c = changes[o];
        const u = c.removed ? undefined : world.user(tenant, c.id);
        value.push(u ? userView(u, fields) : { '@odata.type': '#microsoft.graph.user', id: c.id, '@removed': { reason: 'changed' } });
      }
      done = o >= changes.length;
    }
    const reply = collection(deps, ctx, selectFragment('users', st.s), value, {
      deltaLink: done ? `${base}?$deltatoken=${encodeSkipToken({ k: 'usersDeltaToken', t: tenant, o: st.v, s: st.s })}` : undefined,
    });
    if (!done) (reply.body as Record<string, unknown>)['@odata.nextLink'] = `${base}?$skiptoken=${encodeSkipToken({ ...st, o })}`;
    return reorder(reply);
  };

  router.add('graph', 'GET', /^\/v1\.0\/users\/delta(?:\(\))?\/?$/i, endpoint(deps, PERMS.users, (ctx, caller) => {
    const tenant = caller.tenantId;
    const preferred = pageSize(ctx, 100, MAX_PAGE);
    const skip = ctx.query.get('$skiptoken');
    if (skip !== null) {
      const st = decode(skip, 'usersDelta', tenant);
      return answer(ctx, tenant, ctx.query.has('$top') || ctx.headers.prefer ? { ...st, n: preferred.size } : st);
    }
    const deltaToken = ctx.query.get('$deltatoken');
    if (deltaToken !== null) {
      const prev = decodeSkipToken(deltaToken, 'usersDeltaToken', tenant) as SkipState & { s?: string[] };
      return answer(ctx, tenant, { k: 'usersDelta', t: tenant, ph: 'changes', o: 0, since: prev.o, v: world.version, s: prev.s, n: preferred.size });
    }
    const select = parseSelect(ctx, USER_PROPS, 'user');
    return answer(ctx, tenant, { k: 'usersDelta', t: tenant, ph: 'all', o: 0, v: world.version, s: select, n: preferred.size });
  }));
}

/** Graph puts nextLink/deltaLink before `value`; keep the body in that order for readers that look. */
function reorder(reply: ReturnType<typeof collection>) {
  const b = reply.body as Record<string, unknown>;
  const { value, ...rest } = b;
  reply.body = { ...rest, value };
  return reply;
}
