import { randomUUID } from 'node:crypto';
import type { Ctx, Handler, Reply, Router } from '../http/router.js';
import { json } from '../http/router.js';
import { partnerCenterError } from '../http/errors.js';
import type { ServiceDeps } from '../deps.js';
import type { PartnerCustomer } from '../world/types.js';
import { authenticatePartner, type PartnerCaller } from './auth.js';
import { customerJson, listCustomers } from './customers.js';
import { invoicesFor } from './invoices.js';
import { isPartnerOf } from './relationships.js';

export { isPartnerOf } from './relationships.js';
export { MFA_REQUIRED_CODE } from './auth.js';

/** Programmatic view of the emulated Partner Center. */
export interface PartnerControl {
  partnerCustomers(): PartnerCustomer[];
  /** Whether the customer tenant is a customer of the partner tenant (the double hop is allowed). */
  isPartnerOf(partnerTenantId: string, customerTenantId: string): boolean;
}

/**
 * Partner Center REST (`/v1/customers`, `/v1/customers/{id}`, `/v1/invoices`, `/v1/invoices/{id}`) with its
 * token rules: Partner Center audience, the partner's tenant, MFA on app+user tokens; invoices need app+user.
 */
export function registerPartnerCenter(router: Router, deps: ServiceDeps): PartnerControl {
  const route = (pattern: RegExp, appUserOnly: boolean, handle: (ctx: Ctx, caller: PartnerCaller) => Reply) => {
    const handler: Handler = async (ctx) => {
      const caller = await authenticatePartner(ctx, deps);
      if ('status' in caller) return withIds(ctx, caller);
      if (appUserOnly && !caller.delegated) return withIds(ctx, partnerCenterError(403, 403, 'Forbidden: this operation supports app+user authentication only.'));
      return withIds(ctx, handle(ctx, caller));
    };
    router.add('partnerCenter', 'GET', pattern, handler);
  };

  route(/^\/v1\/customers\/?$/i, false, (ctx) => listCustomers(ctx, deps.world.partnerCustomers()));
  route(/^\/v1\/customers\/(?<id>[^/]+)\/?$/i, false, (ctx) => {
    const c = deps.world.partnerCustomers().find((x) => x.id.toLowerCase() === ctx.params.id.toLowerCase());
    return c ? json(200, customerJson(c)) : partnerCenterError(404, 600008, `Customer '${ctx.params.id}' was not found.`);
  });
  route(/^\/v1\/invoices\/?$/i, true, () => {
    const items = invoicesFor(deps.world.partner.partnerId, deps.state.now());
    return json(200, { totalCount: items.length, items, links: { self: { uri: '/invoices?size=200&offset=0', method: 'GET', headers: [] } }, attributes: { objectType: 'Collection' } });
  });
  route(/^\/v1\/invoices\/(?<id>[^/]+)\/?$/i, true, (ctx) => {
    const inv = invoicesFor(deps.world.partner.partnerId, deps.state.now()).find((i) => i.id === ctx.params.id);
    return inv ? json(200, inv) : partnerCenterError(404, 600008, `Invoice '${ctx.params.id}' was not found.`);
  });

  return {
    partnerCustomers: () => deps.world.partnerCustomers(),
    isPartnerOf: (partnerTenantId, customerTenantId) => isPartnerOf(deps.world, partnerTenantId, customerTenantId),
  };
}

/** Partner Center echoes the caller's MS-RequestId / MS-CorrelationId, or makes them up. */
function withIds(ctx: Ctx, reply: Reply): Reply {
  const pick = (h: string) => (typeof ctx.headers[h] === 'string' ? (ctx.headers[h] as string) : randomUUID());
  return { ...reply, headers: { ...(reply.headers ?? {}), 'MS-RequestId': pick('ms-requestid'), 'MS-CorrelationId': pick('ms-correlationid') } };
}
