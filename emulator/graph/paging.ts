import type { Ctx, Reply } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import type { GraphCaller } from './auth.js';
import { collection, decodeSkipToken, encodeSkipToken, pageSize } from './odata.js';

/** Pages a small, materialised collection by offset, the way Graph pages directory collections. */
export function pagedArray<T>(
  deps: ServiceDeps,
  ctx: Ctx,
  caller: GraphCaller,
  opts: { kind: string; fragment: string; items: T[]; view: (item: T) => Record<string, unknown>; defaultSize?: number; maxSize?: number; count?: boolean },
): Reply {
  const { size } = pageSize(ctx, opts.defaultSize ?? 100, opts.maxSize ?? 999);
  const start = decodeSkipToken(ctx.query.get('$skiptoken'), opts.kind, caller.tenantId)?.o ?? 0;
  const end = Math.min(start + size, opts.items.length);
  return collection(deps, ctx, opts.fragment, opts.items.slice(start, end).map(opts.view), {
    next: end < opts.items.length ? encodeSkipToken({ k: opts.kind, t: caller.tenantId, o: end }) : undefined,
    count: opts.count ? opts.items.length : undefined,
  });
}
