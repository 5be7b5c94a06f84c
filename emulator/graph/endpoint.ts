import type { Ctx, Handler, Reply } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import { authenticateGraph, authorized, forbidden, type GraphCaller, type Requirement } from './auth.js';
import { replyFor } from './odata.js';
import { graphError } from '../http/errors.js';

/** Wraps a Graph handler with bearer auth, the endpoint's permission check and OData error mapping. */
export function endpoint(deps: ServiceDeps, requirement: Requirement, fn: (ctx: Ctx, caller: GraphCaller) => Reply | Promise<Reply>): Handler {
  return async (ctx) => {
    const caller = await authenticateGraph(ctx, deps);
    if (!('permissions' in caller)) return caller;
    if (!authorized(caller, requirement)) return forbidden(ctx);
    try {
      return await fn(ctx, caller);
    } catch (e) {
      return replyFor(ctx, e);
    }
  };
}

/** Graph's 404 for a missing directory object. */
export function notFound(ctx: Ctx, id: string): Reply {
  const cid = ctx.headers['client-request-id'];
  return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`, {}, typeof cid === 'string' ? cid : undefined);
}
